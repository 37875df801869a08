"""Writes to frameworks and assessments. Each is atomic; django-simple-history keeps who did what."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core.versioning import StaleEdit, lock_current
from secretaries.models import Person

from . import scoring, totals
from .defaults import DEFAULT_GROUPS, DEFAULT_NAME
from .models import (
    FROZEN_FRAMEWORK_FIELDS,
    Assessment,
    Criterion,
    Framework,
    GroupScore,
    RatingCondition,
    Score,
    SkillGroup,
)
from .selectors import assessed_elsewhere, self_step_over

_SAME = object()  # framework_copy: the copied framework's own province


@transaction.atomic
def framework_create_default(*, year: int, province=None, name: str | None = None) -> Framework:
    """The default framework for `year`: a province's own, or the common one (no province)."""
    framework = Framework.objects.create(
        year=year, province=province, name=name or DEFAULT_NAME.format(year=year)
    )
    for group_order, (group_name, criteria) in enumerate(DEFAULT_GROUPS, start=1):
        group = SkillGroup.objects.create(framework=framework, order=group_order, name=group_name)
        for order, (name, description) in enumerate(criteria, start=1):
            Criterion.objects.create(group=group, order=order, name=name, description=description)
    return framework


@transaction.atomic
def framework_copy(*, framework: Framework, year: int, name: str | None = None, province=_SAME) -> Framework:
    """Next year's framework starts as a copy of this one (which may be frozen by use), for the same
    province unless another one (or None: the common framework) is given."""
    if province is _SAME:
        province = framework.province
    fields = {f: getattr(framework, f) for f in FROZEN_FRAMEWORK_FIELDS}
    if name is None:
        # "Bộ tiêu chí … 2026" becomes "Bộ tiêu chí … 2027"; a name without its year gets one.
        year_text = str(framework.year)
        name = (
            framework.name.replace(year_text, str(year))
            if year_text in framework.name
            else f"{framework.name} {year}"
        )
    copy = Framework.objects.create(year=year, province=province, name=name, **fields)
    for group in framework.groups.prefetch_related("criteria"):
        new_group = SkillGroup.objects.create(
            framework=copy, order=group.order, name=group.name, max_points=group.max_points
        )
        Criterion.objects.bulk_create(
            Criterion(
                group=new_group,
                order=c.order,
                name=c.name,
                description=c.description,
                weight=c.weight,
                max_points=c.max_points,
            )
            for c in group.criteria.all()
        )
    RatingCondition.objects.bulk_create(
        RatingCondition(framework=copy, rating=c.rating, kind=c.kind, min_percent=c.min_percent)
        for c in framework.rating_conditions.all()
    )
    return copy


def framework_criteria(framework: Framework) -> list[Criterion]:
    return list(Criterion.objects.filter(group__framework=framework).select_related("group"))


def _store_group_scores(assessment: Assessment, derived: scoring.Derived) -> None:
    GroupScore.objects.filter(assessment=assessment).delete()
    GroupScore.objects.bulk_create(
        GroupScore(assessment=assessment, group_id=group_id, score=score)
        for group_id, score in derived.group_scores.items()
    )


def current_branch(person: Person):
    """The branch whose secretary (or else deputy) the person is now: the unit an assessment belongs to."""
    term = (
        person.terms.filter(ended_on__isnull=True)
        .select_related("branch__commune__province")
        .order_by("role")
        .first()
    )
    return term.branch if term else None


def commune_on(branch, day: datetime.date):
    """The commune `branch` belonged to on `day`: a former one (BranchAttachment) it had not yet left,
    else today's. An assessment dated 20/06/2025 of a branch re-attached on 01/07/2025 is Xã Hiếu Tử's."""
    former = (
        branch.attachments.filter(ended_on__gte=day)
        .select_related("commune__province")
        .order_by("ended_on")
        .first()
    )
    return former.commune if former is not None else branch.commune


@transaction.atomic
def assessment_save(
    *,
    person: Person,
    framework: Framework,
    assessor,
    values: dict,
    comments: dict | None = None,
    comment: str = "",
    assessed_on: datetime.date | None = None,
    submit: bool = False,
    assessment: Assessment | None = None,
    criteria: list[Criterion] | None = None,
    version: int | None = None,
    quarter: int | None = None,
) -> Assessment:
    """Create or update an assessment with its scores (criterion id → value or None); derived values are
    stored in the same transaction. With submit, every criterion must have a score.

    Read and written only through the assessor's scope. `version` is the one the form was loaded from
    (0: the form was opened when there was no assessment yet); a stale one is refused with
    core.versioning.StaleEdit. Whose assessment it is after the person moved: see assessed_elsewhere."""
    criteria = criteria if criteria is not None else framework_criteria(framework)
    comments = comments or {}
    assessed_on = assessed_on or timezone.localdate()
    check_period(framework=framework, quarter=quarter)
    # An account of a unit that ended (a Huyện đoàn) records nothing dated after its end, nor for a later
    # year: refused with code "unit_ended", shown next to the date.
    assessor.check_may_record_on(assessed_on)
    assessor.check_may_record_on(datetime.date(framework.year, 1, 1))
    scoped = Assessment.objects.visible_to(assessor)
    if assessment is None:
        assessment = (
            scoped.select_for_update(of=("self",))
            .filter(person=person, framework=framework, quarter=quarter)
            .first()
        )
        if assessment is None and assessed_elsewhere(user=assessor, framework=framework, people=[person]):
            raise ValidationError(
                _(
                    "%(person)s was already assessed for %(year)s by another unit (where they led a branch "
                    "then); that assessment stays with that unit."
                )
                % {"person": person.full_name, "year": framework.year},
                code="assessed_elsewhere",
            )
        if assessment is not None and version == 0:
            raise StaleEdit(assessment, loaded_version=0)  # created by someone else since the form opened
    else:
        try:
            assessment = lock_current(scoped, pk=assessment.pk, version=version)
        except StaleEdit as stale:
            if stale.instance is not None and stale.instance.is_locked:
                raise confirmed_since(stale.instance) from None
            raise
    if assessment is not None and assessment.is_locked:
        raise ValidationError(_("This assessment is confirmed and locked."), code="locked")
    steps_in = check_self_step(person=person, framework=framework, assessment=assessment, quarter=quarter)
    if submit and any(values.get(c.pk) is None for c in criteria):
        raise ValidationError(
            _("Every criterion needs a score before the assessment is submitted."), code="incomplete"
        )
    check_values(framework=framework, criteria=criteria, values=values)
    if assessment is None:
        branch = current_branch(person)
        if branch is None:
            raise ValidationError(
                _("%(person)s leads no branch now.") % {"person": person.full_name}, code="no_branch"
            )
        commune = commune_on(branch, assessed_on)
        if not Framework.objects.for_province(commune.province_id).filter(pk=framework.pk).exists():
            # The frozen rules of another province (or the common ones where the province has its own).
            raise ValidationError(
                _("“%(framework)s” is not the framework of %(province)s for %(year)s.")
                % {"framework": framework.name, "province": commune.province.name, "year": framework.year},
                code="framework_elsewhere",
            )
        assessment = Assessment(
            person=person,
            framework=framework,
            quarter=quarter,
            branch=branch,
            commune=commune,
            district_id=commune.district_id,
            province_id=commune.province_id,
        )
    if steps_in:
        assessment.self_step_skipped = True  # kept: their step stays skipped, whatever the unit saves later
    # Derived before saving, so one save (and one history record) carries scores' results too.
    derived = scoring.derive(framework=framework, criteria=criteria, values=values)
    assessment.overall_score, assessment.rating = derived.overall, derived.rating
    assessment.assessor = assessor
    assessment.assessed_on = assessed_on
    assessment.comment = comment
    if submit:
        assessment.status = Assessment.Status.SUBMITTED
        assessment.submitted_at = timezone.now()
    elif assessment.in_self_step:
        # The unit's review, saved as its draft; or its assessment in the place of a secretary whose period
        # ended with their self-assessment still a draft (check_self_step), closed to them from now on.
        assessment.status = Assessment.Status.DRAFT
    assessment.save()
    Score.objects.filter(assessment=assessment).delete()
    Score.objects.bulk_create(
        Score(assessment=assessment, criterion=c, value=values.get(c.pk), comment=comments.get(c.pk, ""))
        for c in criteria
    )
    _store_group_scores(assessment, derived)
    totals.assessment_changed(assessment)
    return assessment


def confirmed_since(assessment: Assessment) -> ValidationError:
    """The refusal of a form opened before the province confirmed the assessment: saving again would be
    refused as well (it is locked), so it says so, not "save again to replace their changes"."""
    return ValidationError(
        _(
            "“%(object)s” was confirmed by %(who)s at %(when)s, after you opened it, and is now locked: what "
            "you typed was not saved. Changing it now needs the provincial Youth Union to reopen it."
        )
        % {
            "object": assessment,
            "who": assessment.confirmed_by or _("someone"),
            "when": formats.date_format(timezone.localtime(assessment.confirmed_at), "SHORT_DATETIME_FORMAT"),
        },
        code="locked",
    )


def check_period(*, framework: Framework, quarter: int | None) -> None:
    """A quarterly framework's assessment names its quarter; any other's names none (its period is the
    framework's year, or for a term framework the term the framework is for)."""
    if framework.is_quarterly and quarter not in (1, 2, 3, 4):
        raise ValidationError(
            _("Choose the quarter (1 to 4) this assessment is for."), code="quarter_required"
        )
    if not framework.is_quarterly and quarter is not None:
        raise ValidationError(_("This framework is not assessed by quarter."), code="quarter_not_used")


def check_values(*, framework: Framework, criteria, values: dict) -> None:
    """Each score within its range: the scale, or for points out of 100 from 0 to the criterion's maximum;
    and a points framework whose parts and criteria do not add up is not used at all."""
    if framework.is_points:
        problems = framework.points_problems()
        if problems:
            raise ValidationError(
                _("“%(name)s” is not ready: %(problems)s")
                % {"name": framework.name, "problems": " ".join(str(p) for p in problems)},
                code="framework_incomplete",
            )
    for criterion in criteria:
        value = values.get(criterion.pk)
        if value is None:
            continue
        if framework.is_points:
            if not 0 <= value <= criterion.max_points:
                raise ValidationError(
                    _("“%(criterion)s” scores from 0 to %(max)s points.")
                    % {"criterion": criterion.name, "max": criterion.max_points},
                    code="out_of_scale",
                )
        elif not framework.scale_min <= value <= framework.scale_max:
            raise ValidationError(
                _("Scores go from %(min)s to %(max)s.")
                % {"min": framework.scale_min, "max": framework.scale_max},
                code="out_of_scale",
            )


def has_secretary_account(person: Person) -> bool:
    """Whether the person can assess themselves: an active branch secretary's account bound to them."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(person=person, role="secretary", is_active=True).exists()


def check_self_step(
    *, person: Person, framework: Framework, assessment: Assessment | None, quarter: int | None = None
) -> bool:
    """Where the framework asks for a self-assessment and the secretary has an account, the unit assesses
    only after the secretary has submitted theirs, until the period has ended (selectors.self_step_over):
    then it may assess in their place, over their draft if they began one, and this says it does (True).
    Without an account the unit enters as ever."""
    if assessment is not None:
        if not assessment.is_self_draft:
            return False
        if self_step_over(framework, quarter):
            return True
        raise ValidationError(
            _("%(person)s is still writing their self-assessment; the unit reviews it once submitted.")
            % {"person": person.full_name},
            code="self_assessing",
        )
    if not (framework.self_assessment and has_secretary_account(person)):
        return False
    if self_step_over(framework, quarter):
        return True
    raise ValidationError(
        _("%(person)s assesses themselves first (they have an account); the unit reviews it then.")
        % {"person": person.full_name},
        code="awaiting_self_assessment",
    )


def _require_provincial(user) -> None:
    if not user.acts_for_province:
        raise PermissionDenied(_("Only provincial staff confirm, return or reopen assessments."))


@transaction.atomic
def assessment_submit(*, assessment: Assessment) -> Assessment:
    if assessment.status != Assessment.Status.DRAFT:
        raise ValidationError(_("Only a draft can be submitted."), code="not_draft")
    if assessment.scores.filter(value__isnull=True).exists() or not assessment.scores.exists():
        raise ValidationError(
            _("Every criterion needs a score before the assessment is submitted."), code="incomplete"
        )
    assessment.status = Assessment.Status.SUBMITTED
    assessment.submitted_at = timezone.now()
    assessment.save(update_fields=["status", "submitted_at", "updated_at"])
    totals.assessment_changed(assessment)
    return assessment


@transaction.atomic
def assessment_confirm(*, assessment: Assessment, user) -> Assessment:
    _require_provincial(user)
    if assessment.status != Assessment.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted assessment can be confirmed."), code="not_submitted")
    assessment.status = Assessment.Status.CONFIRMED
    assessment.confirmed_by = user
    assessment.confirmed_at = timezone.now()
    assessment.save(update_fields=["status", "confirmed_by", "confirmed_at", "updated_at"])
    totals.assessment_changed(assessment)
    return assessment


@transaction.atomic
def assessment_reopen(*, assessment: Assessment, user, reason: str) -> Assessment:
    """A confirmed assessment goes back to draft for correction; the reason stays in its history."""
    return _back_to_draft(
        assessment=assessment,
        user=user,
        reason=reason,
        status=Assessment.Status.CONFIRMED,
        refusal=ValidationError(_("Only a confirmed assessment can be reopened."), code="not_confirmed"),
        reason_required=_("Say why the assessment is reopened."),
    )


@transaction.atomic
def assessment_return(*, assessment: Assessment, user, reason: str) -> Assessment:
    """A submitted assessment goes back to its unit's draft before it is confirmed, with the reason (kept in
    its history and shown on the assessment): no confirmation to undo, and no wrong scores counted meanwhile
    as confirmed."""
    return _back_to_draft(
        assessment=assessment,
        user=user,
        reason=reason,
        status=Assessment.Status.SUBMITTED,
        refusal=ValidationError(
            _("Only a submitted assessment can be returned to its unit."), code="not_submitted"
        ),
        reason_required=_("Say why the assessment is returned."),
    )


def _back_to_draft(*, assessment, user, reason: str, status, refusal, reason_required: str) -> Assessment:
    """Reopening and returning: provincial staff send a `status` assessment back to draft with a reason."""
    _require_provincial(user)
    current = lock_current(
        Assessment, pk=assessment.pk, version=None
    )  # a second click waits, then is refused
    if current.status != status:
        raise refusal
    if not reason.strip():
        raise ValidationError(reason_required, code="reason_required")
    assessment.status = Assessment.Status.DRAFT
    assessment.confirmed_by = None
    assessment.confirmed_at = None
    assessment._change_reason = reason.strip()
    assessment.save(update_fields=["status", "confirmed_by", "confirmed_at", "updated_at"])
    totals.assessment_changed(assessment)
    return assessment


@transaction.atomic  # the whole grid, or nothing
def commune_grid_save(
    *, entries, framework: Framework, criteria, assessor, submit: bool, quarter: int | None = None
) -> int:
    """Save the commune grid's rows; returns how many were saved. Each entry has the row's `person`, its
    `assessment` (or None), `locked` (assessed by another unit, waiting for the secretary, sent or confirmed),
    the typed
    `values` per criterion, the `comment` and the version the grid was `loaded` with. Only the unit's
    drafts change here: a sent or confirmed row is skipped, whatever was posted for it, and not counted. A
    row sent or confirmed by someone else since the grid was opened refuses the whole grid (StaleEdit)
    before anything is written, rather than dropping what was typed."""
    open_entries = []
    for entry in entries:
        assessment = entry.assessment
        # A self-assessment draft is typed over only once its period has ended (the grid's `steps_in`, and
        # check_self_step again as it is saved).
        open_to_unit = assessment is None or assessment.is_unit_draft or assessment.is_self_draft
        if entry.locked or not open_to_unit:
            if assessment is not None and entry.loaded not in (None, assessment.version):
                if assessment.is_locked:
                    raise confirmed_since(assessment)
                raise StaleEdit(assessment, loaded_version=entry.loaded)
        elif any(value is not None for value in entry.values.values()):
            open_entries.append(entry)
    saved = 0
    for entry in open_entries:
        if _grid_row_unchanged(entry, submit=submit):
            continue  # not saved again: its date, its version and its history stay as they were
        assessment_save(
            person=entry.person,
            framework=framework,
            assessor=assessor,
            values=entry.values,
            comment=entry.comment,
            submit=submit,
            assessment=entry.assessment,
            criteria=criteria,
            version=entry.loaded,
            quarter=quarter,
        )
        saved += 1
    return saved


def _grid_row_unchanged(entry, *, submit: bool) -> bool:
    """A grid row with a draft whose scores and comment are as stored, and nothing to submit: saving it
    again would only move its date to today and add a history record that changes nothing."""
    assessment = entry.assessment
    if assessment is None or submit:
        return False
    stored = {score.criterion_id: score.value for score in assessment.scores.all()}
    same_comment = (entry.comment or "") == (assessment.comment or "")
    return same_comment and all(stored.get(pk) == value for pk, value in entry.values.items())


@transaction.atomic
def assessments_confirm_many(*, assessments, user) -> int:
    """Confirm the submitted ones among `assessments` (already scoped to the user), all or none; returns how
    many were confirmed."""
    count = 0
    for assessment in assessments.filter(status=Assessment.Status.SUBMITTED).select_for_update():
        assessment_confirm(assessment=assessment, user=user)
        count += 1
    return count
