"""Reads of the hierarchy, always through the user's scope.

Counts for a table of units are computed with one grouped query per measure and joined in Python,
so a page costs the same number of queries for 9 districts or 696.
"""

from collections.abc import Iterable

from django.db.models import Count, Sum

from .models import Branch, Commune, District, Province


def scope_totals(*, user) -> dict[str, int]:
    """Headline figures of everything the user may see."""
    branches = (
        Branch.objects.visible_to(user).active().aggregate(branches=Count("pk"), members=Sum("member_count"))
    )
    return {
        "districts": District.objects.visible_to(user).filter(ended_on__isnull=True).count(),
        "communes": Commune.objects.visible_to(user).filter(ended_on__isnull=True).count(),
        "branches": branches["branches"],
        "members": branches["members"] or 0,
    }


def _grouped(qs, key: str, **measures) -> dict:
    return {row[key]: row for row in qs.order_by().values(key).annotate(**measures)}


def attach_totals(units: Iterable, *, user, level: str) -> list:
    """Set district_count, commune_count, branch_count and member_count on each unit of a level.

    `level` is "province", "district" or "commune": the lookup from a branch or commune to the unit.
    """
    units = list(units)
    ids = [unit.pk for unit in units]
    branch_key = "commune" if level == "commune" else f"commune__{level}"
    branches = _grouped(
        Branch.objects.visible_to(user).active().filter(**{f"{branch_key}__in": ids}),
        branch_key,
        branch_count=Count("pk"),
        member_count=Sum("member_count"),
    )
    communes = {}
    if level != "commune":
        communes = _grouped(
            Commune.objects.visible_to(user).filter(ended_on__isnull=True, **{f"{level}__in": ids}),
            level,
            commune_count=Count("pk"),
        )
    districts = {}
    if level == "province":
        districts = _grouped(
            District.objects.visible_to(user).filter(ended_on__isnull=True, province__in=ids),
            "province",
            district_count=Count("pk"),
        )
    for unit in units:
        unit.branch_count = branches.get(unit.pk, {}).get("branch_count", 0)
        unit.member_count = branches.get(unit.pk, {}).get("member_count") or 0
        unit.commune_count = communes.get(unit.pk, {}).get("commune_count", 0)
        unit.district_count = districts.get(unit.pk, {}).get("district_count", 0)
    return units


LEVELS: tuple[tuple[str, type], ...] = (("province", Province), ("district", District), ("commune", Commune))


def level_below(user, *, finest: str = "commune") -> tuple[str, type]:
    """The unit level just below the user's own, as its name (also the field that holds it on scoped rows)
    and its model: provinces for the administrator, districts for provincial staff, communes for a district
    officer. A report that goes no finer than `finest` stops there (per district, say, for an officer)."""
    depth = 2 if user.is_district_officer else 1 if user.is_provincial_staff else 0
    names = [name for name, _model in LEVELS]
    return LEVELS[min(depth, names.index(finest))]


def home_units(*, user) -> tuple[str, list]:
    """The level just below the user's own unit, with its totals: what the home page lists."""
    level, model = level_below(user)
    units = model.objects.visible_to(user).filter(ended_on__isnull=True)
    if level == "commune":
        units = units.select_related("district")
    return level, attach_totals(units, user=user, level=level)
