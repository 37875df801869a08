"""Every write of a commendation campaign, with its rules. Each service is atomic and refuses, with a message
that names the rule, whatever the state machine or the campaign's rules do not allow:

campaign:   draft → open → under review → decided (publishing locks it); under review → open again.
nomination: draft → submitted → approved / not approved, and back to submitted while the campaign is not
            decided; submitted → draft when the district withdraws it while nominations are open (only a
            draft's text and documents change: change_refusal); not
            approved → draft when the nominating unit takes it back to correct it while nominations are open.
commendation: made by publishing; revoked with a date and a reason, never deleted.
"""

import datetime
import logging
import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Min
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext
from simple_history.utils import bulk_create_with_history

from assessments.models import Rating
from core.security_log import security_event
from core.versioning import check_version, lock_current
from secretaries.models import Term

from .documents import check_document
from .models import (
    COMMUNE,
    DISTRICT,
    RATING_ORDER,
    Campaign,
    Commendation,
    DecisionCorrection,
    Nomination,
    NominationDocument,
    Quota,
    nominating_unit,
    rating_rank,
)
from .selectors import year_assessments

Status = Campaign.Status

# The reasons these services write in a nomination's history: stored in the writer's language, shown in
# the reader's (core.history.register_reason, in AwardsConfig.ready()).
REVISED = gettext_noop("Taken back to draft to correct it after it was not approved")
# And in a campaign's: which quotas a save changed ("Xã Hùng Hòa 2 → 1"), the units' names as they are.
QUOTAS_CHANGED = gettext_noop("Quotas: %(changes)s")
REASONS = (REVISED, QUOTAS_CHANGED)


def _date(value: datetime.date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


def _refuse(message: str, code: str):
    raise ValidationError(message, code=code)


def _require_campaign_status(campaign: Campaign, *allowed: str, action: str) -> None:
    if campaign.status not in allowed:
        _refuse(
            _("The campaign is “%(status)s”: it cannot be %(action)s now.")
            % {"status": campaign.get_status_display(), "action": action},
            "campaign_status",
        )


# Campaigns ------------------------------------------------------------------------------------------------


def quota_field(unit) -> str:
    """The name a unit's quota goes by in the forms, and in a refusal next to it."""
    return f"quota_{unit.pk}"


def _quotas_write(campaign: Campaign, quotas: dict, *, default_before: int) -> None:
    """{district or commune: quota or None} of the campaign's level: an override where it differs from the
    default, none where it is empty or equal to the default (`default_before`: the default as stored, the
    campaign carrying the one being saved). Refused (nothing written: the caller's
    transaction) where a unit would be left with a quota below the nominations it has submitted or that
    were approved: the places are taken, and the decision would publish over the quota."""
    level = campaign.level
    before = dict(campaign.quotas.values_list(level, "quota"))
    for unit, quota in quotas.items():
        if unit._meta.model_name != level or unit.province_id != campaign.province_id:
            if level == COMMUNE:
                _refuse(_("The commune is not in that province."), "unit_outside_province")
            _refuse(_("The district is not in that province."), "district_outside_province")
        if quota is None or quota == campaign.default_quota:
            Quota.objects.filter(campaign=campaign, **{level: unit}).delete()
        else:
            Quota.objects.update_or_create(campaign=campaign, **{level: unit}, defaults={"quota": quota})
    _check_quotas_hold(campaign, written=quotas, before=before, default_before=default_before)


def _check_quotas_hold(campaign: Campaign, *, written: dict, before: dict, default_before: int) -> None:
    """Every quota this save changes (a unit's override, or the default of the units without one: `before`
    and `default_before` are what was stored) holds the places the unit's nominations take; a quota left as
    it was is not checked again (a unit over it after a change of decision does not block another unit's
    save: publishing refuses it, campaign_publish_check). A refusal goes next to the unit's quota when the
    form has it, next to the default quota otherwise."""
    level = campaign.level
    taken = (
        campaign.nominations.filter(status__in=Nomination.QUOTA_STATUSES)
        .order_by()
        .values(level)
        .annotate(n=Count("pk"))
    )
    overrides = dict(campaign.quotas.values_list(level, "quota"))
    fields = {unit.pk: quota_field(unit) for unit in written}
    names = {unit.pk: unit.name for unit in written}
    problems = {}
    for row in taken:
        unit_id, count = row[level], row["n"]
        quota = overrides.get(unit_id, campaign.default_quota)
        if quota >= count or quota == before.get(unit_id, default_before):
            continue
        field = fields.get(unit_id, "default_quota")
        name = names.get(unit_id) or str(campaign.nominations.filter(**{level: unit_id}).first().unit)
        problems.setdefault(field, []).append(
            ValidationError(
                ngettext(
                    "%(unit)s already has %(count)s nomination submitted or approved: its quota cannot be "
                    "lower.",
                    "%(unit)s already has %(count)s nominations submitted or approved: its quota cannot be "
                    "lower.",
                    count,
                )
                % {"unit": name, "count": count},
                code="quota_below_used",
            )
        )
    if problems:
        raise ValidationError(problems)


def deadline_problem(
    *, status: str, closes_on: datetime.date | None, before: datetime.date | None = None, today=None
) -> ValidationError | None:
    """Why a campaign of `status` cannot close nominations on `closes_on` (None: it can). A campaign that
    is to take nominations (created, a draft, open, or being opened) closes today or later: with its
    deadline passed it would be open in name and take none. A deadline left as it was (`before`, the
    stored one) is not checked again: a draft whose day has passed keeps it until opening is refused."""
    today = today or timezone.localdate()
    if closes_on is None or closes_on >= today or closes_on == before:
        return None
    if status not in (Status.DRAFT, Status.OPEN):
        return None
    if status == Status.OPEN and before is not None:
        # Closing an open campaign is its own step, with its confirmation.
        return ValidationError(
            _("This day has passed. To stop nominations now, close the campaign from its page."),
            code="deadline_passed",
        )
    return ValidationError(
        _("The deadline %(date)s has passed (today is %(today)s): nominations must close today or later.")
        % {"date": _date(closes_on), "today": _date(today)},
        code="deadline_passed",
    )


def opens_problem(stored: Campaign, opens_on: datetime.date | None, today=None) -> ValidationError | None:
    """Why a campaign's first day of nominations cannot move to `opens_on` (None: it can). Once open (or
    under review), it does not move past a nomination already sent, nor, the window having begun, past
    today: units were told nominations are received, and a later first day would say otherwise."""
    today = today or timezone.localdate()
    if (
        not stored.pk
        or opens_on is None
        or opens_on <= stored.opens_on
        or stored.status not in (Status.OPEN, Status.REVIEW)
    ):
        return None
    first_sent = stored.nominations.aggregate(first=Min("submitted_at"))["first"]
    if first_sent is not None and opens_on > timezone.localdate(first_sent):
        return ValidationError(
            _("A nomination was sent on %(date)s: nominations cannot open after that day.")
            % {"date": _date(timezone.localdate(first_sent))},
            code="opens_after_sent",
        )
    if stored.opens_on <= today < opens_on:
        return ValidationError(
            _(
                "Nominations have been received since %(date)s: their first day cannot move past today "
                "(%(today)s)."
            )
            % {"date": _date(stored.opens_on), "today": _date(today)},
            code="opens_after_today",
        )
    return None


@transaction.atomic
def campaign_save(*, campaign: Campaign, quotas: dict, user, version: int | None = None) -> Campaign:
    """Create or change a campaign and its quota overrides per nominating unit ({district or commune: quota
    or None}). A decided campaign is locked; a stale `version` (the one the form was loaded from) is
    refused, and so is a deadline already passed (deadline_problem)."""
    default_before = campaign.default_quota
    if campaign.pk:
        stored = check_version(campaign, version=version)
        if stored.is_decided:
            _refuse(_("The decision is published: the campaign is locked."), "campaign_locked")
        default_before = stored.default_quota
        campaign._change_reason = _quota_changes(campaign, quotas, default_before=default_before)
        problem = opens_problem(stored, campaign.opens_on)
        if problem:
            raise ValidationError({"opens_on": problem})
        problem = deadline_problem(
            status=stored.status, closes_on=campaign.closes_on, before=stored.closes_on
        )
    else:
        # An ended Tỉnh đoàn (Trà Vinh, to 30/06/2025) records no campaign opened after its end.
        _check_may_record(user, campaign.opens_on, field="opens_on")
        campaign.created_by = user
        problem = deadline_problem(status=campaign.status, closes_on=campaign.closes_on)
    if problem:
        raise ValidationError({"closes_on": problem})
    campaign.full_clean(exclude=["status"])
    campaign.save()
    _quotas_write(campaign, quotas, default_before=default_before)
    return campaign


@transaction.atomic
def campaign_quotas_save(*, campaign: Campaign, quotas: dict, user, version: int | None = None) -> Campaign:
    """Change some of a campaign's quota overrides (a page of the quota page: {commune: quota or None}) and
    nothing else. The campaign's version moves on, so a page loaded before (or the campaign form) is refused
    as stale rather than silently undoing these."""
    stored = check_version(campaign, version=version)
    if stored.is_decided:
        _refuse(_("The decision is published: the campaign is locked."), "campaign_locked")
    _check_may_record(user, timezone.localdate())
    stored._change_reason = _quota_changes(stored, quotas, default_before=stored.default_quota)
    _quotas_write(stored, quotas, default_before=stored.default_quota)
    stored.save(update_fields=["updated_at"])
    return stored


def _quota_changes(campaign: Campaign, quotas: dict, *, default_before: int) -> str:
    """What a save changes in the quotas, for the campaign's history ("Chỉ tiêu: Xã Hùng Hòa 2 → 1"): the
    quotas are rows of their own, and the campaign's record would otherwise say "changed" and nothing.
    `default_before`: the default quota as stored (the form may be changing it)."""
    overrides = dict(campaign.quotas.values_list(campaign.level, "quota"))
    changes = []
    for unit, quota in quotas.items():
        before = overrides.get(unit.pk, default_before)
        after = campaign.default_quota if quota is None else quota
        if before != after:
            changes.append(f"{unit.name} {before} → {after}")
    if not changes:
        return ""
    text = _(QUOTAS_CHANGED) % {"changes": "; ".join(changes)}
    # simple-history keeps 100 characters of a reason.
    return text if len(text) <= 100 else text[:99] + "…"


def _check_may_record(user, day: datetime.date | None, *, field: str | None = None) -> None:
    """An account of an ended unit (Tỉnh đoàn Trà Vinh, to 30/06/2025) records nothing dated after its end:
    its campaigns are read, today's province decides; the refusal goes next to `field` when named."""
    if user is None:
        return
    try:
        user.check_may_record_on(day)
    except ValidationError as error:
        raise (ValidationError({field: error}) if field else error) from None


def _transition(
    campaign: Campaign, *, to: str, allowed: tuple, action: str, user=None, today: datetime.date | None = None
) -> Campaign:
    _check_may_record(user, today or timezone.localdate())
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    _require_campaign_status(campaign, *allowed, action=action)
    campaign.status = to
    campaign.save(update_fields=["status", "updated_at"])
    return campaign


def open_refusal(campaign: Campaign, today: datetime.date | None = None) -> str:
    """Why a draft or a campaign under review cannot be opened now ("" if it can, or is neither): its
    deadline has passed (deadline_problem), said with what to do."""
    if campaign.status not in (Status.DRAFT, Status.REVIEW):
        return ""
    problem = deadline_problem(status=Status.DRAFT, closes_on=campaign.closes_on, today=today)
    if problem is None:
        return ""
    hint = _("Set a later deadline on the campaign’s form, then open it.")
    return f"{problem.message} {hint}"


@transaction.atomic
def campaign_open(*, campaign: Campaign, user, today: datetime.date | None = None) -> Campaign:
    """Open for nominations (from draft, or back from review to let districts complete their lists), while
    its deadline is still ahead (deadline_problem: the form moves it first)."""
    refusal = open_refusal(Campaign.objects.select_for_update().get(pk=campaign.pk), today)
    if refusal:
        _refuse(refusal, "deadline_passed")
    return _transition(
        campaign,
        to=Status.OPEN,
        allowed=(Status.DRAFT, Status.REVIEW),
        action=_("opened"),
        user=user,
        today=today,
    )


def close_refusal(campaign: Campaign, today: datetime.date | None = None) -> str:
    """Why an open campaign cannot be closed for review now ("" if it can, or is not open): its window has not
    begun (closed before it opened, its period would read backwards and no unit could have nominated)."""
    if campaign.status != Status.OPEN:
        return ""
    window = campaign.window(today or timezone.localdate())
    if window.state != "before":
        return ""
    return _("Nominations open on %(date)s: the campaign can be closed for review once they have opened.") % {
        "date": _date(campaign.opens_on)
    }


@transaction.atomic
def campaign_close(*, campaign: Campaign, user, today: datetime.date | None = None) -> Campaign:
    """Close nominations and start the review, once the window has opened (close_refusal). Drafts the
    districts never submitted stay drafts."""
    refusal = close_refusal(Campaign.objects.select_for_update().get(pk=campaign.pk), today)
    if refusal:
        _refuse(refusal, "window_not_open")
    return _transition(
        campaign,
        to=Status.REVIEW,
        allowed=(Status.OPEN,),
        action=_("closed for review"),
        user=user,
        today=today,
    )


def closed_early_on(campaign: Campaign) -> datetime.date | None:
    """The day the province closed nominations for review before the window's last day had passed (from the
    campaign's history: no field records it), or None: never closed, or closed once the deadline was past."""
    if not campaign.pk:
        return None
    closed = (
        campaign.history.filter(status=Status.REVIEW)
        .order_by("history_date")
        .values_list("history_date", flat=True)
        .first()
    )
    if closed is None:
        return None
    day = timezone.localdate(closed)
    return day if day <= campaign.closes_on else None


def earliest_decision_date(campaign: Campaign) -> datetime.date:
    """The first day a campaign's decision may bear: the day after its window's last day, or the day the
    province closed nominations for review, if it did so earlier (closed_early_on)."""
    return closed_early_on(campaign) or campaign.closes_on + datetime.timedelta(days=1)


def decision_date_problem(campaign: Campaign, day: datetime.date | None, today: datetime.date | None = None):
    """(message, code) of why a decision date cannot be the campaign's (None: it can). A decision is taken
    once the nominations are in, so after the window closed (earliest_decision_date), and it is not dated in
    the future."""
    today = today or timezone.localdate()
    if day is None:
        return _("The decision date is required."), "decision_missing"
    earliest = earliest_decision_date(campaign)
    if day < earliest:
        # Closed early (closed_early_on) is a day up to the deadline; otherwise the day after it.
        if earliest <= campaign.closes_on:
            # Closed for review on or before the deadline: the closing day itself may be the decision's.
            message = _("The decision date cannot be before the day nominations ended (%(date)s).") % {
                "date": _date(earliest)
            }
        else:
            # Nominations ran to the end of the deadline's day: the decision is dated the day after or later.
            message = _(
                "The decision date must be after the nomination deadline (%(deadline)s): from %(date)s on."
            ) % {"deadline": _date(campaign.closes_on), "date": _date(earliest)}
        return message, "decision_before_window_closed"
    if day > today:
        return (
            _("The decision cannot be dated in the future (today is %(date)s).") % {"date": _date(today)},
            "decision_in_future",
        )
    return None


def _check_decision(campaign: Campaign, *, number: str, day, today=None) -> None:
    if not number:
        raise ValidationError(
            {
                "decision_number": ValidationError(
                    _("The decision number is required."), code="decision_missing"
                )
            }
        )
    problem = decision_date_problem(campaign, day, today)
    if problem:
        raise ValidationError({"decision_date": ValidationError(problem[0], code=problem[1])})


def campaign_publish_check(*, campaign: Campaign) -> None:
    """What keeps a campaign from being published whatever the decision says: not under review, submitted
    nominations still waiting, nothing approved, a unit with more approved than its quota (changed in Django
    admin, or before the services checked it). Checked before the confirmation page and
    again on publishing."""
    _require_campaign_status(campaign, Status.REVIEW, action=_("published"))
    waiting = campaign.nominations.filter(status=Nomination.Status.SUBMITTED).count()
    if waiting:
        _refuse(
            ngettext(
                "%(count)d nomination still waits for review.",
                "%(count)d nominations still wait for review.",
                waiting,
            )
            % {"count": waiting},
            "nominations_waiting",
        )
    if not campaign.nominations.filter(status=Nomination.Status.APPROVED).exists():
        _refuse(_("No nomination is approved: there is nothing to publish."), "nothing_approved")
    level = campaign.level
    overrides = dict(campaign.quotas.values_list(level, "quota"))
    approved = (
        campaign.nominations.filter(status=Nomination.Status.APPROVED)
        .order_by()
        .values(level)
        .annotate(n=Count("pk"))
    )
    over = [
        (row[level], row["n"])
        for row in approved
        if row["n"] > overrides.get(row[level], campaign.default_quota)
    ]
    if over:
        unit_id, count = over[0]
        unit = campaign.nominations.filter(**{level: unit_id}).select_related(level).first().unit
        _refuse(
            ngettext(
                "%(unit)s has %(count)d nomination approved, over its quota of %(quota)d: change the "
                "decision on one of them, or raise its quota, before publishing.",
                "%(unit)s has %(count)d nominations approved, over its quota of %(quota)d: change the "
                "decision on one of them, or raise its quota, before publishing.",
                count,
            )
            % {"unit": unit, "count": count, "quota": overrides.get(unit_id, campaign.default_quota)},
            "over_quota",
        )


@transaction.atomic
def campaign_publish(
    *,
    campaign: Campaign,
    decision_number: str,
    decision_date: datetime.date,
    user,
    decision_signer: str = "",
    today: datetime.date | None = None,
) -> Campaign:
    """Publish the decision: every approved nomination becomes a commendation and the campaign is locked.
    Refused while submitted nominations still wait for a decision, when nothing is approved, and for a
    decision dated before nominations closed or in the future (errors on the field they name)."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    campaign_publish_check(campaign=campaign)
    decision_number = (decision_number or "").strip()
    _check_decision(campaign, number=decision_number, day=decision_date, today=today)
    _check_may_record(user, decision_date, field="decision_date")
    approved = list(campaign.nominations.filter(status=Nomination.Status.APPROVED))
    # With their history's first record (created at publication, by whom), so a later revocation shows
    # what changed.
    bulk_create_with_history(
        [
            Commendation(
                nomination=n,
                campaign=campaign,
                person_id=n.person_id,
                branch_id=n.branch_id,
                district_id=n.district_id,
                commune_id=n.commune_id,
                province_id=n.province_id,
                year=campaign.year,
            )
            for n in approved
        ],
        Commendation,
        default_user=user,
    )
    campaign.status = Status.DECIDED
    campaign.decision_number = decision_number
    campaign.decision_date = decision_date
    campaign.decision_signer = (decision_signer or "").strip()
    campaign.decided_by = user
    campaign.save()
    return campaign


@transaction.atomic
def decision_correct(
    *,
    campaign: Campaign,
    decision_number: str,
    decision_date: datetime.date,
    decision_signer: str = "",
    reason: str,
    user,
    version: int | None = None,
    today: datetime.date | None = None,
) -> DecisionCorrection:
    """Correct a published decision (đính chính): the only way its number, date or signer change. The
    correction records what they were, what they are, why, by whom and when; the campaign's history keeps
    the old text too. Certificates are made from the campaign's current decision, so every one is reissued
    with the corrected line (and says it was corrected)."""
    stored = lock_current(Campaign, pk=campaign.pk, version=version)
    if not stored.is_decided:
        _refuse(_("Only a published decision can be corrected."), "not_decided")
    decision_number = (decision_number or "").strip()
    decision_signer = (decision_signer or "").strip()
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": ValidationError(_("Say why the decision is corrected."), code="reason_missing")}
        )
    _check_decision(stored, number=decision_number, day=decision_date, today=today)
    _check_may_record(user, today or timezone.localdate())
    if (decision_number, decision_date, decision_signer) == (
        stored.decision_number,
        stored.decision_date,
        stored.decision_signer,
    ):
        _refuse(_("Nothing differs from the published decision: there is nothing to correct."), "unchanged")
    correction = DecisionCorrection.objects.create(
        campaign=stored,
        previous_number=stored.decision_number,
        previous_date=stored.decision_date,
        previous_signer=stored.decision_signer,
        decision_number=decision_number,
        decision_date=decision_date,
        decision_signer=decision_signer,
        reason=reason,
        corrected_on=today or timezone.localdate(),
        corrected_by=user,
    )
    stored.decision_number = decision_number
    stored.decision_date = decision_date
    stored.decision_signer = decision_signer
    stored._change_reason = reason
    stored.save()
    security_event("campaign.decision_correct", user=user, level=logging.WARNING, campaign=stored.pk)
    return correction


# Eligibility ----------------------------------------------------------------------------------------------


def current_secretary_term(person) -> Term | None:
    return (
        Term.objects.secretaries()
        .current()
        .filter(person=person)
        .select_related("branch__commune__district")
        .first()
    )


def eligibility_problems(*, campaign: Campaign, person, term: Term | None = None) -> list[str]:
    """What keeps a person from being nominated in the campaign, each naming the rule (empty: eligible)."""
    problems = []
    term = term if term is not None else current_secretary_term(person)
    if term is None:
        problems.append(
            _("%(name)s is not a branch secretary now: a current term is required.") % {"name": person}
        )
    if campaign.minimum_rating:
        assessment = year_assessments(campaign=campaign, person=person).only("rating", "status").first()
        required = Rating(campaign.minimum_rating).label
        if assessment is None or not assessment.rating:
            problems.append(
                _(
                    "A rating of at least “%(required)s” in the %(year)s skill assessment is required; "
                    "%(name)s has no submitted assessment for %(year)s."
                )
                % {"required": required, "year": campaign.year, "name": person}
            )
        else:
            below = rating_rank(assessment.rating) - RATING_ORDER.index(campaign.minimum_rating)
            if below > 0:
                problems.append(
                    ngettext(
                        "A rating of at least “%(required)s” in %(year)s is required; "
                        "%(name)s is rated “%(rating)s”, %(below)d level below.",
                        "A rating of at least “%(required)s” in %(year)s is required; "
                        "%(name)s is rated “%(rating)s”, %(below)d levels below.",
                        below,
                    )
                    % {
                        "required": required,
                        "year": campaign.year,
                        "name": person,
                        "rating": assessment.get_rating_display(),
                        "below": below,
                    }
                )
    return problems


# Nominations ----------------------------------------------------------------------------------------------


def _check_window(campaign: Campaign, today: datetime.date) -> None:
    _require_campaign_status(campaign, Status.OPEN, action=_("nominated in"))
    window = campaign.window(today)
    if window.state == "before":
        days = window.days
        _refuse(
            ngettext(
                "Nominations open on %(date)s, in %(days)d day.",
                "Nominations open on %(date)s, in %(days)d days.",
                days,
            )
            % {"date": _date(campaign.opens_on), "days": days},
            "window_not_open",
        )
    _check_deadline(campaign, today)


def _check_deadline(campaign: Campaign, today: datetime.date) -> None:
    window = campaign.window(today)
    if window.state == "after":
        days = window.days
        _refuse(
            ngettext(
                "Nominations closed on %(date)s, %(days)d day ago.",
                "Nominations closed on %(date)s, %(days)d days ago.",
                days,
            )
            % {"date": _date(campaign.closes_on), "days": days},
            "window_closed",
        )


def _nominating_unit_set(nomination: Nomination, *, branch, user) -> None:
    """The nominating unit of a new nomination, from the nominee's branch and the campaign's level: the
    branch's district in a campaign of districts, its commune (today's) in a campaign of communes. The
    officer nominates for their own unit only."""
    campaign = nomination.campaign
    commune = branch.commune
    if commune.province_id != campaign.province_id:
        _refuse(_("The secretary's branch is not in the campaign's province."), "outside_province")
    if campaign.by_commune:
        nomination.commune, nomination.district = commune, None
    else:
        nomination.district, nomination.commune = commune.district, None
        if commune.district_id is None:
            _refuse(_("The secretary's branch is not in the campaign's province."), "outside_province")
    nomination.province_id = commune.province_id
    mine = nominating_unit(user)
    if mine is None:
        return
    level, unit_id = mine
    if level != campaign.level:
        _refuse(
            _("In this campaign the %(units)s nominate: your unit cannot nominate in it.")
            % {"units": _("communes") if campaign.by_commune else _("districts")},
            "wrong_level",
        )
    if nomination.unit_id != unit_id:
        _refuse(
            _("%(name)s leads a branch of %(unit)s: only that unit can nominate them.")
            % {"name": nomination.person, "unit": nomination.unit},
            "outside_unit",
        )


def change_refusal(nomination: Nomination, campaign: Campaign) -> tuple[str, str] | None:
    """(message, code) of why the nominating unit cannot change a nomination's text or documents now (None:
    it can). Only a draft changes: once submitted, the province reviews what was sent, so the unit takes it
    back to draft first (nomination_withdraw, while nominations are open) and submits it again."""
    if campaign.is_decided:
        return _("The decision is published: the campaign is locked."), "campaign_locked"
    if nomination.status == Nomination.Status.DRAFT:
        return None
    if nomination.status != Nomination.Status.SUBMITTED:
        return _("A reviewed nomination cannot be changed."), "nomination_reviewed"
    if campaign.status != Status.OPEN:
        return _(
            "Nominations are closed: a submitted nomination can no longer be changed."
        ), "nomination_sent"
    return (
        _("A submitted nomination cannot be changed: withdraw it to draft first, then submit it again."),
        "nomination_sent",
    )


@transaction.atomic
def nomination_save(
    *, nomination: Nomination, user, version: int | None = None, today: datetime.date | None = None
) -> Nomination:
    """Create or change a draft (a submitted one is withdrawn to draft first: change_refusal). The nominee
    must be a current secretary; the nomination records the units of their branch. A stale `version` (the one
    the form was loaded from) is refused, and so is a new nomination by an account whose unit ended before
    `today` (a Huyện đoàn after 30/06/2025)."""
    campaign = nomination.campaign
    if campaign.is_decided:
        _refuse(_("The decision is published: the campaign is locked."), "campaign_locked")
    if nomination.pk:
        stored = check_version(nomination, version=version)
        refusal = change_refusal(stored, campaign)
        if refusal:
            _refuse(*refusal)
        if stored.person_id != nomination.person_id:
            _refuse(_("The nominee of a nomination cannot be changed."), "nominee_changed")
    else:
        user.check_may_record_on(today or timezone.localdate())
        _require_campaign_status(campaign, Status.OPEN, action=_("nominated in"))
        duplicate = Nomination.objects.filter(campaign=campaign, person=nomination.person).first()
        if duplicate:
            _refuse(
                _("%(name)s is already nominated in this campaign (%(status)s).")
                % {"name": nomination.person, "status": duplicate.get_status_display()},
                "duplicate",
            )
        term = current_secretary_term(nomination.person)
        if term is None:
            _refuse(
                eligibility_problems(campaign=campaign, person=nomination.person, term=None)[0],
                "not_eligible",
            )
        nomination.branch = term.branch
        nomination.created_by = user
        _nominating_unit_set(nomination, branch=term.branch, user=user)
    nomination.summary = (nomination.summary or "").strip()
    nomination.report = (nomination.report or "").strip()
    nomination.full_clean(
        exclude=["status", "rejection_reason", "branch", "district", "commune", "person", "campaign"]
    )
    nomination.save()
    return nomination


def _unit_place(campaign: Campaign, nomination: Nomination) -> tuple[int, int]:
    """(quota, places taken) of the nomination's unit in the campaign, read as the campaign list and the first
    screen read them (with_unit_quota)."""
    level = DISTRICT if nomination.district_id is not None else COMMUNE
    return (
        Campaign.objects.filter(pk=campaign.pk)
        .with_unit_quota(level, nomination.unit_id)
        .values_list("unit_quota", "unit_used")
        .get()
    )


@transaction.atomic
def nomination_submit(*, nomination: Nomination, user, today: datetime.date | None = None) -> Nomination:
    """Send a draft to the province: inside the window, within the nominating unit's quota (a district's or
    a commune's), of an eligible person, by an account whose unit has not ended."""
    today = today or timezone.localdate()
    # Lock the campaign row: two officers of one unit submitting at once cannot both take the last place.
    campaign = Campaign.objects.select_for_update().get(pk=nomination.campaign_id)
    nomination = (
        Nomination.objects.select_for_update(of=("self",))
        .select_related("person", "district", "commune")
        .get(pk=nomination.pk)
    )
    if nomination.status != Nomination.Status.DRAFT:
        _refuse(
            _("Only a draft can be submitted; this nomination is “%(status)s”.")
            % {"status": nomination.get_status_display()},
            "not_draft",
        )
    _check_window(campaign, today)
    user.check_may_record_on(today)
    quota, used = _unit_place(campaign, nomination)
    if used + 1 > quota:
        _refuse(
            _(
                "%(unit)s's quota is %(quota)d and %(used)d nominations are already submitted: "
                "this one would go over the quota."
            )
            % {"unit": nomination.unit, "quota": quota, "used": used},
            "quota",
        )
    problems = eligibility_problems(campaign=campaign, person=nomination.person)
    if problems:
        raise ValidationError([ValidationError(p, code="not_eligible") for p in problems])
    nomination.status = Nomination.Status.SUBMITTED
    nomination.submitted_at = timezone.now()
    nomination.save(update_fields=["status", "submitted_at", "updated_at"])
    return nomination


@transaction.atomic
def nomination_withdraw(*, nomination: Nomination, user) -> Nomination:
    """The district takes a submitted nomination back to draft while nominations are open."""
    nomination = (
        Nomination.objects.select_for_update(of=("self",)).select_related("campaign").get(pk=nomination.pk)
    )
    _require_campaign_status(nomination.campaign, Status.OPEN, action=_("changed"))
    if nomination.status != Nomination.Status.SUBMITTED:
        _refuse(_("Only a submitted nomination that is not yet reviewed can be withdrawn."), "not_submitted")
    nomination.status = Nomination.Status.DRAFT
    nomination.submitted_at = None
    nomination.save(update_fields=["status", "submitted_at", "updated_at"])
    return nomination


def _check_may_revise(nomination: Nomination, campaign: Campaign, user, today: datetime.date) -> None:
    """The rules of taking a nomination back to draft (ValidationError with the reason): one the province
    did not approve, while nominations are open (the campaign's status and its closing date), by an
    officer of the unit that nominated, whose unit goes on."""
    if nomination.status != Nomination.Status.REJECTED:
        _refuse(
            _(
                "Only a nomination the province did not approve can be taken back to correct it; this one "
                "is “%(status)s”."
            )
            % {"status": nomination.get_status_display()},
            "not_rejected",
        )
    _require_campaign_status(campaign, Status.OPEN, action=_("changed"))
    _check_deadline(campaign, today)
    user.check_may_record_on(today)
    if not is_nominating_unit(nomination, campaign, user):
        _refuse(
            _("Only %(unit)s, which nominated %(name)s, can correct this nomination.")
            % {"unit": nomination.unit, "name": nomination.person},
            "outside_unit",
        )


def may_revise(nomination: Nomination, user, today: datetime.date | None = None) -> bool:
    """Whether the nomination's page offers to take it back to draft (nomination_revise checks again, on
    the locked rows)."""
    try:
        _check_may_revise(nomination, nomination.campaign, user, today or timezone.localdate())
    except ValidationError:
        return False
    return True


@transaction.atomic
def nomination_revise(
    *, nomination: Nomination, user, version: int | None = None, today: datetime.date | None = None
) -> Nomination:
    """The nominating unit takes a nomination the province did not approve back to draft, to correct what
    the reason asks and submit it again (the rules: `_check_may_revise`). Review starts over; the
    rejection, its reason, who decided and when stay in the nomination's history (and on its page). A
    stale `version` is refused."""
    today = today or timezone.localdate()
    # Lock the campaign first, as nomination_submit does: a close for review cannot slip in between.
    campaign = Campaign.objects.select_for_update().get(pk=nomination.campaign_id)
    stored = lock_current(Nomination, pk=nomination.pk, version=version)
    _check_may_revise(stored, campaign, user, today)
    stored.status = Nomination.Status.DRAFT
    stored.rejection_reason = ""
    stored.reviewed_at = None
    stored.reviewed_by = None
    stored.submitted_at = None
    stored._change_reason = _(REVISED)
    stored.save(
        update_fields=[
            "status",
            "rejection_reason",
            "reviewed_at",
            "reviewed_by",
            "submitted_at",
            "updated_at",
        ]
    )
    return stored


@transaction.atomic
def nomination_delete(*, nomination: Nomination, user) -> None:
    """Only a draft is deleted; anything sent to the province stays on record, and a published campaign is
    locked whole (its leftover drafts included)."""
    nomination = (
        Nomination.objects.select_for_update(of=("self",)).select_related("campaign").get(pk=nomination.pk)
    )
    if nomination.campaign.is_decided:
        _refuse(_("The decision is published: the campaign is locked."), "campaign_locked")
    if nomination.status != Nomination.Status.DRAFT:
        _refuse(_("Only a draft can be deleted."), "not_draft")
    nomination.delete()


def _review(
    nomination: Nomination, *, status: str, reason: str, user, change_reason: str = "", at=None
) -> Nomination:
    """`at`: when the decision was taken (now unless told: the demo records 2020's review in 2020)."""
    at = at or timezone.now()
    nomination = (
        Nomination.objects.select_for_update(of=("self",)).select_related("campaign").get(pk=nomination.pk)
    )
    _require_campaign_status(nomination.campaign, Status.OPEN, Status.REVIEW, action=_("reviewed"))
    _check_may_record(user, timezone.localdate(at))
    if nomination.status == Nomination.Status.DRAFT:
        _refuse(_("%(unit)s has not submitted this draft yet.") % {"unit": nomination.unit}, "not_submitted")
    if not change_reason and nomination.status != Nomination.Status.SUBMITTED:
        # A decided nomination changes only by nomination_decision_change, with its reason.
        _refuse(
            _("%(name)s's nomination is already decided (%(status)s): change the decision with a reason.")
            % {"name": nomination.person, "status": nomination.get_status_display()},
            "already_decided",
        )
    nomination.status = status
    nomination.rejection_reason = reason
    nomination.reviewed_at = at
    nomination.reviewed_by = user
    if change_reason:
        nomination._change_reason = change_reason
    nomination.save(update_fields=["status", "rejection_reason", "reviewed_at", "reviewed_by", "updated_at"])
    return nomination


@transaction.atomic
def nomination_approve(*, nomination: Nomination, reviewer, at=None) -> Nomination:
    """Approve a nomination still waiting for review."""
    return _review(nomination, status=Nomination.Status.APPROVED, reason="", user=reviewer, at=at)


@transaction.atomic
def nomination_reject(*, nomination: Nomination, reviewer, reason: str, at=None) -> Nomination:
    """Reject a nomination still waiting for review, with the reason the unit will read."""
    reason = (reason or "").strip()
    if not reason:
        _refuse(_("A reason is required to reject a nomination."), "reason_missing")
    return _review(nomination, status=Nomination.Status.REJECTED, reason=reason, user=reviewer, at=at)


@transaction.atomic
def nomination_decision_change(
    *, nomination: Nomination, approve: bool, reason: str, reviewer, rejection_reason: str = ""
) -> Nomination:
    """Turn an approved nomination into a rejected one or back, before the decision is published: a
    separate, explicit step whose reason stays in the nomination's history. Rejecting needs the reason the
    unit will read (`rejection_reason`, by default the same reason)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": ValidationError(_("Say why the decision changes."), code="reason_missing")}
        )
    current = Nomination.objects.only("status").get(pk=nomination.pk)
    target = Nomination.Status.APPROVED if approve else Nomination.Status.REJECTED
    if current.status not in (Nomination.Status.APPROVED, Nomination.Status.REJECTED):
        _refuse(_("Only a decided nomination can have its decision changed."), "not_decided")
    if current.status == target:
        _refuse(
            _("The nomination is already “%(status)s”.") % {"status": current.get_status_display()},
            "unchanged",
        )
    if approve:
        # Not approved, it took no place: approved again, it takes one of its unit's quota, as submitting
        # does (the campaign locked as nomination_submit locks it: two approvals cannot take the last place).
        campaign = Campaign.objects.select_for_update().get(pk=nomination.campaign_id)
        nomination = Nomination.objects.select_related("person", "district", "commune").get(pk=nomination.pk)
        quota, used = _unit_place(campaign, nomination)
        if used + 1 > quota:
            _refuse(
                _(
                    "%(unit)s's quota is %(quota)d and %(used)d of its nominations are submitted or "
                    "approved: approving this one would go over the quota. Change the decision on another of "
                    "them first, or raise the unit's quota."
                )
                % {"unit": nomination.unit, "quota": quota, "used": used},
                "quota",
            )
    return _review(
        nomination,
        status=target,
        reason="" if approve else ((rejection_reason or "").strip() or reason),
        user=reviewer,
        change_reason=reason,
    )


@transaction.atomic
def nominations_review(*, nominations, approve: bool, reviewer, reason: str = "") -> tuple[int, int]:
    """Approve or reject at once the ticked nominations that still wait for review (all of them or none).
    Those already decided are left as they are, reasons and all: changing one is nomination_decision_change.
    Returns (decided now, left as they were)."""
    if not approve and not (reason or "").strip():
        _refuse(_("A reason is required to reject a nomination."), "reason_missing")
    count = skipped = 0
    campaigns = Campaign.objects.filter(pk__in={n.campaign_id for n in nominations})
    for campaign in campaigns:
        _require_campaign_status(campaign, Status.OPEN, Status.REVIEW, action=_("reviewed"))
    for nomination in nominations:
        # Read again under lock: a decision taken since the page was loaded is not overwritten either.
        current = Nomination.objects.select_for_update(of=("self",)).only("status").get(pk=nomination.pk)
        if current.status in (Nomination.Status.APPROVED, Nomination.Status.REJECTED):
            skipped += 1
            continue
        if approve:
            nomination_approve(nomination=nomination, reviewer=reviewer)
        else:
            nomination_reject(nomination=nomination, reviewer=reviewer, reason=reason)
        count += 1
    return count, skipped


# Documents ------------------------------------------------------------------------------------------------


def is_nominating_unit(nomination: Nomination, campaign: Campaign, user) -> bool:
    """Whether `user` is an officer of the unit that made the nomination: who alone changes it, attaches its
    documents and takes it back to correct it."""
    return campaign.nominated_by(user) and nominating_unit(user)[1] == nomination.unit_id


def may_edit_documents(nomination: Nomination, user) -> bool:
    """Who attaches and removes a nomination's documents: the officers of the nominating unit, while the
    nomination may still be changed (a draft: change_refusal)."""
    campaign = nomination.campaign
    return is_nominating_unit(nomination, campaign, user) and change_refusal(nomination, campaign) is None


def documents_refusal(nomination: Nomination) -> tuple[str, str]:
    """(message, code) of why a nomination's documents cannot be changed now, for its nominating unit."""
    return change_refusal(nomination, nomination.campaign) or (
        _("The documents of this nomination can no longer be changed."),
        "documents_locked",
    )


@transaction.atomic
def nomination_document_add(*, nomination: Nomination, kind: str, upload, user) -> NominationDocument:
    """Attach a checked file (awards.documents.check_document) to a nomination."""
    if not may_edit_documents(nomination, user):
        _refuse(*documents_refusal(nomination))
    content_type, extension = check_document(upload)
    document = NominationDocument(
        nomination=nomination,
        kind=kind,
        original_name=(upload.name or "")[-255:],
        content_type=content_type,
        size=upload.size,
        uploaded_by=user,
    )
    upload.seek(0)
    document.file.save(f"{uuid.uuid4().hex}.{extension}", upload, save=False)
    document.save()
    return document


@transaction.atomic
def nomination_document_delete(*, document: NominationDocument, user) -> None:
    if not may_edit_documents(document.nomination, user):
        _refuse(*documents_refusal(document.nomination))
    storage, name = document.file.storage, document.file.name
    document.delete()
    transaction.on_commit(lambda: storage.delete(name))


# Commendations --------------------------------------------------------------------------------------------


@transaction.atomic
def commendation_revoke(
    *, commendation: Commendation, revoked_on: datetime.date, reason: str, user, version: int | None = None
) -> Commendation:
    """Revoke a commendation (Law 06/2022/QH15): the record stays, marked revoked; history says who.
    A stale `version` (the one the form was loaded from) is refused."""
    commendation = lock_current(Commendation, pk=commendation.pk, version=version)
    if commendation.is_revoked:
        _refuse(
            _("This commendation was already revoked on %(date)s.")
            % {"date": _date(commendation.revoked_on)},
            "already_revoked",
        )
    reason = (reason or "").strip()
    if not reason:
        _refuse(_("A reason is required to revoke a commendation."), "reason_missing")
    if revoked_on is None:
        _refuse(_("The date of revocation is required."), "date_missing")
    if revoked_on > timezone.localdate():
        # Revocation takes the commended off the wall and marks every certificate at once: it is recorded
        # when the revoking decision exists, not ahead of it.
        _refuse(_("The date of revocation cannot be in the future."), "revoked_in_future")
    _check_may_record(user, revoked_on)
    decided = commendation.campaign.decision_date
    if decided and revoked_on < decided:
        _refuse(
            _("A commendation cannot be revoked before it was decided (%(date)s).")
            % {"date": _date(decided)},
            "revoked_before_decision",
        )
    commendation.revoked_on = revoked_on
    commendation.revocation_reason = reason
    commendation.revoked_by = user
    commendation._change_reason = reason
    commendation.save()
    security_event("commendation.revoke", user=user, level=logging.WARNING, commendation=commendation.pk)
    return commendation
