"""Branch secretaries in a real browser: fill a vacancy with a new person, stay in scope, replace one."""

import re

import pytest
from playwright.sync_api import expect

from secretaries.models import Person
from tests.browser.conftest import login
from tests.conftest import PASSWORD, jpeg_bytes
from tests.factories import BranchFactory

pytestmark = pytest.mark.browser

APPOINT_NEW = "Bổ nhiệm người mới"
NEW_NAME = "Nguyễn Văn Tèo Em"

# True once the image has been fetched and decoded: a broken or forbidden src leaves naturalWidth at 0.
IMAGE_LOADED_JS = "(img) => img.complete && img.naturalWidth > 0"


def vacancy_total(page) -> int:
    return int(page.locator("main p[data-vacancy-total]").get_attribute("data-vacancy-total"))


def submit(page) -> None:
    # Scoped to <main>: the navbar's language switch is a submit button too.
    with page.expect_navigation():
        page.locator("main form [type=submit]").click()


def test_officer_fills_a_vacancy_with_a_new_person_and_portrait(
    page, live_server, tieu_can_officer, hieu_tu, world
):
    vacant = BranchFactory(commune=hieu_tu, name="Ấp Tân Thành", member_count=18)
    BranchFactory(commune=hieu_tu, name="Ấp Cầu Tre", member_count=22)
    login(page, live_server, tieu_can_officer.username, PASSWORD)

    page.goto(f"{live_server.url}/secretaries/vacancies/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Chi đoàn chưa có bí thư")
    before = vacancy_total(page)
    assert before == 2  # the two new branches; Ấp Cây Gòn has Nguyễn Văn Tèo
    rows = page.locator("main table.table-sort tbody tr")
    expect(rows.filter(has_text="Ấp Cây Gòn")).to_have_count(0)
    with page.expect_navigation():
        rows.filter(has_text="Ấp Tân Thành").get_by_role("link", name=APPOINT_NEW).click()
    # It comes back to the list afterwards, to fill the next vacancy.
    expect(page).to_have_url(
        re.compile(rf"/secretaries/new/\?branch={vacant.pk}&next=/secretaries/vacancies/$")
    )

    # The branch comes prefilled in its Tom Select.
    expect(page.locator("select[name=branch]")).to_have_value(str(vacant.pk))
    expect(page.locator("select[name=branch] + .ts-wrapper .ts-control")).to_contain_text("Ấp Tân Thành")
    page.fill("input[name=started_on]", "01/09/2025")
    page.fill("input[name=expected_end_on]", "31/08/2028")
    page.fill("input[name=full_name]", NEW_NAME)
    page.select_option("select[name=gender]", "nam")
    page.fill("input[name=date_of_birth]", "12/05/1999")
    page.select_option("select[name=ethnicity]", "05")
    # No religion: a district officer neither sees nor sets it (secretaries/sensitive.py).
    expect(page.locator("select[name=religion]")).to_have_count(0)
    page.select_option("select[name=education_level]", "thpt")
    page.fill("input[name=occupation]", "Nông dân")
    page.fill("input[name=phone]", "0987 654 321")
    page.set_input_files(
        "input[name=portrait]",
        files=[{"name": "chan-dung.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes(size=(300, 400))}],
    )
    submit(page)

    person = Person.objects.get(full_name=NEW_NAME)
    assert person.terms.get().branch == vacant
    assert person.portrait and person.portrait_thumbnail
    expect(page).to_have_url(f"{live_server.url}/secretaries/vacancies/")
    expect(page.locator(".alert-success")).to_contain_text(f"Đã thêm và bổ nhiệm {NEW_NAME}")
    assert vacancy_total(page) == before - 1
    expect(page.locator("main table.table-sort tbody tr").filter(has_text="Ấp Tân Thành")).to_have_count(0)
    page.goto(f"{live_server.url}/secretaries/{person.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(NEW_NAME)
    portrait = page.locator(f"main img[src='/secretaries/{person.pk}/portrait/thumbnail/']")
    expect(portrait).to_be_visible()
    expect(portrait).to_have_attribute("alt", f"Ảnh chân dung của {NEW_NAME}")
    portrait.evaluate("(img) => img.decode()")
    assert portrait.evaluate(IMAGE_LOADED_JS), "the portrait thumbnail did not load"

    # Found by name without diacritics, beside the secretary already there.
    page.goto(f"{live_server.url}/secretaries/")
    page.locator("#person-filter input[name=q]").fill("nguyen van")
    with page.expect_navigation():
        page.locator("#person-filter button[type=submit]").click()
    results = page.locator("main table tbody")
    expect(results.get_by_role("link", name=NEW_NAME, exact=True)).to_be_visible()
    expect(results.get_by_role("link", name="Nguyễn Văn Tèo", exact=True)).to_be_visible()
    expect(results.locator("tr", has_text=NEW_NAME)).to_contain_text("Ấp Tân Thành")

    page.goto(f"{live_server.url}/")
    expect(page.locator("[data-stat=vacant]")).to_have_text(str(before - 1))


def test_province_sees_the_person_and_another_district_does_not(
    browser, page, live_server, tra_vinh_staff, cang_long_officer, world
):
    person = world["tieu_can_person"]
    login(page, live_server, tra_vinh_staff.username, PASSWORD)
    page.goto(f"{live_server.url}/secretaries/")
    link = page.locator("main table tbody").get_by_role("link", name="Nguyễn Văn Tèo", exact=True)
    expect(link).to_be_visible()
    expect(page.locator("main table tbody")).to_contain_text("Lê Thị Hồng Nhung")
    with page.expect_navigation():
        link.click()
    expect(page).to_have_url(f"{live_server.url}/secretaries/{person.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nguyễn Văn Tèo")
    portrait = page.locator(f"main img[src='/secretaries/{person.pk}/portrait/thumbnail/']")
    portrait.evaluate("(img) => img.decode()")
    assert portrait.evaluate(IMAGE_LOADED_JS)

    # Càng Long's officer, in a context of their own: neither the page nor the portrait, by address.
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    try:
        other = context.new_page()
        login(other, live_server, cang_long_officer.username, PASSWORD)
        response = other.goto(f"{live_server.url}/secretaries/{person.pk}/")
        assert response is not None and response.status == 404
        expect(other.locator("main")).not_to_contain_text("Nguyễn Văn Tèo")
        response = other.goto(f"{live_server.url}/secretaries/{person.pk}/portrait/thumbnail/")
        assert response is not None and response.status == 404
        assert response.headers.get("content-type", "").startswith("text/html")
        other.goto(f"{live_server.url}/secretaries/")
        expect(other.locator("main table tbody")).not_to_contain_text("Nguyễn Văn Tèo")
        expect(other.locator("main table tbody")).to_contain_text("Lê Thị Hồng Nhung")
    finally:
        context.close()


def test_officer_replaces_a_secretary_only_after_confirming(page, live_server, tieu_can_officer, world):
    branch, old = world["tieu_can"], world["tieu_can_person"]
    login(page, live_server, tieu_can_officer.username, PASSWORD)

    page.goto(f"{live_server.url}/secretaries/new/?branch={branch.pk}")
    expect(page.locator("select[name=branch] + .ts-wrapper .ts-control")).to_contain_text("Ấp Cây Gòn")
    page.fill("input[name=started_on]", "01/09/2025")
    page.fill("input[name=full_name]", "Trần Thị Mai")
    page.select_option("select[name=gender]", "nu")
    page.fill("input[name=date_of_birth]", "03/02/2000")
    submit(page)

    # Refused, naming who holds the post and what ticking the box will do.
    expect(page.locator("main")).to_contain_text(
        "Ấp Cây Gòn đang có bí thư là Nguyễn Văn Tèo (từ 26/03/2022)"
    )
    expect(page.locator("main")).to_contain_text("vào ngày 31/08/2025")
    confirm = page.locator("input[name=confirm_replace]")
    expect(confirm).to_have_class(re.compile(r"\bis-invalid\b"))
    assert not Person.objects.filter(full_name="Trần Thị Mai").exists()
    # What was typed is kept, the branch included.
    expect(page.locator("input[name=full_name]")).to_have_value("Trần Thị Mai")
    expect(page.locator("select[name=branch]")).to_have_value(str(branch.pk))

    confirm.check()
    submit(page)
    new = Person.objects.get(full_name="Trần Thị Mai")
    expect(page).to_have_url(f"{live_server.url}/secretaries/{new.pk}/")
    expect(page.locator(".alert-success")).to_contain_text("Trần Thị Mai")

    # The branch's own page lists both terms: the old one closed the day before the new one starts.
    page.goto(f"{live_server.url}/branches/{branch.pk}/")
    terms = page.locator("main table tbody tr")
    expect(terms.filter(has_text="Trần Thị Mai")).to_contain_text("01/09/2025")
    expect(terms.filter(has_text="Nguyễn Văn Tèo")).to_contain_text("26/03/2022")
    expect(terms.filter(has_text="Nguyễn Văn Tèo")).to_contain_text("31/08/2025")
    assert old.terms.get().ended_on.isoformat() == "2025-08-31"


def test_former_secretary_page_shows_the_term_ended(page, live_server, tieu_can_officer, world):
    person = world["tieu_can_person"]
    login(page, live_server, tieu_can_officer.username, PASSWORD)
    page.goto(f"{live_server.url}/secretaries/{person.pk}/")
    term = page.locator("main .list-group-item", has_text="Ấp Cây Gòn")
    with page.expect_navigation():
        term.get_by_role("link", name="Kết thúc nhiệm kỳ").click()
    page.fill("input[name=ended_on]", "31/08/2025")
    page.fill("input[name=reason]", "Chuyển công tác")
    submit(page)

    expect(page).to_have_url(f"{live_server.url}/secretaries/{person.pk}/")
    expect(page.locator(".alert-success")).to_contain_text("Nguyễn Văn Tèo")
    expect(page.locator("main .badge", has_text="Đã thôi đảm nhiệm")).to_be_visible()
    expect(term).to_contain_text("26/03/2022 – 31/08/2025")
    expect(term).to_contain_text("Chuyển công tác")
    expect(term.get_by_role("link", name="Kết thúc nhiệm kỳ")).to_have_count(0)
