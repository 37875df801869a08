"""The first screen of provincial staff draws the province's commendations per year (static/js/charts.js),
beside the province's other charts. One query; nothing for other roles or before any decision."""

from django.utils.translation import gettext as _

from branches.home import Panel

from .selectors import commendations_per_year


def chart_panel(user) -> Panel | None:
    # Like the other charts of the first screen, for provincial staff only: an administrator's country-wide
    # figures belong on the statistics page.
    if not user.is_provincial_staff:
        return None
    per_year = commendations_per_year(user=user)
    if not per_year:
        return None
    chart = {
        "type": "bar",
        "labels": [str(year) for year in per_year],
        "datasets": [{"label": str(_("Commendations")), "data": list(per_year.values())}],
        "decimals": 0,
        "min": 0,
    }
    return Panel(template="awards/partials/commendation_home_chart.html", context={"chart": chart})
