"""safe_next: the one gate of every `next` (ASVS 5.0 V3.7.2, open redirects), and the views that use it."""

import html
import re

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from assessments.models import Assessment
from core.navigation import pk_url, safe_next
from tests.login import login_verified

# The world and the personas are built once for the module (tests/conftest.py: world_once).
pytestmark = pytest.mark.usefixtures("world_once")

DEFAULT = "/default/"
OFF_SITE = [
    "//evil.example",
    "///evil.example",
    "https:evil.example",
    "https://evil.example",
    "http://evil.example/secretaries/",
    "\\\\evil.example",
    "/\\evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "/secretaries/\x00",
    "\x00/secretaries/",
    "/secretaries/\r\nSet-Cookie: x=1",
    "http://testserver/secretaries/",  # the same host: a path is enough
]


@pytest.mark.parametrize("target", OFF_SITE)
def test_refuses_other_sites_schemes_and_control_characters(target):
    request = RequestFactory().get("/", {"next": target}, secure=True)
    assert safe_next(request, DEFAULT) == DEFAULT


@pytest.mark.parametrize("target", ["/secretaries/", "/assessments/?status=nop&page=2", "/{{user.username}}"])
def test_keeps_addresses_of_this_site(target):
    # "/{{user.username}}" is a harmless path: it is only dangerous where text is compiled as a template.
    assert safe_next(RequestFactory().get("/", {"next": target}), DEFAULT) == target
    assert safe_next(RequestFactory().post("/", {"next": target}), DEFAULT) == target


@pytest.mark.parametrize("target", ["", "{% debug %}", "home", "secretaries:person_list", "x/y"])
def test_only_paths(target):
    # redirect() would reverse a word as a URL pattern name: NoReverseMatch, a 500.
    assert safe_next(RequestFactory().get("/", {"next": target}), DEFAULT) == DEFAULT


LINK = re.compile(r'(?:href|src|action|formaction)="([^"]*)"')


def links(page: str) -> list[str]:
    return LINK.findall(page)


def assert_no_hostile_link(page: str) -> None:
    """No link, image or form leads to the hostile site or runs script. The payload may be echoed inertly
    (url-encoded in the query of a link of this site, e.g. the language switch's `next`)."""
    bad = [
        v
        for v in map(html.unescape, links(page))
        if ("evil.example" in v or "javascript:" in v.lower())
        and not url_has_allowed_host_and_scheme(v, allowed_hosts={"testserver"})
    ]
    assert not bad, bad


HOSTILE_NEXT = ["https://evil.example", "//evil.example", "https:evil.example", "javascript:alert(1)"]


@pytest.mark.parametrize("target", HOSTILE_NEXT)
class TestAssessmentActionsStayOnSite:
    """Submit, confirm, reopen and bulk confirm used to redirect to any posted `next`."""

    def test_submit_confirm_and_reopen(self, client, tra_vinh_staff, world, target):
        assessment = world["tieu_can_assessment"]
        login_verified(client, tra_vinh_staff)
        detail = assessment.get_absolute_url()
        for name, data in [
            ("assessments:assessment_submit", {}),
            ("assessments:assessment_confirm", {}),
            ("assessments:assessment_reopen", {"reason": "Chấm lại tiêu chí 3"}),
        ]:
            response = client.post(reverse(name, args=[assessment.pk]), {**data, "next": target})
            assert response.status_code == 302, name
            assert response["Location"] == detail, name
        assessment.refresh_from_db()
        assert assessment.status == Assessment.Status.DRAFT  # it went through all three steps

    def test_confirm_many(self, client, tra_vinh_staff, world, target):
        login_verified(client, tra_vinh_staff)
        url = reverse("assessments:assessment_confirm_many")
        for data in ({}, {"assessment": [world["tieu_can_assessment"].pk]}):
            response = client.post(url, {**data, "next": target})
            assert response["Location"] == reverse("assessments:assessment_list")


def test_assessment_action_follows_a_next_on_this_site(client, tra_vinh_staff, world):
    login_verified(client, tra_vinh_staff)
    url = reverse("assessments:assessment_submit", args=[world["tieu_can_assessment"].pk])
    back = reverse("assessments:assessment_list") + "?status=nop"
    assert client.post(url, {"next": back})["Location"] == back


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_nomination_actions_stay_on_site(client, tra_vinh_staff, world, target):
    nomination = world["tieu_can_nomination"]
    login_verified(client, tra_vinh_staff)
    reject = reverse("awards:nomination_reject", args=[nomination.pk])
    page = client.get(reject, {"next": target}).content.decode()
    assert_no_hostile_link(page)
    assert f'href="{nomination.get_absolute_url()}">' in page
    response = client.post(reject, {"reason": "Chưa đủ tiêu chuẩn", "next": target})
    assert response["Location"] == nomination.get_absolute_url()


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_appoint_cancel_link_stays_on_site(client, tieu_can_officer, world, target):
    client.force_login(tieu_can_officer)
    response = client.get(reverse("secretaries:appoint"), {"next": target})
    page = response.content.decode()
    assert_no_hostile_link(page)
    assert f'href="{reverse("secretaries:vacancy_list")}">' in page


def test_followup_update_goes_back_only_on_site(client, tieu_can_officer, world):
    proposal = world["tieu_can_seminar"].proposals.get()
    client.force_login(tieu_can_officer)
    url = reverse("seminars:proposal_update", args=[proposal.pk])
    followup = reverse("seminars:followup")
    for target, expected in [("https://evil.example", followup), (followup + "?status=de_xuat", None)]:
        response = client.post(url, {"status": "dang_thuc_hien", "result": "", "next": target})
        assert response["Location"] == (expected or target)


@pytest.mark.parametrize("viewname", ["secretaries:person_detail", "assessments:assessment_detail"])
def test_pk_url_is_reverse_once(viewname):
    """A list of hundreds of links reverses once (training needs): the same URL as reverse() for any pk."""
    url = pk_url(viewname)
    for pk in (1, 42, 2_147_483_646):
        assert url(pk) == reverse(viewname, kwargs={"pk": pk})
