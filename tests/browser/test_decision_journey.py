"""The commendation decision in a real browser (issue 14): Tỉnh đoàn Trà Vinh's staff publish this year's
decision, first with a date before nominations closed (refused next to the field), then through the
confirmation page with the list, the decision line and a certificate preview; correct the 2020 decision by a
recorded correction, after which its certificates carry the corrected line; and tick every row of the review
page and approve, which leaves a rejected nomination rejected with its reason."""

import io
import re
import unicodedata

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from awards import services
from awards.models import Campaign, Commendation, DecisionCorrection, Nomination
from tests.browser.conftest import login, screenshot
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

REASON = "Chưa có minh chứng về mô hình thanh niên."


def pdf_text(page, url: str) -> tuple[int, str]:
    response = page.request.get(url)
    assert response.ok and response.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.body()))
    return len(reader.pages), unicodedata.normalize("NFC", "\n".join(p.extract_text() for p in reader.pages))


def submit(page, button: str) -> None:
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name=button, exact=True).click()


def test_publishing_refuses_a_bad_date_then_confirms(page, live_server, world, tra_vinh_staff):
    campaign = services.campaign_close(campaign=world["campaign"], user=tra_vinh_staff)
    services.nomination_approve(nomination=world["tieu_can_nomination"], reviewer=tra_vinh_staff)
    services.nomination_reject(
        nomination=world["cang_long_nomination"], reviewer=tra_vinh_staff, reason=REASON
    )
    today = timezone.localdate().strftime("%d/%m/%Y")

    login(page, live_server, tra_vinh_staff.username, PASSWORD)
    page.goto(f"{live_server.url}/awards/{campaign.pk}/")
    page.locator("main").get_by_role("link", name="Công bố quyết định").click()
    page.fill("input[name=decision_number]", "30-QĐ/TĐTN")
    page.fill("input[name=decision_date]", "01/01/2020")
    submit(page, "Kiểm tra và tiếp tục")
    # Refused next to the date, in Vietnamese; nothing published.
    error = page.locator("#id_decision_date").locator("xpath=..").locator(".invalid-feedback")
    expect(error).to_contain_text("Ngày quyết định không được trước ngày kết thúc nhận đề nghị")
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.REVIEW

    page.fill("input[name=decision_date]", today)
    page.fill("input[name=decision_signer]", "Lê Văn Ký")
    submit(page, "Kiểm tra và tiếp tục")
    # The confirmation: the decision line, the list (the approved one only), a certificate preview.
    main = page.locator("main")
    expect(main.locator("#decision-line")).to_contain_text(f"Quyết định số 30-QĐ/TĐTN ngày {today}")
    expect(main.locator("#publish-list")).to_contain_text("Nguyễn Văn Tèo")
    expect(main.locator("#publish-list")).not_to_contain_text(world["cang_long_person"].full_name)
    preview = main.locator("#certificate-preview").get_attribute("href")
    pages, text = pdf_text(page, f"{live_server.url}{preview}")
    assert pages == 1 and f"Quyết định số 30-QĐ/TĐTN ngày {today}" in text and "Lê Văn Ký" in text
    assert not Commendation.objects.filter(campaign=campaign).exists()
    screenshot(page, "decision_confirmation")

    submit(page, "Công bố quyết định")
    expect(page).to_have_url(re.compile(rf"/awards/{campaign.pk}/commendations/"))
    campaign.refresh_from_db()
    assert (campaign.status, campaign.decision_number) == (Campaign.Status.DECIDED, "30-QĐ/TĐTN")
    assert Commendation.objects.get(campaign=campaign).person == world["tieu_can_person"]


def test_a_correction_reissues_the_certificates(page, live_server, world, tra_vinh_staff):
    campaign = world["decided_campaign"]  # 125/QĐ-TĐTN of 20/11/2020
    certificate = (
        f"{live_server.url}/awards/commendations/{world['tieu_can_commendation'].pk}/certificate.pdf"
    )

    login(page, live_server, tra_vinh_staff.username, PASSWORD)
    page.goto(f"{live_server.url}/awards/{campaign.pk}/")
    page.locator("main").get_by_role("link", name="Đính chính quyết định").click()
    page.fill("input[name=decision_date]", "25/11/2020")
    submit(page, "Ghi nhận đính chính và cấp lại giấy chứng nhận")  # without a reason: refused
    expect(page.locator("#id_reason").locator("xpath=..").locator(".invalid-feedback")).to_be_visible()
    assert not DecisionCorrection.objects.exists()
    page.fill("textarea[name=reason]", "Ghi nhầm ngày ký quyết định.")
    submit(page, "Ghi nhận đính chính và cấp lại giấy chứng nhận")

    # The campaign's page shows what changed, why and by whom.
    corrections = page.locator("#decision-corrections")
    expect(corrections).to_contain_text("20/11/2020")
    expect(corrections).to_contain_text("25/11/2020")
    expect(corrections).to_contain_text("Ghi nhầm ngày ký quyết định.")
    # Every certificate reads the corrected decision and says it was reissued; all of them in one PDF.
    _pages, text = pdf_text(page, certificate)
    today = timezone.localdate().strftime("%d/%m/%Y")
    assert "Quyết định số 125/QĐ-TĐTN ngày 25/11/2020" in text
    assert f"Cấp lại theo đính chính ngày {today}" in text
    page.goto(f"{live_server.url}/awards/{campaign.pk}/commendations/")
    href = page.locator("main").get_by_role("link", name="In tất cả giấy chứng nhận").get_attribute("href")
    pages, text = pdf_text(page, f"{live_server.url}{href}")
    assert pages == 2 and text.count("ngày 25/11/2020") == 2


def test_bulk_approve_leaves_a_rejected_nomination_rejected(page, live_server, world, tra_vinh_staff):
    campaign = world["campaign"]
    rejected, waiting = world["tieu_can_nomination"], world["cang_long_nomination"]
    services.nomination_reject(nomination=rejected, reviewer=tra_vinh_staff, reason=REASON)

    login(page, live_server, tra_vinh_staff.username, PASSWORD)
    page.goto(f"{live_server.url}/awards/{campaign.pk}/review/")
    page.locator("[data-check-all]").check()
    submit(page, "Duyệt các đề nghị đã chọn")
    # Asked first, counting the ticked boxes of the table (the rejected one has none to tick).
    assert page.questions[-1:] == ["Duyệt 1 đề nghị đã chọn?"], page.questions
    expect(page.locator(".alert-success")).to_contain_text("1")
    expect(page.locator(".alert-warning, .alert-success").first).to_be_visible()
    rejected.refresh_from_db()
    waiting.refresh_from_db()
    assert (rejected.status, rejected.rejection_reason) == (Nomination.Status.REJECTED, REASON)
    assert waiting.status == Nomination.Status.APPROVED
    row = page.locator("tbody tr", has_text=rejected.person.full_name)
    expect(row).to_contain_text(REASON)

    # Changing it is its own step: a reason and a tick.
    row.get_by_role("link", name="Thay đổi kết quả").click()
    expect(page.locator("#current-reason")).to_contain_text(REASON)
    submit(page, "Chuyển sang duyệt")
    rejected.refresh_from_db()
    assert rejected.status == Nomination.Status.REJECTED
    page.fill("textarea[name=reason]", "Đơn vị đã bổ sung minh chứng.")
    page.locator("input[name=confirm]").check()
    submit(page, "Chuyển sang duyệt")
    rejected.refresh_from_db()
    assert rejected.status == Nomination.Status.APPROVED
