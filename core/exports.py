"""Text that leaves the portal in a spreadsheet stays text (CWE-1236, "CSV/formula injection").

A cell typed by a user as `=HYPERLINK(...)`, `+1+1`, `-2+3` or `@SUM(...)` would run as a formula in Excel
or LibreOffice; it gets a leading quote instead. The portal's own exports (core.excel) and Django
admin's (django-import-export, through EXPORT_FORMATS) both use `neutralise`."""

import re

from import_export.formats import base_formats

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


#: a sign and then only digits and the separators of a phone number: nothing a spreadsheet could run
_INERT = re.compile(r"[+-][\d .()-]*")


def neutralise(value):
    """Make a text cell inert: a leading formula trigger gets a quote prefix. Not a phone number written
    with +84 (nor "-", "-5"): no function, no reference, and the quote would show in the cell."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS) and not _INERT.fullmatch(value):
        return "'" + value
    return value


class _Neutralising:
    def _escape_formulae(self, dataset):
        # Called by export_data when IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT is on. The library's own
        # version only drops a leading "=" (and turns every cell into text).
        for _ in range(dataset.height):
            dataset.append([neutralise(cell) for cell in dataset.lpop()])


class CSV(_Neutralising, base_formats.CSV):
    pass


class XLSX(_Neutralising, base_formats.XLSX):
    pass
