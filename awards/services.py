"""Every write of a commendation campaign, with its rules. Each service is atomic and refuses, with a message
that names the rule, whatever the state machine or the campaign's rules do not allow:

campaign:   draft → open → under review → decided (publishing locks it); under review → open again.
nomination: draft → submitted → approved / not approved, and back to submitted while the campaign is not
            decided; submitted → draft when the district withdraws it while nominations are open.
commendation: made by publishing; revoked with a date and a reason, never deleted.
"""

import datetime
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from simple_history.utils import bulk_create_with_history

from assessments.models import Rating
from core.security_log import security_event
from core.versioning import check_version, lock_current
from secretaries.models import Term

from .models import (
    COMMUNE,
    DISTRICT,
    RATING_ORDER,
    Campaign,
    Commendation,
    Nomination,
    Quota,
    nominating_unit,
    rating_rank,
)
from .selectors import year_assessments

Status = Campaign.Status


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


def _quotas_write(campaign: Campaign, quotas: dict) -> None:
    """{district or commune: quota or None} of the campaign's level: an override where it differs from the
    default, none where it is empty or equal to the default."""
    level = campaign.level
    for unit, quota in quotas.items():
        if unit._meta.model_name != level or unit.province_id != campaign.province_id:
            if level == COMMUNE:
                _refuse(_("The commune is not in that province."), "unit_outside_province")
            _refuse(_("The district is not in that province."), "district_outside_province")
        if quota is None or quota == campaign.default_quota:
            Quota.objects.filter(campaign=campaign, **{level: unit}).delete()
        else:
            Quota.objects.update_or_create(campaign=campaign, **{level: unit}, defaults={"quota": quota})


@transaction.atomic
def campaign_save(*, campaign: Campaign, quotas: dict, user, version: int | None = None) -> Campaign:
    """Create or change a campaign and its quota overrides per nominating unit ({district or commune: quota
    or None}). A decided campaign is locked; a stale `version` (the one the form was loaded from) is
    refused."""
    if campaign.pk:
        stored = check_version(campaign, version=version)
        if stored.is_decided:
            _refuse(_("The decision is published: the campaign is locked."), "campaign_locked")
    else:
        # An ended Tỉnh đoàn (Trà Vinh, to 30/06/2025) opens no new campaign.
        if user is not None:
            user.check_may_record_on(campaign.opens_on)
        campaign.created_by = user
    campaign.full_clean(exclude=["status"])
    campaign.save()
    _quotas_write(campaign, quotas)
    return campaign


@transaction.atomic
def campaign_quotas_save(*, campaign: Campaign, quotas: dict, user, version: int | None = None) -> Campaign:
    """Change some of a campaign's quota overrides (a page of the quota page: {commune: quota or None}) and
    nothing else. The campaign's version moves on, so a page loaded before (or the campaign form) is refused
    as stale rather than silently undoing these."""
    stored = check_version(campaign, version=version)
    if stored.is_decided:
        _refuse(_("The decision is published: the campaign is locked."), "campaign_locked")
    _quotas_write(stored, quotas)
    stored.save(update_fields=["updated_at"])
    return stored


def _transition(campaign: Campaign, *, to: str, allowed: tuple, action: str) -> Campaign:
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    _require_campaign_status(campaign, *allowed, action=action)
    campaign.status = to
    campaign.save(update_fields=["status", "updated_at"])
    return campaign


@transaction.atomic
def campaign_open(*, campaign: Campaign, user) -> Campaign:
    """Open for nominations (from draft, or back from review to let districts complete their lists)."""
    return _transition(campaign, to=Status.OPEN, allowed=(Status.DRAFT, Status.REVIEW), action=_("opened"))


@transaction.atomic
def campaign_close(*, campaign: Campaign, user) -> Campaign:
    """Close nominations and start the review. Drafts the districts never submitted stay drafts."""
    return _transition(campaign, to=Status.REVIEW, allowed=(Status.OPEN,), action=_("closed for review"))


@transaction.atomic
def campaign_publish(
    *, campaign: Campaign, decision_number: str, decision_date: datetime.date, user
) -> Campaign:
    """Publish the decision: every approved nomination becomes a commendation and the campaign is locked.
    Refused while submitted nominations still wait for a decision, or when nothing is approved."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    _require_campaign_status(campaign, Status.REVIEW, action=_("published"))
    decision_number = (decision_number or "").strip()
    if not decision_number or decision_date is None:
        _refuse(_("The decision number and date are required."), "decision_missing")
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
    approved = list(campaign.nominations.filter(status=Nomination.Status.APPROVED))
    if not approved:
        _refuse(_("No nomination is approved: there is nothing to publish."), "nothing_approved")
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
    campaign.decided_by = user
    campaign.save()
    return campaign


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


@transaction.atomic
def nomination_save(
    *, nomination: Nomination, user, version: int | None = None, today: datetime.date | None = None
) -> Nomination:
    """Create or change a draft (or a submitted nomination, while nominations are open). The nominee must
    be a current secretary; the nomination records the units of their branch. A stale `version` (the one
    the form was loaded from) is refused, and so is a new nomination by an account whose unit ended before
    `today` (a Huyện đoàn after 30/06/2025)."""
    campaign = nomination.campaign
    if campaign.is_decided:
        _refuse(_("The decision is published: the campaign is locked."), "campaign_locked")
    if nomination.pk:
        stored = check_version(nomination, version=version)
        if stored.status not in (Nomination.Status.DRAFT, Nomination.Status.SUBMITTED):
            _refuse(_("A reviewed nomination cannot be changed."), "nomination_reviewed")
        if stored.person_id != nomination.person_id:
            _refuse(_("The nominee of a nomination cannot be changed."), "nominee_changed")
        if stored.status == Nomination.Status.SUBMITTED:
            _require_campaign_status(campaign, Status.OPEN, action=_("changed"))
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
    # The unit's place, read as the campaign list and the first screen read it (with_unit_quota).
    level = DISTRICT if nomination.district_id is not None else COMMUNE
    quota, used = (
        Campaign.objects.filter(pk=campaign.pk)
        .with_unit_quota(level, nomination.unit_id)
        .values_list("unit_quota", "unit_used")
        .get()
    )
    if used + 1 > quota:
        _refuse(
            _(
                "%(unit)s's quota is %(quota)d and %(used)d nominations are already submitted: "
                "this one would be %(over)d over."
            )
            % {"unit": nomination.unit, "quota": quota, "used": used, "over": used + 1 - quota},
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


def _review(nomination: Nomination, *, status: str, reason: str, user) -> Nomination:
    nomination = (
        Nomination.objects.select_for_update(of=("self",)).select_related("campaign").get(pk=nomination.pk)
    )
    _require_campaign_status(nomination.campaign, Status.OPEN, Status.REVIEW, action=_("reviewed"))
    if nomination.status == Nomination.Status.DRAFT:
        _refuse(_("A draft has not been submitted by the district yet."), "not_submitted")
    nomination.status = status
    nomination.rejection_reason = reason
    nomination.reviewed_at = timezone.now()
    nomination.reviewed_by = user
    nomination.save(update_fields=["status", "rejection_reason", "reviewed_at", "reviewed_by", "updated_at"])
    return nomination


@transaction.atomic
def nomination_approve(*, nomination: Nomination, reviewer) -> Nomination:
    return _review(nomination, status=Nomination.Status.APPROVED, reason="", user=reviewer)


@transaction.atomic
def nomination_reject(*, nomination: Nomination, reviewer, reason: str) -> Nomination:
    reason = (reason or "").strip()
    if not reason:
        _refuse(_("A reason is required to reject a nomination."), "reason_missing")
    return _review(nomination, status=Nomination.Status.REJECTED, reason=reason, user=reviewer)


@transaction.atomic
def nominations_review(*, nominations, approve: bool, reviewer, reason: str = "") -> int:
    """Approve or reject several nominations at once: all of them or none."""
    count = 0
    for nomination in nominations:
        if approve:
            nomination_approve(nomination=nomination, reviewer=reviewer)
        else:
            nomination_reject(nomination=nomination, reviewer=reviewer, reason=reason)
        count += 1
    return count


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
