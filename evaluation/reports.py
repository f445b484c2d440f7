"""The committee's report "Báo cáo kết quả đánh giá": rows from the dashboard, and the Excel
workbook built from them with openpyxl (functions of plain data, tested on workbooks in memory)."""

import math
from dataclasses import dataclass
from io import BytesIO

from django.utils import translation
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from common.excel import set_value
from criteria.labels import STATUS_LABELS, VERDICT_LABELS, recognition_rule_text
from criteria.models import CriteriaSet

from .dashboard import IndicatorLine, UnitDashboard

HEADERS = [
    "STT",
    "Tiêu chuẩn",
    "Tiêu chí",
    "Chỉ báo",
    "Yêu cầu",
    "Kết quả",
    "Đánh giá",
    "Minh chứng",
    "Đơn vị chủ trì",
]
WIDTHS = [6, 24, 24, 48, 18, 40, 14, 20, 26]
FONT = "Times New Roman"


@dataclass(frozen=True)
class ReportRow:
    number: int
    standard: str
    criterion: str
    indicator: str
    requirement: str
    result: str
    status: str
    evidence: str
    lead: str


@dataclass(frozen=True)
class Report:
    title: str
    subtitle: str
    verdict: str
    decision: str
    rows: list[ReportRow]
    #: The degree of fulfilment and the rule the verdict applies (the plan states none).
    fulfilment: str = ""
    rule: str = ""


def printed(text: str) -> str:
    """A sentence as the signed copy writes it: the screen's "điểm %" spelt out."""
    return text.replace("điểm %", "điểm phần trăm")


def _with_ceiling(line: IndicatorLine) -> str:
    """A share of recognised districts says, in the signed copy as on the page, how far the
    recognitions can still take it."""
    if line.ceiling is None:
        return line.result.explanation
    sentences = [
        line.result.explanation + ".",
        *(sentence.vietnamese() for sentence in line.ceiling.sentences()),
        line.ceiling.warning(),
    ]
    return " ".join(sentence for sentence in sentences if sentence)


#: How the report marks a figure that is an estimate.
ESTIMATE_WORD = "ước tính"


def report_rows(data: UnitDashboard) -> list[ReportRow]:
    """One row per indicator, in catalogue order, in the words of the glossary."""
    rows = []
    for block in data.standards:
        standard = f"{block.standard.code}. {block.standard.name}"
        for criterion_block in block.criteria:
            criterion = f"{criterion_block.criterion.code}. {criterion_block.criterion.name}"
            for line in criterion_block.lines:
                rows.append(
                    ReportRow(
                        number=len(rows) + 1,
                        standard=standard,
                        criterion=criterion,
                        indicator=f"{line.indicator.code}. {line.indicator.text}",
                        requirement=printed(line.indicator.requirement_text),
                        result=printed(_with_ceiling(line))
                        + (f" ({ESTIMATE_WORD})" if line.is_estimate else ""),
                        status=str(STATUS_LABELS[line.result.status.value]),
                        evidence=evidence_words(line.evidence),
                        lead="; ".join(entry.label for entry in line.leads),
                    )
                )
    return rows


def evidence_words(cell: object) -> str:
    """ "2 đã duyệt, 1 chờ duyệt" — or "Chưa có" — plus the explanation when one was recorded."""
    if cell is None:
        return "Chưa có"
    parts = [
        f"{count} {label}"
        for count, label in (
            (cell.approved, "đã duyệt"),
            (cell.waiting, "chờ duyệt"),
            (cell.needs_more, "yêu cầu bổ sung"),
        )
        if count
    ]
    text = ", ".join(parts) or "Chưa có"
    if cell.has_explanation:
        text += " (có giải trình)"
    return text


#: Who a recognition is the decision of, by the kind of meeting that took it.
DECIDED_BY = {"council": "Hội đồng đánh giá cấp thành phố", "committee": "Ban chỉ đạo"}


def build_report(data: UnitDashboard, decision: object | None, criteria_set: CriteriaSet) -> Report:
    """The report in Vietnamese, the language the signed copy is kept in, whatever the page's."""
    with translation.override("vi"):
        return _report(data, decision, criteria_set)


def _report(data: UnitDashboard, decision: object | None, criteria_set: CriteriaSet) -> Report:
    basis = (
        "Kết quả tạm tính (số liệu đã duyệt và đã gửi)"
        if data.provisional
        else "Kết quả chính thức (số liệu đã duyệt)"
    )
    if criteria_set.is_example:
        counted = "đã duyệt và đã gửi" if data.provisional else "đã duyệt"
        basis = (
            f"Kết quả MẪU theo bộ tiêu chí mẫu minh hoạ (số liệu {counted}), không phải kết quả "
            "chính thức"
        )
    verdict = str(VERDICT_LABELS[data.evaluation.verdict.value])
    decision_text = ""
    if decision is not None:
        decision_text = (
            f"Quyết định của {DECIDED_BY[decision.meeting.kind]}: "
            f"{decision.get_decision_display().lower()}"
            f" (họp ngày {decision.meeting.held_on:%d/%m/%Y}"
            f"{', số ' + decision.number if decision.number else ''})"
            f"{'. ' + decision.note if decision.note else ''}"
        )
    evaluation = data.evaluation
    return Report(
        title="BÁO CÁO KẾT QUẢ ĐÁNH GIÁ",
        subtitle=f"{data.unit.name} — năm {data.year} — {basis}",
        verdict=(f"Kết luận: {verdict} — {data.met_count}/{data.indicator_count} chỉ báo đạt."),
        decision=decision_text,
        rows=report_rows(data),
        fulfilment=(
            f"Mức độ đáp ứng: {data.met_count}/{data.indicator_count} chỉ báo, "
            f"{evaluation.criteria_met_count}/{len(evaluation.criteria)} tiêu chí, "
            f"{evaluation.standards_met_count}/{len(evaluation.standards)} tiêu chuẩn đạt."
        ),
        rule="Quy tắc công nhận của cổng (kế hoạch không quy định cách tổng hợp): "
        + recognition_rule_text(
            criteria_set.recognition_rule, criteria_set.min_indicators_met, data.indicator_count
        ),
    )


@dataclass(frozen=True)
class Signature:
    """The signer's block: "TM. BAN CHỈ ĐẠO" (empty when the head signs in their own name), the
    title ("TRƯỞNG BAN", "GIÁM ĐỐC") and the name (empty: written by hand), as the standing office
    keeps them (evaluation.models.DocumentSettings)."""

    title: str
    name: str = ""
    on_behalf_of: str = ""


def report_workbook(report: Report, place: str, signature: Signature) -> bytes:
    """The report as an .xlsx that prints readably: merged standard/criterion cells, bold
    headers, borders, Times New Roman, A4 landscape fitted to the page's width, rows as tall as
    their wrapped text, the header row repeated and the page number on every page, then the
    date and the signature block."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Báo cáo"
    _title(sheet, report)
    header_row = 5
    _header(sheet, header_row)
    first = header_row + 1
    for offset, row in enumerate(report.rows):
        _write_row(sheet, first + offset, row)
    last = first + len(report.rows) - 1
    _merge_runs(sheet, report.rows, first, column=2, key=lambda r: r.standard)
    _merge_runs(sheet, report.rows, first, column=3, key=lambda r: r.criterion)
    footer = last + 2
    _cell(sheet, footer, 1, report.fulfilment).font = Font(name=FONT, size=12)
    _cell(sheet, footer + 1, 1, report.verdict).font = Font(name=FONT, bold=True, size=12)
    _cell(sheet, footer + 2, 1, report.rule).font = Font(name=FONT, size=11, italic=True)
    if report.decision:
        _cell(sheet, footer + 3, 1, report.decision).font = Font(name=FONT, size=12)
    _signature(sheet, footer + 5, place, signature)
    _page_setup(sheet, header_row)
    output = BytesIO()
    workbook.save(output)
    return output.getvalue()


def _title(sheet: Worksheet, report: Report) -> None:
    last_column = get_column_letter(len(HEADERS))
    for row, text, size in ((1, report.title, 14), (2, report.subtitle, 12)):
        sheet.merge_cells(f"A{row}:{last_column}{row}")
        cell = _cell(sheet, row, 1, text)
        cell.font = Font(name=FONT, bold=row == 1, size=size)
        cell.alignment = Alignment(horizontal="center")


def _header(sheet: Worksheet, row: int) -> None:
    for column, (name, width) in enumerate(zip(HEADERS, WIDTHS, strict=True), start=1):
        cell = _cell(sheet, row, column, name)
        cell.font = Font(name=FONT, bold=True, size=12)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = _border()
        sheet.column_dimensions[get_column_letter(column)].width = width


def _write_row(sheet: Worksheet, index: int, row: ReportRow) -> None:
    values = [
        row.number,
        row.standard,
        row.criterion,
        row.indicator,
        row.requirement,
        row.result,
        row.status,
        row.evidence,
        row.lead,
    ]
    for column, value in enumerate(values, start=1):
        cell = _cell(sheet, index, column, value)
        cell.font = Font(name=FONT, size=11, bold=column == 7)
        cell.alignment = Alignment(vertical="top", wrap_text=True)
        cell.border = _border()
    # Neither Excel nor LibreOffice grows a row for wrapped text written by a program: its
    # height is set from the longest cell (the merged standard and criterion cells excepted).
    lines = max(
        _wrapped_lines(str(value), WIDTHS[column])
        for column, value in enumerate(values)
        if column > 2
    )
    sheet.row_dimensions[index].height = lines * LINE_POINTS + 3


#: The height of a line of 11-point Times New Roman, and how many of its characters a column of
#: width 1 holds (the width counts the default font's digits; Vietnamese text runs a little
#: narrower, so the estimate errs towards a taller row).
LINE_POINTS = 14
CHARACTERS_PER_WIDTH = 1.1


def _wrapped_lines(text: str, width: float) -> int:
    per_line = max(1, int(width * CHARACTERS_PER_WIDTH))
    return sum(max(1, math.ceil(len(line) / per_line)) for line in text.splitlines() or [""])


def _signature(sheet: Worksheet, row: int, place: str, signature: Signature) -> None:
    """The date (left for the office to complete) and the signer's block, at the right."""
    first_column, last_column = 6, len(HEADERS)
    lines = [
        (blank_date_line(place), Font(name=FONT, size=12, italic=True)),
        (signature.on_behalf_of.upper(), Font(name=FONT, size=12, bold=True)),
        (signature.title.upper(), Font(name=FONT, size=12, bold=True)),
        ("", None),
        ("", None),
        ("", None),
        (signature.name, Font(name=FONT, size=12, bold=True)),
    ]
    for offset, (text, font) in enumerate(line for line in lines if line[0] or not line[1]):
        sheet.merge_cells(
            start_row=row + offset,
            start_column=first_column,
            end_row=row + offset,
            end_column=last_column,
        )
        cell = _cell(sheet, row + offset, first_column, text)
        cell.alignment = Alignment(horizontal="center")
        if font is not None:
            cell.font = font


def blank_date_line(place: str) -> str:
    """The place and a date left for the office to write when it signs."""
    return f"{place}, ngày     tháng     năm 20   "


def _cell(sheet: Worksheet, row: int, column: int, value: str | int) -> Cell:
    """A cell holding the value, written by the one writer (common/excel.py): what people typed
    (a decision's note, a reason) stays text, never a formula, and loses no more than the
    control characters a workbook cannot hold."""
    cell = sheet.cell(row, column)
    set_value(cell, value)
    return cell


def _merge_runs(sheet: Worksheet, rows: list[ReportRow], first: int, column: int, key) -> None:
    """Merge consecutive cells of a column that hold the same standard (or criterion)."""
    start = 0
    for index in range(1, len(rows) + 1):
        if index == len(rows) or key(rows[index]) != key(rows[start]):
            if index - start > 1:
                sheet.merge_cells(
                    start_row=first + start,
                    start_column=column,
                    end_row=first + index - 1,
                    end_column=column,
                )
            start = index


def _page_setup(sheet: Worksheet, header_row: int) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.oddFooter.center.text = "Trang &P/&N"
    sheet.oddFooter.center.font = FONT
    sheet.freeze_panes = sheet.cell(header_row + 1, 1)
    sheet.page_margins.left = sheet.page_margins.right = 0.4


def _border() -> Border:
    thin = Side(style="thin", color="000000")
    return Border(left=thin, right=thin, top=thin, bottom=thin)
