"""Excel import in a real browser: a commune officer of today's units (doanxa.tapngai, Xã Tập Ngãi, as in the
demo) downloads the template, fills it with 12 secretaries of which three rows are wrong, sees the three
errors with their row numbers and nothing saved, fixes the file, imports it, and finds the 12 people, their
terms, the vacancies down by 12 and the history naming the file and the officer."""

import datetime
import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from accounts.models import User
from branches.divisions import REFORM_DAY
from secretaries.models import Person, Term
from tests.browser.conftest import login
from tests.conftest import PASSWORD
from tests.factories import BranchFactory, CommuneFactory, ProvinceFactory, UserFactory

pytestmark = pytest.mark.browser

NAMES = [
    "Thạch Thị Sa Ri",
    "Kim Văn Tha",
    "Sơn Thị Mỹ Linh",
    "Lâm Văn Đức",
    "Nguyễn Thị Thu Hà",
    "Trần Minh Khôi",
    "Huỳnh Văn Nhân",
    "Lê Thị Bích Ngọc",
    "Thạch Văn Sóc",
    "Phạm Thị Kim Yến",
    "Võ Văn Tâm",
    "Đặng Thị Hồng",
]


@pytest.fixture
def tap_ngai(db):
    province = ProvinceFactory(code="86", name="Tỉnh Vĩnh Long", began_on=REFORM_DAY)
    commune = CommuneFactory(
        code="29365", name="Xã Tập Ngãi", district=None, province=province, began_on=REFORM_DAY
    )
    neighbour = CommuneFactory(
        code="29371", name="Xã Hùng Hòa", district=None, province=province, began_on=REFORM_DAY
    )
    branches = [BranchFactory(commune=commune, name=f"Ấp Tập Ngãi {i:02d}") for i in range(1, 15)]
    BranchFactory(commune=neighbour, name="Ấp Hòa Lộc")
    officer = UserFactory(
        username="doanxa.tapngai",
        role=User.Role.COMMUNE_OFFICER,
        commune=commune,
        first_name="Sơn",
        last_name="Kim Văn",
    )
    return {"commune": commune, "branches": branches, "officer": officer}


def vacancy_total(page) -> int:
    return int(page.locator("main p[data-vacancy-total]").get_attribute("data-vacancy-total"))


def _fill(template: bytes, branches, *, broken: bool) -> bytes:
    """The downloaded template with 12 rows; when `broken`, rows 5, 8 and 11 are wrong."""
    workbook = load_workbook(io.BytesIO(template))
    sheet = workbook["Dữ liệu"]
    headers = [cell.value for cell in sheet[2]]
    column = {h.rstrip(" *"): i + 1 for i, h in enumerate(headers)}
    assert "Tôn giáo" not in column  # set only by provincial staff: not in an officer's template
    for index, name in enumerate(NAMES):
        row = index + 3
        values = {
            "Họ và tên": name,
            "Giới tính": "Nữ" if "Thị" in name else "Nam",
            "Ngày sinh": datetime.datetime(1995 + index % 8, 1 + index, 10),
            "Dân tộc": "Khmer" if index % 3 == 0 else "Kinh",
            "Trình độ học vấn": "12/12",
            "Trình độ lý luận chính trị": "Sơ cấp",
            "Đảng viên": "Có" if index % 2 else "Không",
            "Số điện thoại": f"09123456{index:02d}",
            "Chi đoàn": branches[index].name,
            "Bắt đầu nhiệm kỳ": "15/10/2025",
        }
        if broken and row == 5:
            values["Ngày sinh"] = "31/02/1999"
        if broken and row == 8:
            values["Chi đoàn"] = "Ấp Hòa Lộc"  # Xã Hùng Hòa's
        for header, value in values.items():
            sheet.cell(row=row, column=column[header], value=value)
        if broken and row == 11:
            sheet.cell(row=row, column=column["Họ và tên"], value='=UPPER("võ văn tâm")')
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _upload(page, content: bytes, name: str) -> None:
    page.set_input_files(
        "input[name=file]",
        files=[
            {
                "name": name,
                "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "buffer": content,
            }
        ],
    )
    with page.expect_navigation():
        page.locator("main form").get_by_role("button", name="Kiểm tra tệp").click()


def test_commune_officer_imports_12_secretaries_from_the_template(page, live_server, tap_ngai):
    officer = tap_ngai["officer"]
    login(page, live_server, officer.username, PASSWORD)
    page.goto(f"{live_server.url}/secretaries/vacancies/")
    before = vacancy_total(page)
    assert before == 14

    page.goto(f"{live_server.url}/secretaries/")
    with page.expect_navigation():
        page.get_by_role("link", name="Nhập từ Excel").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Nhập từ Excel")
    with page.expect_download() as download:
        page.get_by_test_id("template-link").click()
    template = open(download.value.path(), "rb").read()  # noqa: SIM115 (a temporary file of Playwright's)
    lists = load_workbook(io.BytesIO(template))["Danh mục"]
    offered = {c.value for row in lists.iter_rows() for c in row if c.value}
    assert "Ấp Tập Ngãi 01" in offered and "Ấp Hòa Lộc" not in offered

    _upload(page, _fill(template, tap_ngai["branches"], broken=True), "bi-thu-tap-ngai.xlsx")
    errors = page.get_by_test_id("import-errors")
    expect(errors).to_contain_text("Dòng 5, Ngày sinh: 31/02/1999 không phải ngày hợp lệ")
    expect(errors).to_contain_text(
        "Dòng 8, Chi đoàn: không tìm thấy chi đoàn Ấp Hòa Lộc trong đơn vị của bạn"
    )
    expect(errors).to_contain_text("Dòng 11, Họ và tên: không nhận công thức")
    expect(errors.locator(":scope > li")).to_have_count(3)
    expect(page.locator("[data-count=error]")).to_have_text("3")
    expect(page.get_by_test_id("import-refused")).to_contain_text("chưa có gì được lưu")
    expect(page.get_by_role("button", name="Nhập 12 dòng")).to_have_count(0)
    assert not Person.objects.filter(full_name__in=NAMES).exists()

    with page.expect_navigation():
        page.get_by_role("link", name="Tải lên tệp đã sửa").click()
    _upload(page, _fill(template, tap_ngai["branches"], broken=False), "bi-thu-tap-ngai-da-sua.xlsx")
    expect(page.locator("[data-count=new]")).to_have_text("12")
    expect(page.locator("[data-count=error]")).to_have_text("0")
    with page.expect_navigation():
        page.get_by_role("button", name="Nhập 12 dòng").click()
    expect(page.locator(".alert-success").first).to_contain_text(
        "Đã nhập từ bi-thu-tap-ngai-da-sua.xlsx: 12 mới"
    )

    people = Person.objects.filter(full_name__in=NAMES)
    assert people.count() == 12
    terms = Term.objects.filter(person__in=people, ended_on__isnull=True, role="bi_thu")
    assert {t.branch_id for t in terms} == {b.pk for b in tap_ngai["branches"][:12]}
    page.goto(f"{live_server.url}/secretaries/vacancies/")
    assert vacancy_total(page) == before - 12

    page.goto(f"{live_server.url}/secretaries/?q=vo van tam")
    with page.expect_navigation():
        page.get_by_role("link", name="Võ Văn Tâm").click()
    expect(page.locator("main")).to_contain_text("Ấp Tập Ngãi 11")
    expect(page.locator("main")).to_contain_text("Nhập từ tệp bi-thu-tap-ngai-da-sua.xlsx")
    expect(page.locator("main")).to_contain_text("Kim Văn Sơn")

    page.goto(f"{live_server.url}/imports/")
    expect(page.locator("main table")).to_contain_text("bi-thu-tap-ngai-da-sua.xlsx")
    expect(page.locator("main table")).to_contain_text("bi-thu-tap-ngai.xlsx")
