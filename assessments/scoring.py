"""The one place where group scores, the overall score and the rating are derived from the scores.

A framework on a scale (Method.SCALE, the 2019–2025 frameworks):
- A group score is the weighted mean of that group's criterion scores that are present.
- The overall score is the weighted mean of all criterion scores present (so a group with more
  criteria weighs more, as the framework's weights intend).

A framework of points out of 100 (Method.POINTS, Regulation 366-QĐ/TW of 30/8/2025):
- A criterion scores from 0 to its maximum points; a part's (group's) score is the sum of its criteria's
  points, the overall score the sum of all of them (the parts' maxima sum to 100).

Both:
- Missing scores are left out; a group without any score has no score; without any score there is
  no overall score and no rating.
- Scores are rounded half up to two decimals, and the rating compares the rounded overall score with
  the framework's thresholds, "from" meaning "at least" (a tie reaches the higher level): with 90 / 70 /
  50, 90 is excellent, 89.99 good, 69.99 fulfilled, 49.99 not fulfilled. All in Decimal, never float.
- A level's extra conditions (RatingCondition: no criterion, or no part, below a floor percentage of its
  maximum) must hold too; an assessment failing one gets the next level down (whose conditions are then
  checked in turn).
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

TWO_PLACES = Decimal("0.01")
HUNDRED = Decimal(100)

# Best to worst; the values of models.Rating (scoring imports no model, so models may import it).
LEVELS = ("xuat_sac", "tot", "hoan_thanh", "khong_hoan_thanh")


@dataclass(frozen=True)
class Derived:
    group_scores: dict  # group id → Decimal | None
    overall: Decimal | None
    rating: str


def _round(value: Decimal) -> Decimal:
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def _weighted_mean(pairs: list[tuple[int, Decimal]]) -> Decimal | None:
    total_weight = sum(weight for _value, weight in pairs)
    if not pairs or not total_weight:
        return None
    mean = sum(Decimal(value) * weight for value, weight in pairs) / total_weight
    return _round(mean)


def _sum(pairs: list[tuple[int, Decimal]]) -> Decimal | None:
    if not pairs:
        return None
    return _round(sum((Decimal(value) for value, _weight in pairs), Decimal(0)))


def level_for(framework, score: Decimal | None) -> str:
    """The level the thresholds alone give to a (rounded) overall score."""
    if score is None:
        return ""
    if score >= framework.excellent_from:
        return LEVELS[0]
    if score >= framework.good_from:
        return LEVELS[1]
    if score >= framework.fulfilled_from:
        return LEVELS[2]
    return LEVELS[3]


def percent(value, maximum) -> Decimal | None:
    if value is None or not maximum:
        return None
    return Decimal(value) * HUNDRED / Decimal(maximum)


def rating(
    framework,
    overall: Decimal | None,
    *,
    criterion_percents: list[Decimal] = (),
    part_percents: list[Decimal] = (),
    conditions=None,
) -> str:
    """The level of `overall` by the thresholds, demoted while a level's extra conditions fail.
    `conditions`: the framework's RatingCondition rows (default: framework.conditions)."""
    level = level_for(framework, overall)
    if not level or not framework.is_points:
        # The floors are shares of a criterion's or a part's maximum points: a scale has none.
        return level
    conditions = framework.conditions if conditions is None else conditions
    by_level: dict[str, list] = {}
    for condition in conditions:
        by_level.setdefault(condition.rating, []).append(condition)
    lowest_criterion = min(criterion_percents, default=None)
    lowest_part = min(part_percents, default=None)
    index = LEVELS.index(level)
    while index < len(LEVELS) - 1:
        failed = False
        for condition in by_level.get(LEVELS[index], []):
            lowest = lowest_criterion if condition.kind == "tieu_chi" else lowest_part
            if lowest is not None and lowest < condition.min_percent:
                failed = True
        if not failed:
            break
        index += 1
    return LEVELS[index]


def derive(*, framework, criteria, values: dict) -> Derived:
    """`criteria`: the framework's Criterion objects (with group_id and weight, and their group loaded for
    a points framework); `values`: criterion id → int score or None."""
    points = framework.is_points
    by_group: dict[int, list] = {}
    group_max: dict[int, int | None] = {}
    present = []
    criterion_percents = []
    for criterion in criteria:
        by_group.setdefault(criterion.group_id, [])
        value = values.get(criterion.pk)
        if value is None:
            continue
        pair = (value, criterion.weight)
        by_group[criterion.group_id].append(pair)
        present.append(pair)
        if points:
            group_max[criterion.group_id] = criterion.group.max_points
            share = percent(value, criterion.max_points)
            if share is not None:
                criterion_percents.append(share)
    combine = _sum if points else _weighted_mean
    group_scores = {group_id: combine(pairs) for group_id, pairs in by_group.items()}
    overall = combine(present)
    part_percents = [
        share
        for group_id, score in group_scores.items()
        if (share := percent(score, group_max.get(group_id))) is not None
    ]
    return Derived(
        group_scores=group_scores,
        overall=overall,
        rating=rating(framework, overall, criterion_percents=criterion_percents, part_percents=part_percents),
    )
