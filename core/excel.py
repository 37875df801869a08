"""Excel (.xlsx) exports of portal lists, shared by every app.

Every export is laid out as a staffer would send it: a title row (what), a row naming the unit and the
date of the export, a row of the list's filters when it was filtered (core.filters.filter_summary), then
the table with an STT column, a bold header frozen in view (and repeated on
every printed page), columns fitted to their content, dates as real dates (dd/mm/yyyy) and numbers as
numbers. The header row stays within the first rows, so the importer (core.importing) reads an export back.

The files are written with XlsxWriter (openpyxl reads the imports, core/importing): writing, it takes half
the time openpyxl's write-only workbook took (a merged province's training-needs list, 710 rows × 15
columns: 79 → 39 ms; a commune's list of twenty, 5.5 → 2.3 ms). A list answered at once (at most
EXPORT_JOB_CELLS cells) is built in memory; a job's, of any length, row by row through a temporary file
(XlsxWriter's constant memory), so a national export does not grow the worker. The column widths are fitted
to the first rows, held back for that. Every value is written by its type and a text always as text: none
becomes a formula or a link. Cells that Excel would read as a formula are neutralised as well (CWE-1236,
"CSV/formula injection"), for the program that opens the file next.
"""

import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from itertools import chain, islice

from django.conf import settings
from django.contrib import messages
from django.db.models import QuerySet
from django.http import FileResponse, QueryDict
from django.shortcuts import redirect
from django.utils import formats, timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from xlsxwriter import Workbook

from core.exports import neutralise
from core.jobs import JobResult, job_start
from core.personal_data import record_sensitive_access
from core.security_log import security_event

#: rows read ahead to fit the column widths (the rest of a long export follows the same layout)
FIT_ROWS = 500
MIN_WIDTH, MAX_WIDTH = 6, 60
#: the table's header is row 4: title, unit and date, an empty row, then the header
HEADER_ROW = 4
#: A4 in Excel's page setup
PAPER_A4 = 9
DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"
#: a job's progress is told every this many rows
PROGRESS_ROWS = 500


def _width(value) -> int:
    """About how many characters wide a value shows in Excel (its longest line)."""
    if type(value) is str and value.isprintable():
        return len(value)  # most cells: one line of text (no line break of any kind)
    if value is None:
        return 0
    if isinstance(value, datetime):
        return 16
    if isinstance(value, date):
        return 10
    if isinstance(value, float | Decimal):
        return len(f"{value:.2f}")
    return max((len(line) for line in str(value).splitlines()), default=0)


def export_title_lines(*, title: str, scope: str, on: date | None = None) -> tuple[str, str]:
    """The two lines above the table: what the list is, and the unit and date it was taken for."""
    on = on or timezone.localdate()
    return title, _("Unit: %(unit)s · Exported on %(date)s") % {
        "unit": scope,
        "date": formats.date_format(on, "d/m/Y"),
    }


@dataclass
class Sheet:
    """One sheet of a workbook of several (xlsx_workbook_response)."""

    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence]


def xlsx_response(
    *,
    filename: str,
    sheet_title: str,
    title: str,
    scope: str,
    headers: Sequence[str],
    rows: Iterable[Sequence],
    sensitive: Sequence[str] = (),
    filters=None,
    filters_line: str = "",
    total: Sequence | None = None,
):
    """The rows as an .xlsx download, under a title (`title`: what the list is; `scope`: the unit it covers),
    numbered in an STT column; `total`, a row of totals under them (in bold, not numbered). The export is
    recorded as a security event of the current request; with `sensitive` (the names of sensitive fields
    among the columns) also in the sensitive-data access log, with its `filters` (core.personal_data)."""
    # The finished file is spooled to disk and streamed back; it is removed when the response closes.
    spool = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (FileResponse closes it)
    count = write_xlsx(
        spool,
        sheet_title=sheet_title,
        title=title,
        scope=scope,
        headers=headers,
        rows=rows,
        filters_line=filters_line,
        total=total,
    )
    # Every export is a security event (ASVS V16): who (the request's user), what file, how many rows.
    security_event("data.export", what=filename, rows=count)
    if sensitive:
        record_sensitive_access(what=filename, fields=sensitive, rows=count, filters=filters)
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=filename, content_type=XLSX_TYPE)


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def write_xlsx(
    target,
    *,
    sheet_title: str,
    title: str,
    scope: str,
    headers: Sequence[str],
    rows: Iterable[Sequence],
    progress: Callable[[int], None] | None = None,
    large: bool = False,
    filters_line: str = "",
    total: Sequence | None = None,
) -> int:
    """Write the workbook into `target` (a binary file) and return the number of rows. `progress(count)`
    is called every PROGRESS_ROWS rows (a job's progress bar); `large`: rows without a bound (a job's), kept
    in a temporary file rather than in memory."""
    workbook = new_workbook(target, large=large)
    count = _write_sheet(
        workbook,
        sheet_title=sheet_title,
        title=title,
        scope=scope,
        headers=headers,
        rows=rows,
        progress=progress,
        filters_line=filters_line,
        total=total,
    )
    workbook.close()
    return count


def new_workbook(target, *, large: bool = False) -> Workbook:
    """An XlsxWriter workbook writing into `target` that takes every value as it is: no text read as a
    formula, a number or a link. `large`: each row goes to a temporary file when the next begins (constant
    memory), slower than keeping the rows in memory until the end."""
    return Workbook(
        target,
        {
            "in_memory": not large,
            "constant_memory": large,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )


def xlsx_workbook_response(*, filename: str, title: str, scope: str, sheets: Sequence[Sheet]):
    """Several sheets in one workbook, each laid out as xlsx_response lays out its one (title, unit and
    date, STT, frozen header). The caller records the access (a data-subject export names its subject).
    Returns the response and the number of rows written over all sheets."""
    spool = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (FileResponse closes it)
    workbook = new_workbook(spool)
    count = 0
    for sheet in sheets:
        count += _write_sheet(
            workbook,
            sheet_title=sheet.title,
            title=f"{title} — {sheet.title}",
            scope=scope,
            headers=sheet.headers,
            rows=sheet.rows,
        )
    workbook.close()
    security_event("data.export", what=filename, rows=count)
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=filename, content_type=XLSX_TYPE), count


def _write_sheet(
    workbook: Workbook,
    *,
    sheet_title: str,
    title: str,
    scope: str,
    headers: Sequence[str],
    rows: Iterable[Sequence],
    progress: Callable[[int], None] | None = None,
    filters_line: str = "",
    total: Sequence | None = None,
) -> int:
    """Write one laid-out sheet; returns the number of rows in its table. `filters_line`: the list's
    filters in words, on the row between the unit and the table (a list sent upward says what it is a part
    of). `total`: a row of totals under the table, in bold and without a number (it is no item)."""
    sheet = workbook.add_worksheet(_sheet_name(workbook, sheet_title))
    rows = iter(rows)
    head = [list(row) for row in islice(rows, FIT_ROWS)]
    headers = [_("No."), *(str(h) for h in headers)]

    # The widths (fitted to the rows held back), the frozen header, repeated on every printed page, A4.
    widths = [_width(h) for h in headers]
    widths[0] = max(widths[0], len(str(len(head))))
    for row in head:
        for i, value in enumerate(row, start=1):
            if i < len(widths):
                widths[i] = max(widths[i], _width(value))
    for i, width in enumerate(widths):
        sheet.set_column(i, i, min(max(width + 2, MIN_WIDTH), MAX_WIDTH))
    sheet.freeze_panes(HEADER_ROW, 0)
    sheet.repeat_rows(HEADER_ROW - 1)
    sheet.set_paper(PAPER_A4)
    if len(headers) > 6:
        sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    # Printed, each page numbered ("Trang 2/5"): a list of several pages attached to a report.
    page = _("Page")  # outside the f-string, where makemessages finds it
    sheet.set_footer(f"&C{page} &P/&N")

    what, where = export_title_lines(title=title, scope=scope)
    sheet.write_string(0, 0, neutralise(what), workbook.add_format({"bold": True, "font_size": 14}))
    sheet.write_string(1, 0, neutralise(where), workbook.add_format({"italic": True}))
    if filters_line:
        sheet.write_string(2, 0, neutralise(_("Filtered: %(filters)s") % {"filters": filters_line}))
    header = workbook.add_format(
        {
            "bold": True,
            "bg_color": "#DDE5F0",
            "pattern": 1,
            "border": 1,
            "border_color": "#808080",
            "align": "center",
            "valign": "vcenter",
            "text_wrap": True,
        }
    )
    for column, text in enumerate(headers):
        sheet.write_string(HEADER_ROW - 1, column, text, header)

    dates = workbook.add_format({"num_format": DATE_FORMAT})
    times = workbook.add_format({"num_format": DATETIME_FORMAT})
    # A Decimal keeps its places on paper as on the page (a score of 4,00, not 4): one format per count.
    decimals = _DecimalFormats(workbook)
    # Text of several lines (a seminar's outcomes, a proposal) wraps in its cell instead of running on.
    lines = workbook.add_format({"text_wrap": True, "valign": "top"})
    write_string, write_number = sheet.write_string, sheet.write_number
    count = 0
    for count, values in enumerate(chain(head, rows), start=1):
        row = HEADER_ROW - 1 + count
        write_number(row, 0, count)
        for column, value in enumerate(values, start=1):
            # Text first, most cells are (a name, a unit): what _write_value does with it, without its tests.
            if type(value) is str:
                write_string(row, column, neutralise(value), lines if "\n" in value else None)
            else:
                _write_value(sheet, row, column, value, dates, times, decimals)
        if progress is not None and count % PROGRESS_ROWS == 0:
            progress(count)
    if total is not None:
        bold = workbook.add_format({"bold": True})
        bold_decimals = _DecimalFormats(workbook, bold=True)
        for column, value in enumerate(total, start=1):
            if isinstance(value, Decimal):
                _write_value(sheet, HEADER_ROW + count, column, value, dates, times, bold_decimals)
            elif isinstance(value, int | float):
                sheet.write_number(HEADER_ROW + count, column, value, bold)
            elif value is not None:
                sheet.write_string(HEADER_ROW + count, column, neutralise(str(value)), bold)
    return count


def _sheet_name(workbook: Workbook, title: str) -> str:
    """The title as a sheet's name: Excel's 31 characters, numbered when another sheet has it already (two
    long titles may share their first 31)."""
    name, number = title[:31], 1
    while workbook.get_worksheet_by_name(name) is not None:
        number += 1
        suffix = f" ({number})"
        name = title[: 31 - len(suffix)] + suffix
    return name


class _DecimalFormats(dict):
    """Places → the workbook's number format showing that many ("0.00"), made on first use."""

    def __init__(self, workbook: Workbook, *, bold: bool = False):
        super().__init__()
        self.workbook, self.bold = workbook, bold

    def __missing__(self, places: int):
        made = self[places] = self.workbook.add_format({"num_format": "0." + "0" * places, "bold": self.bold})
        return made


def _write_value(sheet, row: int, column: int, value, dates, times, decimals=None) -> None:
    """One cell by its value's type: a number as a number (a Decimal with its places shown), a date or a
    time as one (Vietnam's time, shown dd/mm/yyyy), anything else as text (neutralised); nothing for None."""
    if value is None:
        return
    if isinstance(value, bool):
        sheet.write_boolean(row, column, value)
    elif isinstance(value, Decimal) and decimals is not None and value.as_tuple().exponent < 0:
        sheet.write_number(row, column, value, decimals[-value.as_tuple().exponent])
    elif isinstance(value, int | float | Decimal):
        sheet.write_number(row, column, value)
    elif isinstance(value, datetime):
        value = timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
        sheet.write_datetime(row, column, value, times)
    elif isinstance(value, date):
        sheet.write_datetime(row, column, value, dates)
    else:
        sheet.write_string(row, column, neutralise(str(value)))


# ---------------------------------------------------------------------------------------------------
# Large exports as jobs


@dataclass
class ExcelExport:
    """An export as a list's builder describes it: the arguments of `xlsx_response`, plus the queryset its
    rows come from (`source`), counted to choose between answering at once and a job."""

    filename: str
    sheet_title: str
    title: str
    scope: str
    headers: Sequence[str]
    rows: Iterable[Sequence]
    source: QuerySet | None = None
    #: names of sensitive fields among the columns: the export goes to the sensitive-data access log
    sensitive: Sequence[str] = ()
    #: the list's filters in words (core.filters.filter_summary), the line under the unit and date
    filters_line: str = ""

    def layout(self) -> dict:
        return {
            "sheet_title": self.sheet_title,
            "title": self.title,
            "scope": self.scope,
            "filters_line": self.filters_line,
            "headers": self.headers,
            "rows": self.rows,
        }


@dataclass
class ExportRequest:
    """What a builder reads of the request (the user, the filters), when a worker runs it."""

    user: object
    GET: QueryDict


def export_response(request, builder: Callable[..., ExcelExport]):
    """ "Xuất Excel" of a list. `builder(request)` (a module-level function of the list's app, reading
    only `request.user` and `request.GET`) starts from `visible_to(request.user)` and applies the list's
    filters. A small list is answered at once; above EXPORT_JOB_CELLS cells the export becomes a job
    (the worker runs the same builder as the same user) and the user is sent to the job's page."""
    export = builder(request)
    threshold = job_threshold_rows(len(export.headers))
    if export.source is not None and export.source.order_by()[: threshold + 1].count() > threshold:
        language = translation.get_language()

        def title() -> str:
            # The builder writes the list's title: in the other language it is asked again (no row is read).
            name = export.title if translation.get_language() == language else builder(request).title
            return _("Export to Excel: %(title)s") % {"title": name}

        job = job_start(
            owner=request.user,
            kind="export",
            title=title,
            func=export_job,
            params={
                "builder": f"{builder.__module__}.{builder.__qualname__}",
                "query": request.GET.urlencode(),
            },
        )
        messages.info(
            request,
            _("The list has more than %(count)s rows: the file is being prepared. Its link appears here.")
            % {"count": formats.number_format(threshold, force_grouping=True)},
        )
        return redirect(job)
    return xlsx_response(
        filename=export.filename, sensitive=export.sensitive, filters=request.GET, **export.layout()
    )


def job_threshold_rows(columns: int) -> int:
    """The most rows an export of `columns` columns (and its STT) is answered with at once: its time is
    XlsxWriter's, per cell, so a wide list becomes a job sooner than a narrow one."""
    return max(1, settings.EXPORT_JOB_CELLS // (columns + 1))


def export_job(*, job, user, builder: str, query: str) -> JobResult:
    """The worker's side of `export_response`: the same builder, as the job's owner, with the same filters."""
    export = import_string(builder)(ExportRequest(user=user, GET=QueryDict(query)))
    total = export.source.order_by().count() if export.source is not None else None
    job.report(0, total, force=True)
    spool = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (closed once stored)
    count = write_xlsx(spool, progress=job.report, large=True, **export.layout())
    security_event("data.export", user=user, what=export.filename, rows=count, job=job.pk)
    if export.sensitive:
        record_sensitive_access(
            what=export.filename, fields=export.sensitive, rows=count, filters=QueryDict(query), user=user
        )
    spool.seek(0)
    return JobResult(file=spool, filename=export.filename, content_type=XLSX_TYPE)
