"""The interface in Vietnamese after the 2025 reform (issue 14): every page of both URL lists, for a commune
officer and the staff of a new province, under a browser asking for English (see
tests/test_vietnamese_interface.py for what counts as English)."""

import pytest

from accounts.models import User
from tests.login import login_verified
from tests.test_scope_matrix import CASES
from tests.test_scope_matrix_reform import NEW_WORLD_CASES, USERNAMES, reformed  # noqa: F401 (fixture)
from tests.test_vietnamese_interface import english_in, get_page, is_html, report

pytestmark = pytest.mark.usefixtures("world_once", "reformed")

PAGES = [case for case in [*CASES, *NEW_WORLD_CASES] if case.method == "get" and "export" not in case.name]


@pytest.mark.parametrize("persona", ["tap_ngai_officer", "new_vinh_long_staff"])
def test_every_page_of_the_new_world_is_in_vietnamese(persona, world, client):
    login_verified(client, User.objects.get(username=USERNAMES[persona]))
    found, checked = {}, 0
    for case in PAGES:
        url = case.url(world)
        response = get_page(client, url)
        if is_html(response):
            checked += 1
            english = english_in(response.content.decode())
            if english:
                found[url] = english
    assert checked >= 30, checked  # the pages were really rendered, not refused
    assert not found, report(found)
