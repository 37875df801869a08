"""The one place where group scores, the overall score and the rating are derived from the scores.

- A group score is the weighted mean of that group's criterion scores that are present.
- The overall score is the weighted mean of all criterion scores present (so a group with more
  criteria weighs more, as the framework's weights intend).
- Missing scores are left out; a group without any score has no score; without any score there is
  no overall score and no rating.
- Scores are rounded half up to two decimals, and the rating compares the rounded overall score with
  the framework's thresholds, "from" meaning "at least" (a tie reaches the higher level).
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class Derived:
    group_scores: dict  # group id → Decimal | None
    overall: Decimal | None
    rating: str


def _weighted_mean(pairs: list[tuple[int, Decimal]]) -> Decimal | None:
    total_weight = sum(weight for _value, weight in pairs)
    if not pairs or not total_weight:
        return None
    mean = sum(Decimal(value) * weight for value, weight in pairs) / total_weight
    return mean.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def derive(*, framework, criteria, values: dict) -> Derived:
    """`criteria`: the framework's Criterion objects (with group_id and weight);
    `values`: criterion id → int score or None."""
    by_group: dict[int, list] = {}
    present = []
    for criterion in criteria:
        by_group.setdefault(criterion.group_id, [])
        value = values.get(criterion.pk)
        if value is None:
            continue
        pair = (value, criterion.weight)
        by_group[criterion.group_id].append(pair)
        present.append(pair)
    overall = _weighted_mean(present)
    return Derived(
        group_scores={group_id: _weighted_mean(pairs) for group_id, pairs in by_group.items()},
        overall=overall,
        rating=framework.rating_for(overall),
    )
