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


def test_a_reason_with_words_of_its_own_is_read_in_the_readers_language():
    """A reason that carries what the service wrote into it (a campaign's quotas: the units' names and
    numbers) keeps those words and puts the rest in the reader's language, cut short or not."""
    with translation.override("en"):
        assert reason_text("Chỉ tiêu: Xã Tập Ngãi 1 → 2; Xã Hùng Hòa 2 → 1") == (
            "Quotas: Xã Tập Ngãi 1 → 2; Xã Hùng Hòa 2 → 1"
        )
        assert reason_text("Chỉ tiêu: Xã Tập Ngãi 1 → 2; Xã Hùng…") == "Quotas: Xã Tập Ngãi 1 → 2; Xã Hùng…"
    with translation.override("vi"):
        assert reason_text("Quotas: Xã Tập Ngãi 1 → 2") == "Chỉ tiêu: Xã Tập Ngãi 1 → 2"
        # Nothing in the slot is not the reason.
        assert reason_text("Chỉ tiêu: ") == "Chỉ tiêu: "
