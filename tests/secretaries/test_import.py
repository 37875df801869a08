"""Import of secretaries with their current term: the preview, every refusal per row, all or nothing."""

import datetime

import pytest
from django.urls import reverse

from core.importing.models import ImportBatch
from secretaries.models import Person
from tests.factories import BranchFactory
from tests.importing import SECRETARY_HEADERS, confirm, secretary_row, shown_preview, upload, workbook_bytes
from tests.login import login_verified

# The world and the personas are built once for the module (tests/conftest.py: world_once).
pytestmark = pytest.mark.usefixtures("world_once")


@pytest.fixture
def officer_client(client, tieu_can_officer):
    login_verified(client, tieu_can_officer)
    return client


@pytest.fixture
def vacant(hieu_tu):
    return [BranchFactory(commune=hieu_tu, name=f"Ấp Số {i}") for i in range(1, 5)]


def _post(client, rows, name="danh-sach.xlsx", headers=SECRETARY_HEADERS):
    response = client.post(
        reverse("imports:batch_upload", args=["secretaries"]),
        {"file": upload(workbook_bytes(rows, headers), name)},
    )
    return response


def _batch(response) -> ImportBatch:
    assert response.status_code == 302, response.content.decode()[:3000]
    return ImportBatch.objects.get(pk=int(response.url.rstrip("/").split("/")[-1]))


def test_good_file_previews_then_imports_with_history(officer_client, vacant, tieu_can_officer):
    rows = [secretary_row(f"Trần Thị Mai {i}", vacant[i].name) for i in range(3)]
    batch = _batch(_post(officer_client, rows))
    assert (batch.new_count, batch.error_count, batch.row_count) == (3, 0, 3)
    assert not Person.objects.filter(full_name__startswith="Trần Thị Mai").exists()
    page = officer_client.get(batch.get_absolute_url()).content.decode()
    assert "Trần Thị Mai 0" in page
    response = officer_client.post(reverse("imports:batch_confirm", args=[batch.pk]))
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.is_committed
    people = Person.objects.filter(full_name__startswith="Trần Thị Mai")
    assert people.count() == 3
    person = people.get(full_name="Trần Thị Mai 0")
    # Religion is sensitive: a district officer's import ignores its column (secretaries/sensitive.py).
    assert (person.gender, person.ethnicity, person.religion, person.education_level) == (
        "nu",
        "05",
        "khong",
        "thpt",
    )
    assert person.is_party_member and person.phone_digits == "0912345678" and person.name_key
    term = person.terms.get()
    assert term.branch == vacant[0] and term.started_on == datetime.date(2025, 10, 1) and term.is_current
    record = person.history.get()
    assert record.history_change_reason == "Nhập từ tệp danh-sach.xlsx"
    assert record.history_user == tieu_can_officer
    assert term.history.get().history_change_reason == "Nhập từ tệp danh-sach.xlsx"


def _errors(batch) -> list[str]:
    return [f"{e['column']}: {e['message']}" for r in batch.report["rows"] for e in r["errors"]]


def _row_errors(batch, number) -> list[dict]:
    return next(r["errors"] for r in batch.report["rows"] if r["number"] == number)


def test_a_branch_of_the_unit_named_under_another_commune_is_said_so(officer_client, vacant, hieu_tu):
    """The branch is the unit's, in another commune than the row's: said so, not "did you mean" its own
    name."""
    from tests.factories import CommuneFactory

    other = CommuneFactory(code="29359", name="Xã Long Thới", district=hieu_tu.district)
    row = secretary_row("Người Mười", vacant[0].name, Xã=other.name)
    batch = _batch(_post(officer_client, [row], headers=[*SECRETARY_HEADERS, "Xã"]))
    assert [e["message"] for e in _row_errors(batch, 3)] == ["Ấp Số 1 không phải chi đoàn của Xã Long Thới"]


def test_refusals_per_row_and_nothing_saved(officer_client, vacant, world, hieu_tu):
    from branches.models import Commune

    ended = Commune.objects.create(
        code="29351",
        name="Xã Đã Nhập",
        district=hieu_tu.district,
        province=hieu_tu.province,
        ended_on=datetime.date(2025, 6, 30),
    )
    BranchFactory(commune=ended, name="Ấp Cũ")
    inactive = BranchFactory(commune=hieu_tu, name="Ấp Ngừng", is_active=False)
    teo = world["tieu_can_person"]
    rows = [
        secretary_row("Người Một", vacant[0].name),  # 3: fine
        secretary_row("Người Hai", world["cang_long"].name),  # 4: another district's branch
        secretary_row("Người Ba", "Ấp Số 9"),  # 5: unknown, close to "Ấp Số 1"…
        secretary_row("Người Bốn", "Ấp Cũ"),  # 6: its commune ended
        secretary_row("Người Năm", inactive.name),  # 7: inactive
        secretary_row("Người Sáu", world["tieu_can"].name),  # 8: has a current secretary
        secretary_row("Người Bảy", vacant[0].name),  # 9: same branch as row 3
        secretary_row("Người Một", vacant[1].name),  # 10: same person as row 3
        secretary_row(teo.full_name, vacant[2].name, born=teo.date_of_birth),  # 11: already in the portal
        secretary_row("Người Tám", vacant[3].name, born="31/02/1999"),  # 12: impossible date
        secretary_row("Người Chín", vacant[3].name, started="01/01/2030"),  # 13: not begun yet
    ]
    batch = _batch(_post(officer_client, rows))
    assert (batch.new_count, batch.error_count) == (1, 10)
    assert (
        "Chi đoàn: không tìm thấy chi đoàn Ấp Đại Đức trong đơn vị của bạn"
        in _row_errors(batch, 4)[0]["column"] + ": " + _row_errors(batch, 4)[0]["message"]
    )
    assert "có phải là “Ấp Số" in _row_errors(batch, 5)[0]["message"]
    assert "đã chấm dứt" in _row_errors(batch, 6)[0]["message"]
    assert "ngừng hoạt động" in _row_errors(batch, 7)[0]["message"]
    holder = _row_errors(batch, 8)[0]
    assert teo.full_name in holder["message"] and holder["link"] == teo.get_absolute_url()
    # The clash named, not a row said to appoint (row 12 appoints nobody: its date is refused).
    assert _row_errors(batch, 9)[0]["message"] == "bí thư của chi đoàn này đã có ở dòng 3"
    assert "dòng 3" in _row_errors(batch, 10)[0]["message"]
    duplicate = _row_errors(batch, 11)[0]
    assert "đã có trên cổng thông tin" in duplicate["message"] and duplicate["link"] == teo.get_absolute_url()
    assert _row_errors(batch, 12)[0]["message"] == "31/02/1999 không phải ngày hợp lệ"
    # In the columns' order: its branch taken by row 12 ("Chi đoàn"), then its start ("Bắt đầu nhiệm kỳ").
    assert _row_errors(batch, 13)[0]["message"] == "bí thư của chi đoàn này đã có ở dòng 12"
    assert "chưa đến" in _row_errors(batch, 13)[-1]["message"]

    page = officer_client.get(batch.get_absolute_url()).content.decode()
    assert "Dòng 12, Ngày sinh: 31/02/1999 không phải ngày hợp lệ" in page
    assert "Nhập 11 dòng" not in page  # no confirm button while errors remain
    # Posting the confirmation anyway saves nothing.
    response = officer_client.post(reverse("imports:batch_confirm", args=[batch.pk]), follow=True)
    assert "Chưa nhập gì" in response.content.decode()
    assert not Person.objects.filter(full_name="Người Một").exists()
    batch.refresh_from_db()
    assert batch.is_preview


def test_same_person_updates_the_existing_record_instead_of_adding(officer_client, world):
    teo = world["tieu_can_person"]
    row = secretary_row(
        teo.full_name, world["tieu_can"].name, born=teo.date_of_birth, **{"Nghề nghiệp": "Kỹ sư nông nghiệp"}
    )
    batch = _batch(_post(officer_client, [row]))
    assert batch.error_count == 1
    response = officer_client.post(
        reverse("imports:batch_same_person", args=[batch.pk]), {"same_person": ["3"]}
    )
    assert response.status_code == 302
    batch.refresh_from_db()
    assert (batch.error_count, batch.updated_count) == (0, 1)
    officer_client.post(reverse("imports:batch_confirm", args=[batch.pk]))
    teo.refresh_from_db()
    assert teo.occupation == "Kỹ sư nông nghiệp"
    assert teo.terms.count() == 1  # the current term is kept, not doubled
    assert Person.objects.filter(full_name=teo.full_name).count() == 1
    assert teo.history.latest().history_change_reason == "Nhập từ tệp danh-sach.xlsx"


def test_same_person_in_another_branch_would_overlap_the_current_term(officer_client, world, vacant):
    teo = world["tieu_can_person"]
    batch = _batch(
        _post(officer_client, [secretary_row(teo.full_name, vacant[0].name, born=teo.date_of_birth)])
    )
    officer_client.post(reverse("imports:batch_same_person", args=[batch.pk]), {"same_person": ["3"]})
    batch.refresh_from_db()
    assert batch.error_count == 1
    assert "chồng lên nhau" in _row_errors(batch, 3)[0]["message"]


def test_confirm_rechecks_the_rows_a_secretary_appointed_meanwhile_is_refused(officer_client, vacant):
    from secretaries.services import person_create

    batch = _batch(_post(officer_client, [secretary_row("Người Mới", vacant[0].name)]))
    assert batch.error_count == 0
    person_create(
        branch=vacant[0],
        role="bi_thu",
        started_on=datetime.date(2025, 9, 1),
        full_name="Người Khác",
        gender="nam",
        date_of_birth=datetime.date(1995, 1, 1),
    )
    response = officer_client.post(reverse("imports:batch_confirm", args=[batch.pk]), follow=True)
    assert "Chưa nhập gì" in response.content.decode()
    assert not Person.objects.filter(full_name="Người Mới").exists()
    batch.refresh_from_db()
    assert batch.is_preview and batch.error_count == 1
    assert "Người Khác" in _row_errors(batch, 3)[0]["message"]


def test_a_batch_is_committed_once(officer_client, vacant):
    batch = _batch(_post(officer_client, [secretary_row("Người Mới", vacant[0].name)]))
    officer_client.post(reverse("imports:batch_confirm", args=[batch.pk]))
    response = officer_client.post(reverse("imports:batch_confirm", args=[batch.pk]))
    assert response.status_code == 403
    assert Person.objects.filter(full_name="Người Mới").count() == 1


def test_another_officer_neither_sees_nor_confirms_the_batch(
    officer_client, client, vacant, cang_long_officer
):
    batch = _batch(_post(officer_client, [secretary_row("Người Mới", vacant[0].name)]))
    client.logout()
    login_verified(client, cang_long_officer)
    for name in ("batch_detail", "batch_file"):
        assert client.get(reverse(f"imports:{name}", args=[batch.pk])).status_code == 404
    assert client.post(reverse("imports:batch_confirm", args=[batch.pk])).status_code == 404
    assert batch.file_name not in client.get(reverse("imports:batch_list")).content.decode()


def test_an_officer_of_an_ended_unit_may_not_import(client, tieu_can_officer, tieu_can):
    tieu_can.ended_on = datetime.date(2025, 6, 30)
    tieu_can.save()
    login_verified(client, tieu_can_officer)
    assert client.get(reverse("imports:batch_upload", args=["secretaries"])).status_code == 403
    assert client.get(reverse("imports:batch_template", args=["secretaries"])).status_code == 403


def test_queries_do_not_grow_with_the_rows(officer_client, hieu_tu, count_queries):
    branches = [BranchFactory(commune=hieu_tu, name=f"Ấp Đếm {i}") for i in range(15)]

    def run(names):
        rows = [secretary_row(f"Người Đếm {n}", branches[n].name) for n in names]
        with count_queries() as upload_queries:
            batch = _batch(_post(officer_client, rows))
        with count_queries() as commit_queries:
            officer_client.post(reverse("imports:batch_confirm", args=[batch.pk]))
        batch.refresh_from_db()
        assert batch.is_committed and batch.new_count == len(names)
        return len(upload_queries), len(commit_queries)

    small = run(range(3))
    large = run(range(3, 15))
    assert small == large


def test_a_commune_officer_neither_imports_into_nor_sees_another_communes_import(
    client, world, hieu_tu, an_truong
):
    from tests.factories import UserFactory

    hieu_tu_officer = UserFactory(username="doanxa.hieutu", role="commune_officer", commune=hieu_tu)
    an_truong_officer = UserFactory(username="doanxa.antruong", role="commune_officer", commune=an_truong)
    spare = BranchFactory(commune=hieu_tu, name="Ấp Trống")
    login_verified(client, hieu_tu_officer)
    batch = _batch(_post(client, [secretary_row("Người Xã", spare.name)]))
    assert batch.error_count == 0 and batch.scope_commune == hieu_tu.pk

    client.logout()
    login_verified(client, an_truong_officer)
    assert client.get(batch.get_absolute_url()).status_code == 404
    assert client.get(reverse("imports:batch_file", args=[batch.pk])).status_code == 404
    assert client.post(reverse("imports:batch_confirm", args=[batch.pk])).status_code == 404
    assert "Người Xã" not in client.get(reverse("imports:batch_list")).content.decode()
    # Its own import naming the other commune's branch is refused on that row.
    other = _batch(_post(client, [secretary_row("Người Lạ", spare.name)]))
    assert other.error_count == 1
    assert "không tìm thấy chi đoàn" in _row_errors(other, 3)[0]["message"]
    # The template offers only its own branches.
    import io

    from openpyxl import load_workbook

    response = client.get(reverse("imports:batch_template", args=["secretaries"]))
    lists = load_workbook(io.BytesIO(b"".join(response.streaming_content)))["Danh mục"]
    offered = {c.value for row in lists.iter_rows() for c in row if c.value}
    assert spare.name not in offered and world["cang_long"].name in offered


def test_import_log_queries_do_not_grow(officer_client, vacant, count_queries):
    _batch(_post(officer_client, [secretary_row("Người Nhật Ký", vacant[0].name)]))
    with count_queries() as small:
        assert officer_client.get(reverse("imports:batch_list")).status_code == 200
    for i in range(4):
        _batch(
            _post(officer_client, [secretary_row(f"Người Nhật Ký {i}", vacant[1].name)], name=f"f{i}.xlsx")
        )
    with count_queries() as large:
        page = officer_client.get(reverse("imports:batch_list"))
    assert "f3.xlsx" in page.content.decode()
    assert len(large) == len(small)


def test_a_phone_typed_as_a_number_gets_its_leading_zero_back(officer_client, vacant):
    batch = _batch(
        _post(officer_client, [secretary_row("Người Số", vacant[0].name, **{"Số điện thoại": 912345678})])
    )
    officer_client.post(reverse("imports:batch_confirm", args=[batch.pk]))
    assert Person.objects.get(full_name="Người Số").phone == "0912 345 678"


def test_same_person_cannot_drop_a_party_membership_with_a_joining_date(officer_client, world):
    teo = world["tieu_can_person"]
    Person.objects.filter(pk=teo.pk).update(is_party_member=True, party_joined_on=datetime.date(2020, 5, 19))
    row = secretary_row(
        teo.full_name, world["tieu_can"].name, born=teo.date_of_birth, **{"Đảng viên": "Không"}
    )
    batch = _batch(_post(officer_client, [row]))
    officer_client.post(reverse("imports:batch_same_person", args=[batch.pk]), {"same_person": ["3"]})
    batch.refresh_from_db()
    assert batch.error_count == 1
    assert "19/05/2020" in _row_errors(batch, 3)[0]["message"]
    # An empty cell keeps the membership.
    row["Đảng viên"] = ""
    batch = _batch(_post(officer_client, [row]))
    officer_client.post(reverse("imports:batch_same_person", args=[batch.pk]), {"same_person": ["3"]})
    batch.refresh_from_db()
    assert batch.error_count == 0
    officer_client.post(reverse("imports:batch_confirm", args=[batch.pk]))
    teo.refresh_from_db()
    assert teo.is_party_member and teo.party_joined_on == datetime.date(2020, 5, 19)


def test_an_officers_template_has_no_religion_and_a_file_with_it_says_it_was_not_imported(
    officer_client, vacant, tra_vinh_staff
):
    """Religion is set only by provincial staff (secretaries/sensitive.py): an officer's template has no
    such column, and a file that has one (a staffer's template, say) is previewed saying so, not silently."""
    import io

    from openpyxl import load_workbook

    def headers(user_client):
        response = user_client.get(reverse("imports:batch_template", args=["secretaries"]))
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        return [c.value for c in sheet[2]]

    assert "Tôn giáo" not in headers(officer_client) and "Dân tộc" in headers(officer_client)
    from django.test import Client

    assert "Tôn giáo" in headers(login_verified(Client(), tra_vinh_staff))

    batch = _batch(_post(officer_client, [secretary_row("Thạch Thị Sa", vacant[0].name)]))
    page = officer_client.get(batch.get_absolute_url()).content.decode()
    assert "Các cột không được nhập: Tôn giáo (chỉ Tỉnh đoàn ghi)" in page
    # Without a value in it, nothing to say.
    empty = _batch(_post(officer_client, [secretary_row("Thạch Thị Sa", vacant[1].name, **{"Tôn giáo": ""})]))
    assert "Tôn giáo (chỉ Tỉnh đoàn ghi)" not in officer_client.get(empty.get_absolute_url()).content.decode()


def test_a_preview_whose_person_was_saved_since_writes_nothing(officer_client, world, vacant):
    """Row 3 updates an existing person ("same person"), row 4 adds one: the person's record saved after
    the preview, nothing is written, and the page says the data changed."""
    from secretaries.services import person_update

    teo = world["tieu_can_person"]
    rows = [
        secretary_row(
            teo.full_name, world["tieu_can"].name, born=teo.date_of_birth, **{"Nghề nghiệp": "Kỹ sư"}
        ),
        secretary_row("Người Mới", vacant[0].name),
    ]
    batch = _batch(_post(officer_client, rows))
    officer_client.post(reverse("imports:batch_same_person", args=[batch.pk]), {"same_person": ["3"]})
    batch.refresh_from_db()
    assert (batch.error_count, batch.updated_count, batch.new_count) == (0, 1, 1)
    page = shown_preview(officer_client, batch)
    person_update(person=teo, version=teo.version, phone="0987 654 321", occupation="Giáo viên")

    response = confirm(officer_client, batch, page, follow=True)
    assert "Dữ liệu đã thay đổi sau khi xem trước, ở 1 dòng (dòng 3)" in response.content.decode()
    teo.refresh_from_db()
    assert (teo.occupation, teo.phone) == ("Giáo viên", "0987 654 321")
    assert not Person.objects.filter(full_name="Người Mới").exists()
    batch.refresh_from_db()
    assert batch.is_preview

    confirm(officer_client, batch)  # the preview checked again, read, confirmed
    teo.refresh_from_db()
    assert teo.occupation == "Kỹ sư" and Person.objects.filter(full_name="Người Mới").exists()


# The list's own export, uploaded back (docs/importing.md: a list that can be exported can be imported).


@pytest.fixture
def listed(world, hieu_tu):
    """Tèo, secretary of Ấp Cây Gòn; a deputy there; a former secretary whose term ended."""
    from secretaries.models import Term
    from tests.factories import person_with_term

    branch = world["tieu_can"]
    deputy = person_with_term(
        branch=branch, role="pho_bi_thu", full_name="Đỗ Thanh Hải", started_on=datetime.date(2023, 5, 2)
    )
    former = person_with_term(
        branch=BranchFactory(commune=hieu_tu, name="Ấp Bến Cũ"),
        full_name="Lâm Thị Bé",
        started_on=datetime.date(2018, 1, 15),
    )
    Term.objects.filter(person=former).update(ended_on=datetime.date(2021, 12, 31))
    return {"teo": world["tieu_can_person"], "deputy": deputy, "former": former}


def _exported(client) -> bytes:
    response = client.get(reverse("secretaries:person_export"))
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


def _edited(content: bytes, name: str, header: str, value) -> bytes:
    """The export with one cell of `name`'s row changed, as an officer would in Excel."""
    import io

    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook.active
    rows = list(sheet.iter_rows())
    at = next(i for i, r in enumerate(rows) if header in [c.value for c in r])
    headers = [c.value for c in rows[at]]
    column, names = headers.index(header), headers.index("Họ và tên")
    row = next(r for r in rows[at + 1 :] if r[names].value == name)
    row[column].value = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _upload_file(client, content: bytes) -> ImportBatch:
    return _batch(
        client.post(
            reverse("imports:batch_upload", args=["secretaries"]), {"file": upload(content, "bi-thu.xlsx")}
        )
    )


def _actions(batch) -> dict[str, str]:
    return {r["summary"].split(" (")[0]: r["action"] for r in batch.report["rows"]}


def _history_counts():
    from secretaries.models import Term

    return Person.history.count(), Term.history.count(), Term.objects.count()


def test_the_export_uploaded_unchanged_previews_every_row_unchanged_and_writes_nothing(
    officer_client, listed
):
    """The secretary, the deputy and the former secretary are each their own record: none is refused
    because of themselves ("Ấp Cây Gòn already has a secretary" on Tèo's own row), none is new."""
    before = _history_counts()
    batch = _upload_file(officer_client, _exported(officer_client))
    assert batch.row_count == 3
    assert (batch.error_count, batch.new_count, batch.updated_count) == (0, 0, 0), batch.report["rows"]
    assert _actions(batch) == {
        "Nguyễn Văn Tèo": "unchanged",
        "Đỗ Thanh Hải": "unchanged",
        "Lâm Thị Bé": "unchanged",
    }
    page = officer_client.get(batch.get_absolute_url()).content.decode()
    assert "Cùng một người với người đã có" not in page  # no "same person" to tick: the rows say who
    confirm(officer_client, batch)
    batch.refresh_from_db()
    assert batch.is_committed
    assert _history_counts() == before


def test_an_edited_phone_in_the_export_updates_that_person_only(officer_client, listed):
    teo = listed["teo"]
    content = _edited(_exported(officer_client), teo.full_name, "Số điện thoại", "0987 654 321")
    batch = _upload_file(officer_client, content)
    assert (batch.error_count, batch.new_count, batch.updated_count) == (0, 0, 1), batch.report["rows"]
    assert _actions(batch)["Nguyễn Văn Tèo"] == "updated"
    confirm(officer_client, batch)
    teo.refresh_from_db()
    assert teo.phone == "0987 654 321" and teo.phone_digits == "0987654321"
    assert teo.terms.count() == 1
    assert teo.history.latest().history_change_reason == "Nhập từ tệp bi-thu.xlsx"


@pytest.mark.parametrize("label", ["Phó Bí thư", "Pho Bi thu", "pho bi thu"])
def test_a_deputys_row_is_their_deputy_term_with_or_without_diacritics(officer_client, listed, label):
    deputy = listed["deputy"]
    content = _edited(_exported(officer_client), deputy.full_name, "Chức vụ hiện tại", label)
    content = _edited(content, deputy.full_name, "Nghề nghiệp", "Thợ may")
    batch = _upload_file(officer_client, content)
    assert batch.error_count == 0, batch.report["rows"]
    assert _actions(batch)["Đỗ Thanh Hải"] == "updated"
    confirm(officer_client, batch)
    deputy.refresh_from_db()
    assert deputy.occupation == "Thợ may"
    assert [(t.role, t.ended_on) for t in deputy.terms.all()] == [("pho_bi_thu", None)]


def test_a_former_secretarys_row_needs_no_branch_and_updates_the_person(officer_client, listed):
    former = listed["former"]
    content = _edited(_exported(officer_client), former.full_name, "Nghề nghiệp", "Kế toán")
    batch = _upload_file(officer_client, content)
    assert batch.error_count == 0, batch.report["rows"]
    assert _actions(batch)["Lâm Thị Bé"] == "updated"
    confirm(officer_client, batch)
    former.refresh_from_db()
    assert former.occupation == "Kế toán" and not former.terms.filter(ended_on__isnull=True).exists()


def test_a_new_person_without_a_branch_is_still_asked_for_one(officer_client, listed, vacant):
    rows = [
        secretary_row("Người Không Chi Đoàn", "", started=""),
        secretary_row("Người Phó", vacant[0].name, **{"Chức vụ hiện tại": "Phó Bí thư"}),
        secretary_row("Người Phó Hai", listed["teo"].terms.get().branch.name, **{"Chức vụ": "Phó Bí thư"}),
    ]
    headers = [*SECRETARY_HEADERS, "Chức vụ hiện tại"]
    for row in rows:
        row["Chức vụ hiện tại"] = row.pop("Chức vụ", row.get("Chức vụ hiện tại"))
    batch = _batch(_post(officer_client, rows, headers=headers))
    assert (batch.error_count, batch.new_count) == (1, 2), batch.report["rows"]
    assert "phải điền" in _row_errors(batch, 3)[0]["message"]
    confirm(officer_client, _batch(_post(officer_client, rows[1:], headers=headers)))
    assert Person.objects.get(full_name="Người Phó").terms.get().role == "pho_bi_thu"


def test_a_kept_term_saved_since_the_preview_refuses_the_export(officer_client, listed):
    """Every row unchanged, and still the preview is of the records as read: the deputy's term saved since
    (its version raised) makes the confirmation write nothing and say so."""
    batch = _upload_file(officer_client, _exported(officer_client))
    page = shown_preview(officer_client, batch)
    term = listed["deputy"].terms.get()
    term.expected_end_on = datetime.date(2027, 5, 1)
    term.save()
    response = confirm(officer_client, batch, page, follow=True)
    assert "Dữ liệu đã thay đổi sau khi xem trước" in response.content.decode()
    batch.refresh_from_db()
    assert batch.is_preview


def test_the_exports_import_queries_do_not_grow_with_the_rows(officer_client, listed, hieu_tu, count_queries):
    from secretaries.models import Term
    from tests.factories import person_with_term

    def run():
        content = _exported(officer_client)
        with count_queries() as queries:
            batch = _upload_file(officer_client, content)
        assert batch.error_count == 0 and batch.new_count == 0, batch.report["rows"]
        return batch.row_count, len(queries)

    small_rows, small = run()
    branch = listed["teo"].terms.get().branch
    for i in range(4):
        person_with_term(branch=branch, role="pho_bi_thu", full_name=f"Người Phó {i}")
        gone = person_with_term(
            branch=BranchFactory(commune=hieu_tu, name=f"Ấp Cũ {i}"),
            full_name=f"Người Cũ {i}",
            started_on=datetime.date(2015, 1, i + 1),
        )
        Term.objects.filter(person=gone).update(ended_on=datetime.date(2016, 1, 1))
    large_rows, large = run()
    assert large_rows == small_rows + 8
    assert large == small


def test_a_person_served_elsewhere_now_reads_back_unchanged_and_is_not_changed_by_the_commune(
    client, world, hieu_tu, an_truong
):
    """A commune reads (and exports) a former secretary of its branches who serves in another commune now:
    their unchanged row is "Unchanged", not refused because that commune is not the importer's; a changed
    row says the other commune keeps the record. The rule is the person page's (kept_by)."""
    from secretaries.services import term_appoint
    from tests.factories import UserFactory, person_with_term

    officer = UserFactory(username="doanxa.hieutu", role="commune_officer", commune=hieu_tu)
    moved = person_with_term(
        branch=BranchFactory(commune=hieu_tu, name="Ấp Đi"),
        full_name="Trần Văn Chuyển",
        started_on=datetime.date(2020, 1, 1),
    )
    moved.terms.update(ended_on=datetime.date(2023, 1, 1))
    term_appoint(
        person=moved,
        branch=BranchFactory(commune=an_truong, name="Ấp Đến"),
        role="bi_thu",
        started_on=datetime.date(2023, 2, 1),
    )
    stay = person_with_term(branch=BranchFactory(commune=hieu_tu, name="Ấp Ở"), full_name="Lê Thị Ở")
    login_verified(client, officer)
    exported = _exported(client)
    before = _history_counts()
    batch = _upload_file(client, exported)
    assert batch.error_count == 0, batch.report["rows"]
    actions = _actions(batch)
    assert actions["Trần Văn Chuyển"] == actions["Lê Thị Ở"] == "unchanged"
    assert set(actions.values()) == {"unchanged"}
    confirm(client, batch)
    batch.refresh_from_db()
    assert batch.is_committed and _history_counts() == before

    changed = _upload_file(client, _edited(exported, moved.full_name, "Nghề nghiệp", "Kế toán"))
    assert changed.error_count == 1
    row = next(r for r in changed.report["rows"] if r["summary"].startswith("Trần Văn Chuyển"))
    message = row["errors"][0]["message"]
    assert an_truong.name in message and "chỉ xem" in message, message
    assert "không phải là xã thuộc đơn vị của bạn" not in message
    moved.refresh_from_db()
    assert moved.occupation != "Kế toán" and stay.occupation != "Kế toán"


# The Party joining date and the term's expected end: read from the template and from the list's export.

DATED_HEADERS = [*SECRETARY_HEADERS, "Ngày vào Đảng", "Hết nhiệm kỳ (dự kiến)"]


def test_the_party_date_and_the_expected_end_are_imported_with_the_forms_rules(officer_client, vacant):
    rows = [
        secretary_row("Người Đủ Ngày", vacant[0].name, **{"Ngày vào Đảng": "26/03/2021"}),
        secretary_row(
            "Người Chưa Vào Đảng", vacant[1].name, **{"Đảng viên": "Không", "Ngày vào Đảng": "26/03/2021"}
        ),
        secretary_row("Người Hết Sớm", vacant[2].name, **{"Hết nhiệm kỳ (dự kiến)": "01/09/2025"}),
        secretary_row("Người Vào Đảng Sau", vacant[3].name, **{"Ngày vào Đảng": "01/01/2099"}),
    ]
    rows[0]["Hết nhiệm kỳ (dự kiến)"] = "01/10/2030"
    for row in rows:
        row.setdefault("Ngày vào Đảng", "")
        row.setdefault("Hết nhiệm kỳ (dự kiến)", "")
    batch = _batch(_post(officer_client, rows, headers=DATED_HEADERS))
    assert not [h for h in batch.report["ignored_headers"] if "Đảng" in h or "nhiệm kỳ" in h]
    assert (batch.new_count, batch.error_count) == (1, 3), batch.report["rows"]
    assert [e["column"] for e in _row_errors(batch, 4)] == ["Ngày vào Đảng"]
    assert "đảng viên" in _row_errors(batch, 4)[0]["message"].lower()
    assert [e["column"] for e in _row_errors(batch, 5)] == ["Hết nhiệm kỳ (dự kiến)"]
    assert [e["column"] for e in _row_errors(batch, 6)] == ["Ngày vào Đảng"]
    assert not Person.objects.filter(full_name="Người Đủ Ngày").exists()  # all or nothing

    confirm(officer_client, _batch(_post(officer_client, rows[:1], headers=DATED_HEADERS)))
    person = Person.objects.get(full_name="Người Đủ Ngày")
    assert person.party_joined_on == datetime.date(2021, 3, 26)
    assert person.terms.get().expected_end_on == datetime.date(2030, 10, 1)


def test_the_template_has_the_party_date_and_the_expected_end(officer_client):
    import io

    from openpyxl import load_workbook

    response = officer_client.get(reverse("imports:batch_template", args=["secretaries"]))
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cells = {str(c.value) for sheet in workbook.worksheets for row in sheet.iter_rows() for c in row}
    assert {"Ngày vào Đảng", "Hết nhiệm kỳ (dự kiến)"} <= cells


def test_the_exports_party_dates_and_expected_ends_read_back_unchanged_and_an_edited_end_updates_the_term(
    officer_client, listed
):
    from secretaries.models import Term

    teo, deputy = listed["teo"], listed["deputy"]
    Person.objects.filter(pk=teo.pk).update(is_party_member=True, party_joined_on=datetime.date(2020, 5, 19))
    Term.objects.filter(person=deputy).update(expected_end_on=datetime.date(2028, 5, 1))
    content = _exported(officer_client)
    before = _history_counts()
    batch = _upload_file(officer_client, content)
    assert not [h for h in batch.report["ignored_headers"] if "Đảng" in h or "nhiệm kỳ" in h]
    assert set(_actions(batch).values()) == {"unchanged"}, batch.report["rows"]
    confirm(officer_client, batch)
    assert _history_counts() == before

    batch = _upload_file(
        officer_client, _edited(content, deputy.full_name, "Hết nhiệm kỳ (dự kiến)", "01/06/2028")
    )
    assert _actions(batch) == {
        "Nguyễn Văn Tèo": "unchanged",
        "Đỗ Thanh Hải": "updated",
        "Lâm Thị Bé": "unchanged",
    }
    confirm(officer_client, batch)
    term = deputy.terms.get()
    assert term.expected_end_on == datetime.date(2028, 6, 1) and term.version == 2
    assert term.history.latest().history_change_reason == "Nhập từ tệp bi-thu.xlsx"

    edited = _edited(content, deputy.full_name, "Hết nhiệm kỳ (dự kiến)", "01/01/2020")
    batch = _upload_file(officer_client, edited)
    assert [
        e["column"]
        for e in _row_errors(batch, next(r["number"] for r in batch.report["rows"] if "Hải" in r["summary"]))
    ] == ["Hết nhiệm kỳ (dự kiến)"]


def test_a_start_before_the_branch_or_within_a_previous_secretary_is_refused(officer_client, hieu_tu):
    """QA findings 2 and 1: the preview refuses what the appointment form refuses."""
    from tests.factories import person_with_term

    founded = BranchFactory(commune=hieu_tu, name="Ấp Đại Mong B", founded_on=datetime.date(2025, 4, 1))
    had = BranchFactory(commune=hieu_tu, name="Ấp Giồng Lớn")
    tuyet = person_with_term(branch=had, full_name="Dương Ngọc Tuyết", started_on=datetime.date(2022, 8, 6))
    tuyet.terms.update(ended_on=datetime.date(2025, 5, 16))
    rows = [
        secretary_row("Võ Thị Trước Khi Có", founded.name, started="01/03/2025"),
        secretary_row("Lê Hoàng Long", had.name, started="01/01/2025"),
        secretary_row(
            "Võ Thị Đúng Ngày", founded.name.lower(), started="01/04/2025", **{"Số điện thoại": ""}
        ),
    ]
    batch = _batch(_post(officer_client, rows))
    assert batch.error_count == 3  # the third row names the first's branch again
    assert [e["message"] for e in _row_errors(batch, 3)] == [
        "Ấp Đại Mong B thành lập ngày 01/04/2025: nhiệm kỳ không thể bắt đầu trước ngày đó"
    ]
    assert [e["message"] for e in _row_errors(batch, 4)] == [
        "Dương Ngọc Tuyết là bí thư Ấp Giồng Lớn từ 06/08/2022 đến 16/05/2025: "
        "mỗi chi đoàn chỉ có một bí thư tại một thời điểm, "
        "nên nhiệm kỳ mới chỉ có thể bắt đầu từ ngày 17/05/2025"
    ]
    batch = _batch(
        _post(officer_client, [rows[2], secretary_row("Lê Hoàng Long", had.name, started="17/05/2025")])
    )
    assert batch.error_count == 0


def test_a_branch_named_without_its_hamlet_word_is_read_when_it_is_the_only_one(
    officer_client, vacant, hieu_tu
):
    """Excel sheets often write "Số 2" for "Ấp Số 2" (as the template says, with or without diacritics): the
    only branch so named is read; two are refused as several, and a name found nowhere says so."""
    BranchFactory(commune=hieu_tu, name="Khóm Số 4")
    rows = [
        secretary_row("Người Một", "Số 2"),  # 3: Ấp Số 2
        secretary_row("Người Hai", "so 3"),  # 4: Ấp Số 3, typed without diacritics
        secretary_row("Người Ba", "Số 4"),  # 5: Ấp Số 4 or Khóm Số 4
        secretary_row("Người Bốn", "Số 7"),  # 6: none, close to "Ấp Số …"
    ]
    batch = _batch(_post(officer_client, rows))
    assert (batch.new_count, batch.error_count) == (2, 2)
    assert not _row_errors(batch, 3) and not _row_errors(batch, 4)
    assert _row_errors(batch, 5)[0]["message"] == (
        "Số 4 có thể là “Khóm Số 4” / “Ấp Số 4”: hãy ghi đầy đủ tên chi đoàn"
    )
    message = _row_errors(batch, 6)[0]["message"]
    assert message.startswith("không tìm thấy chi đoàn Số 7 trong đơn vị của bạn (có phải là “")


def test_the_preview_of_a_new_row_says_how_its_gender_role_term_and_phone_were_read(officer_client, vacant):
    headers = [*DATED_HEADERS, "Chức vụ hiện tại"]
    rows = [
        secretary_row(
            "Thạch Thị Nhập Hai",
            vacant[0].name,
            **{"Giới tính": "nu", "Số điện thoại": "0911222444", "Hết nhiệm kỳ (dự kiến)": "01/10/2030"},
        ),
        secretary_row(
            "Lâm Văn Phó",
            vacant[1].name,
            **{"Giới tính": "Nam", "Số điện thoại": "", "Chức vụ hiện tại": "pho bi thu"},
        ),
    ]
    batch = _batch(_post(officer_client, rows, headers=headers))
    assert (batch.new_count, batch.error_count) == (2, 0), batch.report["rows"]
    page = " ".join(officer_client.get(batch.get_absolute_url()).content.decode().split())
    assert (
        f"Thạch Thị Nhập Hai (05/09/1998) — {vacant[0].name} (giới tính: Nữ; vai trò: Bí thư; ngày bắt đầu: "
        "01/10/2025; ngày hết nhiệm kỳ (dự kiến): 01/10/2030; số điện thoại: 0911 222 444)"
    ) in page
    assert (
        f"Lâm Văn Phó (05/09/1998) — {vacant[1].name} (giới tính: Nam; vai trò: Phó Bí thư; ngày bắt đầu: "
        "01/10/2025; ngày hết nhiệm kỳ (dự kiến): —)"
    ) in page
    # The words in the reader's language, not the uploader's.
    officer_client.cookies["django_language"] = "en"
    page = " ".join(officer_client.get(batch.get_absolute_url()).content.decode().split())
    assert "(gender: Male; role: Deputy secretary; started on:" in page


def test_a_name_typed_without_diacritics_keeps_the_records_spelling_and_the_preview_says_the_changes(
    officer_client, world
):
    teo = world["tieu_can_person"]
    row = secretary_row(
        "nguyen van teo", world["tieu_can"].name, born=teo.date_of_birth, **{"Nghề nghiệp": "Thợ hàn"}
    )
    batch = _batch(_post(officer_client, [row]))
    officer_client.post(reverse("imports:batch_same_person", args=[batch.pk]), {"same_person": ["3"]})
    batch.refresh_from_db()
    assert (batch.error_count, batch.updated_count) == (0, 1), batch.report["rows"]
    page = " ".join(officer_client.get(batch.get_absolute_url()).content.decode().split())
    # Named as the record names them, with what the row changes, from what to what.
    assert f"Nguyễn Văn Tèo ({teo.date_of_birth:%d/%m/%Y}) — {world['tieu_can'].name} (" in page
    assert f"nghề nghiệp: {teo.occupation or '—'} → Thợ hàn" in page and "họ và tên:" not in page
    confirm(officer_client, batch)
    teo.refresh_from_db()
    assert (teo.full_name, teo.occupation) == ("Nguyễn Văn Tèo", "Thợ hàn")


def test_a_name_whose_marks_are_corrected_is_a_change_the_preview_shows(officer_client, world):
    teo = world["tieu_can_person"]
    row = secretary_row("Nguyễn Văn Tẻo", world["tieu_can"].name, born=teo.date_of_birth)
    batch = _batch(_post(officer_client, [row]))
    officer_client.post(reverse("imports:batch_same_person", args=[batch.pk]), {"same_person": ["3"]})
    batch.refresh_from_db()
    assert (batch.error_count, batch.updated_count) == (0, 1), batch.report["rows"]
    page = " ".join(officer_client.get(batch.get_absolute_url()).content.decode().split())
    assert "(họ và tên: Nguyễn Văn Tèo → Nguyễn Văn Tẻo" in page
    officer_client.cookies["django_language"] = "en"
    page = " ".join(officer_client.get(batch.get_absolute_url()).content.decode().split())
    assert "(full name: Nguyễn Văn Tèo → Nguyễn Văn Tẻo" in page


@pytest.mark.parametrize("typed", ["NGUYEN VAN TEO", "nguyễn văn tèo"])
def test_the_export_with_a_name_in_other_capitals_or_without_diacritics_reads_back_unchanged(
    officer_client, listed, typed
):
    teo = listed["teo"]
    content = _edited(_exported(officer_client), teo.full_name, "Họ và tên", typed)
    batch = _upload_file(officer_client, content)
    assert (batch.error_count, batch.updated_count) == (0, 0), batch.report["rows"]
    assert _actions(batch)["Nguyễn Văn Tèo"] == "unchanged"
