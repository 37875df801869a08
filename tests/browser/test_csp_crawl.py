"""Every page under the Content-Security-Policy, in a real Chromium: each page of the URL × persona matrix
that a persona may open, and Django admin (with django-simple-history and django-import-export) as the
administrator. The `page` fixture fails the test on any violation the browser reports; this module
makes sure every page is visited at least once, not only those the journeys pass through."""

import pytest
from django.urls import reverse

from tests.browser.conftest import login
from tests.conftest import PASSWORD
from tests.test_scope_matrix import CASES, OK

pytestmark = pytest.mark.browser


def visit_html(page, url: str) -> None:
    """Open `url` if it is a page (exports, images and JSON would start a download or show raw data, and
    carry no markup of ours to check); wait until its scripts have run."""
    head = page.request.get(url, max_redirects=0)
    assert head.status < 500, f"{url} answered {head.status}"
    if head.status != 200 or not head.headers.get("content-type", "").startswith("text/html"):
        return
    response = page.goto(url)  # waits for the load event: the page's scripts have run
    assert response.status == 200, url


#: The crawl's personas, in order: each page (a case of the matrix) is visited as the first that may open it.
#: Provincial staff open most; the district officer then adds its own (nominating, entering, proposing),
#: so every page is seen once without rendering the shared ones twice.
CRAWLERS = ["tra_vinh_staff", "tieu_can_officer"]


def crawl_urls(world, persona: str) -> list[str]:
    earlier = CRAWLERS[: CRAWLERS.index(persona)]
    urls = dict.fromkeys(
        case.url(world)
        for case in CASES
        if case.method == "get"
        and case.expected(persona) == OK
        and not any(case.expected(other) == OK for other in earlier)
    )
    return list(urls)


@pytest.mark.parametrize("persona", CRAWLERS)
def test_every_portal_page_keeps_the_policy(persona, page, live_server, world, request):
    user = request.getfixturevalue(persona)
    login(page, live_server, user.username, PASSWORD)
    urls = crawl_urls(world, persona)
    assert len(urls) > (40 if persona == CRAWLERS[0] else 5)
    for url in urls:
        visit_html(page, live_server.url + url)
    # Pages the matrix does not open with data: a validation error and the 404 page.
    visit_html(page, f"{live_server.url}{reverse('branches:branch_list')}?q=%3Cb%3E&page=1")
    page.goto(f"{live_server.url}/khong-co-trang-nay/")
