"""A NUL character answers 400, never a database error (PostgreSQL refuses NUL in text: a 500 before).

Run on PostgreSQL too (DATABASE_URL=postgres://…): SQLite accepts NUL, so only there did it show."""

import logging
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from branches.models import Branch

# The world and the personas are built once for the module (tests/conftest.py: world_once).
pytestmark = pytest.mark.usefixtures("world_once")


@pytest.mark.parametrize(
    "url",
    [
        "/autocomplete/communes/?q=%00",
        "/autocomplete/communes/?q%00=x",
        "/communes/%00/",
        "/secretaries/?q=T%C3%A8o%00",
        "/branches/?q=%00&o=name",
    ],
)
@pytest.mark.parametrize("persona", ["anonymous", "tieu_can_officer"])
def test_nul_in_path_or_query_answers_400(url, persona, as_persona, world, caplog):
    client = as_persona(persona)
    with caplog.at_level(logging.INFO, logger="bithu.security"):
        assert client.get(url).status_code == 400
    assert any("request.nul_byte" in r.getMessage() for r in caplog.records)


def test_nul_in_a_posted_form_answers_400(client, tieu_can_officer, world):
    client.force_login(tieu_can_officer)
    branch = world["tieu_can"]
    data = {"commune": branch.commune_id, "name": "Ấp\x00Mới", "kind": branch.kind, "member_count": 3}
    response = client.post(
        reverse("branches:branch_update", args=[branch.pk]),
        urlencode(data),
        content_type="application/x-www-form-urlencoded",  # what a browser sends for a form without files
    )
    assert response.status_code == 400
    branch.refresh_from_db()
    assert branch.name == "Ấp Cây Gòn"


def test_nul_in_a_multipart_form_is_a_form_error(client, tieu_can_officer, world):
    """Multipart bodies are left to the forms (their text fields refuse NUL): the page, not a 500."""
    client.force_login(tieu_can_officer)
    branch, count = world["tieu_can"], Branch.objects.count()
    response = client.post(
        reverse("branches:branch_create"),
        {"commune": branch.commune_id, "name": "Ấp\x00Mới", "kind": branch.kind, "member_count": 3},
    )  # the test client posts multipart by default
    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    assert Branch.objects.count() == count


def test_an_ordinary_request_passes(client, tieu_can_officer, world):
    client.force_login(tieu_can_officer)
    assert client.get("/autocomplete/communes/", {"q": "hieu tu"}).json()["results"]
