"""Reads of the hierarchy, always through the user's scope.

Counts for a table of units are computed with one grouped query per measure and joined in Python,
so a page costs the same number of queries for 9 districts or 696.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.http import Http404
from django.utils.dateparse import parse_date

from core.scope import mark_visible
from core.text import search_terms

from .counters import unit_counts
from .divisions import REFORM_DAY
from .models import (
    Branch,
    BranchAttachment,
    BranchSuccession,
    Commune,
    CommuneSuccession,
    District,
    DistrictSuccession,
    Province,
    ProvinceSuccession,
)


def unit_name(model, key: str, *, via: str = "pk") -> Subquery:
    """The name of the unit (`model`: Province, District, Commune, Branch) whose `via` equals the row's
    `key`, read beside each row of an export by its index rather than joined. A list of secretaries or
    assessments joined to five units is past PostgreSQL's join_collapse_limit (8): the planner then keeps
    the joins in the order written and applies the user's scope (a subquery) last, after joining the whole
    country. `unit_name(Province, "branch__commune_id", via="communes")`: the province of the branch's
    commune."""
    return Subquery(model.objects.filter(**{via: OuterRef(key)}).order_by().values("name"))


def commune_ended_on(key: str, *, via: str = "pk") -> Subquery:
    """The day the commune whose `via` equals the row's `key` ended (None for today's), read beside each row
    as `unit_name` reads its name: an export's "Unit today" of a branch still waiting for its new commune
    (`branches.rollup.unit_today_named`)."""
    return Subquery(Commune.objects.filter(**{via: OuterRef(key)}).order_by().values("ended_on"))


def alive_under(parent: str | None) -> Q:
    """Current units, and under an ended parent the units that still existed on its last day: the pages of
    the old Tỉnh Trà Vinh count its districts and communes as they were on 30/06/2025."""
    alive = Q(ended_on__isnull=True)
    if parent:
        alive |= Q(ended_on__gte=F(f"{parent}__ended_on"))
    return alive


def _alive_in_scope(user, model) -> Q:
    """`alive_under` the user's own unit, for rows of `model` (users are still bound to a province or
    district of either world; their own unit counts whether or not it has ended)."""
    if user.is_district_officer:
        return Q() if model is District else alive_under("district")
    if user.is_commune_officer:
        return Q() if model is Commune else alive_under(None)
    if user.is_provincial_staff:
        if model is Province:
            return Q()
        # Staff of today's province read its predecessors' records, but count today's units only.
        return alive_under(None) if user.province.ended_on is None else alive_under("province")
    return alive_under(None)


def scope_totals(*, user, districts: bool = True, communes: bool = True) -> dict[str, int]:
    """Headline figures of everything the user may see (branches and members from the counters); the
    numbers of districts and communes only when asked (the first screen shows no districts under today's
    units, and a commune officer neither)."""
    counted = unit_counts(user=user, fields=[])
    totals = {
        "branches": sum(row["branches"] for row in counted),
        "members": sum(row["members"] for row in counted),
    }
    for name, model, wanted in (("districts", District, districts), ("communes", Commune, communes)):
        if wanted:
            totals[name] = model.objects.visible_to(user).filter(_alive_in_scope(user, model)).count()
    return totals


def _grouped(qs, key: str, **measures) -> dict:
    return {row[key]: row for row in qs.order_by().values(key).annotate(**measures)}


def attach_totals(units: Iterable, *, user, level: str) -> list:
    """Set district_count, commune_count, branch_count and member_count on each unit of a level.

    `level` is "province", "district" or "commune": the lookup from a branch or commune to the unit.
    """
    units = list(units)
    ids = [unit.pk for unit in units]
    branch_key = "commune" if level == "commune" else f"commune__{level}"
    branches: dict = {}
    # An ended unit's table of its own units counts each with the branches it had on the unit's last day.
    counted = unit_counts(user=user, fields=[branch_key], within={f"{branch_key}__in": ids}, as_on_end=True)
    for row in counted:
        found = branches.setdefault(row[branch_key], {"branch_count": 0, "member_count": 0})
        found["branch_count"] += row["branches"]
        found["member_count"] += row["members"]
    communes = {}
    if level != "commune":
        communes = _grouped(
            Commune.objects.visible_to(user).filter(alive_under(level), **{f"{level}__in": ids}),
            level,
            commune_count=Count("pk"),
        )
    districts = {}
    if level == "province":
        districts = _grouped(
            District.objects.visible_to(user).filter(alive_under("province"), province__in=ids),
            "province",
            district_count=Count("pk"),
        )
    for unit in units:
        unit.branch_count = branches.get(unit.pk, {}).get("branch_count", 0)
        unit.member_count = branches.get(unit.pk, {}).get("member_count") or 0
        unit.commune_count = communes.get(unit.pk, {}).get("commune_count", 0)
        unit.district_count = districts.get(unit.pk, {}).get("district_count", 0)
    return units


# The current secretary on each row of a list of branches: the secretaries app's to say (branches cannot
# import its terms); its AppConfig.ready() registers how (secretaries.selectors.attach_secretaries).
_attach_secretaries: Callable[..., None] | None = None


def register_secretaries_of(attach: Callable[..., None]) -> None:
    """`attach(branches, user=…)` sets on each of a list of branches `secretary_name`, `secretary_phone` and
    `secretary_person` (the person's id), the last two None where the person is outside the user's scope."""
    global _attach_secretaries
    _attach_secretaries = attach


def attach_secretaries(branches: list, *, user) -> list:
    """`branches` (a page of a list, a commune's, a chunk of an export) with their current secretary's name,
    phone and id (`register_secretaries_of`): one query for the rows in hand, whatever their number. As three
    subqueries of the list's own query they were a fifth of the branch list's time (built and compiled on
    every request), for 25 rows."""
    if _attach_secretaries is None:
        for branch in branches:
            branch.secretary_name = branch.secretary_phone = branch.secretary_person = None
    else:
        _attach_secretaries(branches, user=user)
    return branches


#: The columns a table of units sorts by ("?o=branches", "?o=-members": templates/partials/unit_table.html),
#: each with the code after it, so that equal figures keep the official order.
UNIT_ORDERS = {
    "code": lambda unit: unit.code,
    "name": lambda unit: (unit.name_key, unit.code),
    "communes": lambda unit: (unit.commune_count, unit.code),
    "branches": lambda unit: (unit.branch_count, unit.code),
    "members": lambda unit: (unit.member_count, unit.code),
}


def sort_units(units: list, order: str | None) -> list:
    """Units with `attach_totals`, in the order a table's header asks for; by default those with branches
    first (a merged province's 124 communes began with 48 of Bến Tre's, empty), each part by code. In
    Python: the figures are not columns of a query, and it costs none."""
    field = (order or "").removeprefix("-")
    if field not in UNIT_ORDERS:
        return sorted(units, key=lambda unit: (not unit.branch_count, unit.code))
    return sorted(units, key=UNIT_ORDERS[field], reverse=order.startswith("-"))


def waiting_sums(provinces: list) -> list[dict]:
    """For the province list's note: each province that goes on, its own branches, those still waiting
    under the one ended province that went into it, and their sum, the first screen's count ("Tỉnh Vĩnh
    Long: 490 + 85 = 575"). `provinces` with `attach_totals`; one query."""
    by_pk = {p.pk: p for p in provinces}
    ended = [p.pk for p in provinces if p.ended_on and p.branch_count]
    successors: dict[int, list[int]] = {}
    for predecessor, successor in ProvinceSuccession.objects.filter(predecessor__in=ended).values_list(
        "predecessor", "successor"
    ):
        successors.setdefault(predecessor, []).append(successor)
    sums: dict[int, dict] = {}
    for predecessor, into in successors.items():
        if len(into) != 1 or into[0] not in by_pk:  # split between provinces: no one sum to give
            continue
        province = by_pk[into[0]]
        row = sums.setdefault(province.pk, {"province": province, "own": province.branch_count, "waiting": 0})
        row["waiting"] += by_pk[predecessor].branch_count
    for row in sums.values():
        row["total"] = row["own"] + row["waiting"]
    return sorted(sums.values(), key=lambda row: row["province"].code)


LEVELS: tuple[tuple[str, type], ...] = (("province", Province), ("district", District), ("commune", Commune))


def level_below(user, *, finest: str = "commune") -> tuple[str, type]:
    """The unit level just below the user's own, as its name (also the field that holds it on scoped rows)
    and its model: provinces for the administrator, districts for provincial staff, communes for a district
    officer. A report that goes no finer than `finest` stops there (per district, say, for an officer).
    Since the 2025 reform a province has no districts: its staff get the communes directly under it; a
    commune officer has no level below, and gets its own commune (whose rows are its branches)."""
    if user.is_commune_officer or user.is_district_officer:
        depth = 2
    elif user.is_provincial_staff:
        depth = 2 if user.province.began_on == REFORM_DAY else 1
    else:
        depth = 0
    names = [name for name, _model in LEVELS]
    return LEVELS[min(depth, names.index(finest))]


def home_units(*, user) -> tuple[str, list]:
    """The level just below the user's own unit, with its totals: what the home page lists."""
    level, model = level_below(user)
    units = model.objects.visible_to(user).filter(_alive_in_scope(user, model))
    if level == "commune":
        units = units.select_related("district")
    return level, attach_totals(units, user=user, level=level)


# Lineage across the 2025 reform.

SUCCESSION_MODELS = {Province: ProvinceSuccession, District: DistrictSuccession, Commune: CommuneSuccession}


def unit_by_code(queryset, *, code: str, on: str | None):
    """The unit a URL names by code: with "?on=YYYY-MM-DD" the one existing that day, else the current one,
    else the last to end; within the user's scope, so an old link of a district officer still finds the
    old commune even where a new commune of another province now has its code. 404 when none."""
    try:
        day = parse_date(on or "")
    except ValueError:
        day = None
    try:
        return queryset.get_by_code(code, on=day)
    except queryset.model.DoesNotExist as missing:
        raise Http404 from missing


def unit_lineage(unit, *, user) -> dict[str, list]:
    """What a unit went into ("merged_into") and came from ("formed_from"), as succession rows whose
    other unit carries `visible` (linked only when the user may open it). Three queries."""
    model = type(unit)
    rows = SUCCESSION_MODELS[model].objects.select_related("predecessor", "successor")
    merged_into = list(rows.filter(predecessor=unit).order_by("successor__code"))
    formed_from = list(rows.filter(successor=unit).order_by("predecessor__code"))
    mark_visible([row.successor for row in merged_into] + [row.predecessor for row in formed_from], user)
    return {"merged_into": merged_into, "formed_from": formed_from}


def attach_successors(units: list, *, model, user) -> list:
    """Set `successors` (units in code order, with `partly` and `visible`) on each ended unit of a list:
    two queries at most."""
    ended = [unit.pk for unit in units if unit.ended_on]
    by_unit: dict[int, list] = {}
    if ended:
        rows = (
            SUCCESSION_MODELS[model]
            .objects.filter(predecessor__in=ended)
            .select_related("successor")
            .order_by("successor__code")
        )
        for row in rows:
            row.successor.partly = row.partly
            by_unit.setdefault(row.predecessor_id, []).append(row.successor)
    mark_visible([successor for found in by_unit.values() for successor in found], user)
    for unit in units:
        unit.successors = by_unit.get(unit.pk, [])
    return units


UNIT_SEARCH_LIMIT = 20


def units_search(*, user, query: str) -> list[tuple[str, str, list]]:
    """Provinces, districts and communes whose folded name holds every word of the query, old and new:
    current units first, each level capped, ended ones with their successors."""
    terms = search_terms(query)
    if not terms:
        return []
    results = []
    for level, model in LEVELS:
        units = model.objects.visible_to(user)
        for term in terms:
            units = units.filter(name_key__contains=term)
        related = {"province": [], "district": ["province"], "commune": ["district", "province"]}[level]
        units = list(
            units.select_related(*related).order_by(F("ended_on").desc(nulls_first=True), "name_key", "code")[
                :UNIT_SEARCH_LIMIT
            ]
        )
        if units:
            label = model._meta.verbose_name_plural
            results.append((level, label, attach_successors(units, model=model, user=user)))
    return results


def shows_communes(user) -> bool:
    """Whether branch lists have a commune column (and filter): not for a commune officer, whose branches
    are all under its one commune, unless some of its former branches are now under another."""
    return not user.is_commune_officer or bool(user.former_branch_ids(outside_only=True))


def shows_districts(user) -> bool:
    """Whether branch lists have a district column: not for a district officer (one district), nor for the
    users of today's units (since 01/07/2025 a commune is directly under its province)."""
    if user.is_district_officer or user.is_commune_officer:
        return False
    if user.is_provincial_staff:
        return user.province.began_on is None
    return True


def communes_of_branches(user):
    """The communes a list of the user's branches may be narrowed to: those in the user's scope and, for a
    unit that has ended (a Huyện đoàn, old Tỉnh đoàn Trà Vinh), today's communes its former branches are
    under, which its first screen and its lists name (their links narrow a list to one of them)."""
    communes = Commune.objects.visible_to(user)
    if user.is_administrator or user.unit_ended_on is None:
        return communes
    today = Branch.objects.visible_to(user).order_by().values("commune")
    return Commune.objects.filter(Q(pk__in=communes.order_by().values("pk")) | Q(pk__in=today))


# Branches across the reform: the work list of branches waiting for their new commune.


def waiting_branches(*, user, query: str | None = None):
    """Branches in the user's scope still under a commune that ended and was split (or whose one new
    commune already has their name): they wait for provincial staff to choose their new commune."""
    return (
        Branch.objects.visible_to(user)
        .waiting()
        .search(query)
        .select_related("commune__district", "commune__province")
        .order_by("commune__district__code", "commune__code", "name_key", "pk")
    )


def attach_candidates(branches: list, *, user) -> list:
    """Set `candidates` on each waiting branch: today's communes its old commune went into, from the
    conversion table, in code order, only those the user may choose (visible to them; every one for
    `user=None`, to say why a branch waits), each with `partly`, and `clashes` (those that have its name
    already: it waits for a new name, not because its commune was split). Three queries, whatever the number
    of rows (two for `user=None`)."""
    branches = list(branches)
    rows = list(
        CommuneSuccession.objects.filter(
            predecessor__in={b.commune_id for b in branches}, successor__ended_on__isnull=True
        )
        .select_related("successor")
        .order_by("successor__code")
    )
    successors = {row.successor_id for row in rows}
    if user is None:
        visible = successors
    else:
        visible = set(
            Commune.objects.visible_to(user).filter(pk__in=successors).values_list("pk", flat=True)
            if rows
            else ()
        )
    by_commune: dict[int, list] = {}
    for row in rows:
        if row.successor_id in visible:
            row.successor.partly = row.partly
            by_commune.setdefault(row.predecessor_id, []).append(row.successor)
    # Candidates that already have a branch of the same name (two "Khóm 1" of two old wards): the row
    # offers a new name. One query.
    taken = set(
        Branch.objects.filter(commune__in=visible, name_key__in={b.name_key for b in branches}).values_list(
            "commune", "name_key"
        )
        if visible
        else ()
    )
    for branch in branches:
        branch.candidates = by_commune.get(branch.commune_id, [])
        branch.clashes = [c for c in branch.candidates if (c.pk, branch.name_key) in taken]
    return branches


def settles_waiting(user) -> bool:
    """Who chooses waiting branches' new communes: the administrator and the staff of the provinces that go
    on (those formed on 01/07/2025, and those the reform left whole, whose communes merged too). The staff
    of an ended province (Trà Vinh) read its branches; today's province settles them."""
    if user.is_administrator:
        return True
    return user.is_provincial_staff and user.unit_ended_on is None


def waiting_count(*, user) -> int:
    return Branch.objects.visible_to(user).waiting().count() if settles_waiting(user) else 0


@dataclass
class Origin:
    """One succession that made or enlarged a branch: the branches it came from on `on`, by merger or split.
    `took_in`: a merger into this branch as it went on (it existed before: "Tiếp nhận"), not one that
    formed it."""

    on: date
    is_merge: bool
    took_in: bool
    rows: list = field(default_factory=list)


def branch_lineage(branch, *, user) -> dict[str, list]:
    """What a branch went into ("merged_into" / "split_into") as rows whose other branch carries `visible`,
    and where it came from, one `Origin` per succession, oldest first: "formed_from" (it began by a merger or
    split) and "took_in" (branches merged into it as it went on; a branch formed by a merger or split is
    founded on that day). Three queries."""
    rows = BranchSuccession.objects.select_related("predecessor__commune", "successor__commune")
    successions = list(rows.filter(predecessor=branch).order_by("successor__name_key"))
    origins = list(rows.filter(successor=branch).order_by("on", "predecessor__name_key"))
    mark_visible([row.successor for row in successions] + [row.predecessor for row in origins], user)
    groups: dict[tuple, Origin] = {}
    for row in origins:
        took_in = row.is_merge and (branch.founded_on is None or branch.founded_on < row.on)
        key = (row.on, row.is_merge, took_in)
        groups.setdefault(key, Origin(on=row.on, is_merge=row.is_merge, took_in=took_in)).rows.append(row)
    return {
        "merged_into": [row for row in successions if row.is_merge],
        "split_into": [row for row in successions if not row.is_merge],
        "formed_from": [group for group in groups.values() if not group.took_in],
        "took_in": [group for group in groups.values() if group.took_in],
    }


def branch_former_communes(branch) -> list[BranchAttachment]:
    """The communes `branch` belonged to before its commune today (re-attached on 01/07/2025, or later from
    the work list), each with the last day it belonged there and its district and province, oldest first.
    One query."""
    return list(
        BranchAttachment.objects.filter(branch=branch)
        .select_related("commune__district", "commune__province")
        .order_by("ended_on")
    )


def branches_moved_away(commune, *, user) -> list:
    """The branches an ended commune had and that went into another commune since (on 01/07/2025, or later
    from the work list): its page lists them with their commune today, where its own list of branches is
    empty. One query, through the user's scope; their successors set (`attach_branch_successors`)."""
    moved = list(
        Branch.objects.visible_to(user)
        .filter(pk__in=BranchAttachment.objects.filter(commune=commune).values("branch"))
        .exclude(commune=commune)
        .select_related("commune__district")
        .order_by("name_key", "pk")
    )
    return attach_branch_successors(moved, user=user) if moved else moved


def attach_branch_successors(branches: list, *, user) -> list:
    """Set `successors` on each ended branch of a page (what it went into), each marked `visible` for
    `user` (read by the `linkable` filter: a branch formed after an ended unit's end is named, not linked).
    One query for any non-empty page, whether or not it holds an ended branch, so a list costs the same
    whatever its rows."""
    by_branch: dict[int, list] = {}
    for row in (
        BranchSuccession.objects.filter(
            predecessor__in=[b.pk for b in branches], predecessor__ended_on__isnull=False
        )
        .select_related("successor")
        .annotate(visible=Exists(Branch.objects.visible_to(user).filter(pk=OuterRef("successor"))))
        .order_by("successor__name_key")
    ):
        row.successor.visible = row.visible
        by_branch.setdefault(row.predecessor_id, []).append(row.successor)
    for branch in branches:
        branch.successors = by_branch.get(branch.pk, [])
    return branches


def branch_attachments(branches: Iterable[Branch], *, since=None) -> dict[int, list[BranchAttachment]]:
    """{branch id: its former communes (BranchAttachment), oldest first, each with its district}, those it
    still belonged to on `since` if given: what `commune_on` reads. One query."""
    attachments = BranchAttachment.objects.filter(branch__in=[b.pk for b in branches])
    if since is not None:
        attachments = attachments.filter(ended_on__gte=since)
    found: dict[int, list[BranchAttachment]] = {}
    for attachment in attachments.select_related("commune__district").order_by("branch", "ended_on"):
        found.setdefault(attachment.branch_id, []).append(attachment)
    return found


def commune_on(branch: Branch, day, attachments: dict[int, list[BranchAttachment]]) -> Commune:
    """The commune `branch` belonged to on `day`: the earliest of its former communes (`attachments`, from
    `branch_attachments`) that it still belonged to that day, else its commune today."""
    for attachment in attachments.get(branch.pk, ()):
        if attachment.ended_on >= day:
            return attachment.commune
    return branch.commune


def branch_communes_on(branches: Iterable[Branch], day) -> dict[int, Commune]:
    """{branch id: the commune each branch belonged to on `day`} (`commune_on`): what a dated document (a
    certificate, a published list) names, however the branch was re-attached later. One query, with each
    commune's district; `branches` come with their `commune__district`."""
    branches = list(branches)
    attachments = branch_attachments(branches, since=day)
    return {b.pk: commune_on(b, day, attachments) for b in branches}


def whole_successors(*, on) -> dict[int, int]:
    """{old commune: the one new commune it went into whole on `on`}, for the communes that ended the day
    before; those split across several new communes, or merged only partly, are left out (the work list's)."""
    successions = CommuneSuccession.objects.filter(predecessor__ended_on=on - timedelta(days=1), on=on)
    whole = (
        successions.values("predecessor")
        .annotate(n=Count("pk"), partly=Count("pk", filter=Q(partly=True)))
        .filter(n=1, partly=0)
        .values("predecessor")
    )
    return dict(successions.filter(predecessor__in=whole).values_list("predecessor", "successor"))
