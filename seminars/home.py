"""What the first screen says about seminars: open proposals past their due date, summed per district
for provincial staff (and the administrator), each linking to the follow-up page."""

from branches.models import District
from core.home import Panel

from . import selectors


def panel(user) -> Panel:
    per_district = selectors.overdue_per_district(user=user)
    rows = []
    if not user.is_district_officer and per_district:
        districts = District.objects.filter(pk__in=[k for k in per_district if k is not None])
        rows = [{"unit": d, "overdue": per_district[d.pk]} for d in districts.order_by("code")]
        if None in per_district:
            rows.append({"unit": None, "overdue": per_district[None]})
    return Panel(
        template="seminars/partials/home_panel.html",
        context={"overdue": sum(per_district.values()), "per_district": rows},
    )
