"""Browser hardening (OWASP ASVS 5.0 V3): the Content-Security-Policy on every response, no-store on every
response to a logged-in user, and templates that need no 'unsafe-inline'."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.answers import no_store
from tests.conftest import PASSWORD
from tests.login import login_verified

# The world and the personas are built once for the module (tests/conftest.py: world_once).
pytestmark = pytest.mark.usefixtures("world_once")

STRICT_POLICY = {
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
}
TEMPLATES = Path(settings.BASE_DIR) / "templates"


def policy(response) -> set[str]:
    return {part.strip() for part in response["Content-Security-Policy"].split(";")}


# ---------------------------------------------------------------------------------------------------
# Content-Security-Policy


def test_policy_on_a_page(client, tra_vinh_staff):
    login_verified(client, tra_vinh_staff)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert policy(response) == STRICT_POLICY
    assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_policy_on_the_login_page(client, db):
    assert policy(client.get(reverse("login"))) == STRICT_POLICY


def test_policy_on_an_error_page(client, tra_vinh_staff):
    login_verified(client, tra_vinh_staff)
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert policy(response) == STRICT_POLICY


def test_policy_in_admin(client, administrator):
    login_verified(client, administrator)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert policy(response) == STRICT_POLICY


def test_policy_on_a_file(client, tieu_can_officer, world):
    """Downloads carry it too: an HTML file smuggled in as an export could not run a script."""
    client.force_login(tieu_can_officer)
    response = client.get(reverse("branches:branch_export"))
    assert response.status_code == 200
    assert policy(response) == STRICT_POLICY


INLINE = {
    "style attribute": re.compile(r"\sstyle\s*=", re.I),
    "style element": re.compile(r"<style[\s>]", re.I),
    "event handler attribute": re.compile(r"\son[a-z]+\s*=", re.I),
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
}


@pytest.mark.parametrize("kind", INLINE)
def test_no_template_needs_unsafe_inline(kind):
    """The policy blocks these; the browser journeys would find them on the pages they visit, this finds
    them in every template (data for scripts goes through json_script, styles into static/css)."""
    found = [
        f"{path.relative_to(TEMPLATES)}:{number}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if INLINE[kind].search(line) and not line.lstrip().startswith("{#")
    ]
    assert not found, f"{kind} in {found}"


def test_commune_grid_framework_choice_needs_no_handler(client, tieu_can_officer, world):
    """The year choice reloads through portal.js (data-autosubmit), with a button for browsers without JS."""
    client.force_login(tieu_can_officer)
    url = reverse("assessments:commune_grid", args=[world["tieu_can"].commune.code])
    html = client.get(url).content.decode()
    assert "data-autosubmit" in html and "onchange" not in html


# ---------------------------------------------------------------------------------------------------
# Cache-Control


@pytest.mark.parametrize(
    "name",
    [
        "home",
        "branches:branch_list",
        "branches:branch_export",
        "branches:commune_autocomplete",
        "secretaries:person_export",
        "secretaries:person_autocomplete",
        "assessments:summary",
    ],
)
def test_authenticated_responses_are_not_stored(name, client, tra_vinh_staff, world):
    login_verified(client, tra_vinh_staff)
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert no_store(response), response.get("Cache-Control")


def test_certificate_is_not_stored(client, tra_vinh_staff, world):
    login_verified(client, tra_vinh_staff)
    response = client.get(
        reverse("awards:commendation_certificate", args=[world["tieu_can_commendation"].pk])
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("secretaries:person_portrait", "tieu_can_person"),
        ("secretaries:person_thumbnail", "tieu_can_person"),
        ("awards:commendation_portrait", "tieu_can_commendation"),
        ("seminars:photo_image", "tieu_can_photo"),
        ("seminars:photo_thumbnail", "tieu_can_photo"),
    ],
)
def test_faces_are_private_and_not_stored(name, key, client, tieu_can_officer, world):
    client.force_login(tieu_can_officer)
    response = client.get(reverse(name, args=[world[key].pk]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_error_page_for_a_logged_in_user_is_not_stored(client, tra_vinh_staff):
    login_verified(client, tra_vinh_staff)
    assert no_store(client.get("/khong-co-trang-nay/"))


def test_anonymous_pages_stay_cacheable(client, db):
    """Only responses to a logged-in user carry personal data; the health check is left alone."""
    response = client.get(reverse("healthz"))
    assert not no_store(response)


def test_other_security_headers_on_a_page(client, tra_vinh_staff):
    login_verified(client, tra_vinh_staff)
    response = client.get(reverse("home"))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


# ---------------------------------------------------------------------------------------------------
# Cookies


def test_login_sets_host_prefixed_cookies_with_the_production_flags(client, tra_vinh_staff, settings):
    """With the values production uses (config/settings/production.py, tested in tests/test_settings.py),
    the cookies a real login sets are Secure, Path=/, without Domain, SameSite=Lax; the session one
    HttpOnly."""
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME = "__Host-sessionid", "__Host-csrftoken"
    client.get(reverse("login"), secure=True)
    response = client.post(
        reverse("login"), {"username": tra_vinh_staff.username, "password": PASSWORD}, secure=True
    )
    assert response.status_code == 302
    session, csrf = response.cookies["__Host-sessionid"], client.cookies["__Host-csrftoken"]
    for cookie in (session, csrf):
        assert cookie["secure"] is True
        assert cookie["path"] == "/"
        assert cookie["domain"] == ""
        assert cookie["samesite"] == "Lax"
    assert session["httponly"] is True


def test_the_500_page_is_styled_by_its_own_stylesheet(rf):
    """It stays standalone (no base.html, which could be what failed) and needs no inline style."""
    from django.views.defaults import server_error

    response = server_error(rf.get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "css/error.css" in html and 'class="error-page"' in html and "style=" not in html
