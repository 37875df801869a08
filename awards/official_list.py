"""The published list as the official list attached to a decision (danh sách kèm theo quyết định): STT, full
name, year of birth, position ("Bí thư Chi đoàn …") and unit as they were on the decision date, under the
decision line and above the signature block. The same rows feed the print view and the A4 portrait PDF.

Like the certificate, it is an official Vietnamese document: its text is Vietnamese on purpose.
"""

import unicodedata
from dataclasses import dataclass

from fpdf import FPDF
from fpdf.fonts import FontFace

from core.made_once import made_once

from .certificate import (
    DRAWING,
    FONT_FAMILY,
    add_document_fonts,
    date_line,
    in_sentence,
    position,
    province_parts,
)


@dataclass
class OfficialRow:
    number: int
    name: str
    born: str
    position: str
    unit: str
    #: "Đã thu hồi ngày 01/03/2021" for a commendation revoked since: the row stays, with its number, so a
    #: reprint matches the list that was signed
    revoked: str = ""


@dataclass
class OfficialHeading:
    union: str
    body: str
    place_date: str
    title: str
    subtitle: str
    attached_to: str
    signature_for: str = "TM. BAN THƯỜNG VỤ"
    signature_role: str = "BÍ THƯ"
    signer: str = ""


def official_rows(commendations: list) -> list[OfficialRow]:
    """The commendations of the decision, numbered as they were published, each with its `commune_then` set
    (selectors.communes_on_decision) and its branch; one revoked since is marked, not left out."""
    rows = []
    for commendation in commendations:
        commune = commendation.commune_then
        district = commendation.district or commune.district
        units = [commune.name] + ([district.name] if district is not None else [])
        rows.append(
            OfficialRow(
                number=len(rows) + 1,
                name=commendation.person.full_name,
                born=str(commendation.person.date_of_birth.year),
                position=position(commendation.branch.name),
                unit=", ".join(in_sentence(u) if i else u for i, u in enumerate(units)),
                revoked=(
                    f"Đã thu hồi ngày {commendation.revoked_on:%d/%m/%Y}" if commendation.is_revoked else ""
                ),
            )
        )
    return rows


def official_heading(campaign) -> OfficialHeading:
    body, place = province_parts(campaign.province)
    return OfficialHeading(
        union="ĐOÀN TNCS HỒ CHÍ MINH",
        body=body.upper(),
        place_date=date_line(place, campaign.decision_date),
        title="DANH SÁCH",
        subtitle=f"Bí thư Chi đoàn tiêu biểu năm {campaign.year}",
        attached_to=(
            f"(Kèm theo Quyết định số {campaign.decision_number} ngày {campaign.decision_date:%d/%m/%Y} "
            f"của Ban Thường vụ {body})"
        ),
        signer=campaign.decision_signer,
    )


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def count_line(rows: list[OfficialRow]) -> str:
    revoked = sum(1 for row in rows if row.revoked)
    line = f"Danh sách có {len(rows)} đồng chí."
    if revoked:
        line += f" Trong đó {revoked} đồng chí đã bị thu hồi tuyên dương."
    return line


class _OfficialList(FPDF):
    def __init__(self):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.set_margins(15, 15, 15)
        self.set_auto_page_break(True, margin=18)
        add_document_fonts(self)
        self.alias_nb_pages()

    def footer(self):
        self.set_y(-12)
        self.set_font(FONT_FAMILY, "I", 8.5)
        self.cell(0, 5, f"Trang {self.page_no()}/{{nb}}", align="C")


COLUMNS = (("STT", 11), ("Họ và tên", 42), ("Năm sinh", 16), ("Chức vụ", 55), ("Đơn vị", 56))


def official_list_pdf(campaign, rows: list[OfficialRow]) -> bytes:
    """The official list, A4 portrait; the table's header row is repeated on every page. Drawn once for
    what it says (core/made_once.py)."""
    heading = official_heading(campaign)
    return made_once("official-list", (DRAWING, heading, rows), lambda: _drawn(heading, rows))


def _drawn(heading: OfficialHeading, rows: list[OfficialRow]) -> bytes:
    pdf = _OfficialList()
    pdf.set_title(_nfc(f"{heading.title} {heading.subtitle}"))
    pdf.set_author(_nfc(heading.body))
    pdf.set_creator("Cổng thông tin Bí thư Chi đoàn")
    pdf.set_lang("vi")
    pdf.add_page()
    # The heading: the issuing body on the left, the Union and the place and date on the right.
    top = pdf.get_y()
    pdf.set_font(FONT_FAMILY, "", 10.5)
    pdf.set_xy(15, top)
    pdf.multi_cell(80, 5, _nfc(heading.body), align="C")
    pdf.set_font(FONT_FAMILY, "B", 10.5)
    pdf.set_x(15)
    pdf.multi_cell(80, 5, "***", align="C")
    pdf.set_xy(100, top)
    pdf.set_font(FONT_FAMILY, "B", 11)
    pdf.multi_cell(95, 5, heading.union, align="C")
    pdf.set_x(100)
    pdf.set_font(FONT_FAMILY, "I", 10.5)
    pdf.multi_cell(95, 6, _nfc(heading.place_date), align="C")
    pdf.ln(6)
    pdf.set_font(FONT_FAMILY, "B", 14)
    pdf.cell(0, 7, heading.title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT_FAMILY, "B", 12)
    pdf.cell(0, 6, _nfc(heading.subtitle), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT_FAMILY, "I", 10.5)
    pdf.multi_cell(0, 5.5, _nfc(heading.attached_to), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font(FONT_FAMILY, "", 10)
    with pdf.table(
        col_widths=[w for _h, w in COLUMNS],
        width=sum(w for _h, w in COLUMNS),
        text_align=("CENTER", "LEFT", "CENTER", "LEFT", "LEFT"),
        headings_style=FontFace(emphasis="BOLD", fill_color=(235, 235, 235)),
        repeat_headings=1,
        line_height=5.5,
        padding=1.2,
    ) as table:
        header = table.row()
        for title, _width in COLUMNS:
            header.cell(title, align="CENTER")
        for row in rows:
            cells = table.row()
            name = f"{row.name}\n({row.revoked})" if row.revoked else row.name
            for value in (str(row.number), name, row.born, row.position, row.unit):
                cells.cell(_nfc(value))
    pdf.set_font(FONT_FAMILY, "I", 10)
    pdf.ln(2)
    pdf.multi_cell(0, 6, _nfc(count_line(rows)), new_x="LMARGIN", new_y="NEXT")
    # The signature block stays whole: to the next page if it would be split.
    if pdf.get_y() + 40 > pdf.h - pdf.b_margin:
        pdf.add_page()
    pdf.ln(4)
    pdf.set_x(105)
    pdf.set_font(FONT_FAMILY, "B", 11)
    pdf.cell(90, 6, heading.signature_for, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_x(105)
    pdf.cell(90, 6, heading.signature_role, align="C", new_x="LMARGIN", new_y="NEXT")
    if heading.signer:
        pdf.ln(20)
        pdf.set_x(105)
        pdf.cell(90, 6, _nfc(heading.signer), align="C")
    return bytes(pdf.output())


def official_list_filename(campaign) -> str:
    return f"danh-sach-tuyen-duong-{campaign.year}.pdf"
