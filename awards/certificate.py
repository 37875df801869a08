"""The certificate (giấy chứng nhận) of one commendation: an A4 landscape PDF drawn with fpdf2.

fpdf2 is pure Python, so `pip install` alone brings it; the DejaVu Serif fonts it embeds (subset) cover
Vietnamese and are served from static/vendor/dejavu (copied there by `make vendor`, with their licence).
The certificate is an official Vietnamese document, printed and handed over in Vietnamese whatever the
language of the interface: its text is written here in Vietnamese on purpose, not translated.
"""

import copy
import datetime
import hashlib
import io
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import fpdf
from django.contrib.staticfiles import finders
from django.utils import translation
from django.utils.text import slugify
from fontTools import ttLib
from fpdf import FPDF
from fpdf.fonts import SubsetMap, TTFFont

from branches.selectors import branch_communes_on
from core.made_once import made_once
from core.text import fold

from .models import Commendation

FONT_FAMILY = "DejaVuSerif"
FONT_FILES = {
    "": "DejaVuSerif.ttf",
    "B": "DejaVuSerif-Bold.ttf",
    "I": "DejaVuSerif-Italic.ttf",
    "BI": "DejaVuSerif-BoldItalic.ttf",
}

# Colours of the Union's certificates: a deep red for the title and frame, gold for the ornaments.
RED = (163, 21, 28)
GOLD = (196, 150, 46)
BLUE = (11, 79, 156)
INK = (33, 33, 33)
WATERMARK = (251, 244, 226)

PAGE_W, PAGE_H = 297, 210  # A4 landscape, in millimetres

# How administrative units read in the middle of a sentence: "ấp Cây Gòn, xã Hiếu Tử, huyện Tiểu Cần".
UNIT_WORDS = ("Thành phố", "Thị trấn", "Thị xã", "Huyện", "Phường", "Xã", "Ấp", "Khóm", "Tỉnh")


@cache
def font_path(style: str) -> Path:
    found = finders.find(f"vendor/dejavu/{FONT_FILES[style]}")
    if not found:
        raise FileNotFoundError(f"vendor/dejavu/{FONT_FILES[style]} is missing: run `make vendor`.")
    return Path(found)


#: What else a drawn document depends on besides its text: the code that draws it and fpdf2's version. Part
#: of every cached document's key (core/made_once.py), so a changed layout is drawn afresh.
DRAWING = hashlib.blake2b(
    Path(__file__).read_bytes()
    + (Path(__file__).parent / "official_list.py").read_bytes()
    + fpdf.FPDF_VERSION.encode(),
    digest_size=8,
).hexdigest()


# The tables the output's subset leaves out anyway (fpdf2's `output._add_fonts` drops these, and fontTools'
# subsetter the legacy kern): read and dropped for every font of every document unless gone before.
UNEMBEDDED_TABLES = ("FFTM", "GDEF", "GPOS", "GSUB", "MATH", "kern")


def embeddable(path: Path) -> bytes:
    """The font file without the tables its subset drops: the same glyphs, names and metrics."""
    font = ttLib.TTFont(path, recalcTimestamp=False, recalcBBoxes=False, lazy=True)
    for tag in UNEMBEDDED_TABLES:
        if tag in font:
            del font[tag]
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


@cache
def parsed_fonts() -> dict[str, tuple[TTFFont, bytes]]:
    """The four styles parsed once per process, by fontkey, with the bytes each document subsets: fpdf2's
    `add_font` reads each file's 3,500 glyphs' widths and cmap with fontTools (≈12 ms a style, the better
    part of a certificate). Never drawn with: each document takes its own copy (`document_font`)."""
    pdf = FPDF()
    for style in FONT_FILES:
        pdf.add_font(FONT_FAMILY, style, font_path(style))
    return {key: (font, embeddable(Path(font.ttffile))) for key, font in pdf.fonts.items()}


def document_font(parsed: TTFFont, data: bytes, *, index: int) -> TTFFont:
    """A copy of a parsed font for one document. The parsed widths, cmap and glyph ids are only read, so
    they are shared; what a document changes is its own (fpdf2 2.8: `fonts.TTFFont`, `output._add_fonts`):
    the subset of the glyphs it uses, the missing glyphs, the font descriptor (named and given its file at
    output), the widths (a defaultdict, filled on reading) and the fontTools font, which the output
    subsets in place: a fresh one from the bytes, given copies of the tables parsed already (`seed_tables`),
    the others read when the output needs them."""
    font = TTFFont.__new__(TTFFont)
    for name in TTFFont.__slots__:
        if hasattr(parsed, name):  # fpdf2 leaves some slots unset (unicode_range)
            setattr(font, name, getattr(parsed, name))
    font.i = index
    font.ttfont = ttLib.TTFont(io.BytesIO(data), recalcTimestamp=False, lazy=True)
    seed_tables(font.ttfont, parsed.ttfont)
    font.desc = copy.copy(parsed.desc)
    font.cw = copy.copy(parsed.cw)
    font.missing_glyphs = []
    font.biggest_size_pt = 0
    font._hbfont = None
    font.color_font = None  # DejaVu Serif has no colour tables (nor has the parsed font: checked by a test)
    font.subset = SubsetMap(font)
    return font


def seed_tables(document: ttLib.TTFont, parsed: ttLib.TTFont) -> None:
    """Give a document's fresh font copies of the tables `add_font` read already (the glyph order, the
    widths, the PostScript names, the character map), so that its subset does not read them again. Only
    copies: the subsetter replaces these tables' dicts and lists, and its cmap subtables' maps."""
    document.glyphOrder = list(parsed.getGlyphOrder())
    hmtx = copy.copy(parsed["hmtx"])
    hmtx.metrics = dict(hmtx.metrics)
    post = copy.copy(parsed["post"])
    post.extraNames, post.mapping = list(post.extraNames), dict(post.mapping)
    cmap = copy.copy(parsed["cmap"])
    cmap.tables = [copy.copy(subtable) for subtable in cmap.tables]
    for subtable in cmap.tables:
        if "cmap" in vars(subtable):  # read by add_font; the others read themselves from their own data
            subtable.cmap = dict(subtable.cmap)
    document["hmtx"], document["post"], document["cmap"] = hmtx, post, cmap


def in_sentence(name: str) -> str:
    """'Huyện Tiểu Cần' → 'huyện Tiểu Cần': the kind of unit in lower case, the proper name as it is."""
    for word in UNIT_WORDS:
        if name.startswith(word + " "):
            return word.lower() + name[len(word) :]
    return name


def position(branch_name: str, *units: str) -> str:
    """The position as the documents word it, whatever the branch's name holds ("Ấp Phú Thọ", "Chi đoàn Ấp
    Phú Thọ"): "Bí thư Chi đoàn ấp Phú Thọ", then its `units` in a sentence ("…, xã Hùng Hòa"). The
    certificate, the list attached to the decision, the published list and the wall all say it so."""
    branch = branch_name.removeprefix("Chi đoàn ").strip()
    return ", ".join([f"Bí thư Chi đoàn {in_sentence(branch)}", *(in_sentence(unit) for unit in units)])


def province_parts(province) -> tuple[str, str]:
    """('Tỉnh đoàn Trà Vinh', 'Trà Vinh') for Tỉnh Trà Vinh, ('Thành đoàn Cần Thơ', 'Cần Thơ') for a city
    (Province.union_name): in Vietnamese whatever the page's language, as the documents are."""
    with translation.override("vi"):
        return str(province.union_name), province.place_name


def date_line(place: str, day: datetime.date) -> str:
    """'Trà Vinh, ngày 05 tháng 02 năm 2021': as Decree 30/2020/NĐ-CP writes dates on official documents,
    a day below 10 and the months 1 and 2 take a leading zero (so "tháng 01" is not read as "tháng 10")."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def filename(commendation: Commendation) -> str:
    return f"giay-chung-nhan-{slugify(fold(commendation.person.full_name)) or commendation.pk}.pdf"


@dataclass
class CertificateText:
    """Every line the certificate prints, in NFC (composed) Unicode so each letter is one glyph."""

    union: str
    body: str
    title: str
    subtitle: str
    name: str
    role: str
    achievement: str
    summary: str
    decision: str
    place_date: str
    signature_for: str
    signature_role: str
    signer: str = ""
    correction: str = ""

    @classmethod
    def of(
        cls, commendation: Commendation, *, corrected_on: datetime.date | None = None, commune=None
    ) -> "CertificateText":
        """`corrected_on`: the day of the decision's latest correction (đính chính), if any; `commune`: the
        branch's commune on the decision date, when the caller read it already (a batch of certificates)."""
        campaign = commendation.campaign
        body, place = province_parts(campaign.province)
        branch = commendation.branch
        decided = campaign.decision_date
        # The units as they were on the decision date: the branch's commune then (not the one it was
        # re-attached to later), and its district before the 2025 reform ("xã Hiếu Tử, huyện Tiểu Cần" in
        # 2020; "xã Tập Ngãi" alone in 2026, when there are no districts).
        if commune is None:
            commune = branch_communes_on([branch], decided)[branch.pk]
        district = commendation.district or commune.district
        units = [commune.name] + ([district.name] if district is not None else [])
        summary = " ".join(commendation.nomination.summary.split())
        text = cls(
            union="ĐOÀN TNCS HỒ CHÍ MINH",
            body=f"Ban Thường vụ {body}",
            title="GIẤY CHỨNG NHẬN",
            subtitle=f"Bí thư Chi đoàn tiêu biểu năm {commendation.year}",
            name=commendation.person.full_name,
            role=position(branch.name, *units),
            achievement=(
                "Đã có thành tích xuất sắc trong công tác Đoàn và phong trào thanh thiếu nhi "
                f"năm {commendation.year}{':' if summary else '.'}"
            ),
            summary=summary,
            decision=f"Quyết định số {campaign.decision_number} ngày {decided:%d/%m/%Y}",
            place_date=date_line(place, decided),
            signature_for="TM. BAN THƯỜNG VỤ",
            signature_role="BÍ THƯ",
            signer=campaign.decision_signer,
            # A reissued certificate says it carries the corrected decision.
            correction=(f"(Cấp lại theo đính chính ngày {corrected_on:%d/%m/%Y})" if corrected_on else ""),
        )
        for name, value in vars(text).items():
            setattr(text, name, unicodedata.normalize("NFC", value))
        return text


def add_document_fonts(pdf: FPDF) -> None:
    """What `add_font(FONT_FAMILY, style, font_path(style))` does for each style, from the fonts parsed once
    per process: the certificate and the official list."""
    for fontkey, (parsed, data) in parsed_fonts().items():
        pdf.fonts[fontkey] = document_font(parsed, data, index=len(pdf.fonts) + 1)


class _Certificate(FPDF):
    def __init__(self):
        super().__init__(orientation="L", unit="mm", format="A4")
        self.set_auto_page_break(False)
        self.set_margins(0, 0, 0)
        add_document_fonts(self)

    def font(self, style: str, size: float, color=INK) -> None:
        self.set_font(FONT_FAMILY, style, size)
        self.set_text_color(*color)

    def centred(self, y: float, text: str, style: str, size: float, color=INK, x=0.0, w=PAGE_W) -> None:
        self.font(style, size, color)
        self.set_xy(x, y)
        self.cell(w=w, h=size * 0.45, text=text, align="C")

    def frame(self) -> None:
        """A red double frame with a gold line between, gold stars in the corners and a garland of small
        diamonds along the band."""
        self.set_draw_color(*RED)
        self.set_line_width(1.4)
        self.rect(8, 8, PAGE_W - 16, PAGE_H - 16)
        self.set_line_width(0.4)
        self.rect(15, 15, PAGE_W - 30, PAGE_H - 30)
        self.set_draw_color(*GOLD)
        self.set_line_width(0.6)
        self.rect(11.5, 11.5, PAGE_W - 23, PAGE_H - 23)
        self.set_fill_color(*GOLD)
        # The garland: diamonds on the gold line, spaced evenly between the corners.
        for start, end, fixed, horizontal in (
            (26, PAGE_W - 26, 11.5, True),
            (26, PAGE_W - 26, PAGE_H - 11.5, True),
            (26, PAGE_H - 26, 11.5, False),
            (26, PAGE_H - 26, PAGE_W - 11.5, False),
        ):
            count = int((end - start) // 9)
            step = (end - start) / count
            for i in range(count + 1):
                along = start + i * step
                x, y = (along, fixed) if horizontal else (fixed, along)
                self.diamond(x, y, 1.1)
        # Corners: a red square with a gold star, over the frame.
        self.set_fill_color(*RED)
        for x, y in (
            (11.5, 11.5),
            (PAGE_W - 11.5, 11.5),
            (11.5, PAGE_H - 11.5),
            (PAGE_W - 11.5, PAGE_H - 11.5),
        ):
            self.rect(x - 5, y - 5, 10, 10, style="F")
            self.set_fill_color(*GOLD)
            self.star(x, y, 1.5, 3.8, 5, rotate_degrees=180, style="F")
            self.set_fill_color(*RED)

    def diamond(self, x: float, y: float, r: float) -> None:
        self.polygon([(x, y - r), (x + r, y), (x, y + r), (x - r, y)], style="F")

    def rule(self, y: float, width: float, color=RED) -> None:
        """A short centred rule with a diamond in its middle, under a heading."""
        self.set_draw_color(*color)
        self.set_line_width(0.4)
        self.line(PAGE_W / 2 - width / 2, y, PAGE_W / 2 - 3, y)
        self.line(PAGE_W / 2 + 3, y, PAGE_W / 2 + width / 2, y)
        self.set_fill_color(*color)
        self.diamond(PAGE_W / 2, y, 1.4)

    def mixed_line(self, y: float, parts: list[tuple[str, str, float, tuple]]) -> None:
        """One centred line in several fonts: [(text, style, size, colour), …]."""
        widths = []
        for text, style, size, _colour in parts:
            self.set_font(FONT_FAMILY, style, size)
            widths.append(self.get_string_width(text))
        x = (PAGE_W - sum(widths)) / 2
        height = max(size for _t, _s, size, _c in parts) * 0.45
        for (text, style, size, colour), width in zip(parts, widths, strict=True):
            self.font(style, size, colour)
            # Smaller text sits on the same baseline as the larger.
            self.set_xy(x, y + (height - size * 0.45) * 0.8)
            self.cell(w=width, h=size * 0.45, text=text)
            x += width

    def fitted_paragraph(self, y: float, text: str, width: float, max_lines: int, size: float) -> float:
        """A centred italic paragraph, its font made smaller (down to 10 pt) until it fits in `max_lines`;
        returns its bottom. A summary has at most 600 characters: five lines of 10 pt."""
        while size > 10:
            self.set_font(FONT_FAMILY, "I", size)
            lines = self.multi_cell(
                w=width, h=size * 0.45, text=text, align="C", dry_run=True, output="LINES"
            )
            if len(lines) <= max_lines:
                break
            size -= 0.5
        self.font("I", size, INK)
        self.set_xy((PAGE_W - width) / 2, y)
        self.multi_cell(w=width, h=size * 0.45, text=text, align="C")
        return self.get_y()


def _document(title: str, subject: str, author: str) -> _Certificate:
    pdf = _Certificate()
    pdf.set_title(title)
    pdf.set_subject(subject)
    pdf.set_author(author)
    pdf.set_creator("Cổng thông tin Bí thư Chi đoàn")
    pdf.set_lang("vi")
    return pdf


def _draw(pdf: _Certificate, text: CertificateText) -> None:
    """One certificate, on a new page."""
    pdf.add_page()
    pdf.frame()
    # A large, faint star behind the text, as on printed certificates.
    pdf.set_fill_color(*WATERMARK)
    pdf.star(PAGE_W / 2, 108, 26, 66, 5, rotate_degrees=180, style="F")

    pdf.centred(25, text.union, "", 13)
    pdf.centred(31.5, text.body.upper(), "B", 13)
    pdf.rule(38.5, 56)

    pdf.set_fill_color(*GOLD)
    pdf.star(PAGE_W / 2, 50, 2.6, 6.4, 5, rotate_degrees=180, style="F")
    pdf.centred(60, text.title, "B", 36, RED)
    pdf.centred(79, text.subtitle, "BI", 18, BLUE)

    pdf.mixed_line(94, [("Tặng: ", "", 16, INK), (text.name, "B", 24, RED)])
    pdf.centred(109, text.role, "", 14)
    pdf.centred(119.5, text.achievement, "", 13)
    if text.summary:
        pdf.fitted_paragraph(127, text.summary, 235, max_lines=5, size=12.5)

    # Bottom: the decision on the left, the place, date and signature block on the right.
    left_x, left_w = 26, 110
    pdf.centred(164, text.decision, "I", 11, x=left_x, w=left_w)
    if text.correction:
        pdf.centred(170, text.correction, "I", 9.5, x=left_x, w=left_w)
    right_x, right_w = 165, 110
    pdf.centred(156, text.place_date, "I", 12.5, x=right_x, w=right_w)
    pdf.centred(164, text.signature_for, "B", 12.5, x=right_x, w=right_w)
    pdf.centred(170.5, text.signature_role, "B", 12.5, x=right_x, w=right_w)
    if text.signer:
        pdf.centred(185, text.signer, "B", 13, x=right_x, w=right_w)


def latest_correction_day(campaign) -> datetime.date | None:
    """The day the campaign's decision was last corrected (None: never)."""
    if campaign.pk is None:
        return None
    return (
        campaign.corrections.order_by("-corrected_at", "-pk").values_list("corrected_on", flat=True).first()
    )


def certificate_pdf(commendation: Commendation, *, corrected_on=...) -> bytes:
    """The certificate of a (current) commendation, as PDF bytes. `commendation` comes with its person,
    branch and commune, district, nomination and campaign with its province (one more query reads the
    branch's commune on the decision date, one the decision's latest correction unless `corrected_on` is
    given). An unsaved commendation draws the preview shown before publishing."""
    if corrected_on is ...:
        corrected_on = latest_correction_day(commendation.campaign)
    text = CertificateText.of(commendation, corrected_on=corrected_on)

    def draw() -> bytes:
        pdf = _document(f"{text.title} — {text.name}", text.subtitle, text.body)
        _draw(pdf, text)
        return bytes(pdf.output())

    # Drawn once for what it says (core/made_once.py): printed again, downloaded by the secretary too.
    return made_once("certificate", (DRAWING, text), draw)


def certificates_pdf(commendations: list[Commendation], campaign, progress=None) -> bytes:
    """Every certificate of a decision in one PDF, a page each, in the order given: what "In tất cả giấy
    chứng nhận" prints. Two queries whatever the number (the communes on the decision date, the
    correction)."""
    corrected_on = latest_correction_day(campaign)
    communes = branch_communes_on([c.branch for c in commendations], campaign.decision_date)
    body, _place = province_parts(campaign.province)
    metadata = (
        f"Giấy chứng nhận — Quyết định số {campaign.decision_number}",
        f"Bí thư Chi đoàn tiêu biểu năm {campaign.year}",
        f"Ban Thường vụ {body}",
    )
    texts = []
    for commendation in commendations:
        commendation.campaign = campaign
        commune = communes[commendation.branch_id]
        texts.append(CertificateText.of(commendation, corrected_on=corrected_on, commune=commune))

    def draw() -> bytes:
        pdf = _document(*metadata)
        for done, text in enumerate(texts, start=1):
            _draw(pdf, text)
            if progress is not None:
                progress(done)  # a job's progress bar (written at most once a second)
        return bytes(pdf.output())

    pdf = made_once("certificates", (DRAWING, metadata, texts), draw)
    if progress is not None:
        progress(len(texts))  # all done, drawn now or before
    return pdf


def all_certificates_filename(campaign) -> str:
    return f"giay-chung-nhan-{campaign.year}-{slugify(fold(campaign.decision_number)) or campaign.pk}.pdf"
