"""Every page's scripts under the Content-Security-Policy, in a real Chromium: the pages of the URL × persona
matrix that a persona may open, one for each behaviour (the scripts and the hooks they act on, tests/csp.py),
and Django admin's likewise as the administrator (test_csp_crawl_admin.py). The `page` fixture fails the test
on any violation the browser reports; the markup of every page, whatever its behaviour, is checked without a
browser where the URL matrix asks for it (tests/answers.py)."""

import pytest
from django.urls import reverse

from tests.answers import client_of, is_html
from tests.browser.conftest import login
from tests.conftest import PASSWORD
from tests.csp import behaviour
from tests.test_scope_matrix import CASES, OK

pytestmark = pytest.mark.browser


def visit_html(page, url: str) -> None:
    """Open the page `url` and wait until its scripts have run (goto waits for the load event)."""
    response = page.goto(url)
    assert response.status == 200, f"{url} answered {response.status}"


def one_per_behaviour(client, urls: list[str]) -> list[str]:
    """The pages of `urls` (HTML answers to `client`), one for each behaviour (tests/csp.py): the scripts
    a page loads and the hooks they act on. The markup of every page is checked where the URL matrix asks
    for it (tests/answers.py); what a browser adds is what the scripts do, and two pages with the same
    scripts and hooks run the same code. Exports, images and JSON carry no markup of ours: left out."""
    seen, pages = set(), []
    for url in urls:
        response = client.get(url)
        if not is_html(response):
            continue
        key = behaviour(response.content.decode())
        if key not in seen:
            seen.add(key)
            pages.append(url)
    return pages


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
    pages = one_per_behaviour(client_of(user), urls)
    assert len(pages) > (10 if persona == CRAWLERS[0] else 2)
    for url in pages:
        visit_html(page, live_server.url + url)
    # Pages the matrix does not open with data: a validation error and the 404 page.
    visit_html(page, f"{live_server.url}{reverse('branches:branch_list')}?q=%3Cb%3E&page=1")
    page.goto(f"{live_server.url}/khong-co-trang-nay/")
