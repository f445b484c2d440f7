"""Guarded reading and writing of Excel workbooks (openpyxl), shared by every workbook contract.

Uploaded files are hostile until read: `read_guarded` checks the archive's declared size before
openpyxl opens it, opens it in read-only mode with formulas kept as formulas, and turns every
failure into a `WorkbookError` with Vietnamese messages. `read_table` reads the rows under a header
row found by name; `cell_value` refuses formulas and error cells. Writing keeps people's text as
text (`set_text`) and every figure exact (`set_number`).

The contracts themselves live with their data: the values workbook in measurements/workbooks.py,
the criteria-set workbook in criteria/workbooks.py, the agency list in measurements/lists.py.
"""

from __future__ import annotations

import unicodedata
import warnings
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from io import BytesIO
from typing import Any, TypeVar

from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment

from .numbers import format_decimal
from .text import fold, normalise_text

__all__ = [
    "DAMAGED_FILE",
    "EXCEL_MAX_ROWS",
    "INVALID_FILE",
    "MAX_DATA_ROWS",
    "MAX_UNCOMPRESSED_BYTES",
    "TOO_LARGE",
    "CellValue",
    "WorkbookError",
    "WorkbookRow",
    "cell_value",
    "read_guarded",
    "read_table",
    "set_number",
    "set_text",
    "set_value",
    "sheet_named",
]

#: Limits against hostile or runaway files.
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_ARCHIVE_MEMBERS = 1_000
MAX_DATA_ROWS = 5_000
HEADER_SEARCH_ROWS = 10
HEADER_SEARCH_COLUMNS = 200
EXCEL_MAX_ROWS = 1_048_576
#: Excel keeps 15 significant digits of a number; longer figures travel as text.
EXCEL_DIGITS = 15

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
T = TypeVar("T")


class WorkbookError(Exception):
    """A workbook that cannot be read; `messages` are Vietnamese and can be shown as they are."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("\n".join(messages))
        self.messages = messages


@dataclass(frozen=True)
class WorkbookRow:
    """A data row as read: its spreadsheet row number and its cells by header name.

    Text is stripped and NFC-normalised, and an empty text is None, so a blank cell is always None.
    """

    number: int
    cells: dict[str, CellValue] = field(default_factory=dict)

    def get(self, name: str) -> CellValue:
        return self.cells.get(name)


# --- Writing -----------------------------------------------------------------------------------


def set_text(cell: Any, text: str) -> None:
    """Text stays text: openpyxl would turn "=…" into a formula and "#N/A" into an error, and a
    spreadsheet opening a formula written from what someone typed would run it. Every workbook the
    portal writes puts people's text through here (or `set_value`)."""
    cell.value = ILLEGAL_CHARACTERS_RE.sub("", unicodedata.normalize("NFC", text))
    cell.data_type = "s"


def set_number(cell: Any, number: Decimal, number_format: str) -> None:
    """An Excel number when Excel keeps it exactly, else Vietnamese text the parser reads back."""
    if _significant_digits(number) > EXCEL_DIGITS:
        set_text(cell, format_decimal(number))
        cell.alignment = Alignment(horizontal="right", vertical="top")
        return
    cell.value = int(number) if number == number.to_integral_value() else float(number)
    cell.number_format = number_format


def set_value(cell: Any, value: object, number_format: str = "General") -> None:
    """Text as text, a whole or decimal number exactly, nothing for None or ""."""
    if value is None or value == "":
        return
    if isinstance(value, str):
        set_text(cell, value)
    elif isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        set_number(cell, Decimal(value), number_format)
    else:
        raise TypeError(f"Cannot write {type(value).__name__} to the workbook.")


def _significant_digits(number: Decimal) -> int:
    digits = number.as_tuple().digits
    text = "".join(str(digit) for digit in digits).strip("0")
    return len(text)


# --- Reading -----------------------------------------------------------------------------------


def read_guarded(data: bytes, read: Callable[[Any], T]) -> T:
    """`read(workbook)` on an uploaded workbook opened with every guard; raises WorkbookError and
    nothing else (a damaged file fails inside zipfile, zlib, XML or openpyxl)."""
    try:
        check_archive(data)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions it skips
            workbook = load_workbook(
                BytesIO(data), read_only=True, data_only=False, keep_links=False
            )
            try:
                return read(workbook)
            finally:
                workbook.close()
    except WorkbookError:
        raise
    except Exception as error:
        raise WorkbookError([DAMAGED_FILE if _looks_like_zip(data) else INVALID_FILE]) from error


def read_table(
    data: bytes,
    sheet_name: str,
    headers: Sequence[str],
) -> list[WorkbookRow]:
    """The rows under a header row (found by name in the first rows) of one sheet of an uploaded
    workbook, with every guard of this module; raises WorkbookError and nothing else."""

    def read(workbook: Any) -> list[WorkbookRow]:
        sheet = sheet_named(workbook, sheet_name)
        sheet.reset_dimensions()  # the stored dimension may be wrong; read every row there is
        header_row, columns = _header(sheet, sheet_name, tuple(headers))
        return _data_rows(sheet, header_row, columns)

    return read_guarded(data, read)


def _looks_like_zip(data: object) -> bool:
    return isinstance(data, (bytes, bytearray)) and data[:2] == b"PK"


def check_archive(data: bytes) -> None:
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


def sheet_named(workbook: Any, sheet_name: str) -> Any:
    """The sheet of that name (any case, with or without diacritics), or a WorkbookError."""
    for name in workbook.sheetnames:
        if fold(name) == fold(sheet_name):
            return workbook[name]
    found = ", ".join(f"«{name}»" for name in workbook.sheetnames)
    raise WorkbookError([f"Không có trang tính «{sheet_name}» trong tệp (tệp có: {found})."])


def _header(sheet: Any, sheet_name: str, headers: tuple[str, ...]) -> tuple[int, dict[str, int]]:
    """The header row's number and each contract column's index (1-based)."""
    keys = {fold(name): name for name in headers}
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
    return sum(1 for value in values if isinstance(value, str) and fold(value) in keys)


def _columns(
    values: Sequence[object], keys: dict[str, str], headers: tuple[str, ...]
) -> dict[str, int]:
    columns: dict[str, int] = {}
    messages = []
    for index, value in enumerate(values, start=1):
        name = keys.get(fold(value)) if isinstance(value, str) else None
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
            name: cell_value(cells[index - 1], name, number, messages)
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


def cell_value(cell: Any, name: str, number: int, messages: list[str]) -> CellValue:
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
