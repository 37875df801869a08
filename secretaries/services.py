"""Writes to people and terms. Each is atomic; django-simple-history records who changed what."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from branches import services as branch_services
from branches.models import Branch
from core.versioning import StaleEdit, check_version, saved_by

from .models import (
    Person,
    Term,
    check_expected_end,
    check_started_after_founding,
    held_until_error,
    secretary_overlap_error,
)
from .portraits import ProcessedImage

# The reasons for ending a term these services write: stored as text in the writer's language, shown in the
# reader's (core.history.register_reason and register_reason_field, in SecretariesConfig.ready()).
REPLACED = gettext_noop("Replaced by %(person)s")
BRANCH_MERGED = gettext_noop("Branch merged on %(date)s")
BRANCH_SPLIT = gettext_noop("Branch split on %(date)s")
END_REASONS = (REPLACED, BRANCH_MERGED, BRANCH_SPLIT)


def _date(value: datetime.date) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT")


class ReplacementNotConfirmed(ValidationError):
    """The branch has a current secretary; appointing another one must be confirmed first."""

    def __init__(self, current: Term):
        self.current = current
        super().__init__(
            _("%(branch)s already has a secretary, %(person)s.")
            % {"branch": current.branch.name, "person": current.person.full_name},
            code="replacement_not_confirmed",
        )


class AlreadySecretary(ValidationError):
    """The person is already the branch's current secretary (`term`): a re-election or a later end of that
    term is recorded on its "Re-elect or extend the term" page, not by appointing them again."""

    def __init__(self, term: Term):
        self.term = term
        super().__init__(
            _(
                "%(person)s is already the secretary of %(branch)s. A re-election or a later end of the term "
                "is recorded on “Re-elect or extend the term”."
            )
            % {"person": term.person.full_name, "branch": term.branch.name},
            code="already_secretary",
        )


def _store_portrait(person: Person, portrait: ProcessedImage) -> None:
    old = [f.name for f in (person.portrait, person.portrait_thumbnail) if f]
    person.portrait.save(portrait.image.name, portrait.image, save=False)
    person.portrait_thumbnail.save(portrait.thumbnail.name, portrait.thumbnail, save=False)
    # Remove the replaced files only once the new record is committed.
    storage = person.portrait.storage
    transaction.on_commit(lambda: [storage.delete(name) for name in old])


@transaction.atomic
def person_create(
    *,
    branch: Branch,
    role: str,
    started_on: datetime.date,
    expected_end_on: datetime.date | None = None,
    replace_current: bool = False,
    portrait: ProcessedImage | None = None,
    user=None,
    **fields,
) -> Person:
    """A new person and their appointment to `branch`, together or not at all."""
    if user is not None:
        user.check_may_record_on(started_on)  # before any file is stored
    person = Person(**fields, province_id=branch.commune.province_id, district_id=branch.commune.district_id)
    if portrait is not None:
        _store_portrait(person, portrait)
    try:
        person.save()
        term_appoint(
            person=person,
            branch=branch,
            role=role,
            started_on=started_on,
            expected_end_on=expected_end_on,
            replace_current=replace_current,
            user=user,
        )
    except Exception:
        # Nothing half-written: the rows roll back, and the files just stored go too.
        for stored in (person.portrait, person.portrait_thumbnail):
            if stored:
                stored.storage.delete(stored.name)
        raise
    return person


@transaction.atomic
def person_update(
    *, person: Person, portrait: ProcessedImage | None = None, version: int | None = None, **fields
) -> Person:
    """`version`: the one the form was loaded from; a stale one is refused (core.versioning.StaleEdit)."""
    check_version(person, version=version)
    for name, value in fields.items():
        setattr(person, name, value)
    if portrait is not None:
        _store_portrait(person, portrait)
    person.save()
    return person


@transaction.atomic
def person_remove_portrait(*, person: Person) -> Person:
    old = [f.name for f in (person.portrait, person.portrait_thumbnail) if f]
    storage = person.portrait.storage
    person.portrait = person.portrait_thumbnail = ""
    person.save()
    transaction.on_commit(lambda: [storage.delete(name) for name in old])
    return person


def current_secretary_term(branch: Branch) -> Term | None:
    return Term.objects.current().secretaries().filter(branch=branch).select_related("person").first()


def _overlapping(person: Person, role: str, started_on: datetime.date, exclude: Term | None = None):
    """The person's term of `role` that a term from `started_on` would overlap: a current one first."""
    overlapping = Term.objects.filter(person=person, role=role).exclude(ended_on__lt=started_on)
    if exclude is not None:
        overlapping = overlapping.exclude(pk=exclude.pk)
    ordered = overlapping.order_by(F("ended_on").desc(nulls_first=True), "-started_on")
    return ordered.select_related("branch").first()


def _previous_secretary_overlapping(branch: Branch, started_on: datetime.date) -> Term | None:
    """An ended secretary's term of `branch` still running on `started_on` or later (the latest to end):
    a new secretary from `started_on` would make two at once."""
    ended = Term.objects.secretaries().filter(branch=branch, ended_on__gte=started_on)
    return ended.select_related("person", "branch").order_by("-ended_on", "-pk").first()


@transaction.atomic
def term_appoint(
    *,
    person: Person,
    branch: Branch,
    role: str,
    started_on: datetime.date,
    expected_end_on: datetime.date | None = None,
    replace_current: bool = False,
    user=None,
) -> Term:
    """Appoint `person` to `branch`. A current secretary is replaced only when `replace_current` is set:
    their term then ends the day before, in the same transaction. An account of a unit that has ended (a
    Huyện đoàn) appoints no one from a day after its end (code "unit_ended", shown by the start date)."""
    if user is not None:
        user.check_may_record_on(started_on)
    if branch.ended_on is not None:
        raise ValidationError(
            _("%(branch)s ceased on %(date)s: it takes no new terms.")
            % {"branch": branch.name, "date": _date(branch.ended_on)},
            code="branch_ended",
        )
    check_started_after_founding(branch=branch, started_on=started_on)
    if role == Term.Role.SECRETARY:
        # Lock the branch so two appointments to it cannot interleave.
        Branch.objects.select_for_update().filter(pk=branch.pk).first()
        current = current_secretary_term(branch)
        if current is not None:
            if current.person_id == person.pk:
                raise AlreadySecretary(current)
            if not replace_current:
                raise ReplacementNotConfirmed(current)
            last_day = started_on - datetime.timedelta(days=1)
            if last_day < current.started_on:
                raise ValidationError(
                    _("The new term must start after %(date)s, when %(person)s's term began.")
                    % {"date": _date(current.started_on), "person": current.person.full_name},
                    code="starts_too_early",
                )
            term_end(
                term=current,
                ended_on=last_day,
                reason=_(REPLACED) % {"person": person.full_name},
            )
        previous = _previous_secretary_overlapping(branch, started_on)
        if previous is not None:
            raise secretary_overlap_error(previous)

    clash = _overlapping(person, role, started_on)
    if clash is not None and clash.ended_on is None:
        raise ValidationError(
            _("%(person)s already holds this role in %(branch)s since %(date)s; end that term first.")
            % {"person": person.full_name, "branch": clash.branch.name, "date": _date(clash.started_on)},
            code="overlap",
        )
    if clash is not None:
        raise held_until_error(person=person.full_name, branch=clash.branch.name, ended_on=clash.ended_on)
    term = Term.objects.create(
        person=person, branch=branch, role=role, started_on=started_on, expected_end_on=expected_end_on
    )
    # The person's record is now managed by the unit of the branch they lead.
    commune = branch.commune
    if (person.province_id, person.district_id) != (commune.province_id, commune.district_id):
        person.province_id, person.district_id = commune.province_id, commune.district_id
        person.save(update_fields=["province", "district", "updated_at"])
    return term


def _check_still_current(term: Term, *, version: int | None) -> None:
    """Lock the term; one ended meanwhile is refused saying when, and who recorded it, before any stale
    edit is: the end cannot be replaced by saving again, as a stale edit's changes can."""
    current = check_version(term, version=None)
    if current.ended_on is not None:
        recorded = (
            current.history.filter(ended_on__isnull=False)
            .select_related("history_user")
            .order_by("history_date", "history_id")
            .first()
        )
        if recorded is None:
            message = _("This term already ended on %(date)s.") % {"date": _date(current.ended_on)}
        else:
            message = _(
                "This term ended on %(date)s (recorded by %(who)s at %(when)s): nothing you entered was "
                "saved."
            ) % {"date": _date(current.ended_on), **saved_by(recorded)}
        raise ValidationError(message, code="already_ended")
    if version is not None and current.version != version:
        raise StaleEdit(current, loaded_version=version)


@transaction.atomic
def term_end(*, term: Term, ended_on: datetime.date, reason: str = "", version: int | None = None) -> Term:
    _check_still_current(term, version=version)
    if ended_on < term.started_on:
        raise ValidationError(
            _("A term cannot end before it starts (%(date)s).") % {"date": _date(term.started_on)},
            code="ends_before_start",
        )
    term.ended_on = ended_on
    term.end_reason = reason
    term.save(update_fields=["ended_on", "end_reason"])
    return term


@transaction.atomic
def term_extend(
    *, term: Term, expected_end_on: datetime.date, reason: str = "", version: int | None = None
) -> Term:
    """Move a current term's expected end: re-elected at the branch congress, or the term extended or its
    date corrected. The term goes on (its start and history stay); `reason` is kept in its history."""
    _check_still_current(term, version=version)
    check_expected_end(started_on=term.started_on, expected_end_on=expected_end_on)
    term.expected_end_on = expected_end_on
    if reason:
        term._change_reason = reason
    term.save(update_fields=["expected_end_on"])
    return term


# Hamlets re-arranged: a merge or split ends branches (branches.services), and with them their terms.


def _end_terms(branches: list[Branch], *, last_day: datetime.date, reason: str, only: Term | None = None):
    """End, on `last_day`, the current terms in `branches` (or `only` that one); a term that began after
    that day cannot end then, and refuses the whole step."""
    terms = Term.objects.current().filter(branch__in=branches).select_related("branch", "person")
    for term in terms.filter(pk=only.pk) if only is not None else terms:
        if term.started_on > last_day:
            raise ValidationError(
                _("%(person)s's term in %(branch)s began on %(date)s, after the branch's last day.")
                % {
                    "person": term.person.full_name,
                    "branch": term.branch.name,
                    "date": _date(term.started_on),
                },
                code="term_after_end",
            )
        term_end(term=term, ended_on=last_day, reason=reason)


@transaction.atomic
def branches_merge_with_terms(
    *,
    branches: list[Branch],
    on: datetime.date,
    user,
    survivor: Branch | None = None,
    new_name: str = "",
    new_kind: str = Branch.Kind.HAMLET,
    secretary_from: Branch | None = None,
) -> branch_services.Merge:
    """Merge branches (branches.services.branches_merge) and settle their terms: the current terms of the
    branches that end, end the day before `on`. With `secretary_from` (one of the merged branches), its
    secretary leads the merged branch: their term goes on if it is the branch that continues, else it ends
    and a new one begins on `on` (the merged branch's own secretary, if any, ends the day before)."""
    last_day = on - datetime.timedelta(days=1)
    reason = _(BRANCH_MERGED) % {"date": _date(on)}
    if secretary_from is not None and secretary_from.pk not in {b.pk for b in branches}:
        raise ValidationError(
            _("The secretary who continues must come from one of the merged branches."),
            code="secretary_outside",
        )
    leader = current_secretary_term(secretary_from) if secretary_from is not None else None
    if secretary_from is not None and leader is None:
        raise ValidationError(
            _("%(branch)s has no current secretary to continue.") % {"branch": secretary_from.name},
            code="no_secretary",
        )
    result = branch_services.branches_merge(
        branches=branches, on=on, user=user, survivor=survivor, new_name=new_name, new_kind=new_kind
    )
    _end_terms(list(result.ended), last_day=last_day, reason=reason)
    if leader is not None and leader.branch_id != result.merged.pk:
        # The merged branch's own secretary (not its deputies) steps down for the one chosen.
        own = current_secretary_term(result.merged)
        if own is not None:
            _end_terms([result.merged], last_day=last_day, reason=reason, only=own)
        due = leader.expected_end_on
        term_appoint(
            person=leader.person,
            branch=result.merged,
            role=Term.Role.SECRETARY,
            started_on=on,
            expected_end_on=due if due and due >= on else None,
        )
    return result


@transaction.atomic
def branch_split_with_terms(
    *, branch: Branch, parts: list[branch_services.SplitPart], on: datetime.date, user
) -> list[Branch]:
    """Split a branch (branches.services.branch_split); its current terms end the day before `on`: the
    new branches appoint their own secretaries."""
    created = branch_services.branch_split(branch=branch, parts=parts, on=on, user=user)
    reason = _(BRANCH_SPLIT) % {"date": _date(on)}
    _end_terms([branch], last_day=on - datetime.timedelta(days=1), reason=reason)
    return created
