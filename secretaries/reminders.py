"""Reminders of secretaries' terms (core/reminders.py): a term ending within 60 days, to the officer of the
unit that will appoint the next secretary. The first screen's own panel lists them already."""

import datetime

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.reminders import Reminder

from .models import Term
from .selectors import TERMS_ENDING_WITHIN_DAYS

KIND = "terms_ending"


def terms_ending(user, today: datetime.date) -> list[Reminder]:
    if not (user.is_district_officer or user.is_commune_officer):
        return []
    terms = (
        Term.objects.visible_to(user)
        .current()
        .filter(
            expected_end_on__gte=today,
            expected_end_on__lte=today + datetime.timedelta(days=TERMS_ENDING_WITHIN_DAYS),
        )
        .select_related("person", "branch")
        .order_by("expected_end_on", "pk")
    )
    return [
        Reminder(
            kind=KIND,
            key=f"term:{term.pk}:ends:{term.expected_end_on.isoformat()}",
            text=_("The term of %(person)s (%(role)s, %(branch)s) ends on %(date)s.")
            % {
                "person": term.person.full_name,
                "role": term.get_role_display(),
                "branch": term.branch.name,
                "date": date_format(term.expected_end_on, "SHORT_DATE_FORMAT"),
            },
            url=term.person.get_absolute_url(),
            due_on=term.expected_end_on,
        )
        for term in terms
    ]
