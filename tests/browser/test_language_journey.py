"""The portal in Vietnamese under a browser set to English (issue 14): Vietnamese is the default whatever
the browser asks for, the libraries' words included (the picker's buttons, the empty-formset message);
English only from the switch, and back."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import _page, login
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def english_page(request, browser):
    """A browser whose language is American English (navigator.language and Accept-Language)."""
    yield from _page(request, browser, viewport={"width": 1280, "height": 900}, locale="en-US")


def test_an_english_browser_gets_the_portal_in_vietnamese(english_page, live_server, tieu_can_officer, world):
    page = english_page
    assert page.evaluate("navigator.language") == "en-US"
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.locator("main")).to_contain_text("Mật khẩu")
    login(page, live_server, tieu_can_officer.username, PASSWORD)
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.locator("nav.navbar")).to_contain_text("Tọa đàm")

    # A seminar sent with no theme: the formset's own message, in Vietnamese.
    page.goto(f"{live_server.url}/seminars/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Thêm tọa đàm")
    page.fill("input[name=title]", "Tọa đàm thử")
    page.fill("input[name=held_on]", "15/03/2025")
    page.locator("input[name=themes-TOTAL_FORMS]").evaluate("(el) => { el.value = '0'; }")
    with page.expect_navigation():
        page.locator("main form [type=submit]").click()
    main = page.locator("main")
    expect(main).to_contain_text("Hãy thêm ít nhất 1 nội dung thảo luận.")
    expect(main).not_to_contain_text("Please submit")
    # The picker's words: Vietnamese too (Tom Select's own are English).
    control = page.locator("select[name=participants] + .ts-wrapper .ts-control input")
    control.focus()
    with page.expect_response(
        lambda r: "/seminars/autocomplete/participants/" in r.url and "q=zzzz" in r.url
    ):
        page.keyboard.type("zzzz")
    expect(page.locator(".ts-dropdown .no-results")).to_have_text("Không tìm thấy")

    # English only from the switch; and back.
    with page.expect_navigation():
        page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    with page.expect_navigation():
        page.get_by_role("button", name="Tiếng Việt").click()
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.locator("nav.navbar")).to_contain_text("Tọa đàm")


def test_the_switch_asks_before_losing_what_was_typed(page, live_server, tieu_can_officer, world):
    """Switching the language reloads the page: with a form typed in and not saved it asks first, in the
    page's language; saying no keeps what was typed. A search box typed in is not asked for."""
    login(page, live_server, tieu_can_officer.username, PASSWORD)
    page.goto(f"{live_server.url}/branches/")
    page.fill("input[name=q]", "tieu can")
    with page.expect_navigation():
        page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.questions == []
    with page.expect_navigation():
        page.get_by_role("button", name="Tiếng Việt").click()

    page.goto(f"{live_server.url}/branches/{world['tieu_can'].pk}/edit/")
    page.fill("input[name=name]", "Ấp Mới Đổi Tên")
    page.answer = False
    page.get_by_role("button", name="English").click()
    expect(page.locator("input[name=name]")).to_have_value("Ấp Mới Đổi Tên")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    assert page.questions == [
        "Những gì bạn vừa nhập trên trang này chưa được lưu và sẽ mất khi đổi ngôn ngữ. Vẫn đổi ngôn ngữ?"
    ]

    page.answer = True
    with page.expect_navigation():
        page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert len(page.questions) == 2

    # A form sent back with its errors holds what was typed, though nothing was typed on this page.
    page.fill("input[name=name]", "")
    page.locator("input[name=name]").evaluate("(el) => el.removeAttribute('required')")
    with page.expect_navigation():
        page.locator("main form [type=submit]").click()
    expect(page.locator("input[name=name].is-invalid")).to_be_visible()
    page.answer = False
    page.get_by_role("button", name="Tiếng Việt").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert len(page.questions) == 3
