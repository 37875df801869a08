"""Writes to branches. Each is atomic; history (who, when, what) is kept by django-simple-history."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core import aggregates
from core.text import fold, normalize_name
from core.validators import validate_not_in_future
from core.versioning import check_version

from .models import Branch, BranchAttachment, BranchSuccession, Commune, CommuneSuccession
from .selectors import whole_successors

# The reasons these services write in a branch's history, with the day: stored as text in the writer's
# language, shown in the reader's (core.history.register_reason, in BranchesConfig.ready()).
REATTACHED = gettext_noop("re-attached to its new commune on %(date)s")
MERGED = gettext_noop("merged on %(date)s")
SPLIT = gettext_noop("split on %(date)s")
DATED_REASONS = (REATTACHED, MERGED, SPLIT)


def _day(value: date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


def ended_branch_refusal(branch: Branch) -> str:
    """Why a branch ended by a merge or split is no longer changed (its members went to its successors),
    in the import's words (branches.imports)."""
    return _("%(branch)s ceased on %(date)s (merged or split): it no longer changes.") % {
        "branch": branch.name,
        "date": _day(branch.ended_on),
    }


def check_not_ended(branch: Branch) -> None:
    if branch.ended_on is not None:
        raise ValidationError(ended_branch_refusal(branch), code="branch_ended")


@transaction.atomic
def branch_create(
    *, commune: Commune, name: str, kind: str, member_count: int = 0, founded_on: date | None = None
) -> Branch:
    branch = Branch(commune=commune, name=name, kind=kind, member_count=member_count, founded_on=founded_on)
    branch.save()
    return branch


def founded_after_term(first_term_on: date) -> ValidationError:
    """A branch was founded by the day its earliest term began (the form's and the import's rule)."""
    return ValidationError(
        _("The branch's earliest term began on %(date)s: it was founded on that day or before.")
        % {"date": _day(first_term_on)},
        code="founded_after_term",
    )


def first_term_on(branch: Branch) -> date | None:
    """The day the branch's earliest term (secretary or deputy) began, if it has any."""
    if branch.pk is None:
        return None
    return branch.terms.order_by("started_on").values_list("started_on", flat=True).first()


@transaction.atomic
def branch_update(*, branch: Branch, version: int | None = None, **fields) -> Branch:
    """`version`: the one the form was loaded from; a stale one is refused (core.versioning.StaleEdit)."""
    check_not_ended(branch)
    check_version(branch, version=version)
    editable = {"commune", "name", "kind", "member_count", "founded_on"}
    unknown = set(fields) - editable
    if unknown:
        raise TypeError(f"branch_update cannot change {sorted(unknown)}")
    founded = fields.get("founded_on")
    stored = Branch.objects.filter(pk=branch.pk).values_list("founded_on", flat=True).first()
    # Checked when it changes: an edit of the member count is not refused for a date recorded earlier.
    if founded not in (None, stored) and (first := first_term_on(branch)) is not None and founded > first:
        raise ValidationError({"founded_on": founded_after_term(first)})
    was = Branch.objects.filter(pk=branch.pk).values_list("commune", flat=True).first()
    for field, value in fields.items():
        setattr(branch, field, value)
    branch.save()
    if was is not None and was != branch.commune_id:
        aggregates.branches_moved(communes={was, branch.commune_id})
    return branch


@transaction.atomic
def branch_deactivate(*, branch: Branch) -> Branch:
    """A branch that stopped working is kept, marked inactive, with its history; it is never deleted here."""
    check_not_ended(branch)
    branch.is_active = False
    branch.save(update_fields=["is_active", "updated_at"])
    return branch


@transaction.atomic
def branch_reactivate(*, branch: Branch) -> Branch:
    if branch.ended_on is not None:
        raise ValidationError(
            _("%(branch)s ceased on %(date)s (merged or split): it cannot be active again.")
            % {"branch": branch.name, "date": _day(branch.ended_on)},
            code="branch_ended",
        )
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
    successor_of = whole_successors(on=on)
    ended = Branch.objects.filter(commune__ended_on=last_day, is_active=True)
    moved = clashing = 0
    moved_between: set[int] = set()  # the communes that lost or gained branches
    taken = set(
        Branch.objects.filter(commune__in=set(successor_of.values())).values_list("commune", "name_key")
    )
    for branch in ended.filter(commune__in=list(successor_of)).order_by("pk"):
        new_commune = successor_of[branch.commune_id]
        if (new_commune, branch.name_key) in taken:
            clashing += 1
            continue
        moved_between.update((branch.commune_id, new_commune))
        _move(branch, new_commune, on=on)
        taken.add((new_commune, branch.name_key))
        moved += 1
    aggregates.branches_moved(communes=moved_between)
    split = (
        ended.exclude(commune__in=list(successor_of))
        .filter(commune__successions__isnull=False)
        .distinct()
        .count()
    )
    return Reattachment(moved=moved, split=split, clashing=clashing)


def _move(branch: Branch, commune_id: int, *, on: date) -> None:
    """Re-attach `branch` to `commune_id` from `on`; its commune until the day before stays as a dated row."""
    BranchAttachment.objects.create(
        branch=branch, commune_id=branch.commune_id, ended_on=on - timedelta(days=1)
    )
    branch.commune_id = commune_id
    branch._change_reason = _(REATTACHED) % {"date": date_format(on, "SHORT_DATE_FORMAT")}
    branch.save()


@transaction.atomic
def branches_attach_to_new_communes(
    *,
    choices: list[tuple[Branch, Commune]],
    on: date,
    user,
    names: dict[int, str] | None = None,
    check_only: bool = False,
) -> int:
    """Re-attach each waiting branch to the new commune chosen for it, from `on` (by default the reform's
    day), as the reform's load does for whole communes. All or nothing: one refused choice (a commune
    that is not among its old commune's successors, a name the new commune already has, a branch no longer
    waiting) refuses the whole batch, with every reason. `names` renames branches (by pk) as they move, for
    a name the new commune has already (two "Ấp Chợ" of two old communes). The caller loads branches and
    communes through the user's scope; `user` may not record after its own unit ended. `check_only`: the
    same refusals, nothing moved (the review step, so that the confirmation is not refused)."""
    names = names or {}
    if not choices:
        raise ValidationError(_("Choose a new commune for at least one branch."), code="nothing_chosen")
    user.check_may_record_on(on)
    validate_not_in_future(on)
    ids = [branch.pk for branch, _commune in choices]
    if len(set(ids)) != len(ids):
        raise ValidationError(_("A branch was chosen twice."), code="duplicate")
    locked = {
        b.pk: b for b in Branch.objects.select_for_update().filter(pk__in=ids).select_related("commune")
    }
    successors: dict[int, set[int]] = {}
    for predecessor, successor in CommuneSuccession.objects.filter(
        predecessor__in={b.commune_id for b in locked.values()}, successor__ended_on__isnull=True
    ).values_list("predecessor", "successor"):
        successors.setdefault(predecessor, set()).add(successor)
    waiting = set(Branch.objects.waiting().filter(pk__in=ids).values_list("pk", flat=True))
    taken = set(
        Branch.objects.filter(commune__in={c.pk for _b, c in choices}).values_list("commune", "name_key")
    )
    errors = []
    moved_between: set[int] = set()  # the communes that lost or gained branches
    for branch, commune in choices:
        branch = locked[branch.pk]
        new_name = normalize_name(names.get(branch.pk) or "")
        key = fold(new_name) if new_name else branch.name_key
        if branch.pk not in waiting:
            errors.append(_("%(branch)s is not waiting for a new commune.") % {"branch": branch.name})
        elif commune.pk not in successors.get(branch.commune_id, set()):
            errors.append(
                _("%(commune)s is not among the communes %(old)s went into.")
                % {"commune": commune.name, "old": branch.commune.name}
            )
        elif commune.began_on and on < commune.began_on:
            errors.append(
                _("%(commune)s began on %(date)s: a branch cannot join it earlier.")
                % {"commune": commune.name, "date": _day(commune.began_on)}
            )
        elif on <= branch.commune.ended_on:
            errors.append(
                _("%(old)s existed until %(date)s: the new commune takes the branch after that day.")
                % {"old": branch.commune.name, "date": _day(branch.commune.ended_on)}
            )
        elif (commune.pk, key) in taken:
            errors.append(
                _("%(commune)s already has a branch named “%(branch)s”: give the one of %(old)s a new name.")
                % {"commune": commune.name, "branch": new_name or branch.name, "old": branch.commune.name}
            )
        else:
            taken.add((commune.pk, key))
            if check_only:
                continue
            if new_name:
                branch.name = new_name
            moved_between.update((branch.commune_id, commune.pk))
            _move(branch, commune.pk, on=on)
    if errors:
        raise ValidationError(errors, code="refused")
    if check_only:
        return len(choices)
    aggregates.branches_moved(communes=moved_between)
    return len(choices)


# Hamlets re-arranged (from 2026): merges and splits of branches within a commune. The terms of the
# branches that end are the secretaries app's (secretaries.services.branches_merge_with_terms calls these).


def _check_may_end(branch: Branch, *, on: date) -> None:
    if branch.ended_on is not None:
        raise ValidationError(
            _("%(branch)s already ceased on %(date)s.")
            % {"branch": branch.name, "date": _day(branch.ended_on)},
            code="branch_ended",
        )
    if branch.founded_on and on <= branch.founded_on:
        raise ValidationError(
            _("%(branch)s was founded on %(date)s: choose a later date.")
            % {"branch": branch.name, "date": _day(branch.founded_on)},
            code="before_founded",
        )
    # Its lineage stays in order: it cannot end before the day another branch joined it.
    joined = branch.origins.filter(on__gte=on).order_by("-on").values_list("on", flat=True)
    if latest := joined.first():
        raise ValidationError(
            _("%(branch)s took in another branch on %(date)s: choose a later day.")
            % {"branch": branch.name, "date": _day(latest)},
            code="before_lineage",
        )
    commune = branch.commune
    if commune.ended_on is not None and on > commune.ended_on:
        raise ValidationError(
            _("%(commune)s ceased on %(date)s: re-attach its branches to a new commune first.")
            % {"commune": commune.name, "date": _day(commune.ended_on)},
            code="commune_ended",
        )
    if commune.began_on and on < commune.began_on:
        raise ValidationError(
            _("%(commune)s began on %(date)s: choose that day or later.")
            % {"commune": commune.name, "date": _day(commune.began_on)},
            code="before_commune",
        )


def _end(branch: Branch, *, on: date, reason: str) -> None:
    branch.ended_on = on - timedelta(days=1)
    branch.is_active = False
    branch._change_reason = reason
    branch.save()


def _new_branch(*, commune: Commune, name: str, kind: str, member_count: int, on: date) -> Branch:
    name = normalize_name(name or "")
    if not fold(name):
        raise ValidationError(_("Give the new branch a name."), code="name_missing")
    if Branch.objects.filter(commune=commune, name_key=fold(name)).exists():
        raise ValidationError(
            _("%(commune)s already has a branch named “%(name)s”.") % {"commune": commune.name, "name": name},
            code="name_taken",
        )
    return branch_create(commune=commune, name=name, kind=kind, member_count=member_count, founded_on=on)


@dataclass(frozen=True)
class Merge:
    merged: Branch  # the branch that continues, or the one created
    ended: list[Branch]


@transaction.atomic
def branches_merge(
    *,
    branches: list[Branch],
    on: date,
    user,
    survivor: Branch | None = None,
    new_name: str = "",
    new_kind: str = Branch.Kind.HAMLET,
) -> Merge:
    """Merge two or more branches of one commune on `on`: `survivor` (one of them) continues, or a new
    branch `new_name` is created (founded on `on`). The others end the day before, marked inactive; the
    merged branch's member count is the sum; a merge row per ended branch records its successor."""
    locked = list(
        Branch.objects.select_for_update().filter(pk__in=[b.pk for b in branches]).select_related("commune")
    )
    if len(locked) < 2:
        raise ValidationError(_("Choose at least two branches to merge."), code="too_few")
    if len({b.commune_id for b in locked}) > 1:
        raise ValidationError(_("Only branches of one commune can be merged."), code="communes_differ")
    user.check_may_record_on(on)
    validate_not_in_future(on)
    for branch in locked:
        _check_may_end(branch, on=on)
    total = sum(b.member_count for b in locked)
    reason = _(MERGED) % {"date": date_format(on, "SHORT_DATE_FORMAT")}
    if survivor is not None:
        merged = next((b for b in locked if b.pk == survivor.pk), None)
        if merged is None:
            raise ValidationError(
                _("The branch that continues must be one of those merged."), code="survivor_outside"
            )
        ended = [b for b in locked if b.pk != merged.pk]
    else:
        ended = locked
    for branch in ended:
        _end(branch, on=on, reason=reason)
    if survivor is None:
        merged = _new_branch(
            commune=locked[0].commune, name=new_name, kind=new_kind, member_count=total, on=on
        )
    else:
        merged.member_count = total
        merged._change_reason = reason
        merged.save()
    BranchSuccession.objects.bulk_create(
        BranchSuccession(predecessor=b, successor=merged, on=on, kind=BranchSuccession.Kind.MERGE)
        for b in ended
    )
    return Merge(merged=merged, ended=ended)


@dataclass(frozen=True)
class SplitPart:
    name: str
    kind: str
    member_count: int


@transaction.atomic
def branch_split(*, branch: Branch, parts: list[SplitPart], on: date, user) -> list[Branch]:
    """Split `branch` into two or more new branches of its commune on `on`: they are created (founded on
    `on`, with the member counts given, which must add up to the branch's), the branch ends the day
    before and a split row per new branch records the lineage."""
    branch = Branch.objects.select_for_update().select_related("commune").get(pk=branch.pk)
    if len(parts) < 2:
        raise ValidationError(_("A branch splits into at least two new branches."), code="too_few")
    user.check_may_record_on(on)
    validate_not_in_future(on)
    _check_may_end(branch, on=on)
    if len({fold(normalize_name(p.name)) for p in parts}) < len(parts):
        raise ValidationError(_("The new branches need different names."), code="names_repeat")
    total = sum(p.member_count for p in parts)
    if total != branch.member_count:
        raise ValidationError(
            _("The new branches' member counts add up to %(total)s; %(branch)s has %(count)s.")
            % {"total": total, "branch": branch.name, "count": branch.member_count},
            code="members_differ",
        )
    _end(branch, on=on, reason=_(SPLIT) % {"date": date_format(on, "SHORT_DATE_FORMAT")})
    created = [
        _new_branch(commune=branch.commune, name=p.name, kind=p.kind, member_count=p.member_count, on=on)
        for p in parts
    ]
    BranchSuccession.objects.bulk_create(
        BranchSuccession(predecessor=branch, successor=new, on=on, kind=BranchSuccession.Kind.SPLIT)
        for new in created
    )
    return created
