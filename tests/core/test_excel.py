"""core.excel's writer itself: each value by its type, text never read as anything else, a job's file
written through a temporary file like an answer's in memory, sheets named within Excel's rules."""

import datetime
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from core.excel import HEADER_ROW, Sheet, write_xlsx, xlsx_workbook_response

VALUES = [
    "=1+1",
    "https://evil.example/a",
    "0123",
    "1e5",
    Decimal("3.25"),
    7,
    True,
    None,
    datetime.date(2025, 6, 30),
    datetime.datetime(2025, 6, 30, 23, 30, tzinfo=datetime.UTC),
]


def written(large: bool):
    target = io.BytesIO()
    count = write_xlsx(
        target,
        sheet_title="Thử",
        title="Tiêu đề",
        scope="Tỉnh Vĩnh Long",
        headers=[f"c{i}" for i in range(len(VALUES))],
        rows=[VALUES, VALUES],
        large=large,
    )
    target.seek(0)
    return count, load_workbook(target).active


@pytest.mark.parametrize("large", [False, True], ids=["answered at once", "a job's"])
def test_each_value_is_written_by_its_type_and_text_stays_text(large):
    count, sheet = written(large)
    assert count == 2
    row = list(sheet[HEADER_ROW + 1])
    assert row[0].value == 1  # STT
    formula, link, zero_led, exponent, decimal, number, flag, empty, day, moment = row[1:]
    # A formula is neither run nor kept as one; a link is no hyperlink; digits keep their leading zero.
    assert (formula.value, formula.data_type) == ("'=1+1", "s")
    assert (link.value, link.hyperlink) == ("https://evil.example/a", None)
    assert (zero_led.value, zero_led.data_type) == ("0123", "s")
    assert (exponent.value, exponent.data_type) == ("1e5", "s")
    assert (decimal.value, number.value, flag.value, empty.value) == (3.25, 7, True, None)
    # A Decimal shows its places (a score of 4,00 stays 4,00 on the sheet, not 4).
    assert decimal.number_format == "0.00"
    assert day.value == datetime.datetime(2025, 6, 30) and day.number_format.upper() == "DD/MM/YYYY"
    # An aware time is written as Vietnam's clock shows it.
    assert moment.value == datetime.datetime(2025, 7, 1, 6, 30)
    assert moment.number_format.upper().startswith("DD/MM/YYYY HH:MM")
    assert sheet["A1"].value == "Tiêu đề" and timezone.localdate().strftime("%d/%m/%Y") in sheet["A2"].value


def test_sheets_whose_titles_share_excels_31_characters_get_names_of_their_own():
    long = "Những gì cổng lưu về bí thư chi đoàn"
    response, count = xlsx_workbook_response(
        filename="du-lieu.xlsx",
        title="Dữ liệu",
        scope="Tỉnh Vĩnh Long",
        sheets=[Sheet(f"{long} — hồ sơ", ["a"], [[1]]), Sheet(f"{long} — nhiệm kỳ", ["b"], [[2], [3]])],
    )
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert count == 3
    assert workbook.sheetnames == [long[:31], long[:27] + " (2)"]


@pytest.mark.parametrize("large", [False, True], ids=["answered at once", "a job's"])
def test_text_of_several_lines_wraps_and_printed_pages_are_numbered(large):
    target = io.BytesIO()
    write_xlsx(
        target,
        sheet_title="Thử",
        title="Tiêu đề",
        scope="Tỉnh Vĩnh Long",
        headers=["Kết quả", "Tên"],
        rows=[["Một dòng\nHai dòng", "Một dòng"]],
        large=large,
    )
    target.seek(0)
    sheet = load_workbook(target).active
    several, one = list(sheet[HEADER_ROW + 1])[1:]
    assert several.alignment.wrap_text and not one.alignment.wrap_text
    assert sheet.oddFooter.center.text == "Trang &P/&N"
