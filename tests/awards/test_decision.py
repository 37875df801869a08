"""The commendation decision (issue 14): a decision dated after the window closed and not in the future,
published after a confirmation page with the list, the decision line and a certificate preview; corrected
only by a recorded correction (đính chính) that reissues the certificates; bulk review that leaves a decided
nomination as it was; the official list and every certificate in one PDF."""

import datetime
import io
import re
import time
import unicodedata

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from awards import services
from awards.certificate import certificates_pdf
from awards.models import Campaign, Commendation, DecisionCorrection, Nomination
from awards.official_list import OfficialRow, official_list_pdf
from tests.login import login_verified

pytestmark = pytest.mark.usefixtures("world_once")

# Read when a test needs it, not once at import: a run that crosses Vietnam's midnight would compare
# yesterday's date with the portal's today.
today = timezone.localdate


def text_of(content: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return reader, unicodedata.normalize("NFC", text)


def publish_url(campaign):
    return reverse("awards:campaign_publish", args=[campaign.pk])


@pytest.fixture
def staff(client, tra_vinh_staff):
    return login_verified(client, tra_vinh_staff)


@pytest.fixture
def ready(world, tra_vinh_staff):
    """This year's campaign closed for review today, Tiểu Cần's nomination approved, Càng Long's rejected."""
    campaign = services.campaign_close(campaign=world["campaign"], user=tra_vinh_staff)
    services.nomination_approve(nomination=world["tieu_can_nomination"], reviewer=tra_vinh_staff)
    services.nomination_reject(
        nomination=world["cang_long_nomination"], reviewer=tra_vinh_staff, reason="Thiếu minh chứng"
    )
    return campaign


class TestDecisionDate:
    def test_before_the_window_closed_is_refused_next_to_the_field_in_vietnamese(self, staff, ready):
        # Closed early today: a decision of yesterday (or of 2020) predates the close.
        for day in ((today() - datetime.timedelta(days=1)).strftime("%d/%m/%Y"), "01/01/2020"):
            response = staff.post(publish_url(ready), {"decision_number": "9-QĐ/TĐTN", "decision_date": day})
            assert response.status_code == 200
            errors = response.context["form"].errors["decision_date"]
            # The day itself is allowed: "not before", never "after" (which would exclude it).
            assert errors == [
                f"Ngày quyết định không được trước ngày kết thúc nhận đề nghị ({today():%d/%m/%Y})."
            ]
        ready.refresh_from_db()
        assert ready.status == Campaign.Status.REVIEW and not ready.commendations.exists()
        assert services.decision_date_problem(ready, today()) is None

    def test_the_campaign_page_names_the_day_nominations_really_closed(self, staff, ready):
        """Closed early (today, the deadline 20 days on): the page's window ends on the day it closed, the
        day the decision may bear from, and says the deadline it closed before."""
        html = staff.get(reverse("awards:campaign_detail", args=[ready.pk])).content.decode()
        closed, deadline = f"{today():%d/%m/%Y}", f"{ready.closes_on:%d/%m/%Y}"
        assert f"{ready.opens_on:%d/%m/%Y} – {closed}" in html
        assert f"– {deadline}" not in html
        assert f"Đã kết thúc nhận đề nghị ngày {closed}, trước hạn cuối {deadline}." in html
        assert services.earliest_decision_date(ready) == today()

    def test_a_campaign_closed_after_its_deadline_shows_its_window(self, staff, world):
        campaign = world["decided_campaign"]  # 15/10/2020, never closed by hand
        assert services.closed_early_on(campaign) is None
        html = staff.get(reverse("awards:campaign_detail", args=[campaign.pk])).content.decode()
        assert f"– {campaign.closes_on:%d/%m/%Y}" in html
        assert "data-closed-early" not in html

    @pytest.fixture
    def after_deadline(self, world, tra_vinh_staff):
        """This year's campaign, its deadline five days ago, closed for review today: not early."""
        Campaign.objects.filter(pk=world["campaign"].pk).update(
            closes_on=today() - datetime.timedelta(days=5)
        )
        world["campaign"].refresh_from_db()
        campaign = services.campaign_close(campaign=world["campaign"], user=tra_vinh_staff)
        services.nomination_approve(nomination=world["tieu_can_nomination"], reviewer=tra_vinh_staff)
        services.nomination_reject(
            nomination=world["cang_long_nomination"], reviewer=tra_vinh_staff, reason="Thiếu minh chứng"
        )
        return campaign

    def test_the_deadline_day_itself_is_refused_in_words_that_name_it(self, staff, after_deadline):
        """QA: the deadline's day was refused with "not before the day nominations ended (the day after)",
        the day after named as the end. Nominations run to the end of the deadline: the decision comes after
        it, and the message says so with both days."""
        deadline = after_deadline.closes_on
        assert services.closed_early_on(after_deadline) is None
        response = staff.post(
            publish_url(after_deadline),
            {"decision_number": "9-QĐ/TĐTN", "decision_date": deadline.strftime("%d/%m/%Y")},
        )
        assert response.context["form"].errors["decision_date"] == [
            f"Ngày quyết định phải sau hạn cuối nhận đề nghị ({deadline:%d/%m/%Y}), tức từ ngày "
            f"{deadline + datetime.timedelta(days=1):%d/%m/%Y} trở đi."
        ]
        assert services.decision_date_problem(after_deadline, deadline + datetime.timedelta(days=1)) is None
        assert not after_deadline.commendations.exists()

    @pytest.mark.parametrize("closed", ["ready", "after_deadline"])
    def test_the_form_is_filled_with_a_date_the_rule_accepts(self, staff, closed, request):
        """Today, once the rule takes it: closed early today, or closed after the deadline."""
        campaign = request.getfixturevalue(closed)
        form = staff.get(publish_url(campaign)).context["form"]
        assert form["decision_date"].value() == today()
        assert services.decision_date_problem(campaign, today()) is None

    def test_the_form_is_left_empty_while_no_date_is_accepted(self, staff, world):
        """QA: on a campaign still open, the form was filled with today, which the same rule refuses (its
        earliest day is after the deadline, 20 days on)."""
        campaign = world["campaign"]
        assert campaign.status == Campaign.Status.OPEN
        assert services.decision_date_problem(campaign, today())
        response = staff.get(publish_url(campaign))
        assert response.context["form"]["decision_date"].value() is None
        field = re.search(r'<input[^>]*name="decision_date"[^>]*>', response.content.decode())[0]
        assert "value=" not in field

    def test_a_future_date_is_refused(self, staff, ready):
        tomorrow = today() + datetime.timedelta(days=1)
        response = staff.post(
            publish_url(ready),
            {"decision_number": "9-QĐ/TĐTN", "decision_date": tomorrow.strftime("%d/%m/%Y"), "confirm": "1"},
        )
        assert response.context["form"].errors["decision_date"] == [
            f"Ngày quyết định không được sau ngày hôm nay ({today():%d/%m/%Y})."
        ]
        assert not ready.commendations.exists()

    def test_the_window_counts_when_not_closed_early(self, world, tra_vinh_staff):
        campaign = world["decided_campaign"]  # closes_on 15/10/2020, never closed by hand
        assert services.decision_date_problem(campaign, datetime.date(2020, 10, 15))[1] == (
            "decision_before_window_closed"
        )
        assert services.decision_date_problem(campaign, datetime.date(2020, 10, 16)) is None

    def test_the_service_refuses_too(self, ready, tra_vinh_staff):
        with pytest.raises(Exception) as refused:
            services.campaign_publish(
                campaign=ready,
                decision_number="1",
                decision_date=datetime.date(2020, 1, 1),
                user=tra_vinh_staff,
            )
        assert "decision_date" in refused.value.error_dict
        assert not ready.commendations.exists()


class TestConfirmation:
    def test_checking_shows_the_list_the_line_and_a_preview_and_publishes_nothing(self, staff, ready, world):
        decision = {"decision_number": "30-QĐ/TĐTN", "decision_date": today().strftime("%d/%m/%Y")}
        response = staff.post(publish_url(ready), decision)
        assert response.status_code == 200
        assert response.templates[0].name == "awards/campaign_publish_confirm.html"
        html = response.content.decode()
        assert "Nguyễn Văn Tèo" in html and world["cang_long_person"].full_name not in html
        assert f"Quyết định số 30-QĐ/TĐTN ngày {today():%d/%m/%Y}" in html
        preview = response.context["preview_url"]
        assert not Commendation.objects.filter(campaign=ready).exists()
        # The preview: the certificate as it will read, nothing saved.
        pdf = staff.get(preview)
        assert pdf["Content-Type"] == "application/pdf"
        _reader, text = text_of(pdf.content)
        assert "Nguyễn Văn Tèo" in text and f"Quyết định số 30-QĐ/TĐTN ngày {today():%d/%m/%Y}" in text
        assert not Commendation.objects.filter(campaign=ready).exists()
        # "Change the details" goes back to the form with what was typed.
        back = staff.post(publish_url(ready), {**decision, "back": "1"})
        assert back.templates[0].name == "awards/campaign_publish.html"
        assert 'value="30-QĐ/TĐTN"' in back.content.decode()
        done = staff.post(publish_url(ready), {**decision, "confirm": "1", "decision_signer": "Lê Văn Ký"})
        assert done.status_code == 302
        ready.refresh_from_db()
        assert (ready.status, ready.decision_signer) == (Campaign.Status.DECIDED, "Lê Văn Ký")

    def test_the_history_tells_who_recorded_the_decision_from_who_signed_it(
        self, staff, ready, tra_vinh_staff
    ):
        """QA: the history said "Người ra quyết định" of the account that recorded the decision, beside
        "Người ký" of its signer: two people each seeming to decide."""
        services.campaign_publish(
            campaign=ready,
            decision_number="30-QĐ/TĐTN",
            decision_date=today(),
            decision_signer="Lê Văn Ký",
            user=tra_vinh_staff,
        )
        response = staff.get(ready.get_absolute_url())
        changes = {change.label: change.new for row in response.context["history"] for change in row.changes}
        assert changes["người ghi nhận quyết định"] == str(tra_vinh_staff)
        assert changes["người ký"] == "Lê Văn Ký"
        html = response.content.decode()
        assert "Người ghi nhận quyết định" in html and "người ra quyết định" not in html.lower()

    def test_blocking_reasons_are_said_before_the_confirmation(self, staff, world, tra_vinh_staff):
        campaign = services.campaign_close(campaign=world["campaign"], user=tra_vinh_staff)
        response = staff.post(
            publish_url(campaign), {"decision_number": "1", "decision_date": today().strftime("%d/%m/%Y")}
        )
        assert response.templates[0].name == "awards/campaign_publish.html"
        assert response.context["form"].non_field_errors()


@pytest.fixture
def decided(world):
    return world["decided_campaign"]  # 125/QĐ-TĐTN of 20/11/2020


class TestCorrection:
    def correct(self, decided, user, **changes):
        data = {
            "decision_number": decided.decision_number,
            "decision_date": decided.decision_date,
            "decision_signer": decided.decision_signer,
            "reason": "Ghi nhầm ngày ký",
            **changes,
        }
        return services.decision_correct(campaign=decided, user=user, **data)

    def test_recorded_with_what_why_who_when_and_the_certificates_reissued(
        self, staff, decided, tra_vinh_staff, world
    ):
        url = reverse("awards:commendation_certificate", args=[world["tieu_can_commendation"].pk])
        _reader, before = text_of(staff.get(url).content)
        assert "Quyết định số 125/QĐ-TĐTN ngày 20/11/2020" in before and "đính chính" not in before
        response = staff.post(
            reverse("awards:campaign_correct", args=[decided.pk]),
            {
                "decision_number": "125-QĐ/TĐTN",
                "decision_date": "25/11/2020",
                "decision_signer": "Nguyễn Thị Ký",
                "reason": "Ghi nhầm ngày và số",
                "loaded_version": decided.version,
            },
        )
        assert response.status_code == 302
        correction = DecisionCorrection.objects.get(campaign=decided)
        assert (correction.previous_number, correction.previous_date) == (
            "125/QĐ-TĐTN",
            datetime.date(2020, 11, 20),
        )
        assert (correction.decision_number, correction.decision_date) == (
            "125-QĐ/TĐTN",
            datetime.date(2020, 11, 25),
        )
        assert (correction.reason, correction.corrected_by, correction.corrected_on) == (
            "Ghi nhầm ngày và số",
            tra_vinh_staff,
            today(),
        )
        decided.refresh_from_db()
        assert (decided.decision_number, decided.decision_date) == (
            "125-QĐ/TĐTN",
            datetime.date(2020, 11, 25),
        )
        # The old text stays in the campaign's history.
        old = decided.history.order_by("history_date")[0]
        assert old.decision_number == "125/QĐ-TĐTN"
        assert decided.history.first().history_change_reason == "Ghi nhầm ngày và số"
        # Every certificate is reissued: the corrected decision, and saying so.
        _reader, after = text_of(staff.get(url).content)
        assert "Quyết định số 125-QĐ/TĐTN ngày 25/11/2020" in after
        assert f"(Cấp lại theo đính chính ngày {today():%d/%m/%Y})" in after
        assert "Nguyễn Thị Ký" in after and "Trà Vinh, ngày 25 tháng 11 năm 2020" in after
        # The campaign's page shows the correction.
        html = staff.get(decided.get_absolute_url()).content.decode()
        assert 'id="decision-corrections"' in html
        assert "125/QĐ-TĐTN" in html and "125-QĐ/TĐTN" in html and "Ghi nhầm ngày và số" in html

    def test_refusals(self, decided, tra_vinh_staff, world):
        def code(**changes):
            with pytest.raises(Exception) as refused:
                self.correct(decided, tra_vinh_staff, **changes)
            error = refused.value
            return (
                next(iter(error.error_dict.values()))[0].code if hasattr(error, "error_dict") else error.code
            )

        assert code() == "unchanged"
        assert code(decision_number="1", reason=" ") == "reason_missing"
        assert code(decision_date=datetime.date(2020, 10, 1)) == "decision_before_window_closed"
        assert code(decision_date=today() + datetime.timedelta(days=1)) == "decision_in_future"
        with pytest.raises(Exception) as refused:
            self.correct(world["campaign"], tra_vinh_staff, decision_number="1", decision_date=today())
        assert refused.value.code == "not_decided"
        assert not DecisionCorrection.objects.exists()

    def test_errors_next_to_the_fields(self, staff, decided):
        response = staff.post(
            reverse("awards:campaign_correct", args=[decided.pk]),
            {"decision_number": "125/QĐ-TĐTN", "decision_date": "01/01/2020", "reason": ""},
        )
        form = response.context["form"]
        assert set(form.errors) >= {"decision_date", "reason"}
        assert not DecisionCorrection.objects.exists()


class TestBulkReview:
    def test_select_all_and_approve_leaves_a_rejected_nomination_rejected(self, staff, world, tra_vinh_staff):
        rejected, waiting = world["tieu_can_nomination"], world["cang_long_nomination"]
        services.nomination_reject(nomination=rejected, reviewer=tra_vinh_staff, reason="Chưa đủ minh chứng")
        url = reverse("awards:campaign_review", args=[world["campaign"].pk])
        page = staff.get(url).content.decode()
        # Only the waiting nomination can be ticked; the rejected one offers its own "change" step. (The
        # tick boxes by name: a unit filter's option may carry the same number as a nomination.)
        ticked = set(re.findall(r'name="nomination"\s+value="(\d+)"', page))
        assert str(waiting.pk) in ticked and str(rejected.pk) not in ticked
        assert reverse("awards:nomination_decision_change", args=[rejected.pk]) in page
        # A crafted "select all" that ticks both.
        response = staff.post(url, {"nomination": [rejected.pk, waiting.pk], "action": "approve"})
        assert response.status_code == 302
        rejected.refresh_from_db()
        waiting.refresh_from_db()
        assert (rejected.status, rejected.rejection_reason) == (
            Nomination.Status.REJECTED,
            "Chưa đủ minh chứng",
        )
        assert waiting.status == Nomination.Status.APPROVED
        texts = [str(m) for m in get_messages(response.wsgi_request)]
        assert any("đã có kết quả" in t for t in texts), texts


def revoke_nhung(world, staff):
    """Càng Long's commended secretary, revoked today."""
    services.commendation_revoke(
        commendation=world["cang_long_commendation"], revoked_on=today(), reason="Sai", user=staff
    )


class TestOfficialList:
    def test_print_view(self, client, cang_long_officer, decided):
        client.force_login(cang_long_officer)
        response = client.get(reverse("awards:commendation_official_list", args=[decided.pk]))
        assert response.status_code == 200
        rows = response.context["rows"]
        assert [r.number for r in rows] == [1, 2]
        teo = next(r for r in rows if r.name == "Nguyễn Văn Tèo")
        assert (teo.position, teo.unit) == ("Bí thư Chi đoàn ấp Cây Gòn", "Xã Hiếu Tử, huyện Tiểu Cần")
        html = response.content.decode()
        for text in ("STT", "Họ và tên", "Năm sinh", "Chức vụ", "Đơn vị", "TM. BAN THƯỜNG VỤ", "BÍ THƯ"):
            assert text in html
        assert (
            "(Kèm theo Quyết định số 125/QĐ-TĐTN ngày 20/11/2020 của Ban Thường vụ Tỉnh đoàn Trà Vinh)"
            in html
        )

    def test_a_commendation_revoked_since_keeps_its_row_marked(
        self, client, cang_long_officer, decided, world, tra_vinh_staff
    ):
        """A reprint matches the list that was signed: same rows, same numbers, the revoked one marked."""
        revoke_nhung(world, tra_vinh_staff)
        client.force_login(cang_long_officer)
        response = client.get(reverse("awards:commendation_official_list", args=[decided.pk]))
        rows = response.context["rows"]
        assert [r.number for r in rows] == [1, 2]
        nhung = next(r for r in rows if r.name == "Lê Thị Hồng Nhung")
        assert nhung.revoked == f"Đã thu hồi ngày {today():%d/%m/%Y}"
        html = response.content.decode()
        assert "Danh sách có 2 đồng chí. Trong đó 1 đồng chí đã bị thu hồi tuyên dương." in html
        pdf = client.get(reverse("awards:commendation_official_pdf", args=[decided.pk])).content
        _reader, text = text_of(pdf)
        words = " ".join(text.split())  # the name's column wraps the note
        assert f"(Đã thu hồi ngày {today():%d/%m/%Y})" in words and "Lê Thị Hồng Nhung" in words

    def test_pdf_a4_portrait_with_the_header_on_every_page(self, client, cang_long_officer, decided):
        client.force_login(cang_long_officer)
        response = client.get(reverse("awards:commendation_official_pdf", args=[decided.pk]))
        assert response["Content-Type"] == "application/pdf"
        reader, text = text_of(response.content)
        box = reader.pages[0].mediabox
        assert (round(float(box.width)), round(float(box.height))) == (595, 842)
        assert "Nguyễn Văn Tèo" in text and "Kèm theo Quyết định số 125/QĐ-TĐTN" in text
        # Eighty rows run over pages: the header row is on each.
        many = [
            OfficialRow(
                number=i + 1,
                name=f"Người {i}",
                born="1995",
                position="Bí thư Chi đoàn ấp Cây Gòn",
                unit="Xã Hiếu Tử, huyện Tiểu Cần",
            )
            for i in range(80)
        ]
        reader, _text = text_of(official_list_pdf(decided, many))
        assert len(reader.pages) > 2
        for page in reader.pages:
            page_text = unicodedata.normalize("NFC", page.extract_text())
            if "Người" in page_text:
                assert "Họ và tên" in page_text and "Năm sinh" in page_text


def test_the_official_list_uses_the_fonts_parsed_once(decided, monkeypatch):
    """Like the certificate (tests/awards/test_certificate.py): no font file parsed for each list, and the
    same embedded fonts as fpdf2 parsing them for the document. Drawn each time (`_drawn`), not the copy
    the cache keeps of the first (core/made_once.py)."""
    from fpdf import FPDF

    from awards import official_list
    from awards.certificate import FONT_FAMILY, FONT_FILES, font_path, parsed_fonts
    from tests.awards.test_certificate import embedded_fonts

    rows = [
        OfficialRow(
            number=1,
            name="Đặng Thị Ánh Nguyệt",
            born="1995",
            position="Bí thư Chi đoàn ấp Cây Gòn",
            unit="Xã Hiếu Tử, huyện Tiểu Cần",
        )
    ]

    def parsed_for_the_document(pdf):
        for style in FONT_FILES:
            pdf.add_font(FONT_FAMILY, style, font_path(style))

    with monkeypatch.context() as patch:
        patch.setattr(official_list, "add_document_fonts", parsed_for_the_document)
        reference = embedded_fonts(official_list._drawn(official_list.official_heading(decided), rows))

    def no_parsing(*args, **kwargs):
        raise AssertionError("a font file parsed for one document")

    parsed_fonts()  # once per process: here, if no test did it before

    monkeypatch.setattr(FPDF, "add_font", no_parsing)
    ours = embedded_fonts(official_list._drawn(official_list.official_heading(decided), rows))
    assert len(ours) == 3 and ours == reference  # regular, bold and italic on the first page


class TestAllCertificates:
    def test_one_pdf_a_page_each(self, client, cang_long_officer, decided):
        client.force_login(cang_long_officer)
        response = client.get(reverse("awards:commendation_certificates", args=[decided.pk]))
        assert response["Content-Type"] == "application/pdf"
        reader, text = text_of(response.content)
        assert len(reader.pages) == 2
        assert "Nguyễn Văn Tèo" in text

    def test_revoked_ones_are_left_out(self, client, cang_long_officer, decided, world, tra_vinh_staff):
        revoke_nhung(world, tra_vinh_staff)
        client.force_login(cang_long_officer)
        response = client.get(reverse("awards:commendation_certificates", args=[decided.pk]))
        assert len(PdfReader(io.BytesIO(response.content)).pages) == 1

    def test_twenty_four_certificates_in_well_under_ten_seconds(self, decided, django_assert_max_num_queries):
        commendations = (
            list(
                decided.commendations.select_related(
                    "person", "branch__commune__district", "district", "nomination"
                )
            )
            * 12
        )
        started = time.perf_counter()
        with django_assert_max_num_queries(3):
            content = certificates_pdf(commendations, decided)
        elapsed = time.perf_counter() - started
        assert len(PdfReader(io.BytesIO(content)).pages) == 24
        assert elapsed < 10, elapsed
