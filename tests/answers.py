"""What every answer of the URL matrices must be besides its status (tests/test_scope_matrix.py and
tests/test_scope_matrix_reform.py ask each page once, as each persona, and check all of it there):

- to a logged-in user, nothing the browser may store: pages, files, JSON and error pages alike
  (`Cache-Control: no-store`, core/middleware.py);
- within the Content-Security-Policy as markup: no inline script, style or handler (tests/csp.py; the
  browser crawl adds what scripts do at run time);
- in Vietnamese, though the browser asks for English: no visible text, title, placeholder or button left
  in English, whether the string is the portal's or a library's (Django's formsets, django-axes,
  django-simple-history, django-import-export).

What counts as English: a word from ENGLISH below, whole and case-insensitive, in a visible text node or in
a title/placeholder/aria-label/alt or a button's value. The list is of words an interface uses and that no
Vietnamese text, name or code of the portal contains, so a hit is an untranslated string, not noise."""

import functools
import hashlib
import re
from collections.abc import Callable
from html.parser import HTMLParser

from tests.csp import Markup

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
IDENTIFIER = re.compile(r"\w[./=]\w|[^\W_]_[^\W_]|\*\*\*")
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
    "path=/admin/") is a code or an address, one with an underscore a field's name (the formset's
    "TOTAL_FORMS" in Django's message for a form posted without it), one with asterisks a masked secret
    (the admin's password hash: a random salt's first letters, "oR****…", read "or"), not a word."""
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
    return _english(parser.found)


def _english(texts: list[str]) -> list[str]:
    return sorted({text for text in texts if english_words(text)})


class _PolicyAndText(HTMLParser):
    """One reading of a page for both checks of assert_answer: each tag and text handed to the policy's
    parser (tests/csp.py) and to VisibleText, the page tokenised once (the matrices read thousands)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.markup, self.text = Markup(), VisibleText()

    def handle_starttag(self, tag, attrs):
        self.markup.handle_starttag(tag, attrs)
        self.text.handle_starttag(tag, attrs)

    def handle_startendtag(self, tag, attrs):
        self.markup.handle_startendtag(tag, attrs)
        self.text.handle_startendtag(tag, attrs)

    def handle_endtag(self, tag):
        self.markup.handle_endtag(tag)
        self.text.handle_endtag(tag)

    def handle_data(self, data):
        self.markup.handle_data(data)
        self.text.handle_data(data)


def no_store(response) -> bool:
    return "no-store" in {part.strip() for part in response.get("Cache-Control", "").split(",")}


#: The request headers of a browser set to English.
ENGLISH_BROWSER = {"accept-language": "en-US,en;q=0.9"}


def ask(client, method: str, url: str):
    """The answer to `method` `url` for a browser asking for English."""
    return getattr(client, method)(url, headers=ENGLISH_BROWSER)


def is_html(response) -> bool:
    return response.status_code == 200 and response["Content-Type"].startswith("text/html")


#: What differs between two answers of the same page: the form's CSRF token and the policy's nonce.
PER_REQUEST = re.compile(r'(name="csrfmiddlewaretoken" value=|nonce=)"[^"]*"')
#: digest of a page without PER_REQUEST → its reading: the matrices get the same error page (404, 403) and
#: many a page as several personas; each is read once per process.
_readings: dict[bytes, tuple[list[str], list[str]]] = {}


def policy_and_english(html: str) -> tuple[list[str], list[str]]:
    """What the policy blocks in the page (tests/csp.py) and its English texts, from one reading."""
    key = hashlib.blake2b(PER_REQUEST.sub(r"\1", html).encode(), digest_size=16).digest()
    if (reading := _readings.get(key)) is None:
        page = _PolicyAndText()
        page.feed(html)
        page.close()
        reading = _readings[key] = (page.markup.found_violations(), _english(page.text.found))
    return reading


def assert_answer(response, where: str, *, logged_in: bool) -> None:
    """Not stored when someone is logged in; any HTML (an error page too) within the policy; a page (HTML,
    200) in Vietnamese."""
    if logged_in:
        assert no_store(response), f"{where}: Cache-Control {response.get('Cache-Control')!r}"
    if response.get("Content-Type", "").startswith("text/html") and not response.streaming:
        blocked, english = policy_and_english(response.content.decode())
        assert not blocked, f"{where}: the Content-Security-Policy blocks {' | '.join(blocked)}"
        if response.status_code == 200:
            assert not english, f"{where}: English on the page: {' | '.join(english)}"


def report(found: dict) -> str:
    return "\n".join(f"{url}: {' | '.join(texts)}" for url, texts in found.items())


def each_persona(personas, check: Callable[[str], None]) -> None:
    """`check(persona)` for each persona in turn, each undone before the next (tests.conftest.undone), then
    one failure naming every persona whose answer was wrong: a matrix asks a page as all personas in one
    test (the set-up and tear-down of a test per persona were a third of the matrices' time)."""
    from tests.conftest import undone

    failures = []
    for persona in personas:
        try:
            with undone():
                check(persona)
        except Exception as error:  # an assertion, or the page's own error: noted, and the others still asked
            failures.append(f"{persona}: {type(error).__name__}: {error}")
    assert not failures, "\n".join(failures)


@functools.cache
def _shared_handler():
    from django.test.client import ClientHandler

    return ClientHandler(enforce_csrf_checks=False)


def client_of(user=None):
    """A fresh test client, logged in as `user` (tests.login.login_verified), or anonymous for None. The
    clients share one request handler: each new one would build Django's middleware chain again (a
    matrix asks thousands of pages, each as a new client)."""
    from django.test import Client

    from tests.login import login_verified

    client = Client()
    client.handler = _shared_handler()
    return login_verified(client, user) if user is not None else client
