"""Writes of the self-assessment procedure (Regulation 366-QĐ/TW): the secretary assesses themselves, the
unit reviews with its own scores beside theirs and a comment per part, provincial staff confirm
(services.assessment_confirm, as for every assessment).

Kept apart from services.py: the unit's own entry (services.assessment_save) knows of this step only through
`check_self_step`, which refuses to assess over a secretary who has not submitted yet.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.versioning import StaleEdit, lock_current

from . import scoring, totals
from .models import Assessment, Framework, GroupReview, GroupScore, Score, SelfScore
from .selectors import branch_led_between, quarter_days, terms_of_year
from .services import (
    assessment_save,
    check_period,
    check_values,
    commune_on,
    current_branch,
    framework_criteria,
)


def _require_own(user):
    """The secretary's own record, and nobody else's: the person comes from the account, never the request."""
    if not (user.is_authenticated and user.is_secretary and user.person_id):
        raise PermissionDenied(_("Only a branch secretary assesses themselves."))
    return user.person


def _branch_of_period(*, person, framework: Framework, quarter: int | None, today: datetime.date):
    """The branch a self-assessment belongs to, and the day whose commune it is filed under: a quarter's is
    the branch led in that quarter (selectors.branch_led_between: at its end where they led two), never
    simply today's, so that a quarter led elsewhere stays with that branch; a year's the branch led now."""
    if quarter is None:
        return current_branch(person), today
    first, last = quarter_days(framework.year, quarter, today)
    if first > today:
        return None, today
    return branch_led_between(terms_of_year(person, framework.year), first, last), last


@transaction.atomic
def self_assessment_save(
    *,
    user,
    framework: Framework,
    values: dict,
    comments: dict | None = None,
    comment: str = "",
    submit: bool = False,
    quarter: int | None = None,
    version: int | None = None,
) -> Assessment:
    """The secretary's self-assessment in `framework` (its quarter where quarterly): a draft they may change,
    or, with submit, complete and handed to the unit (then it no longer changes). `version`: as the form
    was loaded (0: no self-assessment yet)."""
    person = _require_own(user)
    comments = comments or {}
    if not framework.self_assessment:
        raise ValidationError(_("This framework has no self-assessment step."), code="no_self_step")
    check_period(framework=framework, quarter=quarter)
    criteria = framework_criteria(framework)
    own = Assessment.objects.filter(person=person)
    existing = own.filter(framework=framework, quarter=quarter).values_list("pk", flat=True).first()
    if existing is not None:
        assessment = lock_current(own, pk=existing, version=version or None)
        if version == 0:
            raise StaleEdit(assessment, loaded_version=0)
        if assessment.self_step_skipped:
            raise ValidationError(
                _(
                    "The period ended before you submitted your self-assessment, and your unit has assessed "
                    "you in your place: it can no longer change."
                ),
                code="self_closed",
            )
        if not assessment.is_self_draft:
            raise ValidationError(
                _("Your self-assessment was submitted to your unit; it can no longer change."),
                code="self_submitted",
            )
    else:
        assessment = None
    if submit and any(values.get(c.pk) is None for c in criteria):
        raise ValidationError(
            _("Every criterion needs a score before the self-assessment is submitted."), code="incomplete"
        )
    check_values(framework=framework, criteria=criteria, values=values)
    today = timezone.localdate()
    branch, day = _branch_of_period(person=person, framework=framework, quarter=quarter, today=today)
    if assessment is not None and branch is not None and assessment.branch_id != branch.pk:
        # A draft filed under the branch led today, for a quarter led elsewhere (before QA3 F2): still the
        # secretary's own, so it moves to the branch of its quarter.
        commune = commune_on(branch, day)
        assessment.branch, assessment.commune = branch, commune
        assessment.district_id, assessment.province_id = commune.district_id, commune.province_id
    if assessment is None:
        if branch is None:
            if quarter is None:
                raise ValidationError(_("You lead no branch now."), code="no_branch")
            raise ValidationError(
                _("You led no branch in Q%(quarter)s/%(year)s.")
                % {"quarter": quarter, "year": framework.year},
                code="no_branch",
            )
        commune = commune_on(branch, day)
        if not Framework.objects.for_province(commune.province_id).filter(pk=framework.pk).exists():
            raise ValidationError(
                _("“%(framework)s” is not your province's framework.") % {"framework": framework.name},
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
            status=Assessment.Status.SELF_DRAFT,
            # The unit's reviewer takes this place when it reviews.
            assessor=user,
            assessed_on=today,
        )
    derived = scoring.derive(framework=framework, criteria=criteria, values=values)
    # A draft's points so far; a rating only once every criterion is scored (2 of 11 scored read as
    # "Không hoàn thành nhiệm vụ").
    complete = all(values.get(c.pk) is not None for c in criteria)
    assessment.self_overall_score = derived.overall
    assessment.self_rating = derived.rating if complete else ""
    assessment.self_comment = comment
    if submit:
        assessment.status = Assessment.Status.AWAITING_REVIEW
        assessment.self_submitted_at = timezone.now()
    created = assessment.pk is None
    assessment.save()
    if created:
        # The unit's rows, empty until it reviews: the assessment page lists the criteria from them.
        Score.objects.bulk_create(Score(assessment=assessment, criterion=c) for c in criteria)
        GroupScore.objects.bulk_create(
            GroupScore(assessment=assessment, group_id=group_id, score=None)
            for group_id in derived.group_scores
        )
    SelfScore.objects.filter(assessment=assessment).delete()
    SelfScore.objects.bulk_create(
        SelfScore(assessment=assessment, criterion=c, value=values.get(c.pk), comment=comments.get(c.pk, ""))
        for c in criteria
    )
    GroupReview.objects.filter(assessment=assessment).delete()
    GroupReview.objects.bulk_create(
        GroupReview(assessment=assessment, group_id=group_id, self_score=score)
        for group_id, score in derived.group_scores.items()
    )
    # The report totals count none of the self-assessment statuses, but keep every write in step.
    totals.assessment_changed(assessment)
    return assessment


@transaction.atomic
def assessment_review_save(
    *,
    assessment: Assessment,
    assessor,
    values: dict,
    comments: dict | None = None,
    comment: str = "",
    group_comments: dict | None = None,
    assessed_on: datetime.date | None = None,
    submit: bool = False,
    version: int | None = None,
) -> Assessment:
    """The unit's review of a submitted self-assessment: its own scores (services.assessment_save, through
    the assessor's scope) and a comment per part."""
    assessment = assessment_save(
        person=assessment.person,
        framework=assessment.framework,
        assessor=assessor,
        values=values,
        comments=comments,
        comment=comment,
        assessed_on=assessed_on,
        submit=submit,
        assessment=assessment,
        version=version,
        quarter=assessment.quarter,
    )
    group_comments = group_comments or {}
    reviews = {r.group_id: r for r in GroupReview.objects.filter(assessment=assessment)}
    for group_id, text in group_comments.items():
        review = reviews.get(group_id)
        if review is None:
            GroupReview.objects.create(assessment=assessment, group_id=group_id, comment=text)
        elif review.comment != text:
            review.comment = text
            review.save(update_fields=["comment"])
    return assessment
