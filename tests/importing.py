"""Workbooks for the import tests, built in the test (openpyxl, zipfile): good ones and hostile ones."""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

SECRETARY_HEADERS = [
    "Họ và tên",
    "Giới tính",
    "Ngày sinh",
    "Dân tộc",
    "Tôn giáo",
    "Trình độ học vấn",
    "Trình độ lý luận chính trị",
    "Đảng viên",
    "Nghề nghiệp",
    "Số điện thoại",
    "Email",
    "Chi đoàn",
    "Ngày bắt đầu nhiệm kỳ",
]


def secretary_row(name, branch, born=datetime.date(1998, 9, 5), started="01/10/2025", **over):
    row = {
        "Họ và tên": name,
        "Giới tính": "Nữ",
        "Ngày sinh": born,
        "Dân tộc": "Khmer",
        "Tôn giáo": "Phật giáo",
        "Trình độ học vấn": "12/12",
        "Trình độ lý luận chính trị": "Sơ cấp",
        "Đảng viên": "Có",
        "Nghề nghiệp": "Nông dân",
        "Số điện thoại": "0912 345 678",
        "Email": "",
        "Chi đoàn": branch,
        "Ngày bắt đầu nhiệm kỳ": started,
    }
    row.update(over)
    return row


def workbook_bytes(rows: list[dict], headers=None, *, title: str | None = "Danh sách", build=None) -> bytes:
    headers = headers or list(rows[0])
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Dữ liệu"
    if title:
        sheet.append([title])
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(h) for h in headers])
    if build:
        build(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(content: bytes, name: str = "danh-sach.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


def shown_preview(client, batch) -> str | None:
    """The preview the batch's page shows, as its "Import n rows" form sends it (None: not said)."""
    import re

    page = client.get(batch.get_absolute_url()).content.decode()
    found = re.search(r'name="preview" value="([0-9a-f]*)"', page)
    return found.group(1) if found else None


def confirm(client, batch, preview: str | None = "", **kwargs):
    """Press "Import n rows" on the batch's page, drawn now or earlier (`preview`, from shown_preview)."""
    from django.urls import reverse

    preview = shown_preview(client, batch) if preview == "" else preview
    data = {} if preview is None else {"preview": preview}
    return client.post(reverse("imports:batch_confirm", args=[batch.pk]), data, **kwargs)
