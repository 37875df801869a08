"""Commendation statistics on a small known set: per year, per district and year, and the shares of women,
Khmer, other minorities and party members among the commended (revoked ones counted apart)."""

import datetime

import pytest
from django.urls import reverse

from awards import services
from awards.models import Campaign
from secretaries.models import Person
from tests.awards.test_commendations import commend
from tests.login import login_verified

# The world and the personas are built once for the module (tests/conftest.py: world_once).
pytestmark = pytest.mark.usefixtures("world_once")

D = datetime.date


@pytest.fixture
def known(world, tieu_can, cang_long, tra_vinh_staff):
    """2020 (the world's): Tèo of Tiểu Cần, a Khmer party member; Nhung of Càng Long, a Kinh woman.
    2022: a Hoa woman, party member, of Tiểu Cần; a Kinh man of Càng Long; a Khmer man of Tiểu Cần whose
    commendation was revoked."""
    Person.objects.filter(pk=world["tieu_can_person"].pk).update(ethnicity="05", is_party_member=True)
    Person.objects.filter(pk=world["cang_long_person"].pk).update(ethnicity="01", is_party_member=False)
    later = Campaign.objects.create(
        province=tieu_can.province,
        year=2022,
        title="Tuyên dương Bí thư Chi đoàn tiêu biểu năm 2022",
        opens_on=D(2022, 9, 1),
        closes_on=D(2022, 10, 1),
        status=Campaign.Status.DECIDED,
        decision_number="88/QĐ-TĐTN",
        decision_date=D(2022, 11, 2),
    )
    commend(later, tieu_can, gender="nu", ethnicity="04", is_party_member=True)
    commend(later, cang_long, gender="nam", ethnicity="01")
    revoked = commend(later, tieu_can, gender="nam", ethnicity="05")
    services.commendation_revoke(
        commendation=revoked, revoked_on=D(2023, 1, 5), reason="Sai sự thật.", user=tra_vinh_staff
    )
    return later


def statistics(client, **params):
    response = client.get(reverse("awards:statistics"), params)
    assert response.status_code == 200
    return response


def shares(response) -> dict:
    return {
        s["key"]: (s["count"], None if s["share"] is None else round(s["share"], 1))
        for s in response.context["shares"]
    }


def test_every_year(client, tra_vinh_staff, known, tieu_can, cang_long):
    login_verified(client, tra_vinh_staff)
    response = statistics(client)
    assert response.context["total"] == 4
    assert shares(response) == {
        "women": (2, 50.0),
        "khmer": (1, 25.0),
        "other_minorities": (1, 25.0),
        "party_members": (2, 50.0),
    }
    data = response.context["data"]
    assert data["revoked"] == 1
    assert data["years"] == [2020, 2022]
    assert data["per_year"] == {2020: 2, 2022: 2}
    assert data["level"] == "district"
    assert [(row["unit"], row["counts"], row["total"]) for row in data["table"]] == [
        (cang_long, [1, 1], 2),
        (tieu_can, [1, 1], 2),
    ]
    assert response.context["column_totals"] == [2, 2]
    chart = response.context["chart"]
    assert chart["labels"] == ["2020", "2022"]
    assert chart["datasets"][0]["data"] == [2, 2]
    html = response.content.decode()
    assert 'data-chart="commendations-per-year"' in html
    assert "50.0%" in html or "50,0%" in html


def test_one_year(client, tra_vinh_staff, known):
    login_verified(client, tra_vinh_staff)
    response = statistics(client, year=2020)
    assert response.context["year"] == 2020
    assert response.context["total"] == 2
    assert shares(response) == {
        "women": (1, 50.0),
        "khmer": (1, 50.0),
        "other_minorities": (0, 0.0),
        "party_members": (1, 50.0),
    }
    assert response.context["data"]["revoked"] == 0
    assert response.context["data"]["years"] == [2020]
    # The chart keeps every year, so the chosen one is seen among the others.
    assert response.context["chart"]["labels"] == ["2020", "2022"]
    later = statistics(client, year=2022)
    assert later.context["total"] == 2
    assert later.context["data"]["revoked"] == 1


def test_a_district_officer_sees_the_province(client, cang_long_officer, known):
    client.force_login(cang_long_officer)
    response = statistics(client)
    assert response.context["total"] == 4
    assert len(response.context["data"]["table"]) == 2


def test_an_officer_counts_ethnicity_and_party_membership_only_of_their_own_people(
    client, cang_long_officer, known
):
    """Càng Long's officer reads the province's 4 commendations, but Tèo's and the Hoa woman's ethnicity and
    party membership (Tiểu Cần's) are not theirs to read, nor to deduce from a share: those shares count
    Càng Long's 2 (Kinh, not party members); women are counted over all 4. The page says what it counts."""
    client.force_login(cang_long_officer)
    response = statistics(client)
    assert response.context["data"]["people"]["personal_total"] == 2
    assert shares(response) == {
        "women": (2, 50.0),
        "khmer": (0, 0.0),
        "other_minorities": (0, 0.0),
        "party_members": (0, 0.0),
    }
    html = response.content.decode()
    assert "data-counted-area" in html
    assert "Số liệu tính các tuyên dương của Tỉnh Trà Vinh" in html
    assert "chỉ tính 2 bí thư được tuyên dương thuộc đơn vị của bạn" in html


def test_a_year_not_offered_shows_every_year(client, tra_vinh_staff, known):
    login_verified(client, tra_vinh_staff)
    for year in ("1999", "abc"):
        response = statistics(client, year=year)
        assert response.context["year"] is None
        assert response.context["total"] == 4


def test_another_province_has_nothing_yet(client, vinh_long_staff, known):
    login_verified(client, vinh_long_staff)
    response = statistics(client)
    assert response.context["total"] == 0
    assert response.context["chart"] is None
    html = response.content.decode()
    assert "data-empty" in html
    assert 'id="commendation-statistics"' not in html


def test_the_administrator_sees_every_province(client, administrator, known):
    login_verified(client, administrator)
    response = statistics(client)
    assert response.context["total"] == 4
    data = response.context["data"]
    # The whole country is read per province.
    assert data["level"] == "province"
    assert [(row["unit"].name, row["counts"], row["total"]) for row in data["table"]] == [
        ("Tỉnh Trà Vinh", [2, 2], 4)
    ]
