"""What the person page shows of assessments (registered in apps.py, read through core.sections)."""

from core.sections import Section

from .selectors import person_history


def person_section(person, *, user) -> Section:
    return Section(
        template="assessments/partials/person_assessments.html",
        context={"assessment_history": person_history(person, user=user)},
    )
