"""Writes to branches. Each is atomic; history (who, when, what) is kept by django-simple-history."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Count, Q

from core.versioning import check_version

from .models import Branch, BranchAttachment, Commune, CommuneSuccession


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


@dataclass(frozen=True)
class Reattachment:
    moved: int  # branches now under their new commune
    split: int  # branches of an old commune split across several new ones: left for the work list
    clashing: int  # branches whose name the new commune already has: left for a merge decision


@transaction.atomic
def branches_reattach(*, on: date) -> Reattachment:
    """Re-attach, on the day of a reform, the active branches of every commune that ended the day before
    and went whole into exactly one new commune (its lineage's single, not partly, successor). The old
    commune is kept as a dated `BranchAttachment` row and in the branch's history, so records stored with
    the units of their time keep them. Idempotent: a re-run finds nothing left to move."""
    last_day = on - timedelta(days=1)
    successions = CommuneSuccession.objects.filter(predecessor__ended_on=last_day, on=on)
    whole = (
        successions.values("predecessor")
        .annotate(n=Count("pk"), partly=Count("pk", filter=Q(partly=True)))
        .filter(n=1, partly=0)
        .values("predecessor")
    )
    successor_of = dict(successions.filter(predecessor__in=whole).values_list("predecessor", "successor"))
    ended = Branch.objects.filter(commune__ended_on=last_day, is_active=True)
    moved = clashing = 0
    taken = set(
        Branch.objects.filter(commune__in=set(successor_of.values())).values_list("commune", "name_key")
    )
    for branch in ended.filter(commune__in=list(successor_of)).order_by("pk"):
        new_commune = successor_of[branch.commune_id]
        if (new_commune, branch.name_key) in taken:
            clashing += 1
            continue
        BranchAttachment.objects.create(branch=branch, commune_id=branch.commune_id, ended_on=last_day)
        branch.commune_id = new_commune
        branch._change_reason = f"re-attached on {on:%d/%m/%Y}"
        branch.save()
        taken.add((new_commune, branch.name_key))
        moved += 1
    split = (
        ended.exclude(commune__in=list(successor_of))
        .filter(commune__successions__isnull=False)
        .distinct()
        .count()
    )
    return Reattachment(moved=moved, split=split, clashing=clashing)
