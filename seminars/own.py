"""What a secretary's own page (/toi/) and their data export hold of seminars: those they attended
(registered in apps.py, read through core.sections and core.subject_data)."""

from django.utils.translation import gettext as _

from core.excel import Sheet
from core.sections import Section

from .models import Seminar


def _attended(person):
    return (
        Seminar.objects.filter(participants=person)
        .select_related("province", "district", "commune")
        .order_by("-held_on", "-pk")
    )


def own_section(person, *, user) -> Section:
    return Section(
        template="seminars/partials/own_seminars.html", context={"own_seminars": list(_attended(person))}
    )


def subject_sheets(person) -> list[Sheet]:
    return [
        Sheet(
            _("Seminars"),
            [_("Held on"), _("Title"), _("Organiser"), _("Venue")],
            [[s.held_on, s.title, s.organiser_name, s.venue] for s in _attended(person)],
        )
    ]
