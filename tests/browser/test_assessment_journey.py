"""Skill assessments in a real browser: a district officer scores a whole commune from the keyboard, the
province confirms, the summary shows the new average; the whole grid typed from a paper sheet row after
row, each row then showing its score and rating, and on points out of 100 with a sent row in the middle;
the grid opened from the list in one step; and the grid on a phone."""

import importlib
import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.apps import apps
from playwright.sync_api import expect

from assessments.framework_services import framework_create_points
from assessments.models import Assessment, Framework
from assessments.services import assessment_save, framework_copy, framework_criteria
from tests.browser.conftest import _page, login
from tests.conftest import PASSWORD
from tests.factories import BranchFactory, person_with_term

pytestmark = pytest.mark.browser

TWO_PLACES = Decimal("0.01")
INVALID = re.compile(r"\bis-invalid\b")
GRID_ALERT = "Một số ô cần sửa"

# What the officer types in each row: eleven digits, one per criterion, never a Tab or a click between.
TEO, MAI, HUNG = "Nguyễn Văn Tèo", "Trần Thị Mai", "Lê Văn Hùng"
TYPED = {TEO: "45454545454", MAI: "35353535353", HUNG: "55555555554"}
WRONG_CELL = 5  # Hùng's sixth cell gets a 7 first, outside the 1–5 scale


@pytest.fixture(autouse=True)
def framework_2026(transactional_db):
    """The 2026 framework a data migration seeds. Live-server tests are transactional, and the flush after
    each of them empties every table, so the seed is run again (it does nothing when the year exists)."""
    migration = importlib.import_module("assessments.migrations.0002_default_framework")
    migration.seed(apps, None)
    return Framework.objects.get(year=migration.YEAR)


@pytest.fixture
def hieu_tu_secretaries(world, hieu_tu):
    """Xã Hiếu Tử with three current secretaries: the world's Tèo (who has a 2026 draft) and two more."""
    mai = person_with_term(
        branch=BranchFactory(commune=hieu_tu, name="Ấp Tân Thành"), full_name=MAI, gender="nu"
    )
    hung = person_with_term(branch=BranchFactory(commune=hieu_tu, name="Ấp Cầu Tre"), full_name=HUNG)
    return {TEO: world["tieu_can_person"], MAI: mai, HUNG: hung}


def grid_row(page, name: str):
    return page.locator("#assessment-grid tbody tr", has_text=name)


def cell_list(page, name: str) -> list[str]:
    return grid_row(page, name).locator("input.score-input").evaluate_all("(ins) => ins.map(i => i.value)")


def cell_values(page, name: str) -> str:
    return "".join(cell_list(page, name))


def type_row(page, name: str, digits: str) -> None:
    """Click the row's first cell and type: each digit should land in the next cell by itself."""
    grid_row(page, name).locator("input.score-input").first.click()
    page.keyboard.type(digits)


def press(page, button_name: str) -> None:
    with page.expect_navigation():
        page.locator("#assessment-grid").get_by_role("button", name=button_name, exact=True).click()


def overall(digits: str, weights: list[Decimal]) -> Decimal:
    """The weighted mean of one row, rounded half up to two places."""
    total = sum(Decimal(d) * w for d, w in zip(digits, weights, strict=True))
    return (total / sum(weights)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def vietnamese(number: Decimal) -> str:
    return f"{number:.2f}".replace(".", ",")


def test_officer_scores_a_commune_from_the_keyboard_and_the_province_confirms(
    page, live_server, framework_2026, tieu_can_officer, tra_vinh_staff, hieu_tu_secretaries
):
    people = hieu_tu_secretaries
    teo_draft = Assessment.objects.get(person=people[TEO], framework=framework_2026)
    criteria = framework_criteria(framework_2026)
    assert len(criteria) == 11

    framework_copy(framework=framework_2026, year=2025)  # a second framework to choose in the grid
    login(page, live_server, tieu_can_officer.username, PASSWORD)
    page.goto(f"{live_server.url}/assessments/grid/29350/?framework={framework_2026.pk}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Xã Hiếu Tử")
    rows = page.locator("#assessment-grid tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.first.locator("input.score-input")).to_have_count(11)
    # Tèo's draft comes back in his row, four in every cell.
    assert cell_values(page, TEO) == "4" * 11

    for name, digits in TYPED.items():
        type_row(page, name, digits)
    for name, digits in TYPED.items():
        assert cell_values(page, name) == digits, name
    # From a row's last cell the cursor goes on to the next row's first (Hùng's row is above Tèo's).
    expect(grid_row(page, TEO).locator("input.score-input").first).to_be_focused()
    # Leaving now (another framework chosen, a name clicked) would lose the grid: the page asks first.
    leaving = (
        "() => { const e = new Event('beforeunload', {cancelable: true});"
        " dispatchEvent(e); return e.defaultPrevented; }"
    )
    assert page.evaluate(leaving)
    # Another framework chosen with the grid typed in: asked first; saying no keeps the grid and the choice.
    chooser = page.locator("#grid-framework")
    expect(chooser.locator("option")).to_have_count(2)
    chosen = chooser.input_value()
    other = chooser.locator(f"option:not([value='{chosen}'])").first.get_attribute("value")
    page.answer = False
    chooser.select_option(other)
    assert page.questions[-1] == (
        "Các điểm đã nhập trong bảng chưa được lưu sẽ mất. Vẫn chuyển sang lựa chọn khác?"
    ), page.questions
    expect(chooser).to_have_value(chosen)
    assert cell_values(page, TEO) == TYPED[TEO]
    page.answer = True

    # A 7 on a 1–5 scale: the whole grid is refused, the cell is red, nothing is saved.
    wrong = grid_row(page, HUNG).locator("input.score-input").nth(WRONG_CELL)
    wrong.click()
    page.keyboard.type("7")
    expect(wrong).to_have_value("7")
    press(page, "Lưu và gửi")
    expect(page.locator("#grid-errors")).to_contain_text(GRID_ALERT)
    expect(page.locator(".alert-success")).to_have_count(0)
    wrong = grid_row(page, HUNG).locator("input.score-input").nth(WRONG_CELL)
    expect(wrong).to_have_class(INVALID)
    expect(page.locator("#assessment-grid input.score-input.is-invalid")).to_have_count(1)
    # Red, without Bootstrap's warning icon drawn over the digits of a cell two digits wide.
    assert wrong.evaluate("(cell) => getComputedStyle(cell).backgroundImage") == "none"
    assert Assessment.objects.filter(framework=framework_2026).count() == 1
    teo_draft.refresh_from_db()
    assert teo_draft.status == Assessment.Status.DRAFT
    assert sorted(teo_draft.scores.values_list("value", flat=True)) == [4] * 11
    # What was typed is still there, the wrong cell included.
    assert cell_values(page, TEO) == TYPED[TEO]
    assert cell_values(page, MAI) == TYPED[MAI]
    hung_typed = TYPED[HUNG][:WRONG_CELL] + "7" + TYPED[HUNG][WRONG_CELL + 1 :]
    assert cell_values(page, HUNG) == hung_typed

    wrong.click()
    page.keyboard.type(TYPED[HUNG][WRONG_CELL])
    expect(wrong).not_to_have_class(INVALID)  # cleared as soon as it is retyped
    assert cell_values(page, HUNG) == TYPED[HUNG]
    press(page, "Lưu và gửi")
    expect(page.locator(".alert-success")).to_contain_text("Đã lưu và gửi 3 đánh giá")
    # Asked first, as a single "Gửi" is, naming the rows it sends.
    assert page.questions[-1].startswith("Gửi các dòng đã nhập điểm (3 dòng)"), page.questions
    expect(page.locator("#grid-errors")).to_have_count(0)

    weights = [c.weight for c in criteria]
    expected = {}
    for name, person in people.items():
        assessment = Assessment.objects.get(person=person, framework=framework_2026)
        assert assessment.status == Assessment.Status.SUBMITTED, name
        by_criterion = dict(assessment.scores.values_list("criterion_id", "value"))
        assert "".join(str(by_criterion[c.pk]) for c in criteria) == TYPED[name], name
        expected[name] = overall(TYPED[name], weights)
        assert assessment.overall_score == expected[name], name
    assert teo_draft.pk == Assessment.objects.get(person=people[TEO]).pk  # updated, not duplicated
    average = (sum(expected.values()) / len(expected)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)

    # The province, in the same browser after the officer's session is dropped.
    page.context.clear_cookies()
    login(page, live_server, tra_vinh_staff.username, PASSWORD)
    page.goto(f"{live_server.url}/assessments/")
    listed = page.locator("main table tbody tr")
    for name in TYPED:
        listed.filter(has_text=name).locator("input[name=assessment]").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Xác nhận các đánh giá đã chọn").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã xác nhận 3 đánh giá")
    # Asked first, as a single "Xác nhận" is: they are locked once confirmed.
    assert page.questions[-1].startswith("Xác nhận 3 đánh giá đã chọn?"), page.questions
    for name in TYPED:
        expect(listed.filter(has_text=name).locator("input[name=assessment]")).to_have_count(0)
    assert set(Assessment.objects.filter(framework=framework_2026).values_list("status", flat=True)) == {
        Assessment.Status.CONFIRMED
    }

    page.goto(f"{live_server.url}/assessments/summary/?framework={framework_2026.pk}")
    expect(page.locator("[data-counted]")).to_have_attribute("data-counted", "3")
    tieu_can_row = page.locator("#unit-summary tbody tr", has_text="Huyện Tiểu Cần")
    expect(tieu_can_row).to_have_count(1)
    expect(tieu_can_row.locator("td").nth(1)).to_have_text("3")
    expect(tieu_can_row.locator("td").nth(3)).to_have_text(vietnamese(average))
    expect(page.locator("[data-stat=average]")).to_have_text(vietnamese(average))


# The focused element lies within the window (a smooth scroll towards it has ended).
IN_VIEW_JS = """() => {
    const box = document.activeElement.getBoundingClientRect();
    return box.top >= 0 && box.bottom <= innerHeight && box.left >= 0 && box.right <= innerWidth;
}"""


def uncovered(locator) -> bool:
    """True when the element itself is what a tap at its centre would hit (not a sticky cell above it)."""
    return locator.evaluate(
        """(el) => {
            const box = el.getBoundingClientRect();
            return document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2) === el;
        }"""
    )


def test_commune_grid_is_usable_on_a_phone(
    phone_page, live_server, framework_2026, tieu_can_officer, hieu_tu_secretaries
):
    page = phone_page
    people = hieu_tu_secretaries
    login(page, live_server, tieu_can_officer.username, PASSWORD)
    page.goto(f"{live_server.url}/assessments/grid/29350/")
    expect(grid_row(page, MAI)).to_be_visible()

    # The page itself never scrolls sideways; the table does, inside its .table-responsive.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    scroller = page.locator("#assessment-grid .table-responsive")
    sizes = scroller.evaluate("(el) => [el.scrollWidth, el.clientWidth]")
    assert sizes[0] > sizes[1], f"the grid should overflow its scroller, not the page: {sizes}"
    person = grid_row(page, MAI).locator("th.grid-person")
    expect(person).to_contain_text(MAI)
    left_before = person.bounding_box()["x"]

    # Scrolled to the far right, the person column stays where it was (sticky), beside the last column.
    scroller.evaluate("(el) => { el.scrollLeft = el.scrollWidth; }")
    assert scroller.evaluate("(el) => el.scrollLeft") > 0
    assert abs(person.bounding_box()["x"] - left_before) < 1
    expect(person).to_be_in_viewport()
    assert uncovered(person.get_by_role("link", name=MAI))
    comment = grid_row(page, MAI).locator(f"input[name=c-{people[MAI].pk}]")
    expect(comment).to_be_in_viewport()
    assert uncovered(comment)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    # Tapped and typed as on a phone's number pad: the focus follows, and the row is kept as a draft.
    scroller.evaluate("(el) => { el.scrollLeft = 0; }")
    first = grid_row(page, MAI).locator("input.score-input").first
    expect(first).to_have_attribute("inputmode", "numeric")
    assert uncovered(first)
    first.tap()
    page.keyboard.type(TYPED[MAI])
    assert cell_values(page, MAI) == TYPED[MAI]
    save = page.locator("#assessment-grid").get_by_role("button", name="Lưu nháp", exact=True)
    # Mai's is the last row: after its last cell the cursor leaves the cells for the first button.
    expect(save).to_be_focused()
    save.scroll_into_view_if_needed()
    expect(save).to_be_in_viewport()
    with page.expect_navigation():
        save.tap()
    # Mai's new row only: Tèo's draft, posted again as it was, is left as it was; Hùng's empty row is skipped.
    expect(page.locator(".alert-success")).to_contain_text("Đã lưu nháp 1 đánh giá")
    draft = Assessment.objects.get(person=people[MAI], framework=framework_2026)
    assert draft.status == Assessment.Status.DRAFT
    assert sorted(draft.scores.values_list("value", flat=True)) == sorted(int(d) for d in TYPED[MAI])
    assert not Assessment.objects.filter(person=people[HUNG]).exists()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    # The list on the phone: what its hidden columns say goes under each name, nothing cut at the edge.
    page.goto(f"{live_server.url}/assessments/")
    row = page.locator("tbody tr", has=page.get_by_role("link", name=MAI))
    under = row.locator("[data-under-name]")
    expect(under).to_contain_text("2026")
    expect(under).to_contain_text(draft.branch.name)
    expect(under.locator(".badge")).to_have_text("Nháp")
    table = page.locator("main .table-responsive").first
    assert table.evaluate("(el) => el.scrollWidth <= el.clientWidth"), "the list overflows at 360 px"


def test_phone_keeps_the_cell_being_typed_in_visible(
    phone_page, live_server, framework_2026, tieu_can_officer, hieu_tu_secretaries
):
    page = phone_page
    login(page, live_server, tieu_can_officer.username, PASSWORD)
    page.goto(f"{live_server.url}/assessments/grid/29350/")
    cells = grid_row(page, MAI).locator("input.score-input")
    cells.first.tap()
    hidden = []
    for index, digit in enumerate(TYPED[MAI]):
        page.keyboard.type(digit)
        # The page may still be scrolling the next field into view (smoothly): asked once it is on screen.
        page.wait_for_function(IN_VIEW_JS, timeout=2000)
        if not uncovered(page.locator("*:focus")):
            hidden.append(index + 1)
    assert not hidden, f"after these digits the focused cell was under the person column: {hidden}"


def rows_in_order(page) -> list[str]:
    return page.locator("#assessment-grid tbody th.grid-person a").all_inner_texts()


@pytest.fixture
def office_page(request, browser):
    """An office PC's screen, 1366×768."""
    yield from _page(request, browser, viewport={"width": 1366, "height": 768})


def test_a_paper_sheet_is_typed_row_after_row_and_each_row_shows_its_score(
    office_page, live_server, framework_2026, tieu_can_officer, hieu_tu_secretaries
):
    """Issue 14: one click in the first cell, then every digit of the sheet, row after row, and Enter; at
    1366 px the score and status column stays in view. Then points out of 100: each cell moves on once no
    digit more fits, the arrow keys and Enter skip a sent row, and Enter in a comment moves to the next
    row's comment without sending the grid."""
    page = office_page
    people = hieu_tu_secretaries
    criteria = framework_criteria(framework_2026)
    login(page, live_server, tieu_can_officer.username, PASSWORD)
    page.goto(f"{live_server.url}/assessments/grid/29350/")
    order = rows_in_order(page)
    assert sorted(order) == sorted(TYPED)
    page.locator("#assessment-grid tbody tr").first.locator("input.score-input").first.click()
    # The whole sheet, then one digit too many: it must overwrite nothing.
    page.keyboard.type("".join(TYPED[name] for name in order) + "3")
    for name in order:
        assert cell_values(page, name) == TYPED[name], name
    save = page.locator("#assessment-grid").get_by_role("button", name="Lưu nháp", exact=True)
    expect(save).to_be_focused()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".alert-success")).to_contain_text("Đã lưu nháp 3 đánh giá")

    weights = [c.weight for c in criteria]
    for name in order:
        assessment = Assessment.objects.get(person=people[name], framework=framework_2026)
        assert assessment.overall_score == overall(TYPED[name], weights), name
        result = grid_row(page, name).locator("td.grid-result")
        expect(result).to_contain_text("Nháp")
        expect(result).to_contain_text(vietnamese(assessment.overall_score))
        expect(result).to_contain_text(assessment.get_rating_display())
        # In view at 1366 px, however wide the framework: nothing covers it, nothing pushes it off.
        expect(result).to_be_in_viewport()
        box = result.bounding_box()
        assert box["x"] + box["width"] <= 1366, (name, box)
        assert uncovered(result.locator(".grid-score strong"))

    # The same commune on points out of 100 (criteria of 7 to 10 points), the middle row's assessment sent.
    points = framework_create_points(year=2025, province=tieu_can_officer.district.province, name="Thang 100")
    point_criteria = framework_criteria(points)
    assert [c.max_points for c in point_criteria] == [8, 8, 7, 7] + [10] * 7
    first, sent, last = order
    assessment_save(
        person=people[sent],
        framework=points,
        assessor=tieu_can_officer,
        values={c.pk: c.max_points for c in point_criteria},
        submit=True,
    )
    page.goto(f"{live_server.url}/assessments/grid/29350/?framework={points.pk}")
    expect(grid_row(page, sent).locator("input")).to_have_count(0)  # shown as text
    first_cells, last_cells = (grid_row(page, name).locator("input.score-input") for name in (first, last))
    first_cells.first.click()
    # A cell moves on once no digit more could make a valid score: "9" of 10 at once, "1" waits for "10",
    # a 0 is whole; then past the sent row to the next row's first cell.
    page.keyboard.type("7657" + "9" + "10" + "0" + "8765")
    points_typed = ["7", "6", "5", "7", "9", "10", "0", "8", "7", "6", "5"]
    assert cell_list(page, first) == points_typed
    expect(last_cells.first).to_be_focused()
    # A comma typed after a score that moved on stays with it, to be refused as typed, not a silent 7.
    page.keyboard.type("7,5")
    assert cell_list(page, last)[:2] == ["7,5", ""]
    expect(last_cells.first).to_be_focused()

    # Arrow keys and Enter skip the sent row, both ways.
    for key, cells in [("ArrowUp", first_cells), ("ArrowDown", last_cells), ("Shift+Enter", first_cells)]:
        page.keyboard.press(key)
        expect(cells.first).to_be_focused()
    page.keyboard.press("Enter")
    expect(last_cells.first).to_be_focused()
    page.keyboard.press("ArrowDown")  # the last row: it stays
    expect(last_cells.first).to_be_focused()

    # Enter in a comment moves to the next row's comment, as in the score cells; it never sends the grid.
    first_comment = grid_row(page, first).locator(f"input[name=c-{people[first].pk}]")
    last_comment = grid_row(page, last).locator(f"input[name=c-{people[last].pk}]")
    first_comment.click()
    page.keyboard.type("Chăm chỉ")
    page.keyboard.press("Enter")
    expect(last_comment).to_be_focused()
    page.keyboard.press("Shift+Enter")
    expect(first_comment).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(last_comment).to_be_focused()
    page.keyboard.press("Enter")  # the last row's comment: it stays, nothing is sent
    expect(last_comment).to_be_focused()
    expect(first_comment).to_have_value("Chăm chỉ")
    expect(page.locator("#grid-errors")).to_have_count(0)

    last_cells.first.click()
    page.keyboard.type("7")
    with page.expect_navigation():
        page.locator("#assessment-grid").get_by_role("button", name="Lưu nháp", exact=True).click()
    expect(page.locator(".alert-success")).to_contain_text("Đã lưu nháp 2 đánh giá")
    typed = Assessment.objects.get(person=people[first], framework=points)
    assert typed.comment == "Chăm chỉ"
    scores = typed.scores.order_by("criterion__group__order", "criterion__order")
    assert [score.value for score in scores] == [int(value) for value in points_typed]


def test_staff_open_a_communes_grid_from_the_list_in_one_step(
    page, live_server, framework_2026, tra_vinh_staff, hieu_tu_secretaries
):
    login(page, live_server, tra_vinh_staff.username, PASSWORD)
    page.goto(f"{live_server.url}/assessments/")
    picker = page.locator('form[action="/assessments/grid/"] .ts-control input')
    with page.expect_response(lambda r: "autocomplete" in r.url and "q=hieu" in r.url):
        picker.fill("hieu tu")
    option = page.locator(".ts-dropdown .option", has_text="Hiếu Tử").first
    with page.expect_navigation(url=re.compile(r"/assessments/grid/29350/")):
        option.click()  # chosen: the grid opens, no further button
    expect(page.get_by_role("heading", level=1)).to_contain_text("Xã Hiếu Tử")
