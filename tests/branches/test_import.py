"""Import of branches: new ones added, existing ones (same name in the commune) updated, refusals per row."""

import datetime

import pytest
from django.urls import reverse

from branches.models import Branch, Commune
from core.importing.models import ImportBatch
from tests.importing import upload, workbook_bytes
from tests.login import login_verified

HEADERS = ["Xã", "Tên chi đoàn", "Loại", "Số đoàn viên", "Ngày thành lập"]


def _row(commune, name, kind="Chi đoàn ấp", members=30, founded=None):
    return {
        "Xã": commune,
        "Tên chi đoàn": name,
        "Loại": kind,
        "Số đoàn viên": members,
        "Ngày thành lập": founded,
    }


@pytest.fixture
def officer_client(client, tieu_can_officer):
    login_verified(client, tieu_can_officer)
    return client


def _import(client, rows):
    response = client.post(
        reverse("imports:batch_upload", args=["branches"]), {"file": upload(workbook_bytes(rows, HEADERS))}
    )
    assert response.status_code == 302
    return ImportBatch.objects.latest("pk")


def test_new_updated_unchanged_and_history(officer_client, world, hieu_tu, tieu_can_officer):
    cay_gon = world["tieu_can"]
    rows = [
        _row("Hieu Tu", "Ấp Mới", members=12, founded="26/03/2015"),  # without diacritics nor "Xã"
        _row("Xã Hiếu Tử", "ap cay gon", members=40),  # the same branch, another spelling: updated
        _row("29350", "Ấp Cây Gòn", members=40),  # by code; the same branch twice
    ]
    batch = _import(officer_client, rows)
    assert (batch.new_count, batch.updated_count, batch.error_count) == (1, 1, 1)
    rows.pop()
    batch = _import(officer_client, rows)
    assert (batch.new_count, batch.updated_count, batch.error_count) == (1, 1, 0)
    # The preview says what an update changes, from what to what.
    # The preview says what an update changes, from what to what; the changes first.
    assert [r["action"] for r in batch.report["rows"]] == ["updated", "new"]
    assert batch.report["rows"][0]["summary"] == "Ấp Cây Gòn — Xã Hiếu Tử (số đoàn viên: 32 → 40)"
    officer_client.post(reverse("imports:batch_confirm", args=[batch.pk]))
    new = Branch.objects.get(commune=hieu_tu, name="Ấp Mới")
    assert (new.member_count, new.founded_on, new.kind) == (12, datetime.date(2015, 3, 26), "ap")
    cay_gon.refresh_from_db()
    assert cay_gon.member_count == 40 and cay_gon.version == 2
    record = cay_gon.history.latest()
    assert (
        record.history_change_reason == "Nhập từ tệp danh-sach.xlsx"
        and record.history_user == tieu_can_officer
    )
    again = _import(officer_client, rows)
    assert (again.new_count, again.updated_count, again.unchanged_count) == (0, 0, 2)


def test_communes_out_of_scope_ended_or_unknown_are_refused(officer_client, world, hieu_tu):
    Commune.objects.create(
        code="29352",
        name="Xã Cũ",
        district=hieu_tu.district,
        province=hieu_tu.province,
        ended_on=datetime.date(2025, 6, 30),
    )
    batch = _import(
        officer_client,
        [
            _row("Xã An Trường", "Ấp A"),  # Càng Long's
            _row("Xã Cũ", "Ấp B"),
            _row("Xã Hiu Tử", "Ấp C"),  # a typo: suggested
            _row("Xã Hiếu Tử", "Ấp D", kind="Chi đoàn vũ trụ"),
            _row("Xã Hiếu Tử", "Ấp E", members=-3),
            _row("Xã Hiếu Tử", "Ấp F", members=12.5),
        ],
    )
    messages = [r["errors"][0]["message"] for r in batch.report["rows"]]
    assert batch.error_count == 6 and batch.new_count == 0
    assert "Xã An Trường không phải là xã thuộc đơn vị của bạn" in messages[0]
    assert "đã chấm dứt" in messages[1]
    assert "có phải là “Xã Hiếu Tử”" in messages[2]
    assert "không có trong danh mục" in messages[3]
    assert messages[4] == "-3 là số âm: số đếm phải từ 0 trở lên"
    assert messages[5] == "12,5 không phải số nguyên"  # written as the users write it
    assert not Branch.objects.filter(name__in=["Ấp A", "Ấp B", "Ấp C"]).exists()


def test_template_has_the_lists_of_the_users_scope(officer_client, world):
    import io

    from openpyxl import load_workbook

    response = officer_client.get(reverse("imports:batch_template", args=["branches"]))
    assert response.status_code == 200
    assert 'filename="mau-nhap-chi-doan-' in response["Content-Disposition"]  # in the users' words
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames == ["Dữ liệu", "Hướng dẫn", "Danh mục"]
    data, lists = workbook["Dữ liệu"], workbook["Danh mục"]
    assert [c.value for c in data[2]][:2] == ["Xã", "Tên chi đoàn *"]
    assert data.freeze_panes == "A3"
    communes = [c.value for c in lists["A"]][1:]
    communes = [c for c in communes if c]
    assert communes == ["Xã Hiếu Tử"]  # not Càng Long's
    assert any(
        "Danh mục" in v.sqref.__str__() or v.formula1.startswith("'Danh mục'")
        for v in data.data_validations.dataValidation
    )
    assert all(ws.sheet_state == "visible" for ws in workbook.worksheets)
