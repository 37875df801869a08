"""Both worlds and their lineage: identity vs code, splits, pages, URLs and the search of old names.

The official units of Trà Vinh and Vĩnh Long (old, to 30/06/2025) and of the new Vĩnh Long are loaded once
for the module, inside a transaction rolled back at its end; each test runs in a savepoint inside it.
"""

from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from branches.divisions import NEW_WORLD, OLD_WORLD, divisions_2025, divisions_load, official_divisions
from branches.models import Commune, CommuneSuccession, District, Province
from tests.factories import UserFactory
from tests.login import login_verified

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def both_worlds(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield divisions_load(province_codes=["84", "86"])
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def old(code: str) -> Commune:
    return Commune.objects.select_related("district").get(OLD_WORLD, code=code)


def new(code: str) -> Commune:
    return Commune.objects.get(NEW_WORLD, code=code)


def html_of(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def admin_client(client, both_worlds):
    login_verified(client, UserFactory(username="quantri", role="administrator", is_staff=True))
    return client


@pytest.fixture
def tieu_can_client(both_worlds):
    client = Client()  # its own, so a test may use both clients
    officer = UserFactory(
        username="huyendoan.tieucan", role="district_officer", district=District.objects.get(code="846")
    )
    client.force_login(officer)
    return client


def test_the_2025_file_holds_the_new_world_and_the_table():
    data = divisions_2025()
    assert (len(data.provinces), len(data.communes)) == (34, 3321)
    assert data.provenance["package"] == "vietnam-provinces"
    assert data.provenance["version"] == "2026.9.0"
    assert data.provenance["effective_on"] == "2025-07-01"
    assert {(row.old_code, row.new_code) for row in data.province_lineage} >= {("83", "86"), ("84", "86")}
    new_codes = {unit.code for unit in data.communes}
    assert {row.new_code for row in data.commune_lineage} <= new_codes
    old_codes = {unit.code for unit in official_divisions().communes}
    reused = old_codes & new_codes
    assert len(reused) > 3000  # most new communes reuse an old code…
    old_names = {unit.code: unit.name for unit in official_divisions().communes}
    # …about two thousand under another name.
    assert (
        sum(1 for unit in data.communes if unit.code in reused and unit.name != old_names[unit.code]) > 2000
    )


def test_both_worlds_load_with_their_dates(both_worlds):
    assert both_worlds.new_provinces.created == 1  # "84" and "86" both lead to the new Vĩnh Long
    assert list(
        Province.objects.filter(code="86").order_by("pk").values_list("name", "began_on", "ended_on")
    ) == [
        ("Tỉnh Vĩnh Long", None, date(2025, 6, 30)),
        ("Tỉnh Vĩnh Long", date(2025, 7, 1), None),
    ]
    assert not Commune.objects.filter(OLD_WORLD).exclude(ended_on=date(2025, 6, 30)).exists()
    assert Commune.objects.filter(NEW_WORLD, ended_on__isnull=True, district__isnull=True).count() == 124
    assert not District.objects.filter(ended_on__isnull=True).exists()
    tra_vinh = Province.objects.get(code="84")
    assert [row.successor.code for row in tra_vinh.successions.select_related("successor")] == ["86"]


def test_an_old_unit_whose_code_is_reused_keeps_its_name_and_district(both_worlds):
    phuong_3, phuong_tra_vinh = old("29242"), new("29242")
    assert phuong_3.pk != phuong_tra_vinh.pk
    assert (phuong_3.name, phuong_3.district.name, phuong_3.province.code) == (
        "Phường 3",
        "Thành phố Trà Vinh",
        "84",
    )
    assert (phuong_tra_vinh.name, phuong_tra_vinh.district, phuong_tra_vinh.province.began_on) == (
        "Phường Trà Vinh",
        None,
        date(2025, 7, 1),
    )
    # Loading again (the whole reform for these provinces) changes neither.
    report = divisions_load(province_codes=["84", "86"])
    assert not report.changed
    assert old("29242").name == "Phường 3"


def test_codes_are_unique_among_the_units_of_a_moment(both_worlds):
    hieu_tu = old("29350")
    with pytest.raises(IntegrityError), transaction.atomic():
        Commune.objects.create(code="29365", name="Xã Trùng Mã", province=hieu_tu.province)  # Tập Ngãi's
    with pytest.raises(IntegrityError), transaction.atomic():
        Commune.objects.create(
            code="29350", name="Xã Trùng Mã", province=hieu_tu.province, ended_on=date(2025, 6, 30)
        )
    # Another moment is another matter: a unit that ended earlier may have had the code.
    Commune.objects.create(
        code="29350", name="Xã Cũ Hơn", province=hieu_tu.province, ended_on=date(2020, 1, 1)
    )


def test_a_commune_that_went_whole_and_one_that_was_split(both_worlds):
    hieu_tu = old("29350")
    assert [(row.successor.name, row.partly, row.on) for row in hieu_tu.successions.all()] == [
        ("Xã Tập Ngãi", False, date(2025, 7, 1))
    ]
    tam_binh = old("29719")  # Thị trấn Tam Bình (old Vĩnh Long) went into two new communes, partly each
    assert tam_binh.name == "Thị trấn Tam Bình"
    rows = CommuneSuccession.objects.filter(predecessor=tam_binh).order_by("successor__code")
    assert [(row.successor.name, row.partly) for row in rows] == [("Xã Tam Bình", True), ("Xã Trà Côn", True)]
    assert sorted(c.predecessor.name for c in new("29365").origins.all()) == ["Xã Hiếu Tử", "Xã Tập Ngãi"]


def test_urls_by_code_name_one_unit_at_a_time(admin_client):
    phuong_3, phuong_tra_vinh = old("29242"), new("29242")
    assert phuong_3.get_absolute_url() == "/communes/29242/?on=2025-06-30"
    assert phuong_tra_vinh.get_absolute_url() == "/communes/29242/"
    assert admin_client.get("/communes/29242/").context["commune"] == phuong_tra_vinh
    assert admin_client.get(phuong_3.get_absolute_url()).context["commune"] == phuong_3
    assert admin_client.get("/communes/29242/?on=2020-05-01").context["commune"] == phuong_3
    assert admin_client.get("/communes/29242/?on=not-a-date").context["commune"] == phuong_tra_vinh
    assert admin_client.get("/communes/29242/?on=2026-13-45").status_code == 200
    # The old world's units have no start date: they are the ones of any earlier day.
    assert admin_client.get("/communes/29242/?on=1990-01-01").context["commune"] == phuong_3
    assert admin_client.get("/communes/99999/").status_code == 404


def test_a_district_officers_old_link_still_opens_the_old_commune(tieu_can_client):
    response = tieu_can_client.get("/communes/29350/")
    assert response.context["commune"] == old("29350")
    # The new commune is outside a district officer's scope: named, not linked.
    html = response.content.decode()
    assert "Xã Tập Ngãi" in html
    assert new("29365").get_absolute_url() + '"' not in html
    assert tieu_can_client.get("/communes/29365/").context["commune"] == old("29365")


def test_an_ended_commune_says_where_it_went(admin_client):
    html = html_of(admin_client, old("29350").get_absolute_url())
    assert "Đơn vị này đã chấm dứt ngày 30/06/2025" in html
    merged = html[html.index("Đã sáp nhập vào") :]
    assert f'<a href="{new("29365").get_absolute_url()}">Xã Tập Ngãi</a>' in merged
    assert "một phần" not in merged[: merged.index("</dd>")]

    html = html_of(admin_client, old("29719").get_absolute_url())
    merged = html[html.index("Đã sáp nhập vào") :]
    merged = merged[: merged.index("</dd>")]
    assert "Xã Tam Bình" in merged and "Xã Trà Côn" in merged
    assert merged.count("một phần") == 2


def test_a_new_commune_says_what_it_was_formed_from(admin_client):
    html = html_of(admin_client, new("29365").get_absolute_url())
    assert "Có hiệu lực từ" in html and "01/07/2025" in html
    formed = html[html.index("Hình thành từ") :]
    formed = formed[: formed.index("</dd>")]
    assert f'<a href="{old("29350").get_absolute_url()}">Xã Hiếu Tử</a>' in formed
    assert "Xã Tập Ngãi" in formed
    assert "đã chấm dứt" not in html


def test_province_and_district_pages_show_lineage_and_counts_as_they_were(admin_client):
    html = html_of(admin_client, "/provinces/84/")
    assert "Đã sáp nhập vào" in html and 'href="/provinces/86/"' in html
    # The old province's page counts its districts' communes as on its last day, not zero.
    districts = admin_client.get("/provinces/84/").context["districts"]
    assert sum(d.commune_count for d in districts) == 104
    html = html_of(admin_client, "/provinces/86/")
    formed = html[html.index("Hình thành từ") :]
    assert "Tỉnh Trà Vinh" in formed[: formed.index("</dd>")]
    html = html_of(admin_client, "/districts/846/")
    assert "Đơn vị này đã chấm dứt ngày 30/06/2025" in html


def test_searching_an_old_name_finds_the_ended_unit_and_its_successor(admin_client):
    response = admin_client.get(reverse("branches:province_list"), {"q": "hieu tu"})
    html = response.content.decode()
    results = html[html.index("unit-search-results") :]
    assert "Xã Hiếu Tử" in results
    assert "chấm dứt 30/06/2025" in results
    assert f'href="{new("29365").get_absolute_url()}"' in results
    assert "Tỉnh Vĩnh Long" in results  # the old commune's province

    nothing = admin_client.get(reverse("branches:province_list"), {"q": "khong co ten nay"})
    assert "Không có đơn vị nào mang tên này." in nothing.content.decode()


def test_the_commune_autocomplete_finds_old_names_marked_ended(admin_client, tieu_can_client):
    results = admin_client.get(reverse("branches:commune_autocomplete"), {"q": "tap ngai"}).json()["results"]
    # Today's commune first, then the ended one of the same name.
    assert [(r["text"].split(" (")[0], r["ended"]) for r in results] == [
        ("Xã Tập Ngãi", False),
        ("Xã Tập Ngãi — Huyện Tiểu Cần", True),
    ]
    hieu_tu = admin_client.get(reverse("branches:commune_autocomplete"), {"q": "hieu tu"}).json()["results"]
    assert hieu_tu == [
        {
            "value": old("29350").pk,
            "text": "Xã Hiếu Tử — Huyện Tiểu Cần (chấm dứt 30/06/2025) → Xã Tập Ngãi",
            "ended": True,
            "successors": [{"text": "Xã Tập Ngãi", "url": "/communes/29365/", "partly": False}],
        }
    ]
    split = admin_client.get(reverse("branches:commune_autocomplete"), {"q": "thi tran tam binh"}).json()
    assert split["results"][0]["text"].endswith("→ Xã Tam Bình (một phần), Xã Trà Côn (một phần)")
    # Out of the officer's scope, the successor is named without a link.
    own = tieu_can_client.get(reverse("branches:commune_autocomplete"), {"q": "hieu tu"}).json()["results"]
    assert own[0]["successors"] == [{"text": "Xã Tập Ngãi", "url": None, "partly": False}]
    # The branch form asks for today's communes only.
    current = admin_client.get(reverse("branches:commune_autocomplete"), {"q": "tap ngai", "current": "1"})
    assert [r["value"] for r in current.json()["results"]] == [new("29365").pk]
    districts = admin_client.get(reverse("branches:district_autocomplete"), {"q": "tieu can"}).json()
    assert districts["results"][0]["ended"] is True
