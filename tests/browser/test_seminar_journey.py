"""Seminars in a real browser: a district officer records one on a single page (themes and proposals added
as rows, participants picked through the autocomplete), uploads its photos; the province finds it in the
list, the report and the follow-up; another district cannot open it."""

import re

import pytest
from playwright.sync_api import expect

from seminars.models import Seminar
from tests.browser.conftest import login
from tests.conftest import PASSWORD, jpeg_bytes
from tests.factories import BranchFactory, person_with_term

pytestmark = pytest.mark.browser

TITLE = "Đổi mới sinh hoạt chi đoàn ở ấp"
HELD_ON, YEAR = "15/03/2026", 2026
THEMES = ["Sinh hoạt chi đoàn hấp dẫn hơn", "Tập hợp thanh niên đi làm ăn xa", "Chuyển đổi số trong chi đoàn"]
OVERDUE, LATER = "Tập huấn kỹ năng sinh hoạt chi đoàn", "Xây dựng mô hình chi đoàn số"
# The given names, and what is typed for each: part of the name without diacritics.
GIVEN = ["Một", "Hai", "Ba", "Bốn", "Năm", "Sáu", "Bảy", "Tám", "Chín", "Mười"]
TYPED = ["van mot", "hai", "van ba", "bon", "nam", "sau", "bay", "tam", "chin", "muoi"]
NAMES = [f"Nguyễn Văn {given}" for given in GIVEN]

IMAGE_LOADED_JS = "(img) => img.complete && img.naturalWidth > 0"
# Whether the box around a table (.table-responsive) is wider inside than it shows.
SCROLLS_SIDEWAYS_JS = (
    "(table) => { const box = document.querySelector(table).parentElement; "
    "return box.scrollWidth > box.clientWidth; }"
)


@pytest.fixture
def ten_secretaries(world, hieu_tu):
    """Ten secretaries of Xã Hiếu Tử, one per branch, besides the world's Nguyễn Văn Tèo."""
    return [
        person_with_term(branch=BranchFactory(commune=hieu_tu, name=f"Ấp Số {n}"), full_name=name)
        for n, name in enumerate(NAMES, start=1)
    ]


def submit(page, form: str = "main form") -> None:
    with page.expect_navigation():
        page.locator(f"{form} [type=submit]").click()


PICKER = "select[name=participants] + .ts-wrapper"


def pick_participant(page, query: str, name: str) -> None:
    """Type into the Tom Select key by key, as a person does (the box keeps focus between people), wait for
    the server's answer to that query, choose the named option: the box is empty again for the next one."""
    control = page.locator(f"{PICKER} .ts-control input")
    control.focus()
    with page.expect_response(
        lambda r: "/seminars/autocomplete/participants/" in r.url and f"q={query.replace(' ', '+')}" in r.url
    ):
        page.keyboard.type(query)
    # "Name · Branch (year)": the branch tells two of one name apart.
    option = page.locator(".ts-dropdown .option").filter(has_text=re.compile(rf"^{re.escape(name)} · .+ \("))
    expect(option).to_have_count(1)
    option.click()
    expect(page.locator(f"{PICKER} .item", has_text=name)).to_have_count(1)
    expect(control).to_have_value("")  # the typed text is gone: the next name starts afresh


def test_officer_records_a_seminar_and_the_province_follows_it(
    browser, page, live_server, tieu_can_officer, tra_vinh_staff, cang_long_officer, ten_secretaries
):
    login(page, live_server, tieu_can_officer.username, PASSWORD)
    page.goto(f"{live_server.url}/seminars/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Thêm tọa đàm")
    page.fill("input[name=title]", TITLE)
    page.fill("input[name=held_on]", HELD_ON)
    page.fill("input[name=venue]", "Hội trường UBND xã Hiếu Tử")
    page.fill("input[name=chair]", "Đồng chí Bí thư Huyện đoàn")

    # One theme row is shown; the other two come from the add-row button, each numbered next.
    theme_rows = page.locator("[data-formset-rows=themes] > *")
    expect(theme_rows).to_have_count(1)
    add_theme = page.locator("button[data-formset-add=themes]")
    for _ in THEMES[1:]:
        add_theme.click()
    expect(theme_rows).to_have_count(3)
    expect(page.locator("input[name=themes-TOTAL_FORMS]")).to_have_value("3")
    expect(page.locator("input[name=themes-1-ORDER]")).to_have_value("2")
    expect(page.locator("input[name=themes-2-ORDER]")).to_have_value("3")
    for index, title in enumerate(THEMES):
        page.fill(f"input[name=themes-{index}-title]", title)

    for query, name in zip(TYPED, NAMES, strict=True):
        pick_participant(page, query, name)
    chosen = page.locator("select[name=participants] option:checked")
    expect(chosen).to_have_count(10)
    # Backspace in the empty box removes nobody; removing someone is a click on their ×.
    page.locator(f"{PICKER} .ts-control input").focus()
    page.keyboard.press("Backspace")
    page.keyboard.press("Backspace")
    expect(chosen).to_have_count(10)
    remove = page.locator(f"{PICKER} .item", has_text=NAMES[-1]).locator(".remove")
    expect(remove).to_have_attribute("title", "Bỏ người/mục này")
    remove.click()
    expect(chosen).to_have_count(9)
    pick_participant(page, TYPED[-1], NAMES[-1])
    expect(chosen).to_have_count(10)
    page.fill("input[name=other_attendees]", "25")
    page.fill("textarea[name=outcome]", "Thống nhất ba giải pháp trọng tâm.")

    add_proposal = page.locator("button[data-formset-add=proposals]")
    proposal_rows = page.locator("[data-formset-rows=proposals] > *")
    expect(proposal_rows).to_have_count(0)
    add_proposal.click()
    add_proposal.click()
    expect(proposal_rows).to_have_count(2)
    page.fill("textarea[name=proposals-0-text]", LATER)
    page.fill("input[name=proposals-0-responsible]", "Đoàn xã Hiếu Tử")
    page.fill("input[name=proposals-0-due_on]", "31/12/2027")
    page.fill("textarea[name=proposals-1-text]", OVERDUE)
    page.fill("input[name=proposals-1-responsible]", "Huyện đoàn Tiểu Cần")
    page.fill("input[name=proposals-1-due_on]", "30/06/2026")
    submit(page)

    seminar = Seminar.objects.get(title=TITLE)
    expect(page).to_have_url(f"{live_server.url}/seminars/{seminar.pk}/")
    expect(page.locator(".alert-success")).to_contain_text(TITLE)
    assert seminar.district == tieu_can_officer.district
    assert seminar.held_on.isoformat() == "2026-03-15"
    assert set(seminar.participants.values_list("full_name", flat=True)) == set(NAMES)
    assert list(seminar.themes.order_by("order").values_list("title", flat=True)) == THEMES
    assert seminar.proposals.count() == 2

    # Themes in the order given; the participants and proposals as recorded, the late one flagged.
    main = page.locator("main")
    expect(main.locator("ol.list-group-numbered > li strong")).to_have_text(THEMES)
    for name in NAMES:
        expect(main.get_by_role("link", name=name, exact=True)).to_be_visible()
    expect(main).to_contain_text("35")  # 10 secretaries and 25 others
    late = main.locator("tr", has_text=OVERDUE)
    expect(late).to_have_class(re.compile(r"\btable-danger\b"))
    expect(late.locator(".badge")).to_have_text("Đã quá hạn")
    expect(main.locator("tr", has_text=LATER)).not_to_have_class(re.compile(r"\btable-danger\b"))

    # Two photos in one upload, both shown as thumbnails that really load.
    photos = page.locator("#photos")
    expect(photos.locator("img")).to_have_count(0)
    page.set_input_files(
        "#photo-upload input[name=images]",
        files=[
            {"name": "toan-canh.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes(size=(400, 300))},
            {
                "name": "phat-bieu.jpg",
                "mimeType": "image/jpeg",
                "buffer": jpeg_bytes(size=(300, 400), color=(40, 90, 200)),
            },
        ],
    )
    page.fill("#photo-upload input[name=caption]", "Quang cảnh tọa đàm")
    submit(page, "#photo-upload")
    expect(page).to_have_url(re.compile(rf"/seminars/{seminar.pk}/"))
    expect(page.locator(".alert-success")).to_be_visible()
    thumbnails = page.locator("#photos img")
    expect(thumbnails).to_have_count(2)
    assert seminar.photos.count() == 2
    for index in range(2):
        thumbnail = thumbnails.nth(index)
        expect(thumbnail).to_have_attribute("alt", "Quang cảnh tọa đàm")
        thumbnail.scroll_into_view_if_needed()
        thumbnail.evaluate("(img) => img.decode()")
        assert thumbnail.evaluate(IMAGE_LOADED_JS), f"thumbnail {index + 1} did not load"
    expect(page.locator("#photos-heading .badge")).to_have_text("2")

    # The province, in a browser context of its own.
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    try:
        province = context.new_page()
        login(province, live_server, tra_vinh_staff.username, PASSWORD)
        province.goto(f"{live_server.url}/seminars/")
        listed = province.locator("main table tbody tr", has_text=TITLE)
        expect(listed).to_have_count(1)
        expect(listed).to_contain_text("Huyện đoàn Tiểu Cần")
        expect(province.locator("main table tbody")).to_contain_text("Nâng cao chất lượng Bí thư Chi đoàn")

        province.goto(f"{live_server.url}/seminars/report/?year={YEAR}")
        expect(province.get_by_role("heading", level=1)).to_contain_text(str(YEAR))
        row = province.locator("#seminar-report tbody tr", has_text="Huyện Tiểu Cần")
        expect(row).to_have_count(1)
        expect(row.locator("[data-seminars]")).to_have_text("1")
        expect(row.locator("[data-participants]")).to_have_text("10")

        # Overdue proposals come first: this seminar's late one before its later one.
        province.goto(f"{live_server.url}/seminars/followup/")
        rows = province.locator("#proposals tbody tr")
        texts = rows.locator("td:first-child > div:first-child").all_inner_texts()
        assert OVERDUE in texts and LATER in texts, texts
        assert texts.index(OVERDUE) < texts.index(LATER)
        overdue_flags = [rows.nth(i).locator("[data-overdue]").count() > 0 for i in range(rows.count())]
        assert overdue_flags == sorted(overdue_flags, reverse=True), "an overdue proposal after a timely one"
        first_of_ours = rows.filter(has_text=TITLE).first
        expect(first_of_ours).to_contain_text(OVERDUE)
        expect(first_of_ours).to_have_class(re.compile(r"\btable-danger\b"))
        expect(first_of_ours.locator("[data-overdue]")).to_have_text("30/06/2026")
    finally:
        context.close()

    # Càng Long's officer cannot open the seminar, nor its photos, by address.
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    try:
        other = context.new_page()
        login(other, live_server, cang_long_officer.username, PASSWORD)
        response = other.goto(f"{live_server.url}/seminars/{seminar.pk}/")
        assert response is not None and response.status == 404
        expect(other.locator("main")).not_to_contain_text(TITLE)
        photo = seminar.photos.first()
        response = other.goto(f"{live_server.url}/seminars/photos/{photo.pk}/thumbnail/")
        assert response is not None and response.status == 404
        other.goto(f"{live_server.url}/seminars/")
        expect(other.locator("main")).not_to_contain_text(TITLE)
    finally:
        context.close()

    # Removing a proposal (its follow-up goes with it) asks first; saving with nothing ticked did not.
    assert page.questions == []
    page.goto(f"{live_server.url}/seminars/{seminar.pk}/edit/")
    later = page.locator("[data-formset-rows=proposals] > *", has_text=LATER)
    later.locator("input[name$='-DELETE']").check()
    page.answer = False
    page.locator("main form button[type=submit]", has_text="Lưu").click()
    assert page.questions == [
        "Xóa 1 nội dung thảo luận hoặc đề xuất giải pháp đã đánh dấu khỏi tọa đàm? Đề xuất bị xóa sẽ mất cả "
        "kết quả theo dõi."
    ]
    expect(page).to_have_url(f"{live_server.url}/seminars/{seminar.pk}/edit/")
    assert seminar.proposals.count() == 2
    page.answer = True
    with page.expect_navigation():
        page.locator("main form button[type=submit]", has_text="Lưu").click()
    expect(page).to_have_url(f"{live_server.url}/seminars/{seminar.pk}/")
    assert list(seminar.proposals.values_list("text", flat=True)) == [OVERDUE]


def test_themes_keep_the_order_typed_without_renumbering(page, live_server, tieu_can_officer, world):
    login(page, live_server, tieu_can_officer.username, PASSWORD)
    page.goto(f"{live_server.url}/seminars/new/")
    page.fill("input[name=title]", TITLE)
    page.fill("input[name=held_on]", HELD_ON)
    page.locator("button[data-formset-add=themes]").click()
    page.fill("input[name=themes-0-title]", THEMES[0])
    page.fill("input[name=themes-1-title]", THEMES[1])
    submit(page)
    expect(page.locator("main ol.list-group-numbered > li strong")).to_have_text(THEMES[:2], timeout=2_000)


def test_officer_updates_a_proposal_on_a_phone(phone_page, live_server, tieu_can_officer, world):
    """On a phone each proposal is a card, its form at the page's full width: the status, the result and the
    button are all in view without scrolling sideways (they were cut off at the table's right edge)."""
    from seminars.models import Proposal

    proposal = Proposal.objects.create(
        seminar=world["tieu_can_seminar"], text="Rà soát các chi đoàn còn khuyết bí thư", status="de_xuat"
    )
    page = phone_page
    login(page, live_server, tieu_can_officer.username, PASSWORD)
    page.goto(f"{live_server.url}/seminars/followup/")
    form = page.locator(f"form.proposal-update[data-proposal='{proposal.pk}']")
    width = page.evaluate("document.documentElement.clientWidth")
    # Measured where the page put them, before anything scrolls (the table's box would scroll sideways).
    for part in (form.locator("select"), form.locator("textarea"), form.locator("[type=submit]")):
        box = part.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, (part, box, width)
    assert page.evaluate(SCROLLS_SIDEWAYS_JS, "#proposals") is False
    form.locator("select").select_option(label="Đang thực hiện")
    form.locator("textarea").fill("Đã rà soát 6/11 chi đoàn.")
    with page.expect_navigation():
        form.locator("[type=submit]").click()
    expect(page.locator(".alert")).to_be_visible()
    proposal.refresh_from_db()
    assert (proposal.status, proposal.result) == ("dang_thuc_hien", "Đã rà soát 6/11 chi đoàn.")
