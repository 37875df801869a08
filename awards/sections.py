"""What the person page shows of commendations (registered in apps.py, read through core.sections)."""

from core.sections import Section

from .selectors import person_commendations


def person_section(person, *, user) -> Section:
    return Section(
        template="awards/partials/person_commendations.html",
        context={"person_commendations": list(person_commendations(person=person, user=user))},
    )
