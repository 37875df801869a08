"""The secretary in the loop, in a real browser: the officer invites a secretary with a printed code; the
secretary (on a phone) activates the account, logs in, proposes a phone correction and answers about public
showing; the officer accepts the correction from the first screen."""

import pytest
from playwright.sync_api import expect

from secretaries.models import Correction, Person
from tests.browser.conftest import login
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

USERNAME = "nguyenvanteo"
NEW_PASSWORD = "Cay-xoai-truoc-ngo-7"
NEW_PHONE = "0987 654 321"


def submit(page, form="main form") -> None:
    # Scoped to <main>: the navbar's language switch is a submit button too.
    with page.expect_navigation():
        page.locator(f"{form} [type=submit]").first.click()


def test_invite_activate_correct_consent_accept(page, phone_page, live_server, tieu_can_officer, world):
    person = world["tieu_can_person"]

    # The officer invites from the person page, with a printed slip.
    login(page, live_server, tieu_can_officer.username, PASSWORD)
    page.goto(f"{live_server.url}{person.get_absolute_url()}")
    with page.expect_navigation():
        page.get_by_role("link", name="Mời mở tài khoản").click()
    expect(page.locator("input[name=channel][value=printed]")).to_be_checked()
    submit(page)
    slip = page.locator("#invitation-slip")
    expect(slip).to_contain_text(person.full_name)
    expect(slip.locator("[data-slip-unit]")).to_have_text(tieu_can_officer.scope_label)
    code = slip.locator("[data-code]").inner_text().strip()
    assert len(code) == 14
    page.emulate_media(media="print")
    expect(page.locator("nav.navbar")).to_be_hidden()
    expect(slip).to_be_visible()
    page.emulate_media(media="screen")

    # The secretary, on a phone: from the login page to their own account.
    secretary = phone_page
    secretary.goto(f"{live_server.url}/accounts/login/")
    with secretary.expect_navigation():
        secretary.get_by_role("link", name="Tôi có mã mời").click()
    secretary.fill("input[name=code]", code.lower().replace("-", " "))
    submit(secretary)
    expect(secretary.locator("main")).to_contain_text(person.full_name)
    secretary.fill("input[name=username]", USERNAME)
    secretary.fill("input[name=password1]", NEW_PASSWORD)
    secretary.fill("input[name=password2]", NEW_PASSWORD)
    submit(secretary)
    expect(secretary.locator(".alert-success")).to_contain_text("Tài khoản của bạn đã sẵn sàng")
    login(secretary, live_server, USERNAME, NEW_PASSWORD)
    assert secretary.url.endswith("/toi/"), secretary.url
    expect(secretary.get_by_role("heading", level=1)).to_have_text(person.full_name)

    # A phone correction, with a note; mistyped first: the page comes back at the field to correct, focused,
    # with the message beside it (on a phone it is below the first screen).
    with secretary.expect_navigation():
        secretary.get_by_role("link", name="Đề nghị sửa thông tin").click()
    secretary.fill("input[name=phone]", "0987 654")
    submit(secretary)
    phone = secretary.locator("input[name=phone]")
    expect(phone).to_be_focused()
    expect(phone).to_be_in_viewport()
    expect(secretary.locator("#id_phone_error")).to_contain_text("Nhập số điện thoại 10 hoặc 11 chữ số")
    secretary.fill("input[name=phone]", NEW_PHONE)
    secretary.fill("textarea[name=note]", "Em đổi số từ tháng 11")
    submit(secretary)
    expect(secretary.locator("#own-corrections")).to_contain_text("Chờ xét duyệt")
    # Consent to public showing, dated today.
    secretary.locator("#own-consent input[value=given]").check()
    submit(secretary, "#own-consent form")
    expect(secretary.locator("[data-consent-now]")).to_contain_text("Đồng ý")
    assert Person.objects.get(pk=person.pk).may_be_shown_publicly

    # The officer's first screen says a correction waits; they accept it.
    page.goto(f"{live_server.url}/")
    expect(page.locator("[data-stat=pending-corrections]")).to_have_text("1")
    with page.expect_navigation():
        page.locator("[data-stat=pending-corrections]").click()
    with page.expect_navigation():
        page.get_by_role("link", name=person.full_name).click()
    expect(page.locator("#correction-changes")).to_contain_text(NEW_PHONE)
    submit(page, "main form:has(input[value=accept])")
    expect(page.locator(".alert-success")).to_contain_text("Đã cập nhật đề nghị sửa")
    assert Person.objects.get(pk=person.pk).phone == NEW_PHONE
    assert Correction.objects.get().is_accepted

    secretary.reload()
    expect(secretary.locator("[data-own-phone]")).to_have_text(NEW_PHONE)
    expect(secretary.locator("#own-corrections")).to_contain_text("Đã chấp nhận")
