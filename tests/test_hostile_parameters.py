"""Every URL of the scope matrix, with hostile values in every parameter a page echoes or follows.

ASVS 5.0 L2: V1.3.7 (no template injection: request data is never compiled as a template), V3.7.2 (no
open redirect: `next` only leads within the portal), and no 500 for any of it (a NUL answers 400).
The administrator on every case, an officer too where the page is not the administrator's; all payloads in
one test.
"""

import re
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.template import base as template_base
from django.utils.http import url_has_allowed_host_and_scheme

from tests.core.test_navigation import assert_no_hostile_link
from tests.test_scope_matrix import CASES, FORBIDDEN, NOT_ALLOWED, NOT_FOUND

# Template syntax, as one value (each part would render on its own if the value were compiled): it is a path
# of this site, so it passes safe_next and reaches the page, where it must stay text.
# No quotes in it: an HTML-escaped quote would make the whole template fail instead of render.
TEMPLATE_PAYLOAD = (
    "/{{user.username}}{% debug %}{{request.COOKIES.sessionid}}{% filter upper %}rendered{% endfilter %}"
)
REDIRECT_PAYLOADS = [
    "//evil.example",
    "https:evil.example",
    "https://evil.example",
    "javascript:alert(1)",
    "/\\evil.example",
]
NUL = "\x00"
# Parameters pages follow (next) or echo into the page (searches, sort orders, return addresses).
ECHOED = ["next", "q", "o", "return", "back"]


REFUSED = (FORBIDDEN, NOT_FOUND, NOT_ALLOWED)


def personas(case) -> list[str]:
    """The administrator, and where the page is not the administrator's (an officer's entry, a nomination),
    the first district officer it lets in: each page is asked once by someone who gets it. The parameters
    are read by the same view and template whoever asks."""
    if case.expected("administrator") not in REFUSED:
        return ["administrator"]
    officers = [p for p in ("tieu_can_officer", "cang_long_officer") if case.expected(p) not in REFUSED]
    return ["administrator", *officers[:1]]


def redirect_payloads(case, persona: str) -> list[str]:
    """Two of the redirect payloads for the administrator, one for the officer, different from case to case:
    every page is tried with some of them, and each payload on two pages in five as the administrator.
    `next` is checked by one function on every page
    (core.navigation.safe_next; the login pages by accounts.views), so all five on every page asked it the
    same question five times."""
    index, count = CASES.index(case), len(REDIRECT_PAYLOADS)
    if persona == "administrator":
        return [REDIRECT_PAYLOADS[index % count], REDIRECT_PAYLOADS[(index + 2) % count]]
    return [REDIRECT_PAYLOADS[(index + 1) % count]]


@pytest.fixture
def compiled_sources(monkeypatch):
    """The text of every template compiled while the test runs (crispy's HTML() compiles at render)."""
    sources: list[str] = []
    original = template_base.Template.__init__

    def record(self, template_string, *args, **kwargs):
        sources.append(str(template_string))
        original(self, template_string, *args, **kwargs)

    monkeypatch.setattr(template_base.Template, "__init__", record)
    return sources


def send(client, case, url: str, payload: str):
    params = dict.fromkeys(ECHOED, payload)
    target = f"{url}{'&' if '?' in url else '?'}{urlencode(params)}"
    if case.method == "post":
        return client.post(target, params)
    return getattr(client, case.method)(target)


def body(response) -> str:
    if response.streaming:  # files (Excel, images): nothing of them is a template
        return ""
    return response.content.decode(errors="replace")


def rendered(page: str, user, session_key: str) -> list[str]:
    """What the template payload would have put on the page."""
    markers = {
        "user.username": f"/{user.username}",
        "request.COOKIES.sessionid": session_key,
        "filter upper": "RENDERED",
    }
    found = [name for name, marker in markers.items() if marker in page]
    if re.search(r"module (&#x27;|')builtins", page):
        found.append("{% debug %}")
    return found


# The world and the personas are built once for the module (tests/conftest.py: world_once).
pytestmark = pytest.mark.usefixtures("world_once")


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_hostile_parameters(case, world, as_persona, compiled_sources):
    """Each persona gets the template syntax, the NUL and some of the redirects (`redirect_payloads`)."""
    url = case.url(world)
    for persona in personas(case):
        client = as_persona(persona)
        session_key = client.cookies[settings.SESSION_COOKIE_NAME].value
        where = f"{persona} {case.method.upper()} {url}"

        compiled_sources.clear()
        response = send(client, case, url, TEMPLATE_PAYLOAD)
        assert response.status_code < 500, where
        assert not rendered(body(response), response.wsgi_request.user, session_key), where
        assert not any(TEMPLATE_PAYLOAD in source for source in compiled_sources), f"compiled: {where}"

        for payload in redirect_payloads(case, persona):
            response = send(client, case, url, payload)
            assert response.status_code < 500, f"{where} {payload}"
            if response.has_header("Location"):
                assert url_has_allowed_host_and_scheme(response["Location"], {"testserver"}), (
                    f"{where} {payload}"
                )
            assert_no_hostile_link(body(response))

        assert send(client, case, url, NUL).status_code == 400, f"{where} NUL"
