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
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

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
