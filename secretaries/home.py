"""What the first screen says about secretaries: vacancies and terms ending soon."""

from branches.home import Panel

from . import selectors

SOON_SHOWN = 8


def panel(user) -> Panel:
    level, summary = selectors.vacancy_summary(user=user)
    ending = selectors.terms_ending_soon(user=user)
    if not user.is_district_officer:
        per_unit = selectors.ending_soon_per_unit(user=user)
        for row in summary:
            row["ending"] = per_unit.get(row["unit"].pk if row["unit"] else None, 0)
    return Panel(
        template="secretaries/partials/home_panel.html",
        context={
            "vacant": sum(row["vacant"] for row in summary),
            "summary": summary if not user.is_district_officer else [],
            "summary_level": level,
            "ending_soon": list(ending[:SOON_SHOWN]),
            "ending_count": ending.count(),
            "ending_within": selectors.TERMS_ENDING_WITHIN_DAYS,
        },
    )
