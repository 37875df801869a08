"""Reading the portal's Excel exports in tests, and the layout every one of them keeps (core.excel)."""

import io
from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

#: the table's header row: under the title, the unit and date line, and an empty row
HEADER_ROW = 4


@dataclass
class Export:
    sheet: Worksheet
    header: tuple  # without the STT column
    rows: list[tuple]  # the data rows, without the STT column

    @property
    def table(self) -> list[tuple]:
        """The header and the rows, as a plain list of tuples."""
        return [self.header, *self.rows]

    def column(self, header: str) -> list:
        index = self.header.index(header)
        return [row[index] for row in self.rows]

    def cells(self, header: str) -> list:
        """The cells (not only their values) of a column, for their number format."""
        index = self.header.index(header) + 2  # 1-based, after STT
        return [
            self.sheet.cell(row=r, column=index)
            for r in range(HEADER_ROW + 1, HEADER_ROW + 1 + len(self.rows))
        ]


def read_export(response) -> Export:
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    content = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = load_workbook(io.BytesIO(content)).active
    values = list(sheet.iter_rows(values_only=True))
    header = values[HEADER_ROW - 1]
    assert header[0] == "STT", header
    rows = [row for row in values[HEADER_ROW:] if any(v is not None for v in row)]
    return Export(sheet=sheet, header=tuple(header[1:]), rows=[tuple(row[1:]) for row in rows])


def table_rows(response) -> list[tuple]:
    """The header and the rows of an export, without its title and STT column."""
    return read_export(response).table


def column_width(sheet, index: int) -> float:
    """The width of column `index` (1-based) as Excel reads it: neighbouring columns of one width may be
    written as one range (<col min max>), which openpyxl files under the range's first letter only."""
    for dimension in sheet.column_dimensions.values():
        if dimension.min is not None and dimension.min <= index <= dimension.max:
            return dimension.width
    return sheet.column_dimensions[get_column_letter(index)].width


def assert_staff_layout(
    export: Export,
    *,
    title: str,
    unit: str,
    dates: tuple[str, ...] = (),
    numbers: tuple[str, ...] = (),
) -> None:
    """What a staffer expects of a file they would send on: a title row (what, unit, date), STT, the
    header bold and frozen, widths fitted to the content, dates as dates and numbers as numbers."""
    sheet = export.sheet
    assert title in sheet["A1"].value and sheet["A1"].font.b
    line = sheet["A2"].value
    assert unit in line, line
    assert timezone.localdate().strftime("%d/%m/%Y") in line, line
    header_cells = sheet[HEADER_ROW]
    assert all(cell.font.b for cell in header_cells if cell.value)
    assert sheet.freeze_panes == f"A{HEADER_ROW + 1}"
    assert sheet.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"  # repeated on every printed page
    stt = [
        sheet.cell(row=r, column=1).value for r in range(HEADER_ROW + 1, HEADER_ROW + 1 + len(export.rows))
    ]
    if stt and stt[-1] is None:  # a row of totals under the table: in bold, not numbered (it is no item)
        stt.pop()
        last = HEADER_ROW + len(export.rows)
        assert all(c.font.b for c in sheet[last] if c.value is not None), "the totals are in bold"
    assert stt == list(range(1, len(stt) + 1))
    for index, cell in enumerate(header_cells, start=1):
        width = column_width(sheet, index)
        longest = max(
            [len(str(cell.value or ""))]
            + [
                len(str(row[index - 2]))
                for row in export.rows
                if index > 1 and isinstance(row[index - 2], str)
            ]
        )
        assert min(longest, 58) <= width <= 62, (cell.value, width, longest)
    for header in dates:
        cells = [c for c in export.cells(header) if c.value not in (None, "")]
        assert cells, f"no dates in {header}"
        for cell in cells:
            assert isinstance(cell.value, datetime | date), (header, cell.value)
            assert cell.number_format.upper().startswith("DD/MM/YYYY"), (header, cell.number_format)
    for header in numbers:
        values = [v for v in export.column(header) if v not in (None, "")]
        assert values, f"no numbers in {header}"
        assert all(isinstance(v, int | float) and not isinstance(v, bool) for v in values), (header, values)
