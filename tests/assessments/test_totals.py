"""The report totals (assessments/totals.py, seminars/totals.py) stay equal to a rebuild from the records
through any sequence of writes made by the services: saves, submits, confirmations, reopenings, deletions,
branches re-attached to another commune, seminars with their participants and dates."""

import datetime
import random

import pytest
from django.core.exceptions import ValidationError

from assessments import totals
from assessments.models import Assessment, AssessmentTotal, CriterionTotal, ProvinceCriterionTotal
from assessments.services import (
    assessment_confirm,
    assessment_reopen,
    assessment_save,
    assessment_submit,
    framework_copy,
    framework_criteria,
)
from branches.services import branch_update
from seminars.models import Attendance, Seminar
from seminars.services import seminar_save
from tests.aggregates import assert_totals_exact
from tests.conftest import framework_2026
from tests.factories import (
    BranchFactory,
    CommuneFactory,
    DistrictFactory,
    ProvinceFactory,
    UserFactory,
    person_with_term,
)


@pytest.fixture
def small_country(db):
    province = ProvinceFactory(code="84", name="Tỉnh Trà Vinh")
    districts = [DistrictFactory(code=code, province=province) for code in ("844", "846")]
    communes = [CommuneFactory(district=districts[i % 2]) for i in range(4)]
    branches = [BranchFactory(commune=communes[i % 4], name=f"Ấp Thử {i}") for i in range(16)]
    # A commune of another province, where a branch may move: its totals change province (the provinces'
    # sums of ProvinceCriterionTotal both change; the test after this one makes sure of such a move).
    neighbour = DistrictFactory(code="855", province=ProvinceFactory(code="86", name="Tỉnh Vĩnh Long"))
    communes.append(CommuneFactory(district=neighbour))
    people = [
        person_with_term(branch=branches[i], full_name=f"Người Thử {i}", phone=f"09{i:08d}")
        for i in range(16)
    ]
    framework = framework_2026()
    staff = UserFactory(username="tinhdoan.thu", role="provincial_staff", province=province)
    return {
        "communes": communes,
        "branches": branches,
        "people": people,
        "frameworks": [framework, framework_copy(framework=framework, year=2025)],
        "staff": staff,
    }


def test_random_writes_keep_the_totals_equal_to_a_rebuild(small_country):
    rng = random.Random(2026)
    staff, people, branches = small_country["staff"], small_country["people"], small_country["branches"]
    criteria = {f.pk: framework_criteria(f) for f in small_country["frameworks"]}
    done = {"save": 0, "submit": 0, "confirm": 0, "reopen": 0, "delete": 0, "move": 0, "seminar": 0}
    seminars: list[Seminar] = []

    for step in range(1, 121):
        action = rng.choices(
            ["save", "submit", "confirm", "reopen", "delete", "move", "seminar"], [8, 3, 3, 2, 1, 2, 2]
        )[0]
        framework = rng.choice(small_country["frameworks"])
        person = rng.choice(people)
        existing = Assessment.objects.filter(person=person, framework=framework).first()
        try:
            if action == "save":
                values = {
                    c.pk: (None if rng.random() < 0.1 else rng.randint(1, 5)) for c in criteria[framework.pk]
                }
                complete = all(v is not None for v in values.values())
                assessment_save(
                    person=person,
                    framework=framework,
                    assessor=staff,
                    values=values,
                    submit=complete and rng.random() < 0.5,
                    assessment=existing,
                    version=existing.version if existing else None,
                    assessed_on=datetime.date(framework.year, 6, rng.randint(1, 28)),
                )
            elif action == "submit" and existing and existing.is_draft:
                assessment_submit(assessment=existing)
            elif action == "confirm" and existing and existing.is_submitted:
                assessment_confirm(assessment=existing, user=staff)
            elif action == "reopen" and existing and existing.is_confirmed:
                assessment_reopen(assessment=existing, user=staff, reason="Sửa điểm")
            elif action == "delete" and existing:
                # No service deletes an assessment (Django admin does): the commune is refreshed after.
                commune = existing.branch.commune_id
                existing.delete()
                totals.communes_changed({commune})
            elif action == "move":
                branch = rng.choice(branches)
                branch.refresh_from_db()
                others = [c for c in small_country["communes"] if c.pk != branch.commune_id]
                branch_update(branch=branch, commune=rng.choice(others), version=branch.version)
            elif action == "seminar":
                if seminars and rng.random() < 0.5:
                    seminar = rng.choice(seminars)
                    seminar.refresh_from_db()
                else:
                    seminar = Seminar(province=staff.province, title=f"Tọa đàm {step}")
                seminar.held_on = datetime.date(rng.choice([2024, 2025]), rng.randint(1, 12), 10)
                saved = seminar_save(
                    seminar=seminar,
                    participants=rng.sample(people, rng.randint(0, 5)),
                    themes=[],
                    proposals=[],
                    user=staff,
                    version=seminar.version if seminar.pk else None,
                )
                if saved not in seminars:
                    seminars.append(saved)
            else:
                continue
        except ValidationError:
            continue  # refused by a rule (an incomplete submit, say): nothing written
        done[action] += 1
        # After every write: a later write in the same commune would hide a missed refresh.
        assert_totals_exact()
    # The sequence did exercise every kind of write, and left something to count.
    assert all(done.values()), done
    assert (
        AssessmentTotal.objects.exists() and CriterionTotal.objects.exists() and Attendance.objects.exists()
    )


def test_a_branch_moving_to_another_province_moves_its_criterion_sums(small_country):
    """ProvinceCriterionTotal follows a branch re-attached to a commune of another province: its counted
    scores leave the first province's sums and join the second's, and the whole still equals a rebuild."""
    staff, person, branch = small_country["staff"], small_country["people"][0], small_country["branches"][0]
    framework = small_country["frameworks"][0]
    values = {c.pk: 4 for c in framework_criteria(framework)}
    assessment_save(person=person, framework=framework, assessor=staff, values=values, submit=True)
    tra_vinh, vinh_long = branch.commune.province_id, small_country["communes"][-1].province_id
    assert tra_vinh != vinh_long

    def summed(province):
        return sum(ProvinceCriterionTotal.objects.filter(province=province).values_list("n", flat=True))

    assert (summed(tra_vinh), summed(vinh_long)) == (len(values), 0)
    branch_update(branch=branch, commune=small_country["communes"][-1], version=branch.version)
    assert (summed(tra_vinh), summed(vinh_long)) == (0, len(values))
    assert not ProvinceCriterionTotal.objects.filter(province=tra_vinh).exists()  # no rows of 0 left
    assert_totals_exact()
