"""Per-commune counters of branches (active ones, their members, those without a secretary), kept beside
the records so the first screen, the unit tables and the vacancies page sum ~13,000 rows instead of
scanning 100,000 branches and their terms (`CommuneCounter`).

Exact on every write: every save or delete of a branch or a term refreshes the communes it counts in
(before and after a move), inside the write's transaction: the services' writes (create, end, merge,
split, re-attach, appoint, end a term), Django admin's and a test factory's alike. This is the one place
all of them pass, so no write path can forget it; only bulk writes (`bulk_create`, `update()`) skip it,
and call `refresh` themselves (the Excel imports) or `rebuild` (seed_scale, load_demo); a bulk load that
saves row by row wraps itself in `deferred()` and recounts each commune once at the end. `refresh` locks
the communes' rows and recounts their branches, so two writes in one commune queue up instead of
overwriting each other's count. `rebuild` is registered as "branches.unit_counters" (`manage.py
rebuild_aggregates`).

Whether a branch has a secretary is the secretaries app's to say (branches cannot import its terms): its
AppConfig.ready() registers the condition and its Term model (`register_secretaries`).
"""

import functools
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import connection, transaction
from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q, Sum, Value
from django.db.models.expressions import Expression
from django.db.models.signals import post_delete, post_save, pre_save

from core import aggregates
from core.compiled import MANY, bind, lock_rows

from .models import Branch, BranchAttachment, Commune, CommuneCounter

#: a boolean expression on Branch, true when the branch has a current secretary
_has_secretary: Callable[[], Expression] | None = None

MEASURES = ("branches", "members", "vacant")
#: every column a commune's counters row keeps: the measures of its active branches, and its current
#: secretaries (of any branch)
COLUMNS = (*MEASURES, "secretaries")

#: inside `deferred()`: the communes written so far, recounted when it ends
_pending: ContextVar[set[int] | None] = ContextVar("counters_pending", default=None)


@contextmanager
def deferred() -> Iterator[None]:
    """For a bulk load that saves row by row (load_demo): each write notes its communes instead of
    recounting them (a third of the demo's time), and they are recounted once when the block ends
    without error. Nested blocks count with the outermost."""
    if _pending.get() is not None:
        yield
        return
    token = _pending.set(set())
    try:
        yield
        communes = _pending.get()
    finally:
        _pending.reset(token)
    refresh(communes)


def _written(communes: set) -> None:
    pending = _pending.get()
    if pending is None:
        refresh(communes)
    else:
        pending.update(c for c in communes if c is not None)


def register_secretaries(*, has_secretary: Callable[[], Expression], term_model) -> None:
    """`has_secretary()`: a boolean expression on Branch; a save or delete of a `term_model` row refreshes
    its branch's commune."""
    global _has_secretary
    _has_secretary = has_secretary
    pre_save.connect(_remember_term_commune, sender=term_model, dispatch_uid="counters_term_pre")
    post_save.connect(_term_written, sender=term_model, dispatch_uid="counters_term_post")
    post_delete.connect(_term_written, sender=term_model, dispatch_uid="counters_term_delete")


def _remember_branch_commune(sender, instance, raw=False, **kwargs):
    # The commune as stored: a move counts in both.
    instance._counted_before = communes_of([instance.pk]) if instance.pk and not raw else set()


def _branch_written(sender, instance, raw=False, **kwargs):
    if not raw:
        _written(getattr(instance, "_counted_before", set()) | {instance.commune_id})


def _remember_term_commune(sender, instance, raw=False, **kwargs):
    stored = sender.objects.filter(pk=instance.pk).values_list("branch", flat=True) if instance.pk else []
    instance._counted_before = set() if raw else communes_of(list(stored))


def _term_written(sender, instance, raw=False, **kwargs):
    if not raw:
        _written(getattr(instance, "_counted_before", set()) | communes_of([instance.branch_id]))


pre_save.connect(_remember_branch_commune, sender=Branch, dispatch_uid="counters_branch_pre")
post_save.connect(_branch_written, sender=Branch, dispatch_uid="counters_branch_post")
post_delete.connect(_branch_written, sender=Branch, dispatch_uid="counters_branch_delete")


def _columns(branches, *, among: Q | None = None) -> "Iterable[dict]":
    """A counters row's every column over `branches`, ready for `.values(...)` grouping: the measures of the
    active ones (how many, their members, those without a secretary), and the current secretaries of all
    of them (a deactivated branch keeps its secretary until the term ends). `among`: the measures count
    only the branches it holds for."""
    active = Q(is_active=True, ended_on__isnull=True) & (among or Q())
    measures = {"branches": Count("pk", filter=active), "members": Sum("member_count", filter=active)}
    if _has_secretary is None:
        return branches, {**measures, "vacant": Count("pk", filter=active), "secretaries": Value(0)}
    branches = branches.alias(has_secretary=_has_secretary())
    return branches, {
        **measures,
        "vacant": Count("pk", filter=active & Q(has_secretary=False)),
        "secretaries": Count("pk", filter=Q(has_secretary=True)),
    }


def _recount(branches) -> dict[int, CommuneCounter]:
    branches, columns = _columns(branches)
    return {
        row["commune"]: CommuneCounter(
            commune_id=row["commune"], **{name: row[name] or 0 for name in COLUMNS}
        )
        for row in branches.order_by().values("commune").annotate(**columns)
    }


def refresh(communes: Iterable[int | Commune | None]) -> None:
    """Recount the counters of these communes (ids or units) from their branches. Call it inside the
    write's transaction, after the write."""
    ids = sorted({getattr(c, "pk", c) for c in communes if c is not None})
    if not ids:
        return
    # Its own transaction when the write has none (a save in autocommit: the shell, a script); inside the
    # write's, no savepoint of its own: an error here undoes the write too.
    with transaction.atomic(savepoint=False):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for sql, params in _refresh_statements(_has_secretary):
                    cursor.execute(sql, bind(params, many=ids))
            return
        # Elsewhere (SQLite: one writer, nothing to lock) through the ORM.
        found = _recount(Branch.objects.filter(commune__in=ids))
        rows = [found.get(pk) or CommuneCounter(commune_id=pk) for pk in ids]
        CommuneCounter.objects.bulk_create(
            rows, update_conflicts=True, unique_fields=["commune"], update_fields=list(COLUMNS)
        )


@functools.cache
def _refresh_statements(has_secretary) -> list[tuple[str, list]]:
    """`refresh` on PostgreSQL, compiled once per process with `MANY` for its communes (one array
    parameter whatever their number, core/lookups.py): compiling the recount (ORM to SQL) on every write
    cost more than running it. The counters' rows are locked in id order (no deadlock between two
    writers), then every commune's row is written, zeros for a commune without active branches. Compiled
    again should the secretaries' condition (`has_secretary`, `register_secretaries`) change."""
    quote = connection.ops.quote_name
    table = quote(CommuneCounter._meta.db_table)
    key = quote(CommuneCounter._meta.get_field("commune").column)
    branches, measures = _columns(Branch.objects.filter(commune__any_of=MANY))
    recount, params = (
        branches.order_by().values(counted_commune=F("commune")).annotate(**measures).query.sql_with_params()
    )
    columns = ", ".join(quote(CommuneCounter._meta.get_field(m).column) for m in COLUMNS)
    found = ", ".join(f"COALESCE(found.{quote(m)}, 0)" for m in COLUMNS)
    updates = ", ".join(f"{quote(m)} = EXCLUDED.{quote(m)}" for m in COLUMNS)
    return [
        lock_rows(table, key),
        (
            f"INSERT INTO {table} ({key}, {columns}) SELECT wanted.id, {found}"
            f" FROM unnest(%s::bigint[]) AS wanted (id) LEFT JOIN ({recount}) AS found"
            f" ON found.counted_commune = wanted.id"
            f" ON CONFLICT ({key}) DO UPDATE SET {updates}",
            [MANY, *params],
        ),
    ]


def communes_of(branch_ids: Iterable[int]) -> set[int]:
    """The communes these branches are under, as stored: read before a write that may move them."""
    ids = [pk for pk in branch_ids if pk is not None]
    if not ids:
        return set()
    return set(Branch.objects.filter(pk__in=ids).values_list("commune", flat=True))


@aggregates.register("branches.unit_counters")
def rebuild() -> None:
    """Every commune's counters from its branches (a row per commune, zeros included)."""
    found = _recount(Branch.objects.all())
    CommuneCounter.objects.all().delete()
    CommuneCounter.objects.bulk_create(
        (
            found.get(pk) or CommuneCounter(commune_id=pk)
            for pk in Commune.objects.values_list("pk", flat=True)
        ),
        batch_size=5000,
    )


def _former_outside(user):
    """The branches the user reads as its unit's former ones (re-attached since) that are not under its
    communes today: counted from the branches themselves. None when there are none to look for."""
    if user.is_administrator or not user.former_branch_ids(outside_only=True):
        return None
    unit = _unit_lookup(user)
    return Branch.objects.filter(pk__in=BranchAttachment.objects.filter(**unit).values("branch")).exclude(
        **unit
    )


def _unit_lookup(user) -> dict:
    """The user's unit as a lookup: the same names it on an attachment (its commune then) and on a branch
    (its commune now)."""
    if user.is_provincial_staff:
        return {"commune__province__in": user.scope_province_ids()}
    if user.is_district_officer:
        return {"commune__district": user.district_id}
    return {"commune": user.commune_id}


FORMER_FIELDS = ("commune", "commune__district", "commune__province")
#: for a unit that has ended, its branches' commune, district and province on its last day (the
#: attachment, else the commune they are still under), read as today's field by
#: `unit_counts(as_on_end=True)`: Trà Vinh's row of the provinces counts them under Trà Vinh, as its
#: districts' rows and its first screen do, not under Vĩnh Long
AS_ON_END = {
    "commune": "was_commune",
    "commune__district": "was_district",
    "commune__province": "was_province",
}
#: the measures of `unit_counts(as_on_end=True)` for an ended unit, as its rows keep them beside today's
ON_END = {"branches": "end_branches", "members": "end_members"}


def active_on(day) -> Q:
    """Branches active on `day`, whatever became of them since: founded by then, and either still active
    or ended that day or later (a branch merged or split in 2026 was active on 30/06/2025). A branch made
    inactive without an end day is counted nowhere, as its day is not known."""
    return (Q(is_active=True, ended_on__isnull=True) | Q(ended_on__gte=day)) & (
        Q(founded_on__isnull=True) | Q(founded_on__lte=day)
    )


def _former_rows(user) -> list[dict]:
    """The active former branches outside the user's communes, summed per commune they belong to today (its
    district and province beside it) as the counters are (`_columns`): read once per request (cached on
    the user, as `former_branch_ids` is), as a page sums them several ways (totals, per unit, vacancies).

    For a unit that has ended (a Huyện đoàn, the staff of old Tỉnh đoàn Trà Vinh) its rows
    (`_ended_unit_rows`) also sum every branch the unit had that was active on its last day (`active_on`,
    those ended since included), per the commune, district and province they were under that day
    (`AS_ON_END`), as `ON_END`: what its table of units counts. The counters cannot say it: they count the
    branches active today."""
    if not hasattr(user, "_former_counted"):
        ended = None if user.is_administrator else user.unit_ended_on
        rows = []
        if ended is not None:
            rows = _ended_unit_rows(user, ended)
        elif (extra := _former_outside(user)) is not None:
            branches, columns = _columns(extra.active())
            # The measures only: the secretaries column would test each branch for one a second time.
            measures = {name: columns[name] for name in MEASURES}
            rows = list(branches.order_by().values(*FORMER_FIELDS).annotate(**measures))
        user._former_counted = rows
    return user._former_counted


def _ended_unit_rows(user, ended) -> list[dict]:
    """`_former_rows` of a unit that ended on `ended`: each branch it had (under its communes today, or
    attached to one of them then) read once with its flags, and summed here per its units today and
    on that day: three indexed reads of the unit's own rows (~1,000 for Trà Vinh), where one grouped query
    looking up each branch's attachment in it read every branch of the country (40–90 ms)."""
    unit = _unit_lookup(user)
    had = BranchAttachment.objects.filter(**unit)
    # The commune, district and province each branch was under on the unit's last day: its latest
    # attachment to the unit (a current one, without an end, before any ended one).
    was = {}
    attachments = had.order_by("branch", F("ended_on").asc(nulls_last=True)).values_list(
        "branch", "commune", "commune__district", "commune__province"
    )
    for branch, *units in attachments:
        was[branch] = units
    ids = Branch.objects.filter(**unit).order_by().values("pk")
    branches = Branch.objects.filter(pk__in=ids.union(had.order_by().values("branch"), all=True))
    branches = branches.filter(active_on(ended) | Q(is_active=True, ended_on__isnull=True))
    flag = functools.partial(ExpressionWrapper, output_field=BooleanField())
    flags = {
        # Today's measures only for those outside the unit's communes (the counters hold the others).
        "counted_today": flag(Q(is_active=True, ended_on__isnull=True) & ~Q(**unit)),
        "counted_on_end": flag(active_on(ended)),
    }
    # Which have a secretary, asked apart: as a column of the rows above PostgreSQL hashed every current
    # secretary of the country first (~40 ms), as a filter it looks up each of these branches.
    with_secretary = (
        set()
        if _has_secretary is None
        else set(branches.filter(_has_secretary()).values_list("pk", flat=True))
    )
    sums: dict[tuple, list] = {}
    rows = branches.order_by().annotate(**flags)
    for pk, *today, members, counted_today, counted_on_end in rows.values_list(
        "pk", *FORMER_FIELDS, "member_count", *flags
    ):
        # Each unit of that day, else (no attachment, or one without a district) the unit of today.
        then = [
            now if unit_then is None else unit_then
            for now, unit_then in zip(today, was.get(pk, today), strict=True)
        ]
        summed = sums.get(key := (*today, *then))
        if summed is None:
            # Today's branches, members and vacancies; on the last day, its branches and members.
            summed = sums[key] = [0] * 5
        if counted_today:
            summed[0] += 1
            summed[1] += members or 0
            summed[2] += pk not in with_secretary
        if counted_on_end:
            summed[3] += 1
            summed[4] += members or 0
    names = (*FORMER_FIELDS, *AS_ON_END.values(), *MEASURES, *ON_END.values())
    return [dict(zip(names, (*key, *measures), strict=True)) for key, measures in sums.items()]


def _wanted(within: dict) -> dict[str, set]:
    """`within` ("<field>__in": ids) as each field's set of wanted ids."""
    wanted = {}
    for lookup, values in within.items():
        field, _sep, test = lookup.rpartition("__")
        if test != "in" or field not in FORMER_FIELDS:
            raise ValueError(f"unit_counts: unsupported filter {lookup!r}")
        wanted[field] = set(values)
    return wanted


def _within(row: dict, wanted: dict[str, set]) -> bool:
    # As SQL's IN: no unit (a commune of today has no district) is never among the wanted ones.
    return all(row[field] is not None and row[field] in ids for field, ids in wanted.items())


def _commune_rows(user) -> list[dict]:
    """The counters of each commune the user may see that has branches, with its district and province:
    read once per request (cached on the user, as `_former_rows`), as the first screen sums them three
    ways (the headline totals, the table of units, the vacancies). Not for the administrator: the country's
    communes are summed by the database."""
    if not hasattr(user, "_commune_counted"):
        counters = CommuneCounter.objects.visible_to(user).filter(branches__gt=0).order_by()
        user._commune_counted = list(counters.values(*FORMER_FIELDS, *MEASURES))
    return user._commune_counted


def _grouped_row(row: dict, fields: list[str]) -> dict:
    """A kept row (a commune's counters, or its former branches' sums) as a row of `unit_counts`."""
    return {**{field: row[field] for field in fields}, **{name: row[name] for name in MEASURES}}


def unit_counts(
    *, user, fields: list[str], within: dict | None = None, as_on_end: bool = False
) -> list[dict]:
    """Active branches, members and vacancies of the branches the user may see, grouped by `fields`
    (lookups from a branch through its commune: "commune", "commune__district", "commune__province"; none
    for the total), of the communes `within` names ("<one of those>__in": ids) if given. Rows may repeat
    a key (counters, then former branches): callers add them up.

    `as_on_end`: for a user whose unit has ended, its former branches are grouped under the commune,
    district and province they belonged to on its last day, as the table of its own units counts them
    (Huyện đoàn Tiểu Cần's communes, each with the branches it had; Trà Vinh's row of the provinces), not
    under today's communes."""
    within = within or {}
    wanted = _wanted(within)
    if as_on_end and not user.is_administrator and user.unit_ended_on is not None:
        # Every branch the unit had that was active on its last day, by its units that day (`_former_rows`).
        rows = []
        for row in _former_rows(user):
            row = {
                **{field: row[was] for field, was in AS_ON_END.items()},
                **{name: row.get(ON_END.get(name)) for name in MEASURES},
            }
            if row["branches"] and _within(row, wanted):
                rows.append(_grouped_row(row, fields))
        for row in rows:
            for name in MEASURES:
                row[name] = row[name] or 0
        return rows
    if not user.is_administrator and (not within or hasattr(user, "_commune_counted")):
        rows = [_grouped_row(row, fields) for row in _commune_rows(user) if _within(row, wanted)]
    else:
        counters = CommuneCounter.objects.visible_to(user).filter(branches__gt=0, **within).order_by()
        sums = {name: Sum(name) for name in MEASURES}
        rows = list(counters.values(*fields).annotate(**sums)) if fields else [counters.aggregate(**sums)]
    # (An ended unit's rows also hold the branches it had on its last day: those with none today are left.)
    rows += [
        _grouped_row(row, fields) for row in _former_rows(user) if row["branches"] and _within(row, wanted)
    ]
    for row in rows:
        for name in MEASURES:
            row[name] = row[name] or 0
    return rows
