"""The downloadable template of a kind: the sheet to fill in, its instructions, and the lists it offers.

Sheet 1 ("Dữ liệu"): a title row, the header row (frozen), drop-down lists on the columns with choices
(from the "Danh mục" sheet: an inline list is limited to 255 characters, too short for 54 ethnic groups or
a commune's branches). Sheet 2: what each column takes, with an example. Sheet 3: the lists. Every sheet is
visible, since the import refuses hidden sheets.
"""

import tempfile

from django.http import FileResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from core.exports import neutralise

from .engine import ImportKind, display
from .reader import MAX_ROWS

#: rows below the header that carry the drop-down lists
VALIDATED_ROWS = 2_000
TYPE_HELP = {
    "date": gettext_lazy("A date: dd/mm/yyyy"),
    "int": gettext_lazy("A whole number: 0, 1, 2…"),
    "bool": gettext_lazy("Yes / No"),
    "email": gettext_lazy("An e-mail address"),
}


def template_workbook(kind: ImportKind, *, user) -> Workbook:
    kind = kind.for_user(user)
    workbook = Workbook()
    data = workbook.active
    data.title = _("Data")[:31]
    lists_sheet = workbook.create_sheet(_("Lists")[:31])
    help_sheet = workbook.create_sheet(_("Instructions")[:31], index=1)
    bold = Font(bold=True)
    columns = kind.template_columns(user)
    last = get_column_letter(len(columns))

    data["A1"] = " — ".join(str(part) for part in (kind.label, user.scope_label, kind.target) if part)
    data["A1"].font = Font(bold=True, size=13)
    data.merge_cells(f"A1:{last}1")  # above the header: the import ignores the title row
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    for index, column in enumerate(columns, start=1):
        cell = data.cell(row=2, column=index, value=str(column.label) + (" *" if column.required else ""))
        cell.font, cell.fill = bold, header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        letter = get_column_letter(index)
        data.column_dimensions[letter].width = column.width
        if column.type == "date":
            data.column_dimensions[letter].number_format = "DD/MM/YYYY"
        elif column.type == "text":
            # Text columns stay text in Excel too: a phone number keeps its leading zero.
            data.column_dimensions[letter].number_format = "@"
    data.freeze_panes = "A3"

    lists = {c.key: c.choice_labels() for c in columns if c.choices} | kind.template_lists(user)
    bool_labels = [_("Yes"), _("No")]
    list_col = 0
    for index, column in enumerate(columns, start=1):
        values = lists.get(column.key) or (bool_labels if column.type == "bool" else None)
        if not values:
            continue
        list_col += 1
        letter = get_column_letter(list_col)
        lists_sheet.cell(row=1, column=list_col, value=str(column.label)).font = bold
        for row, value in enumerate(values, start=2):
            lists_sheet.cell(row=row, column=list_col, value=neutralise(str(value)))
        lists_sheet.column_dimensions[letter].width = max(14, min(40, max(len(str(v)) for v in values) + 2))
        source = f"{quote_sheetname(lists_sheet.title)}!${letter}$2:${letter}${len(values) + 1}"
        validation = DataValidation(type="list", formula1=source, allow_blank=not column.required)
        # A value not in the list is still accepted by Excel with a warning: the import says what is wrong.
        validation.errorStyle = "warning"
        validation.error = _("Choose a value from the list.")
        target = get_column_letter(index)
        validation.add(f"{target}3:{target}{min(MAX_ROWS, VALIDATED_ROWS) + 2}")
        data.add_data_validation(validation)
    lists_sheet.freeze_panes = "A2"

    example = kind.example_row(user)
    help_sheet["A1"] = _("How to fill in the template: %(kind)s") % {"kind": kind.label}
    help_sheet["A1"].font = Font(bold=True, size=13)
    lines = [
        _("Fill in one row per record on the sheet “%(sheet)s”, below the header row.")
        % {"sheet": data.title},
        _("Columns marked * must be filled in. The columns may be in another order; do not merge cells."),
        _("Dates as dd/mm/yyyy (for example 05/09/1998) or as Excel dates."),
        _("Formulas are not accepted: type or paste the values themselves."),
        _("Names may be typed with or without diacritics when they are unambiguous."),
        _("Nothing is saved before you check the preview and confirm it; a file with errors saves nothing."),
        *[str(line) for line in kind.instructions],
        *([str(kind.target)] if kind.target else []),
    ]
    row = 2
    for line in lines:
        help_sheet.cell(row=row, column=1, value=f"• {line}")
        row += 1
    row += 1
    for col, title in enumerate([_("Column"), _("Required"), _("How to fill in"), _("Example")], start=1):
        help_sheet.cell(row=row, column=col, value=title).font = bold
    for column in columns:
        row += 1
        help_sheet.cell(row=row, column=1, value=str(column.label))
        help_sheet.cell(row=row, column=2, value=_("Yes") if column.required else "")
        how = str(column.help or TYPE_HELP.get(column.type, ""))
        if column.choices or column.key in lists:
            how = (how + " " if how else "") + _("(choose from the list)")
        help_sheet.cell(row=row, column=3, value=how)
        help_sheet.cell(row=row, column=4, value=neutralise(display(example.get(column.key))))
    for letter, width in zip("ABCD", (28, 10, 60, 28), strict=True):
        help_sheet.column_dimensions[letter].width = width
    return workbook


def template_response(kind: ImportKind, *, user) -> FileResponse:
    spool = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (FileResponse closes it)
    template_workbook(kind, user=user).save(spool)
    spool.seek(0)
    name = f"mau-nhap-{slugify(kind.file_slug or kind.slug)}-{timezone.localdate():%Y%m%d}.xlsx"
    return FileResponse(
        spool,
        as_attachment=True,
        filename=name,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
