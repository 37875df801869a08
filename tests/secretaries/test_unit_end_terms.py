"""A Huyện đoàn that ended on 30/06/2025 keeps reading its secretaries, and no longer says who leads a branch:
it appoints no one (a back-dated term would still be current today, in a branch of today's commune), ends no
term, and adds no secretary, as its imports do not; the service refuses a day after its end too."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from secretaries import services
from secretaries.models import Person, Term
from tests.factories import BranchFactory
from tests.login import login_verified

pytestmark = pytest.mark.usefixtures("world_once")

LAST_DAY = datetime.date(2025, 6, 30)


@pytest.fixture
def ended(tieu_can, tra_vinh):
    for unit in (tieu_can, tra_vinh):
        unit.ended_on = LAST_DAY
        unit.save()


def test_an_ended_district_appoints_no_one_and_ends_no_term(world, ended, tieu_can_officer, hieu_tu, client):
    person = world["tieu_can_person"]
    term = person.terms.get()
    branch = BranchFactory(commune=hieu_tu, name="Khóm 7")
    client.force_login(tieu_can_officer)
    # Back-dated before the district's end too: the term would run on into today's commune.
    data = {"person": person.pk, "branch": branch.pk, "role": "pho_bi_thu", "started_on": "01/06/2025"}
    for method, url, payload in [
        ("get", reverse("secretaries:appoint"), {}),
        ("post", reverse("secretaries:appoint"), data),
        ("get", reverse("secretaries:person_create") + f"?branch={branch.pk}", {}),
        ("post", reverse("secretaries:person_create"), {**data, "full_name": "Thạch Văn Mới"}),
        ("get", reverse("secretaries:term_end", args=[term.pk]), {}),
        ("post", reverse("secretaries:term_end", args=[term.pk]), {"ended_on": "01/06/2025"}),
    ]:
        assert getattr(client, method)(url, payload).status_code == 403, (method, url)
    assert person.terms.count() == 1 and person.terms.get().ended_on is None
    assert not Person.objects.filter(full_name="Thạch Văn Mới").exists()
    # What it still reads: the person, without the buttons that would answer 403.
    page = client.get(person.get_absolute_url()).content.decode()
    assert reverse("secretaries:term_end", args=[term.pk]) not in page
    vacancies = client.get(reverse("secretaries:vacancy_list")).content.decode()
    assert reverse("secretaries:appoint") not in vacancies
    branch_page = client.get(term.branch.get_absolute_url()).content.decode()
    assert reverse("secretaries:appoint") not in branch_page


def test_the_ended_province_ends_no_term_of_today(world, ended, tra_vinh_staff, client):
    """Old Tỉnh đoàn Trà Vinh reads the secretaries its province had; today's are Vĩnh Long's units'."""
    term = world["tieu_can_person"].terms.get()
    login_verified(client, tra_vinh_staff)
    assert client.get(world["tieu_can_person"].get_absolute_url()).status_code == 200
    response = client.post(reverse("secretaries:term_end", args=[term.pk]), {"ended_on": "01/06/2025"})
    assert response.status_code == 403
    term.refresh_from_db()
    assert term.ended_on is None


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


def test_an_ended_districts_branch_page_names_todays_secretary_without_a_link(
    world, ended, tieu_can_officer, client
):
    """Who leads the branch since the district ended is today's commune's record: named, not linked (the
    link answered 404)."""
    from tests.factories import person_with_term

    term = world["tieu_can_person"].terms.get()
    services.term_end(term=term, ended_on=datetime.date(2025, 12, 31))
    today = person_with_term(
        branch=term.branch, full_name="Lâm Thị Hôm Nay", started_on=datetime.date(2026, 1, 1)
    )
    # Managed by today's units, which have no district (as the appointment of a commune officer leaves it).
    Person.objects.filter(pk=today.pk).update(district=None)
    client.force_login(tieu_can_officer)
    page = client.get(term.branch.get_absolute_url()).content.decode()
    assert "Lâm Thị Hôm Nay" in page
    assert client.get(today.get_absolute_url()).status_code == 404
    assert today.get_absolute_url() not in page
    assert world["tieu_can_person"].get_absolute_url() in page  # its own secretary, linked as before


def test_an_ended_district_chooses_among_the_frameworks_of_its_years(world, ended, tieu_can_officer, client):
    from assessments.framework_services import framework_copy
    from assessments.models import Framework
    from tests.conftest import framework_2026

    framework_copy(framework=framework_2026(), year=LAST_DAY.year)
    assert Framework.objects.filter(year__gt=LAST_DAY.year).exists()  # the world's 2026 framework
    client.force_login(tieu_can_officer)
    form = client.get(reverse("assessments:assessment_list")).context["filter"].form
    offered = {framework.year for framework in form.fields["framework"].queryset}
    assert offered and max(offered) <= LAST_DAY.year
