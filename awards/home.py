"""What the first screen says about commendations (and the chart it shares with the statistics page).

An officer (of a commune, or of a district before the reform): each campaign their unit nominates in that
is open for nominations today, with its deadline, the quota the unit has left and its drafts not yet
submitted. Provincial staff (and the administrator): nominations waiting for review, per campaign and
nominating unit. Nothing when there is nothing to say.
Two queries for an officer, one for staff.
"""

from dataclasses import dataclass, field

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from core.home import Panel

from .models import Campaign, Nomination, nominating_unit
from .selectors import commendations_per_year

TEMPLATE = "awards/partials/home_panel.html"


def panel(user) -> Panel | None:
    if nominating_unit(user) is not None:
        return _officer_panel(user)
    if user.acts_for_province:
        return _review_panel(user)
    return None


def _officer_panel(user) -> Panel | None:
    today = timezone.localdate()
    campaigns = [
        c
        for c in Campaign.objects.visible_to(user)
        # Opened ahead of its first day too: the panel says from when nominations are received.
        .filter(status=Campaign.Status.OPEN, closes_on__gte=today)
        .select_related("province")
        .with_unit_quota(*nominating_unit(user))
        .order_by("closes_on", "pk")
        if c.nominated_by(user)
    ]
    if not campaigns:
        return None
    drafts: dict[int, list] = {}
    for nomination in (
        Nomination.objects.visible_to(user)
        .filter(campaign__in=[c.pk for c in campaigns], status=Nomination.Status.DRAFT)
        .select_related("person")
        .order_by("person__sort_key", "pk")
    ):
        drafts.setdefault(nomination.campaign_id, []).append(nomination)
    rows = [
        {
            "campaign": c,
            "window": c.window(today),
            "quota": c.unit_quota,
            "used": c.unit_used,
            "left": c.unit_left,
            "drafts": drafts.get(c.pk, []),
        }
        for c in campaigns
    ]
    return Panel(template=TEMPLATE, context={"open_campaigns": rows, "waiting": []})


@dataclass
class Waiting:
    """One campaign's submitted nominations waiting for a decision, per nominating unit (`level`)."""

    campaign_id: int
    title: str
    province: str
    total: int = 0
    districts: list = field(default_factory=list)
    #: units waiting beyond those listed (SHOWN_UNITS)
    more_units: int = 0


NATIONAL_ROWS = 8
#: Units listed per campaign waiting for review: a merged province's 120-odd communes are the review page's
#: quota table; the first screen names those with the most nominations waiting, and how many others wait.
SHOWN_UNITS = 10


def _national_panel(user) -> Panel | None:
    """The whole country: one line per campaign (its province), the most waiting first; a per-district
    breakdown of 63 campaigns would bury the first screen."""
    per_campaign = list(
        Nomination.objects.visible_to(user)
        .filter(
            status=Nomination.Status.SUBMITTED,
            campaign__status__in=[Campaign.Status.OPEN, Campaign.Status.REVIEW],
        )
        .values("campaign", "campaign__title", "campaign__province__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "campaign__province__name", "campaign")
    )
    if not per_campaign:
        return None
    rows = [
        {
            "pk": r["campaign"],
            "title": r["campaign__title"],
            "province": r["campaign__province__name"],
            "count": r["n"],
        }
        for r in per_campaign[:NATIONAL_ROWS]
    ]
    return Panel(
        template=TEMPLATE,
        context={
            "open_campaigns": [],
            "waiting": [],
            "national": {
                "rows": rows,
                "total": sum(r["n"] for r in per_campaign),
                "more": max(len(per_campaign) - NATIONAL_ROWS, 0),
            },
        },
    )


def _review_panel(user) -> Panel | None:
    if user.is_administrator:
        return _national_panel(user)
    per_district = (
        Nomination.objects.visible_to(user)
        .filter(
            status=Nomination.Status.SUBMITTED,
            campaign__status__in=[Campaign.Status.OPEN, Campaign.Status.REVIEW],
        )
        .values(
            "campaign",
            "campaign__title",
            "campaign__year",
            "campaign__province__name",
            "district",
            "district__name",
            "district__code",
            "commune",
            "commune__name",
            "commune__code",
        )
        .annotate(n=Count("pk"))
        .order_by("-campaign__year", "campaign", "district__code", "commune__code")
    )
    waiting: dict[int, Waiting] = {}
    for row in per_district:
        entry = waiting.setdefault(
            row["campaign"],
            Waiting(row["campaign"], row["campaign__title"], row["campaign__province__name"]),
        )
        entry.total += row["n"]
        level = "district" if row["district"] is not None else "commune"
        entry.districts.append(
            {"pk": row[level], "name": row[f"{level}__name"], "count": row["n"], "level": level}
        )
    if not waiting:
        return None
    for entry in waiting.values():
        if len(entry.districts) > SHOWN_UNITS:
            # The most waiting first (units with as many keep their administrative order).
            ranked = sorted(entry.districts, key=lambda unit: -unit["count"])
            entry.districts, entry.more_units = ranked[:SHOWN_UNITS], len(ranked) - SHOWN_UNITS
    return Panel(template=TEMPLATE, context={"open_campaigns": [], "waiting": list(waiting.values())})


def per_year_chart(per_year: dict[int, int]) -> dict | None:
    """Commendations per year as a bar chart for static/js/charts.js (the first screen and the statistics)."""
    if not per_year:
        return None
    return {
        "type": "bar",
        "labels": [str(year) for year in per_year],
        "datasets": [{"label": str(_("Commendations")), "data": list(per_year.values())}],
        "decimals": 0,
        "min": 0,
    }


def chart_panel(user) -> Panel | None:
    """The province's commendations per year beside its other charts: one query, for provincial staff only
    (like the other charts of the first screen: the administrator's country-wide figures belong on the
    statistics page), nothing before any decision."""
    if not user.is_provincial_staff:
        return None
    chart = per_year_chart(commendations_per_year(user=user))
    if chart is None:
        return None
    return Panel(template="awards/partials/commendation_home_chart.html", context={"chart": chart})
