"""Writes to branches. Each is atomic; history (who, when, what) is kept by django-simple-history."""

from datetime import date

from django.db import transaction

from core.versioning import check_version

from .models import Branch, Commune


@transaction.atomic
def branch_create(
    *, commune: Commune, name: str, kind: str, member_count: int = 0, founded_on: date | None = None
) -> Branch:
    branch = Branch(commune=commune, name=name, kind=kind, member_count=member_count, founded_on=founded_on)
    branch.save()
    return branch


@transaction.atomic
def branch_update(*, branch: Branch, version: int | None = None, **fields) -> Branch:
    """`version`: the one the form was loaded from; a stale one is refused (core.versioning.StaleEdit)."""
    check_version(branch, version=version)
    editable = {"commune", "name", "kind", "member_count", "founded_on"}
    unknown = set(fields) - editable
    if unknown:
        raise TypeError(f"branch_update cannot change {sorted(unknown)}")
    for field, value in fields.items():
        setattr(branch, field, value)
    branch.save()
    return branch


@transaction.atomic
def branch_deactivate(*, branch: Branch) -> Branch:
    """A branch that stopped working is kept, marked inactive, with its history; it is never deleted here."""
    branch.is_active = False
    branch.save(update_fields=["is_active", "updated_at"])
    return branch


@transaction.atomic
def branch_reactivate(*, branch: Branch) -> Branch:
    branch.is_active = True
    branch.save(update_fields=["is_active", "updated_at"])
    return branch
