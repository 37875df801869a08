"""Reminders of the assessment period (core/reminders.py): within 30 days of its close, the officers with
assessments still in draft, and provincial staff with drafts or assessments waiting for confirmation. The
first screen's assessment panel says the same from its own counts (assessments/home.py).

A framework's period is its year here, closing on 31/12 (`period_closes_on`). A period's end is read in one
place, selectors.period_ends_on (a quarter's too), which also says when a unit may assess a secretary who
has not sent their self-assessment (selectors.self_step_over)."""

import datetime

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.reminders import Reminder

from .models import Assessment, current_framework
from .selectors import period_ends_on

KIND = "assessment_period"
WARNING_DAYS = 30


def period_closes_on(framework) -> datetime.date:
    return period_ends_on(framework)


def assessment_period(user, today: datetime.date) -> list[Reminder]:
    staff = user.is_provincial_staff
    if not (staff or user.is_district_officer or user.is_commune_officer):
        return []
    framework = current_framework(user)
    if framework is None:
        return []
    closes = period_closes_on(framework)
    if not 0 <= (closes - today).days <= WARNING_DAYS:
        return []
    counts = (
        Assessment.objects.visible_to(user)
        .filter(framework=framework)
        .aggregate(
            drafts=Count("pk", filter=Q(status=Assessment.Status.DRAFT)),
            submitted=Count("pk", filter=Q(status=Assessment.Status.SUBMITTED)),
        )
    )
    values = {
        "year": framework.year,
        "date": date_format(closes, "SHORT_DATE_FORMAT"),
        "drafts": counts["drafts"],
        "submitted": counts["submitted"],
    }
    if staff and (counts["drafts"] or counts["submitted"]):
        text = _(
            "The %(year)s assessment period closes on %(date)s: %(drafts)s assessment(s) still in draft, "
            "%(submitted)s waiting for confirmation."
        )
    elif counts["drafts"]:
        text = _(
            "The %(year)s assessment period closes on %(date)s: %(drafts)s assessment(s) still in draft."
        )
    else:
        return []
    return [
        Reminder(
            kind=KIND,
            key=f"assessment-period:{framework.pk}:closes:{closes.isoformat()}",
            text=text % values,
            url=reverse("assessments:assessment_list"),
            due_on=closes,
        )
    ]
