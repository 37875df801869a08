"""The work list "Chi đoàn chờ xác định xã mới": branches of a commune split by the 2025 reform wait until
provincial staff choose their new commune, among those the conversion table names, in their scope."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from branches import selectors, services
from branches.divisions import REFORM_DAY
from branches.models import Branch, BranchAttachment
from tests.branches import reform_world
from tests.factories import BranchFactory
from tests.login import login_verified

# The world and the personas are built once for the module (tests/conftest.py: world_once).
pytestmark = pytest.mark.usefixtures("world_once")
URL = reverse("branches:branch_waiting")


@pytest.fixture
def w():
    return reform_world.build()


def _post(client, data):
    return client.post(URL, data)


def test_the_list_holds_the_split_communes_branches_with_their_candidates(w):
    rows = selectors.attach_candidates(selectors.waiting_branches(user=w["staff"]), user=w["staff"])
    assert [b.name for b in rows] == ["Ấp Bến Đò", "Ấp Cây Sộp", "Ấp Đầu Giồng"]
    assert [c.name for c in rows[0].candidates] == ["Xã Mới Một", "Xã Mới Hai"]
    assert all(c.partly for c in rows[0].candidates)
    # Another province's waiting branch is not theirs, nor theirs ours; the administrator sees all.
    assert [b.name for b in selectors.waiting_branches(user=w["other_staff"])] == ["Ấp Nơi Khác"]
    assert selectors.waiting_branches(user=w["admin"]).count() == 4
    assert selectors.waiting_count(user=w["staff"]) == 3


def test_bulk_choice_asks_for_confirmation_then_reattaches_all_with_a_dated_row(w, client):
    login_verified(client, w["staff"])
    first, second, third = w["waiting"]
    data = {"branch": [first.pk, second.pk], "bulk_commune": w["two"].pk, "on": "01/07/2025"}
    data[f"commune_{third.pk}"] = w["one"].pk  # chosen on its own row
    response = _post(client, data)
    assert response.status_code == 200
    assert "Xác nhận" in response.content.decode()
    assert not BranchAttachment.objects.filter(branch__in=w["waiting"]).exists()

    confirmed = {
        "confirmed": "1",
        "on": "01/07/2025",
        f"commune_{first.pk}": w["two"].pk,
        f"commune_{second.pk}": w["two"].pk,
        f"commune_{third.pk}": w["one"].pk,
    }
    response = _post(client, confirmed)
    assert response.status_code == 302
    communes = dict(Branch.objects.filter(pk__in=[b.pk for b in w["waiting"]]).values_list("name", "commune"))
    assert communes == {"Ấp Đầu Giồng": w["two"].pk, "Ấp Cây Sộp": w["two"].pk, "Ấp Bến Đò": w["one"].pk}
    rows = BranchAttachment.objects.filter(branch__in=w["waiting"])
    assert {(r.commune_id, r.ended_on) for r in rows} == {(w["split"].pk, reform_world.LAST_OLD_DAY)}
    page = client.get(URL).content.decode()
    assert "3 chi đoàn đã được gắn vào xã mới từ 01/07/2025" in page
    assert "Không còn chi đoàn nào chờ xác định xã mới" in page
    # The old units' readers keep reading the branches' records.
    assert Branch.objects.visible_to(w["district_officer"]).filter(pk=first.pk).exists()


def test_the_confirmation_returns_to_the_list_as_it_was_searched(w, client):
    login_verified(client, w["staff"])
    first = w["waiting"][0]
    searched = f"{URL}?q=dau+giong"
    confirmed = {"confirmed": "1", "on": "01/07/2025", f"commune_{first.pk}": w["one"].pk}
    response = client.post(searched, confirmed)
    assert response.status_code == 302 and response.url == searched
    assert Branch.objects.get(pk=first.pk).commune_id == w["one"].pk


@pytest.mark.parametrize("target", ["three", "other_one"])
def test_a_commune_outside_the_candidates_or_the_scope_refuses_the_whole_batch(w, client, target):
    login_verified(client, w["staff"])
    first, second, _third = w["waiting"]
    response = _post(
        client,
        {
            "confirmed": "1",
            "on": "01/07/2025",
            f"commune_{first.pk}": w["one"].pk,
            f"commune_{second.pk}": w[target].pk,
        },
    )
    assert response.status_code == 200
    assert "Không có thay đổi nào" in response.content.decode()
    assert not BranchAttachment.objects.filter(branch__in=w["waiting"]).exists()


def test_a_branch_out_of_scope_is_refused(w, client):
    login_verified(client, w["staff"])
    response = _post(
        client, {"confirmed": "1", "on": "01/07/2025", f"commune_{w['elsewhere'].pk}": w["one"].pk}
    )
    assert response.status_code == 200
    assert Branch.objects.get(pk=w["elsewhere"].pk).commune == w["elsewhere"].commune


def test_the_service_refuses_a_name_the_new_commune_has_and_changes_nothing(w):
    first, second, _third = w["waiting"]
    BranchFactory(commune=w["two"], name=second.name)
    with pytest.raises(ValidationError) as refused:
        services.branches_attach_to_new_communes(
            choices=[(first, w["two"]), (second, w["two"])], on=REFORM_DAY, user=w["staff"]
        )
    assert "đã có chi đoàn" in " ".join(refused.value.messages)
    assert not BranchAttachment.objects.filter(branch__in=w["waiting"]).exists()
    assert Branch.objects.get(pk=first.pk).commune == w["split"]


def test_the_review_step_says_it_before_the_confirmation(w, client):
    """The name the new commune has already is said on the list, with the rows, before the review page
    offers to confirm what the confirmation would then refuse."""
    _first, second, _third = w["waiting"]
    BranchFactory(commune=w["two"], name=second.name)
    login_verified(client, w["staff"])
    response = _post(client, {"on": "01/07/2025", f"commune_{second.pk}": w["two"].pk})
    page = response.content.decode()
    assert response.status_code == 200 and "đã có chi đoàn" in page
    assert "branch_waiting_confirm.html" not in [t.name for t in response.templates]
    assert Branch.objects.get(pk=second.pk).commune == w["split"]
    # A new name, and the review follows.
    response = _post(
        client, {"on": "01/07/2025", f"commune_{second.pk}": w["two"].pk, f"name_{second.pk}": "Ấp Mới"}
    )
    assert "branches/branch_waiting_confirm.html" in [t.name for t in response.templates]
    assert Branch.objects.get(pk=second.pk).commune == w["split"]


def test_a_later_day_is_said_to_leave_the_branch_in_no_commune_until_then(w, client):
    """Joining after the reform's day is allowed (a branch that joined later), but the review says what it
    records in between, before it is confirmed; the reform's day says nothing of the kind."""
    first = w["waiting"][0]
    login_verified(client, w["staff"])
    response = _post(client, {"on": "15/11/2025", f"commune_{first.pk}": w["two"].pk})
    said = " ".join(response.content.decode().split())
    assert "Từ 01/07/2025 đến 14/11/2025 các chi đoàn này được ghi là không thuộc xã nào" in said
    response = _post(client, {"on": "01/07/2025", f"commune_{first.pk}": w["two"].pk})
    assert "data-waited" not in response.content.decode()


def test_the_service_refuses_a_date_before_the_new_commune_and_an_ended_units_user(w):
    first = w["waiting"][0]
    with pytest.raises(ValidationError):
        services.branches_attach_to_new_communes(
            choices=[(first, w["one"])], on=datetime.date(2025, 6, 1), user=w["staff"]
        )
    with pytest.raises(ValidationError) as refused:
        services.branches_attach_to_new_communes(
            choices=[(first, w["one"])], on=REFORM_DAY, user=w["old_staff"]
        )
    assert refused.value.error_list[0].code == "unit_ended"


def test_a_later_date_is_kept(w):
    first = w["waiting"][0]
    services.branches_attach_to_new_communes(
        choices=[(first, w["one"])], on=datetime.date(2026, 1, 1), user=w["staff"]
    )
    assert BranchAttachment.objects.get(branch=first).ended_on == datetime.date(2025, 12, 31)


def test_search_ignores_diacritics_and_counts(w, client):
    login_verified(client, w["staff"])
    page = client.get(URL, {"q": "cay sop"}).content.decode()
    assert "Ấp Cây Sộp" in page and "Ấp Bến Đò" not in page
    assert 'data-result-count="1"' in page


@pytest.mark.parametrize("who", ["district_officer", "commune_officer"])
def test_officers_do_not_choose(w, client, who):
    client.force_login(w[who])
    assert client.get(URL).status_code == 403
    assert client.post(URL, {}).status_code == 403


def test_branch_list_and_first_screen_link_to_it(w, client):
    login_verified(client, w["staff"])
    listing = client.get(reverse("branches:branch_list")).content.decode()
    assert "data-waiting-link" in listing and "3 chi đoàn chờ xác định xã mới" in listing
    home = client.get(reverse("home")).content.decode()
    assert 'data-stat="waiting">3<' in home
    client.force_login(w["commune_officer"])
    assert "data-home-waiting" not in client.get(reverse("home")).content.decode()


def test_query_count_does_not_grow_with_the_list(w, client, count_queries):
    login_verified(client, w["staff"])
    with count_queries() as small:
        assert client.get(URL).status_code == 200
    for n in range(6):
        BranchFactory(commune=w["split"], name=f"Ấp Thêm {n}")
    with count_queries() as large:
        assert client.get(URL).status_code == 200
    assert len(large) == len(small)


def test_a_branch_whose_name_the_new_commune_has_is_renamed_as_it_moves(w, client):
    first = w["waiting"][0]
    BranchFactory(commune=w["two"], name=first.name)
    login_verified(client, w["staff"])
    page = client.get(URL).content.decode()
    assert "data-name-clash" in page and f'name="name_{first.pk}"' in page
    data = {"on": "01/07/2025", f"commune_{first.pk}": w["two"].pk, f"name_{first.pk}": "ấp đầu giồng  2"}
    confirm = _post(client, data).content.decode()
    assert "ấp đầu giồng 2" in confirm and f'name="name_{first.pk}"' in confirm
    response = _post(client, {**data, "confirmed": "1"})
    assert response.status_code == 302
    moved = Branch.objects.get(pk=first.pk)
    assert (moved.name, moved.commune) == ("ấp đầu giồng 2", w["two"])


def test_the_branch_list_speaks_of_todays_units_to_todays_staff(w, client):
    login_verified(client, w["staff"])
    page = client.get(reverse("branches:branch_list")).content.decode()
    # No district column or filter since communes are under the province; a waiting branch says so, with
    # its old district under its old commune.
    assert 'name="district"' not in page and "?o=district" not in page
    assert "Chờ xác định xã mới" in page and "Huyện Cũ" in page
    login_verified(client, w["admin"])
    page = client.get(reverse("branches:branch_list")).content.decode()
    assert 'name="district"' in page


def test_the_old_commune_and_the_branch_pages_point_to_the_work_list(w, client):
    login_verified(client, w["staff"])
    commune = client.get(w["split"].get_absolute_url()).content.decode()
    assert "data-commune-waiting" in commune and "3 chi đoàn của xã này đang chờ xác định xã mới" in commune
    assert URL in commune
    branch = client.get(w["waiting"][0].get_absolute_url()).content.decode()
    assert "đang chờ xác định xã mới" in branch and URL in branch
    # A reader of the old district sees that it waits, without the staff's link.
    client.force_login(w["district_officer"])
    branch = client.get(w["waiting"][0].get_absolute_url()).content.decode()
    assert "đang chờ xác định xã mới" in branch and URL not in branch


def test_a_branch_waiting_for_a_new_name_is_told_so_not_that_its_commune_was_split(w, client, count_queries):
    """QA: a branch of a commune that went whole into one new commune that already has a branch of its name
    read "Xã … đã được chia khi sắp xếp năm 2025". It says why, as the work list does (attach_candidates'
    clashes), and points to the rename there; a branch of a split commune still reads that it was split."""
    BranchFactory(commune=w["one"], name="Ấp Trùng Tên")
    clash = BranchFactory(commune=w["whole"], name="Ấp Trùng Tên")
    assert clash in Branch.objects.waiting()
    login_verified(client, w["staff"])
    [row] = selectors.attach_candidates([clash], user=w["staff"])
    assert row.clashes == [w["one"]]
    with count_queries() as clashing:
        page = client.get(clash.get_absolute_url()).content.decode()
    assert "Xã Nguyên đã sáp nhập vào Xã Mới Một" in page and "đã có chi đoàn Ấp Trùng Tên" in page
    assert "đã được chia" not in page
    assert "Đổi tên trong danh sách chờ" in page and URL in page
    with count_queries() as split:
        page = client.get(w["waiting"][0].get_absolute_url()).content.decode()
    assert "đã được chia khi sắp xếp năm 2025" in page and "Đổi tên" not in page
    assert len(clashing) == len(split)


def test_the_branch_list_exported_imports_back_with_the_waiting_branches_unchanged(w, client):
    """The export names a waiting branch under its ended commune: imported back as it was, it is unchanged
    (it was an error that stopped the whole file); changed, it is sent to the work list."""
    import io

    from openpyxl import load_workbook

    from core.importing.models import ImportBatch
    from tests.importing import upload

    login_verified(client, w["staff"])
    exported = b"".join(client.get(reverse("branches:branch_export")).streaming_content)

    def imported(content):
        response = client.post(reverse("imports:batch_upload", args=["branches"]), {"file": upload(content)})
        assert response.status_code == 302
        return ImportBatch.objects.latest("pk")

    # Each waiting branch's status as the list says it.
    sheet = load_workbook(io.BytesIO(exported)).active
    header = [cell.value for cell in sheet[4]]
    status = {r[1].value: r[header.index("Trạng thái")].value for r in sheet.iter_rows(min_row=5)}
    assert {status[b.name] for b in w["waiting"]} == {"Chờ xác định xã mới"}
    batch = imported(exported)
    assert batch.error_count == 0 and batch.new_count == 0, batch.report["rows"]
    assert batch.row_count == 4  # the three waiting branches among them
    # One of them changed in the file: not here, on the work list.
    workbook = load_workbook(io.BytesIO(exported))
    sheet = workbook.active
    header = [cell.value for cell in sheet[4]]
    members = header.index("Số đoàn viên")
    row = next(r for r in sheet.iter_rows(min_row=5) if r[1].value == "Ấp Bến Đò")
    row[members].value = (row[members].value or 0) + 1
    changed_file = io.BytesIO()
    workbook.save(changed_file)
    changed = imported(changed_file.getvalue())
    assert changed.error_count == 1
    assert "chờ xác định xã mới" in changed.report["rows"][0]["errors"][0]["message"]


def test_the_export_imports_back_where_todays_commune_took_the_former_communes_name(w, client):
    """Two thousand new communes took an old one's name: the export's district tells a branch waiting under
    Xã Chia (Huyện Cũ, ended) from today's Xã Chia's own branch of the same name, and neither is touched."""
    from core.importing.models import ImportBatch
    from tests.importing import upload

    namesake = w["three"]
    namesake.name = "Xã Chia"
    namesake.save()
    ours = BranchFactory(commune=namesake, name="Ấp Bến Đò", member_count=99)
    login_verified(client, w["staff"])
    exported = b"".join(client.get(reverse("branches:branch_export")).streaming_content)
    response = client.post(reverse("imports:batch_upload", args=["branches"]), {"file": upload(exported)})
    assert response.status_code == 302
    batch = ImportBatch.objects.latest("pk")
    assert batch.row_count == 5
    assert (batch.error_count, batch.new_count, batch.updated_count) == (0, 0, 0), batch.report["rows"]
    ours.refresh_from_db()
    assert ours.member_count == 99


def test_the_old_provinces_staff_read_the_branches_and_do_not_settle_them(w, client):
    """Tỉnh đoàn of an ended province: the work list is today's province's (it showed an empty form)."""
    login_verified(client, w["old_staff"])
    refused = client.get(URL)
    assert refused.status_code == 403
    # It says why and who chooses, as its other refused pages do, not the general sentence about roles.
    page = refused.content.decode()
    assert "Tỉnh Cũ đã chấm dứt ngày 30/06/2025" in page and "Tỉnh đoàn Mới" in page
    assert "Vai trò của tài khoản không cho phép" not in page
    assert client.post(URL, {"confirmed": "1", "on": "01/07/2025"}).status_code == 403
    assert client.get(w["waiting"][0].get_absolute_url()).status_code == 200


def test_a_commune_officer_adds_a_branch_with_their_commune_chosen(w, client):
    login_verified(client, w["commune_officer"])
    form = client.get(reverse("branches:branch_create")).context["form"]
    assert form["commune"].value() == w["one"].pk
    # From a commune page, or as a provincial officer: as asked, or to choose.
    login_verified(client, w["staff"])
    assert client.get(reverse("branches:branch_create")).context["form"]["commune"].value() is None


def test_a_refused_choice_keeps_every_row_as_it_was_chosen_and_says_the_date_beside_it(w, client):
    """31/02 or a day still to come: the date's message is beside the date, and the rows keep their ticks,
    communes and new names (nothing chosen is lost to a mistyped date)."""
    first, second, _third = w["waiting"]
    BranchFactory(commune=w["two"], name=second.name)
    login_verified(client, w["staff"])
    later = (datetime.date.today() + datetime.timedelta(days=40)).strftime("%d/%m/%Y")
    invalid = "Không có ngày này: kiểm tra ngày, tháng, năm"
    for day, message in (("31/02/2026", invalid), (later, "Ngày này chưa đến")):
        response = _post(
            client,
            {
                "on": day,
                "branch": [first.pk],
                "bulk_commune": w["one"].pk,
                f"commune_{second.pk}": w["two"].pk,
                f"name_{second.pk}": "Ấp Mới Đặt",
            },
        )
        assert response.status_code == 200
        page = " ".join(response.content.decode().split())  # the markup's line breaks as single spaces
        at = page.index('id="id_on"')
        assert 'class="invalid-feedback d-block" id="id_on_error">' + message in page[at : at + 400]
        assert "is-invalid" in page[page.rindex("<input", 0, at) : at]
        assert f'name="branch" value="{first.pk}" checked' in page
        assert f'<option value="{w["one"].pk}" selected>' in page
        assert 'value="Ấp Mới Đặt"' in page
        row = page[page.index(f'name="commune_{second.pk}"') :]
        assert f'<option value="{w["two"].pk}" selected>' in row[: row.index("</select>")]
    assert not BranchAttachment.objects.filter(branch__in=w["waiting"]).exists()
    with pytest.raises(ValidationError):
        services.branches_attach_to_new_communes(
            choices=[(first, w["one"])],
            on=datetime.date.today() + datetime.timedelta(days=1),
            user=w["staff"],
        )


def test_a_name_clash_says_which_old_communes_branch_it_is(w):
    _first, second, _third = w["waiting"]
    BranchFactory(commune=w["two"], name=second.name)
    with pytest.raises(ValidationError) as refused:
        services.branches_attach_to_new_communes(choices=[(second, w["two"])], on=REFORM_DAY, user=w["staff"])
    assert f"hãy đặt tên mới cho chi đoàn của {w['split'].name}" in refused.value.messages[0]


def test_the_exports_give_each_branchs_units_until_the_reform_beside_todays(w, client, count_queries):
    """A branch re-attached on 01/07/2025 is listed with its old commune, district and province too (two
    Xã Tân Hòa of the two worlds are told apart, and the old unit's officer finds Xã Hiếu Tử's branches);
    one still waiting has its own commune there, one founded since has none. The query count is fixed."""
    from tests.excel import read_export

    BranchFactory(commune=w["three"], name="Ấp Mới Lập")
    old = ("Xã cũ (đến 30/06/2025)", "Huyện cũ (đến 30/06/2025)", "Tỉnh cũ (đến 30/06/2025)")

    def units(url, user):
        login_verified(client, user)
        export = read_export(client.get(reverse(url)))
        at = export.header.index(old[0])
        assert export.header[at : at + 3] == old
        return {row[0]: row[export.header.index("Xã")] for row in export.rows}, {
            row[0]: row[at : at + 3] for row in export.rows
        }

    today, before = units("branches:branch_export", w["staff"])
    assert today["Ấp Nguyên"] == "Xã Mới Một"
    assert before["Ấp Nguyên"] == ("Xã Nguyên", "Huyện Cũ", "Tỉnh Cũ")
    assert before["Ấp Đầu Giồng"] == ("Xã Chia", "Huyện Cũ", "Tỉnh Cũ")
    assert before["Ấp Mới Lập"] == ("", "", "")
    # The old district's officer: the same, through its former branches.
    _today, before = units("branches:branch_export", w["district_officer"])
    assert before["Ấp Nguyên"] == ("Xã Nguyên", "Huyện Cũ", "Tỉnh Cũ")
    # The vacancy list's export: today's units have no district; a waiting branch says that it waits.
    login_verified(client, w["staff"])
    header = read_export(client.get(reverse("secretaries:vacancy_export"))).header
    assert "Huyện" not in header
    today, before = units("secretaries:vacancy_export", w["staff"])
    assert before["Ấp Nguyên"] == ("Xã Nguyên", "Huyện Cũ", "Tỉnh Cũ")
    assert today["Ấp Đầu Giồng"] == "Chờ xác định xã mới (Xã Chia đến 30/06/2025)"
    for url in ("branches:branch_export", "secretaries:vacancy_export"):
        with count_queries() as small:
            b"".join(client.get(reverse(url)).streaming_content)
        for n in range(3):
            BranchAttachment.objects.create(
                branch=BranchFactory(commune=w["one"], name=f"Ấp Dời {url} {n}"),
                commune=w["whole"],
                ended_on=REFORM_DAY - datetime.timedelta(days=1),
            )
        with count_queries() as large:
            b"".join(client.get(reverse(url)).streaming_content)
        assert len(large) == len(small), url


def test_the_secretary_list_exported_imports_back_with_waiting_branches_secretaries_unchanged(w, client):
    """The secretaries' export names a waiting branch under its ended commune (its district beside it), as
    the branch list's does: imported back, its secretary's row is unchanged, not refused as a new person
    asked for today's commune."""
    import io

    from openpyxl import load_workbook

    from core.importing.models import ImportBatch
    from tests.factories import person_with_term
    from tests.importing import upload

    person_with_term(branch=w["waiting"][0], full_name="Trần Văn Chờ", started_on=datetime.date(2023, 3, 1))
    login_verified(client, w["staff"])
    exported = b"".join(client.get(reverse("secretaries:person_export")).streaming_content)
    response = client.post(
        reverse("imports:batch_upload", args=["secretaries"]), {"file": upload(exported, "bi-thu.xlsx")}
    )
    assert response.status_code == 302
    batch = ImportBatch.objects.latest("pk")
    assert batch.row_count >= 1
    assert (batch.error_count, batch.new_count, batch.updated_count) == (0, 0, 0), batch.report["rows"]

    # Their phone changed in the file: the person is updated, the branch still theirs.
    workbook = load_workbook(io.BytesIO(exported))
    sheet = workbook.active
    header = [cell.value for cell in sheet[4]]
    row = next(r for r in sheet.iter_rows(min_row=5) if r[1].value == "Trần Văn Chờ")
    row[header.index("Số điện thoại")].value = "0912345678"
    changed = io.BytesIO()
    workbook.save(changed)
    response = client.post(
        reverse("imports:batch_upload", args=["secretaries"]), {"file": upload(changed.getvalue(), "b.xlsx")}
    )
    batch = ImportBatch.objects.latest("pk")
    assert (batch.error_count, batch.new_count, batch.updated_count) == (0, 0, 1), batch.report["rows"]
