"""The secretaries' lists mark a branch still under an old commune that ended 30/06/2025 (waiting for its new
commune) as the branch list and the first screen do: "Xã Chia (đến ngày 30/06/2025)", where a bare name read
as today's commune of that name or code."""

import pytest
from django.urls import reverse

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
