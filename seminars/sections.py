"""What the person page shows of seminars (registered in apps.py, read through core.sections)."""

from core.sections import Section

from .seminar_selectors import person_seminars


def person_section(person, *, user) -> Section:
    return Section(
        template="seminars/partials/person_seminars.html",
        context={"person_seminars": person_seminars(person, user=user)},
    )
