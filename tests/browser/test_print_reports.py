"""Every report printed to PDF in Chromium, as a Tỉnh đoàn would attach it to a report sent upward: A4, a
sane number of pages, the unit and the date on the paper, whole lists (training needs: everyone, by unit;
vacancies: every branch), table headers repeated, and nothing drawn over anything else (a chart over the
table after it, as the assessment summary's rating chart once was)."""

import importlib
import io

import pytest
from django.apps import apps
from django.utils import timezone
from pypdf import PdfReader

from assessments import services
from assessments.models import Framework
from assessments.services import framework_criteria
from tests.browser.conftest import login, screenshot
from tests.conftest import PASSWORD
from tests.factories import BranchFactory, person_with_term

pytestmark = pytest.mark.browser

# A4 is 210 mm wide; the print style's margins are 12 mm: 186 mm of content, 703 CSS pixels.
A4_CONTENT_WIDTH = 703
CHART_MAX_HEIGHT = 322  # 8.5 cm, as static/css/portal.css sets for print

#: (name, URL, at most this many pages for the data below)
REPORTS = [
    ("assessment summary", "/assessments/summary/", 4),
    ("training needs", "/assessments/training/?threshold=4", 12),
    ("seminar report", "/seminars/report/?year=2021", 2),
    ("vacancies", "/secretaries/vacancies/?print=1", 4),
    ("commendation statistics", "/awards/statistics/", 3),
    # A work list, but one sent upward too: the open proposals, overdue first, without their forms.
    ("follow-up of proposals", "/seminars/followup/", 2),
    # The lists' print views: the whole filtered list, not the page on screen.
    ("secretary list", "/secretaries/?print=1", 6),
    ("branch list", "/branches/?print=1", 6),
    ("seminar list", "/seminars/?print=1", 2),
    ("model list", "/seminars/models/?print=1", 2),
    ("programme list", "/seminars/programmes/?print=1", 2),
    ("assessment list", "/assessments/?print=1", 6),
]

# Each element drawn on the paper, and whether any two of them (neither inside the other) overlap.
OVERLAPS_JS = """
() => {
  const selector = "canvas[data-chart], table, .stat-card, h1, h2, .report-scope, .card-header, .alert";
  const boxes = [...document.querySelectorAll(selector)]
    .filter((el) => el.getClientRects().length && getComputedStyle(el).visibility !== "hidden")
    .map((el) => ({el, r: el.getBoundingClientRect()}))
    .filter(({r}) => r.width > 0 && r.height > 0);
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
    + (el.dataset.chart ? "[" + el.dataset.chart + "]" : "")
    + (el.className ? "." + String(el.className).split(" ")[0] : "");
  const found = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i], b = boxes[j];
      if (a.el.contains(b.el) || b.el.contains(a.el)) continue;
      const w = Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left);
      const h = Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top);
      if (w > 1 && h > 1) found.push(name(a.el) + " × " + name(b.el));
    }
  }
  return found;
}
"""

# Every chart drawn again for the paper: no wider than its box (a chart of the screen is) and no taller than
# the print style allows. True at once where the report has no chart.
CHARTS_FIT_JS = f"""
() => [...document.querySelectorAll("canvas[data-chart]")]
  .filter((el) => el.getClientRects().length)
  .every((el) => {{
    const r = el.getBoundingClientRect();
    return r.width <= el.parentElement.clientWidth + 1 && r.height <= {CHART_MAX_HEIGHT};
  }})
"""

# Beside horizontal bars, each name fits the room the label axis has (Chart.js draws a longer one from
# outside the canvas: "ỹ năng điều hành" on paper); the names are wrapped again to the printed width.
LABELS_CUT_JS = """
() => typeof Chart === "undefined" ? [] : Object.values(Chart.instances)
  .filter((chart) => chart.options.indexAxis === "y" && chart.scales.y._labelSizes)
  .filter((chart) => chart.scales.y._labelSizes.widest.width > chart.scales.y.width)
  .map((chart) => chart.canvas.dataset.chart)
"""

# The share of its row's width each chart's column takes.
CHART_COLUMNS_JS = """
() => [...document.querySelectorAll(".row:has(canvas[data-chart]) > *")]
  .filter((el) => el.querySelector("canvas[data-chart]"))
  .map((el) => el.getBoundingClientRect().width / el.parentElement.clientWidth)
"""

# The buttons left on paper ("Add branch", "Assess the commune"): none, whatever page is printed.
BUTTONS_JS = (
    "() => [...document.querySelectorAll('main .btn')].filter((el) => el.getClientRects().length)"
    + (".map((el) => el.textContent.trim())")
)

# What a screen offers to do next ("Gia hạn / tái cử ›", "Xét duyệt ›", "Đề nghị ›"), left on paper: the
# links and lines drawn ending in "›", less a figure's own link (an overdue count, data-stat).
ACTIONS_JS = """
() => [...document.querySelectorAll("main a, main .small")]
  .filter((el) => el.getClientRects().length && !el.closest("[data-stat]"))
  .map((el) => el.innerText.trim())
  .filter((text) => text.endsWith("›"))
"""

# A status's badge on paper: dark text (its background is not printed; its white text was light grey).
BADGE_COLOURS_JS = """
() => [...new Set([...document.querySelectorAll("main .badge")]
  .filter((el) => el.getClientRects().length)
  .map((el) => getComputedStyle(el).color))]
"""

STYLES_JS = """
() => ({
  thead: [...document.querySelectorAll("main thead")].map((el) => getComputedStyle(el).display),
  rows: [...document.querySelectorAll("main tbody tr")]
    .slice(0, 5)
    .map((el) => getComputedStyle(el).breakInside),
  charts: [...document.querySelectorAll("canvas[data-chart]")]
    .filter((el) => el.getClientRects().length)
    .map((el) => ({height: el.getBoundingClientRect().height, brk: getComputedStyle(el).breakInside})),
  // The rows that hold charts: blocks on paper, their cards as tall as their content (a flex item pushed
  // to the next page kept its first page's height; its chart overflowed onto the table).
  chartRows: [...document.querySelectorAll(".row:has(canvas[data-chart])")]
    .map((el) => getComputedStyle(el).display),
  chartCards: [...document.querySelectorAll(".card:has(canvas[data-chart])")]
    .filter((el) => el.getClientRects().length)
    .map((el) => el.getBoundingClientRect().height
      >= el.querySelector("canvas").getBoundingClientRect().height),
  scrollers: [...document.querySelectorAll("main .table-responsive")]
    .map((el) => getComputedStyle(el).overflowX),
})
"""


@pytest.fixture(autouse=True)
def framework_2026(transactional_db):
    migration = importlib.import_module("assessments.migrations.0002_default_framework")
    migration.seed(apps, None)
    return Framework.objects.get(year=migration.YEAR)


@pytest.fixture
def report_world(world, hieu_tu, tra_vinh_staff, framework_2026):
    """Sixty secretaries of Tiểu Cần and Càng Long assessed low enough to need training (more than a page),
    and thirty branches of Hiếu Tử without a secretary."""
    criteria = framework_criteria(framework_2026)
    cang_long = world["cang_long"].commune
    people = []
    for n in range(60):
        commune = hieu_tu if n < 40 else cang_long
        person = person_with_term(
            branch=BranchFactory(commune=commune, name=f"Ấp Học {n:02d}"), full_name=f"Phạm Văn Học {n:02d}"
        )
        values = {c.pk: (2 + (n + c.order) % 3 if c.group.order == 2 else 3 + n % 3) for c in criteria}
        assessment = services.assessment_save(
            person=person, framework=framework_2026, assessor=tra_vinh_staff, values=values
        )
        services.assessment_submit(assessment=assessment)
        people.append(person.full_name)
    vacant = [BranchFactory(commune=hieu_tu, name=f"Ấp Trống {n:02d}").name for n in range(30)]
    return {"people": people, "vacant": vacant, "commune": hieu_tu}


def pdf_pages(page) -> list[str]:
    reader = PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True)))
    return [p.extract_text() or "" for p in reader.pages]


def flat(text: str) -> str:
    return " ".join(text.split())


def test_every_report_prints_on_a4_whole_and_without_overlaps(
    browser, page, live_server, tra_vinh_staff, report_world
):
    from seminars.models import Proposal

    # What came of an open proposal so far: printed in its row, where the screen has the form.
    Proposal.objects.open().filter(pk=Proposal.objects.open().first().pk).update(
        result="Đã kiện toàn 6/11 chi đoàn."
    )
    login(page, live_server, tra_vinh_staff.username, PASSWORD)
    today = timezone.localdate().strftime("%d/%m/%Y")
    # A page opened for paper (its charts first drawn at a canvas's default 300 pixels): names still whole.
    page.set_viewport_size({"width": A4_CONTENT_WIDTH, "height": 1000})
    page.emulate_media(media="print")
    page.goto(live_server.url + "/assessments/summary/")
    page.wait_for_function("() => Object.keys(Chart.instances).length === 2")
    assert page.evaluate(LABELS_CUT_JS) == [], "the summary's chart names are cut when opened for paper"
    # Printed from a wide window (a desktop's print preview lays out at its width): the chart cards take the
    # paper's width, one under the other, not half of it each with the other half empty.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.wait_for_function(CHARTS_FIT_JS)
    shares = page.evaluate(CHART_COLUMNS_JS)
    assert len(shares) == 2 and min(shares) > 0.95, f"the summary's charts take {shares} of the paper's width"
    for name, url, max_pages in REPORTS:
        page.set_viewport_size({"width": 1280, "height": 900})
        page.emulate_media(media="screen")
        page.goto(live_server.url + url)
        # Charts drawn (Chart.js registers each instance), before the page is laid out for paper.
        page.wait_for_function(
            "() => typeof Chart === 'undefined' || Object.keys(Chart.instances).length"
            " === document.querySelectorAll('canvas[data-chart]').length"
        )
        page.set_viewport_size({"width": A4_CONTENT_WIDTH, "height": 1000})
        page.emulate_media(media="print")
        # Chart.js follows its box's new size on a later frame: until each chart fits its paper-wide box.
        page.wait_for_function(CHARTS_FIT_JS)

        assert page.evaluate(OVERLAPS_JS) == [], f"{name}: elements overlap on paper"
        buttons = (
            "() => [...document.querySelectorAll('main .btn')].filter((el) => el.getClientRects().length)"
        )
        assert page.evaluate(buttons + ".map((el) => el.textContent.trim())") == [], (
            f"{name}: buttons on paper"
        )
        assert page.evaluate(LABELS_CUT_JS) == [], f"{name}: a chart's names are cut on paper"
        assert set(page.evaluate(BADGE_COLOURS_JS)) <= {"rgb(0, 0, 0)"}, f"{name}: pale badges on paper"
        styles = page.evaluate(STYLES_JS)
        assert styles["thead"] and set(styles["thead"]) == {"table-header-group"}, f"{name}: {styles}"
        assert set(styles["rows"]) == {"avoid"}, f"{name}: rows may split across pages"
        assert set(styles["scrollers"]) <= {"visible"}, f"{name}: a scrolling box is cut at the page's end"
        assert set(styles["chartRows"]) <= {"block"}, f"{name}: charts in a flex row on paper"
        assert all(styles["chartCards"]), f"{name}: a chart is taller than its card"
        for chart in styles["charts"]:
            assert chart["brk"] == "avoid" and chart["height"] <= CHART_MAX_HEIGHT, f"{name}: {chart}"
        screenshot(page, f"print_{name.replace(' ', '_')}")

        pages = pdf_pages(page)
        assert 1 <= len(pages) <= max_pages, f"{name}: {len(pages)} pages"
        first = flat(pages[0])
        assert "Tỉnh Trà Vinh" in first and today in first, (
            f"{name}: no unit or date on the paper: {first[:300]}"
        )
        text = flat(" ".join(pages))

        if name == "training needs":
            assert "người khác" not in text  # no "và 11 người khác" cut
            for person in report_world["people"]:
                assert person in text, f"{person} is not on the paper"
            assert "Huyện Tiểu Cần" in text and "Huyện Càng Long" in text  # grouped by unit
            # The table header is repeated on every page the list continues on.
            listed = [flat(p) for p in pages if "Phạm Văn Học" in p]
            assert len(listed) >= 2 and all("Họ và tên" in p for p in listed)
        if name in ("secretary list", "assessment list"):
            for person in report_world["people"]:
                assert person in text, f"{person} is not on the paper"
        if name == "follow-up of proposals":
            assert (
                "Đơn vị chịu trách nhiệm" in text
                and "Kết quả" in text
                and "Đã kiện toàn 6/11 chi đoàn." in text
            )
        if name in ("vacancies", "branch list"):
            for branch in report_world["vacant"]:
                assert branch in text, f"{branch} is not on the paper"

    # Pages printed as they are, whose buttons are the screen's: the first screen, a commune's page.
    for url in ("/", report_world["commune"].get_absolute_url()):
        page.set_viewport_size({"width": A4_CONTENT_WIDTH, "height": 1000})
        page.goto(live_server.url + url)
        page.emulate_media(media="print")
        assert page.evaluate(BUTTONS_JS) == [], f"{url}: buttons on paper"
        # Nor what the screen offers to do next, nor a sortable table's arrows (QA3 m5).
        assert page.evaluate(ACTIONS_JS) == [], f"{url}: actions on paper"
        arrows = (
            "() => [...document.querySelectorAll('main th .bi')].filter((el) => el.getClientRects().length)"
        )
        assert page.evaluate(arrows + ".length") == 0, f"{url}: sort arrows on paper"
    # The first screen's panel cards are each whole on one page (a campaign's began at the foot of one).
    page.goto(live_server.url + "/")
    cards = page.evaluate(
        "() => [...document.querySelectorAll('[data-home-panels] .card')]"
        ".map((el) => getComputedStyle(el).breakInside)"
    )
    assert cards and set(cards) == {"avoid"}, cards

    # A secretary's page and an assessment's, printed: the unit printing them and the day, as the lists; not
    # the screen's hints (the account's invitation, when the trend chart appears) (QA3 m7).
    from assessments.models import Assessment
    from secretaries.models import Person

    person = Person.objects.get(full_name=report_world["people"][0])
    assessment = Assessment.objects.get(person=person)
    for url in (person.get_absolute_url(), assessment.get_absolute_url()):
        page.emulate_media(media="screen")
        page.goto(live_server.url + url)
        page.emulate_media(media="print")
        text = flat(" ".join(pdf_pages(page)))
        assert f"Đơn vị báo cáo: Tỉnh Trà Vinh · Ngày in {today}" in text, f"{url}: {text[:300]}"
        assert "Chưa có tài khoản" not in text and "Biểu đồ xuất hiện" not in text, url

    # A commune's grid prints across a landscape page (its own @page), each comment whole.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.emulate_media(media="screen")
    page.goto(f"{live_server.url}/assessments/grid/{report_world['commune'].code}/")
    page.emulate_media(media="print")
    reader = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True, print_background=True)))
    box = reader.pages[0].mediabox
    assert box.width > box.height, "the grid is not printed across the page"
    text = flat(" ".join(p.extract_text() or "" for p in reader.pages))
    assert "Phạm Văn Học 00" in text and "Tỉnh Trà Vinh" in text and today in text
    assert page.evaluate(BUTTONS_JS) == []

    # The summary's table of units (eleven columns) prints across a landscape page too, the units' names in
    # the room the figures leave: on a portrait page the names had a fifth of it, a waiting branch's row
    # five lines, and a province rolled up to today's communes eight pages (QA2 finding 2).
    page.set_viewport_size({"width": 1031, "height": 700})  # 297 mm less the margins: the paper's width
    page.emulate_media(media="screen")
    page.goto(f"{live_server.url}/assessments/summary/?units=today")
    page.emulate_media(media="print")
    reader = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True, print_background=True)))
    assert all(p.mediabox.width > p.mediabox.height for p in reader.pages), "the summary is printed upright"
    share = page.evaluate(
        "() => { const table = document.querySelector('#unit-summary');"
        " return table.querySelector('thead th').getBoundingClientRect().width"
        " / table.getBoundingClientRect().width; }"
    )
    assert share > 0.3, f"the units' names have {share:.0%} of the table's width"
    styles = page.evaluate(STYLES_JS)
    assert set(styles["thead"]) == {"table-header-group"} and set(styles["rows"]) == {"avoid"}
