"""Excel (.xlsx) exports of portal lists, shared by every app.

Rows are streamed from the database in chunks into openpyxl's write-only workbook, which keeps them in
a temporary file rather than in memory, so a national export does not grow the process.
Cells that Excel would read as a formula are neutralised (CWE-1236, "CSV/formula injection").
"""

import tempfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from django.http import FileResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from core.exports import neutralise
from core.security_log import security_event


def xlsx_response(*, filename: str, sheet_title: str, headers: Sequence[str], rows: Iterable[Sequence]):
    """The rows as an .xlsx download; the export is recorded as a security event of the current request."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=str(header))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    count = 0
    for count, row in enumerate(rows, start=1):  # noqa: B007 (count is read after the loop)
        # Plain values go in as they are; only dates need a cell object, for their display format.
        out = []
        for value in row:
            if isinstance(value, datetime):
                value = timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
                value = WriteOnlyCell(sheet, value=value)
                value.number_format = "DD/MM/YYYY HH:MM"
            elif isinstance(value, date):
                value = WriteOnlyCell(sheet, value=value)
                value.number_format = "DD/MM/YYYY"
            elif isinstance(value, str):
                value = neutralise(value)
            out.append(value)
        sheet.append(out)
    # Every export is a security event (ASVS V16): who (the request's user), what file, how many rows.
    security_event("data.export", what=filename, rows=count)
    # The finished file is spooled to disk and streamed back; it is removed when the response closes.
    spool = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (FileResponse closes it)
    workbook.save(spool)
    spool.seek(0)
    return FileResponse(
        spool,
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
