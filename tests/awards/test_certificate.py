"""The certificate of a commendation: a Vietnamese A4 landscape PDF whose text reads back with its
diacritics, served inline; none for a revoked commendation."""

import datetime
import io
import unicodedata

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from awards import services
from awards.certificate import (
    FONT_FAMILY,
    FONT_FILES,
    CertificateText,
    _document,
    _draw,
    date_line,
    filename,
    font_path,
    in_sentence,
    parsed_fonts,
    province_parts,
)
from branches.models import Province
from tests.login import login_verified

# The world and the personas are built once for the module (tests/conftest.py: world_once).
pytestmark = pytest.mark.usefixtures("world_once")

D = datetime.date


def certificate_url(commendation):
    return reverse("awards:commendation_certificate", args=[commendation.pk])


def pdf_text(response) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    # Compare composed with composed: each Vietnamese letter as one code point.
    return reader, unicodedata.normalize("NFC", text)


class TestCertificate:
    def test_a_landscape_a4_pdf_opened_in_the_browser(self, client, cang_long_officer, world):
        client.force_login(cang_long_officer)  # the list is province-wide: so are its certificates
        response = client.get(certificate_url(world["tieu_can_commendation"]))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == 'inline; filename="giay-chung-nhan-nguyen-van-teo.pdf"'
        reader, _text = pdf_text(response)
        assert len(reader.pages) == 1
        box = reader.pages[0].mediabox
        assert (round(float(box.width)), round(float(box.height))) == (842, 595)  # A4, landscape

    def test_the_vietnamese_text_with_its_diacritics(self, client, tra_vinh_staff, world):
        login_verified(client, tra_vinh_staff)
        reader, text = pdf_text(client.get(certificate_url(world["tieu_can_commendation"])))
        for line in (
            "ĐOÀN TNCS HỒ CHÍ MINH",
            "BAN THƯỜNG VỤ TỈNH ĐOÀN TRÀ VINH",
            "GIẤY CHỨNG NHẬN",
            "Bí thư Chi đoàn tiêu biểu năm 2020",
            "Nguyễn Văn Tèo",
            "Bí thư Chi đoàn ấp Cây Gòn, xã Hiếu Tử, huyện Tiểu Cần",
            "Đã có thành tích xuất sắc trong công tác Đoàn và phong trào thanh thiếu nhi năm 2020:",
            "Nguyễn Văn Tèo: tổ chức tốt các phong trào của chi đoàn.",
            "Quyết định số 125/QĐ-TĐTN ngày 20/11/2020",
            "Trà Vinh, ngày 20 tháng 11 năm 2020",
            "TM. BAN THƯỜNG VỤ",
            "BÍ THƯ",
        ):
            assert line in text, line
        assert "Tặng" in text
        assert reader.metadata.title == "GIẤY CHỨNG NHẬN — Nguyễn Văn Tèo"

    def test_the_fonts_are_embedded(self, client, tra_vinh_staff, world):
        login_verified(client, tra_vinh_staff)
        reader, _text = pdf_text(client.get(certificate_url(world["tieu_can_commendation"])))
        fonts = reader.pages[0]["/Resources"]["/Font"]
        names = {str(fonts[key].get_object()["/BaseFont"]) for key in fonts}
        assert names and all("DejaVuSerif" in name for name in names)

    def test_a_long_summary_still_fits_on_one_page(self, client, tra_vinh_staff, world):
        nomination = world["tieu_can_commendation"].nomination
        nomination.summary = ("Chi đoàn vững mạnh xuất sắc nhiều năm liền; " * 20)[:600]
        nomination.save()
        login_verified(client, tra_vinh_staff)
        reader, text = pdf_text(client.get(certificate_url(world["tieu_can_commendation"])))
        assert len(reader.pages) == 1
        assert "TM. BAN THƯỜNG VỤ" in text

    def test_none_for_a_revoked_commendation(self, client, tra_vinh_staff, world):
        teo = services.commendation_revoke(
            commendation=world["tieu_can_commendation"],
            revoked_on=D(2021, 3, 1),
            reason="Kê khai không đúng sự thật.",
            user=tra_vinh_staff,
        )
        login_verified(client, tra_vinh_staff)
        response = client.get(certificate_url(teo))
        assert response.status_code == 410
        assert response["Content-Type"].startswith("text/html")
        html = response.content.decode()
        assert "data-revoked" in html and "01/03/2021" in html
        assert teo.get_absolute_url() in html

    def test_another_province_finds_none(self, client, vinh_long_staff, world):
        login_verified(client, vinh_long_staff)
        assert client.get(certificate_url(world["tieu_can_commendation"])).status_code == 404

    def test_drawn_once_for_what_it_says_and_again_when_that_changes(
        self, client, tra_vinh_staff, world, monkeypatch
    ):
        """Printed again or downloaded by someone else, the certificate is the one drawn before
        (core/made_once.py); a corrected name is a new certificate at once, nothing to invalidate."""
        from awards import certificate

        drawn_names, draw = [], certificate._draw

        def counted(pdf, text):
            drawn_names.append(text.name)
            draw(pdf, text)

        monkeypatch.setattr(certificate, "_draw", counted)
        login_verified(client, tra_vinh_staff)
        url = certificate_url(world["tieu_can_commendation"])
        first = client.get(url)
        drawn = len(drawn_names)  # one, or none if a test before drew it in this process
        assert client.get(url).content == first.content
        assert len(drawn_names) == drawn <= 1

        person = world["tieu_can_commendation"].person
        person.full_name = "Nguyễn Văn Tèo Em"
        person.save()
        _reader, text = pdf_text(client.get(url))
        assert "Nguyễn Văn Tèo Em" in text
        assert drawn_names[-1] == "Nguyễn Văn Tèo Em"


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2020, 11, 20), "Trà Vinh, ngày 20 tháng 11 năm 2020"),
        (D(2021, 2, 5), "Trà Vinh, ngày 05 tháng 02 năm 2021"),  # Decree 30/2020: a leading zero …
        (D(2021, 1, 15), "Trà Vinh, ngày 15 tháng 01 năm 2021"),
        (D(2021, 3, 9), "Trà Vinh, ngày 09 tháng 3 năm 2021"),  # … for days below 10 and months 1 and 2
    ],
)
def test_date_line(day, expected):
    assert date_line("Trà Vinh", day) == expected


def test_units_read_in_a_sentence():
    assert in_sentence("Huyện Tiểu Cần") == "huyện Tiểu Cần"
    assert in_sentence("Thị xã Duyên Hải") == "thị xã Duyên Hải"
    assert in_sentence("Thành phố Trà Vinh") == "thành phố Trà Vinh"
    assert in_sentence("Ấp Cây Gòn") == "ấp Cây Gòn"
    assert in_sentence("Khóm 3") == "khóm 3"
    assert in_sentence("Trường THCS Long Vĩnh") == "Trường THCS Long Vĩnh"


def test_province_body_and_place():
    assert province_parts(Province(name="Tỉnh Trà Vinh")) == ("Tỉnh đoàn Trà Vinh", "Trà Vinh")
    assert province_parts(Province(name="Thành phố Cần Thơ")) == ("Thành đoàn Cần Thơ", "Cần Thơ")
    with translation.override("en"):  # the documents are Vietnamese whatever the page's language
        assert province_parts(Province(name="Tỉnh Trà Vinh"))[0] == "Tỉnh đoàn Trà Vinh"
        assert Province(name="Tỉnh Trà Vinh").union_name == "Provincial Youth Union of Trà Vinh"


def test_filename_without_diacritics(world):
    commendation = world["tieu_can_commendation"]
    commendation.person.full_name = "Đặng Thị Ánh"
    assert filename(commendation) == "giay-chung-nhan-dang-thi-anh.pdf"


def certificate_text(name: str, summary: str) -> CertificateText:
    return CertificateText(
        union="ĐOÀN TNCS HỒ CHÍ MINH",
        body="Ban Thường vụ Tỉnh đoàn Trà Vinh",
        title="GIẤY CHỨNG NHẬN",
        subtitle="Bí thư Chi đoàn tiêu biểu năm 2020",
        name=name,
        role="Bí thư Chi đoàn ấp Cây Gòn, xã Hiếu Tử, huyện Tiểu Cần",
        achievement="Đã có thành tích xuất sắc trong công tác Đoàn và phong trào thanh thiếu nhi năm 2020:",
        summary=summary,
        decision="Quyết định số 125/QĐ-TĐTN ngày 20/11/2020",
        place_date="Trà Vinh, ngày 20 tháng 11 năm 2020",
        signature_for="TM. BAN THƯỜNG VỤ",
        signature_role="BÍ THƯ",
    )


def drawing(text: CertificateText, *, reference: bool = False):
    pdf = _document(text.title, text.subtitle, text.body)
    if reference:  # fpdf2's own way: each font parsed from its file for this document
        pdf.fonts.clear()
        for style in FONT_FILES:
            pdf.add_font(FONT_FAMILY, style, font_path(style))
    _draw(pdf, text)
    return pdf


def drawn(text: CertificateText, *, reference: bool = False) -> bytes:
    return bytes(drawing(text, reference=reference).output())


def embedded_fonts(pdf: bytes) -> dict[str, bytes]:
    fonts = PdfReader(io.BytesIO(pdf)).pages[0]["/Resources"]["/Font"]
    programs = {}
    for key in fonts:
        font = fonts[key].get_object()
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
        programs[str(font["/BaseFont"])] = descriptor["/FontFile2"].get_object().get_data()
    return programs


class TestFontsParsedOncePerProcess:
    """The fonts are parsed once per process; each document subsets its own copy (awards/certificate.py:
    document_font)."""

    TEO = ("Nguyễn Văn Tèo", "Tổ chức tốt các phong trào của chi đoàn.")
    # Other letters than Tèo's: a subset shared between documents would lose or mix them.
    ANH = ("Đặng Thị Ánh Nguyệt", "Quỹ khuyến học ấp; xây dựng 3 tuyến đường hoa (ưu tiên Ỹ, Ỵ, Ỡ, Ẫ, Ẩ).")

    def test_two_certificates_each_with_its_own_text(self):
        first, second = drawn(certificate_text(*self.TEO)), drawn(certificate_text(*self.ANH))
        for pdf, (name, summary), (other, _summary) in (
            (first, self.TEO, self.ANH),
            (second, self.ANH, self.TEO),
        ):
            text = unicodedata.normalize("NFC", PdfReader(io.BytesIO(pdf)).pages[0].extract_text())
            assert name in text and summary in text
            assert other not in text

    def test_the_same_embedded_fonts_as_fpdf_parsing_them_for_the_document(self):
        for name, summary in (self.TEO, self.ANH, self.TEO):  # after another certificate's subset too
            ours = embedded_fonts(drawn(certificate_text(name, summary)))
            reference = embedded_fonts(drawn(certificate_text(name, summary), reference=True))
            assert len(ours) == 4
            assert ours == reference

    def test_two_documents_drawn_side_by_side_keep_their_own_subsets(self):
        """As two threads of one worker would: both drawn, then written in the other order."""
        teo, anh = certificate_text(*self.TEO), certificate_text(*self.ANH)
        first, second = drawing(teo), drawing(anh)
        second, first = bytes(second.output()), bytes(first.output())
        assert embedded_fonts(first) == embedded_fonts(drawn(teo, reference=True))
        assert embedded_fonts(second) == embedded_fonts(drawn(anh, reference=True))

    def test_the_parsed_fonts_are_never_subset(self):
        drawn(certificate_text(*self.ANH))
        for font, _data in parsed_fonts().values():
            assert len(font.ttfont.getGlyphOrder()) > 3000  # the whole of DejaVu Serif
            assert len(font.ttfont["hmtx"].metrics) > 3000 and len(font.ttfont.getBestCmap()) > 3000
            assert len(font.subset) <= 2  # no glyph picked but the reserved .notdef and space
            assert font.missing_glyphs == []
            assert font.color_font is None  # document_font counts on it
