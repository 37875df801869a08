"""Import of assessment scores: one row per secretary, one column per criterion (as the commune grid)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment
from assessments.selectors import framework_criteria
from core.importing.engine import shown
from core.importing.models import ImportBatch
from tests.aggregates import assert_totals_exact
from tests.factories import BranchFactory, person_with_term
from tests.importing import confirm, shown_preview, upload, workbook_bytes
from tests.login import login_verified


@pytest.fixture
def officer_client(client, tieu_can_officer):
    login_verified(client, tieu_can_officer)
    return client


def _import(client, rows, headers):
    response = client.post(
        reverse("imports:batch_upload", args=["scores"]),
        {"file": upload(workbook_bytes(rows, headers), "diem.xlsx")},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportBatch.objects.latest("pk")


def test_scores_new_updated_and_refused(officer_client, world, hieu_tu, tieu_can_officer):
    framework = world["tieu_can_assessment"].framework
    criteria = framework_criteria(framework)
    codes = [f"{c.group.order}.{c.order}" for c in criteria]
    headers = ["Họ và tên", "Ngày sinh", *codes]
    newcomer = person_with_term(
        branch=BranchFactory(commune=hieu_tu, name="Ấp Điểm"), full_name="Lý Thị Điểm"
    )
    teo = world["tieu_can_person"]

    def row(person_name, value, born=None, **over):
        data = {"Họ và tên": person_name, "Ngày sinh": born, **dict.fromkeys(codes, value)}
        data.update(over)
        return data

    rows = [
        row("ly thi diem", 3),  # 3: new, found without diacritics
        row(teo.full_name, 5),  # 4: his draft, updated
        row("Người Không Có", 4),  # 5: not a secretary of the unit
        row("Lý Thị Điểm", 4),  # 6: twice
        row(teo.full_name, 4, **{codes[0]: 9}),  # 7: out of scale (and twice)
        row("", 4),  # 8: no name: said once, as required
    ]
    batch = _import(officer_client, rows, headers)
    messages = {r["number"]: " | ".join(e["message"] for e in r["errors"]) for r in batch.report["rows"]}
    assert (batch.new_count, batch.updated_count, batch.error_count) == (1, 1, 4)
    assert "không tìm thấy bí thư" in messages[5] and "trong đơn vị của bạn" in messages[5]
    assert "dòng 3" in messages[6]
    assert "ngoài thang điểm 1–5" in messages[7]
    assert messages[8] == "cột này bắt buộc phải điền"

    batch = _import(officer_client, rows[:2], headers)
    assert batch.error_count == 0
    officer_client.post(reverse("imports:batch_confirm", args=[batch.pk]))
    created = Assessment.objects.get(person=newcomer, framework=framework)
    assert created.status == Assessment.Status.DRAFT and created.assessor == tieu_can_officer
    assert {s.value for s in created.scores.all()} == {3} and created.overall_score == 3
    assert created.group_scores.count() == 3
    updated = Assessment.objects.get(person=teo, framework=framework)
    assert {s.value for s in updated.scores.all()} == {5} and updated.overall_score == 5
    assert updated.history.latest().history_change_reason == "Nhập từ tệp diem.xlsx"
    assert_totals_exact()  # the import keeps the report totals, as the services do

    Assessment.objects.filter(pk=updated.pk).update(
        status=Assessment.Status.CONFIRMED, confirmed_by=tieu_can_officer, confirmed_at=timezone.now()
    )
    batch = _import(officer_client, [row(teo.full_name, 2)], headers)
    assert batch.error_count == 1
    assert "đã được xác nhận" in batch.report["rows"][0]["errors"][0]["message"]


def test_a_preview_whose_assessment_was_saved_since_writes_nothing(officer_client, world):
    framework = world["tieu_can_assessment"].framework
    codes = [f"{c.group.order}.{c.order}" for c in framework_criteria(framework)]
    teo = world["tieu_can_person"]
    batch = _import(
        officer_client, [{"Họ và tên": teo.full_name, **dict.fromkeys(codes, 5)}], ["Họ và tên", *codes]
    )
    assert batch.updated_count == 1
    page = shown_preview(officer_client, batch)
    draft = Assessment.objects.get(person=teo, framework=framework)
    scores = sorted(draft.scores.values_list("criterion", "value"))
    draft.comment = "Nhận xét của huyện"  # saved by the grid meanwhile
    draft.save()

    confirm(officer_client, batch, page)
    batch.refresh_from_db()
    assert batch.is_preview
    stored = Assessment.objects.get(pk=draft.pk)
    assert sorted(stored.scores.values_list("criterion", "value")) == scores != [(c, 5) for c, _v in scores]
    assert (stored.version, stored.comment) == (draft.version, "Nhận xét của huyện")


def test_scores_go_into_the_framework_the_commune_grid_uses(world, client, tra_vinh, tieu_can, cang_long):
    """Xã Tập Ngãi's officer imports into Vĩnh Long's own 2026 framework, the one its grid opens with, not
    into the newest framework of any province; the template and the preview name it. A draft there is
    updated, a submitted or a confirmed one is refused on its row, and nothing is written beside it."""
    import io

    from openpyxl import load_workbook

    from assessments import services
    from tests.assessments.test_new_world import own_framework, reform_build
    from tests.conftest import framework_2026
    from tests.factories import CommuneFactory, ProvinceFactory

    hieu_tu, an_truong = world["tieu_can"].commune, CommuneFactory(district=cang_long, name="Xã An Trường")
    reform = reform_build(tra_vinh, tieu_can, cang_long, hieu_tu, an_truong)
    officer, tap_ngai = reform["officer"], reform["tap_ngai"]
    own = own_framework(reform["province"])
    # Another province's newer framework: the newest of all, never Tập Ngãi's.
    services.framework_copy(
        framework=framework_2026(), year=2027, province=ProvinceFactory(code="99", name="Tỉnh Khác")
    )
    codes = [f"{c.group.order}.{c.order}" for c in framework_criteria(own)]
    people = {
        name: person_with_term(branch=BranchFactory(commune=tap_ngai, name=f"Ấp {name}"), full_name=name)
        for name in ("Trần Văn Nháp", "Lê Thị Gửi", "Phạm Văn Xác Nhận")
    }
    made = {
        name: services.assessment_save(
            person=person, framework=own, assessor=officer, values={c.pk: 2 for c in framework_criteria(own)}
        )
        for name, person in people.items()
    }
    services.assessment_submit(assessment=made["Lê Thị Gửi"])
    services.assessment_submit(assessment=made["Phạm Văn Xác Nhận"])
    services.assessment_confirm(assessment=made["Phạm Văn Xác Nhận"], user=reform["staff"])
    login_verified(client, officer)

    template = client.get(reverse("imports:batch_template", args=["scores"]))
    sheet = load_workbook(io.BytesIO(b"".join(template.streaming_content))).active
    assert own.name in sheet["A1"].value
    assert [sheet.cell(row=2, column=3 + i).value.split()[0] for i in range(len(codes))] == codes
    assert own.name in client.get(reverse("imports:batch_upload", args=["scores"])).content.decode()

    rows = [
        {"Họ và tên": name, **dict.fromkeys(codes, 4)}
        for name in ("Kim Thị Sa Ly", "Trần Văn Nháp", "Lê Thị Gửi", "Phạm Văn Xác Nhận")
    ]
    batch = _import(client, rows, ["Họ và tên", *codes])
    assert (batch.new_count, batch.updated_count, batch.error_count) == (1, 1, 2)
    messages = {r["number"]: " | ".join(e["message"] for e in r["errors"]) for r in batch.report["rows"]}
    assert "“Đã gửi”" in messages[5] and "đã được xác nhận" in messages[6]
    page = client.get(batch.get_absolute_url()).content.decode()
    assert own.name in page and "Cập nhật" in page

    batch = _import(client, rows[:2], ["Họ và tên", *codes])
    confirm(client, batch)
    batch.refresh_from_db()
    assert batch.is_committed
    assert Assessment.objects.get(person=reform["sa_ly"]).framework == own
    draft = Assessment.objects.get(person=people["Trần Văn Nháp"])  # still one, updated
    assert (draft.framework, draft.status, draft.overall_score) == (own, Assessment.Status.DRAFT, 4)
    assert not Assessment.objects.exclude(
        framework__in=[own, world["tieu_can_assessment"].framework]
    ).exists()


def test_a_rows_errors_are_listed_in_the_order_of_the_columns(officer_client, world):
    framework = world["tieu_can_assessment"].framework
    codes = [f"{c.group.order}.{c.order}" for c in framework_criteria(framework)]
    teo = world["tieu_can_person"]
    row = {"Họ và tên": teo.full_name, **dict.fromkeys(codes, 3), codes[0]: 6, codes[1]: "abc"}
    batch = _import(officer_client, [row], ["Họ và tên", *codes])
    errors = batch.report["rows"][0]["errors"]
    # 1.1 out of the scale (found by the plan) before 1.2 not a number (found reading the cell).
    assert [e["column"].split()[0] for e in errors] == codes[:2]
    assert "ngoài thang điểm" in errors[0]["message"] and "abc" in errors[1]["message"]


def _cells(batch) -> dict[int, list[dict]]:
    """Each row's cells, their words read as the page shows them (kept in English: engine.later)."""
    return {
        row["number"]: [{**c, "text": shown(c["text"]), "was": shown(c["was"])} for c in row.get("cells", [])]
        for row in batch.report["rows"]
    }


def test_the_preview_shows_every_rows_scores_as_they_will_be_saved(officer_client, world, hieu_tu):
    """The officer who typed the scores from paper reads each criterion as it will be saved: a score read into
    the wrong criterion, a blank read as nothing (a new row's "—") or as the stored score kept (grey), a
    changed score beside the one it replaces, and the group scores, overall and rating the row will get."""
    framework = world["tieu_can_assessment"].framework  # Tèo's complete draft: 4 everywhere
    codes = [f"{c.group.order}.{c.order}" for c in framework_criteria(framework)]  # 4, 4 and 3 criteria
    newcomer_branch = BranchFactory(commune=hieu_tu, name="Ấp Điểm")
    person_with_term(branch=newcomer_branch, full_name="Lý Thị Điểm")
    teo = world["tieu_can_person"]
    rows = [
        {"Họ và tên": "Lý Thị Điểm", **dict.fromkeys(codes, 3), codes[0]: 5, codes[1]: None},  # 3: new
        {"Họ và tên": teo.full_name, **dict.fromkeys(codes, 5), codes[0]: 2, codes[1]: None},  # 4: updated
    ]
    batch = _import(officer_client, rows, ["Họ và tên", *codes])
    assert (batch.new_count, batch.updated_count, batch.error_count) == (1, 1, 0)

    columns = batch.report["columns"]
    assert [shown(c["label"]) for c in columns] == [
        *codes[:4], "Điểm", *codes[4:8], "Điểm", *codes[8:], "Điểm", "Điểm chung", "Xếp loại"
    ]  # fmt: skip
    assert columns[0]["group"] == "1. Kỹ năng điều hành, quản lý" and columns[0]["title"]
    new, updated = _cells(batch)[3], _cells(batch)[4]
    texts = [c["text"] for c in new]
    assert texts[:5] == ["5", "", "3", "3", "3,67"]  # 1.2 blank: no score, left out of the group's mean
    assert texts[-2:] == ["3,20", "còn 1 tiêu chí chưa chấm"]  # a draft's rating waits for 1.2
    assert all(c["was"] is None and not c["kept"] for c in new)
    assert updated[0] == {"text": "2", "was": "4", "kept": False}
    assert updated[1] == {"text": "4", "was": None, "kept": True}  # blank in the file: the stored 4 stays
    assert updated[4] == {"text": "4,00", "was": None, "kept": False}  # (2 + 4 + 5 + 5) / 4: as it was
    assert updated[5] == {"text": "5", "was": "4", "kept": False}
    assert updated[-2:] == [
        {"text": "4,64", "was": "4,00", "kept": False},
        {"text": "Hoàn thành xuất sắc nhiệm vụ", "was": "Hoàn thành tốt nhiệm vụ", "kept": False},
    ]
    row = next(r for r in batch.report["rows"] if r["number"] == 4)
    assert row["summary"].endswith(f"— {world['tieu_can_term'].branch.name}")
    assert next(r for r in batch.report["rows"] if r["number"] == 3)["summary"].endswith("— Ấp Điểm")

    page = officer_client.get(batch.get_absolute_url()).content.decode()
    table = page[page.index('<div class="card mb-3">') : page.index("</table>")]
    # The table scrolls inside its card.
    assert 'class="table-responsive grid-scroll"' in table and "data-import-cells" in table
    assert '<th colspan="5" class="grid-group">1. Kỹ năng điều hành, quản lý</th>' in table
    assert f'<abbr title="{columns[0]["title"]}">1.1</abbr>' in table
    assert "<del" in table and ">4,00</del>" in table and "Hoàn thành tốt nhiệm vụ</del>" in table
    assert "còn 1 tiêu chí chưa chấm" in table and "Ấp Điểm" in table
    assert 'data-testid="import-cells-legend"' in page

    # Confirmed, the page shows what was saved, as the preview said.
    confirm(officer_client, batch)
    saved = Assessment.objects.get(person=teo, framework=framework)
    assert str(saved.overall_score) == "4.64" and saved.rating == "xuat_sac"
    assert "Hoàn thành xuất sắc nhiệm vụ" in officer_client.get(batch.get_absolute_url()).content.decode()


def _full_points_row(world):
    """A points framework (out of 100) of Tiểu Cần's province this year, its criteria, their column codes,
    and a row of the template giving Tèo every criterion's full points."""
    from assessments.framework_services import framework_create_points

    points = framework_create_points(
        year=timezone.localdate().year, province=world["tieu_can"].commune.province, name="Thang 100"
    )
    criteria = framework_criteria(points)
    codes = [f"{c.group.order}.{c.order}" for c in criteria]
    row = {
        "Họ và tên": world["tieu_can_person"].full_name,
        **{code: c.max_points for code, c in zip(codes, criteria, strict=True)},
    }
    return points, criteria, codes, row


def test_a_points_frameworks_preview_sums_its_parts_and_applies_its_conditions(officer_client, world):
    """Points out of 100 (Regulation 366): a part's score and the overall score are sums of whole points,
    shown without decimals as the grid shows them, and the rating's extra conditions hold in the preview as
    in the saved assessment (99 points, one criterion below half its points: "good", not "excellent")."""
    points, criteria, codes, row = _full_points_row(world)
    teo = world["tieu_can_person"]
    row[codes[0]] = 0
    batch = _import(officer_client, [row], ["Họ và tên", *codes])
    assert shown(batch.report["target"]).startswith("Bộ tiêu chí: Thang 100") and batch.new_count == 1
    cells = _cells(batch)[3]
    overall = 100 - criteria[0].max_points
    part = sum(c.max_points for c in criteria if c.group_id == criteria[0].group_id) - criteria[0].max_points
    assert cells[len([c for c in criteria if c.group_id == criteria[0].group_id])]["text"] == str(part)
    assert cells[-2:] == [
        {"text": str(overall), "was": None, "kept": False},
        {"text": "Hoàn thành tốt nhiệm vụ", "was": None, "kept": False},
    ]
    confirm(officer_client, batch)
    saved = Assessment.objects.get(person=teo, framework=points)
    assert (saved.overall_score, saved.rating) == (overall, "tot")


def test_the_scores_preview_costs_the_same_queries_whatever_its_rows(
    officer_client, world, hieu_tu, count_queries
):
    framework = world["tieu_can_assessment"].framework
    codes = [f"{c.group.order}.{c.order}" for c in framework_criteria(framework)]
    teo = world["tieu_can_person"]

    def run(names):
        rows = [{"Họ và tên": name, **dict.fromkeys(codes, 3)} for name in names]
        with count_queries() as planned:
            batch = _import(officer_client, rows, ["Họ và tên", *codes])
        with count_queries() as shown:
            page = officer_client.get(batch.get_absolute_url())
        assert (
            batch.error_count == 0 and page.content.decode().count("<del") == len(codes) + 5
        )  # Tèo's 4s, all changed
        return len(planned), len(shown)

    names = [f"Người Mới {i}" for i in range(4)]
    for name in names:
        person_with_term(branch=BranchFactory(commune=hieu_tu, name=f"Ấp {name}"), full_name=name)
    small = run([teo.full_name, names[0]])
    large = run([teo.full_name, *names])
    assert large == small


def test_a_points_criterion_takes_its_own_maximum_and_the_template_says_so(officer_client, world):
    """Out of 100, a criterion scores from 0 to its own points: 50 for a criterion of 10 was taken (the
    import checked the whole framework's 0–100), and the template's instructions said "0, 1, 2…"."""
    from io import BytesIO

    from openpyxl import load_workbook

    _points, criteria, codes, row = _full_points_row(world)
    row[codes[0]] = criteria[0].max_points + 1
    batch = _import(officer_client, [row], ["Họ và tên", *codes])
    errors = [e["message"] for r in batch.report["rows"] for e in r.get("errors", [])]
    assert batch.error_count == 1 and f"ngoài thang điểm 0–{criteria[0].max_points}" in errors[0], errors
    template = officer_client.get(reverse("imports:batch_template", args=["scores"]))
    instructions = load_workbook(BytesIO(b"".join(template.streaming_content)))["Hướng dẫn"]
    text = " ".join(str(cell.value) for line in instructions.iter_rows() for cell in line if cell.value)
    assert f"Nhập số nguyên từ 0 đến {criteria[0].max_points}." in text and "0, 1, 2…" not in text


def test_the_template_lists_the_units_secretaries_to_choose_from(officer_client, world, hieu_tu):
    """The upload page promises the template "with the lists of your unit": its "Danh mục" sheet names the
    secretaries the rows are for (a drop-down on "Họ và tên"), the unit's only; it was empty."""
    from io import BytesIO

    from openpyxl import load_workbook

    newcomer = person_with_term(branch=BranchFactory(commune=hieu_tu, name="Ấp Mẫu"), full_name="Lý Thị Mẫu")
    template = officer_client.get(reverse("imports:batch_template", args=["scores"]))
    workbook = load_workbook(BytesIO(b"".join(template.streaming_content)))
    lists = [cell.value for cell in workbook["Danh mục"]["A"]]
    assert lists[0] == "Họ và tên"
    assert set(lists[1:]) == {world["tieu_can_person"].full_name, newcomer.full_name}
    assert world["cang_long_person"].full_name not in lists  # another district's
    validations = workbook["Dữ liệu"].data_validations.dataValidation
    assert [str(v.sqref).split(":")[0] for v in validations] == ["A3"]


def test_the_preview_says_its_words_in_the_readers_language(officer_client, world, hieu_tu):
    """Read in English, the preview's framework line, column headers and ratings are English, whoever
    uploaded the file and in whatever language (they were kept in the uploader's words); the framework's,
    groups' and criteria's names are data, as stored."""
    framework = world["tieu_can_assessment"].framework  # Tèo's complete draft: 4 everywhere
    codes = [f"{c.group.order}.{c.order}" for c in framework_criteria(framework)]
    person_with_term(branch=BranchFactory(commune=hieu_tu, name="Ấp Điểm"), full_name="Lý Thị Điểm")
    rows = [
        {"Họ và tên": world["tieu_can_person"].full_name, **dict.fromkeys(codes, 5)},
        {"Họ và tên": "Lý Thị Điểm", **dict.fromkeys(codes, 3), codes[1]: None},
    ]
    batch = _import(officer_client, rows, ["Họ và tên", *codes])  # uploaded in Vietnamese
    officer_client.post(reverse("set_language"), {"language": "en", "next": batch.get_absolute_url()})
    english = " ".join(officer_client.get(batch.get_absolute_url()).content.decode().split())
    assert f"Framework: {framework.name} ({framework.year})" in english
    assert ">Overall score<" in english and ">Rating<" in english and "Group score" in english
    assert "Excellently fulfilled duties" in english and "Well fulfilled duties</del>" in english
    assert "1 criterion not scored yet" in english
    for vietnamese in ("Bộ tiêu chí:", "Điểm chung", "Xếp loại", "Hoàn thành", "chưa chấm"):
        assert vietnamese not in english, vietnamese
    assert "1. Kỹ năng điều hành, quản lý" in english  # a group's name: data

    officer_client.post(reverse("set_language"), {"language": "vi", "next": batch.get_absolute_url()})
    vietnamese = " ".join(officer_client.get(batch.get_absolute_url()).content.decode().split())
    assert f"Bộ tiêu chí: {framework.name}" in vietnamese and "Hoàn thành xuất sắc nhiệm vụ" in vietnamese
