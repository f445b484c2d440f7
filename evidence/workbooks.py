"""The Excel workbook of reported values ("Số liệu"), written and read with openpyxl only.

Plain functions over plain data: no ORM, no request. The contract is the sheet «Số liệu» with a
header row (within the first ten rows) naming the columns of `HEADERS`; columns are found by name,
in any order, and other columns are ignored. A workbook written by `build_workbook` and read back
by `read_workbook` gives every figure exactly: counts and values of up to 15 significant digits are
Excel numbers, longer ones are written as Vietnamese-formatted text that the one number parser
(criteria/numbers.py) reads back.

Uploaded files are hostile until read: the archive's declared size is checked before openpyxl
opens it, the sheet is read in read-only mode with formulas kept as formulas (and refused), and
every failure surfaces as a `WorkbookError` with Vietnamese messages.
"""

from __future__ import annotations

import unicodedata
import warnings
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from io import BytesIO
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from criteria.numbers import format_decimal

__all__ = [
    "HEADERS",
    "SHEET",
    "CellValue",
    "ExportRow",
    "WorkbookError",
    "WorkbookRow",
    "build_workbook",
    "normalise_text",
    "read_workbook",
]

SHEET = "Số liệu"

UNIT = "Mã đơn vị"
YEAR = "Năm"
INDICATOR = "Mã chỉ báo"
TEXT = "Nội dung"
REQUIREMENT = "Yêu cầu"
YES = "Có/Không"
NUMERATOR = "Tử số"
DENOMINATOR = "Mẫu số"
VALUE = "Giá trị"
PREVIOUS = "Giá trị năm trước"
NOTE = "Ghi chú"
#: Every column of the contract, in the order `build_workbook` writes them.
HEADERS = (
    UNIT,
    YEAR,
    INDICATOR,
    TEXT,
    REQUIREMENT,
    YES,
    NUMERATOR,
    DENOMINATOR,
    VALUE,
    PREVIOUS,
    NOTE,
)
YES_TEXT, NO_TEXT = "Có", "Không"

#: Limits against hostile or runaway files.
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_ARCHIVE_MEMBERS = 1_000
MAX_DATA_ROWS = 5_000
HEADER_SEARCH_ROWS = 10
HEADER_SEARCH_COLUMNS = 200
EXCEL_MAX_ROWS = 1_048_576
#: Excel keeps 15 significant digits of a number; longer figures travel as text.
EXCEL_DIGITS = 15

_TITLE_ROW = 1
_HEADER_ROW = 2
_WIDTHS = {
    UNIT: 12,
    YEAR: 8,
    INDICATOR: 11,
    TEXT: 60,
    REQUIREMENT: 28,
    YES: 10,
    NUMERATOR: 14,
    DENOMINATOR: 14,
    VALUE: 14,
    PREVIOUS: 16,
    NOTE: 40,
}
_WRAPPED = frozenset({TEXT, REQUIREMENT, NOTE})
_NUMBER_FORMATS = {YEAR: "0", NUMERATOR: "#,##0", DENOMINATOR: "#,##0"}
#: Codes are text even when retyped ("1.10" must not become the number 1.1).
_TEXT_COLUMNS = frozenset({UNIT, INDICATOR})
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # .xls and password-protected workbooks

INVALID_FILE = "Tệp không phải là tệp Excel .xlsx hợp lệ."
DAMAGED_FILE = "Tệp Excel bị hỏng hoặc tải lên chưa trọn vẹn; hãy lưu lại và tải lên lần nữa."
OLD_FORMAT = (
    "Tệp có định dạng Excel cũ (.xls) hoặc được đặt mật khẩu; "
    "hãy lưu lại thành .xlsx không đặt mật khẩu."
)
TOO_LARGE = "Tệp quá lớn: khi giải nén vượt quá 50 MB."
TOO_MANY_ROWS = (
    f"Tệp có hơn {format_decimal(MAX_DATA_ROWS)} dòng số liệu; hãy chia thành nhiều tệp."
)

CellValue = str | int | float | Decimal | bool | datetime | date | time | timedelta | None


class WorkbookError(Exception):
    """A workbook that cannot be read; `messages` are Vietnamese and can be shown as they are."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("\n".join(messages))
        self.messages = messages


@dataclass(frozen=True)
class ExportRow:
    """One indicator's line in an exported workbook."""

    unit_code: str
    unit_name: str
    year: int
    indicator_code: str
    text: str
    requirement: str
    yes: bool | None = None
    numerator: int | None = None
    denominator: int | None = None
    value: Decimal | None = None
    previous: Decimal | None = None
    note: str = ""


@dataclass(frozen=True)
class WorkbookRow:
    """A data row as read: its spreadsheet row number and its cells by header name.

    Text is stripped and NFC-normalised, and an empty text is None, so a blank cell is always None.
    """

    number: int
    cells: dict[str, CellValue] = field(default_factory=dict)

    def get(self, name: str) -> CellValue:
        return self.cells.get(name)


def normalise_text(text: str) -> str:
    """NFC, one kind of line break, no surrounding blanks: how every text is compared and kept."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    return text.strip()


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
    _add_yes_no_choice(sheet, len(rows))
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
    _set_text(cell, " — ".join(parts))
    cell.font = Font(bold=True, size=13)


def _write_header(sheet: Any) -> None:
    fill = PatternFill("solid", start_color="DDEBF7")
    for column, name in enumerate(HEADERS, start=1):
        cell = sheet.cell(row=_HEADER_ROW, column=column)
        _set_text(cell, name)
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[get_column_letter(column)].width = _WIDTHS[name]


def _write_row(sheet: Any, number: int, row: ExportRow) -> None:
    yes = {True: YES_TEXT, False: NO_TEXT}.get(row.yes) if row.yes is not None else None
    values: dict[str, object] = {
        UNIT: row.unit_code,
        YEAR: row.year,
        INDICATOR: row.indicator_code,
        TEXT: row.text,
        REQUIREMENT: row.requirement,
        YES: yes,
        NUMERATOR: row.numerator,
        DENOMINATOR: row.denominator,
        VALUE: row.value,
        PREVIOUS: row.previous,
        NOTE: row.note,
    }
    for column, name in enumerate(HEADERS, start=1):
        cell = sheet.cell(row=number, column=column)
        cell.alignment = Alignment(wrap_text=name in _WRAPPED, vertical="top")
        if name in _TEXT_COLUMNS:
            cell.number_format = "@"
        _set_value(cell, values[name], _NUMBER_FORMATS.get(name, "General"))


def _set_value(cell: Any, value: object, number_format: str) -> None:
    if value is None or value == "":
        return
    if isinstance(value, str):
        _set_text(cell, value)
    elif isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        _set_number(cell, Decimal(value), number_format)
    else:
        raise TypeError(f"Cannot write {type(value).__name__} to the workbook.")


def _set_text(cell: Any, text: str) -> None:
    """Text stays text: openpyxl would turn "=…" into a formula and "#N/A" into an error."""
    cell.value = ILLEGAL_CHARACTERS_RE.sub("", unicodedata.normalize("NFC", text))
    cell.data_type = "s"


def _set_number(cell: Any, number: Decimal, number_format: str) -> None:
    """An Excel number when Excel keeps it exactly, else Vietnamese text the parser reads back."""
    if _significant_digits(number) > EXCEL_DIGITS:
        _set_text(cell, format_decimal(number))
        cell.alignment = Alignment(horizontal="right", vertical="top")
        return
    cell.value = int(number) if number == number.to_integral_value() else float(number)
    cell.number_format = number_format


def _significant_digits(number: Decimal) -> int:
    digits = number.as_tuple().digits
    text = "".join(str(digit) for digit in digits).strip("0")
    return len(text)


def _add_yes_no_choice(sheet: Any, count: int) -> None:
    """A drop-down of «Có»/«Không» in the Có/Không column (typing stays possible)."""
    column = get_column_letter(HEADERS.index(YES) + 1)
    last = _HEADER_ROW + max(count, 1) + 100
    choice = DataValidation(type="list", formula1=f'"{YES_TEXT},{NO_TEXT}"', allow_blank=True)
    choice.add(f"{column}{_HEADER_ROW + 1}:{column}{last}")
    sheet.add_data_validation(choice)


# --- Reading -----------------------------------------------------------------------------------


def read_workbook(data: bytes) -> list[WorkbookRow]:
    """The data rows of an uploaded "Số liệu" workbook; raises WorkbookError and nothing else."""
    return read_table(data, SHEET, HEADERS)


def read_table(data: bytes, sheet_name: str, headers: Sequence[str]) -> list[WorkbookRow]:
    """The rows under a header row (found by name in the first rows) of one sheet of an uploaded
    workbook, with every guard of this module; raises WorkbookError and nothing else."""
    try:
        _check_archive(data)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions it skips
            return _read(data, sheet_name, tuple(headers))
    except WorkbookError:
        raise
    except Exception as error:  # a damaged file fails inside zipfile, zlib, XML or openpyxl
        raise WorkbookError([DAMAGED_FILE if _looks_like_zip(data) else INVALID_FILE]) from error


def _looks_like_zip(data: object) -> bool:
    return isinstance(data, (bytes, bytearray)) and data[:2] == b"PK"


def _check_archive(data: bytes) -> None:
    """Refuse what is not a zip, and a zip that would inflate beyond the limit, before parsing."""
    if not isinstance(data, (bytes, bytearray)):
        raise WorkbookError([INVALID_FILE])
    if data[:4] == _OLE_MAGIC:
        raise WorkbookError([OLD_FORMAT])
    if not _looks_like_zip(data):
        raise WorkbookError([INVALID_FILE])
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, EOFError, OSError, ValueError) as error:
        raise WorkbookError([DAMAGED_FILE]) from error
    if len(members) > MAX_ARCHIVE_MEMBERS:
        raise WorkbookError([INVALID_FILE])
    # zipfile never inflates a member beyond its declared size (it fails the CRC instead), so the
    # declared sizes bound what openpyxl can be made to read.
    if sum(member.file_size for member in members) > MAX_UNCOMPRESSED_BYTES:
        raise WorkbookError([TOO_LARGE])


def _read(data: bytes, sheet_name: str, headers: tuple[str, ...]) -> list[WorkbookRow]:
    workbook = load_workbook(BytesIO(data), read_only=True, data_only=False, keep_links=False)
    try:
        sheet = _sheet(workbook, sheet_name)
        sheet.reset_dimensions()  # the stored dimension may be wrong; read every row there is
        header_row, columns = _header(sheet, sheet_name, headers)
        return _data_rows(sheet, header_row, columns)
    finally:
        workbook.close()


def _key(text: str) -> str:
    """How names are matched: NFC, single spaces, any case."""
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


def _sheet(workbook: Any, sheet_name: str) -> Any:
    for name in workbook.sheetnames:
        if _key(name) == _key(sheet_name):
            return workbook[name]
    found = ", ".join(f"«{name}»" for name in workbook.sheetnames)
    raise WorkbookError([f"Không có trang tính «{sheet_name}» trong tệp (tệp có: {found})."])


def _header(sheet: Any, sheet_name: str, headers: tuple[str, ...]) -> tuple[int, dict[str, int]]:
    """The header row's number and each contract column's index (1-based)."""
    keys = {_key(name): name for name in headers}
    best_number, best_cells = 0, ()
    rows = sheet.iter_rows(
        min_row=1, max_row=HEADER_SEARCH_ROWS, max_col=HEADER_SEARCH_COLUMNS, values_only=True
    )
    for number, values in enumerate(rows, start=1):
        if _header_matches(values, keys) > _header_matches(best_cells, keys):
            best_number, best_cells = number, values
    if not best_number:
        raise WorkbookError(
            [
                f"Không tìm thấy dòng tiêu đề trong {HEADER_SEARCH_ROWS} dòng đầu của trang tính "
                f"«{sheet_name}» (cần các cột {', '.join(f'«{name}»' for name in headers)})."
            ]
        )
    return best_number, _columns(best_cells, keys, headers)


def _header_matches(values: Iterable[object], keys: dict[str, str]) -> int:
    return sum(1 for value in values if isinstance(value, str) and _key(value) in keys)


def _columns(
    values: Sequence[object], keys: dict[str, str], headers: tuple[str, ...]
) -> dict[str, int]:
    columns: dict[str, int] = {}
    messages = []
    for index, value in enumerate(values, start=1):
        name = keys.get(_key(value)) if isinstance(value, str) else None
        if name is None:
            continue
        if name in columns:
            messages.append(f"Cột «{name}» xuất hiện hai lần.")
        columns.setdefault(name, index)
    messages += [f"Thiếu cột «{name}» ở dòng tiêu đề." for name in headers if name not in columns]
    if messages:
        raise WorkbookError(messages)
    return columns


def _data_rows(sheet: Any, header_row: int, columns: dict[str, int]) -> list[WorkbookRow]:
    rows: list[WorkbookRow] = []
    messages: list[str] = []
    cells_by_row = sheet.iter_rows(min_row=header_row + 1, max_col=max(columns.values()))
    for number, cells in enumerate(cells_by_row, start=header_row + 1):
        if number > EXCEL_MAX_ROWS:  # a forged row number; Excel stops here
            raise WorkbookError([DAMAGED_FILE])
        values = {
            name: _cell_value(cells[index - 1], name, number, messages)
            for name, index in columns.items()
        }
        if all(value is None for value in values.values()):
            continue
        rows.append(WorkbookRow(number, values))
        if len(rows) > MAX_DATA_ROWS:
            raise WorkbookError([TOO_MANY_ROWS])
    if messages:
        raise WorkbookError(messages)
    return rows


def _cell_value(cell: Any, name: str, number: int, messages: list[str]) -> CellValue:
    """A cell's value as the contract gives it; a formula or an error cell is reported."""
    kind = getattr(cell, "data_type", "n")
    if kind == "f":
        messages.append(f"Dòng {number}: ô «{name}» chứa công thức; hãy nhập giá trị.")
        return None
    value = cell.value
    if kind == "e":
        messages.append(f"Dòng {number}: ô «{name}» báo lỗi {value}; hãy nhập giá trị.")
        return None
    if isinstance(value, str):
        return normalise_text(value) or None
    return value
