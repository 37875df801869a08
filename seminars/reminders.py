"""Reminders of seminar proposals (core/reminders.py): an open proposal due within a week, and again once it
is overdue, to whoever organised the seminar (the district or commune officer; provincial staff for the
province's own seminars). The first screen's seminar panel counts both (seminars/home.py)."""

import datetime

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from core.reminders import Reminder

from .models import Proposal

KIND = "proposals_due"
WARNING_DAYS = 7


def _organised_by(user, proposals):
    if user.is_district_officer:
        return proposals.filter(seminar__district=user.district_id, seminar__commune__isnull=True)
    if user.is_commune_officer:
        return proposals.filter(seminar__commune=user.commune_id)
    if user.is_provincial_staff:
        return proposals.filter(seminar__district__isnull=True, seminar__commune__isnull=True)
    return proposals.none()


def proposals_due(user, today: datetime.date) -> list[Reminder]:
    proposals = _organised_by(
        user,
        Proposal.objects.visible_to(user)
        .open()
        .filter(due_on__lte=today + datetime.timedelta(days=WARNING_DAYS)),
    )
    url = reverse("seminars:followup")
    items = []
    for proposal in proposals.select_related("seminar").order_by("due_on", "pk").distinct():
        overdue = proposal.due_on < today
        stage = "overdue" if overdue else "soon"
        values = {
            "text": Truncator(proposal.text).chars(90),
            "seminar": Truncator(proposal.seminar.title).chars(90),
            "date": date_format(proposal.due_on, "SHORT_DATE_FORMAT"),
        }
        if overdue:
            text = _("Proposal “%(text)s” of the seminar “%(seminar)s” was due on %(date)s.") % values
        else:
            text = _("Proposal “%(text)s” of the seminar “%(seminar)s” is due on %(date)s.") % values
        items.append(
            Reminder(
                kind=KIND,
                key=f"proposal:{proposal.pk}:{stage}:{proposal.due_on.isoformat()}",
                text=text,
                url=url,
                due_on=proposal.due_on,
            )
        )
    return items
