"""An export keeps the importer's layout: a list exported with its title rows and STT column reads back
through "Nhập từ Excel" (the header is found under the title, STT is left aside, every row is read)."""

import io

import pytest
from django.urls import reverse

from core.importing.engine import KINDS, parse_rows
from core.importing.reader import read_sheet
from core.importing.services import header_matcher
from tests.excel import read_export

pytestmark = pytest.mark.usefixtures("world_once")


@pytest.mark.parametrize(
    ("kind", "url"), [("branches", "branches:branch_export"), ("secretaries", "secretaries:person_export")]
)
def test_an_export_reads_back_as_an_import(client, tieu_can_officer, world, kind, url):
    client.force_login(tieu_can_officer)
    response = client.get(reverse(url))
    content = b"".join(response.streaming_content)
    response.streaming_content = iter([content])
    exported = read_export(response)
    sheet = read_sheet(io.BytesIO(content), size=len(content), looks_like_header=header_matcher(KINDS[kind]))
    assert sheet.header_number == 4
    rows, ignored = parse_rows(KINDS[kind], sheet)
    assert len(rows) == len(exported.rows) > 0
    assert "STT" in ignored
