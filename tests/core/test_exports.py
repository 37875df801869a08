"""Spreadsheets keep typed text as text (ASVS 5.0 V1.2.10, CSV/formula injection), in Django admin's
export (django-import-export) as in the portal's own (tests of core.excel are beside each list)."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.exports import neutralise
from tests.login import login_verified

# The world and the personas are built once for the module (tests/conftest.py: world_once).
pytestmark = pytest.mark.usefixtures("world_once")

FORMULAE = ['=HYPERLINK("https://evil.example","Bấm")', "+1+1", "-2+3", "@SUM(A1)"]


@pytest.mark.parametrize("text", FORMULAE)
def test_neutralise(text):
    assert neutralise(text) == "'" + text
    assert neutralise("Ấp Cây Gòn") == "Ấp Cây Gòn" and neutralise(3) == 3


# django-import-export's own page reads a variable it does not always set.
admin_page = pytest.mark.ignore_template_errors


def admin_export(client, fmt: str) -> bytes:
    url = reverse("admin:branches_branch_export")
    form = client.get(url).context["form"]
    index = next(value for value, label in form.fields["format"].choices if label == fmt)
    data = {"format": index, "resource": "0"}
    data |= {
        name: "on" for name, field in form.fields.items() if getattr(field, "is_selectable_field", False)
    }
    response = client.post(url, data)
    assert response.status_code == 200, response.content[:500]
    return response.content


@admin_page
@pytest.mark.parametrize("text", FORMULAE)
def test_admin_export_writes_formulae_as_text(text, client, administrator, world):
    branch = world["tieu_can"]
    type(branch).objects.filter(pk=branch.pk).update(name=text)
    login_verified(client, administrator)

    rows = list(csv.reader(io.StringIO(admin_export(client, "csv").decode("utf-8-sig"))))
    assert ["'" + text] == [cell for row in rows for cell in row if text in cell]

    sheet = load_workbook(io.BytesIO(admin_export(client, "xlsx"))).active
    cells = [
        cell
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and text in cell.value
    ]
    assert [(c.value, c.data_type) for c in cells] == [("'" + text, "s")]


@admin_page
def test_admin_offers_only_the_neutralising_formats(client, administrator, world):
    login_verified(client, administrator)
    form = client.get(reverse("admin:branches_branch_export")).context["form"]
    assert [label for value, label in form.fields["format"].choices if value != ""] == ["csv", "xlsx"]


@admin_page
def test_admin_exports_branches_in_the_portals_columns(client, administrator, world, settings):
    """QA report 2, item 2: not the model's raw fields in English (ids, codes, ISO dates, numbers as text)
    in a file named by the date in UTC, but the columns of the portal's own export."""
    import datetime

    from django.utils import timezone

    branch = world["tieu_can"]
    type(branch).objects.filter(pk=branch.pk).update(founded_on=datetime.date(2010, 3, 26), member_count=12)
    login_verified(client, administrator)
    page = client.get(reverse("admin:branches_branch_export"))
    form = page.context["form"]
    assert not [name for name, field in form.fields.items() if getattr(field, "is_selectable_field", False)]
    # The page names the file's columns (QA4: it listed the model's fields, "id, version, commune, …").
    html = page.content.decode()
    assert "<code>Chi đoàn, Loại, Xã, " in html and "name_key" not in html

    rows = list(csv.reader(io.StringIO(admin_export(client, "csv").decode("utf-8-sig"))))
    assert rows[0][:3] == ["Chi đoàn", "Loại", "Xã"] and "Số đoàn viên" in rows[0]
    row = next(r for r in rows if r[0] == branch.name)
    assert row[1:3] == [branch.get_kind_display(), branch.commune.name]
    assert "26/03/2010" in row

    url = reverse("admin:branches_branch_export")
    index = next(value for value, label in form.fields["format"].choices if label == "xlsx")
    response = client.post(url, {"format": index, "resource": "0"})
    assert f"chi-doan-{timezone.localdate():%Y-%m-%d}.xlsx" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.title == "Chi đoàn"  # as the portal's own export names it, not "Tablib Dataset"
    members = next(r for r in sheet.iter_rows(values_only=True) if r[0] == branch.name)
    assert 12 in members  # a number, not the text "12"
