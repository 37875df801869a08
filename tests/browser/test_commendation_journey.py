"""A commendation campaign from opening to published decision in a real browser, with the two roles: the
Tiểu Cần officer nominates two secretaries from the ranked list; provincial staff approve one and reject the
other with a reason, close nominations, publish the decision; the published list shows the commended secretary
and her certificate opens as a PDF in Vietnamese."""

import datetime
import io
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessments.services import assessment_save, assessment_submit, framework_criteria
from awards.models import Campaign, Commendation, Nomination
from tests.browser.conftest import login
from tests.conftest import PASSWORD, framework_2026
from tests.factories import BranchFactory, UserFactory, person_with_term

pytestmark = pytest.mark.browser

BEST, SECOND, THIRD = "Thạch Thị Sa Rươne", "Nguyễn Văn Đức", "Lê Văn Ba"
REASON = "Chưa có mô hình thanh niên tiêu biểu trong năm."


@pytest.fixture
def campaign_world(tra_vinh, hieu_tu, tieu_can_officer, tra_vinh_staff):
    """An open campaign of Trà Vinh this year and three Hiếu Tử secretaries assessed in its year."""
    framework = framework_2026()
    assessor = UserFactory(username="danhgia.hieutu", role="district_officer", district=hieu_tu.district)
    people = {}
    for name, value in ((SECOND, 4), (BEST, 5), (THIRD, 3)):
        person = person_with_term(branch=BranchFactory(commune=hieu_tu), full_name=name, gender="nu")
        assessment = assessment_save(
            person=person,
            framework=framework,
            assessor=assessor,
            values={c.pk: value for c in framework_criteria(framework)},
        )
        assessment_submit(assessment=assessment)
        people[name] = person
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        province=tra_vinh,
        year=framework.year,
        title=f"Tuyên dương Bí thư Chi đoàn tiêu biểu năm {framework.year}",
        opens_on=today - datetime.timedelta(days=3),
        closes_on=today + datetime.timedelta(days=10),
        default_quota=3,
        status=Campaign.Status.OPEN,
    )
    return {"campaign": campaign, **people}


def submit(page, button: str) -> None:
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name=button, exact=True).click()


def nominate(page, name: str, summary: str) -> None:
    page.locator("#candidates tr", has_text=name).get_by_role("link", name="Đề nghị").click()
    expect(page.locator("select[name=person] option:checked")).to_have_text(re.compile(name))
    page.fill("textarea[name=summary]", summary)
    page.fill("textarea[name=report]", f"Báo cáo thành tích của {name}.")
    submit(page, "Lưu và gửi")
    expect(page.locator(".alert-success")).to_contain_text(name)


def test_a_campaign_runs_from_nominations_to_certificate(
    browser, page, live_server, campaign_world, tieu_can_officer, tra_vinh_staff
):
    campaign = campaign_world["campaign"]

    # The officer's first screen says a campaign is open; its page leads to the ranked secretaries.
    login(page, live_server, tieu_can_officer.username, PASSWORD)
    panel = page.locator("main").get_by_text(campaign.title).first
    expect(panel).to_be_visible()
    page.goto(f"{live_server.url}/awards/{campaign.pk}/")
    page.locator("main").get_by_role("link", name="Đề nghị tuyên dương bí thư").first.click()
    ranked = page.locator("#candidates tbody tr td:nth-child(2) a")
    expect(ranked).to_have_text([BEST, SECOND, THIRD])  # by the 2026 score: 5, 4, 3

    nominate(page, BEST, "Duy trì sinh hoạt chi đoàn hằng tháng; mô hình “Thắp sáng đường quê”.")
    page.goto(f"{live_server.url}/awards/{campaign.pk}/nominate/")
    nominate(page, SECOND, "Vận động 20 thanh niên tham gia tổ hợp tác.")
    assert set(Nomination.objects.values_list("status", flat=True)) == {Nomination.Status.SUBMITTED}
    page.goto(f"{live_server.url}/awards/{campaign.pk}/")
    expect(page.locator("main")).to_contain_text("Đã dùng 2/3 chỉ tiêu, còn 1.")

    # Provincial staff decide in the review page: approve one, reject the other with a reason.
    page.context.clear_cookies()
    login(page, live_server, tra_vinh_staff.username, PASSWORD)
    page.goto(f"{live_server.url}/awards/{campaign.pk}/review/")
    # "Tick all" ticks every row for a bulk decision, and unticks them again.
    boxes = page.locator("input[name=nomination]")
    page.locator("[data-check-all]").check()
    expect(boxes.nth(0)).to_be_checked()
    expect(boxes.nth(1)).to_be_checked()
    page.locator("[data-check-all]").uncheck()
    expect(boxes.nth(0)).not_to_be_checked()
    best_row = page.locator("tbody tr", has_text=BEST)
    with page.expect_navigation():
        best_row.get_by_role("button", name="Duyệt").click()
    expect(page.locator(".alert-success")).to_contain_text(BEST)
    page.locator("tbody tr", has_text=SECOND).get_by_role("link", name="Không duyệt").click()
    submit(page, "Không duyệt")  # without a reason: refused, nothing changed
    expect(page.locator(".invalid-feedback, .errorlist, .alert-danger").first).to_be_visible()
    assert Nomination.objects.get(person=campaign_world[SECOND]).status == Nomination.Status.SUBMITTED
    page.fill("textarea[name=reason]", REASON)
    submit(page, "Không duyệt")
    expect(page).to_have_url(re.compile(rf"/awards/{campaign.pk}/review/"))
    expect(page.locator("tbody tr", has_text=SECOND)).to_contain_text(REASON)

    # Close nominations (after confirming), then publish the decision.
    page.goto(f"{live_server.url}/awards/{campaign.pk}/")
    page.get_by_role("button", name="Kết thúc nhận đề nghị và bắt đầu xét duyệt").click()
    modal = page.locator("#confirm-close")
    expect(modal).to_be_visible()
    with page.expect_navigation():
        modal.get_by_role("button", name="Kết thúc nhận đề nghị").click()
    expect(page.locator("main")).to_contain_text("Đang xét duyệt")
    page.get_by_role("link", name="Công bố quyết định").click()
    page.fill("input[name=decision_number]", "15-QĐ/TĐTN")
    page.fill("input[name=decision_date]", timezone.localdate().strftime("%d/%m/%Y"))
    submit(page, "Kiểm tra và tiếp tục")  # the confirmation page: the list, the decision, a preview
    submit(page, "Công bố quyết định")
    expect(page).to_have_url(re.compile(rf"/awards/{campaign.pk}/commendations/"))
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DECIDED
    commendation = Commendation.objects.get()
    assert commendation.person == campaign_world[BEST]

    # The published list shows her (not the rejected one); her certificate opens, in Vietnamese.
    main = page.locator("main")
    expect(main).to_contain_text("15-QĐ/TĐTN")
    expect(main).to_contain_text(BEST)
    expect(main).not_to_contain_text(SECOND)
    main.get_by_role("link", name=BEST).first.click()
    certificate = page.locator("main").get_by_role("link", name=re.compile("Giấy chứng nhận"))
    href = certificate.first.get_attribute("href")
    response = page.request.get(f"{live_server.url}{href}")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(response.body()))
    text = reader.pages[0].extract_text()
    assert "GIẤY CHỨNG NHẬN" in text and BEST in text
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert width > height  # landscape

    # The officer, after publication, sees the published list of the province.
    page.context.clear_cookies()
    login(page, live_server, tieu_can_officer.username, PASSWORD)
    page.goto(f"{live_server.url}/awards/{campaign.pk}/commendations/")
    expect(page.locator("main")).to_contain_text(BEST)
