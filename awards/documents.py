"""The documents attached to a nomination: what is accepted (checked by content, never by the file name's
extension) and how one is served (only to whoever sees the nomination: no /media/ URL).

A PDF starts with "%PDF-"; a PNG and a JPEG with their signatures; a DOCX or an XLSX is a zip archive holding
[Content_Types].xml and word/document.xml or xl/workbook.xml. Anything else (an .exe renamed .pdf, an old
.doc, a macro-enabled .docm) is refused with a message next to the field.
"""

import zipfile

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from core.history import Change, HistoryRow

MAX_DOCUMENT_SIZE = 10 * 1024 * 1024  # 10 MB: a scanned report of a few pages

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXTENSIONS = {PDF: "pdf", PNG: "png", JPEG: "jpg", DOCX: "docx", XLSX: "xlsx"}
# The main part of each Office format, and the content type its [Content_Types].xml declares for it.
OFFICE_PARTS = {
    DOCX: ("word/document.xml", "wordprocessingml.document.main+xml"),
    XLSX: ("xl/workbook.xml", "spreadsheetml.sheet.main+xml"),
}


def _office_type(upload) -> str | None:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" not in names:
                return None
            declared = archive.read("[Content_Types].xml").decode("utf-8", "replace")
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError, ValueError):
        return None
    for content_type, (part, main) in OFFICE_PARTS.items():
        # A macro-enabled file (.docm, .xlsm) declares another main type: refused.
        if part in names and main in declared and "macroEnabled" not in declared:
            return content_type
    return None


def check_document(upload) -> tuple[str, str]:
    """(content type, extension) of an accepted file; ValidationError (code "bad_document" or "too_large")
    otherwise."""
    if upload.size > MAX_DOCUMENT_SIZE:
        raise ValidationError(
            _("The file is %(size)s: at most %(max)s is accepted.")
            % {"size": filesizeformat(upload.size), "max": filesizeformat(MAX_DOCUMENT_SIZE)},
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(8)
    content_type = None
    if head.startswith(b"%PDF-"):
        content_type = PDF
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        content_type = PNG
    elif head.startswith(b"\xff\xd8\xff"):
        content_type = JPEG
    elif head.startswith(b"PK\x03\x04"):
        content_type = _office_type(upload)
    upload.seek(0)
    if content_type is None:
        raise ValidationError(
            _("This file is not a PDF, Word (.docx), Excel (.xlsx), PNG or JPEG document."),
            code="bad_document",
        )
    return content_type, EXTENSIONS[content_type]


def document_response(document) -> FileResponse:
    """The stored file, under its original name; a PDF or an image opens in the browser, the others
    download. Kept by no cache: it is personal data."""
    if not document.file:
        raise Http404
    inline = document.content_type in (PDF, PNG, JPEG)
    response = FileResponse(document.file.open("rb"), content_type=document.content_type)
    response["Content-Disposition"] = content_disposition_header(not inline, document.original_name)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def document_history_rows(nomination, *, limit: int) -> list[HistoryRow]:
    """The documents attached to and removed from a nomination, as rows of its history (one query)."""
    from .models import NominationDocument

    records = (
        NominationDocument.history.filter(nomination_id=nomination.pk, history_type__in=["+", "-"])
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[:limit]
    )
    kinds = dict(NominationDocument.Kind.choices)
    return [
        HistoryRow(
            when=timezone.localtime(record.history_date),
            who=record.history_user,
            action=_("Document attached") if record.history_type == "+" else _("Document removed"),
            changes=[
                Change(
                    label=str(kinds.get(record.kind, record.kind)),
                    old=record.original_name if record.history_type == "-" else "—",
                    new=record.original_name if record.history_type == "+" else "—",
                )
            ],
        )
        for record in records
    ]
