"""Reports "as recorded" or "rolled up to today's units": the one switch every report shares.

A record keeps the units of its time (a 2020 commendation names Tỉnh Trà Vinh and Huyện Tiểu Cần); its
branch belongs to a commune today (since 01/07/2025 a commune of Vĩnh Long, with no district). A report
groups either way, chosen by `?units=recorded|today`:

- as recorded (the default): per unit one level below the user's own, as the record names it; for staff of
  a province formed in 2025, whose level below is the commune, a record of the past with a district is
  counted under that district ("per district for the past, per commune since");
- rolled up: per today's unit of the record's branch (its commune, or its province for the whole country).

A selector asks `grouping(...)` for the lookups to read (`fields`), reads them in its grouped query, and
turns each row into its unit with `key(row)`; `units(keys)` loads the units named (one query per level).
"""

from dataclasses import dataclass

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from .divisions import OLD_WORLD_LAST_DAY
from .models import BranchAttachment, Commune, District, Province, ProvinceSuccession
from .selectors import level_below

RECORDED = "recorded"
TODAY = "today"
MODES = {RECORDED: _("As recorded"), TODAY: _("Rolled up to today's units")}
MODELS = {"province": Province, "district": District, "commune": Commune}
LEVEL_ORDER = {"province": 0, "district": 1, "commune": 2}


def units_mode(params) -> str:
    """The mode asked for in a query string: anything but "today" reads as recorded."""
    return TODAY if params.get("units") == TODAY else RECORDED


def units_switch(request, mode: str) -> dict:
    """What templates/partials/units_switch.html shows: a link per mode keeping the page's other filters."""
    links = []
    for value, label in MODES.items():
        params = request.GET.copy()
        params["units"] = value
        params.pop("page", None)
        url = "?" + params.urlencode()
        links.append({"value": value, "label": label, "url": url, "active": value == mode})
    return {"mode": mode, "label": MODES[mode], "links": links}


@dataclass(frozen=True)
class Grouping:
    mode: str
    #: (level, lookup) tried in order: a row belongs to the first unit that is not empty
    paths: tuple[tuple[str, str], ...]

    @property
    def fields(self) -> list[str]:
        return [path for _level, path in self.paths]

    @property
    def level(self) -> str:
        """The finest level rows may be (what a table's first column is called)."""
        return self.paths[-1][0]

    def prefixed(self, prefix: str) -> "Grouping":
        """The same grouping read from a related row (a group score's assessment, say)."""
        return Grouping(self.mode, tuple((level, f"{prefix}__{path}") for level, path in self.paths))

    def key(self, row: dict) -> tuple[str, int] | None:
        """The unit a row of `values(*fields)` belongs to, as (level, pk); None when it names none."""
        for level, path in self.paths:
            if row.get(path) is not None:
                return level, row[path]
        return None

    def units(self, keys) -> dict:
        """(level, pk) → unit, with its province (for the table's grouping): one query per level."""
        found = {}
        keys = [key for key in keys if key is not None]
        for level, model in MODELS.items():
            ids = [pk for key_level, pk in keys if key_level == level and pk is not None]
            if ids:
                related = [] if level == "province" else ["province"]
                for unit in model.objects.filter(pk__in=ids).select_related(*related):
                    found[(level, unit.pk)] = unit
        return found


def sort_key(level: str, unit) -> tuple:
    """Provinces of the past first (in code order), each with its districts, then its communes."""
    province = unit if level == "province" else unit.province
    return (province.ended_on is None, province.code, LEVEL_ORDER[level], unit.code)


#: A record's own unit fields, by level: what every scoped record stores (the units of its time).
OWN_UNITS = {"province": "province", "district": "district", "commune": "commune"}


def grouping(
    *,
    user,
    mode: str,
    recorded: dict[str, str] = OWN_UNITS,
    branch: str = "branch",
    finest: str = "commune",
) -> Grouping:
    """The lookups a report groups by. `recorded` names the record's own unit fields by level (by default
    `OWN_UNITS`: fields named province, district and commune); a level it lacks is read from
    the branch (the branch's commune is the record's for records made since the reform). `branch` is the
    lookup from the record to its branch."""
    level, _model = level_below(user, finest=finest)
    if mode == TODAY:
        # Today there are no districts: rolled up means per today's commune (per province for the country).
        if level == "province":
            return Grouping(mode, (("province", f"{branch}__commune__province"),))
        return Grouping(mode, (("commune", f"{branch}__commune"),))

    def path(name: str) -> str:
        if name in recorded:
            return recorded[name]
        return f"{branch}__commune" if name == "commune" else f"{branch}__commune__{name}"

    # A unit of the 2025 world (a province formed then, a commune), whose level below is the commune: its past
    # was recorded per district, its present per commune — for provincial staff always, for a commune
    # officer in a report that goes no finer than districts (there are no districts since).
    new_world = not user.is_district_officer and level_below(user)[0] == "commune"
    if new_world and (user.is_provincial_staff or finest == "district"):
        return Grouping(mode, (("district", path("district")), ("commune", path("commune"))))
    return Grouping(mode, ((level, path(level)),))


#: A report's first column, by what its rows are (`rows_level`).
LEVEL_HEADERS = {
    "province": _("Province"),
    "district": _("District"),
    "commune": _("Commune"),
    "unit": _("Unit"),
}


def rows_level(levels: set[str], default: str) -> str:
    """What a table's rows are, from the levels of the units in it: that level, "unit" for districts (of
    the past) beside today's communes, `default` for a table with no unit."""
    return next(iter(levels)) if len(levels) == 1 else "unit" if levels else default


def unit_names(*names: str | None) -> str:
    """An export's unit cell: "Huyện Tiểu Cần, Tỉnh Trà Vinh" (the empty parts left out)."""
    return ", ".join(name for name in names if name)


def unit_today(commune: str | None, ended_on, province: str | None) -> str:
    """An export's "Unit today" of a record's branch: its commune and `province` (the one it is in today);
    for a branch still under a commune that ended on `ended_on` (waiting for its new one since the 2025
    reform), that it waits."""
    if ended_on is None:
        return unit_names(commune, province)
    waiting = _("Waiting for its new commune (%(commune)s until %(date)s)") % {
        "commune": commune,
        "date": ended_on.strftime("%d/%m/%Y"),
    }
    return unit_names(waiting, province)


def unit_today_named(commune: str | None, ended_on, province: str | None, successors: dict[str, str]) -> str:
    """`unit_today` from the names an export reads beside its rows (`commune_ended_on` gives `ended_on`): a
    branch waiting under an ended commune is in the province its ended province went into (`successors`
    being `provinces_today_by_name()`)."""
    if ended_on is not None:
        province = successors.get(province, province)
    return unit_today(commune, ended_on, province)


def branch_unit_today(commune, successors: dict[int, str]) -> str:
    """`unit_today` of a branch's commune (with its province), `successors` being `provinces_today()`."""
    return unit_names(*branch_units_today(commune, successors))


def branch_units_today(commune, successors: dict[int, str]) -> tuple[str, str]:
    """A branch's commune and province today, as two cells: `unit_today`'s wording of a commune that ended
    (the branch waits for its new one), and the province that ended province went into."""
    province = commune.province.name
    if commune.ended_on is not None:
        province = successors.get(commune.province_id, province)
    return unit_today(commune.name, commune.ended_on, None), province


def units_until_reform_headers() -> list[str]:
    """A branch export's headers of its units until the 2025 reform ("Xã cũ (đến 30/06/2025)"): not "Xã
    (đến …)", which an import reads as today's "Xã" (the note in brackets is left out)."""
    day = OLD_WORLD_LAST_DAY.strftime("%d/%m/%Y")
    return [
        _("Old commune (until %(date)s)") % {"date": day},
        _("Old district (until %(date)s)") % {"date": day},
        _("Old province (until %(date)s)") % {"date": day},
    ]


def reform_loaded() -> bool:
    """Whether the units have two worlds (the old ones ended on 30/06/2025): only then do a branch export's
    rows carry their units until that day beside today's. One query."""
    return Province.objects.filter(ended_on__isnull=False).exists()


def with_units_until_reform(branches):
    """`branches` with their commune, district and province on 30/06/2025 (`old_commune`, `old_district`,
    `old_province`): the commune of the old world they were re-attached from (BranchAttachment), read in the
    same query as the rows. A branch still under its old commune (waiting, inactive) has none: its own
    commune is that one (`units_until_reform`)."""
    former = BranchAttachment.objects.filter(
        branch=OuterRef("pk"), ended_on__gte=OLD_WORLD_LAST_DAY, commune__began_on__isnull=True
    ).order_by("ended_on")
    return branches.annotate(
        old_commune=Subquery(former.values("commune__name")[:1]),
        old_district=Subquery(former.values("commune__district__name")[:1]),
        old_province=Subquery(former.values("commune__province__name")[:1]),
    )


def units_until_reform(branch) -> list[str]:
    """The three cells of `units_until_reform_headers` for a branch read through `with_units_until_reform`
    (with its commune's district and province): empty for a branch founded since under a new commune."""
    if branch.old_commune is not None:
        return [branch.old_commune, branch.old_district or "", branch.old_province or ""]
    commune = branch.commune
    if commune.began_on is not None:
        return ["", "", ""]
    return [commune.name, commune.district.name if commune.district_id else "", commune.province.name]


def provinces_today_by_name() -> dict[str, str]:
    """`provinces_today()` by the ended province's name, for exports that read names only. One query."""
    named = dict(Province.objects.filter(ended_on__isnull=False).values_list("pk", "name"))
    return {named[pk]: names for pk, names in provinces_today().items() if pk in named}


def provinces_today() -> dict[int, str]:
    """Each ended province's id → the name(s) of the province(s) it went into, for the "Unit today" of records
    that name no branch (a seminar's organiser). One query."""
    found: dict[int, list[str]] = {}
    for predecessor, name in ProvinceSuccession.objects.order_by("successor__code").values_list(
        "predecessor", "successor__name"
    ):
        found.setdefault(predecessor, []).append(name)
    return {pk: ", ".join(names) for pk, names in found.items()}
