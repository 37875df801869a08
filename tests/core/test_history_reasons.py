"""The reasons the services write in a record's history are stored in the writer's language and read in the
reader's (core.history.register_reason): a branch's dated ones, a nomination's and a person's fixed ones."""

from django.utils import translation

from core.history import reason_text


def test_fixed_reasons_are_read_in_the_readers_language():
    written = {
        "Đưa về nháp để sửa sau khi không được duyệt": (
            "Taken back to draft to correct it after it was not approved"
        ),
        "Sửa theo đề nghị của chính người đó": "Correction requested by the person",
        "Trả lời về việc công khai của chính người đó": "Consent answered by the person",
    }
    with translation.override("en"):
        for vietnamese, english in written.items():
            assert reason_text(vietnamese) == english
        assert (
            reason_text("chuyển sang xã mới từ ngày 01/07/2025")
            == "re-attached to its new commune on 01/07/2025"
        )
    with translation.override("vi"):
        for vietnamese, english in written.items():
            assert reason_text(english) == vietnamese
        # Words no service writes stay as written; a registered reason inside other words is not one.
        assert reason_text("Nhập từ tệp") == "Nhập từ tệp"
        assert (
            reason_text("Ghi chú: Consent answered by the person")
            == "Ghi chú: Consent answered by the person"
        )
