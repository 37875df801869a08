"""Branches across the reform, in a real browser: Vĩnh Long's provincial staff settle the branches of a split
commune in bulk; a commune officer merges two hamlet branches and finds the lineage on both pages."""

import datetime

import pytest
from playwright.sync_api import expect

from accounts.models import User
from branches.models import Branch, BranchAttachment
from tests.branches import reform_world
from tests.browser.conftest import login
from tests.browser.test_branch_journey import OVERFLOWING_ELEMENTS_JS
from tests.conftest import PASSWORD
from tests.factories import BranchFactory, UserFactory, person_with_term

pytestmark = pytest.mark.browser


@pytest.fixture
def w(db):
    world = reform_world.build()
    world["vinh_long"] = UserFactory(
        username="tinhdoan.vinhlong", role=User.Role.PROVINCIAL_STAFF, province=world["province"]
    )
    world["tap_ngai"] = UserFactory(
        username="doanxa.tapngai", role=User.Role.COMMUNE_OFFICER, commune=world["one"]
    )
    world["x"] = BranchFactory(commune=world["one"], name="Ấp Bến Có", member_count=31)
    world["y"] = BranchFactory(commune=world["one"], name="Ấp Phú Thọ", member_count=25)
    person_with_term(branch=world["y"], full_name="Nguyễn Minh Phong", started_on=datetime.date(2023, 12, 8))
    return world


def test_provincial_staff_settle_waiting_branches_in_bulk(page, live_server, w):
    login(page, live_server, "tinhdoan.vinhlong", PASSWORD)
    # The first screen says how many wait, and leads to the list.
    expect(page.locator("[data-stat=waiting]")).to_have_text("3")
    with page.expect_navigation():
        page.locator("[data-home-waiting]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Chi đoàn chờ xác định xã mới")
    expect(page.locator("[data-result-count]")).to_have_attribute("data-result-count", "3")

    first, second, third = w["waiting"]
    # Two ticked, one commune for both; the third chosen on its own row.
    page.check(f"input[name=branch][value='{first.pk}']")
    page.check(f"input[name=branch][value='{second.pk}']")
    page.select_option("select[name=bulk_commune]", str(w["two"].pk))
    page.select_option(f"select[name=commune_{third.pk}]", str(w["one"].pk))
    with page.expect_navigation():
        page.get_by_role("button", name="Xem lại và xác nhận").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Gắn các chi đoàn này vào xã mới?")
    assert not BranchAttachment.objects.filter(branch__in=w["waiting"]).exists()
    with page.expect_navigation():
        page.locator("main form").get_by_role("button", name="Xác nhận").click()

    expect(page.locator(".alert-success")).to_contain_text("3 chi đoàn đã được gắn vào xã mới từ 01/07/2025")
    expect(page.locator("[data-waiting-empty]")).to_contain_text("Không còn chi đoàn nào chờ xác định xã mới")
    assert Branch.objects.get(pk=first.pk).commune == w["two"]
    assert Branch.objects.get(pk=third.pk).commune == w["one"]


def test_commune_officer_merges_two_branches(page, live_server, w):
    login(page, live_server, "doanxa.tapngai", PASSWORD)
    page.goto(f"{live_server.url}{w['x'].get_absolute_url()}")
    # Today's world: Tỉnh › Xã › Chi đoàn, no district.
    expect(page.locator(".breadcrumb")).to_contain_text("Tỉnh Mới")
    expect(page.locator(".breadcrumb")).not_to_contain_text("Huyện")
    with page.expect_navigation():
        page.get_by_role("link", name="Hợp nhất").click()
    page.get_by_label("Ấp Phú Thọ (25)").check()
    page.fill("input[name=on]", "01/04/2026")
    page.select_option("select[name=survivor]", str(w["x"].pk))
    page.select_option("select[name=secretary_from]", str(w["y"].pk))
    with page.expect_navigation():
        page.locator("main form [type=submit]").first.click()
    preview = page.locator("[data-merge-preview]")
    expect(preview).to_contain_text("“Ấp Bến Có” tiếp tục, với 56 đoàn viên.")
    expect(preview).to_contain_text("Nguyễn Minh Phong là bí thư chi đoàn sau hợp nhất.")
    assert Branch.objects.get(pk=w["y"].pk).ended_on is None
    with page.expect_navigation():
        page.locator("main form [type=submit]").first.click()

    expect(page.locator(".alert-success")).to_contain_text("Ấp Bến Có")
    expect(page.locator(".lineage-took-in")).to_contain_text("Ấp Phú Thọ")
    page.locator(".lineage-took-in").get_by_role("link", name="Ấp Phú Thọ").click()
    expect(page.locator(".lineage-merged-into")).to_contain_text("Ấp Bến Có")
    expect(page.get_by_text("Chấm dứt ngày 31/03/2026")).to_be_visible()
    assert Branch.objects.get(pk=w["y"].pk).ended_on == datetime.date(2026, 3, 31)


def test_work_list_and_merge_form_fit_a_phone(phone_page, live_server, w):
    page = phone_page
    login(page, live_server, "tinhdoan.vinhlong", PASSWORD)
    for url in ("/branches/waiting/", f"/secretaries/branches/{w['x'].pk}/merge/", "/branches/"):
        page.goto(f"{live_server.url}{url}")
        assert page.evaluate(OVERFLOWING_ELEMENTS_JS) == [], url
