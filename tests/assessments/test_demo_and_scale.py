"""The demo's assessments (Trà Vinh's 2025 round as history, Vĩnh Long's 2026 round in its new communes) and
the benchmark step that seeds the country."""

import random
from collections import Counter
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Avg, Count, Q

from assessments import scoring
from assessments.models import Assessment, Framework, GroupScore, Score
from assessments.services import framework_criteria
from branches.divisions import OLD_WORLD_LAST_DAY
from branches.models import Branch, BranchAttachment, Commune
from core.planning import refresh_statistics
from demo.accounts import populate_users
from demo.assessments import GRID_COMMUNE, populate_assessments
from demo.branches import populate_branches, reattach_branches
from demo.management.commands.seed_scale import SEED_STEPS
from demo.scale.assessments import ROUNDS, assessments_seed, assessments_step
from demo.scale.branches import ScaleOptions, branches_seed, users_step
from demo.scale.secretaries import secretaries_seed, secretaries_step
from demo.secretaries import populate_secretaries
from secretaries.models import Term
from tests.conftest import shared_data

TODAY = date(2026, 12, 5)

pytestmark = pytest.mark.django_db

S = Assessment.Status


def assert_stored_values_are_derived(assessments) -> None:
    """Every assessment has a score per criterion, and its group scores, overall score and rating are
    what scoring.derive makes of them."""
    criteria = {f.pk: framework_criteria(f) for f in Framework.objects.all()}
    checked = 0
    for assessment in assessments.select_related("framework").prefetch_related("scores", "group_scores"):
        framework_criteria_ = criteria[assessment.framework_id]
        scores = {s.criterion_id: s.value for s in assessment.scores.all()}
        assert set(scores) == {c.pk for c in framework_criteria_}, assessment.pk
        derived = scoring.derive(framework=assessment.framework, criteria=framework_criteria_, values=scores)
        stored = {g.group_id: g.score for g in assessment.group_scores.all()}
        assert stored == derived.group_scores, assessment.pk
        assert (assessment.overall_score, assessment.rating) == (derived.overall, derived.rating), (
            assessment.pk
        )
        assert all(v is None or 1 <= v <= 5 for v in scores.values())
        checked += 1
    assert checked == assessments.count() > 0


def current_secretaries():
    return Term.objects.current().secretaries()


def average(assessments) -> float:
    return float(assessments.aggregate(a=Avg("overall_score"))["a"])


@pytest.fixture(scope="class")
def demo(django_db_setup, django_db_blocker):
    """The demo up to its assessments, after the reform's re-attachment as load_demo runs it, loaded once
    for the tests of a class (each test runs in a savepoint: what it changes is undone before the next)."""

    def load():
        call_command("load_divisions", "--province", "84", stdout=StringIO())
        rng = random.Random(84)
        populate_branches(rng=rng)
        populate_secretaries(rng=rng, today=TODAY)
        populate_users()
        reattach_branches()
        return populate_assessments(rng=rng, today=TODAY)

    yield from shared_data(django_db_blocker, load)


class TestDemo:
    """Trà Vinh's demo assessments, loaded once for the class."""

    def test_demo_assesses_most_secretaries_in_two_frameworks(self, demo):
        previous = Framework.objects.get(year=2025, province=None)
        current = Framework.objects.get(year=2026, province__code="86")
        # The common 2026 framework (seeded) stays beside Vĩnh Long's own, a copy of it.
        assert Framework.objects.count() == 3 and Framework.objects.filter(year=2026, province=None).exists()
        assert [c.name for c in framework_criteria(previous)] == [c.name for c in framework_criteria(current)]
        assert len(framework_criteria(previous)) == 11 and previous.groups.count() == 3

        last_year = Assessment.objects.filter(framework=previous)
        assert 0.8 <= last_year.count() / current_secretaries().count() <= 0.97
        assert set(last_year.values_list("status", "confirmed_by__username").distinct()) == {
            (S.CONFIRMED, "tinhdoan.travinh")
        }
        # Made by Trà Vinh's units before they ended.
        assert set(last_year.values_list("province__code", flat=True)) == {"84"}
        assert all(a.assessed_on <= OLD_WORLD_LAST_DAY for a in last_year)
        this_year = Assessment.objects.filter(framework=current)
        assert set(this_year.values_list("province__code", "district")) == {("86", None)}
        in_new_communes = (
            current_secretaries()
            .filter(branch__commune__ended_on=None)
            .exclude(branch__attachments__commune__code=GRID_COMMUNE)
        )
        assert 0.55 <= this_year.count() / in_new_communes.count() <= 0.8
        shares = {status: this_year.filter(status=status).count() / this_year.count() for status in S.values}
        assert 0.15 <= shares[S.DRAFT] <= 0.45 and 0.15 <= shares[S.SUBMITTED] <= 0.45
        assert 0.25 <= shares[S.CONFIRMED] <= 0.55
        assert set(this_year.exclude(confirmed_by=None).values_list("confirmed_by__username", flat=True)) == {
            "tinhdoan.vinhlong"
        }
        # Some drafts are half-filled; submitted and confirmed ones are complete.
        assert Score.objects.filter(assessment__status=S.DRAFT, value__isnull=True).exists()
        assert not Score.objects.exclude(assessment__status=S.DRAFT).filter(value__isnull=True).exists()
        assert not this_year.filter(status=S.DRAFT).exclude(submitted_at=None).exists()
        assert not this_year.exclude(status=S.DRAFT).filter(submitted_at=None).exists()
        assert all(a.assessed_on <= TODAY for a in Assessment.objects.all())
        assert {a.assessed_on.year for a in last_year} == {2025}
        assert (demo["previous"], demo["current"]) == (last_year.count(), this_year.count())
        assert (demo["scores"], demo["group_scores"]) == (Score.objects.count(), GroupScore.objects.count())
        assert demo["scores"] == 11 * Assessment.objects.count()

    def test_demo_assessments_belong_to_the_units_of_their_time(self, demo):
        branch_of = dict(current_secretaries().values_list("person_id", "branch_id"))
        before = {
            a.branch_id: a.commune
            for a in BranchAttachment.objects.filter(ended_on=OLD_WORLD_LAST_DAY).select_related(
                "commune__district"
            )
        }
        assessors = {"846": "huyendoan.tieucan", "844": "huyendoan.canglong"}
        officers = {"29365": "doanxa.tapngai", "29362": "doanxa.hunghoa"}
        for assessment in Assessment.objects.select_related(
            "branch__commune__district", "assessor", "framework"
        ):
            assert assessment.branch_id == branch_of[assessment.person_id]
            branch_commune = assessment.branch.commune
            if assessment.framework.year == 2025:
                commune = before.get(assessment.branch_id, branch_commune)
                assert commune.ended_on == OLD_WORLD_LAST_DAY
                assert assessment.assessor.username == assessors.get(
                    commune.district.code, "tinhdoan.travinh"
                )
                district = commune.district_id
            else:  # today's commune, directly under Vĩnh Long, entered by its officer where it has one
                commune, district = branch_commune, None
                assert commune.ended_on is None
                assert assessment.assessor.username == officers.get(commune.code, "tinhdoan.vinhlong")
            assert (assessment.commune_id, assessment.district_id, assessment.province_id) == (
                commune.pk,
                district,
                commune.province_id,
            )

    def test_demo_stores_what_scoring_derives(self, demo):
        assert_stored_values_are_derived(Assessment.objects.all())
        assert len(set(Assessment.objects.values_list("rating", flat=True))) >= 3

    def test_demo_leaves_hieu_tus_branches_in_tap_ngai_to_assess_this_year(self, demo):
        tap_ngai = Commune.objects.get(code="29365", ended_on=None)
        from_hieu_tu = current_secretaries().filter(
            branch__commune=tap_ngai, branch__attachments__commune__code=GRID_COMMUNE
        )
        assert from_hieu_tu.count() >= 3
        this_year = Assessment.objects.filter(framework__year=2026)
        assert not this_year.filter(person__in=from_hieu_tu.values("person")).exists()
        assert Assessment.objects.filter(commune__code=GRID_COMMUNE, framework__year=2025).exists()
        # The rest of Tập Ngãi has assessments this year by its officer: drafts for its first screen.
        mine = this_year.filter(commune=tap_ngai, assessor__username="doanxa.tapngai")
        assert mine.exists()
        assert this_year.filter(commune__code="29362", status=S.DRAFT).exists()

    def test_demo_shows_training_needs_and_progress(self, demo):
        this_year = Assessment.objects.filter(framework__year=2026)
        last_year = Assessment.objects.filter(framework__year=2025)
        assert average(this_year) >= average(last_year)
        group_averages = {}
        for year in (2025, 2026):
            group_averages[year] = dict(
                GroupScore.objects.filter(assessment__framework__year=year, score__isnull=False)
                .values_list("group__order")
                .annotate(a=Avg("score"))
            )
            # Conduct and relationships (group 3) is the weakest group.
            assert min(group_averages[year], key=group_averages[year].get) == 3
        assert all(group_averages[2026][g] >= group_averages[2025][g] for g in (1, 2, 3))
        # Most people who were assessed both years did better.
        overall = {}
        for person, year, score in Assessment.objects.exclude(overall_score=None).values_list(
            "person", "framework__year", "overall_score"
        ):
            overall.setdefault(person, {})[year] = score
        both = [years for years in overall.values() if len(years) == 2]
        assert sum(years[2026] > years[2025] for years in both) > len(both) / 2
        # The weakest criteria, by far: keeping records and running Union ceremonies.
        weakest = (
            Score.objects.filter(value__isnull=False)
            .values("criterion__name")
            .annotate(a=Avg("value"))
            .order_by("a")
            .values_list("criterion__name", flat=True)
        )
        assert {name.split(",")[0] for name in weakest[:2]} == {
            "Quản lý hồ sơ đoàn viên",
            "Tổ chức nghi thức Đoàn",
        }

    def test_demo_assessments_have_a_workflow_history(self, demo):
        assert (
            Assessment.history.filter(history_type="+", status=S.DRAFT).count() == Assessment.objects.count()
        )
        for year, confirmer in ((2025, "tinhdoan.travinh"), (2026, "tinhdoan.vinhlong")):
            confirmed = Assessment.objects.filter(status=S.CONFIRMED, framework__year=year).first()
            steps = list(
                confirmed.history.order_by("history_date", "history_id").values_list(
                    "status", "history_user__username"
                )
            )
            assert steps == [
                (S.DRAFT, confirmed.assessor.username),
                (S.SUBMITTED, confirmed.assessor.username),
                (S.CONFIRMED, confirmer),
            ]

    def test_demo_is_created_only_once(self, demo):
        counts = (Framework.objects.count(), Assessment.objects.count(), Score.objects.count())

        again = populate_assessments(rng=random.Random(84), today=TODAY)

        assert again["assessments"] == again["scores"] == 0
        assert (Framework.objects.count(), Assessment.objects.count(), Score.objects.count()) == counts


# The benchmark step, on a small scale: Trà Vinh and Vĩnh Long with three branches per commune.


@pytest.fixture(scope="class")
def two_provinces(django_db_setup, django_db_blocker):
    def seed():
        call_command("load_divisions", "--province", "84", "--province", "86", stdout=StringIO())
        branches_seed(per_commune=3, seed=1, communes=Commune.objects.all())
        secretaries_seed(seed=1, today=TODAY, batch_size=500)
        users_step(options=ScaleOptions(password="x"), log=lambda message: None)

    yield from shared_data(django_db_blocker, seed)


class TestScale:
    """The benchmark step on Trà Vinh and Vĩnh Long with their secretaries, seeded once for the class."""

    def test_scale_seeds_one_province_in_both_worlds_consistently(self, two_provinces):
        # Trà Vinh's branches (its communes ended on 30/06/2025) and those of today's Vĩnh Long.
        old_world = Branch.objects.filter(commune__province__code="84")
        new_world = Branch.objects.filter(commune__province__code="86", commune__ended_on=None)
        branches = Branch.objects.filter(
            Q(commune__province__code="84") | Q(commune__province__code="86", commune__ended_on=None)
        )

        counts = assessments_seed(branches=branches, seed=1, today=TODAY, batch_size=200)
        refresh_statistics()  # the planner sees the seeded rows

        assert sorted(Framework.objects.values_list("year", flat=True)) == [2023, 2024, 2025, 2026]
        secretaries = current_secretaries().filter(branch__in=branches)
        assert counts["people"] == secretaries.count()
        assessments = Assessment.objects.all()
        assert counts["assessments"] == assessments.count()
        assert (counts["scores"], counts["group_scores"]) == (
            Score.objects.count(),
            GroupScore.objects.count(),
        )
        # The old units' rounds end with 2025's, made before they ended; this year's is the new units'.
        past = assessments.filter(framework__year__lte=2025)
        assert set(past.values_list("province__code", "province__ended_on")) == {("84", OLD_WORLD_LAST_DAY)}
        assert 2.6 <= past.count() / secretaries.filter(branch__in=old_world).count() <= 3.0
        assert (
            max(past.filter(framework__year=2025).values_list("assessed_on", flat=True)) <= OLD_WORLD_LAST_DAY
        )
        current = assessments.filter(framework__year=2026)
        assert set(current.values_list("province__code", "province__ended_on", "district")) == {
            ("86", None, None)
        }
        assert 0.75 <= current.count() / secretaries.filter(branch__in=new_world).count() <= 0.9
        assert assessments.order_by().values("person").distinct().count() >= 0.85 * secretaries.count()
        assert_stored_values_are_derived(assessments)
        by_year = dict(assessments.values_list("framework__year").annotate(n=Count("pk")))
        assert set(by_year) == set(ROUNDS)
        assert past.filter(status=S.CONFIRMED).count() >= 0.95 * past.count()
        # The scale data set's frameworks have no self-assessment step: the unit's own statuses only.
        assert set(assessments.filter(framework__year=2026).values_list("status", flat=True)) == set(
            Assessment.UNIT_STATUSES
        )
        assert set(
            assessments.exclude(confirmed_by=None).values_list("confirmed_by__username", flat=True)
        ) == {"bench.tinh"}
        assert set(assessments.filter(district__code="846").values_list("assessor__username", flat=True)) == {
            "bench.huyen"
        }
        assert average(assessments.filter(framework__year=2026)) > average(
            assessments.filter(framework__year=2023)
        )
        # A benchmark data set has no audit trail.
        assert not Assessment.history.exists()

    def test_scale_resumes_where_it_stopped_and_then_skips(self, two_provinces):
        tra_vinh = Branch.objects.filter(commune__province__code="84")
        assessments_seed(branches=tra_vinh, seed=1, today=TODAY, batch_size=200)
        refresh_statistics()  # the planner sees the seeded rows
        columns = ("person", "framework__year", "status", "overall_score", "rating", "assessed_on")
        everything = sorted(Assessment.objects.values_list(*columns))
        scores = Counter(Score.objects.values_list("assessment__person", "criterion__name", "value"))
        # An interrupted run: the later half of the people were never assessed.
        people = list(Assessment.objects.order_by("person").values_list("person", flat=True).distinct())
        later = Assessment.objects.filter(person__gte=people[len(people) // 2])
        Score.objects.filter(assessment__in=later).delete()
        GroupScore.objects.filter(assessment__in=later).delete()
        later.delete()
        # The run goes on after the last person assessed: with the later half, any secretary after that
        # whom chance gave no assessment at all (the draws are per person id) is visited again.
        last = Assessment.objects.order_by("-person").values_list("person", flat=True).first()
        after = Term.objects.current().secretaries().filter(branch__in=tra_vinh, person__gt=last).count()
        assert after >= len(people) - len(people) // 2

        resumed = assessments_seed(branches=tra_vinh, seed=1, today=TODAY, batch_size=200)
        refresh_statistics()  # the planner sees the seeded rows

        assert resumed["people"] == after
        assert sorted(Assessment.objects.values_list(*columns)) == everything
        assert Counter(Score.objects.values_list("assessment__person", "criterion__name", "value")) == scores
        assert assessments_seed(branches=tra_vinh, seed=1, today=TODAY)["assessments"] == 0

    def test_seed_scale_runs_the_assessments_step_after_secretaries_and_users(self, two_provinces):
        assert SEED_STEPS.index(assessments_step) > SEED_STEPS.index(secretaries_step)
        assert SEED_STEPS.index(assessments_step) > SEED_STEPS.index(users_step)
        messages = []

        assessments_step(options=ScaleOptions(seed=1), log=messages.append)
        assessments_step(options=ScaleOptions(seed=1), log=messages.append)

        assert "assessments with" in messages[0]
        assert Assessment.objects.filter(province__code="86").exists()
        assert "already seeded" in messages[1]
        assert_stored_values_are_derived(Assessment.objects.filter(district__code="846"))
