"""Import of secretaries with their current term: the preview, every refusal per row, all or nothing."""

import datetime

import pytest
from django.urls import reverse

from core.importing.models import ImportBatch
from secretaries.models import Person
from tests.factories import BranchFactory
from tests.importing import SECRETARY_HEADERS, secretary_row, upload, workbook_bytes
from tests.login import login_verified


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
    assert (person.gender, person.ethnicity, person.religion, person.education_level) == (
        "nu",
        "05",
        "phat_giao",
        "thpt",
    )
    assert person.is_party_member and person.phone_digits == "0912345678" and person.name_key
    term = person.terms.get()
    assert term.branch == vacant[0] and term.started_on == datetime.date(2025, 10, 1) and term.is_current
    record = person.history.get()
    assert record.history_change_reason == "Nhập từ tệp danh-sach.xlsx"
    assert record.history_user == tieu_can_officer
    assert term.history.get().history_change_reason == "Nhập từ tệp danh-sach.xlsx"
