"""Every page under the Content-Security-Policy, in a real Chromium: each page of the URL × persona matrix
that a persona may open, and Django admin (with django-simple-history and django-import-export) as the
administrator. The `page` fixture fails the test on any violation the browser reports; this module
makes sure every page is visited at least once, not only those the journeys pass through."""

import base64

import pytest
from django.urls import reverse

from tests.browser.conftest import login
from tests.conftest import PASSWORD
from tests.test_scope_matrix import CASES, OK

pytestmark = pytest.mark.browser

#: What the browser gets instead of an export, an image or JSON (a body is needed: without one Chromium
#: carries on with the original's, and a download starts).
BLANK_PAGE = {
    "responseCode": 200,
    "responseHeaders": [{"name": "Content-Type", "value": "text/html"}],
    "body": base64.b64encode(b"<!doctype html><title></title>").decode(),
}


def visit_html(page, url: str) -> None:
    """Open `url` if it is a page (exports, images and JSON would start a download or show raw data, and
    carry no markup of ours to check); wait until its scripts have run.

    Rendered once: Chromium pauses the document's response when its headers arrive (DevTools' Fetch
    domain at the response stage). An HTML page goes on to the browser as it came, with its own headers,
    so the Content-Security-Policy applies; anything else (or a redirect, or an error) becomes an empty
    page once its status has been noted. Not Playwright's `page.route`: routing turns the browser's cache
    off, and every page would then download the styles and scripts again."""
    cdp = page.context.new_cdp_session(page)
    answer = {}

    def paused(event):
        request = {"requestId": event["requestId"]}
        if answer:  # a frame of the page: loaded as it comes
            cdp.send("Fetch.continueRequest", request)
            return
        headers = {header["name"].lower(): header["value"] for header in event.get("responseHeaders", [])}
        answer.update(
            status=event.get("responseStatusCode", 0),
            html=headers.get("content-type", "").startswith("text/html"),
        )
        if answer["status"] == 200 and answer["html"]:
            cdp.send("Fetch.continueRequest", request)
        else:
            cdp.send("Fetch.fulfillRequest", {**request, **BLANK_PAGE})

    cdp.on("Fetch.requestPaused", paused)
    cdp.send("Fetch.enable", {"patterns": [{"resourceType": "Document", "requestStage": "Response"}]})
    try:
        response = page.goto(url)  # waits for the load event: the page's scripts have run
    finally:
        cdp.detach()
    assert answer, f"{url}: the browser never asked for it"
    assert answer["status"] < 500, f"{url} answered {answer['status']}"
    if answer["status"] == 200 and answer["html"]:
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
