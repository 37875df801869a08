"""The import engine at the ground: hostile files get a clear message and never a 500; headers, dates and
cells are read as people write them; formulas are refused, text that looks like one stays text."""

import datetime
import io
import unicodedata
import zipfile

import pytest
from django.urls import reverse
from openpyxl import Workbook

from core.importing.engine import KINDS, parse_rows
from core.importing.models import ImportBatch
from core.importing.reader import ENCRYPTED_PACKAGE, OLE_MAGIC, ImportFileError, read_sheet
from tests.importing import SECRETARY_HEADERS, secretary_row, upload, workbook_bytes
from tests.login import login_verified

KIND = "secretaries"


def _read(content: bytes):
    kind = KINDS[KIND]
    from core.importing.engine import header_matcher

    sheet = read_sheet(io.BytesIO(content), size=len(content), looks_like_header=header_matcher(kind))
    return parse_rows(kind, sheet)


def _refused(content: bytes) -> ImportFileError:
    with pytest.raises(ImportFileError) as caught:
        _read(content)
    return caught.value


def _zip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


GOOD = [secretary_row("Trần Thị Mai", "Ấp Cây Gòn")]


# ---- hostile files -----------------------------------------------------------------------------------


def test_empty_file():
    assert _refused(b"").code == "empty"


def test_text_renamed_to_xlsx():
    error = _refused("Họ và tên,Ngày sinh\nA,01/01/2000\n".encode())
    assert error.code == "not_xlsx" and "không phải bảng tính Excel" in error.message


def test_renamed_word_document_is_a_zip_but_not_a_workbook():
    docx = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<document/>"})
    assert _refused(docx).code == "not_xlsx"


def test_old_xls_and_encrypted_workbook():
    assert _refused(OLE_MAGIC + b"\0" * 600).code == "old_format"
    encrypted = _refused(OLE_MAGIC + b"\0" * 100 + ENCRYPTED_PACKAGE + b"\0" * 100)
    assert encrypted.code == "encrypted" and "mật khẩu" in encrypted.message


def test_zip_bomb_is_refused_from_the_directory_before_anything_is_inflated():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        info = zipfile.ZipInfo("xl/worksheets/sheet1.xml")
        info.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(info, "w", force_zip64=True) as part:
            block = b"\0" * (1 << 20)
            for _ in range(160):
                part.write(block)
    content = buffer.getvalue()
    assert len(content) < 1_000_000  # 160 MB of zeros in well under 1 MB
    assert _refused(content).code == "zip_bomb"


def test_damaged_workbook():
    content = _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook"})
    assert _refused(content).code == "damaged"


def test_xml_entities_in_a_sheet_are_refused_not_expanded():
    good = workbook_bytes(GOOD, SECRETARY_HEADERS)
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            data = bomb if item.filename == "xl/worksheets/sheet1.xml" else source.read(item.filename)
            target.writestr(item, data)
    assert _refused(buffer.getvalue()).code == "damaged"


def test_more_than_20000_rows():
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Dữ liệu")
    sheet.append(["Họ và tên", "Ngày sinh", "Chi đoàn"])
    for i in range(20_001):
        sheet.append([f"Người {i}", "01/01/2000", "Ấp Cây Gòn"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    error = _refused(buffer.getvalue())
    assert error.code == "too_many_rows" and "20.000" in error.message


def test_hidden_sheet():
    def hide(workbook):
        workbook.create_sheet("Bí mật").sheet_state = "hidden"

    error = _refused(workbook_bytes(GOOD, SECRETARY_HEADERS, build=hide))
    assert error.code == "hidden_sheet" and "Bí mật" in error.message


def test_merged_header_cells():
    def merge(workbook):
        workbook.active.merge_cells("A2:B2")

    assert _refused(workbook_bytes(GOOD, SECRETARY_HEADERS, build=merge)).code == "merged_cells"


def test_a_merged_title_above_the_header_is_fine():
    def merge(workbook):
        workbook.active.merge_cells("A1:M1")

    rows, _ignored = _read(workbook_bytes(GOOD, SECRETARY_HEADERS, build=merge))
    assert rows[0].values["full_name"] == "Trần Thị Mai"


def test_no_header_row_and_no_rows():
    assert _refused(workbook_bytes([{"a": 1, "b": 2}])).code == "no_header"
    assert _refused(workbook_bytes([], SECRETARY_HEADERS)).code == "no_rows"


def test_missing_and_repeated_columns():
    missing = _refused(workbook_bytes(GOOD, ["Họ và tên", "Giới tính", "Chi đoàn"]))
    assert missing.code == "missing_columns" and "Ngày sinh" in missing.message
    repeated = _refused(workbook_bytes(GOOD, [*SECRETARY_HEADERS, "Họ tên"]))
    assert repeated.code == "repeated_column"


def test_upload_of_a_hostile_file_answers_with_the_message_not_a_500(client, tieu_can_officer):
    login_verified(client, tieu_can_officer)
    url = reverse("imports:batch_upload", args=[KIND])
    for content, words in [
        (b"", "Tập tin được gửi là rỗng"),
        (OLE_MAGIC + b"\0" * 100 + ENCRYPTED_PACKAGE, "mật khẩu"),
        (b"%PDF-1.4 not a workbook", "không phải bảng tính Excel"),
    ]:
        response = client.post(url, {"file": upload(content)})
        assert response.status_code == 200
        assert words in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_a_file_over_10_mb_is_refused_by_the_form(client, tieu_can_officer):
    login_verified(client, tieu_can_officer)
    big = b"PK" + b"\0" * (10 * 1024 * 1024)
    response = client.post(reverse("imports:batch_upload", args=[KIND]), {"file": upload(big)})
    assert response.status_code == 200 and "lớn hơn 10 MB" in response.content.decode()
    assert not ImportBatch.objects.exists()


# ---- cells and headers -------------------------------------------------------------------------------


def test_headers_in_another_order_with_variants_and_without_diacritics():
    headers = ["Chi doan", "Ngay bat dau nhiem ky", "HỌ TÊN", "Ngày sinh (dd/mm/yyyy)", "Phái", "Ghi chú"]
    row = {
        "Chi doan": "Ấp Cây Gòn",
        "Ngay bat dau nhiem ky": "1/10/2025",
        "HỌ TÊN": "Lê Văn Hùng",
        "Ngày sinh (dd/mm/yyyy)": datetime.datetime(1999, 2, 28),
        "Phái": "nam",
        "Ghi chú": "x",
    }
    rows, ignored = _read(workbook_bytes([row], headers))
    values = rows[0].values
    assert rows[0].errors == []
    assert values["full_name"] == "Lê Văn Hùng" and values["gender"] == "nam"
    assert values["date_of_birth"] == datetime.date(1999, 2, 28)
    assert values["started_on"] == datetime.date(2025, 10, 1)
    assert ignored == ["Ghi chú"]


def test_choices_without_diacritics_or_in_nfd():
    row = secretary_row(
        "Trần Thị Mai",
        "Ấp Cây Gòn",
        **{"Dân tộc": unicodedata.normalize("NFD", "Khơ-mú"), "Tôn giáo": "cong giao", "Giới tính": "NU"},
    )
    rows, _ = _read(workbook_bytes([row], SECRETARY_HEADERS))
    assert rows[0].errors == []
    assert (rows[0].values["ethnicity"], rows[0].values["religion"], rows[0].values["gender"]) == (
        "29",
        "cong_giao",
        "nu",
    )


def test_impossible_date_names_row_column_and_value():
    rows, _ = _read(
        workbook_bytes([GOOD[0], secretary_row("B", "Ấp Cây Gòn", born="31/02/1999")], SECRETARY_HEADERS)
    )
    error = rows[1].errors[0]
    assert rows[1].number == 4  # title row, header row, then the rows
    assert (error.column, error.value, error.message) == (
        "Ngày sinh",
        "31/02/1999",
        "31/02/1999 không phải ngày hợp lệ",
    )


def test_a_value_a_columns_rule_refuses_is_named_as_an_impossible_one_is():
    """The value first ("05/09/2099: ngày này chưa đến…"): among hundreds of rows, the cell is found by it."""
    rows, _ = _read(
        workbook_bytes([GOOD[0], secretary_row("B", "Ấp Cây Gòn", born="05/09/2099")], SECRETARY_HEADERS)
    )
    assert rows[1].errors[0].message == "05/09/2099: ngày này chưa đến: hãy kiểm tra lại"


def test_a_formula_is_refused_and_text_that_looks_like_one_stays_text():
    def formula(workbook):
        workbook.active["A3"] = '=CONCATENATE("Trần"," Mai")'

    text_row = secretary_row("Trần Thị Mai", "Ấp Cây Gòn", **{"Nghề nghiệp": "@SUM(1)"})
    rows, _ = _read(workbook_bytes([text_row], SECRETARY_HEADERS, build=formula))
    assert rows[0].errors[0].column == "Họ và tên"
    assert "không nhận công thức" in rows[0].errors[0].message

    def typed_text(workbook):
        cell = workbook.active["I3"]
        cell.value, cell.data_type = "=1+1", "s"

    rows, _ = _read(workbook_bytes([text_row], SECRETARY_HEADERS, build=typed_text))
    assert rows[0].errors == [] and rows[0].values["occupation"] == "=1+1"
