"""The secretary in the loop, end to end, in a real browser (the issue's "done when"): the district officer
invites a secretary with a printed code; the secretary (on a phone) activates the account, logs in, assesses
themselves from their own page (a framework in points out of 100 that asks for self-assessment), proposes a
phone correction and agrees to public showing; the officer's first screen counts the correction and the
self-assessment waiting; the officer accepts the correction and reviews the assessment with their own scores
beside the secretary's; provincial staff confirm (the rating follows the thresholds) and publish the
commendation decision naming this secretary; the public honour wall shows their portrait, and not the
portrait of the other person commended, who gave no consent.

One browser context per role, and the nominations/closing written through services, to keep it short."""

import os
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from playwright.sync_api import expect

from assessments.framework_services import framework_create_points
from assessments.models import Assessment, Rating
from assessments.services import framework_criteria
from awards.models import Commendation
from awards.services import campaign_close, nomination_approve
from secretaries.models import Person
from secretaries.portraits import image_process
from secretaries.services import person_update
from tests.browser.conftest import _page, login
from tests.conftest import PASSWORD, jpeg_bytes

pytestmark = pytest.mark.browser

# Screenshots of the key steps only when asked (JOURNEY_SHOTS=/some/dir): they cost time in the suite.
SHOTS = os.environ.get("JOURNEY_SHOTS", "")
USERNAME = "nguyenvanteo"
NEW_PASSWORD = "Cay-xoai-truoc-ngo-7"
NEW_PHONE = "0987 654 321"
DECISION = "31-QĐ/TĐTN"


def shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def submit(page, form="main form") -> None:
    # Scoped to <main>: the navbar's language switch is a submit button too.
    with page.expect_navigation():
        page.locator(f"{form} [type=submit]").first.click()


def click(page, locator) -> None:
    with page.expect_navigation():
        locator.click()


def test_invite_self_assess_correct_consent_review_confirm_publish_wall(
    request, browser, page, phone_page, live_server, world, tieu_can_officer, tra_vinh_staff
):
    person = world["tieu_can_person"]  # has a portrait
    other = world["cang_long_person"]  # commended too; a portrait but no consent
    person_update(
        person=other,
        portrait=image_process(SimpleUploadedFile("nhung.jpg", jpeg_bytes(), content_type="image/jpeg")),
    )
    framework = framework_create_points(
        year=timezone.localdate().year,
        province=person.province,
        name="Đánh giá, xếp loại Bí thư Chi đoàn (Quy định 366)",
        self_assessment=True,
    )
    criteria = framework_criteria(framework)
    officer, secretary = page, phone_page

    # 1. The officer invites from the person page, with a printed slip.
    login(officer, live_server, tieu_can_officer.username, PASSWORD)
    officer.goto(f"{live_server.url}{person.get_absolute_url()}")
    click(officer, officer.get_by_role("link", name="Mời mở tài khoản"))
    submit(officer)
    code = officer.locator("#invitation-slip [data-code]").inner_text().strip()
    assert len(code) == 14

    # 2. The secretary, on a phone, activates the account and logs in to their own page.
    secretary.goto(f"{live_server.url}/toi/kich-hoat/")
    secretary.fill("input[name=code]", code)
    submit(secretary)
    secretary.fill("input[name=username]", USERNAME)
    secretary.fill("input[name=password1]", NEW_PASSWORD)
    secretary.fill("input[name=password2]", NEW_PASSWORD)
    submit(secretary)
    expect(secretary.locator(".alert-success")).to_contain_text("Tài khoản của bạn đã sẵn sàng")
    login(secretary, live_server, USERNAME, NEW_PASSWORD)
    assert secretary.url.endswith("/toi/"), secretary.url
    shot(secretary, "01-secretary-own-page-360")

    # 3. Self-assessment, from the own page's skill card: 3 of 8 in the first criterion, the rest full.
    click(secretary, secretary.locator("#own-self-assessments [data-self-open]"))
    expect(secretary.locator(".breadcrumb")).to_contain_text("Hồ sơ của tôi")
    for index, criterion in enumerate(criteria):
        secretary.fill(f"input[name=score_{criterion.pk}]", str(3 if index == 0 else criterion.max_points))
    shot(secretary, "02-self-assessment-form-360")
    click(secretary, secretary.locator("main").get_by_role("button", name="Gửi đơn vị"))
    expect(secretary.locator("#self-score")).to_have_text("95")
    expect(secretary.locator("main")).to_contain_text("Chờ đơn vị đánh giá")
    shot(secretary, "03-self-assessment-sent-360")

    # 4. Back to the own page (breadcrumb): while the unit reviews, the history shows the secretary's own
    # score, and the long status wraps under the period rather than push the score off a phone's screen.
    click(secretary, secretary.locator(".breadcrumb").get_by_role("link", name="Hồ sơ của tôi"))
    waiting = secretary.locator("#own-assessments .table-responsive")
    expect(waiting.locator("[data-self-overall]")).to_contain_text("95/100")
    assert waiting.evaluate("(el) => el.scrollWidth <= el.clientWidth"), "the table overflows at 360 px"
    # Then a phone correction, and consent to public showing.
    click(secretary, secretary.get_by_role("link", name="Đề nghị sửa thông tin"))
    secretary.fill("input[name=phone]", NEW_PHONE)
    submit(secretary)
    secretary.locator("#own-consent input[value=given]").check()
    submit(secretary, "#own-consent form")
    expect(secretary.locator("[data-consent-now]")).to_contain_text("Đồng ý")
    expect(secretary.locator("#own-corrections")).to_contain_text("Chờ xét duyệt")
    shot(secretary, "04-own-page-correction-consent-360")

    # 5. The officer's first screen: one correction and one self-assessment waiting.
    officer.goto(f"{live_server.url}/")
    expect(officer.locator("[data-stat=pending-corrections]")).to_have_text("1")
    expect(officer.locator("[data-stat=awaiting-review]")).to_have_text("1")
    shot(officer, "05-officer-home-1280")
    click(officer, officer.locator("[data-stat=pending-corrections]"))
    click(officer, officer.get_by_role("link", name=person.full_name))
    submit(officer, "main form:has(input[value=accept])")
    expect(officer.locator(".alert-success")).to_contain_text("Đã cập nhật đề nghị sửa")
    assert Person.objects.get(pk=person.pk).phone == NEW_PHONE

    # 6. The review: the secretary's scores beside the unit's; full points, so 100 and "excellent".
    officer.goto(f"{live_server.url}/assessments/grid/29350/?framework={framework.pk}")
    click(officer, officer.locator(".grid-result").get_by_role("link", name="Đánh giá", exact=True))
    expect(officer.locator(f"input[name=self_{criteria[0].pk}]")).to_have_value("3")
    for criterion in criteria:
        officer.fill(f"input[name=score_{criterion.pk}]", str(criterion.max_points))
    officer.fill(f"textarea[name=part_{criteria[0].group_id}]", "Cần củng cố sinh hoạt chi đoàn.")
    shot(officer, "06-officer-review-1280")
    click(officer, officer.locator("main").get_by_role("button", name="Lưu và gửi"))
    expect(officer.locator("#self-overall")).to_contain_text("95")
    expect(officer.locator("main .stat-value").first).to_have_text("100")
    assessment = Assessment.objects.get(person=person, framework=framework)

    # 7. Provincial staff confirm; the rating follows the thresholds (100 points, no criterion under half).
    staff = next(_page(request, browser, viewport={"width": 1280, "height": 900}))
    login(staff, live_server, tra_vinh_staff.username, PASSWORD)
    staff.goto(f"{live_server.url}{assessment.get_absolute_url()}")
    click(staff, staff.locator("main").get_by_role("button", name="Xác nhận"))
    expect(staff.locator("main")).to_contain_text("Đã xác nhận")
    expect(staff.locator("main")).to_contain_text("Hoàn thành xuất sắc nhiệm vụ")
    assessment.refresh_from_db()
    assert (assessment.status, assessment.rating, assessment.self_rating) == (
        Assessment.Status.CONFIRMED,
        Rating.EXCELLENT,
        Rating.GOOD,
    )

    # The secretary sees it on their page, on the phone: the status under the period, no column cut off.
    secretary.goto(f"{live_server.url}/toi/")
    history = secretary.locator("#own-assessments .table-responsive")
    expect(history.locator("[data-status-under-period]")).to_contain_text("Đã xác nhận")
    expect(history.locator("[data-status-under-period]")).to_contain_text("Hoàn thành xuất sắc nhiệm vụ")
    assert history.evaluate("(el) => el.scrollWidth <= el.clientWidth"), "the table overflows at 360 px"

    # 8. This year's campaign: both nominations approved and nominations closed (services); staff publish.
    campaign = world["campaign"]
    for nomination in (world["tieu_can_nomination"], world["cang_long_nomination"]):
        nomination_approve(nomination=nomination, reviewer=tra_vinh_staff)
    campaign_close(campaign=campaign, user=tra_vinh_staff)
    staff.goto(f"{live_server.url}/awards/{campaign.pk}/")
    click(staff, staff.get_by_role("link", name="Công bố quyết định"))
    staff.fill("input[name=decision_number]", DECISION)
    staff.fill("input[name=decision_date]", timezone.localdate().strftime("%d/%m/%Y"))
    click(staff, staff.locator("main").get_by_role("button", name="Kiểm tra và tiếp tục", exact=True))
    click(staff, staff.locator("main").get_by_role("button", name="Công bố quyết định", exact=True))
    expect(staff).to_have_url(re.compile(rf"/awards/{campaign.pk}/commendations/"))
    expect(staff.locator("main")).to_contain_text(DECISION)
    staff.context.close()

    # 9. The public wall, read without logging in (the secretary's phone, signed out): the consenting
    # secretary with their portrait, the other without.
    mine = Commendation.objects.get(campaign=campaign, person=person)
    theirs = Commendation.objects.get(campaign=campaign, person=other)
    secretary.context.clear_cookies()
    secretary.goto(f"{live_server.url}/guong-bi-thu/{person.province_id}/{campaign.year}/")
    entry = secretary.locator(f"[data-commendation='{mine.pk}']")
    expect(entry).to_contain_text(person.full_name)
    expect(entry.locator("img.wall-photo")).to_have_count(1)
    assert entry.locator("img.wall-photo").evaluate("img => img.complete && img.naturalWidth > 0")
    without = secretary.locator(f"[data-commendation='{theirs.pk}']")
    expect(without).to_contain_text(other.full_name)
    expect(without.locator("img")).to_have_count(0)
    assert secretary.request.get(f"{live_server.url}/guong-bi-thu/anh/{theirs.pk}/").status == 404
    shot(secretary, "07-wall-360")
