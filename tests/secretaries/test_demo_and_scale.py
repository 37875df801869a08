"""The demo's secretaries (Trà Vinh) and the benchmark step that seeds the whole country."""

import random
import re
import unicodedata
from datetime import date, timedelta
from io import StringIO
from itertools import pairwise

import pytest
from django.core.management import call_command
from django.db.models import Count, F

from branches.models import Branch, Commune
from core.planning import refresh_statistics
from core.text import fold
from demo.branches import populate_branches
from demo.management.commands.seed_scale import SEED_STEPS
from demo.scale.branches import ScaleOptions, branches_seed, branches_step
from demo.scale.secretaries import secretaries_seed, secretaries_step
from demo.secretaries import populate_secretaries
from secretaries.models import Person, Term
from tests.conftest import shared_data

TODAY = date(2026, 6, 15)

pytestmark = pytest.mark.django_db


def years_between(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


@pytest.fixture(scope="class")
def demo(django_db_setup, django_db_blocker):
    """Trà Vinh's units, branches and demo secretaries, loaded once for the tests of a class (each test
    runs in a savepoint: what it changes is undone before the next)."""

    def load():
        call_command("load_divisions", "--province", "84", stdout=StringIO())
        populate_branches(rng=random.Random(84))
        return populate_secretaries(rng=random.Random(84), today=TODAY)

    yield from shared_data(django_db_blocker, load)


@pytest.fixture
def tra_vinh_branches(demo):
    return Branch.objects.filter(commune__province__code="84")


def current_secretaries():
    return Term.objects.current().secretaries()


def latest_term(person: Person) -> Term:
    """The current term if any, else the one that ended last."""
    terms = list(person.terms.select_related("branch__commune"))
    current = [t for t in terms if t.ended_on is None]
    return max(current or terms, key=lambda t: (t.ended_on or date.max, t.started_on))


def assert_people_are_well_formed(people) -> None:
    for person in people:
        assert person.full_name == unicodedata.normalize("NFC", person.full_name)
        assert person.name_key == fold(person.full_name)
        assert person.phone_digits == re.sub(r"\D", "", person.phone)
        if person.phone:
            assert re.fullmatch(r"0[3789]\d{2} \d{3} \d{3}", person.phone), person.phone
        assert 20 <= years_between(person.date_of_birth, TODAY) <= 35
        assert (person.party_joined_on is not None) == person.is_party_member
        if person.is_party_member:
            assert years_between(person.date_of_birth, person.party_joined_on) >= 18
        assert not person.portrait


class TestDemo:
    """Trà Vinh's demo secretaries, loaded once for the class."""

    def test_most_demo_branches_have_a_secretary_and_some_are_vacant(self, demo, tra_vinh_branches):
        branches = tra_vinh_branches.filter(is_active=True).count()
        with_secretary = current_secretaries().values("branch").distinct().count()

        assert 0.82 <= with_secretary / branches <= 0.93
        assert demo["secretaries"] == with_secretary
        assert demo["vacancies"] == branches - with_secretary
        assert (demo["people"], demo["terms"]) == (Person.objects.count(), Term.objects.count())
        # About a third have a deputy; some a predecessor; some vacancies have only past terms.
        deputies = Term.objects.current().filter(role=Term.Role.DEPUTY).values("branch").distinct().count()
        assert 0.2 <= deputies / branches <= 0.45
        assert (
            Term.objects.filter(role=Term.Role.SECRETARY, ended_on__isnull=False).count() >= 0.15 * branches
        )
        vacant_with_past = tra_vinh_branches.exclude(terms__in=current_secretaries()).filter(
            terms__role=Term.Role.SECRETARY, terms__ended_on__isnull=False
        )
        assert vacant_with_past.exists()
        assert set(Term.objects.exclude(ended_on=None).values_list("end_reason", flat=True)) >= {
            "Chuyển công tác",
            "Quá tuổi đoàn",
        }
        assert not Term.objects.filter(ended_on__isnull=False, end_reason="").exists()
        # The database allows one current secretary per branch; the demo must not have needed more.
        assert not current_secretaries().values("branch").annotate(n=Count("pk")).filter(n__gt=1).exists()

    def test_demo_terms_are_dated_around_today(self, demo):
        current = current_secretaries()
        for term in current:
            assert timedelta(days=2 * 365) <= TODAY - term.started_on <= timedelta(days=5 * 365 + 1)
            assert term.expected_end_on > term.started_on
        ending_soon = current.filter(expected_end_on__range=(TODAY, TODAY + timedelta(days=60)))
        assert ending_soon.count() >= 5
        for term in Term.objects.exclude(ended_on=None):
            assert term.started_on <= term.ended_on < TODAY
        # A person's terms in one role never overlap (the database refuses it; the demo must not try).
        for person in Person.objects.annotate(n=Count("terms")).filter(n__gt=1):
            for role in Term.Role.values:
                spans = sorted((t.started_on, t.ended_on or date.max) for t in person.terms.filter(role=role))
                assert all(earlier[1] < later[0] for earlier, later in pairwise(spans))
        # A branch has one secretary on any day, from its founding on (the rules term_appoint keeps).
        assert not Term.objects.filter(branch__founded_on__gt=F("started_on")).exists()
        spans_of = {}
        for term in Term.objects.secretaries().order_by("started_on"):
            spans_of.setdefault(term.branch_id, []).append((term.started_on, term.ended_on or date.max))
        assert all(a[1] < b[0] for spans in spans_of.values() for a, b in pairwise(spans))

    def test_demo_people_are_managed_by_the_unit_of_their_latest_branch(self, demo):
        people = Person.objects.all()
        assert people.filter(terms__isnull=True).count() == 0
        for person in people:
            commune = latest_term(person).branch.commune
            assert (person.province_id, person.district_id) == (commune.province_id, commune.district_id)
        # Some serve(d) in two branches, some first as deputy then as secretary.
        assert people.annotate(n=Count("terms__branch", distinct=True)).filter(n__gt=1).exists()
        assert Term.objects.filter(end_reason="Được bầu làm Bí thư chi đoàn", role=Term.Role.DEPUTY).exists()

    def test_demo_people_look_like_trà_vinh(self, demo):
        people = Person.objects.all()
        total = people.count()
        assert_people_are_well_formed(people)

        tra_cu = people.filter(district__code="849")
        khmer_share = tra_cu.filter(ethnicity="05").count() / tra_cu.count()
        assert 0.2 <= khmer_share <= 0.5
        elsewhere = people.exclude(district__code__in=["848", "849"])
        assert elsewhere.filter(ethnicity="05").count() / elsewhere.count() < 0.2
        khmer = people.filter(ethnicity="05")
        assert khmer.filter(religion="phat_giao").count() / khmer.count() > 0.8
        assert set(people.values_list("ethnicity", flat=True)) == {"01", "05"}
        assert khmer.filter(full_name__startswith="Thạch ").exists()
        assert 0.35 <= people.filter(gender="nu").count() / total <= 0.55
        assert 0.3 <= people.filter(is_party_member=True).count() / total <= 0.5
        assert people.exclude(email="").exists() and people.filter(email="").exists()
        assert len(set(people.values_list("occupation", flat=True))) >= 6
        # The name search every demo tries first finds a secretary of Tiểu Cần.
        nguyen_van = Person.objects.search("nguyen van").filter(
            district__code="846", terms__in=current_secretaries()
        )
        assert nguyen_van.exists()
        assert nguyen_van.first().full_name.startswith("Nguyễn Văn ")

    def test_demo_is_created_with_history_and_only_once(self, demo):
        assert Person.history.filter(history_type="+").count() == Person.objects.count()
        assert Term.history.filter(history_type="+").count() == Term.objects.count()

        again = populate_secretaries(rng=random.Random(84), today=TODAY)

        assert again["people"] == again["terms"] == 0
        assert (Person.objects.count(), Term.objects.count()) == (demo["people"], demo["terms"])

    def test_demo_is_the_same_every_time(self, demo):
        names = list(Person.objects.order_by("pk").values_list("full_name", "date_of_birth", "phone"))
        Term.objects.all().delete()
        Person.objects.all().delete()

        populate_secretaries(rng=random.Random(84), today=TODAY)

        assert list(Person.objects.order_by("pk").values_list("full_name", "date_of_birth", "phone")) == names


# The benchmark step, on a small scale: Trà Vinh and Vĩnh Long with three branches per commune.


@pytest.fixture(scope="class")
def two_provinces(django_db_setup, django_db_blocker):
    def seed():
        call_command("load_divisions", "--province", "84", "--province", "86", stdout=StringIO())
        branches_seed(per_commune=3, seed=1, communes=Commune.objects.all())
        first = list(Branch.objects.order_by("pk").values_list("pk", flat=True)[:20])
        Branch.objects.filter(pk__in=first[::4]).update(is_active=False)

    yield from shared_data(django_db_blocker, seed)


class TestScale:
    """The benchmark step on Trà Vinh and Vĩnh Long, seeded once for the class."""

    def test_scale_seeds_one_province_consistently(self, two_provinces):
        tra_vinh = Branch.objects.filter(commune__province__code="84")

        counts = secretaries_seed(branches=tra_vinh, seed=1, today=TODAY, batch_size=200)
        refresh_statistics()  # the planner sees the seeded rows

        assert counts["branches"] == tra_vinh.count()
        assert (counts["people"], counts["terms"]) == (Person.objects.count(), Term.objects.count())
        assert counts["terms"] > tra_vinh.count()
        # Only the branches given, every term with a person of its own, managed by the branch's unit.
        assert not Term.objects.filter(branch__commune__province__code="86").exists()
        assert not Person.objects.annotate(n=Count("terms")).exclude(n=1).exists()
        units = Term.objects.values_list(
            "person__province", "person__district", "branch__commune__province", "branch__commune__district"
        )
        assert all((p, d) == (bp, bd) for p, d, bp, bd in units)
        active = tra_vinh.filter(is_active=True).count()
        assert 0.8 <= current_secretaries().count() / active <= 0.97
        assert not current_secretaries().filter(branch__is_active=False).exists()
        assert Term.objects.filter(role=Term.Role.DEPUTY).exists()
        assert Term.objects.filter(ended_on__isnull=False).exists()
        assert not current_secretaries().values("branch").annotate(n=Count("pk")).filter(n__gt=1).exists()
        # No term before its branch was founded (term_appoint refuses it; the benchmark must not need it).
        assert not Term.objects.filter(branch__founded_on__gt=F("started_on")).exists()
        assert_people_are_well_formed(Person.objects.all())
        # A benchmark data set has no audit trail.
        assert not Person.history.exists() and not Term.history.exists()

    def test_scale_resumes_where_it_stopped_and_then_skips(self, two_provinces):
        tra_vinh = Branch.objects.filter(commune__province__code="84")
        secretaries_seed(branches=tra_vinh, seed=1, today=TODAY, batch_size=200)
        refresh_statistics()  # the planner sees the seeded rows
        everything = sorted(Person.objects.values_list("full_name", "date_of_birth", "phone", "district"))
        # An interrupted run: the people of the later half of the branches were never written.
        middle = tra_vinh.order_by("pk")[tra_vinh.count() // 2].pk
        later_terms = Term.objects.filter(branch__pk__gte=middle)
        later_people = list(later_terms.values_list("person", flat=True))
        later_terms.delete()
        Person.objects.filter(pk__in=later_people).delete()

        resumed = secretaries_seed(branches=tra_vinh, seed=1, today=TODAY, batch_size=200)
        refresh_statistics()  # the planner sees the seeded rows

        assert resumed["people"] == len(later_people)
        assert (
            sorted(Person.objects.values_list("full_name", "date_of_birth", "phone", "district"))
            == everything
        )
        assert secretaries_seed(branches=tra_vinh, seed=1, today=TODAY)["terms"] == 0

    def test_seed_scale_runs_the_secretaries_step_after_the_branches(self, two_provinces):
        assert SEED_STEPS.index(secretaries_step) == SEED_STEPS.index(branches_step) + 1
        messages = []

        secretaries_step(options=ScaleOptions(), log=messages.append)
        secretaries_step(options=ScaleOptions(), log=messages.append)

        assert "people and" in messages[0] and Person.objects.exists()
        assert Term.objects.filter(branch__commune__province__code="86").exists()
        assert "already seeded" in messages[1]
