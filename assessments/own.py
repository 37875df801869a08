"""What a secretary's own page (/toi/) and their data export hold of assessments (registered in apps.py,
read through core.sections and core.subject_data). Read-only: the assessments made of them, not drafts."""

from django.utils.translation import gettext as _

from core.excel import Sheet
from core.sections import Section

from .models import Assessment, GroupScore
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
    assessments = (
        Assessment.objects.filter(person=person)
        .select_related("framework", "branch", "assessor")
        .order_by("-framework__year")
    )
    groups = GroupScore.objects.filter(assessment__person=person).select_related(
        "group", "assessment__framework"
    )
    return [
        Sheet(
            _("Assessments"),
            [
                _("Year"),
                _("Branch"),
                _("Assessed on"),
                _("Status"),
                _("Overall score"),
                _("Rating"),
                _("Comment"),
            ],
            [
                [
                    a.framework.year,
                    a.branch.name,
                    a.assessed_on,
                    a.get_status_display(),
                    a.overall_score,
                    a.get_rating_display(),
                    a.comment,
                ]
                for a in assessments
            ],
        ),
        Sheet(
            _("Group scores"),
            [_("Year"), _("Skill group"), _("Score")],
            [[g.assessment.framework.year, g.group.name, g.score] for g in groups],
        ),
    ]
