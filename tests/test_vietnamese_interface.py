"""The whole interface in Vietnamese: every page of the admin (each model's list, add, change and history
pages) under a browser asking for English, and the strings a page shows only in some states. The portal's
own pages are checked by the URL matrices, which ask every page as every persona that way
(tests/answers.py says what counts as English)."""

import contextlib
import json

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse

from tests.answers import ENGLISH_BROWSER, ask, english_in, english_words, is_html, policy_and_english, report
from tests.login import login_verified

pytestmark = pytest.mark.usefixtures("world_once")


def test_the_detector_finds_library_english():
    html = (
        '<ul class="errorlist"><li>Please submit at least 1 form.</li></ul><th>Decided by</th>'
        '<p title="Clear All">Đoàn xã Tập Ngãi</p><script>const x = "the";</script>'
    )
    assert english_in(html) == ["Clear All", "Decided by", "Please submit at least 1 form."]
    assert english_in("<p>Nguyễn Văn Tèo · 84 · Excel · PDF · quantri</p>") == []
    assert english_in("<li>(Trường ẩn TOTAL_FORMS) Trường này là bắt buộc.</li>") == []
    # The admin's masked password hash: random letters, read "or" in a CI run whose salt began "oR".
    assert english_in("<strong>muối</strong>: oR******************** <strong>băm</strong>: an****") == []


def admin_urls(model, world) -> list[str]:
    opts = model._meta
    base = f"admin:{opts.app_label}_{opts.model_name}"
    urls = [reverse(f"{base}_changelist"), reverse(f"{base}_add")]
    first = model._default_manager.order_by("pk").first()
    if first is not None:
        for page in ("change", "history"):
            with contextlib.suppress(NoReverseMatch):  # a model admin without that page
                urls.append(reverse(f"{base}_{page}", args=[first.pk]))
    return urls


def test_every_admin_page_is_in_vietnamese_under_an_english_browser(client, administrator, world):
    login_verified(client, administrator)
    found = {}
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        urls += admin_urls(model, world)
        urls.append(reverse("admin:app_list", args=[model._meta.app_label]))
    blocked = {}
    for url in dict.fromkeys(urls):
        response = ask(client, "get", url)
        if is_html(response):
            # In Vietnamese, and within the Content-Security-Policy as markup (tests/csp.py): one reading.
            violations, english = policy_and_english(response.content.decode())
            if english:
                found[url] = english
            if violations:
                blocked[url] = violations
    assert not found, report(found)
    assert not blocked, report(blocked)


def test_the_empty_formset_message_is_in_vietnamese(client, tieu_can_officer, world):
    from tests.seminars.test_seminar_pages import seminar_data, themes_data

    client.force_login(tieu_can_officer)
    data = seminar_data([world["tieu_can_person"]], **themes_data([]))
    response = client.post(reverse("seminars:seminar_create"), data, HTTP_ACCEPT_LANGUAGE="en-US")
    errors = " ".join(response.context["themes"].non_form_errors())
    assert "Please submit" not in errors and "ít nhất 1" in errors


def test_the_admins_javascript_speaks_vietnamese(client, administrator, world):
    """The selector boxes and the calendar of the admin (Django's JavaScript catalogue, completed by
    locale/vi/LC_MESSAGES/djangojs.po)."""
    login_verified(client, administrator)
    catalogue = client.get(reverse("admin:jsi18n"), HTTP_ACCEPT_LANGUAGE="en-US").content.decode()
    for english, vietnamese in (("Choose all %s", "Chọn tất cả %s"), ("Sunday", "Chủ nhật")):
        assert f"{json.dumps(english)}: {json.dumps(vietnamese)}" in catalogue, english


def test_a_shortened_value_in_the_admins_history_is_in_vietnamese():
    """django-simple-history writes "[163 chars]" in a long old → new value (core.history)."""
    from django.utils import translation
    from simple_history.template_utils import ObjDiffDisplay

    with translation.override("vi"):
        old, new = ObjDiffDisplay().common_shorten_repr("Đỗ Duy Hậu, " * 30, "Võ Hoàng Hậu, " * 30)
    assert "ký tự]" in old and "ký tự]" in new and not english_words(old + new)


def test_a_refused_admin_form_says_so_in_vietnamese(client, administrator, world):
    """The note above a refused admin form ({% blocktranslate count %} in Django's change_form.html: the
    plural form, which the singular entries did not answer) under a browser asking for English."""
    login_verified(client, administrator)
    data = {"username": "doanxa.moi", "password1": "x", "password2": "y", "role": "commune_officer"}
    response = client.post(reverse("admin:accounts_user_add"), data, headers=ENGLISH_BROWSER)
    assert response.status_code == 200
    _violations, english = policy_and_english(response.content.decode())
    assert not english, english
    assert "Vui lòng sửa lỗi dưới đây." in response.content.decode()


@pytest.mark.parametrize(
    "url_name", ["seminars:seminar_create", "seminars:initiative_create", "secretaries:person_create"]
)
def test_long_forms_ask_before_what_was_typed_is_left(url_name, client, tieu_can_officer, world):
    """A form of long texts (a seminar's outcomes, a model's description, a person's record; a nomination's
    report too) asks before the page is left with what was typed unsaved: the language switch reloaded the
    page and lost it without a word (static/js/portal.js, data-warn-unsaved)."""
    client.force_login(tieu_can_officer)
    page = client.get(reverse(url_name)).content.decode()
    assert "data-warn-unsaved" in page
