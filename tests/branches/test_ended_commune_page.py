"""An ended commune's page: the branches still under it (waiting for their new commune), and those it had
that went into another commune, each under its commune today; nothing offers to add a branch to it."""

import pytest
from django.urls import reverse

from branches.divisions import REFORM_DAY
from branches.models import BranchAttachment
from branches.services import branches_attach_to_new_communes
from tests.branches import reform_world
from tests.factories import BranchFactory, CommuneFactory
from tests.login import login_verified

pytestmark = pytest.mark.usefixtures("world_once")


@pytest.fixture
def w():
    return reform_world.build()


def _page(client, user, commune):
    login_verified(client, user)
    url = reverse("branches:commune_detail", args=[commune.code]) + f"?on={commune.ended_on.isoformat()}"
    return client.get(url)


def test_a_commune_that_went_whole_into_another_lists_its_branches_there(client, w):
    response = _page(client, w["staff"], w["whole"])
    assert response.status_code == 200
    assert response.context["branches"] == []
    assert response.context["moved_away"] == [w["moved"]]
    html = response.content.decode()
    moved = html.split("data-moved-away")[1]
    assert "Ấp Nguyên" in moved and "Xã Mới Một" in moved
    assert "Xã này không còn chi đoàn nào." in html
    assert reverse("branches:branch_create") not in html


def test_a_split_commune_keeps_its_waiting_branches_and_then_lists_the_one_settled(client, w):
    response = _page(client, w["staff"], w["split"])
    assert [b.name for b in response.context["branches"]] == ["Ấp Bến Đò", "Ấp Cây Sộp", "Ấp Đầu Giồng"]
    assert response.context["moved_away"] == []
    settled = w["waiting"][0]
    branches_attach_to_new_communes(choices=[(settled, w["two"])], on=REFORM_DAY, user=w["staff"])
    settled.refresh_from_db()
    response = _page(client, w["staff"], w["split"])
    assert settled not in response.context["branches"]
    assert [(b, b.commune) for b in response.context["moved_away"]] == [(settled, w["two"])]


def test_the_moved_branches_are_read_through_the_scope(client, w):
    # Another province's staff cannot open the page at all; the old province's staff read what it had.
    assert _page(client, w["other_staff"], w["whole"]).status_code == 404
    assert _page(client, w["old_staff"], w["whole"]).context["moved_away"] == [w["moved"]]


def test_queries_do_not_grow_with_the_moved_branches(client, w, count_queries):
    login_verified(client, w["staff"])
    url = (
        reverse("branches:commune_detail", args=[w["whole"].code]) + f"?on={w['whole'].ended_on.isoformat()}"
    )
    client.get(url)
    with count_queries() as small:
        client.get(url)
    for name in ("Ấp Thêm Một", "Ấp Thêm Hai", "Ấp Thêm Ba"):
        branch = BranchFactory(commune=w["one"], name=name)
        BranchAttachment.objects.create(branch=branch, commune=w["whole"], ended_on=w["whole"].ended_on)
    with count_queries() as large:
        response = client.get(url)
    assert len(response.context["moved_away"]) == 4
    assert len(large) == len(small)


def test_an_ended_district_and_province_say_what_their_counts_are(client, w, hieu_tu):
    login_verified(client, w["admin"])
    on = f"?on={w['district'].ended_on.isoformat()}"
    for url in (
        reverse("branches:district_detail", args=[w["district"].code]) + on,
        reverse("branches:province_detail", args=[w["old_province"].code]) + on,
    ):
        assert "data-counts-today" in client.get(url).content.decode(), url
    # Nor a link to "its branches": a list filtered on a district that no branch is under any more.
    ended = client.get(reverse("branches:district_detail", args=[w["district"].code]) + on).content.decode()
    assert f"?district={w['district'].pk}" not in ended
    # The provinces' table too, once an ended province still counts branches (those waiting).
    provinces = client.get(reverse("branches:province_list"))
    assert any(p.ended_on and p.branch_count for p in provinces.context["provinces"])
    assert "data-counts-today" in provinces.content.decode()
    # A unit that goes on counts its branches as they are: nothing to explain.
    current = reverse("branches:district_detail", args=[hieu_tu.district.code])
    page = client.get(current).content.decode()
    assert "data-counts-today" not in page and f"?district={hieu_tu.district.pk}" in page


def test_the_province_list_says_in_numbers_how_the_first_screen_counts_and_dashes_no_districts(client, w):
    """Tỉnh Mới's row counts its own branch, Tỉnh Cũ's the three waiting: the note adds them up as the
    first screen does; a province of today has no districts, a dash rather than 0."""
    login_verified(client, w["admin"])
    html = " ".join(client.get(reverse("branches:province_list")).content.decode().split())
    note = html[html.index("data-counts-today") :]
    note = note[: note.index("</p>")]
    assert "Với tỉnh đã chấm dứt, số liệu chỉ tính các chi đoàn còn chờ xác định xã mới." in note
    assert "Tỉnh Mới: 1 + 3 chờ xác định xã mới = 4 chi đoàn." in note
    assert "Tỉnh Mới Khác: 0 + 1 chờ xác định xã mới = 1 chi đoàn." in note
    row = next(r for r in html.split("<tr>") if f">{w['province'].name}</a>" in r)
    assert '<td class="text-end">—</td>' in row
    old = next(r for r in html.split("<tr>") if f">{w['old_province'].name}</a>" in r)
    assert '<td class="text-end">1</td>' in old  # Huyện Cũ


def _note(html: str) -> str:
    html = " ".join(html.split())
    note = html[html.index("data-counts-today") :]
    return note[: note.index("</p>")]


def test_an_ended_provinces_account_counts_alike_on_every_page(client, w):
    """Tỉnh Cũ's own staff: its first screen, its row of the provinces, its district on its page and its
    communes on the district's page all count the four branches it had on 30/06/2025 (three waiting, one
    under Xã Mới Một since), and each note says so (the province list counted the three waiting only, and
    the notes said so on pages whose tables counted four)."""
    on = f"?on={w['district'].ended_on.isoformat()}"
    login_verified(client, w["old_staff"])
    assert client.get(reverse("home")).context["totals"]["branches"] == 4
    provinces = client.get(reverse("branches:province_list"))
    assert {p: p.branch_count for p in provinces.context["provinces"]} == {w["old_province"]: 4}
    note = _note(provinces.content.decode())
    assert "mà tỉnh có vào ngày cuối cùng" in note and "chỉ tính" not in note
    # Like its first screen's table of units, not its headline figures (today's: fewer, some ended since).
    assert "như bảng các đơn vị trực thuộc trên trang Tổng quan" in note
    assert "theo tình trạng hiện nay" in note
    assert not note.rstrip().endswith(":") and "Trang Tổng quan tính các chi đoàn này" not in note
    # The staff of an ended province do not settle the waiting branches: no link to the work list (403).
    assert reverse("branches:branch_waiting") not in note
    assert client.get(reverse("branches:branch_waiting")).status_code == 403
    page = client.get(reverse("branches:province_detail", args=[w["old_province"].code]) + on)
    assert [d.branch_count for d in page.context["districts"]] == [4]
    assert "ngày cuối cùng" in _note(page.content.decode())
    page = client.get(reverse("branches:district_detail", args=[w["district"].code]) + on)
    assert {c.name: c.branch_count for c in page.context["communes"]} == {"Xã Chia": 3, "Xã Nguyên": 1}
    assert "ngày cuối cùng" in _note(page.content.decode())
    # Xã Nguyên's one branch, counted on the district's page, is named on its own.
    html = " ".join(_page(client, w["old_staff"], w["whole"]).content.decode().split())
    assert f"1 chi đoàn xã có vào ngày {w['whole'].ended_on:%d/%m/%Y} nay thuộc xã khác" in html


def test_a_province_that_goes_on_counts_an_ended_ones_waiting_branches_and_links_the_work_list(client, w):
    """Tỉnh Mới's staff: Tỉnh Cũ's row counts the three branches still waiting, as the notes say."""
    on = f"?on={w['district'].ended_on.isoformat()}"
    login_verified(client, w["staff"])
    provinces = client.get(reverse("branches:province_list"))
    counted = {p: p.branch_count for p in provinces.context["provinces"]}
    assert counted[w["old_province"]] == 3 and counted[w["province"]] == 1
    note = _note(provinces.content.decode())
    assert "chỉ tính các chi đoàn còn chờ" in note and "Tỉnh Mới: 1 + 3" in note
    assert reverse("branches:branch_waiting") in note
    page = client.get(reverse("branches:district_detail", args=[w["district"].code]) + on)
    assert {c.name: c.branch_count for c in page.context["communes"]} == {"Xã Chia": 3, "Xã Nguyên": 0}
    assert "đang chờ xác định xã mới" in _note(page.content.decode())


def test_a_province_page_adds_up_its_communes_and_the_branches_waiting_as_the_first_screen(client, w):
    """Tỉnh Mới's page: its communes' table counts its one branch; the first screen counts the three still
    waiting under Tỉnh Cũ's Xã Chia too. The note under the table says it, in the provinces' list's words."""
    login_verified(client, w["staff"])
    assert client.get(reverse("home")).context["totals"]["branches"] == 4
    page = client.get(reverse("branches:province_detail", args=[w["province"].code]))
    assert sum(c.branch_count for c in page.context["direct_communes"]) == 1
    html = " ".join(page.content.decode().split())
    note = html[html.index("data-waiting-sums") :]
    note = note[: note.index("</p>")]
    assert "Trang Tổng quan còn tính cả các chi đoàn còn chờ xác định xã mới" in note
    assert "Tỉnh Mới: 1 + 3 chờ xác định xã mới = 4 chi đoàn." in note
    assert reverse("branches:branch_waiting") in note
    # Nothing to add for the ended province's own page, nor for its staff (who count it as on its last day).
    on = f"?on={w['old_province'].ended_on.isoformat()}"
    old = client.get(reverse("branches:province_detail", args=[w["old_province"].code]) + on)
    assert "data-waiting-sums" not in old.content.decode()


def test_a_province_pages_communes_table_has_a_total_row(client, w):
    """Under today's communes, their sum (the note below adds the waiting branches to reach the first
    screen's figure)."""
    other = CommuneFactory(province=w["province"], district=None, name="Xã Thêm", began_on=REFORM_DAY)
    BranchFactory(commune=other, name="Ấp Thêm", member_count=7)
    login_verified(client, w["staff"])
    page = client.get(reverse("branches:province_detail", args=[w["province"].code]))
    communes = page.context["direct_communes"]
    html = " ".join(page.content.decode().split())
    total = html[html.index("data-unit-total>") :]
    total = total[: total.index("</tfoot>")]
    cells = [f'<td class="text-end">{sum(c.branch_count for c in communes)}</td>', "Tổng"]
    assert all(cell in total for cell in cells) and sum(c.branch_count for c in communes) == 2
    assert html.index("data-unit-total") < html.index("data-waiting-sums")


@pytest.mark.parametrize(
    ("who", "unit"), [("district_officer", "Huyện Cũ"), ("commune_officer", "Xã Mới Một"), ("staff", None)]
)
def test_a_province_row_within_an_officers_unit_says_so(client, w, who, unit):
    """Huyện đoàn Cũ's row of Tỉnh Cũ counts one district, its own: the provinces' list and the province's
    page say the figures are within its unit. A province's staff read whole provinces: no note."""
    login_verified(client, w[who])
    on = f"?on={w['old_province'].ended_on.isoformat()}"
    province = w["old_province"] if who == "district_officer" else w["province"]
    for url in (
        reverse("branches:province_list"),
        reverse("branches:province_detail", args=[province.code]) + on * (province.ended_on is not None),
    ):
        html = " ".join(client.get(url).content.decode().split())
        if unit is None:
            assert "data-scope-note" not in html, url
        else:
            assert f"Số liệu chỉ tính trong phạm vi {unit}, đơn vị của tài khoản này." in html, url
