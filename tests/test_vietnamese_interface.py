"""The whole interface in Vietnamese (issue 14): every page of the portal (the URL lists of the scope matrix)
and of the admin (each model's list, add, change and history pages) is rendered under a browser asking for
English, and no visible text, title, placeholder or button is left in English, whether the string is the
portal's or a library's (Django's formsets, django-axes, django-simple-history, django-import-export).

What counts as English: a word from ENGLISH below, whole and case-insensitive, in a visible text node or in
a title/placeholder/aria-label/alt or a button's value. The list is of words an interface uses and that no
Vietnamese text, name or code of the portal contains, so a hit is an untranslated string, not noise."""

import contextlib
import json
import re
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse

from tests.login import login_verified
from tests.test_scope_matrix import CASES

pytestmark = pytest.mark.usefixtures("world_once")

# fmt: off
ENGLISH = {
    "the", "of", "and", "or", "to", "by", "for", "with", "from", "this", "that", "these", "your", "please",
    "is", "are", "was", "were", "has", "have", "not", "no", "yes", "all", "none", "any", "new", "at",
    "least", "add", "change", "delete", "remove", "save", "search", "filter", "show", "hide", "clear",
    "select", "choose", "submit", "cancel", "confirm", "continue", "back", "next", "previous", "close",
    "open", "edit", "view", "home", "history", "import", "export", "download", "upload", "file", "format",
    "page", "results", "result", "total", "items", "item", "selected", "action", "actions", "go", "run",
    "reset", "today", "now", "yesterday", "date", "time", "name", "user", "username", "password",
    "status", "type", "reason", "created", "changed", "modified", "deleted", "decided", "updated",
    "object", "objects", "list", "field", "fields", "value", "values", "required", "optional",
    "attempts", "attempt", "chars", "access", "log", "logs", "login", "logout", "failure", "failures",
    "address", "agent", "path", "expiration", "handler", "record", "records", "model", "instance", "reverted",
    "revert", "comparison", "compare", "diff", "before", "after", "between", "only", "other", "others",
    "more", "less", "than", "first", "last", "sort", "ascending", "descending", "summary", "details",
    "detail", "description", "note", "notes",
}
# fmt: on
ATTRIBUTES = {"title", "placeholder", "aria-label", "alt"}
# The admin's permission lists (a user's, a group's) are left out: Django writes each permission's name in
# English into the database when it migrates ("Can add access log"), and the portal grants access by role,
# not by these permissions.
PERMISSIONS = {"user_permissions", "permissions", "user_permissions_old", "permissions_old"}
IDENTIFIER = re.compile(r"\w[./=]\w")
WORD = re.compile(r"[^\W\d_]+")  # whole words, Vietnamese letters included ("Toàn" is not "To")


class VisibleText(HTMLParser):
    """The text a user reads: text nodes outside script/style/template, the attributes above, and the
    value of buttons (<input type=submit|button>)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hidden = 0
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in {"script", "style", "template"} or (tag == "select" and attrs.get("name") in PERMISSIONS):
            self.hidden += 1
            return
        for name in ATTRIBUTES:
            if attrs.get(name):
                self.found.append(attrs[name])
        if tag == "input" and attrs.get("type") in {"submit", "button", "reset"} and attrs.get("value"):
            self.found.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag in {"script", "style", "template", "select"} and self.hidden:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden and data.strip():
            self.found.append(data.strip())


def english_words(text: str) -> list[str]:
    """The English words of `text`; a token with a dot, slash or equals sign ("login.success",
    "path=/admin/") is a code or an address, not a word."""
    return [
        word
        for token in text.split()
        if not IDENTIFIER.search(token)
        for word in WORD.findall(token)
        if word.isascii() and word.lower() in ENGLISH
    ]


def english_in(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    return sorted({text for text in parser.found if english_words(text)})


def test_the_detector_finds_library_english():
    html = (
        '<ul class="errorlist"><li>Please submit at least 1 form.</li></ul><th>Decided by</th>'
        '<p title="Clear All">Đoàn xã Tập Ngãi</p><script>const x = "the";</script>'
    )
    assert english_in(html) == ["Clear All", "Decided by", "Please submit at least 1 form."]
    assert english_in("<p>Nguyễn Văn Tèo · 84 · Excel · PDF · quantri</p>") == []


def report(found: dict) -> str:
    return "\n".join(f"{url}: {' | '.join(texts)}" for url, texts in found.items())


def get_page(client, url):
    return client.get(url, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")


def is_html(response) -> bool:
    return response.status_code == 200 and response["Content-Type"].startswith("text/html")


# Only portal pages (no exports, no POST); one persona that sees them all, one for each unit level.
PAGES = [case for case in CASES if case.method == "get" and "export" not in case.name]


@pytest.mark.parametrize("persona", ["administrator", "tieu_can_officer"])
def test_every_portal_page_is_in_vietnamese_under_an_english_browser(persona, world, as_persona):
    client = as_persona(persona)
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
    for url in dict.fromkeys(urls):
        response = get_page(client, url)
        if is_html(response):
            english = english_in(response.content.decode())
            if english:
                found[url] = english
    assert not found, report(found)


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
