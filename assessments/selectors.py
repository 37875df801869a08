"""Reads of skill assessments for the reports and the person page, always through the user's scope.

Only submitted and confirmed assessments count in averages and distributions: a draft may still change
and may lack scores. Drafts are counted on their own, so a page can say how many are left out.

Every function runs a fixed number of queries whatever the number of rows: the database sums and
counts (values().annotate()), and averages are sum / count in Decimal, so a unit's average and the
scope's average agree to the cent with the stored scores.
"""

import datetime
import math
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, F, Max, OuterRef, Q, Sum
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from branches.models import Commune, District, Province
from branches.rollup import RECORDED, TODAY, Grouping, grouping, sort_key
from branches.selectors import commune_ended_on, unit_name
from secretaries.selectors import percent

from .models import (
    Assessment,
    AssessmentTotal,
    Criterion,
    CriterionTotal,
    Framework,
    GroupScore,
    GroupTotal,
    ProvinceCriterionTotal,
    Rating,
    SkillGroup,
)
from .totals import COUNTED_STATUSES, KEY_PATHS

COUNTED = Q(status__in=COUNTED_STATUSES)
TWO_PLACES = Decimal("0.01")
DEFAULT_THRESHOLD = Decimal("3.0")
#: people (one per skill group below the threshold) the training-needs page lists at most; above that it
#: asks for a unit instead of cutting the list (the export has them all). A province of today lists ~700
#: (1 MB of page, a quarter of a second to draw): past a few hundred the list is for the export anyway.
PEOPLE_LISTED = 500


def mean(total, count: int) -> Decimal | None:
    """sum / count rounded half up to two places, as scoring.py rounds; None without any value."""
    if not count or total is None:
        return None
    return (Decimal(total) / count).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def counted_assessments(*, user, framework: Framework, quarter: int | None = None):
    """`quarter`: one quarter of a quarterly framework (the reports' ?quarter=), else every period."""
    counted = Assessment.objects.visible_to(user).filter(COUNTED, framework=framework)
    return counted.filter(quarter=quarter) if quarter else counted


def assessed_elsewhere(*, user, framework: Framework, people) -> set[int]:
    """Of `people`, those whose assessment in `framework` exists but lies outside the user's scope.

    Whose assessment it is after a move is decided here, once: an assessment belongs to the units recorded
    on it when it was made (the branch the person led then, see Assessment), and stays with them when the
    person later moves. The new unit's officer cannot see, edit or replace it (one assessment per person
    and framework): the commune grid shows the row read-only as "assessed by another unit", and
    services.assessment_save refuses to start another. Only the person ids are read, never the assessment."""
    ids = [getattr(p, "pk", p) for p in people]
    if not ids:
        return set()
    visible = Assessment.objects.visible_to(user).filter(framework=framework, person__in=ids)
    return set(
        Assessment.objects.filter(framework=framework, person__in=ids)
        .exclude(pk__in=visible.values("pk"))
        .values_list("person_id", flat=True)
    )


def default_framework(*, user) -> Framework | None:
    """The latest framework with assessments in the user's scope, else simply the latest one, among those the
    reports offer the user (`Framework.objects.offered_to`)."""
    in_scope = Assessment.objects.visible_to(user).filter(framework=OuterRef("pk"))
    offered = Framework.objects.offered_to(user)
    return offered.filter(Exists(in_scope)).order_by("-year").first() or offered.order_by("-year").first()


def framework_criteria(framework: Framework) -> list[Criterion]:
    return list(
        Criterion.objects.filter(group__framework=framework)
        .select_related("group")
        .order_by("group__order", "order")
    )


def _groups_of(criteria: list[Criterion]) -> list:
    groups = {}
    for criterion in criteria:
        groups.setdefault(criterion.group_id, criterion.group)
    return list(groups.values())


# ---------------------------------------------------------------------------------------------------
# Totals (assessments/totals.py keeps them exact): the reports sum them instead of every score


#: totals.KEY_PATHS, the longest record path first: a province of today is its own column, not the province
#: of the commune's column
_TOTAL_COLUMNS = sorted(KEY_PATHS.items(), key=lambda item: -len(item[1]))


def on_totals(group: Grouping) -> Grouping:
    """A report's grouping read from the totals, whose today's commune and its province are columns
    (totals.KEY_PATHS: branch__commune__province → branch_province, branch__commune → branch_commune)."""

    def path_on_totals(path: str) -> str:
        for column, record_path in _TOTAL_COLUMNS:
            if path == record_path or path.startswith(f"{record_path}__"):
                return column + path[len(record_path) :]
        return path

    return Grouping(group.mode, tuple((level, path_on_totals(path)) for level, path in group.paths))


def totals_in_scope(model, *, user, framework: Framework, quarter: int | None = None):
    """The totals rows (AssessmentTotal, GroupTotal, CriterionTotal) of the user's scope: those of the
    assessments `Assessment.objects.visible_to(user)` reads (same units, same paths); `quarter`: of one
    quarter of a quarterly framework."""
    rows = model.objects.visible_to(user).filter(framework=framework).order_by()
    return rows.filter(quarter=quarter) if quarter else rows


def latest_quarter(*, user, framework: Framework | None, counted: bool = False) -> int | None:
    """The latest quarter with assessments in the user's scope, of a quarterly framework (what its list and
    reports show unless another is chosen: each quarter assesses the same secretaries again); with
    `counted`, the latest with assessments the reports count (submitted or confirmed), else the latest with
    any: a report does not open on a quarter still in drafts, with nothing to show. None for another
    period, or without any. One query, for a quarterly framework only."""
    if framework is None or not framework.is_quarterly:
        return None
    rows = totals_in_scope(AssessmentTotal, user=user, framework=framework)
    latest = rows.aggregate(any=Max("quarter"), counted=Max("quarter", filter=Q(counted__gt=0)))
    return (latest["counted"] if counted else None) or latest["any"]


def criterion_rows(*, user, framework: Framework, quarter: int | None = None):
    """The criterion totals `criterion_stats` sums for the user's whole scope: for the administrator the
    provinces' sums (ProvinceCriterionTotal, the same figures from a hundredth of the rows: the country's
    means 64 → 2 ms), for anyone else the rows of their scope."""
    if user.is_administrator and not quarter:
        # The provinces' sums know no quarter: one quarter's are its rows (a quarterly framework is a
        # province's, its rows a province's few thousand).
        return ProvinceCriterionTotal.objects.filter(framework=framework).order_by()
    return totals_in_scope(CriterionTotal, user=user, framework=framework, quarter=quarter)


def criterion_stats(rows, *, below: Q | None = None) -> dict:
    """criterion id → {"total", "n", "below"} summed from CriterionTotal rows (one per score value);
    "below": how many scores meet `below` (criteria_below)."""
    measures = {"total": Sum(F("value") * F("n")), "scored": Sum("n")}
    if below is not None:
        measures["below"] = Sum("n", filter=below, default=0)
    return {
        row["criterion"]: {**row, "n": row["scored"]} for row in rows.values("criterion").annotate(**measures)
    }


# ---------------------------------------------------------------------------------------------------
# Summary


@dataclass
class RatingShare:
    value: str
    label: str
    count: int
    percent: float


@dataclass
class GroupAverage:
    group: object
    average: Decimal | None


@dataclass
class CriterionAverage:
    criterion: Criterion
    average: Decimal | None
    scored: int


@dataclass
class UnitRow:
    unit: object | None  # None: communes directly under a province (after 2025), which have no district
    counted: int
    drafts: int
    average: Decimal | None
    groups: list[GroupAverage]
    ratings: list[RatingShare]
    level: str = ""  # what the row's unit is: "province", "district" or "commune"


@dataclass
class Summary:
    framework: Framework
    level: str
    counted: int
    drafts: int
    submitted: int
    confirmed: int
    average: Decimal | None
    groups: list[GroupAverage]
    criteria: list[CriterionAverage]
    ratings: list[RatingShare]
    units: list[UnitRow] = field(default_factory=list)
    mode: str = RECORDED

    @property
    def group_chart(self) -> dict:
        return group_chart(self.framework, self.groups)

    @property
    def rating_chart(self) -> dict:
        return {
            "type": "bar",
            "labels": [r.label for r in self.ratings],
            "datasets": [{"label": _("Assessments"), "data": [r.count for r in self.ratings]}],
            "colors": RATING_COLORS,
            "min": 0,
            "decimals": 0,
        }


def group_chart(framework: Framework, groups: list[GroupAverage]) -> dict:
    """Data for static/js/charts.js: the average of each skill group, on the framework's scale. On points
    out of 100 the parts carry different maxima (30, 40, 30): each is drawn as a share of its own maximum,
    on one axis of 0–100 %, so a part scoring 27 of 30 does not look weaker than one scoring 33 of 40."""
    if framework.is_points:
        return {
            "type": "bar",
            "horizontal": True,
            "labels": [g.group.name for g in groups],
            "datasets": [
                {
                    "label": _("Average, as a share of the part's points (%)"),
                    "data": [
                        None
                        if g.average is None or not g.group.max_points
                        else float(percent(g.average, g.group.max_points))
                        for g in groups
                    ],
                }
            ],
            "min": 0,
            "max": 100,
            "decimals": 1,
        }
    return {
        "type": "bar",
        "horizontal": True,
        "labels": [g.group.name for g in groups],
        "datasets": [{"label": _("Average score"), "data": [_number(g.average) for g in groups]}],
        "min": framework.scale_min,
        "max": framework.scale_max,
        "decimals": 2,
    }


def scope_group_averages(*, user, framework: Framework) -> list[GroupAverage]:
    """The average of each skill group over the counted assessments in scope: the summary's `groups`, read
    alone (two queries) for the first screen, which draws only them."""
    sums = {
        row["group"]: row
        for row in totals_in_scope(GroupTotal, user=user, framework=framework)
        .values("group")
        .annotate(group_total=Sum("total"), group_n=Sum("n"))
    }
    return [
        GroupAverage(g, mean(sums[g.pk]["group_total"], sums[g.pk]["group_n"]) if g.pk in sums else None)
        for g in _groups_of(framework_criteria(framework))
    ]


# Excellent → not fulfilled: green, blue, amber, red (Bootstrap's success, primary, warning, danger).
RATING_COLORS = ["#198754", "#0d6efd", "#ffc107", "#dc3545"]


def _ratings(row: dict, counted: int) -> list[RatingShare]:
    return [
        RatingShare(value, str(label), row[f"rating_{value}"], percent(row[f"rating_{value}"], counted))
        for value, label in Rating.choices
    ]


def summary(*, user, framework: Framework, units: str = RECORDED, quarter: int | None = None) -> Summary:
    """Averages (overall, per skill group, per criterion) and the rating distribution of the counted
    assessments in scope, in total and per unit one level below the user's own, as recorded or rolled up
    to today's units (branches.rollup); drafts counted apart. Five queries, and one per level of units."""
    group = on_totals(grouping(user=user, mode=units))
    criteria = framework_criteria(framework)
    groups = _groups_of(criteria)

    count_keys = ["counted", "drafts", "submitted", "confirmed", "overall_n"] + [
        f"rating_{v}" for v in Rating.values
    ]
    per_unit: dict = {}  # (level, unit id) → the unit's counts, rows of several lookups added up
    for row in (
        totals_in_scope(AssessmentTotal, user=user, framework=framework, quarter=quarter)
        .values(*group.fields)
        .annotate(
            **{f"sum_{key}": Sum(key) for key in count_keys},
            sum_overall_total=Sum("overall_total"),
        )
    ):
        row = {key: row[f"sum_{key}"] for key in (*count_keys, "overall_total")} | row
        acc = per_unit.setdefault(group.key(row), {**dict.fromkeys(count_keys, 0), "overall_total": None})
        for key in count_keys:
            acc[key] += row[key]
        if row["overall_total"] is not None:
            acc["overall_total"] = (acc["overall_total"] or Decimal(0)) + row["overall_total"]
    group_rows = (
        totals_in_scope(GroupTotal, user=user, framework=framework, quarter=quarter)
        .values(*group.fields, "group")
        .annotate(group_total=Sum("total"), group_n=Sum("n"))
    )
    group_sums: dict = {}  # (unit key, group id) → [total, n]; unit key "all" for the whole scope
    for row in group_rows:
        for unit in (group.key(row), "all"):
            acc = group_sums.setdefault((unit, row["group"]), [Decimal(0), 0])
            acc[0] += row["group_total"] or 0
            acc[1] += row["group_n"]
    criterion_sums = criterion_stats(criterion_rows(user=user, framework=framework, quarter=quarter))

    def group_averages(unit) -> list[GroupAverage]:
        return [GroupAverage(g, mean(*group_sums.get((unit, g.pk), (None, 0)))) for g in groups]

    totals = {key: sum(row[key] for row in per_unit.values()) for key in count_keys}
    overall_total = sum((row["overall_total"] or 0 for row in per_unit.values()), Decimal(0))

    found = group.units(k for k in per_unit if k is not None)
    rows = []
    for key, row in per_unit.items():
        rows.append(
            UnitRow(
                unit=found.get(key),
                counted=row["counted"],
                drafts=row["drafts"],
                average=mean(row["overall_total"], row["overall_n"]),
                groups=group_averages(key),
                ratings=_ratings(row, row["counted"]),
                level=key[0] if key else "",
            )
        )
    rows.sort(key=lambda r: (r.unit is None, sort_key(r.level, r.unit) if r.unit else ()))

    no_scores = {"total": None, "n": 0}
    return Summary(
        framework=framework,
        level=group.level,
        counted=totals["counted"],
        drafts=totals["drafts"],
        submitted=totals["submitted"],
        confirmed=totals["confirmed"],
        average=mean(overall_total, totals["overall_n"]),
        groups=group_averages("all"),
        criteria=[
            CriterionAverage(c, mean(row["total"], row["n"]), row["n"])
            for c, row in ((c, criterion_sums.get(c.pk, no_scores)) for c in criteria)
        ],
        ratings=_ratings(totals, totals["counted"]),
        units=rows,
        mode=units,
    )


# ---------------------------------------------------------------------------------------------------
# Training needs


@dataclass
class WeakCriterion:
    criterion: Criterion
    average: Decimal | None
    scored: int
    below: int  # secretaries who scored this criterion below the threshold
    weak: bool = False  # its average is below the threshold (in points, below its share of the points)

    @property
    def share(self) -> Decimal | None:
        """In points out of 100: the average as a share (%) of the criterion's own points."""
        if self.average is None or not self.criterion.max_points:
            return None
        return self.average * 100 / self.criterion.max_points


@dataclass(slots=True)
class PersonBelow:
    """A line of the training-needs lists: a secretary's score below the threshold in a skill group, with
    what the line shows, read as plain values (500 lines as model instances, seven per line, were half of
    the selector's time). The commune is the assessment's as recorded, or its branch's today (rolled up)."""

    group_id: int
    score: Decimal
    assessment_id: int
    overall_score: Decimal | None
    person_id: int
    full_name: str
    sort_key: str
    branch_name: str
    commune_name: str
    district_name: str


@dataclass
class UnitPeople:
    """The secretaries of one unit below the threshold in a skill group, the weakest first."""

    level: str
    unit: object
    people: list[PersonBelow]
    #: the lines as the page draws them (report_views._draw_people)
    rows: str = ""


@dataclass
class GroupNeed:
    group: object
    count: int  # secretaries whose score in this group is below the threshold
    #: per unit (in the units table's order), everyone below the threshold; empty when too many to list
    units: list[UnitPeople] = field(default_factory=list)

    @property
    def people(self) -> list[GroupScore]:
        return [line for section in self.units for line in section.people]

    @property
    def more(self) -> int:
        return self.count - len(self.people)


@dataclass
class TrainingNeeds:
    framework: Framework
    threshold: Decimal
    counted: int
    criteria: list[WeakCriterion]
    groups: list[GroupNeed]
    #: per unit (as recorded or rolled up): (level, unit, secretaries below the threshold in some group)
    per_unit: list[tuple] = field(default_factory=list)
    mode: str = RECORDED
    #: the unit the page is narrowed to, as (level, unit), or None for the whole scope
    unit: tuple | None = None
    #: more people below the threshold than one page lists: the page asks for a unit (the export has all)
    too_many: bool = False

    @property
    def unit_name(self) -> str:
        return self.unit[1].name if self.unit else ""

    @property
    def unit_choices(self) -> list[tuple[str, str]]:
        """The units that have someone below the threshold, for the page's unit filter ("level:pk")."""
        return [(f"{level}:{unit.pk}", unit.name) for level, unit, _n in self.per_unit]

    @property
    def criteria_chart(self) -> dict:
        if self.framework.is_points:
            # Criteria of 7, 8 or 10 points on one axis: each average as a share of its own points, as the
            # threshold is (points_limit).
            return {
                "type": "bar",
                "horizontal": True,
                "labels": [c.criterion.name for c in self.criteria],
                "datasets": [
                    {
                        "label": _("Average, as a share of the criterion's points (%)"),
                        "data": [_number(c.share) for c in self.criteria],
                    }
                ],
                "min": 0,
                "max": 100,
                "threshold": float(self.threshold),
                "decimals": 1,
            }
        return {
            "type": "bar",
            "horizontal": True,
            "labels": [c.criterion.name for c in self.criteria],
            "datasets": [{"label": _("Average score"), "data": [_number(c.average) for c in self.criteria]}],
            "min": self.framework.scale_min,
            "max": self.framework.scale_max,
            "threshold": float(self.threshold),
            "decimals": 2,
        }


def points_limit(threshold: Decimal, max_points: int) -> Decimal:
    """In points out of 100 the training-needs threshold is a share (%) of each part's and criterion's own
    points (7, 8 or 10; 30 or 40): the score below which one counts as below it."""
    return threshold * max_points / 100


def _groups_below(framework: Framework, threshold: Decimal, groups, *, prefix: str = "") -> Q:
    """Group scores (`prefix`: the path to them) below the threshold: on a scale the score itself; in points
    out of 100 below the threshold's share of the part's points (the groups read once when not given)."""
    # By the framework's groups first: an index range (group, score < threshold), not every group score.
    # Named as a list: behind a subquery the planner could not tell how few they are, and read every
    # group score below the threshold in the country (955,000 rows) instead.
    if not framework.is_points:
        return Q(**{f"{prefix}group__in": _group_ids(framework, groups), f"{prefix}score__lt": threshold})
    if groups is None:
        groups = SkillGroup.objects.filter(framework=framework).order_by("order")
    below = Q(pk__in=[])
    for group in groups:
        limit = points_limit(threshold, group.max_points or 0)
        below |= Q(**{f"{prefix}group": group.pk, f"{prefix}score__lt": limit})
    return below


def criteria_below(framework: Framework, threshold: Decimal, criteria) -> Q:
    """The CriterionTotal rows of scores below the threshold (criterion_stats' "below"); scores are whole
    numbers, so for a whole score v, v < 3.5 exactly when v < 4 = ceil(3.5). In points out of 100, below
    the threshold's share of each criterion's points."""
    if not framework.is_points:
        return Q(value__lt=math.ceil(threshold))
    below = Q(pk__in=[])
    for criterion in criteria:
        limit = math.ceil(points_limit(threshold, criterion.max_points or 0))
        below |= Q(criterion=criterion.pk, value__lt=limit)
    return below


def weak_group_scores(*, user, framework: Framework, threshold: Decimal, groups=None, quarter=None):
    """Group scores below the threshold in counted assessments in scope: the weakest first, by group.
    `groups`: the framework's skill groups when the caller has them (their ids go in the query as a list)."""
    return GroupScore.objects.filter(
        _groups_below(framework, threshold, groups),
        assessment__in=counted_assessments(user=user, framework=framework, quarter=quarter),
    )


def _group_ids(framework: Framework, groups):
    if groups is None:
        return SkillGroup.objects.filter(framework=framework).values("pk")
    return [group.pk for group in groups]


def weak_assessments(*, user, framework: Framework, threshold: Decimal, groups, quarter=None):
    """Counted assessments in scope with a group score below the threshold, joined once to those group
    scores (values() of "group_scores__…" read the same rows): the counts per unit and per group without
    joining each group score back to its assessment (19,667 index reads for the administrator)."""
    return counted_assessments(user=user, framework=framework, quarter=quarter).filter(
        _groups_below(framework, threshold, groups, prefix="group_scores__")
    )


def parse_unit(value: str | None) -> tuple[str, int] | None:
    """?unit=district:12 → ("district", 12); anything else → None (the whole scope)."""
    level, _sep, pk = (value or "").partition(":")
    if level in ("province", "district", "commune") and pk.isdigit() and len(pk) < 10:
        return level, int(pk)
    return None


def _unit_filter(group, key: tuple[str, int]) -> Q:
    """The rows `group.key(row)` puts under `key`: its lookup equals the unit and the finer-first ones
    before it are empty (a record of the past with a district counts under the district)."""
    condition = Q()
    for level, path in group.paths:
        if level == key[0]:
            return condition & Q(**{path: key[1]})
        condition &= Q(**{f"{path}__isnull": True})
    return Q(pk__in=[])


def training_needs_unit(
    *, user, framework: Framework, threshold: Decimal, units: str, unit, quarter: int | None = None
) -> tuple | None:
    """The unit asked for by the page's filter, as (level, unit), when the user's scope has someone below the
    threshold there; None otherwise (an outside or unknown unit reads as the whole scope)."""
    if unit is None:
        return None
    group = grouping(user=user, mode=units).prefixed("assessment")
    below = weak_group_scores(user=user, framework=framework, threshold=threshold, quarter=quarter)
    if not below.filter(_unit_filter(group, unit)).exists():
        return None
    found = group.units([unit])
    return (unit[0], found[unit]) if unit in found else None


def training_needs(
    *,
    user,
    framework: Framework,
    threshold: Decimal,
    units: str = RECORDED,
    unit: tuple[str, int] | None = None,
    limit: int = PEOPLE_LISTED,
    quarter: int | None = None,
) -> TrainingNeeds:
    """Criteria from the weakest average, per skill group everyone below the threshold grouped by unit, and
    how many are below per unit, as recorded or rolled up to today's units (branches.rollup). `unit`
    ("level", pk) narrows everything but the units table to one of those units. Above `limit` people the
    lists are left empty and `too_many` set: the page asks for a unit rather than cutting the list.
    Seven queries, and one per level of units."""
    unit_group = grouping(user=user, mode=units)
    scored_group = unit_group.prefixed("assessment")
    criteria = framework_criteria(framework)
    groups = _groups_of(criteria)
    period = {"framework": framework, "quarter": quarter}
    all_below = weak_group_scores(user=user, threshold=threshold, groups=groups, **period)
    weak_ones = weak_assessments(user=user, threshold=threshold, groups=groups, **period)

    per_unit: dict = {}
    for row in weak_ones.order_by().values(*unit_group.fields).annotate(n=Count("pk", distinct=True)):
        key = unit_group.key(row)
        per_unit[key] = per_unit.get(key, 0) + row["n"]
    found = unit_group.units(k for k in per_unit if k is not None)
    unit_rows = sorted(
        ((key[0], found[key], n) for key, n in per_unit.items() if key in found),
        key=lambda r: sort_key(r[0], r[1]),
    )
    # Only a unit of the table narrows the page: the table is read through the user's scope.
    chosen = unit if unit in found else None

    totals_group = on_totals(unit_group)
    counted = totals_in_scope(AssessmentTotal, user=user, **period)
    scores = criterion_rows(user=user, **period)
    below = all_below
    if chosen:
        counted = counted.filter(_unit_filter(totals_group, chosen))
        # The provinces' sums (criterion_rows) know no unit below a province: one unit's scores are its rows.
        scores = totals_in_scope(CriterionTotal, user=user, **period)
        scores = scores.filter(_unit_filter(totals_group, chosen))
        below = below.filter(_unit_filter(scored_group, chosen))
        weak_ones = weak_ones.filter(_unit_filter(unit_group, chosen))
    n_counted = counted.aggregate(n=Sum("counted", default=0))["n"]
    stats = criterion_stats(scores, below=criteria_below(framework, threshold, criteria))
    weak = []
    for c in criteria:
        row = stats.get(c.pk, {})
        line = WeakCriterion(c, mean(row.get("total"), row.get("n", 0)), row.get("n", 0), row.get("below", 0))
        measured = line.share if framework.is_points else line.average
        line.weak = measured is not None and measured < threshold
        weak.append(line)
    # Criteria nobody has scored yet go last; ties keep the framework's order. In points, by the share of
    # their own points: 3 of 7 is weaker than 5 of 10.
    weak.sort(key=lambda w: (w.average is None, (w.share if framework.is_points else w.average) or 0))

    # A row of the join per group score below (counted by its assessment's id: both from the indexes).
    counts = dict(
        weak_ones.order_by()
        .values("group_scores__group")
        .annotate(n=Count("pk"))
        .values_list("group_scores__group", "n")
    )
    too_many = sum(counts.values()) > limit
    sections: dict = {}  # (group id, unit key) → UnitPeople
    if not too_many:
        # The rows by their ids first (a fast index read of at most `limit`): joined with everything the
        # list shows in one query, PostgreSQL scanned all group scores below the threshold nationally
        # (0.8 s for one commune on national data).
        ids = list(below.order_by().values_list("pk", flat=True))
        commune = "assessment__branch__commune__name" if units == TODAY else "assessment__commune__name"
        shown = (
            "group_id",
            "score",
            "assessment_id",
            "assessment__overall_score",
            "assessment__person_id",
            "assessment__person__full_name",
            "assessment__person__sort_key",
            "assessment__branch__name",
            commune,
            "assessment__district__name",
        )
        width = len(shown)
        rows = below.model.objects.filter(pk__in=ids).order_by().values_list(*shown, *scored_group.fields)
        lines = []
        for row in rows:
            key = scored_group.key(dict(zip(scored_group.fields, row[width:], strict=True)))
            if key in found:
                line = PersonBelow(*row[:width])
                line.commune_name = line.commune_name or ""
                line.district_name = line.district_name or ""
                lines.append((key, line))
        lines.sort(
            key=lambda item: (
                sort_key(item[0][0], found[item[0]]),
                item[1].score,
                item[1].sort_key,
                item[1].assessment_id,
                item[1].group_id,
            )
        )
        for key, line in lines:
            section = sections.setdefault((line.group_id, key), UnitPeople(key[0], found[key], []))
            section.people.append(line)
    per_group: dict = {}
    for (group_id, _key), section in sections.items():
        per_group.setdefault(group_id, []).append(section)
    return TrainingNeeds(
        framework=framework,
        threshold=threshold,
        counted=n_counted,
        criteria=weak,
        groups=[GroupNeed(g, counts.get(g.pk, 0), per_group.get(g.pk, [])) for g in groups],
        per_unit=unit_rows,
        mode=units,
        unit=(chosen[0], found[chosen]) if chosen else None,
        too_many=too_many,
    )


def training_needs_below(
    *,
    user,
    framework: Framework,
    threshold: Decimal,
    units: str = RECORDED,
    unit: tuple[str, int] | None = None,
    quarter: int | None = None,
):
    """The export's rows before their columns: counted assessments in scope (narrowed to `unit` as the page
    is), one row per skill group scored below the threshold. The scope is the assessments' own filter, not
    a subquery over the group scores: PostgreSQL then starts from the few assessments of a commune or a
    province (its index) instead of every score below the threshold in the country. Counted to choose
    between answering at once and a job (core.excel.export_response)."""
    if framework.is_points:
        below_threshold = _groups_below(framework, threshold, None, prefix="group_scores__")
    else:
        below_threshold = Q(group_scores__group__framework=framework, group_scores__score__lt=threshold)
    below = counted_assessments(user=user, framework=framework, quarter=quarter).filter(below_threshold)
    if unit is not None:
        below = below.filter(_unit_filter(grouping(user=user, mode=units), unit))
    return below.order_by()


def training_needs_rows(below):
    """Every secretary below the threshold in a group (`below`: training_needs_below), as plain values for
    the export, with the phone to call them to training (personal data: the user's scope only). One query.
    The units' names are read beside each row (branches.selectors.unit_name) rather than joined."""
    return (
        below.annotate(
            commune_name=unit_name(Commune, "commune_id"),
            district_name=unit_name(District, "district_id"),
            province_name=unit_name(Province, "province_id"),
            commune_today=unit_name(Commune, "branch__commune_id"),
            province_today=unit_name(Province, "branch__commune_id", via="communes"),
            commune_today_ended=commune_ended_on("branch__commune_id"),
        )
        .order_by("group_scores__group__order", "group_scores__score", "person__sort_key", "group_scores__pk")
        .values_list(
            "group_scores__group__name",
            "person__full_name",
            "person__phone",
            "branch__name",
            "commune_name",
            "district_name",
            "province_name",
            "group_scores__score",
            "overall_score",
            "rating",
            "status",
            "assessed_on",
            "commune_today",
            "province_today",
            "commune_today_ended",
        )
    )


# ---------------------------------------------------------------------------------------------------
# One person's assessments, year by year


@dataclass
class YearRow:
    assessment: Assessment
    year: int
    scores: list[Decimal | None]  # in the order of PersonHistory.groups
    #: False: the unit's review draft, on the page of the person assessed (its scores are not shown)
    unit_shown: bool = True

    @property
    def overall(self) -> Decimal | None:
        return self.assessment.overall_score if self.unit_shown else None

    @property
    def rating(self) -> str:
        return self.assessment.get_rating_display() if self.unit_shown else ""

    @property
    def counted(self) -> bool:
        return self.assessment.status in COUNTED_STATUSES

    @property
    def label(self) -> str:
        """The period: "2025", or "Q1/2026" in a quarterly framework."""
        return self.assessment.period_label

    @property
    def order(self) -> tuple:
        return (self.year, self.assessment.quarter or 0)


@dataclass
class PersonHistory:
    groups: list[str]  # skill group names across the years (frameworks may rename or add groups)
    years: list[YearRow]  # the latest year first

    @cached_property
    def trend(self) -> list[YearRow]:
        """The counted periods the trend draws, in order: those of one scale, as a 1–5 year beside a quarter
        in points out of 100 would draw a rise where the score fell (the table lists them all). The scale
        with two periods or more, the latest such where there are several (2025 and 2026 on 1–5 are drawn
        beside a single quarter in points since); else the latest period's, one point, which draws none."""
        by_scale: dict[tuple[int, int], list[YearRow]] = {}
        for row in sorted((y for y in self.years if y.counted), key=lambda y: y.order):
            framework = row.assessment.framework
            by_scale.setdefault((framework.scale_min, framework.scale_max), []).append(row)
        drawn = [rows for rows in by_scale.values() if len(rows) > 1] or list(by_scale.values())
        return max(drawn, key=lambda rows: rows[-1].order, default=[])

    @property
    def trend_framework(self) -> Framework | None:
        """The latest framework the trend draws: its scale is the trend's."""
        return self.trend[-1].assessment.framework if self.trend else None

    @property
    def trend_leaves_out(self) -> bool:
        """Whether the trend is drawn and counted periods on another scale are left out of it (the page says
        so under it)."""
        return len(self.trend) > 1 and len(self.trend) < sum(1 for y in self.years if y.counted)

    @property
    def chart(self) -> dict:
        """A trend line per skill group and for the overall score, over the periods of `trend`."""
        counted = self.trend
        datasets = [
            {"label": name, "data": [_number(y.scores[i]) for y in counted]}
            for i, name in enumerate(self.groups)
        ]
        datasets.append(
            {
                "label": _("Overall score"),
                "data": [_number(y.assessment.overall_score) for y in counted],
                "dashed": True,
            }
        )
        scales = [y.assessment.framework for y in counted]
        return {
            "type": "line",
            "labels": [y.label for y in counted],
            "datasets": datasets,
            "min": min((f.scale_min for f in scales), default=1),
            "max": max((f.scale_max for f in scales), default=5),
            "decimals": 2,
        }


def person_history(person, *, user) -> PersonHistory:
    """The person's assessments that the user may see, per framework year, with group scores, overall
    score and rating. An assessment belongs to the district where it was made: after a move, the new
    district sees only its own. Two queries. `user=None`: the person's own page, every assessment made of
    them but the unit's own drafts (AssessmentQuerySet.seen_by_person), the unit's scores left out of its
    review's draft."""
    seen = Assessment.objects.visible_to(user) if user is not None else Assessment.objects.seen_by_person()
    assessments = list(
        seen.filter(person=person).select_related("framework").order_by("-framework__year", "-quarter", "-pk")
    )
    group_scores = (
        GroupScore.objects.filter(assessment__in=[a.pk for a in assessments])
        .select_related("group")
        .order_by("group__order")
    )
    names: dict[str, int] = {}  # group name → column, in the order groups first appear
    by_assessment: dict[int, dict[str, Decimal | None]] = {}
    for gs in sorted(group_scores, key=lambda gs: (gs.group.order, gs.group.name)):
        names.setdefault(gs.group.name, len(names))
        by_assessment.setdefault(gs.assessment_id, {})[gs.group.name] = gs.score
    groups = list(names)

    def shown(assessment) -> bool:
        # The person's own page: the unit's scores once it has sent them, not its review's draft.
        return user is not None or not assessment.is_unit_reviewing

    return PersonHistory(
        groups=groups,
        years=[
            YearRow(
                a,
                a.framework.year,
                [by_assessment.get(a.pk, {}).get(name) if shown(a) else None for name in groups],
                unit_shown=shown(a),
            )
            for a in assessments
        ],
    )


def sent_back(assessment, history):
    """The history's row that sent this draft back (returned or reopened by the province, with its reason),
    or None: the unit reads why on the assessment while it corrects it, the secretary on their page that
    it was (core.history.history_rows of the assessment, with models.workflow_step)."""
    if not assessment.is_draft:
        return None
    for row in history:  # newest first
        if row.step in ("return", "reopen"):
            return row
        if row.step == "submit":
            return None
    return None


@dataclass
class SelfItem:
    """One period a secretary self-assesses: the framework, its quarter, and the assessment once begun."""

    framework: Framework
    quarter: int | None
    assessment: Assessment | None

    @property
    def is_open(self) -> bool:
        """Still the secretary's to write (nothing yet, or their draft)."""
        return self.assessment is None or self.assessment.is_self_draft

    @property
    def scored_so_far(self) -> tuple[int, int] | None:
        """A self-assessment draft with criteria not scored yet: (scored, criteria), as its form says "đã chấm
        1/11 tiêu chí"; its points are a partial sum, not a score. None otherwise."""
        assessment = self.assessment
        # Their draft as it was when the unit assessed in their place, too (Assessment.self_step_skipped).
        if assessment is None or not (assessment.is_self_draft or assessment.self_step_skipped):
            return None
        scored, of = assessment.self_scored, assessment.self_criteria
        return (scored, of) if scored < of else None

    @property
    def period_label(self) -> str:
        """As the assessment's own page says it ("Q4/2026", "2026"), before the assessment exists too."""
        return self.framework.period_label(self.quarter)


def period_ends_on(framework: Framework, quarter: int | None = None) -> datetime.date:
    """The last day of the period an assessment covers: its quarter's in a quarterly framework, else the
    framework's year's (reminders.period_closes_on)."""
    if quarter:
        return quarter_days(framework.year, quarter, datetime.date.max)[1]
    return datetime.date(framework.year, 12, 31)


def self_step_over(framework: Framework, quarter: int | None = None, *, today=None) -> bool:
    """Whether the unit may assess in the place of a secretary who has not submitted their self-assessment:
    Regulation 366 puts theirs first, but a secretary who never sends it must not keep their unit from
    assessing them for ever, so once the period has ended it no longer waits (services.check_self_step)."""
    return (today or timezone.localdate()) > period_ends_on(framework, quarter)


def quarter_days(year: int, quarter: int, today) -> tuple:
    """A quarter's first day and its last, or today's date while it runs."""
    first = datetime.date(year, 3 * quarter - 2, 1)
    last = datetime.date(year + (quarter == 4), 3 * quarter % 12 + 1, 1) - datetime.timedelta(days=1)
    return first, min(last, today)


def branch_led_between(terms, first, last):
    """The branch a quarter's self-assessment belongs to, from the person's terms (Term): the one they led
    as secretary (else as deputy, as services.current_branch) during first–last; where they led two, the
    one they led at its end, or else last. The assessment stays with that branch, as any record of its
    time. None if they held no term then."""
    held = [t for t in terms if t.started_on <= last and (t.ended_on is None or t.ended_on >= first)]
    if not held:
        return None
    return min(
        held,
        key=lambda t: (
            t.role != t.Role.SECRETARY,
            -(min(t.ended_on or last, last)).toordinal(),
            -t.started_on.toordinal(),
        ),
    ).branch


def terms_of_year(person, year: int) -> list:
    """The person's terms that reach into `year` (and the current ones), with their branch's units, the
    current ones first by role (secretary before deputy). One query."""
    return list(
        person.terms.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=datetime.date(year, 1, 1)))
        .select_related("branch__commune__province")
        .order_by("role", "-started_on", "-pk")
    )


def self_assessments_for(person) -> list[SelfItem]:
    """The secretary's own self-assessment periods, newest first: this year's framework of the province of
    the branch they lead, when it asks for a self-assessment (where quarterly, each quarter up to today's in
    which they held a term: branch_led_between), and every earlier assessment of theirs that had the step.
    Only `person`'s rows: the caller passes request.user.person, never an id from the request. Three
    queries."""
    today = timezone.localdate()
    mine = list(
        Assessment.objects.filter(person=person, framework__self_assessment=True)
        .select_related("framework")
        # A self-score row per criterion, empty until scored (SelfItem.scored_so_far).
        .annotate(self_scored=Count("self_scores__value"), self_criteria=Count("self_scores"))
        .order_by("-framework__year", "-quarter")
    )
    by_period = {(a.framework_id, a.quarter): a for a in mine}
    items = []
    terms = terms_of_year(person, today.year)
    # services.current_branch, from the same rows.
    branch = next((t.branch for t in terms if t.ended_on is None), None)
    if branch is not None:
        frameworks = Framework.objects.for_province(branch.commune.province_id).filter(
            year=today.year, self_assessment=True
        )
        for framework in frameworks.order_by("period"):
            if framework.is_quarterly:
                quarters = [
                    q
                    for q in range((today.month - 1) // 3 + 1, 0, -1)
                    if branch_led_between(terms, *quarter_days(today.year, q, today)) is not None
                ]
            else:
                quarters = [None]
            for quarter in quarters:
                items.append(SelfItem(framework, quarter, by_period.pop((framework.pk, quarter), None)))
    items.extend(
        SelfItem(a.framework, a.quarter, a) for a in mine if (a.framework_id, a.quarter) in by_period
    )
    return items


@dataclass
class OwnYear:
    year: int
    assessments: list[Assessment]


def own_assessment_years(person, *, leave_out=()) -> list[OwnYear]:
    """Every assessment made of the person as they see it (AssessmentQuerySet.seen_by_person: not the unit's
    own drafts), whatever its framework and whether or not it had the self-assessment step, by framework
    year newest first; `leave_out`: the pks the page shows already. Only `person`'s rows. One query."""
    assessments = (
        Assessment.objects.seen_by_person()
        .filter(person=person)
        .exclude(pk__in=list(leave_out))
        .select_related("framework", "branch")
        .order_by("-framework__year", "-quarter", "-pk")
    )
    years: list[OwnYear] = []
    for assessment in assessments:
        if not years or years[-1].year != assessment.framework.year:
            years.append(OwnYear(assessment.framework.year, []))
        years[-1].assessments.append(assessment)
    return years
