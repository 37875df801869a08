"""What the first screen says about secretaries: vacancies and terms ending soon."""

from django.utils.translation import gettext as _

from core.home import Panel

from . import selectors

SOON_SHOWN = 8


def panel(user) -> Panel:
    level, summary = selectors.vacancy_summary(user=user)
    ending = selectors.terms_ending_soon(user=user)
    if not user.is_district_officer:
        per_unit = selectors.ending_soon_per_unit(user=user)
        for row in summary:
            row["ending"] = per_unit.get(row["unit"].pk if row["unit"] else None, 0)
    chart = None
    if user.is_provincial_staff and summary:
        # The first screen of provincial staff draws the province (static/js/charts.js).
        names = [row["unit"].name if row["unit"] else str(_("Province level")) for row in summary]
        chart = {
            "type": "bar",
            "labels": names,
            "datasets": [
                {
                    "label": str(_("With a secretary")),
                    "data": [row["branches"] - row["vacant"] for row in summary],
                },
                {"label": str(_("Without a secretary")), "data": [row["vacant"] for row in summary]},
            ],
            "decimals": 0,
        }
    return Panel(
        template="secretaries/partials/home_panel.html",
        context={
            "vacant": sum(row["vacant"] for row in summary),
            "summary": summary if not user.is_district_officer else [],
            "summary_level": level,
            "ending_soon": list(ending[:SOON_SHOWN]),
            "ending_count": ending.count(),
            "ending_within": selectors.TERMS_ENDING_WITHIN_DAYS,
            "chart": chart,
        },
    )
