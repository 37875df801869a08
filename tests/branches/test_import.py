"""Import of branches: new ones added, existing ones (same name in the commune) updated, refusals per row."""

import datetime

import pytest
from django.urls import reverse

from branches.models import Branch, Commune
from core.importing.models import ImportBatch
from tests.factories import BranchFactory
from tests.importing import confirm, shown_preview, upload, workbook_bytes
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
    page = " ".join(officer_client.get(batch.get_absolute_url()).content.decode().split())
    assert "Ấp Cây Gòn — Xã Hiếu Tử (số đoàn viên: 32 → 40)" in page
    # In the reader's language, not the uploader's.
    officer_client.cookies["django_language"] = "en"
    page = " ".join(officer_client.get(batch.get_absolute_url()).content.decode().split())
    assert "Ấp Cây Gòn — Xã Hiếu Tử (member count: 32 → 40)" in page
    del officer_client.cookies["django_language"]
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
    assert messages[0] == "không tìm thấy Xã An Trường trong các xã, phường thuộc đơn vị của bạn"
    assert "đã chấm dứt" in messages[1]
    assert messages[2] == (
        "không tìm thấy Xã Hiu Tử trong các xã, phường thuộc đơn vị của bạn (có phải là “Xã Hiếu Tử”?)"
    )
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


# ---- a preview confirmed after the data changed: all of it or nothing, never over a newer save -----


def _stale_banner(client, batch) -> str:
    page = client.get(batch.get_absolute_url()).content.decode()
    assert 'data-testid="import-stale"' in page
    return page


def test_a_preview_confirmed_after_another_import_wrote_its_rows_writes_nothing(officer_client, hieu_tu):
    """QA's case: file A (two new branches) previewed, file B (one of them, with 44 members) previewed
    and imported, then A's preview confirmed: it would now create one and overwrite B's values."""
    a = _import(officer_client, [_row("Xã Hiếu Tử", "Ấp QA Xanh"), _row("Xã Hiếu Tử", "Ấp QA Vàng")])
    assert (a.new_count, a.updated_count) == (2, 0)
    a_page = shown_preview(officer_client, a)
    b = _import(officer_client, [_row("Xã Hiếu Tử", "Ấp QA Vàng", members=44, founded="07/09/2021")])
    confirm(officer_client, b)
    b.refresh_from_db()
    assert b.is_committed

    response = confirm(officer_client, a, a_page, follow=True)
    assert response.redirect_chain[-1][0] == a.get_absolute_url()
    assert not Branch.objects.filter(name="Ấp QA Xanh").exists()
    vang = Branch.objects.get(commune=hieu_tu, name="Ấp QA Vàng")
    assert (vang.member_count, vang.founded_on, vang.version) == (44, datetime.date(2021, 9, 7), 1)
    a.refresh_from_db()
    assert a.is_preview and a.committed_at is None
    # The page says so, in Vietnamese, and its preview now says what a confirmation would do.
    page = response.content.decode()
    assert "Dữ liệu đã thay đổi sau khi xem trước, ở 1 dòng (dòng 4): chưa nhập dòng nào." in page
    assert page.count("Dữ liệu đã thay đổi sau khi xem trước") == 1  # said once, not as a message too
    assert (a.new_count, a.updated_count) == (1, 1)
    assert "số đoàn viên: 44 → 30" in page

    # The page drawn before the re-check confirms nothing either, even a second time.
    response = confirm(officer_client, a, a_page, follow=True)
    assert "Dữ liệu đã thay đổi sau khi xem trước: chưa nhập dòng nào." in response.content.decode()
    assert not Branch.objects.filter(name="Ấp QA Xanh").exists()
    # Read, and confirmed from the new preview: that one is what is written.
    confirm(officer_client, a)
    a.refresh_from_db()
    vang.refresh_from_db()
    assert a.is_committed and vang.member_count == 30
    assert Branch.objects.filter(name="Ấp QA Xanh").exists()


def test_a_preview_whose_update_target_was_saved_since_writes_nothing(officer_client, world):
    from branches.services import branch_update

    cay_gon = world["tieu_can"]
    batch = _import(
        officer_client, [_row("Xã Hiếu Tử", "Ấp Cây Gòn", members=40), _row("Xã Hiếu Tử", "Ấp Mới Lập")]
    )
    assert (batch.new_count, batch.updated_count) == (1, 1)
    page = shown_preview(officer_client, batch)
    branch_update(branch=cay_gon, version=cay_gon.version, member_count=51)  # an officer's edit, meanwhile

    confirm(officer_client, batch, page)
    cay_gon.refresh_from_db()
    assert cay_gon.member_count == 51  # not overwritten with the preview's 40
    assert not Branch.objects.filter(name="Ấp Mới Lập").exists()  # nor any other row: all or nothing
    batch.refresh_from_db()
    assert batch.is_preview
    assert "Dữ liệu đã thay đổi sau khi xem trước, ở 1 dòng (dòng 3)" in _stale_banner(officer_client, batch)


def test_a_preview_whose_unchanged_row_was_saved_since_writes_nothing(officer_client, world):
    """ "Unchanged" on the preview, but the record was edited since: confirming would set it back."""
    from branches.services import branch_update

    cay_gon = world["tieu_can"]
    batch = _import(officer_client, [_row("Xã Hiếu Tử", "Ấp Cây Gòn", members=cay_gon.member_count)])
    assert batch.unchanged_count == 1
    page = shown_preview(officer_client, batch)
    branch_update(branch=cay_gon, version=cay_gon.version, member_count=cay_gon.member_count + 9)
    confirm(officer_client, batch, page)
    batch.refresh_from_db()
    assert batch.is_preview and batch.updated_count == 1
    cay_gon.refresh_from_db()
    assert cay_gon.version == 2 and cay_gon.history.count() == 2


def test_an_untouched_preview_commits_what_it_showed(officer_client, world, hieu_tu):
    cay_gon = world["tieu_can"]
    batch = _import(
        officer_client, [_row("Xã Hiếu Tử", "Ấp Cây Gòn", members=40), _row("Xã Hiếu Tử", "Ấp Mới Lập")]
    )
    page = shown_preview(officer_client, batch)
    assert page  # the page's form says which preview it shows
    BranchFactory(commune=hieu_tu, name="Ấp Khác").save()  # a record no row is about: no matter
    response = confirm(officer_client, batch, page, follow=True)
    assert "Đã nhập từ danh-sach.xlsx: 1 mới, 1 cập nhật, 0 không đổi." in response.content.decode()
    batch.refresh_from_db()
    cay_gon.refresh_from_db()
    assert batch.is_committed and cay_gon.member_count == 40
    assert Branch.objects.filter(commune=hieu_tu, name="Ấp Mới Lập").exists()


def test_a_large_import_committed_by_a_job_checks_its_preview_too(officer_client, world, hieu_tu, settings):
    from core.models import Job

    cay_gon = world["tieu_can"]
    batch = _import(
        officer_client, [_row("Xã Hiếu Tử", "Ấp Cây Gòn", members=40), _row("Xã Hiếu Tử", "Ấp Mới Lập")]
    )
    page = shown_preview(officer_client, batch)
    Branch.objects.get(pk=cay_gon.pk).save()
    settings.IMPORT_JOB_THRESHOLD = 1
    response = confirm(officer_client, batch, page)
    job = Job.objects.get()
    assert response["Location"] == job.get_absolute_url()
    assert job.is_failed and job.message.startswith("Dữ liệu đã thay đổi sau khi xem trước")
    assert job.result_url == batch.get_absolute_url()  # the job's page leads back to the preview
    assert batch.get_absolute_url() in officer_client.get(job.get_absolute_url()).content.decode()
    assert not Branch.objects.filter(name="Ấp Mới Lập").exists()
    batch.refresh_from_db()
    assert batch.is_preview
    _stale_banner(officer_client, batch)

    confirm(officer_client, batch)  # the preview as checked again, read and confirmed
    batch.refresh_from_db()
    assert batch.is_committed and Job.objects.latest("pk").is_done


def test_an_old_commune_that_went_into_the_officers_is_said_to_have_ceased(client, world, hieu_tu):
    """A sheet of before the reform names Xã Hiếu Tử, which went into the officer's commune: it is told to
    use today's commune, not that Hiếu Tử is another unit's."""
    from accounts.models import User
    from branches.models import CommuneSuccession
    from tests.factories import CommuneFactory, UserFactory

    Commune.objects.filter(pk=hieu_tu.pk).update(ended_on=datetime.date(2025, 6, 30))
    today = CommuneFactory(code="99001", name="Xã Mới Nhập", district=None, province=hieu_tu.province)
    CommuneSuccession.objects.create(predecessor=hieu_tu, successor=today, on=datetime.date(2025, 7, 1))
    officer = UserFactory(username="doanxa.moinhap", role=User.Role.COMMUNE_OFFICER, commune=today)
    client.force_login(officer)
    batch = _import(client, [_row("Xã Hiếu Tử", "Ấp G")])
    message = batch.report["rows"][0]["errors"][0]["message"]
    assert message.startswith("Xã Hiếu Tử đã chấm dứt"), message


def test_a_founding_date_after_the_first_term_or_before_the_union_is_refused(officer_client, hieu_tu):
    """QA finding 3, in the import: as in the form."""
    from tests.factories import person_with_term

    branch = BranchFactory(commune=hieu_tu, name="Ấp Bến Có")
    person_with_term(branch=branch, started_on=datetime.date(2024, 4, 18))
    rows = [
        _row("Xã Hiếu Tử", "Ấp Bến Có", founded="01/11/2024"),
        _row("Xã Hiếu Tử", "Ấp Xưa Lắm", founded="01/01/1800"),
    ]
    batch = _import(officer_client, rows)
    errors = [[e["message"] for e in r["errors"]] for r in batch.report["rows"]]
    assert batch.error_count == 2
    assert [
        "nhiệm kỳ sớm nhất của chi đoàn bắt đầu ngày 18/04/2024: ngày thành lập phải là ngày đó hoặc trước đó"
    ] in errors
    assert any("26/03/1931" in m for r in errors for m in r)
    batch = _import(officer_client, [_row("Xã Hiếu Tử", "Ấp Bến Có", founded="18/04/2024")])
    assert (batch.updated_count, batch.error_count) == (1, 0)


def test_a_branch_imports_preview_keeps_its_three_columns(officer_client, world):
    """Only the scores' preview shows a row's cells (tests/assessments/test_import.py): a branch import's
    rows stay row, action and record, in the plain table, and its report keeps nothing more."""
    import re

    batch = _import(
        officer_client, [_row("Xã Hiếu Tử", "Ấp Mới"), _row("Xã Hiếu Tử", "Ấp Cây Gòn", members=40)]
    )
    assert "columns" not in batch.report and not any("cells" in r for r in batch.report["rows"])
    page = officer_client.get(batch.get_absolute_url()).content.decode()
    table = page[page.index('<table class="table table-sm align-middle" data-testid="import-rows">') :]
    table = table[: table.index("</table>")]
    assert "data-import-cells" not in page and "import-cells-legend" not in page
    assert len(re.findall(r"<th\b", table)) == 3
    assert [len(re.findall(r"<td\b", tr)) for tr in re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]] == [3, 3]
