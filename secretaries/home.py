"""What the first screen says about secretaries: vacancies and terms ending soon."""

from django.utils.translation import gettext as _

from core.home import Panel

from . import selectors

SOON_SHOWN = 8
#: units on the first screen's chart and table: a province of 124 communes shows those with the most
#: vacancies (the vacancy list has them all), so each bar keeps a readable label, on a phone too
SHOWN_UNITS = 15


def panel(user) -> Panel:
    # Terms ending soon are today's work, to end and to replace: an account of an ended unit (Huyện đoàn
    # Tiểu Cần, Tỉnh đoàn Trà Vinh) reads its former branches' state but appoints nobody, so it is not given
    # them (nor their people's names).
    renews = user.unit_ended_on is None
    ending = selectors.terms_ending_soon(user=user)
    # One more than shown: when they all fit, their number is known without counting.
    ending_soon = list(ending[: SOON_SHOWN + 1]) if renews else []
    # An officer's own district or commune is the whole panel: its count of vacancies, no table of one row
    # (nor its units read for one).
    per_unit_shown = not (user.is_district_officer or user.is_commune_officer)
    if per_unit_shown:
        level, summary = selectors.vacancy_summary(user=user)
        vacant = sum(row["vacant"] for row in summary)
        per_unit = selectors.ending_soon_per_unit(user=user) if renews else {}
        for row in summary:
            row["ending"] = per_unit.get((row["level"], row["unit"].pk) if row["unit"] else None, 0)
        # Every term ending soon is in one row (None: no unit): their sum is the count, no second scan.
        ending_count = sum(per_unit.values())
    else:
        level, summary = "", []
        vacant = selectors.vacant_count(user=user)
        ending_count = len(ending_soon) if len(ending_soon) <= SOON_SHOWN else ending.count()
    if not renews:
        ending_count = None
    shown = summary
    if len(summary) > SHOWN_UNITS:
        shown = sorted(summary, key=lambda row: (-row["vacant"], -row.get("ending", 0), -row["branches"]))
        shown = shown[:SHOWN_UNITS]
    chart = None
    if user.is_provincial_staff and summary:
        # The first screen of provincial staff draws the province (static/js/charts.js).
        # An ended unit's bar is its branches still waiting under it, as its row says (home_panel.html).
        waiting = str(_("Its branches waiting for their new commune"))
        names = [
            (f"{row['unit'].name} · {waiting}" if row["unit"].ended_on else row["unit"].name)
            if row["unit"]
            else str(_("Province level"))
            for row in shown
        ]
        chart = {
            "type": "bar",
            "labels": names,
            "datasets": [
                {
                    "label": str(_("With a secretary")),
                    "data": [row["branches"] - row["vacant"] for row in shown],
                },
                {"label": str(_("Without a secretary")), "data": [row["vacant"] for row in shown]},
            ],
            "decimals": 0,
            "min": 0,
            # Commune names are long and many: bars across, one name per line, readable on a phone.
            "horizontal": level in ("commune", "unit"),
        }
    return Panel(
        template="secretaries/partials/home_panel.html",
        context={
            "vacant": vacant,
            "summary": shown,
            # Of many units, only those with the most vacancies are shown: how many, and of how many.
            "shown_top": len(shown) if len(shown) < len(summary) else 0,
            "unit_count": len(summary),
            "summary_level": level,
            "ending_soon": ending_soon[:SOON_SHOWN],
            "ending_count": ending_count,
            "ending_within": selectors.TERMS_ENDING_WITHIN_DAYS,
            "overdue": selectors.terms_overdue_count(user=user) if renews else 0,
            "chart": chart,
        },
    )


def correction_panel(user) -> Panel | None:
    """Corrections proposed by secretaries of the user's scope and waiting for a decision."""
    from .account_services import may_manage_accounts

    if not may_manage_accounts(user):
        return None
    count = selectors.pending_correction_count(user)
    if not count:
        return None
    return Panel(
        template="secretaries/partials/correction_panel.html", context={"pending_corrections": count}
    )
