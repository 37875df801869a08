"""Derivation of group scores, overall score and rating: one place, stored values always equal it."""

from decimal import Decimal

import pytest

from assessments import scoring
from assessments.models import Assessment, Rating
from assessments.services import assessment_save
from tests.assessments.conftest import all_scores


def derive(framework, criteria, values):
    return scoring.derive(framework=framework, criteria=criteria, values=values)


def test_group_and_overall_are_weighted_means(framework, criteria):
    values = all_scores(criteria, 3, c0=5, c1=5)  # group 1 has four criteria: 5, 5, 3, 3
    derived = derive(framework, criteria, values)
    groups = list(derived.group_scores.values())
    assert groups == [Decimal("4.00"), Decimal("3.00"), Decimal("3.00")]
    assert derived.overall == Decimal("3.36")  # 37 / 11 = 3.3636…
    assert derived.rating == Rating.FULFILLED


@pytest.mark.parametrize(
    ("overall", "rating"),
    [
        ("4.50", Rating.EXCELLENT),  # a tie reaches the higher level
        ("4.49", Rating.GOOD),
        ("3.50", Rating.GOOD),
        ("3.49", Rating.FULFILLED),
        ("2.50", Rating.FULFILLED),
        ("2.49", Rating.NOT_FULFILLED),
        ("1.00", Rating.NOT_FULFILLED),
    ],
)
def test_thresholds(framework, overall, rating):
    assert framework.rating_for(Decimal(overall)) == rating


def test_rounding_happens_before_the_threshold(framework, criteria):
    # 49.5/11 = 4.4999… rounds to 4.50: excellent, as the rounded score the page shows says.
    weights_one = all_scores(criteria, 4)
    for c in criteria[:5]:
        weights_one[c.pk] = 5
    # (5*5 + 4*6) / 11 = 49/11 = 4.4545 → 4.45 → good
    assert derive(framework, criteria, weights_one).rating == Rating.GOOD


def test_missing_scores_are_left_out(framework, criteria):
    values = all_scores(criteria, 4)
    for c in criteria:
        if c.group.order == 3:
            values[c.pk] = None
    values[criteria[0].pk] = None
    derived = derive(framework, criteria, values)
    assert list(derived.group_scores.values()) == [Decimal("4.00"), Decimal("4.00"), None]
    assert derived.overall == Decimal("4.00")


def test_no_scores_no_rating(framework, criteria):
    derived = derive(framework, criteria, {})
    assert derived.overall is None and derived.rating == ""
    assert set(derived.group_scores.values()) == {None}


def test_weights(framework, criteria):
    criteria[0].weight = Decimal("3")
    values = {c.pk: None for c in criteria}
    values[criteria[0].pk], values[criteria[1].pk] = 5, 1
    derived = derive(framework, criteria, values)
    assert derived.overall == Decimal("4.00")  # (5×3 + 1×1) / 4


def test_stored_values_always_equal_the_derivation(framework, criteria, world, tieu_can_officer):
    person = world["tieu_can_person"]
    assessment_save(
        person=person,
        framework=framework,
        assessor=tieu_can_officer,
        values=all_scores(criteria, 2, c3=5, c9=None),
    )
    assessment_save(
        person=person, framework=framework, assessor=tieu_can_officer, values=all_scores(criteria, 4, c3=1)
    )  # an edit re-derives
    for assessment in Assessment.objects.prefetch_related("scores", "group_scores"):
        values = {s.criterion_id: s.value for s in assessment.scores.all()}
        derived = derive(assessment.framework, criteria, values)
        assert assessment.overall_score == derived.overall
        assert assessment.rating == derived.rating
        assert {g.group_id: g.score for g in assessment.group_scores.all()} == derived.group_scores
