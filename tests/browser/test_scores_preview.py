"""A scores import's preview on a 360-pixel phone and on paper: the officer who typed a commune's scores
from paper checks them, criterion by criterion, before confirming. The table scrolls sideways inside its
card (never the page), the row and its record staying in view; printed, it goes across a landscape A4 page,
as the commune grid does."""

import pytest

from assessments.selectors import framework_criteria
from tests.browser.conftest import login
from tests.conftest import PASSWORD
from tests.factories import BranchFactory, person_with_term
from tests.importing import workbook_bytes

pytestmark = pytest.mark.browser


def test_the_scores_preview_scrolls_in_its_card_on_a_phone_and_prints_landscape(
    phone_page, live_server, world, hieu_tu, tieu_can_officer, tmp_path
):
    page = phone_page
    codes = [f"{c.group.order}.{c.order}" for c in framework_criteria(world["tieu_can_assessment"].framework)]
    names = [f"Nguyễn Thị Hồng Nhung {i}" for i in range(6)]
    for name in names:
        person_with_term(branch=BranchFactory(commune=hieu_tu, name=f"Ấp Cầu Tre {name[-1]}"), full_name=name)
    rows = [{"Họ và tên": name, **dict.fromkeys(codes, 4), codes[2]: None} for name in names]
    path = tmp_path / "diem.xlsx"
    path.write_bytes(workbook_bytes(rows, ["Họ và tên", *codes]))
    login(page, live_server, tieu_can_officer.username, PASSWORD)
    page.goto(f"{live_server.url}/imports/scores/new/")
    page.set_input_files("input[type=file]", str(path))
    page.locator("main form").get_by_role("button", name="Kiểm tra tệp").click()

    table = page.locator("table[data-import-cells]")
    assert table.locator("tbody tr").count() == len(names)
    assert table.locator("thead abbr").first.inner_text() == "1.1"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # the page itself never scrolls
    box = page.locator("[data-import-cells]").evaluate_handle("t => t.closest('.table-responsive')")
    assert box.evaluate("b => b.scrollWidth > b.clientWidth && !!b.closest('.card')")
    box.evaluate("b => { b.scrollLeft = b.scrollWidth; }")
    record = table.locator("tbody th").first
    assert "Nguyễn Thị Hồng Nhung 0" in record.inner_text()
    assert record.bounding_box()["x"] < 40  # still at the left edge, beside the rating scrolled to
    assert "còn 1 tiêu chí chưa chấm" in table.locator("tbody tr").first.inner_text()

    page.emulate_media(media="print")
    assert page.evaluate("getComputedStyle(document.querySelector('main')).page") == "grid"  # A4 landscape
    assert table.evaluate("t => getComputedStyle(t.closest('.table-responsive')).overflowX") == "visible"
