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
