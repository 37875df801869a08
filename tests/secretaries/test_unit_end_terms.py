"""A Huyện đoàn that ended on 30/06/2025 keeps reading its secretaries and appoints no one from a later day:
the refusal stands next to the start date, and nothing is written."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from secretaries import services
from secretaries.models import Person, Term
from tests.factories import BranchFactory

pytestmark = pytest.mark.usefixtures("world_once")

LAST_DAY = datetime.date(2025, 6, 30)


@pytest.fixture
def ended(tieu_can, tra_vinh):
    for unit in (tieu_can, tra_vinh):
        unit.ended_on = LAST_DAY
        unit.save()


def test_an_ended_district_appoints_no_one_after_its_end(world, ended, tieu_can_officer, hieu_tu, client):
    person = world["tieu_can_person"]
    branch = BranchFactory(commune=hieu_tu, name="Khóm 7")
    client.force_login(tieu_can_officer)
    data = {"person": person.pk, "branch": branch.pk, "role": "pho_bi_thu", "started_on": "01/10/2025"}
    response = client.post(reverse("secretaries:appoint"), data)
    assert response.status_code == 200
    assert "Huyện Tiểu Cần" in " ".join(response.context["form"].errors["started_on"])
    assert person.terms.count() == 1
    # Before its end it still records (a late entry of what happened then).
    response = client.post(reverse("secretaries:appoint"), {**data, "started_on": "01/06/2025"})
    assert response.status_code == 302 and person.terms.count() == 2


def test_an_ended_district_adds_no_new_secretary_after_its_end(world, ended, tieu_can_officer, hieu_tu):
    with pytest.raises(ValidationError) as refused:
        services.person_create(
            branch=BranchFactory(commune=hieu_tu, name="Khóm 8"),
            role=Term.Role.SECRETARY,
            started_on=datetime.date(2026, 1, 15),
            user=tieu_can_officer,
            full_name="Thạch Văn Mới",
            gender="nam",
            date_of_birth=datetime.date(2000, 1, 1),
        )
    assert refused.value.code == "unit_ended"
    assert not Person.objects.filter(full_name="Thạch Văn Mới").exists()


def test_a_current_unit_appoints_as_before(world, tra_vinh_staff, hieu_tu):
    term = services.term_appoint(
        person=world["tieu_can_person"],
        branch=BranchFactory(commune=hieu_tu, name="Khóm 9"),
        role=Term.Role.DEPUTY,
        started_on=datetime.date(2026, 1, 15),
        user=tra_vinh_staff,
    )
    assert term.pk is not None
