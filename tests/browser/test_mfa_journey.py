"""Two-step verification in a real browser: provincial staff without an authenticator is led to enrolment,
reads the key from the page, types a real code, sees the recovery codes, then reaches the first screen
(and next time gives a code); a district officer logs in with the password alone."""

import base64

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from tests.browser.conftest import login, screenshot
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def code_from_key(secret: str, offset_steps: int = 0) -> str:
    """What an authenticator app shows for the key the page printed."""
    import time

    key = base64.b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
    totp = TOTP(key)
    totp.time = time.time() + offset_steps * 30
    return f"{totp.token():06d}"


def password_step(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.locator("main form").get_by_role("button").click()


def test_provincial_staff_enrols_on_first_login(page, live_server, tra_vinh_staff, phone_page):
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.set_viewport_size({"width": 1366, "height": 900})
    password_step(page, live_server, tra_vinh_staff.username)

    # Led to enrolment; the portal's menu is not offered, and no page answers before it is done.
    expect(page).to_have_url(f"{live_server.url}/accounts/security/enrol/?next=%2F")
    expect(page.get_by_role("heading", name="Thiết lập xác thực hai bước")).to_be_visible()
    expect(page.locator("svg.mfa-qr")).to_be_visible()
    expect(page.get_by_role("link", name="Chi đoàn", exact=True)).to_have_count(0)
    screenshot(page, "mfa_enrol_1366")
    for path in ("/branches/", "/admin/"):
        response = page.request.get(f"{live_server.url}{path}", max_redirects=0)
        assert response.status == 302 and response.headers["location"].startswith("/accounts/security/enrol/")

    # The same page on a phone.
    phone_page.goto(f"{live_server.url}/accounts/login/")
    phone_page.fill("input[name=username]", tra_vinh_staff.username)
    phone_page.fill("input[name=password]", PASSWORD)
    with phone_page.expect_navigation():
        phone_page.locator("main form").get_by_role("button").click()
    expect(phone_page.locator("svg.mfa-qr")).to_be_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone_page, "mfa_enrol_360")

    secret = page.locator("#mfa-secret").inner_text()
    page.fill("input[name=code]", code_from_key(secret))
    with page.expect_navigation():
        page.get_by_role("button", name="Xác nhận và bật").click()
    expect(page.get_by_role("heading", name="Mã khôi phục")).to_be_visible()
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    screenshot(page, "mfa_recovery_codes_1366")
    with page.expect_navigation():
        page.get_by_role("link", name="Tôi đã lưu mã — tiếp tục").click()
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator("#main-nav").get_by_role("link", name="Chi đoàn", exact=True)).to_be_visible()

    page.goto(f"{live_server.url}/accounts/security/")
    expect(page.get_by_text("Còn 10 mã khôi phục.")).to_be_visible()
    screenshot(page, "mfa_account_security_enrolled_1366")

    # Next login: the code step, on a desktop and on a phone.
    with page.expect_navigation():
        page.evaluate("document.querySelector('form[action$=\"/logout/\"]').submit()")
    password_step(page, live_server, tra_vinh_staff.username)
    expect(page).to_have_url(f"{live_server.url}/accounts/verify/?next=%2F")
    expect(page.get_by_role("heading", name="Xác thực hai bước")).to_be_visible()
    screenshot(page, "mfa_code_1366")
    phone_page.context.clear_cookies()
    password_step(phone_page, live_server, tra_vinh_staff.username)
    expect(phone_page.get_by_role("heading", name="Xác thực hai bước")).to_be_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone_page, "mfa_code_360")

    page.fill("input[name=code]", "000000" if code_from_key(secret, 1) != "000000" else "111111")
    with page.expect_navigation():
        page.get_by_role("button", name="Tiếp tục").click()
    expect(page.locator(".invalid-feedback, .text-danger").first).to_contain_text("Mã này không đúng")
    assert errors == []


def test_district_officer_logs_in_without_a_second_factor(page, live_server, tieu_can_officer):
    login(page, live_server, tieu_can_officer.username, PASSWORD)
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator("#main-nav").get_by_role("link", name="Chi đoàn", exact=True)).to_be_visible()
    # Optional for them: the account security page offers it.
    page.goto(f"{live_server.url}/accounts/security/")
    expect(page.get_by_role("link", name="Bật xác thực hai bước")).to_be_visible()
    screenshot(page, "mfa_account_security_1280")
