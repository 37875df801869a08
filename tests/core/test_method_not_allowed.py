"""A GET on an address that only takes a form's POST (after logging in again with next=…, or the language
switch on such an address) answers the portal's page in the reader's language, not an empty 405 that the
browser shows as its own English "HTTP ERROR 405"."""

import pytest
from django.urls import reverse

# The world and the personas are built once for the module (tests/conftest.py: world_once).
pytestmark = pytest.mark.usefixtures("world_once")


def _page(response) -> str:
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    return response.content.decode()


def test_the_secretarys_consent_address_links_back_to_their_page(client, tieu_can_secretary_account):
    client.force_login(tieu_can_secretary_account)
    page = _page(client.get(reverse("own:consent")))
    assert 'lang="vi"' in page
    assert "Địa chỉ này chỉ nhận biểu mẫu đã gửi" in page
    assert f'href="{reverse("own:home")}"' in page


def test_the_account_switch_links_back_to_the_persons_page(as_persona, world):
    person = world["tieu_can_person"]
    page = _page(
        as_persona("tieu_can_officer").get(reverse("secretaries:person_account_active", args=[person.pk]))
    )
    assert f'href="{person.get_absolute_url()}"' in page


def test_an_address_whose_form_page_is_not_named_links_to_the_overview(client):
    page = _page(client.get(reverse("awards:campaign_close", args=[1])))
    assert "Chưa có gì được lưu" in page
    assert 'href="/"' in page


def test_the_page_speaks_the_language_chosen_with_the_switch(client, tieu_can_secretary_account):
    client.force_login(tieu_can_secretary_account)
    client.cookies["django_language"] = "en"
    page = _page(client.get(reverse("own:consent")))
    assert "This address only takes a form that was sent" in page


def test_a_head_request_has_no_body_and_a_post_is_left_alone(client, tieu_can_secretary_account):
    client.force_login(tieu_can_secretary_account)
    assert client.head(reverse("own:consent")).status_code == 405
    response = client.post(reverse("own:consent"), {})
    assert response.status_code == 200  # the question again, with its error beside it


def test_an_answer_that_already_has_a_body_is_left_alone(rf):
    from django.http import HttpResponseNotAllowed

    from core.middleware import MethodNotAllowedPageMiddleware

    said = HttpResponseNotAllowed(["POST"], content=b"said")
    request = rf.get("/")
    assert MethodNotAllowedPageMiddleware(lambda r: said)(request) is said
