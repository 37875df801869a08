"""The Content-Security-Policy (config/settings/base.py) read from a page's markup, for the tests that have
every page's HTML at hand: the URL matrices ask every portal page as every persona, and the admin's
Vietnamese check asks every admin page (tests/answers.py, tests/test_vietnamese_interface.py).

- `markup_violations(html)`: what the policy would block before any script runs: an inline script, a
  <style> element or style attribute, an event handler attribute, a javascript: address, a script, style,
  image, frame or form of another site. A page is checked the moment any test asks for it, in every
  state the matrices put it in (errors, empty lists, each persona's own buttons).
- `behaviour(html)`: what the page's scripts act on: the scripts it loads, the data-* hooks and the classes
  of its fields (HOOK_TAGS). The policy can also be broken by a script at run time (a style
  attribute set by markup a script builds); only a browser sees that, and two pages with the same
  behaviour run the same code. The browser crawl (tests/browser/test_csp_crawl*.py) visits one page
  per behaviour.
"""

from html.parser import HTMLParser
from urllib.parse import urlsplit

#: Script types the browser does not run: data a script reads (Django's json_script), not code.
DATA_SCRIPTS = {"application/json", "application/ld+json", "text/template"}
#: Attributes whose value is an address the browser loads (or submits to, or runs, for javascript:).
ADDRESSES = {"src", "href", "action", "formaction", "data", "poster", "srcset"}
#: Elements whose addresses load a resource under the policy (a link's href is only navigated to).
LOADING = {"script", "img", "iframe", "frame", "embed", "object", "source", "video", "audio", "form"}
#: The elements whose classes scripts build markup for: the portal's (input.select-toggle, input.score-input)
#: and Django admin's (input.vDateField gets a calendar, select.selectfilter two boxes, select.admin-
#: autocomplete a Select2); the other hooks are data-* attributes, on any element. Links' classes are left
#: out: admin's act on them only when clicked (a pop-up), which a crawl does not do.
HOOK_TAGS = {"input", "select", "textarea"}


def _other_site(address: str, tag: str) -> bool:
    """An address the policy refuses for `tag`: another host (the test client's is "testserver"), or a
    scheme other than the page's own (data: only for images: img-src allows it)."""
    parts = urlsplit(address.strip())
    if parts.scheme == "data":
        return tag not in {"img", "source"}
    return parts.netloc not in ("", "testserver") or parts.scheme not in ("", "http", "https")


class Markup(HTMLParser):
    """What the policy checks in a page, gathered while it is read."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.violations: list[str] = []
        self.scripts: list[str] = []
        self.hooks: set[str] = set()
        self._inline_script = False

    def handle_starttag(self, tag, attrs):
        found = self.violations.append
        values = dict(attrs)
        if tag == "script":
            if values.get("src"):
                self.scripts.append(values["src"])
            elif (values.get("type") or "").lower() not in DATA_SCRIPTS:
                self._inline_script = True
        if tag == "style":
            found("a <style> element")
        for name, value in attrs:
            value = value or ""
            if name == "style":
                found(f'a style attribute on <{tag} style="{value}">')
            elif name.startswith("on"):
                found(f"an event handler {name} on <{tag}>")
            elif name in ADDRESSES:
                if value.strip().lower().startswith("javascript:"):
                    found(f"a javascript: address on <{tag} {name}>")
                elif tag in LOADING and value and _other_site(value, tag):
                    found(f"<{tag} {name}={value}> of another site")
            if name.startswith("data-"):
                self.hooks.add(name)
        if tag in HOOK_TAGS:
            self.hooks.update(f"{tag}.{css}" for css in (values.get("class") or "").split())
        if (
            tag == "link"
            and "stylesheet" in (values.get("rel") or "")
            and _other_site(values.get("href") or "", tag)
        ):
            found(f"a stylesheet of another site ({values.get('href')})")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        self._inline_script = False

    def handle_data(self, data):
        if self._inline_script and data.strip():
            self.violations.append(f"an inline script ({data.strip()[:60]}…)")

    def handle_endtag(self, tag):
        if tag == "script":
            self._inline_script = False

    def found_violations(self) -> list[str]:
        """What the policy blocks, each once, in order."""
        return list(dict.fromkeys(self.violations))


def _read(html: str) -> Markup:
    parser = Markup()
    parser.feed(html)
    parser.close()
    return parser


def markup_violations(html: str) -> list[str]:
    """What the policy blocks in this markup, each once, in order."""
    return _read(html).found_violations()


def behaviour(html: str) -> tuple:
    """The scripts the page loads and the hooks they may act on: equal for two pages, the same code runs."""
    markup = _read(html)
    return tuple(markup.scripts), tuple(sorted(markup.hooks))
