"""This year's campaign of a 2025-world province in a real browser: Tỉnh đoàn Vĩnh Long sets Xã Tập Ngãi's
quota on the quota page; the Tập Ngãi officer nominates within it (a third submission is refused, the draft
kept); staff approve and publish with a decision number and date; the published list and the certificate
name 2026's units ("Tỉnh đoàn Vĩnh Long", "xã Tập Ngãi"), while Trà Vinh's 2020 list, read by the same staff,
still names Trà Vinh, Huyện Tiểu Cần and Xã Hiếu Tử although its branch now belongs to Xã Tập Ngãi."""

import datetime
import io
import re
import unicodedata

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from accounts.models import User
from awards.models import Campaign, Commendation, Nomination, Quota
from branches.divisions import REFORM_DAY
from branches.models import CommuneSuccession, ProvinceSuccession
from branches.services import branches_reattach
from tests.browser.conftest import login
from tests.conftest import PASSWORD
from tests.factories import (
    BranchFactory,
    CommuneFactory,
    DistrictFactory,
    ProvinceFactory,
    UserFactory,
    person_with_term,
)

pytestmark = pytest.mark.browser

LAST_DAY = REFORM_DAY - datetime.timedelta(days=1)
OLD_NAME = "Trần Văn Hiếu"
FIRST, SECOND, THIRD = "Kim Thị Sa Ry", "Lý Văn Tâm", "Ngô Thị Út"
DECISION = "27-QĐ/TĐTN"


@pytest.fixture
def reform_world():
    tra_vinh = ProvinceFactory(code="84", name="Tỉnh Trà Vinh", ended_on=LAST_DAY)
    tieu_can = DistrictFactory(code="846", name="Huyện Tiểu Cần", province=tra_vinh, ended_on=LAST_DAY)
    hieu_tu = CommuneFactory(code="29350", name="Xã Hiếu Tử", district=tieu_can, ended_on=LAST_DAY)
    vinh_long = ProvinceFactory(code="86", name="Tỉnh Vĩnh Long", began_on=REFORM_DAY)
    ProvinceSuccession.objects.create(predecessor=tra_vinh, successor=vinh_long, on=REFORM_DAY)
    tap_ngai = CommuneFactory(
        code="29365", name="Xã Tập Ngãi", province=vinh_long, district=None, began_on=REFORM_DAY
    )
    CommuneFactory(code="29362", name="Xã Hùng Hòa", province=vinh_long, district=None, began_on=REFORM_DAY)
    CommuneSuccession.objects.create(predecessor=hieu_tu, successor=tap_ngai, on=REFORM_DAY)
    # Trà Vinh's 2020 decision, with the units of its time.
    old_branch = BranchFactory(commune=hieu_tu, name="Ấp Cây Gòn")
    old = person_with_term(branch=old_branch, full_name=OLD_NAME, started_on=datetime.date(2019, 1, 5))
    decided = Campaign.objects.create(
        province=tra_vinh,
        year=2020,
        title="Tuyên dương Bí thư Chi đoàn tiêu biểu năm 2020",
        opens_on=datetime.date(2020, 9, 1),
        closes_on=datetime.date(2020, 10, 15),
        status=Campaign.Status.DECIDED,
        decision_number="125-QĐ/TĐTN",
        decision_date=datetime.date(2020, 11, 20),
    )
    nomination = Nomination.objects.create(
        campaign=decided,
        person=old,
        branch=old_branch,
        district=tieu_can,
        province=tra_vinh,
        summary="Chi đoàn vững mạnh năm 2020.",
        report="Báo cáo.",
        status=Nomination.Status.APPROVED,
    )
    Commendation.objects.create(
        nomination=nomination,
        campaign=decided,
        person=old,
        branch=old_branch,
        district=tieu_can,
        province=tra_vinh,
        year=2020,
    )
    branches_reattach(on=REFORM_DAY)
    # Today's secretaries of Tập Ngãi, in branches founded since the reform.
    for name, branch in ((FIRST, "Ấp Bến Có"), (SECOND, "Ấp Cầu Tre"), (THIRD, "Ấp Rạch Lọp")):
        person_with_term(branch=BranchFactory(commune=tap_ngai, name=branch), full_name=name, gender="nu")
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        province=vinh_long,
        year=today.year,
        title=f"Tuyên dương Bí thư Chi đoàn tiêu biểu năm {today.year}",
        opens_on=today - datetime.timedelta(days=5),
        closes_on=today + datetime.timedelta(days=15),
        default_quota=3,
        status=Campaign.Status.OPEN,
    )
    return {
        "campaign": campaign,
        "decided": decided,
        "tap_ngai": tap_ngai,
        "officer": UserFactory(username="doanxa.tapngai", role=User.Role.COMMUNE_OFFICER, commune=tap_ngai),
        "staff": UserFactory(
            username="tinhdoan.vinhlong", role=User.Role.PROVINCIAL_STAFF, province=vinh_long
        ),
    }


def submit(page, button: str) -> None:
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name=button, exact=True).click()


def nominate(page, name: str, button: str = "Lưu và gửi") -> None:
    page.locator("#candidates tr", has_text=name).get_by_role("link", name="Đề nghị").click()
    expect(page.locator("select[name=person] option:checked")).to_have_text(re.compile(name))
    page.fill("textarea[name=summary]", f"{name}: duy trì sinh hoạt chi đoàn hằng tháng.")
    page.fill("textarea[name=report]", f"Báo cáo thành tích của {name}.")
    submit(page, button)


def pdf_text(page, live_server, href: str) -> str:
    response = page.request.get(f"{live_server.url}{href}")
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.body())).pages[0].extract_text()
    return unicodedata.normalize("NFC", text)


def test_a_commune_nominates_within_its_quota_and_the_units_of_each_year_are_named(
    browser, page, live_server, reform_world
):
    w = reform_world
    campaign = w["campaign"]
    base = f"{live_server.url}/awards/{campaign.pk}"

    # Staff set Tập Ngãi's quota on the quota page: found without diacritics.
    login(page, live_server, "tinhdoan.vinhlong", PASSWORD)
    page.goto(f"{base}/")
    expect(page.locator("main")).to_contain_text("Chỉ tiêu mỗi xã")
    page.get_by_role("link", name="Đặt chỉ tiêu từng đơn vị").first.click()
    page.fill("input[name=q]", "tap ngai")
    with page.expect_navigation():
        page.get_by_role("button", name="Tìm kiếm").click()
    row = page.locator("tr[data-unit]")
    expect(row).to_have_count(1)
    row.locator("input").fill("2")
    submit(page, "Lưu chỉ tiêu trên trang")
    expect(page.locator(".alert-success")).to_be_visible()
    assert Quota.objects.get(campaign=campaign).quota == 2

    # The commune officer: the first screen says the campaign is open; two nominations go in, the third
    # is kept as a draft with the quota's refusal.
    page.context.clear_cookies()
    login(page, live_server, "doanxa.tapngai", PASSWORD)
    expect(page.locator("main").get_by_text(campaign.title).first).to_be_visible()
    page.goto(f"{base}/nominate/")
    expect(page.locator("#quota-use")).to_contain_text("Chỉ tiêu của Xã Tập Ngãi")
    expect(page.locator("#quota-use")).to_contain_text("còn 2")
    for name in (FIRST, SECOND):
        nominate(page, name)
        expect(page.locator(".alert-success")).to_contain_text(name)
        page.goto(f"{base}/nominate/")
    expect(page.locator("#quota-use")).to_contain_text("còn 0")
    # No place left: the page says so and offers a draft, not a "Lưu và gửi" refused afterwards.
    expect(page.locator("[data-quota-full]")).to_contain_text("Đã hết chỉ tiêu")
    nominate(page, THIRD, button="Lưu")
    expect(page.locator(".alert-success")).to_contain_text(THIRD)
    third = Nomination.objects.get(person__full_name=THIRD)
    assert third.is_draft and third.commune == w["tap_ngai"] and third.district is None

    # Staff approve the two, close nominations and publish the decision.
    page.context.clear_cookies()
    login(page, live_server, "tinhdoan.vinhlong", PASSWORD)
    page.goto(f"{base}/review/")
    expect(page.locator(".review-table thead")).to_contain_text("Xã")
    # The commune is typed among the province's, and a name found without its marks (QA: a select of 124).
    page.fill("#review-filter input[name=q]", "ly van tam")
    commune = page.locator("select[name=commune] + .ts-wrapper .ts-control")
    height = commune.bounding_box()["height"]
    commune.click()
    with page.expect_response(lambda r: "/autocomplete/communes/" in r.url and "q=tap+ngai" in r.url):
        page.keyboard.type("tap ngai")
    page.locator(".ts-dropdown .option", has_text="Xã Tập Ngãi").click()
    # Still focused, the box keeps its height: it grew a line and shrank on the press outside it, "Lọc" moved
    # up under the mouse and the first click was lost (QA).
    assert commune.bounding_box()["height"] == height
    with page.expect_navigation():
        page.locator("#review-filter").get_by_role("button", name="Lọc").click()
    expect(page.locator(".review-table tbody tr")).to_have_count(1)
    expect(page.locator(".review-table tbody")).to_contain_text(SECOND)
    page.goto(f"{base}/review/")
    for name in (FIRST, SECOND):
        with page.expect_navigation():
            page.locator("tbody tr", has_text=name).get_by_role("button", name="Duyệt").click()
        expect(page.locator(".alert-success")).to_contain_text(name)
    page.goto(f"{base}/")
    page.get_by_role("button", name="Kết thúc nhận đề nghị và bắt đầu xét duyệt").click()
    with page.expect_navigation():
        page.locator("#confirm-close").get_by_role("button", name="Kết thúc nhận đề nghị").click()
    page.get_by_role("link", name="Công bố quyết định").click()
    page.fill("input[name=decision_number]", DECISION)
    page.fill("input[name=decision_date]", timezone.localdate().strftime("%d/%m/%Y"))
    submit(page, "Kiểm tra và tiếp tục")  # the confirmation page: the list, the decision, a preview
    submit(page, "Công bố quyết định")
    expect(page).to_have_url(re.compile(rf"/awards/{campaign.pk}/commendations/"))

    # This year's list and certificate name this year's units: the commune, no district.
    main = page.locator("main")
    expect(main).to_contain_text(DECISION)
    expect(main.locator("section[data-unit] h2")).to_have_text([re.compile("Xã Tập Ngãi")])
    expect(main).to_contain_text("Bí thư Chi đoàn ấp Bến Có, xã Tập Ngãi")  # as the certificate
    expect(main).not_to_contain_text("Huyện")
    commendation = Commendation.objects.get(person__full_name=FIRST)
    assert (commendation.commune, commendation.district) == (w["tap_ngai"], None)
    text = pdf_text(page, live_server, reverse("awards:commendation_certificate", args=[commendation.pk]))
    assert "BAN THƯỜNG VỤ TỈNH ĐOÀN VĨNH LONG" in text
    assert "Bí thư Chi đoàn ấp Bến Có, xã Tập Ngãi" in text and "huyện" not in text

    # Trà Vinh's 2020 list, read by today's staff: the units of 2020, though the branch is Tập Ngãi's now.
    page.goto(f"{live_server.url}/awards/{w['decided'].pk}/commendations/")
    expect(main.locator("section[data-unit] h2")).to_have_text([re.compile("Huyện Tiểu Cần")])
    expect(main).to_contain_text("Bí thư Chi đoàn ấp Cây Gòn, xã Hiếu Tử, huyện Tiểu Cần")
    expect(main).not_to_contain_text("Tập Ngãi")
    old = Commendation.objects.get(campaign=w["decided"])
    text = pdf_text(page, live_server, reverse("awards:commendation_certificate", args=[old.pk]))
    assert "BAN THƯỜNG VỤ TỈNH ĐOÀN TRÀ VINH" in text
    assert "Bí thư Chi đoàn ấp Cây Gòn, xã Hiếu Tử, huyện Tiểu Cần" in text
