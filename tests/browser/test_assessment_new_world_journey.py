"""Skill assessments in the new world, in a real browser: the officer of Xã Tập Ngãi (which absorbed Xã Hiếu
Tử) scores the commune's secretaries in the grid on Vĩnh Long's own 2026 framework, and Tỉnh đoàn Vĩnh Long
confirms them; the same grid on a phone."""

import pytest
from playwright.sync_api import expect

from assessments.models import Assessment
from assessments.services import framework_copy, framework_criteria
from tests.assessments.test_new_world import reform_build
from tests.browser.conftest import login
from tests.conftest import PASSWORD, framework_2026

pytestmark = pytest.mark.browser

TEO, SA_LY = "Nguyễn Văn Tèo", "Kim Thị Sa Ly"
TYPED = {TEO: "44444344443", SA_LY: "55454545454"}


@pytest.fixture
def new_world(transactional_db, world, tra_vinh, tieu_can, cang_long, hieu_tu, an_truong):
    reform = reform_build(tra_vinh, tieu_can, cang_long, hieu_tu, an_truong)
    reform["framework"] = framework_copy(
        framework=framework_2026(),
        year=2026,
        province=reform["province"],
        name="Bộ tiêu chí 2026 — Vĩnh Long",
    )
    return reform


def grid_row(page, name: str):
    return page.locator("#assessment-grid tbody tr", has_text=name)


def test_tap_ngai_officer_fills_the_grid_and_vinh_long_confirms(page, live_server, new_world):
    framework = new_world["framework"]
    assert len(framework_criteria(framework)) == 11
    login(page, live_server, "doanxa.tapngai", PASSWORD)
    # Its first screen leads to its commune; the grid opens on Vĩnh Long's own 2026 framework.
    page.goto(f"{live_server.url}/assessments/grid/29365/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Xã Tập Ngãi")
    expect(page.locator("#grid-framework option:checked")).to_have_text("2026")
    expect(page.locator("#assessment-grid tbody tr")).to_have_count(2)
    for name, digits in TYPED.items():
        grid_row(page, name).locator("input.score-input").first.click()
        page.keyboard.type(digits)
    with page.expect_navigation():
        page.locator("#assessment-grid").get_by_role("button", name="Lưu và gửi", exact=True).click()
    expect(page.locator(".alert-success")).to_contain_text("Đã lưu và gửi 2 đánh giá")
    made = Assessment.objects.filter(framework=framework)
    assert made.count() == 2
    # The units of their time: today's commune, no district, today's province.
    assert set(made.values_list("commune", "district", "province", "status")) == {
        (new_world["tap_ngai"].pk, None, new_world["province"].pk, Assessment.Status.SUBMITTED)
    }

    page.context.clear_cookies()
    login(page, live_server, "tinhdoan.vinhlong.moi", PASSWORD)
    page.goto(f"{live_server.url}/assessments/")
    listed = page.locator("main table tbody tr")
    for name in TYPED:
        expect(listed.filter(has_text=name)).to_contain_text("Xã Tập Ngãi")
        listed.filter(has_text=name).locator("input[name=assessment]").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Xác nhận các đánh giá đã chọn").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã xác nhận 2 đánh giá")
    assert set(made.values_list("status", "confirmed_by__username")) == {
        (Assessment.Status.CONFIRMED, "tinhdoan.vinhlong.moi")
    }


def test_tap_ngai_grid_on_a_phone(phone_page, live_server, new_world):
    page = phone_page
    login(page, live_server, "doanxa.tapngai", PASSWORD)
    page.goto(f"{live_server.url}/assessments/grid/29365/")
    expect(grid_row(page, SA_LY)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    grid_row(page, SA_LY).locator("input.score-input").first.tap()
    page.keyboard.type(TYPED[SA_LY])
    save = page.locator("#assessment-grid").get_by_role("button", name="Lưu nháp", exact=True)
    save.scroll_into_view_if_needed()
    with page.expect_navigation():
        save.tap()
    expect(page.locator(".alert-success")).to_contain_text("Đã lưu nháp 1 đánh giá")
    assert Assessment.objects.get(framework=new_world["framework"]).status == Assessment.Status.DRAFT


def test_the_seminar_report_of_the_past_fits_a_phone(phone_page, live_server, new_world):
    """Today's province reads 2021 per district of the time, each marked as ended: the badges wrap with
    the names, and every column of figures stays on the screen."""
    page = phone_page
    login(page, live_server, "tinhdoan.vinhlong.moi", PASSWORD)
    page.goto(f"{live_server.url}/seminars/report/?year=2021")
    expect(page.locator(".unit-report tbody .badge").first).to_contain_text("chấm dứt 30/06/2025")
    table = page.locator("main .table-responsive").first
    assert table.evaluate("(el) => el.scrollWidth <= el.clientWidth"), "the report is cut at 360 px"


def test_the_vacancy_summary_fits_a_phone_in_english(phone_page, live_server, new_world):
    """English's longer headings ("Without a secretary", "Vacancy rate") take the phone's smaller type: the
    last column of figures stays on the screen."""
    page = phone_page
    login(page, live_server, "tinhdoan.vinhlong.moi", PASSWORD)
    page.goto(f"{live_server.url}/secretaries/vacancies/")
    page.locator(".navbar-toggler").click()  # the switch is in the phone's folded menu: wait for it unfolded
    expect(page.locator(".navbar-collapse.show")).to_be_visible()
    with page.expect_navigation():
        page.locator(".lang-switch").get_by_role("button", name="English").click()
    # Every branch has a secretary here: the units are in the fold under the list (the same table as those
    # with vacancies, vacancy_summary_table.html).
    page.locator("[data-vacancy-full-units] summary").click()
    expect(page.locator("#vacancy-summary-full thead")).to_contain_text("Vacancy rate")
    table = page.locator("#vacancy-summary-full")
    sizes = table.evaluate("(el) => [el.parentElement.scrollWidth, el.parentElement.clientWidth]")
    assert sizes[0] <= sizes[1], f"cut at 360 px: {sizes}"
