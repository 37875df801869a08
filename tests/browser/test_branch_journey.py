"""The main flow of a district officer, in a real browser: log in, add a branch, find it, stay in scope."""

import re

import pytest
from playwright.sync_api import expect

from branches.models import Branch
from tests.browser.conftest import login
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

# The deepest elements that stick out past the viewport (ignoring those inside a scrolling box such as
# .table-responsive, which scroll on their own): names the culprit when a page overflows on a phone.
OVERFLOWING_ELEMENTS_JS = """
() => {
  const width = document.documentElement.clientWidth;
  const clipped = (el) => {
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== "visible") return true;
    }
    return false;
  };
  const classes = (el) => (typeof el.className === "string" ? el.className.trim().split(/\\s+/) : [])
    .filter(Boolean).map((name) => "." + name).join("");
  const describe = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + classes(el);
  return [...document.body.querySelectorAll("*")]
    .filter((el) => el.getBoundingClientRect().right > width + 1 && !clipped(el))
    .filter((el) => ![...el.children].some((child) => child.getBoundingClientRect().right > width + 1))
    .slice(0, 10)
    .map((el) => describe(el) + " right=" + Math.round(el.getBoundingClientRect().right));
}
"""


def test_district_officer_adds_a_branch_and_finds_it(
    page, live_server, tieu_can_officer, hieu_tu, tieu_can_branch, cang_long_branch
):
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()
    login(page, live_server, tieu_can_officer.username, PASSWORD)

    page.goto(f"{live_server.url}/branches/new/")
    # The commune is a Tom Select that asks the server as one types, diacritics optional. The option is
    # chosen from the answer to what was typed: an answer still on its way when the choice is made (the one
    # asked on focus) would open the list again and keep the typing that follows (the name) for itself.
    page.locator("select[name=commune] + .ts-wrapper .ts-control").click()
    with page.expect_response(lambda r: "/autocomplete/communes/" in r.url and "q=hieu+tu" in r.url):
        page.keyboard.type("hieu tu")
    page.locator(".ts-dropdown .option", has_text="Xã Hiếu Tử").click()
    expect(page.locator("select[name=commune]")).to_have_value(str(hieu_tu.pk))
    page.fill("input[name=name]", "Ấp Tân Thành")
    page.select_option("select[name=kind]", Branch.Kind.HAMLET)
    page.fill("input[name=member_count]", "25")
    page.fill("input[name=founded_on]", "26/03/2024")
    expect(page.locator("input[name=name]")).to_have_value("Ấp Tân Thành")
    with page.expect_navigation():
        page.locator("main form [type=submit]").click()

    branch = Branch.objects.get(name="Ấp Tân Thành")
    assert branch.commune == hieu_tu
    expect(page).to_have_url(f"{live_server.url}/branches/{branch.pk}/")
    expect(page.locator(".alert-success")).to_contain_text("Ấp Tân Thành")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ấp Tân Thành")

    page.goto(f"{live_server.url}/branches/")
    page.locator("#branch-filter input[name=q]").fill("ap tan thanh")
    with page.expect_navigation():
        page.locator("#branch-filter button[type=submit]").click()
    results = page.locator("main table tbody")
    expect(results.get_by_role("link", name="Ấp Tân Thành")).to_be_visible()
    expect(results.get_by_role("link", name="Ấp Cây Gòn")).to_have_count(0)

    # Another district's branch, reached by its address: not found, and nothing of it shown.
    response = page.goto(f"{live_server.url}/branches/{cang_long_branch.pk}/")
    assert response is not None
    assert response.status == 404
    expect(page.locator("main")).not_to_contain_text("Ấp Đại Đức")


def test_branch_list_fits_a_phone(phone_page, live_server, tieu_can_officer, tieu_can_branch):
    page = phone_page
    login(page, live_server, tieu_can_officer.username, PASSWORD)
    page.goto(f"{live_server.url}/branches/")

    width = page.evaluate("document.documentElement.scrollWidth")
    overflowing = page.evaluate(OVERFLOWING_ELEMENTS_JS)
    assert width <= 360 + 2, f"the page is {width}px wide on a 360px phone; too wide: {overflowing}"
    # The table fits its box, the member counts in view: its sortable headings wrap, without the arrow of a
    # column not sorted by ("Đoàn viên ⇅" on one line pushed the counts out of the box, QA3 m1).
    sideways = page.evaluate(
        "() => { const box = document.querySelector('main .table-responsive');"
        " return box.scrollWidth - box.clientWidth; }"
    )
    assert sideways <= 1, f"the branch table scrolls {sideways}px sideways on a 360px phone"

    # Usable, not only narrow: the folded search opens, works, and the branch can be opened by touch.
    search = page.locator("#branch-filter input[name=q]")
    expect(search).to_be_hidden()
    page.locator("[aria-controls=branch-filter]").tap()
    expect(search).to_be_visible()
    search.fill("cay gon")
    with page.expect_navigation():
        page.locator("#branch-filter button[type=submit]").tap()
    link = page.locator("main table tbody").get_by_role("link", name="Ấp Cây Gòn")
    expect(link).to_be_visible()
    with page.expect_navigation():
        link.tap()
    expect(page).to_have_url(re.compile(rf"/branches/{tieu_can_branch.pk}/$"))
