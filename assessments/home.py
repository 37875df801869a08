"""What the first screen says about assessments: drafts still open this year, self-assessments waiting for
the unit's review (when the framework asks for self-assessment), and submitted assessments waiting for
confirmation."""

from django.db.models import Sum
from django.utils import timezone

from core.home import Panel

from .models import AssessmentTotal, current_framework
from .reminders import WARNING_DAYS as PERIOD_WARNING_DAYS
from .reminders import period_closes_on

#: drafts still open, submitted assessments waiting for confirmation (and those confirmed), and
#: self-assessments the secretaries submitted, waiting for the unit's review
COUNTS = ("drafts", "submitted", "confirmed", "awaiting_review")


def panel(user) -> Panel | None:
    # This year's framework of the user's province: Vĩnh Long's own for its commune officers and staff.
    framework = current_framework(user)
    if framework is None:
        return None
    # Summed from the totals the services keep per commune (assessments/totals.py), scoped as the
    # assessments they count: a few rows, not the province's assessments. One query for the year's
    # frameworks: this one's cards, and a line for each other one (a province's quarterly framework beside
    # the annual) where something waits for the user, so that no self-assessment sits unseen.
    per_framework = {
        row["framework"]: row
        for row in AssessmentTotal.objects.visible_to(user)
        .filter(framework__year=framework.year)
        .values("framework", "framework__name")
        .annotate(**{name: Sum(name, default=0) for name in COUNTS})
        .order_by("framework__name")
    }
    counts = {name: per_framework.get(framework.pk, {}).get(name, 0) for name in COUNTS}
    elsewhere = [
        row
        for pk, row in per_framework.items()
        if pk != framework.pk and (row["awaiting_review"] or row["submitted"])
    ]
    group_chart = None
    if user.is_provincial_staff:
        # Average score per skill group of the province, drawn on the first screen (not for the whole
        # country: that aggregate belongs on the summary page).
        from . import selectors

        groups = selectors.scope_group_averages(user=user, framework=framework)
        if any(g.average is not None for g in groups):
            group_chart = selectors.group_chart(framework, groups)
    # Within a month of the period's close, while drafts remain: the "closing soon" line (the same rule as
    # the e-mail reminder, assessments/reminders.py), from what is read above, no query more.
    closes_on = period_closes_on(framework)
    days_left = (closes_on - timezone.localdate()).days
    closing = counts["drafts"] and 0 <= days_left <= PERIOD_WARNING_DAYS and user.unit_ended_on is None
    return Panel(
        template="assessments/partials/home_panel.html",
        context={
            "framework": framework,
            "group_chart": group_chart,
            "period_closes_on": closes_on if closing else None,
            "period_days_left": days_left,
            "elsewhere": elsewhere,
            **counts,
        },
    )
