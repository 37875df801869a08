"""Documents attached to a nomination (the achievement report, the unit's proposal): accepted by content, not
by the file name; size-capped; served only to whoever sees the nomination; listed on its page and in the
review; attached and removed by those who may still edit it."""

import io
import zipfile

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from awards import services
from awards.documents import MAX_DOCUMENT_SIZE, check_document
from awards.models import NominationDocument
from tests.login import login_verified

pytestmark = pytest.mark.usefixtures("world_once")

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def office(main_part: str, main_type: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            f'<Types><Override PartName="/{main_part}" '
            f'ContentType="application/vnd.openxmlformats-officedocument.{main_type}"/></Types>',
        )
        archive.writestr(main_part, "<document/>")
    return buffer.getvalue()


def xlsx() -> bytes:
    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


class TestCheck:
    @pytest.mark.parametrize(
        "name, content, expected",
        [
            ("bao-cao.pdf", PDF, "pdf"),
            ("anh.png", PNG, "png"),
            ("anh.jpg", JPEG, "jpg"),
            ("to-trinh.docx", office("word/document.xml", "wordprocessingml.document.main+xml"), "docx"),
            ("danh-sach.xlsx", xlsx(), "xlsx"),
            # The name does not matter: a PDF named .docx is a PDF.
            ("ten-sai.docx", PDF, "pdf"),
        ],
    )
    def test_accepted_by_content(self, name, content, expected):
        assert check_document(upload(name, content))[1] == expected

    @pytest.mark.parametrize(
        "name, content",
        [
            ("virus.pdf", b"MZ\x90\x00" + b"\x00" * 64),  # a program renamed .pdf
            ("cu.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64),  # an old Word file
            ("nen.docx", b"PK\x03\x04not really a zip"),
            ("macro.docm", office("word/document.xml", "wordprocessingml.document.macroEnabled.main+xml")),
            ("trang.pdf", b""),
        ],
    )
    def test_refused_by_content(self, name, content):
        with pytest.raises(ValidationError) as refused:
            check_document(upload(name, content))
        assert refused.value.code == "bad_document"

    def test_size_capped(self):
        with pytest.raises(ValidationError) as refused:
            check_document(upload("lon.pdf", PDF + b"0" * MAX_DOCUMENT_SIZE))
        assert refused.value.code == "too_large"


def upload_url(nomination):
    return reverse("awards:nomination_document_upload", args=[nomination.pk])


def a_draft(world, officer):
    """The unit's submitted nomination, taken back to draft: only a draft's documents change."""
    return services.nomination_withdraw(nomination=world["tieu_can_nomination"], user=officer)


class TestPages:
    def test_the_unit_attaches_and_everyone_in_scope_reads(
        self, client, tieu_can_officer, tra_vinh_staff, cang_long_officer, world
    ):
        nomination = a_draft(world, tieu_can_officer)
        client.force_login(tieu_can_officer)
        response = client.post(
            upload_url(nomination), {"kind": "bao_cao", "file": upload("Báo cáo thành tích.pdf", PDF)}
        )
        assert response.status_code == 302
        document = NominationDocument.objects.get(nomination=nomination)
        assert (document.original_name, document.content_type, document.size) == (
            "Báo cáo thành tích.pdf",
            "application/pdf",
            len(PDF),
        )
        # Stored under a generated name, never the uploader's.
        assert document.file.name.startswith("nomination-documents/") and "Báo" not in document.file.name
        file_url = reverse("awards:nomination_document", args=[document.pk])
        assert file_url in client.get(nomination.get_absolute_url()).content.decode()
        services.nomination_submit(nomination=nomination, user=tieu_can_officer)
        # The province reads it on the nomination and in the review.
        login_verified(client, tra_vinh_staff)
        review = client.get(reverse("awards:campaign_review", args=[nomination.campaign_id]))
        assert file_url in review.content.decode()
        served = client.get(file_url)
        assert served.status_code == 200 and b"".join(served.streaming_content) == PDF
        assert served["Content-Type"] == "application/pdf" and served["Cache-Control"] == "private, no-store"
        # Another district does not find it; the province does not change it.
        assert client.post(upload_url(nomination), {"kind": "bao_cao"}).status_code == 403
        client.force_login(cang_long_officer)
        assert client.get(file_url).status_code == 404
        assert client.post(upload_url(nomination), {"kind": "bao_cao"}).status_code == 404

    def test_a_refused_file_comes_back_with_its_error_next_to_the_field(
        self, client, tieu_can_officer, world
    ):
        nomination = a_draft(world, tieu_can_officer)
        client.force_login(tieu_can_officer)
        response = client.post(
            upload_url(nomination), {"kind": "to_trinh", "file": upload("to-trinh.pdf", b"MZ")}
        )
        assert response.status_code == 200
        assert response.context["document_form"].errors["file"] == [
            "Tệp này không phải tài liệu PDF, Word (.docx), Excel (.xlsx), PNG hoặc JPEG."
        ]
        assert not NominationDocument.objects.exists()

    def test_removed_after_a_confirmation(self, client, tieu_can_officer, world):
        nomination = a_draft(world, tieu_can_officer)
        document = services.nomination_document_add(
            nomination=nomination, kind="to_trinh", upload=upload("to-trinh.pdf", PDF), user=tieu_can_officer
        )
        client.force_login(tieu_can_officer)
        url = reverse("awards:nomination_document_delete", args=[document.pk])
        assert client.get(url).status_code == 200
        assert NominationDocument.objects.exists()
        assert client.post(url).status_code == 302
        assert not NominationDocument.objects.exists()

    def test_the_nominations_history_says_who_attached_and_removed_which_file(
        self, client, tieu_can_officer, tra_vinh_staff, world
    ):
        nomination = a_draft(world, tieu_can_officer)
        client.force_login(tieu_can_officer)
        client.post(upload_url(nomination), {"kind": "to_trinh", "file": upload("Tờ trình số 12.pdf", PDF)})
        document = NominationDocument.objects.get(nomination=nomination)
        client.post(reverse("awards:nomination_document_delete", args=[document.pk]))
        assert not NominationDocument.objects.exists()

        login_verified(client, tra_vinh_staff)
        history = client.get(nomination.get_absolute_url()).context["history"]
        removed, attached = [
            row for row in history if row.changes and row.changes[0].label == "Tờ trình của đơn vị"
        ]
        assert (removed.action, removed.who, removed.changes[0].old) == (
            "Gỡ tài liệu",
            tieu_can_officer,
            "Tờ trình số 12.pdf",
        )
        assert (attached.action, attached.who, attached.changes[0].new) == (
            "Đính kèm tài liệu",
            tieu_can_officer,
            "Tờ trình số 12.pdf",
        )
        assert [row.when for row in history] == sorted((row.when for row in history), reverse=True)

    def test_a_submitted_nominations_documents_wait_for_it_to_be_withdrawn(
        self, client, tieu_can_officer, world
    ):
        """What the province reviews is what was sent: the unit takes it back to draft to change it."""
        nomination = world["tieu_can_nomination"]
        document = NominationDocument.objects.create(
            nomination=nomination,
            kind="bao_cao",
            original_name="a.pdf",
            content_type="application/pdf",
            size=1,
        )
        assert not services.may_edit_documents(nomination, tieu_can_officer)
        client.force_login(tieu_can_officer)
        page = client.get(nomination.get_absolute_url()).content.decode()
        delete_url = reverse("awards:nomination_document_delete", args=[document.pk])
        assert upload_url(nomination) not in page and delete_url not in page
        refusal = "Đề nghị đã gửi thì không sửa được: hãy rút về nháp trước rồi gửi lại."
        for response in (
            client.post(upload_url(nomination), {"kind": "bao_cao", "file": upload("b.pdf", PDF)}),
            client.get(delete_url),
            client.post(delete_url),
        ):
            assert response["Location"] == nomination.get_absolute_url()
            assert {str(m) for m in get_messages(response.wsgi_request)} == {refusal}
        assert list(nomination.documents.values_list("original_name", flat=True)) == ["a.pdf"]
        with pytest.raises(ValidationError) as refused:
            services.nomination_document_delete(document=document, user=tieu_can_officer)
        assert refused.value.code == "nomination_sent"
        a_draft(world, tieu_can_officer)
        assert client.post(delete_url).status_code == 302
        assert not nomination.documents.exists()

    def test_locked_once_decided(self, tieu_can_officer, world):
        nomination = world["tieu_can_commendation"].nomination
        assert not services.may_edit_documents(nomination, tieu_can_officer)
        with pytest.raises(ValidationError):
            services.nomination_document_add(
                nomination=nomination, kind="bao_cao", upload=upload("a.pdf", PDF), user=tieu_can_officer
            )
