"""Self-assessment → the unit's review → confirmation in a real browser (Regulation 366-QĐ/TW, points out of
100): the secretary assesses themselves and submits; the district officer sees the self-scores in the grid
and reviews with their own scores beside them; provincial staff confirm. Each rating follows the thresholds
and the extra condition (a criterion under half its points keeps 95 points from "excellent")."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessments.framework_services import framework_create_points
from assessments.models import Assessment, Rating
from assessments.services import framework_criteria
from tests.browser.conftest import _page, login
from tests.conftest import PASSWORD
from tests.factories import UserFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def self_framework(world):
    return framework_create_points(
        year=timezone.localdate().year,
        province=world["tieu_can"].commune.province,
        name="Đánh giá, xếp loại Bí thư Chi đoàn (Quy định 366)",
        self_assessment=True,
    )


def test_secretary_self_assesses_the_unit_reviews_the_province_confirms(
    request, browser, page, live_server, world, self_framework, tieu_can_officer, tra_vinh_staff
):
    person = world["tieu_can_person"]
    secretary = UserFactory(username="bithu.teo", role="secretary", person=person, password=PASSWORD)
    criteria = framework_criteria(self_framework)

    # The secretary: full points but 3 of 8 in the first criterion, so 95 and only "good".
    login(page, live_server, secretary.username, PASSWORD)
    page.goto(f"{live_server.url}/assessments/self/")
    page.locator("#self-items").get_by_role("link", name="Tự đánh giá").click()
    # The scores add up as they are typed: of each part, and in all.
    in_all = page.locator('[data-score-tally="form"]')
    expect(in_all).to_have_text(f"Tổng cộng: 0/100 điểm · đã chấm 0/{len(criteria)} tiêu chí")
    expect(in_all).to_have_css("position", "sticky")  # in view at the window's foot while typing above
    # Sent with scores missing: nothing asked (it cannot be sent), the form says which are missing.
    with page.expect_navigation():
        page.get_by_role("button", name="Gửi đơn vị").click()
    assert page.questions == []
    expect(page.locator(f"#id_score_{criteria[0].pk}_error")).to_contain_text(
        "Chưa chấm điểm tiêu chí này: cần chấm đủ trước khi gửi."
    )
    for index, criterion in enumerate(criteria):
        page.fill(f"input[name=score_{criterion.pk}]", str(3 if index == 0 else criterion.max_points))
    expect(in_all).to_have_text(f"Tổng cộng: 95/100 điểm · đã chấm {len(criteria)}/{len(criteria)} tiêu chí")
    first_tally = page.locator('[data-score-tally="part"]').first
    first_group = criteria[0].group
    in_first = [c for c in criteria if c.group_id == first_group.pk]
    expect(first_tally).to_have_text(
        f"Phần này: {first_group.max_points - 5}/{first_group.max_points} điểm"
        f" · đã chấm {len(in_first)}/{len(in_first)} tiêu chí"
    )
    page.fill("textarea[name=comment]", "Đã sinh hoạt đủ các tháng.")
    # What they did, as a link to the evidence: one long word, which must not widen a phone's page.
    evidence = "https://drive.google.com/drive/folders/1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-minh-chung-2026"
    page.fill(f"[name=note_{criteria[0].pk}]", evidence)
    # Leaving now would lose what was typed: the page asks first (beforeunload, cancelled by the form).
    leaving = (
        "() => { const e = new Event('beforeunload', {cancelable: true});"
        " dispatchEvent(e); return e.defaultPrevented; }"
    )
    assert page.evaluate(leaving)
    # One score typed over its criterion's points first: the form comes back at that score, focused, with
    # the rest kept (a long form: the message is far below its top).
    last = page.locator(f"input[name=score_{criteria[-1].pk}]")
    last.fill(str(criteria[-1].max_points + 1))
    # Over its maximum, it is not counted.
    expect(in_all).to_have_text(
        f"Tổng cộng: {95 - criteria[-1].max_points}/100 điểm"
        f" · đã chấm {len(criteria) - 1}/{len(criteria)} tiêu chí"
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Gửi đơn vị").click()
    expect(last).to_be_focused()
    expect(last).to_be_in_viewport()
    expect(page.locator(f"#id_score_{criteria[-1].pk}_error")).to_contain_text(
        f"Nhập số nguyên từ 0 đến {criteria[-1].max_points}."
    )
    expect(page.locator(f"input[name=score_{criteria[0].pk}]")).to_have_value("3")
    last.fill(str(criteria[-1].max_points))
    # Asked first, as it cannot be undone; "no" leaves the form as it is, unsent.
    page.answer = False
    page.get_by_role("button", name="Gửi đơn vị").click()
    expect(last).to_have_value(str(criteria[-1].max_points))
    expect(page.locator(".alert-success")).to_have_count(0)
    page.answer = True
    with page.expect_navigation():
        page.get_by_role("button", name="Gửi đơn vị").click()
    assert page.questions[-1] == "Gửi bản tự đánh giá cho đơn vị? Sau khi gửi, bạn không thể sửa nữa."
    expect(page.locator(".alert-success")).to_contain_text("Đã gửi bản tự đánh giá")
    expect(page.locator("#self-score")).to_have_text("95")
    expect(page.locator("main")).to_contain_text("Hoàn thành tốt nhiệm vụ")
    expect(page.locator("main")).to_contain_text("Chờ đơn vị đánh giá")
    assessment = Assessment.objects.get(person=person, framework=self_framework)
    assert (assessment.status, assessment.self_rating) == (Assessment.Status.AWAITING_REVIEW, Rating.GOOD)

    # The officer: the grid shows the self-scores; the review puts the unit's beside them.
    officer_page = next(_page(request, browser, viewport={"width": 1280, "height": 900}))
    login(officer_page, live_server, tieu_can_officer.username, PASSWORD)
    officer_page.goto(f"{live_server.url}/assessments/grid/29350/?framework={self_framework.pk}")
    expect(officer_page.locator(".self-score-cell")).to_have_count(len(criteria))
    expect(officer_page.locator(".self-score-cell").first).to_have_text("3")
    officer_page.locator(".grid-result").get_by_role("link", name="Đánh giá", exact=True).click()
    expect(officer_page.locator(f"input[name=self_{criteria[0].pk}]")).to_have_value("3")
    for criterion in criteria:
        officer_page.fill(f"input[name=score_{criterion.pk}]", str(criterion.max_points))
    # The unit's scores add up; the secretary's, beside them, are not counted.
    expect(officer_page.locator('[data-score-tally="form"]')).to_have_text(
        f"Tổng cộng: 100/100 điểm · đã chấm {len(criteria)}/{len(criteria)} tiêu chí"
    )
    first_part = criteria[0].group_id
    officer_page.fill(f"textarea[name=part_{first_part}]", "Cần củng cố sinh hoạt chi đoàn.")
    with officer_page.expect_navigation():
        officer_page.get_by_role("button", name="Lưu và gửi").click()
    main = officer_page.locator("main")
    expect(main).to_contain_text("Đã gửi")
    expect(main.locator(".stat-value").first).to_have_text("100")
    expect(main).to_contain_text("Hoàn thành xuất sắc nhiệm vụ")
    expect(officer_page.locator("#self-overall")).to_contain_text("95")
    expect(main).to_contain_text("Cần củng cố sinh hoạt chi đoàn.")
    officer_page.context.close()

    # Provincial staff confirm.
    staff_page = next(_page(request, browser, viewport={"width": 1280, "height": 900}))
    login(staff_page, live_server, tra_vinh_staff.username, PASSWORD)
    staff_page.goto(f"{live_server.url}{assessment.get_absolute_url()}")
    with staff_page.expect_navigation():
        staff_page.get_by_role("button", name="Xác nhận").click()
    expect(staff_page.locator("main")).to_contain_text("Đã xác nhận")
    staff_page.context.close()
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.CONFIRMED
    assert (assessment.rating, assessment.self_rating) == (Rating.EXCELLENT, Rating.GOOD)

    # The secretary now sees both scores.
    page.goto(f"{live_server.url}/assessments/self/assessment/{assessment.pk}/")
    expect(page.locator("#unit-score")).to_have_text("100/100")
    expect(page.locator("main")).to_contain_text(evidence[:30])
    page.set_viewport_size({"width": 360, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "wider than a phone"
