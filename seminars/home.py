"""What the first screen says about seminars: open proposals past their due date, summed per organiser
(today's communes, the past's districts, the province itself) for provincial staff and the administrator,
each linking to the follow-up page."""

from branches.models import Commune, District
from core.home import Panel

from . import selectors
from .models import union_body_name
from .reminders import WARNING_DAYS as DUE_SOON_DAYS

#: organisers listed on the first screen: the whole country has hundreds with overdue proposals (832 on the
#: national data set); the most overdue are listed and the follow-up page has them all
SHOWN_ORGANISERS = 15


def panel(user) -> Panel | None:
    if user.unit_ended_on is not None:
        # An ended unit's proposals are followed up by the province since its end: nothing here is its to do.
        return None
    due = selectors.due_per_organiser(user=user, within_days=DUE_SOON_DAYS)
    per_organiser = {organiser: overdue for organiser, (overdue, _soon) in due.items() if overdue}
    rows = []
    shown = per_organiser
    if len(per_organiser) > SHOWN_ORGANISERS:
        top = sorted(per_organiser.items(), key=lambda item: (-item[1], item[0][0] or 0, item[0][1] or 0))
        shown = dict(top[:SHOWN_ORGANISERS])
    if not (user.is_district_officer or user.is_commune_officer) and shown:
        districts = District.objects.in_bulk([d for d, _c in shown if d is not None])
        communes = Commune.objects.in_bulk([c for _d, c in shown if c is not None])
        for (district, commune), overdue in shown.items():
            unit = communes.get(commune) or districts.get(district)
            rows.append(
                {
                    "unit": unit,
                    # As the Union names its organisers: "Huyện đoàn Tiểu Cần", "Đoàn xã Tập Ngãi".
                    "name": union_body_name(unit) if unit else "",
                    "kind": "commune" if commune else "district",
                    "overdue": overdue,
                }
            )
        # Today's communes, then the districts of the past, each by code; the province's own last.
        rows.sort(
            key=lambda r: (r["unit"] is None, r["kind"] != "commune", r["unit"].code if r["unit"] else "")
        )
        if len(shown) < len(per_organiser):
            rows.sort(key=lambda r: -r["overdue"])  # the most overdue first, as chosen
    return Panel(
        template="seminars/partials/home_panel.html",
        context={
            "overdue": sum(per_organiser.values()),
            # The tile opens the follow-up page on what it counts.
            "overdue_query": selectors.followup_overdue_query(user),
            "overdue_status": selectors.OVERDUE,
            "per_district": rows,
            # Open proposals coming due within a week (the e-mail reminder's window too).
            "due_soon": sum(soon for _overdue, soon in due.values()),
            "due_soon_days": DUE_SOON_DAYS,
            # Of many organisers, only the most overdue are listed: how many there are in all.
            "organisers": len(per_organiser) if len(shown) < len(per_organiser) else 0,
        },
    )
