"""The secretaries' lists mark a branch still under an old commune that ended 30/06/2025 (waiting for its new
commune) as the branch list and the first screen do: "Xã Chia (đến ngày 30/06/2025)", where a bare name read
as today's commune of that name or code."""

import re
from html import unescape

import pytest
from django.urls import reverse

from core.filters import filter_summary
from tests.branches import reform_world
from tests.factories import BranchFactory, person_with_term
from tests.login import login_verified

pytestmark = pytest.mark.usefixtures("world_once")
UNTIL = "(đến ngày 30/06/2025)"


@pytest.fixture
def w():
    return reform_world.build()


def _rows(html: str, name: str) -> list[str]:
    html = " ".join(html.split())
    return [row for row in html.split("<tr") if name in row]


def test_the_vacancy_list_marks_a_branch_under_an_ended_commune(w, client, count_queries):
    login_verified(client, w["staff"])
    url = reverse("secretaries:vacancy_list")
    client.get(url)
    with count_queries() as small:
        html = client.get(url).content.decode()
    (waiting,) = _rows(html, "Ấp Đầu Giồng")
    assert waiting.count(f'Xã Chia <span class="small text-muted">{UNTIL}</span>') == 2  # phone and wider
    (moved,) = _rows(html, "Ấp Nguyên")
    assert "Xã Mới Một" in moved and UNTIL not in moved
    # One more waiting branch: the mark costs no query of its own.
    BranchFactory(commune=w["split"], name="Ấp Thêm Chờ")
    with count_queries() as large:
        html = client.get(url).content.decode()
    assert UNTIL in _rows(html, "Ấp Thêm Chờ")[0]
    assert len(large) == len(small)


def test_the_person_list_marks_a_term_in_a_branch_under_an_ended_commune(w, client):
    person_with_term(branch=w["waiting"][0], full_name="Thạch Thị Chờ")
    person_with_term(branch=w["moved"], full_name="Lâm Văn Đã Về")
    login_verified(client, w["staff"])
    html = client.get(reverse("secretaries:person_list")).content.decode()
    (waiting,) = _rows(html, "Thạch Thị Chờ")
    assert "Xã Chia" in waiting and UNTIL in waiting
    (moved,) = _rows(html, "Lâm Văn Đã Về")
    assert "Xã Mới Một" in moved and UNTIL not in moved


WAITING_ROW = "(đến ngày 30/06/2025) · Chi đoàn chờ xác định xã mới"
SUMMARY_ROW = re.compile(
    r'<tr><td><a href="([^"]+)">([^<]+)</a>(.*?)</td>'
    r'<td class="text-end">([\d.]+)</td><td class="text-end">([\d.]+)</td>'
)


@pytest.mark.parametrize("who", ["old_staff", "district_officer", "staff"])
def test_each_vacancy_rows_link_lists_the_branches_it_counts(w, client, who):
    """An ended unit's row counts only its branches still under it (waiting for their new commune): it says
    so, and its link lists those, not every branch it had (Huyện Châu Thành: a row of 3 of 19 opened a list
    of 9 of 79). Every row's figures are those of the list it opens."""
    person_with_term(branch=w["waiting"][0], full_name="Thạch Thị Chờ")  # 3 waiting, 2 of them vacant
    login_verified(client, w[who])
    html = client.get(reverse("secretaries:vacancy_list")).content.decode().split('id="vacancy-summary"')[1]
    rows = SUMMARY_ROW.findall(" ".join(html.split("</table>")[0].split()))
    ended = {"old_staff": "Huyện Cũ", "district_officer": "Xã Chia", "staff": "Xã Chia"}[who]
    assert {name: (branches, vacant) for _url, name, _note, branches, vacant in rows}[ended] == ("3", "2")
    for url, name, note, branches, vacant in rows:
        assert (WAITING_ROW in note) == (name == ended), name
        assert ("waiting=1" in url) == (name == ended), name
        response = client.get(unescape(url))
        totals = response.context["totals"]
        assert (totals["branches"], totals["vacant"]) == (int(branches), int(vacant)), name
        assert response.context["paginator"].count == int(vacant), name
    # The list says what it keeps: the status filter chosen, as the Excel export's heading does.
    url = next(url for url, name, *_rest in rows if name == ended)
    response = client.get(unescape(url))
    assert "Trạng thái: Chờ xác định xã mới" in filter_summary(response.context["filter"])
    assert {b.name for b in response.context["branches"]} == {"Ấp Cây Sộp", "Ấp Bến Đò"}


def test_the_first_screens_vacancy_table_says_what_an_ended_units_row_counts(w, client):
    login_verified(client, w["old_staff"])
    html = " ".join(client.get(reverse("home")).content.decode().split())
    (row,) = _rows(html, 'data-home="waiting-row"')
    district = w["district"]
    assert f'?district={district.pk}&amp;waiting=1">Huyện Cũ</a>' in row and WAITING_ROW in row
    (moved,) = _rows(html, ">Xã Mới Một</a>")
    assert "waiting=1" not in moved and "chờ xác định" not in moved
    chart = client.get(reverse("home")).context["panels"]
    labels = next(p.context["chart"]["labels"] for p in chart if p.context.get("chart"))
    assert "Huyện Cũ · Chi đoàn chờ xác định xã mới" in labels and "Xã Mới Một" in labels
