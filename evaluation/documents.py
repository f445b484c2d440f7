"""Official documents in the form of Nghị định 30/2020/NĐ-CP (Phụ lục I), as editable .docx.

`official_document` lays out any administrative document the way Vietnamese offices sign them:
the issuing body and the national title side by side, the number left blank for the office to
fill ("Số:      /BC-SGDĐT"), place and date, the kind of document and its summary (trích yếu), the
body, the signer's block and the recipients (nơi nhận); Times New Roman on A4 with the decree's
margins. `pilot_report` fills it with the committee's report (`evaluation.reports.Report`),
`meeting_minutes` with a meeting's record (biên bản, signed by the secretary and the chair).

The words are Vietnamese whatever the reader's language: a document is a contract.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from io import BytesIO
from typing import ClassVar

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph

from .reports import DECIDED_BY, Report, Signature, blank_date_line

FONT = "Times New Roman"
DRAFT_MARK = "DỰ THẢO"
RECIPIENTS_HEADING = "Nơi nhận"
#: How the settings page shows the parts of a document it sets.
NUMBER_EXAMPLE = "Số: /BC-SGDĐT"
ON_BEHALF_EXAMPLE = "TM. BAN CHỈ ĐẠO"
DECISION_NUMBER_EXAMPLE = "1234/QĐ-UBND"
NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
#: The decree's page: A4, margins top and bottom 20–25 mm, left 30–35 mm, right 15–20 mm.
PAGE = {"width": Mm(210), "height": Mm(297), "top": Mm(20), "bottom": Mm(20), "left": Mm(30)}
RIGHT_MARGIN = Mm(15)
TEXT_WIDTH = Mm(210 - 30 - 15)


@dataclass(frozen=True)
class Letterhead:
    """Who issues the document: the body above it (in capitals, "UBND THÀNH PHỐ HẢI PHÒNG"), the
    issuing body ("SỞ GIÁO DỤC VÀ ĐÀO TẠO"), its short name in the number ("SGDĐT") and the
    place written before the date."""

    parent_body: str
    issuing_body: str
    short_name: str
    place: str
    #: The issuing body as a sentence names it ("Sở Giáo dục và Đào tạo").
    name_in_text: str = ""


@dataclass(frozen=True)
class Heading:
    text: str
    #: How a print page lays the block out (evaluation/official_document.html).
    layout: ClassVar[str] = "heading"
    #: Centred across the page (a decision's "QUYẾT ĐỊNH:" and its authority).
    center: bool = False


@dataclass(frozen=True)
class Text:
    """A paragraph of the body; `note` is an italic remark for the office (what to complete)."""

    text: str
    note: bool = False
    layout: ClassVar[str] = "text"


@dataclass(frozen=True)
class Grid:
    """A table: its header, its rows, each column's width in cm. The rows numbered in
    `group_rows` name a standard or a criterion: their second cell is merged across the rest of
    the row, in bold."""

    header: Sequence[str]
    rows: Sequence[Sequence[str]]
    widths: Sequence[float]
    group_rows: frozenset[int] = frozenset()
    layout: ClassVar[str] = "grid"


Block = Heading | Text | Grid


@dataclass(frozen=True)
class OfficialDocument:
    letterhead: Letterhead
    #: The kind of document, in capitals ("BÁO CÁO", "TỜ TRÌNH") and its symbol ("BC", "TTr").
    kind: str
    symbol: str
    summary: str
    blocks: Sequence[Block]
    signature: Signature
    recipients: Sequence[str]
    closing: str = ""
    #: The date the document is dated (None: left for the office to write when it signs).
    dated: date | None = None
    #: A second signer, on the left of the first (the secretary of a meeting's minutes).
    countersignature: Signature | None = None
    #: A draft for another body to issue: marked «DỰ THẢO» above the letterhead.
    draft: bool = False

    @property
    def number_line(self) -> str:
        """ "Số:      /BC-SGDĐT", the number left for the office to give."""
        return number_line(self.letterhead, self.symbol)

    @property
    def date_text(self) -> str:
        """The place and the date, or a date left for the office to write when it signs."""
        place = self.letterhead.place
        return date_line(place, self.dated) if self.dated else blank_date_line(place)


def official_document(document: OfficialDocument) -> bytes:
    """The document as .docx bytes."""
    docx = Document()
    _page(docx)
    if document.draft:
        marker = _paragraph(docx, DRAFT_MARK, bold=True)
        marker.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _letterhead(docx, document)
    _title(docx, document)
    for block in document.blocks:
        if isinstance(block, Heading):
            _paragraph(docx, block.text, bold=True, center=block.center, space_before=6)
        elif isinstance(block, Text):
            _paragraph(docx, block.text, italic=block.note, indent=not block.note)
        else:
            _grid(docx, block)
    if document.closing:  # the closing sentence goes to the page the signature is on
        _paragraph(docx, document.closing, indent=True).paragraph_format.keep_with_next = True
    _signature(docx, document)
    output = BytesIO()
    docx.save(output)
    return output.getvalue()


def date_line(place: str, day: date) -> str:
    """ "Hải Phòng, ngày 05 tháng 02 năm 2022": a day below 10 and the months 1 and 2 take a
    leading zero (Nghị định 30/2020, Phụ lục I)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def number_line(letterhead: Letterhead, symbol: str) -> str:
    """ "Số:      /BC-SGDĐT": the number is left blank, as the office gives it when it signs."""
    return f"Số:      /{symbol}-{letterhead.short_name}"


# --- Layout -----------------------------------------------------------------------------------


def _page(docx: Document) -> None:
    section = docx.sections[0]
    section.page_width, section.page_height = PAGE["width"], PAGE["height"]
    section.top_margin, section.bottom_margin = PAGE["top"], PAGE["bottom"]
    section.left_margin, section.right_margin = PAGE["left"], RIGHT_MARGIN
    normal = docx.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    # Word takes the font of Vietnamese letters from the East Asian and complex-script slots too.
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.space_before = Pt(0)


def _letterhead(docx: Document, document: OfficialDocument) -> None:
    """Two columns: the issuing body and the number on the left, the national title, the motto
    and the place and date on the right."""
    head = document.letterhead
    table = _layout_table(docx, rows=2, widths=(Cm(7), Cm(9.5)))
    left, right = table.cell(0, 0), table.cell(0, 1)
    first = left.paragraphs[0]
    if head.parent_body:  # a People's Committee heads its own documents alone
        _cell_line(first, head.parent_body.upper(), size=12)
        first = left.add_paragraph()
    _cell_line(first, head.issuing_body.upper(), size=12, bold=True)
    _short_rule(left.add_paragraph(), indent=Cm(2))
    _cell_line(right.paragraphs[0], NATIONAL_TITLE, size=12, bold=True)
    _cell_line(right.add_paragraph(), MOTTO, size=14, bold=True, underline=True)
    number, dated = table.cell(1, 0), table.cell(1, 1)
    _cell_line(number.paragraphs[0], document.number_line, size=13)
    _cell_line(dated.paragraphs[0], document.date_text, size=14, italic=True)
    for cell in (number, dated):
        cell.paragraphs[0].paragraph_format.space_before = Pt(6)


def _title(docx: Document, document: OfficialDocument) -> None:
    kind = _paragraph(docx, document.kind, bold=True, center=True, space_before=18)
    kind.paragraph_format.keep_with_next = True
    summary = _paragraph(docx, document.summary, bold=True, center=True)
    summary.paragraph_format.space_after = Pt(0)
    _short_rule(docx.add_paragraph(), indent=Cm(6.5))
    docx.add_paragraph()


def _signature(docx: Document, document: OfficialDocument) -> None:
    """Recipients on the left (bold italic «Nơi nhận:», 12 pt; 11 pt list), the signer on the
    right (bold capitals, space for the signature and the seal, then the name). With a second
    signer (minutes), the two sign side by side and the recipients follow on the left."""
    table = _layout_table(docx, rows=1, widths=(Cm(7.5), Cm(9)))
    _keep_on_one_page(table.rows[0])
    left, right = table.cell(0, 0), table.cell(0, 1)
    _signer(right, document.signature)
    if document.countersignature is None:
        _recipients(left, document.recipients)
        return
    _signer(left, document.countersignature)
    if document.recipients:
        below = _layout_table(docx, rows=1, widths=(Cm(7.5), Cm(9)))
        _recipients(below.cell(0, 0), document.recipients)


def _recipients(cell, recipients: Sequence[str]) -> None:
    heading = cell.paragraphs[0]
    heading.paragraph_format.space_before = Pt(12)
    run = heading.add_run(f"{RECIPIENTS_HEADING}:")
    run.bold, run.italic, run.font.size = True, True, Pt(12)
    for recipient in recipients:
        line = cell.add_paragraph()
        line.add_run(recipient).font.size = Pt(11)


def _signer(cell, signature: Signature) -> None:
    first = cell.paragraphs[0]
    first.paragraph_format.space_before = Pt(12)
    if signature.on_behalf_of:
        _cell_line(first, signature.on_behalf_of.upper(), size=14, bold=True)
        first = cell.add_paragraph()
    _cell_line(first, signature.title.upper(), size=14, bold=True)
    for _ in range(4):
        cell.add_paragraph()
    _cell_line(cell.add_paragraph(), signature.name, size=14, bold=True)


def _grid(docx: Document, grid: Grid) -> None:
    table = _layout_table(docx, rows=1, widths=[Cm(width) for width in grid.widths])
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _repeat_as_header(table.rows[0])
    for cell, name in zip(table.rows[0].cells, grid.header, strict=True):
        _cell_line(cell.paragraphs[0], name, size=12, bold=True)
    for index, values in enumerate(grid.rows):
        cells = table.add_row().cells
        for cell, width in zip(cells, grid.widths, strict=True):
            cell.width = Cm(width)
        if index in grid.group_rows:  # a standard's or a criterion's name across the row
            merged = cells[1].merge(cells[-1])
            run = merged.paragraphs[0].add_run(values[1])
            run.font.size, run.bold = Pt(12), True
            continue
        for column, (cell, value) in enumerate(zip(cells, values, strict=True)):
            paragraph = cell.paragraphs[0]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT if column else WD_ALIGN_PARAGRAPH.CENTER
            paragraph.add_run(value).font.size = Pt(12)
    docx.add_paragraph()


def _layout_table(docx: Document, rows: int, widths: Sequence) -> Table:
    """A table of fixed column widths (Word reads the cells', LibreOffice the grid's); without a
    style it has no borders and places blocks side by side (the letterhead, the signature)."""
    table = docx.add_table(rows=rows, cols=len(widths))
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
    return table


def _paragraph(
    docx: Document,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    center: bool = False,
    indent: bool = False,
    space_before: float = 0,
) -> Paragraph:
    paragraph = docx.add_paragraph()
    run = paragraph.add_run(text)
    run.bold, run.italic = bold, italic
    form = paragraph.paragraph_format
    form.alignment = WD_ALIGN_PARAGRAPH.CENTER if center else WD_ALIGN_PARAGRAPH.JUSTIFY
    form.space_before, form.space_after = Pt(space_before), Pt(6)
    form.line_spacing = 1.15
    if indent:
        form.first_line_indent = Cm(1.27)
    return paragraph


def _cell_line(
    paragraph: Paragraph,
    text: str,
    *,
    size: float,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
) -> Paragraph:
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.bold, run.italic, run.underline = bold, italic, underline
    return paragraph


def _short_rule(paragraph: Paragraph, indent: Cm) -> None:
    """The short solid line under the issuing body and under the summary: an empty paragraph's
    bottom border, shortened by equal indents on both sides."""
    form = paragraph.paragraph_format
    form.left_indent = form.right_indent = indent
    form.space_before = form.space_after = Pt(0)
    form.line_spacing = Pt(2)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for name, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "auto")):
        bottom.set(qn(name), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def _keep_on_one_page(row) -> None:
    """The signature and the recipients are never split by a page break."""
    cant_split = OxmlElement("w:cantSplit")
    cant_split.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(cant_split)


def _repeat_as_header(row) -> None:
    """The table's header row printed again at the top of every page."""
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


# --- The pilot's reports ----------------------------------------------------------------------

TO_WRITE = "(Viết phần này trước khi trình ký.)"
#: The words before a district's name that its place in the date line leaves out.
_DISTRICT_KINDS = ("Quận ", "Huyện ", "Thị xã ", "Thành phố ")


def district_letterhead(district_name: str) -> Letterhead:
    """A district's report is issued by its education office under the district's People's
    Committee ("UBND QUẬN HỒNG BÀNG" / "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO"), dated at the district."""
    place = district_name
    for kind in _DISTRICT_KINDS:
        place = place.removeprefix(kind)
    return Letterhead(
        parent_body=f"UBND {district_name}",
        issuing_body="PHÒNG GIÁO DỤC VÀ ĐÀO TẠO",
        short_name="PGDĐT",
        place=place,
    )


DISTRICT_SIGNATURE = Signature(title="TRƯỞNG PHÒNG")


def district_subject(district_name: str) -> str:
    return f"công nhận quận/huyện học tập của {district_name}"


def district_recipients(district_name: str) -> list[str]:
    return [f"- UBND {district_name} (để b/c);", "- Sở GD&ĐT Hải Phòng (để b/c);", "- Lưu: VT."]


@dataclass(frozen=True)
class Narrative:
    """What the writers of a report say beyond the figures, a part per section; each text's
    lines are its paragraphs."""

    results: str = ""
    shortcomings: str = ""
    causes: str = ""
    recommendations: str = ""


def _written(text: str) -> list[Text]:
    """A part of the narrative as paragraphs, or the note to write it."""
    return [Text(line.strip()) for line in text.splitlines() if line.strip()] or [
        Text(TO_WRITE, note=True)
    ]


def pilot_report(
    report: Report,
    *,
    letterhead: Letterhead,
    signature: Signature,
    recipients: Sequence[str],
    year: int,
    subject: str = "công nhận thành phố học tập",
    narrative: Narrative = Narrative(),
) -> OfficialDocument:
    """Báo cáo kết quả thực hiện thí điểm: the results per standard, criterion and indicator, the
    conclusion and the rule applied, then what its writers say (`narrative`: the results
    achieved, shortcomings, causes, recommendations), each part they left empty headed and noted
    for them to complete in the editable file. `subject` names what the pilot recognises
    ("công nhận quận/huyện học tập của Quận Hồng Bàng")."""
    rows, groups = [], set()
    standard = criterion = None
    for row in report.rows:
        if row.standard != standard:
            standard = row.standard
            groups.add(len(rows))
            rows.append(["", standard, "", "", ""])
        if row.criterion != criterion:
            criterion = row.criterion
            groups.add(len(rows))
            rows.append(["", criterion, "", "", ""])
        rows.append([str(row.number), row.indicator, row.requirement, row.result, row.status])
    blocks: list[Block] = [
        Heading("I. KẾT QUẢ THỰC HIỆN"),
        Heading("1. Kết quả đánh giá theo Bộ tiêu chí"),
        Text(report.subtitle + "."),
        Text(report.fulfilment),
        Text(report.verdict),
        Text(report.rule),
    ]
    if report.decision:
        blocks.append(Text(report.decision + "."))
    blocks += [
        Text("Kết quả từng chỉ báo:"),
        Grid(
            header=("STT", "Chỉ báo", "Yêu cầu", "Kết quả", "Đánh giá"),
            rows=rows,
            widths=(1.2, 6.2, 2.6, 4.6, 1.9),
            group_rows=frozenset(groups),
        ),
        Heading("2. Những kết quả đạt được"),
        *_written(narrative.results),
        Heading("II. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN"),
        Heading("1. Tồn tại, hạn chế"),
        *_written(narrative.shortcomings),
        Heading("2. Nguyên nhân"),
        *_written(narrative.causes),
        Heading("III. ĐỀ XUẤT, KIẾN NGHỊ"),
        *_written(narrative.recommendations),
    ]
    return OfficialDocument(
        letterhead=letterhead,
        kind="BÁO CÁO",
        symbol="BC",
        summary=f"Kết quả thực hiện thí điểm {subject} năm {year}",
        blocks=blocks,
        signature=signature,
        recipients=recipients,
        closing=f"Trên đây là báo cáo kết quả thực hiện thí điểm {subject} năm {year}./.",
    )


# --- A meeting's minutes ------------------------------------------------------------------------

#: Who holds each meeting: the body whose minutes they are, and its short name in the number.
MEETING_BODIES = {
    "committee": (
        "BAN CHỈ ĐẠO PHỔ CẬP GIÁO DỤC – XÓA MÙ CHỮ - XÂY DỰNG XÃ HỘI HỌC TẬP - DẠY VÀ HỌC "
        "NGOẠI NGỮ THÀNH PHỐ",
        "BCĐ",
    ),
    "council": ("HỘI ĐỒNG ĐÁNH GIÁ CẤP THÀNH PHỐ", "HĐĐG"),
}
#: The meeting as the minutes' summary names it.
MEETING_SUMMARIES = {
    "launch": "Hội nghị triển khai Kế hoạch thí điểm xây dựng quận/huyện học tập, thành phố "
    "học tập",
    "council": "Họp Hội đồng đánh giá cấp thành phố công nhận quận/huyện học tập và thành phố "
    "học tập",
    "committee": "Họp Ban chỉ đạo đánh giá, công nhận mức độ thực hiện tiêu chí thành phố học tập "
    "và quận/huyện học tập",
    "review": "Hội nghị sơ kết đánh giá kết quả triển khai Kế hoạch thí điểm",
}
MINUTES_TO_WRITE = "(Ghi diễn biến cuộc họp, các ý kiến và kết luận trước khi trình ký.)"
MINUTES_SIGNATURE = Signature(title="CHỦ TỌA")
MINUTES_RECIPIENTS = ("- Các thành viên dự họp;", "- Lưu: VT, GDTX-CN&ĐH.")
SECRETARY_SIGNATURE = Signature(title="THƯ KÝ")


def _attendees(attendees: str) -> list[Text]:
    """«Thành phần tham dự:» then a line per attendee as the record lists them."""
    lines = [line.strip().rstrip(".;") for line in attendees.splitlines() if line.strip()]
    if len(lines) < 2:
        return [Text(f"Thành phần tham dự: {lines[0] if lines else '…'}.")]
    listed = [Text(f"- {line};") for line in lines[:-1]]
    return [Text("Thành phần tham dự:"), *listed, Text(f"- {lines[-1]}.")]


#: A recognition's decision as a document words it.
DECISION_WORDS = {True: "Công nhận", False: "Chưa công nhận"}


@dataclass(frozen=True)
class DecidedRecognition:
    """A recognition decided at the meeting, as the minutes list it."""

    unit: str
    recognised: bool
    number: str
    reason: str = ""


def meeting_minutes(
    *,
    kind: str,
    held_on: date,
    place: str,
    chaired_by: str,
    attendees: str,
    agenda: str,
    minutes: str,
    recognitions: Sequence[DecidedRecognition],
    letterhead: Letterhead,
    recipients: Sequence[str],
    chair: str = "",
    secretary: str = "",
) -> OfficialDocument:
    """Biên bản of a meeting, dated the day it was held, from its record: when, where, who
    chaired and who attended, the agenda, the minutes as typed in the portal (left for the
    secretary to write when empty) and the recognitions decided, signed by the secretary and the
    chair (their names when the body's members are named; empty: written by hand). A council or
    committee meeting is headed by its own body."""
    if kind in MEETING_BODIES:
        body, short_name = MEETING_BODIES[kind]
        letterhead = Letterhead(letterhead.parent_body, body, short_name, letterhead.place)
    blocks: list[Block] = [
        Text(f"Thời gian: {date_line('', held_on).removeprefix(', ')}."),
        Text(f"Địa điểm: {place or '…'}."),
        Text(f"Chủ trì: {chaired_by or '…'}."),
        *_attendees(attendees),
        Heading("NỘI DUNG"),
        *[Text(line) for line in agenda.splitlines() if line.strip()],
        *(
            [Text(line) for line in minutes.splitlines() if line.strip()]
            or [Text(MINUTES_TO_WRITE, note=True)]
        ),
    ]
    if recognitions:
        blocks += [
            Heading("KẾT LUẬN"),
            Text("Cuộc họp thống nhất kết quả công nhận như sau:"),
            Grid(
                header=("STT", "Đơn vị", "Kết luận", "Số quyết định"),
                rows=[
                    [str(number), entry.unit, DECISION_WORDS[entry.recognised], entry.number]
                    for number, entry in enumerate(recognitions, start=1)
                ],
                widths=(1.2, 6.5, 4.5, 4.3),
            ),
            *[
                Text(f"{entry.unit} được công nhận với lý do: {entry.reason}")
                for entry in recognitions
                if entry.reason
            ],
        ]
    return OfficialDocument(
        letterhead=letterhead,
        kind="BIÊN BẢN",
        symbol="BB",
        summary=MEETING_SUMMARIES[kind],
        blocks=blocks,
        signature=Signature(title=MINUTES_SIGNATURE.title, name=chair),
        countersignature=Signature(title=SECRETARY_SIGNATURE.title, name=secretary),
        recipients=recipients,
        closing="Biên bản được lập xong và thông qua trước những người dự họp./.",
        dated=held_on,
    )


# --- Proposing the recognitions, and the decision that grants them -----------------------------

#: Where the decisions rest: the plan and the pilot's criteria (the office completes the numbers).
PLAN_BASIS = (
    "Căn cứ Kế hoạch thí điểm xây dựng quận/huyện học tập, thành phố học tập năm {year} và Bộ "
    "tiêu chí đánh giá, công nhận của thành phố;"
)
CITY_COMMITTEE = "ỦY BAN NHÂN DÂN THÀNH PHỐ HẢI PHÒNG"
CITY_COMMITTEE_IN_TEXT = "Ủy ban nhân dân thành phố Hải Phòng"


@dataclass(frozen=True)
class ProposedUnit:
    """A unit recognised at a meeting of the year, as the proposal and the decision list it."""

    name: str
    result: str
    decided: str

    @classmethod
    def of(
        cls,
        name: str,
        *,
        results: dict | None,
        meeting_kind: str,
        held_on: date,
        number: str,
    ) -> ProposedUnit:
        """From the recognition: its frozen results (None: recorded before records were
        frozen) and the meeting that decided it."""
        result = (
            f"{results['met_count']}/{results['indicator_count']} chỉ báo đạt" if results else "—"
        )
        decided = f"{DECIDED_BY[meeting_kind]} ngày {held_on:%d/%m/%Y}"
        return cls(name, result, f"{decided}, số {number}" if number else decided)


def _units_grid(units: Sequence[ProposedUnit]) -> Grid:
    return Grid(
        header=("STT", "Đơn vị", "Kết quả đánh giá", "Căn cứ"),
        rows=[
            [str(number), unit.name, unit.result, unit.decided]
            for number, unit in enumerate(units, start=1)
        ],
        widths=(1.2, 5.0, 4.8, 5.5),
    )


def recognition_proposal(
    units: Sequence[ProposedUnit],
    *,
    letterhead: Letterhead,
    signature: Signature,
    year: int,
) -> OfficialDocument:
    """Tờ trình: the standing office's body asks the People's Committee to recognise the units
    the council and the committee recognised in the year."""
    blocks: list[Block] = [
        Heading(
            f"Kính gửi: {CITY_COMMITTEE_IN_TEXT}",
            center=True,
        ),
        Text(PLAN_BASIS.format(year=year)),
        Text(
            f"Căn cứ kết quả đánh giá của Hội đồng đánh giá cấp thành phố và kết luận của Ban chỉ "
            f"đạo năm {year}, {letterhead.name_in_text} kính trình Ủy ban nhân dân "
            "thành phố xem xét, công nhận các đơn vị sau:"
        ),
    ]
    blocks.append(
        _units_grid(units) if units else Text("(Chưa có đơn vị nào được công nhận.)", note=True)
    )
    return OfficialDocument(
        letterhead=letterhead,
        kind="TỜ TRÌNH",
        symbol="TTr",
        summary=f"Đề nghị công nhận quận/huyện học tập, thành phố học tập năm {year}",
        blocks=blocks,
        signature=signature,
        recipients=("- Như trên;", "- Lưu: VT, GDTX-CN&ĐH."),
        closing=f"{letterhead.name_in_text} kính trình Ủy ban nhân dân thành phố "
        "xem xét, quyết định./.",
    )


def recognition_decision_draft(
    units: Sequence[ProposedUnit], *, letterhead: Letterhead, year: int
) -> OfficialDocument:
    """Dự thảo Quyết định: the People's Committee recognises the units listed, for it to issue
    (marked «DỰ THẢO»; headed by the committee, its number left blank)."""
    city = Letterhead(
        parent_body="",
        issuing_body=CITY_COMMITTEE,
        short_name="UBND",
        place=letterhead.place,
        name_in_text=CITY_COMMITTEE_IN_TEXT,
    )
    blocks: list[Block] = [
        Heading("CHỦ TỊCH ỦY BAN NHÂN DÂN THÀNH PHỐ HẢI PHÒNG", center=True),
        Text("Căn cứ Luật Tổ chức chính quyền địa phương;"),
        Text(PLAN_BASIS.format(year=year)),
        Text(f"Theo đề nghị của Giám đốc {letterhead.name_in_text}."),
        Heading("QUYẾT ĐỊNH:", center=True),
        Text(
            f"Điều 1. Công nhận các đơn vị sau đạt danh hiệu quận/huyện học tập, thành phố học "
            f"tập năm {year}:"
        ),
        _units_grid(units) if units else Text("(Chưa có đơn vị nào được công nhận.)", note=True),
        Text("Điều 2. Quyết định này có hiệu lực kể từ ngày ký."),
    ]
    return OfficialDocument(
        letterhead=city,
        kind="QUYẾT ĐỊNH",
        symbol="QĐ",
        summary=f"Về việc công nhận quận/huyện học tập, thành phố học tập năm {year}",
        blocks=blocks,
        signature=Signature(title="CHỦ TỊCH", on_behalf_of="TM. ỦY BAN NHÂN DÂN"),
        recipients=("- Như Điều 3;", "- Bộ Giáo dục và Đào tạo (để b/c);", "- Lưu: VT."),
        closing=(
            f"Điều 3. Chánh Văn phòng Ủy ban nhân dân thành phố, Giám đốc "
            f"{letterhead.name_in_text}, Chủ tịch Ủy ban nhân dân các quận, huyện có "
            "tên tại Điều 1 và các cơ quan, đơn vị liên quan chịu trách nhiệm thi hành Quyết định "
            "này./."
        ),
        draft=True,
    )
