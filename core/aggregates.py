"""Aggregates kept beside the records so reports do not scan history: each app registers how to rebuild
its own from the records (`register`), and `manage.py rebuild_aggregates` runs them all. The services keep
them exact on every write; a rebuild is for a bulk load, a repair, or the test that proves both agree."""

from collections.abc import Callable

from django.db import transaction

from .planning import refresh_statistics

_REBUILDERS: dict[str, Callable[[], None]] = {}


def register(name: str):
    """Decorator: `name` (e.g. "assessments.group_totals") is rebuilt by the decorated function."""

    def decorator(func: Callable[[], None]) -> Callable[[], None]:
        _REBUILDERS[name] = func
        return func

    return decorator


def rebuilders() -> dict[str, Callable[[], None]]:
    return dict(sorted(_REBUILDERS.items()))


def rebuild(names: list[str] | None = None) -> list[str]:
    """Rebuild the named aggregates (all when None), each in its own transaction; returns the names. A rebuild
    follows a bulk load: the planner's statistics are refreshed first (core.planning)."""
    chosen = rebuilders()
    if names:
        unknown = set(names) - set(chosen)
        if unknown:
            raise KeyError(", ".join(sorted(unknown)))
        chosen = {name: chosen[name] for name in names}
    refresh_statistics()
    for func in chosen.values():
        with transaction.atomic():
            func()
    return list(chosen)


# A branch re-attached to another commune moves its records' "unit today": apps whose aggregates are keyed
# by a branch's commune refresh those communes. The branches app (below them) says which communes changed.
_BRANCH_MOVE_LISTENERS: list[Callable[[set[int]], None]] = []


def on_branches_moved(func: Callable[[set[int]], None]) -> Callable[[set[int]], None]:
    """Decorator: `func(commune_ids)` is called, inside the moving transaction, with the communes that lost
    or gained branches."""
    _BRANCH_MOVE_LISTENERS.append(func)
    return func


def branches_moved(*, communes) -> None:
    """Called once by each service that changes branches' communes, with the old and new communes."""
    communes = {pk for pk in communes if pk is not None}
    if communes:
        for listener in _BRANCH_MOVE_LISTENERS:
            listener(communes)
