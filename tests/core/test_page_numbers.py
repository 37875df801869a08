"""core.mixins.PaginatedListMixin: a page number past the end opens the last page, one that is not a number
the first; never a 404 for a list the user may read."""

import pytest
from django.urls import reverse

from tests.factories import BranchFactory

pytestmark = pytest.mark.usefixtures("world_once")


@pytest.fixture
def thirty_branches(hieu_tu):
    return [BranchFactory(commune=hieu_tu, name=f"Ấp Trang {i:02d}") for i in range(30)]


@pytest.mark.parametrize(
    ("asked", "shown"), [("2", 2), ("9999", 2), ("abc", 1), ("-1", 2), ("0", 2), ("", 1)]
)
def test_a_page_number_out_of_range_opens_the_nearest_page(
    client, tieu_can_officer, thirty_branches, asked, shown
):
    client.force_login(tieu_can_officer)
    response = client.get(reverse("branches:branch_list"), {"q": "trang", "page": asked})
    assert response.status_code == 200
    page = response.context["page_obj"]
    assert (page.number, page.paginator.num_pages) == (shown, 2)
    names = [branch.name for branch in response.context["branches"]]
    assert names == [f"Ấp Trang {i:02d}" for i in (range(25) if shown == 1 else range(25, 30))]
