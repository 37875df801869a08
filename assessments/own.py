"""What a secretary's own page (/toi/) and their data export hold of assessments (registered in apps.py,
read through core.sections and core.subject_data). Read-only: the assessments made of them, not drafts."""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core.excel import Sheet
from core.sections import Section

from .models import Assessment, GroupReview, GroupScore, Score, SelfScore
from .selectors import person_history, self_assessments_for


def own_section(person, *, user) -> Section:
    # Self-assessment (its own workflow, /assessments/self/) is linked from this card when a framework of
    # the province asks for it: the open periods' forms, and the list of one's self-assessments.
    return Section(
        template="assessments/partials/own_assessments.html",
        context={
            "assessment_history": person_history(person, user=None),
            "self_items": self_assessments_for(person),
        },
    )


def subject_sheets(person) -> list[Sheet]:
    """Every assessment made of the person, by period: the unit's scores and comments once it has sent them
    (its draft is its own, as on the secretary's page), and the secretary's own self-assessment, scores,
    notes and comments. Five queries."""
    assessments = list(
        Assessment.objects.filter(person=person)
        .select_related("framework", "branch")
        .order_by("-framework__year", "-quarter", "-pk")
    )
    by_pk = {a.pk: a for a in assessments}

    def unit_sent(assessment) -> bool:
        return assessment.shows_unit_scores

    groups = GroupScore.objects.filter(assessment__in=by_pk).select_related("group").order_by("group__order")
    reviews = {(r.assessment_id, r.group_id): r for r in GroupReview.objects.filter(assessment__in=by_pk)}
    scores = Score.objects.filter(assessment__in=by_pk).select_related("criterion__group")
    own = {(s.assessment_id, s.criterion_id): s for s in SelfScore.objects.filter(assessment__in=by_pk)}
    order = {a.pk: index for index, a in enumerate(assessments)}
    period = pgettext("assessment", "Period")
    return [
        Sheet(
            _("Assessments"),
            [
                period,
                _("Framework"),
                _("Branch"),
                _("Assessed on"),
                _("Status"),
                _("Overall score"),
                _("Rating"),
                _("The unit's overall comment"),
                _("Self-assessed overall score"),
                _("Self-assessed rating"),
                _("Your overall comment"),
            ],
            [
                [
                    a.period_label,
                    a.framework.name,
                    a.branch.name,
                    a.assessed_on,
                    a.status_for_person,
                    a.overall_score if unit_sent(a) else None,
                    a.get_rating_display() if unit_sent(a) else "",
                    a.comment if unit_sent(a) else "",
                    a.self_overall_score,
                    a.get_self_rating_display(),
                    a.self_comment,
                ]
                for a in assessments
            ],
        ),
        Sheet(
            _("Group scores"),
            [period, _("Skill group"), _("Score"), _("Self-assessed"), _("The unit's comment")],
            [
                [
                    by_pk[g.assessment_id].period_label,
                    g.group.name,
                    g.score if unit_sent(by_pk[g.assessment_id]) else None,
                    getattr(reviews.get((g.assessment_id, g.group_id)), "self_score", None),
                    getattr(reviews.get((g.assessment_id, g.group_id)), "comment", "")
                    if unit_sent(by_pk[g.assessment_id])
                    else "",
                ]
                for g in sorted(groups, key=lambda g: (order[g.assessment_id], g.group.order))
            ],
        ),
        Sheet(
            pgettext("assessment", "Criteria"),
            [
                period,
                _("Criterion"),
                _("Score"),
                _("Comment"),
                _("Self-assessed"),
                _("What they did"),
            ],
            [
                [
                    by_pk[s.assessment_id].period_label,
                    s.criterion.name,
                    s.value if unit_sent(by_pk[s.assessment_id]) else None,
                    s.comment if unit_sent(by_pk[s.assessment_id]) else "",
                    getattr(own.get((s.assessment_id, s.criterion_id)), "value", None),
                    getattr(own.get((s.assessment_id, s.criterion_id)), "comment", ""),
                ]
                for s in sorted(
                    scores, key=lambda s: (order[s.assessment_id], s.criterion.group.order, s.criterion.order)
                )
            ],
        ),
    ]
