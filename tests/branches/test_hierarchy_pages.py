from datetime import date

import pytest
from django.urls import reverse

from branches.models import Province, ProvinceSuccession
from tests.conftest import assert_counts_did_not_grow
from tests.factories import BranchFactory, CommuneFactory, DistrictFactory
from tests.login import login_verified

# The world and the personas are built once for the module (tests/conftest.py: world_once).
pytestmark = pytest.mark.usefixtures("world_once")


def test_home_counts_are_scoped(client, tieu_can_officer, tra_vinh_staff, administrator, world, hieu_tu):
    BranchFactory(commune=hieu_tu, name="Khóm 2", member_count=8)
    BranchFactory(commune=hieu_tu, name="Ấp Giải Thể", member_count=99, is_active=False)
    client.force_login(tieu_can_officer)
    response = client.get(reverse("home"))
    # A district officer's first screen lists communes: no number of districts, none counted.
    assert response.context["totals"] == {"communes": 1, "branches": 2, "members": 32 + 8}
    assert 'data-stat="districts"' not in response.content.decode()

    login_verified(client, tra_vinh_staff)
    totals = client.get(reverse("home")).context["totals"]
    assert totals == {"districts": 2, "communes": 2, "branches": 3, "members": 32 + 8 + 27}

    login_verified(client, administrator)
    response = client.get(reverse("home"))
    assert response.context["totals"]["branches"] == 4
    assert [p.code for p in response.context["units"]] == ["84", "86"]


def test_province_page_counts_each_district(client, tra_vinh_staff, world, tieu_can):
    CommuneFactory(district=tieu_can, name="Thị trấn Tiểu Cần", code="29242")
    login_verified(client, tra_vinh_staff)
    response = client.get(reverse("branches:province_detail", args=["84"]))
    rows = {d.code: (d.commune_count, d.branch_count, d.member_count) for d in response.context["districts"]}
    assert rows == {"844": (1, 1, 27), "846": (2, 1, 32)}


def test_unit_tables_put_units_with_branches_first_and_sort_by_their_headers(
    client, tieu_can_officer, tieu_can, hieu_tu
):
    """A merged province's first screen listed 124 communes by code, 48 empty ones first: those with branches
    come first now, and each header sorts (code, name, branches, members), a second click reversing."""
    CommuneFactory(district=tieu_can, name="Xã An Trống", code="29240")
    busy = CommuneFactory(district=tieu_can, name="Xã Bận", code="29360")
    BranchFactory.create_batch(2, commune=busy, member_count=5)
    client.force_login(tieu_can_officer)

    def codes(query=""):
        response = client.get(reverse("home") + query)
        return [unit.code for unit in response.context["units"]], response.content.decode()

    order, page = codes()
    assert order == ["29350", "29360", "29240"]
    assert 'href="?o=branches"' in page and 'href="?o=name"' in page
    assert codes("?o=-branches")[0] == ["29360", "29350", "29240"]
    assert codes("?o=name")[0] == ["29240", "29360", "29350"]  # An Trống, Bận, Hiếu Tử
    assert codes("?o=-members")[0] == ["29350", "29360", "29240"]  # 32, 10, 0
    assert codes("?o=code")[0] == ["29240", "29350", "29360"]
    assert codes("?o=nonsense")[0] == order
    district = client.get(reverse("branches:district_detail", args=["846"]) + "?o=-branches")
    assert [c.code for c in district.context["communes"]] == ["29360", "29350", "29240"]


def test_unit_rows_are_drawn_escaped_with_their_links(client, administrator, tra_vinh, tieu_can):
    """A table of units is drawn by the `unit_rows` tag: each unit's code, its name escaped and linked to its
    page, an ended unit's end, its counts; the columns the level has (districts for provinces only)."""
    Province.objects.filter(pk=tra_vinh.pk).update(name="Tỉnh <b>Trà</b> Vinh", ended_on=date(2025, 6, 30))
    tra_vinh.refresh_from_db()  # an ended unit's page is asked for on its last day
    login_verified(client, administrator)
    html = client.get(reverse("branches:province_list")).content.decode()
    row = html.split('<tr><td class="text-muted">84</td>')[1].split("</tr>")[0]
    link = f'<a href="{tra_vinh.get_absolute_url()}">Tỉnh &lt;b&gt;Trà&lt;/b&gt; Vinh</a>'
    assert row.startswith(f'<td>{link} <span class="badge text-bg-secondary">chấm dứt 30/06/2025</span></td>')
    assert (
        row.count('<td class="text-end">') == 4 and "<b>" not in row
    )  # districts, communes, branches, members
    page = client.get(reverse("branches:province_detail", args=["84"])).content.decode()
    row = page.split(f'<tr><td class="text-muted">{tieu_can.code}</td>')[1].split("</tr>")[0]
    assert row.startswith(f'<td><a href="{tieu_can.get_absolute_url()}">{tieu_can.name}</a></td>')
    assert row.count('<td class="text-end">') == 3  # communes, branches, members


def test_officer_sees_own_district_only_on_province_page(client, tieu_can_officer, world):
    client.force_login(tieu_can_officer)
    response = client.get(reverse("branches:province_detail", args=["84"]))
    assert [d.code for d in response.context["districts"]] == ["846"]
    assert "Càng Long" not in response.content.decode()


def test_commune_directly_under_province_after_2025(client, tra_vinh_staff, tra_vinh):
    commune = CommuneFactory(district=None, province=tra_vinh, name="Phường Mới", code="29999")
    BranchFactory(commune=commune, name="Khóm 1")
    login_verified(client, tra_vinh_staff)
    response = client.get(reverse("branches:province_detail", args=["84"]))
    assert [c.name for c in response.context["direct_communes"]] == ["Phường Mới"]
    page = client.get(commune.get_absolute_url())
    assert page.status_code == 200
    assert "Khóm 1" in page.content.decode()


def test_breadcrumbs_through_the_hierarchy(client, tra_vinh_staff, tieu_can_branch):
    login_verified(client, tra_vinh_staff)
    html = client.get(tieu_can_branch.get_absolute_url()).content.decode()
    crumbs = html[html.index('class="breadcrumb') :]
    for name in ["Tỉnh Trà Vinh", "Huyện Tiểu Cần", "Xã Hiếu Tử", "Ấp Cây Gòn"]:
        assert name in crumbs
    assert crumbs.index("Tỉnh Trà Vinh") < crumbs.index("Huyện Tiểu Cần") < crumbs.index("Xã Hiếu Tử")


def test_ceased_unit_shows_its_successor(client, administrator, tra_vinh, vinh_long):
    Province.objects.filter(pk=tra_vinh.pk).update(ended_on=date(2025, 6, 30))
    ProvinceSuccession.objects.create(predecessor=tra_vinh, successor=vinh_long, on=date(2025, 7, 1))
    login_verified(client, administrator)
    html = client.get(reverse("branches:province_detail", args=["84"])).content.decode()
    assert "30/06/2025" in html
    assert "Đã sáp nhập vào" in html
    assert vinh_long.get_absolute_url() in html
    assert "Hình thành từ" in client.get(vinh_long.get_absolute_url()).content.decode()


def test_healthz_touches_the_database(db, client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/healthz")
    assert response.content == b"ok"


def _grow(tieu_can, cang_long, n):
    for i in range(n):
        district = DistrictFactory(province=tieu_can.province)
        for _ in range(2):
            commune = CommuneFactory(district=[tieu_can, cang_long, district][i % 3])
            BranchFactory.create_batch(3, commune=commune)


PAGES = [
    ("home", lambda w: reverse("home")),
    ("provinces", lambda w: reverse("branches:province_list")),
    ("province", lambda w: reverse("branches:province_detail", args=["84"])),
    ("district", lambda w: reverse("branches:district_detail", args=["846"])),
    ("commune", lambda w: reverse("branches:commune_detail", args=["29350"])),
    ("home sorted", lambda w: reverse("home") + "?o=-branches"),
    ("province sorted", lambda w: reverse("branches:province_detail", args=["84"]) + "?o=name"),
    ("branch list", lambda w: reverse("branches:branch_list")),
    ("branch list searched", lambda w: reverse("branches:branch_list") + "?q=ap&o=district"),
    ("branch form", lambda w: reverse("branches:branch_create")),
]


def test_query_counts_do_not_grow_with_rows(query_counts, world, tieu_can, cang_long, hieu_tu):
    personas = ["administrator", "tra_vinh_staff", "tieu_can_officer"]
    small = query_counts(personas, PAGES, world)
    _grow(tieu_can, cang_long, 6)
    # More branches in the commune whose page is counted: its table read each one's commune (a query a row).
    BranchFactory.create_batch(5, commune=hieu_tu)
    large = query_counts(personas, PAGES, world)
    assert_counts_did_not_grow(small, large)
    # 28: the page's queries plus the user's former branches, read once per request (core/scope.py), and for
    # an ended unit's staff those of them outside its communes today (branches/counters.py).
    for (persona, page), count in large.items():
        assert count <= 28, f"{persona}, {page}: {count} queries"
