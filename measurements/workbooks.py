"""The Excel workbook of reported values ("Số liệu"), written and read with openpyxl only.

Plain functions over plain data: no ORM, no request. The contract is the sheet «Số liệu» with a
header row (within the first ten rows) naming the columns of `HEADERS`; columns are found by name,
in any order, and other columns are ignored. A workbook written by `build_workbook` and read back
by `read_workbook` gives every figure exactly: counts and values of up to 15 significant digits are
Excel numbers, longer ones are written as Vietnamese-formatted text that the one number parser
(common/numbers.py) reads back. Reading has every guard of common/excel.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from common.excel import WorkbookRow, read_table, set_text, set_value

__all__ = [
    "HEADERS",
    "SHEET",
    "ExportRow",
    "build_workbook",
    "read_workbook",
]

SHEET = "Số liệu"

UNIT = "Mã đơn vị"
YEAR = "Năm"
INDICATOR = "Mã chỉ báo"
#: The part of an indicator made of several (3.1.5: a, b); empty for any other indicator.
PART = "Mã phần"
TEXT = "Nội dung"
REQUIREMENT = "Yêu cầu"
YES = "Có/Không"
NUMERATOR = "Tử số"
DENOMINATOR = "Mẫu số"
VALUE = "Giá trị"
PREVIOUS = "Giá trị năm trước"
PREVIOUS_SOURCE = "Nguồn số liệu năm trước"
GROWTH_RATE = "Tốc độ tăng trưởng (%)"
#: «Có»: the figures are an estimate (GRDP announced in late December); «Không»: final.
ESTIMATE = "Ước tính"
NOTE = "Ghi chú"
#: Every column of the contract, in the order `build_workbook` writes them.
HEADERS = (
    UNIT,
    YEAR,
    INDICATOR,
    PART,
    TEXT,
    REQUIREMENT,
    YES,
    NUMERATOR,
    DENOMINATOR,
    VALUE,
    PREVIOUS,
    PREVIOUS_SOURCE,
    GROWTH_RATE,
    ESTIMATE,
    NOTE,
)
#: Columns a workbook written before they existed does not have: read when present.
OPTIONAL_HEADERS = (PART, PREVIOUS_SOURCE, GROWTH_RATE, ESTIMATE)
YES_TEXT, NO_TEXT = "Có", "Không"

_TITLE_ROW = 1
_HEADER_ROW = 2
_WIDTHS = {
    UNIT: 12,
    YEAR: 8,
    INDICATOR: 11,
    PART: 8,
    TEXT: 60,
    REQUIREMENT: 28,
    YES: 10,
    NUMERATOR: 14,
    DENOMINATOR: 14,
    VALUE: 14,
    PREVIOUS: 16,
    PREVIOUS_SOURCE: 30,
    GROWTH_RATE: 14,
    ESTIMATE: 10,
    NOTE: 40,
}
_WRAPPED = frozenset({TEXT, REQUIREMENT, PREVIOUS_SOURCE, NOTE})
_NUMBER_FORMATS = {YEAR: "0", NUMERATOR: "#,##0", DENOMINATOR: "#,##0"}
#: Codes are text even when retyped ("1.10" must not become the number 1.1).
_TEXT_COLUMNS = frozenset({UNIT, INDICATOR, PART})


@dataclass(frozen=True)
class ExportRow:
    """One indicator's line in an exported workbook (one per part of an indicator of parts)."""

    unit_code: str
    unit_name: str
    year: int
    indicator_code: str
    text: str
    requirement: str
    part_code: str = ""
    yes: bool | None = None
    numerator: int | None = None
    denominator: int | None = None
    value: Decimal | None = None
    previous: Decimal | None = None
    previous_source: str = ""
    growth_rate: Decimal | None = None
    #: None where nothing is entered yet (the cell stays empty).
    estimate: bool | None = None
    note: str = ""


# --- Writing -----------------------------------------------------------------------------------


def build_workbook(rows: list[ExportRow]) -> bytes:
    """The workbook of reported values: a title, the header row, one line per row."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    _write_title(sheet, rows)
    _write_header(sheet)
    for offset, row in enumerate(rows, start=_HEADER_ROW + 1):
        _write_row(sheet, offset, row)
    for column in (YES, ESTIMATE):
        _add_yes_no_choice(sheet, column, len(rows))
    sheet.freeze_panes = sheet.cell(row=_HEADER_ROW + 1, column=HEADERS.index(TEXT) + 1)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _write_title(sheet: Any, rows: Sequence[ExportRow]) -> None:
    parts = ["Số liệu chỉ báo"]
    if rows and len({row.unit_code for row in rows}) == 1:
        parts.append(rows[0].unit_name)
    if rows and len({row.year for row in rows}) == 1:
        parts.append(f"năm {rows[0].year}")
    cell = sheet.cell(row=_TITLE_ROW, column=1)
    set_text(cell, " — ".join(parts))
    cell.font = Font(bold=True, size=13)


def _write_header(sheet: Any) -> None:
    fill = PatternFill("solid", start_color="DDEBF7")
    for column, name in enumerate(HEADERS, start=1):
        cell = sheet.cell(row=_HEADER_ROW, column=column)
        set_text(cell, name)
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[get_column_letter(column)].width = _WIDTHS[name]


def _write_row(sheet: Any, number: int, row: ExportRow) -> None:
    answers = {True: YES_TEXT, False: NO_TEXT}
    yes = answers.get(row.yes) if row.yes is not None else None
    estimate = answers.get(row.estimate) if row.estimate is not None else None
    values: dict[str, object] = {
        UNIT: row.unit_code,
        YEAR: row.year,
        INDICATOR: row.indicator_code,
        PART: row.part_code,
        TEXT: row.text,
        REQUIREMENT: row.requirement,
        YES: yes,
        NUMERATOR: row.numerator,
        DENOMINATOR: row.denominator,
        VALUE: row.value,
        PREVIOUS: row.previous,
        PREVIOUS_SOURCE: row.previous_source,
        GROWTH_RATE: row.growth_rate,
        ESTIMATE: estimate,
        NOTE: row.note,
    }
    for column, name in enumerate(HEADERS, start=1):
        cell = sheet.cell(row=number, column=column)
        cell.alignment = Alignment(wrap_text=name in _WRAPPED, vertical="top")
        if name in _TEXT_COLUMNS:
            cell.number_format = "@"
        set_value(cell, values[name], _NUMBER_FORMATS.get(name, "General"))


def _add_yes_no_choice(sheet: Any, name: str, count: int) -> None:
    """A drop-down of «Có»/«Không» in a column of answers (typing stays possible)."""
    column = get_column_letter(HEADERS.index(name) + 1)
    last = _HEADER_ROW + max(count, 1) + 100
    choice = DataValidation(type="list", formula1=f'"{YES_TEXT},{NO_TEXT}"', allow_blank=True)
    choice.add(f"{column}{_HEADER_ROW + 1}:{column}{last}")
    sheet.add_data_validation(choice)


# --- Reading -----------------------------------------------------------------------------------


def read_workbook(data: bytes) -> list[WorkbookRow]:
    """The data rows of an uploaded "Số liệu" workbook; raises WorkbookError and nothing else."""
    required = tuple(name for name in HEADERS if name not in OPTIONAL_HEADERS)
    return read_table(data, SHEET, required, optional=OPTIONAL_HEADERS)
