"""Reading an uploaded workbook safely: whatever arrives, a clear message and never a 500.

An .xlsx is a zip of XML parts. Before openpyxl parses anything, the zip's own directory is checked: a
file that is not a zip (an old .xls, a password-protected workbook, which is an OLE container, a renamed
PDF), a zip that is not a workbook (a renamed .docx), and a zip bomb (the declared uncompressed sizes are
summed before any part is inflated; zipfile never inflates a part beyond its declared size). openpyxl then
reads in read-only mode, row by row, with defusedxml (no entity expansion), and the formulas as written
(`data_only=False`), so a formula cell is recognised and refused rather than evaluated or trusted.
"""

from __future__ import annotations

import datetime
import re
import zipfile
from dataclasses import dataclass
from typing import IO

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import range_boundaries

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
#: sum of the parts' declared uncompressed sizes; 20,000 rows of 20 columns take about 40 MB
MAX_UNCOMPRESSED = 150 * 1024 * 1024
MAX_PARTS = 2_000
#: the header row is looked for in the first rows (a title row may sit above it)
HEADER_SEARCH_ROWS = 6

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*\bref="([A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?)"')


class ImportFileError(Exception):
    """The whole file is refused; the message says why and what to do, in the user's language."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class Cell:
    """One cell as read: its value, and whether Excel holds a formula there (never evaluated)."""

    value: object
    is_formula: bool = False


@dataclass
class SheetRow:
    number: int  # as Excel shows it, counting the title and header rows
    cells: list[Cell]


def check_container(upload: IO[bytes], size: int) -> None:
    """Refuse what is not an .xlsx before any XML is parsed."""
    if size == 0:
        raise ImportFileError(_("The file is empty."), "empty")
    if size > MAX_BYTES:
        raise ImportFileError(
            _("The file is larger than %(mb)s MB. Split it into smaller files.") % {"mb": MAX_BYTES // 2**20},
            "too_large",
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head == OLE_MAGIC:
        # An OLE container: an Excel 97–2003 workbook, or an encrypted .xlsx (Excel wraps those in OLE).
        content = upload.read()
        upload.seek(0)
        if ENCRYPTED_PACKAGE in content:
            raise ImportFileError(
                _(
                    "The workbook is protected by a password. Remove the password in Excel and upload it "
                    "again."
                ),
                "encrypted",
            )
        raise ImportFileError(
            _("This is an old Excel file (.xls). Open it in Excel and save it as .xlsx."), "old_format"
        )
    if not zipfile.is_zipfile(upload):
        upload.seek(0)
        raise ImportFileError(
            _("The file is not an Excel workbook (.xlsx). Use the template or save the list as .xlsx."),
            "not_xlsx",
        )
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            parts = archive.infolist()
            names = {part.filename for part in parts}
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ImportFileError(_("The file is damaged and cannot be read."), "damaged") from error
    finally:
        upload.seek(0)
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise ImportFileError(
            _("The file is not an Excel workbook (.xlsx). Use the template or save the list as .xlsx."),
            "not_xlsx",
        )
    if len(parts) > MAX_PARTS or sum(part.file_size for part in parts) > MAX_UNCOMPRESSED:
        raise ImportFileError(
            _("The workbook unpacks to far more data than a list holds; it is refused. Save the list again."),
            "zip_bomb",
        )


def _merged_ranges(archive: zipfile.ZipFile, path: str) -> list[tuple[int, int, int, int]]:
    """The merged ranges of a sheet (read-only mode does not give them): scanned from its XML, in chunks."""
    ranges, tail = [], b""
    with archive.open(path.lstrip("/")) as source:
        while chunk := source.read(1 << 20):
            data = tail + chunk
            for match in _MERGE.finditer(data):
                ranges.append(range_boundaries(match.group(1).decode()))
            # Keep the end of the chunk: a tag may be cut in two.
            tail = data[-200:]
    return sorted(set(ranges))


def _cell_value(cell) -> Cell:
    value = cell.value
    if getattr(cell, "data_type", None) == "f":
        return Cell(value, is_formula=True)
    if isinstance(value, datetime.datetime) and value.time() == datetime.time(0):
        value = value.date()
    return Cell(value)


@dataclass
class Sheet:
    """The first sheet of an uploaded workbook: its header row and its data rows."""

    title: str
    header_number: int
    headers: list[str]
    rows: list[SheetRow]


def read_sheet(upload: IO[bytes], *, size: int, looks_like_header) -> Sheet:
    """The first sheet's header row (the first of the top rows where `looks_like_header(values)` is true)
    and its non-empty data rows. Raises ImportFileError for anything a person must fix in the file."""
    check_container(upload, size)
    try:
        workbook = load_workbook(upload, read_only=True, data_only=False, keep_links=False)
    except ImportFileError:
        raise
    except Exception as error:  # openpyxl raises many kinds on a malformed part
        raise ImportFileError(_("The file is damaged and cannot be read."), "damaged") from error
    try:
        sheets = workbook.worksheets
        hidden = [ws.title for ws in sheets if ws.sheet_state != "visible"]
        if hidden:
            raise ImportFileError(
                _(
                    "The workbook has hidden sheets (%(sheets)s). Show or delete them, so that nothing is "
                    "imported that you cannot see."
                )
                % {"sheets": ", ".join(hidden)},
                "hidden_sheet",
            )
        if not sheets:
            raise ImportFileError(_("The workbook has no sheet."), "empty")
        sheet = sheets[0]
        if not hasattr(sheet, "_cells_by_row"):  # a chart sheet
            raise ImportFileError(_("The first sheet holds no table."), "empty")
        # Some programs write a wrong size into the sheet; read every row that is there instead.
        sheet.reset_dimensions()
        header_number, headers, rows = None, [], []
        # Missing rows come as empty tuples, so the count is the row number Excel shows.
        for number, row in enumerate(sheet.iter_rows(), start=1):
            cells = [_cell_value(cell) for cell in row]
            if header_number is None:
                values = [c.value for c in cells]
                if looks_like_header(values):
                    header_number = number
                    headers = ["" if v is None else str(v) for v in values]
                elif number >= HEADER_SEARCH_ROWS:
                    break
                continue
            if all(c.value is None or (isinstance(c.value, str) and not c.value.strip()) for c in cells):
                continue
            if len(rows) >= MAX_ROWS:
                raise ImportFileError(
                    _("The file has more than %(max)s rows. Split it into smaller files.")
                    % {"max": f"{MAX_ROWS:,}".replace(",", ".")},
                    "too_many_rows",
                )
            rows.append(SheetRow(number, cells))
        if header_number is None:
            raise ImportFileError(
                _(
                    "No header row was found in the first rows of the first sheet. Keep the template's "
                    "header row (“Họ và tên”, “Ngày sinh”…) above the data."
                ),
                "no_header",
            )
        merged = [
            r for r in _merged_ranges(workbook._archive, sheet._worksheet_path) if r[3] >= header_number
        ]
        if merged:
            _min_col, min_row, _max_col, max_row = merged[0]
            raise ImportFileError(
                _(
                    "The sheet has merged cells (rows %(first)s–%(last)s). Unmerge them, so that each row "
                    "has one value per column."
                )
                % {"first": min_row, "last": max_row},
                "merged_cells",
            )
        if not rows:
            raise ImportFileError(_("The sheet has a header row but no rows below it."), "no_rows")
        return Sheet(title=sheet.title, header_number=header_number, headers=headers, rows=rows)
    except ImportFileError:
        raise
    except Exception as error:
        # A part that does not parse (malformed XML, entities refused by defusedxml) is a damaged file.
        raise ImportFileError(_("The file is damaged and cannot be read."), "damaged") from error
    finally:
        workbook.close()
