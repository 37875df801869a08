"""The markup check the URL matrices run on every page (tests/csp.py), and the behaviour the browser crawl
visits once each: each thing the policy blocks is found, what it allows is not."""

import pytest

from tests.csp import behaviour, markup_violations

ALLOWED = """<!doctype html><html><head><link rel="stylesheet" href="/static/site.css">
<script src="/static/js/portal.js" defer></script></head><body>
<script id="chart-data" type="application/json">{"a": 1}</script>
<img src="data:image/svg+xml;base64,PHN2Zy8+" alt=""><img src="http://testserver/media/a.jpg" alt="">
<form action="/branches/" method="post"><input class="form-control" name="q"></form>
<a href="https://thanhdoan.vn/">a link to another site is only navigated to</a></body></html>"""


def test_a_page_the_policy_allows_has_no_violation():
    assert markup_violations(ALLOWED) == []


@pytest.mark.parametrize(
    ("markup", "found"),
    [
        ("<script>document.title = 'x'</script>", "an inline script"),
        ('<script type="text/javascript">go()</script>', "an inline script"),
        ("<style>p { color: red }</style>", "a <style> element"),
        ('<p style="color: red">', "a style attribute"),
        ('<button onclick="go()">', "an event handler onclick"),
        ('<body onload="go()">', "an event handler onload"),
        ('<a href="javascript:go()">', "a javascript: address"),
        ('<script src="https://cdn.example.com/x.js"></script>', "of another site"),
        ('<script src="data:text/javascript,go()"></script>', "of another site"),
        ('<link rel="stylesheet" href="//cdn.example.com/x.css">', "a stylesheet of another site"),
        ('<img src="https://example.com/x.png">', "of another site"),
        ('<form action="https://example.com/steal">', "of another site"),
        ('<iframe src="https://example.com/"></iframe>', "of another site"),
    ],
)
def test_what_the_policy_blocks_is_found(markup, found):
    violations = markup_violations(ALLOWED.replace("</body>", markup + "</body>"))
    assert len(violations) == 1 and found in violations[0], violations


def test_two_pages_behave_alike_when_their_scripts_and_hooks_are_the_same():
    page = '<script src="/static/js/portal.js"></script><select data-autosubmit class="form-select"></select>'
    assert behaviour(page + "<p>other rows</p>") == behaviour(
        page.replace("<select", "<p class='x'></p><select")
    )
    assert behaviour(page) != behaviour(page.replace("data-autosubmit", "data-autocomplete-url"))
    assert behaviour(page) != behaviour(page.replace("portal.js", "charts.js"))
    assert behaviour(page) != behaviour(page + '<input class="score-input">')


VIETNAMESE = ALLOWED.replace("a link to another site is only navigated to", "Thành đoàn")


class _Answer:
    """A test client's HTML answer, as assert_answer reads it."""

    streaming = False

    def __init__(self, html: str, status: int = 200):
        self.content, self.status_code = html.encode(), status
        self.headers = {"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store"}

    def get(self, name, default=None):
        return self.headers.get(name, default)


@pytest.mark.parametrize(
    ("markup", "status", "found"),
    [
        ("<p>Chi đoàn ấp Cây Gòn</p>", 200, None),
        ("<script>go()</script>", 404, "Content-Security-Policy blocks an inline script"),
        ('<p style="color: red">Đoàn</p>', 200, "Content-Security-Policy blocks a style attribute"),
        ("<button>Save</button>", 200, "English on the page: Save"),
        ('<input type="submit" value="Delete">', 200, "English on the page: Delete"),
        ("<script>var save = 1</script>", 200, "Content-Security-Policy blocks an inline script"),
        ("<button>Save</button>", 404, None),  # an error page's text is not checked for English
    ],
)
def test_a_matrix_answer_is_read_once_for_the_policy_and_the_language(markup, status, found):
    """tests/answers.py reads each page once for both checks: each still finds what it finds alone."""
    from tests.answers import assert_answer

    answer = _Answer(VIETNAMESE.replace("</body>", markup + "</body>"), status)
    if found is None:
        assert_answer(answer, "page", logged_in=True)
    else:
        with pytest.raises(AssertionError, match=found):
            assert_answer(answer, "page", logged_in=True)
