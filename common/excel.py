"""Guarded reading and writing of Excel workbooks (openpyxl), shared by every workbook contract.

Uploaded files are hostile until read, and a small file can be costly to read (a 120 KB workbook
can hold millions of one-letter strings or empty rows). `read_guarded` bounds the work before
openpyxl parses anything — `check_package` inflates every part of the archive as a stream,
counting its bytes and XML elements up to the limits below — then opens the workbook in read-only
mode (defusedxml parses it; formulas stay formulas), streams the rows of a sheet through
`stream_rows`, which refuses a row beyond `MAX_SHEET_ROWS` and stops at the `ReadingBudget`'s
deadline (checked in the loop: no signals, workers may be threads), and turns every failure into a
`WorkbookError` with Vietnamese messages. `read_table` reads the rows under a header row found by
name; `cell_value` refuses formulas and error cells. Writing keeps people's text as
text (`set_text`) and every figure exact (`set_number`).

The contracts themselves live with their data: the values workbook in measurements/workbooks.py,
the criteria-set workbook in criteria/workbooks.py, the agency list in measurements/lists.py.
"""

from __future__ import annotations

import unicodedata
import warnings
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from time import monotonic
from typing import Any, TypeVar

from django.utils.translation import gettext
from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment

from .numbers import format_decimal, show_number
from .text import fold, normalise_text

__all__ = [
    "MAX_DATA_ROWS",
    "MAX_UNCOMPRESSED_BYTES",
    "CellValue",
    "ReadingBudget",
    "WorkbookError",
    "WorkbookRow",
    "cell_value",
    "check_package",
    "damaged_file",
    "invalid_file",
    "read_guarded",
    "read_table",
    "set_number",
    "set_text",
    "set_value",
    "sheet_named",
    "stream_rows",
    "too_large",
]

#: Limits against hostile or runaway files, each a few times what the largest genuine workbook
#: needs: the values workbook of 5 000 rows the portal writes is 5,6 MB unpacked, 135 000 XML
#: elements and 115 of them in its styles, and reads in 0,7 s (docs/performance.md).
MAX_UNCOMPRESSED_BYTES = 16 * 1024 * 1024
MAX_ARCHIVE_MEMBERS = 1_000
#: Start tags in the whole package: every row, cell and shared string is at least one.
MAX_XML_ELEMENTS = 200_000
#: Start tags in the styles part, which openpyxl turns into objects as it opens the workbook.
STYLES_PART = "xl/styles.xml"
MAX_STYLE_ELEMENTS = 20_000
MAX_DATA_ROWS = 5_000
#: Row numbers a sheet may use: rows beyond are refused, not walked (openpyxl yields every row
#: number up to the last one it finds).
MAX_SHEET_ROWS = 10_000
#: Wall-clock seconds one workbook may take to read: the largest genuine one reads in 0,7 s on
#: the reference machine and in 2,1 s on a slower one (a 2 GHz core; docs/performance.md).
READ_SECONDS = 5
HEADER_SEARCH_ROWS = 10
HEADER_SEARCH_COLUMNS = 200
_CHUNK_BYTES = 1024 * 1024
#: Excel keeps 15 significant digits of a number; longer figures travel as text.
EXCEL_DIGITS = 15

_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # .xls and password-protected workbooks

# What a refused workbook is told, in the active language (functions, so that the language is
# the reader's when the refusal is made, not the one active when the module was imported).


def invalid_file() -> str:
    return gettext("The file is not a valid Excel .xlsx file.")


def damaged_file() -> str:
    return gettext(
        "The Excel file is damaged or was not uploaded completely; save it again and upload it "
        "once more."
    )


def old_format() -> str:
    return gettext(
        "The file is in the old Excel format (.xls) or has a password; save it as .xlsx without "
        "a password."
    )


def too_large() -> str:
    return gettext(
        "The file is too large: unpacked, it exceeds %(megabytes)s MB; split it into several files."
    ) % {"megabytes": show_number(MAX_UNCOMPRESSED_BYTES // (1024 * 1024))}


def too_many_rows() -> str:
    return gettext(
        "The file has more than %(rows)s rows of figures; split it into several files."
    ) % {"rows": show_number(MAX_DATA_ROWS)}


def too_many_elements() -> str:
    return gettext(
        "The file has too many cells, rows and texts (more than %(elements)s elements) for a file "
        "of figures; copy the rows to import into a new file and upload that."
    ) % {"elements": show_number(MAX_XML_ELEMENTS)}


def too_many_styles() -> str:
    return gettext(
        "The file has too many cell formats (more than %(elements)s format elements); copy the "
        "rows to import into a new file (pasting values only) and upload that."
    ) % {"elements": show_number(MAX_STYLE_ELEMENTS)}


def too_slow() -> str:
    return gettext(
        "Reading the file took more than %(seconds)s seconds, so it was stopped; split it into "
        "smaller files."
    ) % {"seconds": show_number(Decimal(str(READ_SECONDS)))}


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


class ReadingBudget:
    """The wall-clock time one workbook may take to read, checked by the reading loops."""

    def __init__(self, seconds: float | None = None) -> None:
        self.deadline = monotonic() + (READ_SECONDS if seconds is None else seconds)

    def check(self) -> None:
        if monotonic() > self.deadline:
            raise WorkbookError([too_slow()])


def read_guarded(data: bytes, read: Callable[[Any, ReadingBudget], T]) -> T:
    """`read(workbook, budget)` on an uploaded workbook opened with every guard; raises
    WorkbookError and nothing else (a damaged file fails inside zipfile, zlib, XML or openpyxl)."""
    budget = ReadingBudget()
    try:
        check_package(data, budget)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions it skips
            workbook = load_workbook(
                BytesIO(data), read_only=True, data_only=False, keep_links=False
            )
            try:
                budget.check()
                return read(workbook, budget)
            finally:
                workbook.close()
    except WorkbookError:
        raise
    except Exception as error:
        raise WorkbookError(
            [damaged_file() if _looks_like_zip(data) else invalid_file()]
        ) from error


def read_table(
    data: bytes,
    sheet_name: str,
    headers: Sequence[str],
    optional: Sequence[str] = (),
) -> list[WorkbookRow]:
    """The rows under a header row (found by name in the first rows) of one sheet of an uploaded
    workbook, with every guard of this module; raises WorkbookError and nothing else. The
    `optional` columns are read when the header row has them (a row's value is None otherwise)."""

    def read(workbook: Any, budget: ReadingBudget) -> list[WorkbookRow]:
        sheet = sheet_named(workbook, sheet_name)
        sheet.reset_dimensions()  # the stored dimension may be wrong; read every row there is
        header_row, columns = _header(sheet, sheet_name, tuple(headers), tuple(optional))
        return _data_rows(sheet, header_row, columns, budget)

    return read_guarded(data, read)


def read_workbook_file(path: Path) -> bytes:
    """A workbook file's bytes, for a management command; WorkbookError when it is too large to
    read or cannot be read at all."""
    try:
        if path.stat().st_size > MAX_UNCOMPRESSED_BYTES:
            raise WorkbookError([too_large()])
        return path.read_bytes()
    except OSError as error:
        raise WorkbookError(
            [
                gettext("Cannot read the file %(path)s: %(reason)s.")
                % {"path": path, "reason": error.strerror or error}
            ]
        ) from error


def _looks_like_zip(data: object) -> bool:
    return isinstance(data, (bytes, bytearray)) and data[:2] == b"PK"


def check_package(data: bytes, budget: ReadingBudget) -> None:
    """Refuse, before anything parses it, what is not a zip and a package that would cost more
    to read than any genuine workbook: the members' declared sizes first, then every member
    inflated as a stream (never more than the limit in all), counting its bytes and start tags."""
    if not isinstance(data, (bytes, bytearray)):
        raise WorkbookError([invalid_file()])
    if data[:4] == _OLE_MAGIC:
        raise WorkbookError([old_format()])
    if not _looks_like_zip(data):
        raise WorkbookError([invalid_file()])
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, EOFError, OSError, ValueError) as error:
        raise WorkbookError([damaged_file()]) from error
    if len(members) > MAX_ARCHIVE_MEMBERS:
        raise WorkbookError([invalid_file()])
    if sum(member.file_size for member in members) > MAX_UNCOMPRESSED_BYTES:
        raise WorkbookError([too_large()])
    with zipfile.ZipFile(BytesIO(data)) as archive:
        inflated = elements = 0
        for member in members:
            part_elements = 0
            with archive.open(member) as stream:
                pending = b""
                while chunk := stream.read(_CHUNK_BYTES):
                    inflated += len(chunk)
                    if inflated > MAX_UNCOMPRESSED_BYTES:
                        raise WorkbookError([too_large()])
                    read = pending + chunk
                    part_elements += _start_tags(read)
                    pending = read[-1:]
                    if member.filename == STYLES_PART and part_elements > MAX_STYLE_ELEMENTS:
                        raise WorkbookError([too_many_styles()])
                    if elements + part_elements > MAX_XML_ELEMENTS:
                        raise WorkbookError([too_many_elements()])
                    budget.check()
            elements += part_elements


def _start_tags(read: bytes) -> int:
    """The start tags (and empty-element tags) that begin in `read` before its last byte: every
    "<" but those of end tags, declarations and comments ("<" is escaped in text). The last byte
    is carried into the next read, where the byte after it is known. Every part is counted,
    whatever its name: a part named like an image can be referenced as a sheet, and stray "<" in
    a genuine image are few."""
    return (
        read.count(b"<", 0, len(read) - 1)
        - read.count(b"</")
        - read.count(b"<?")
        - read.count(b"<!")
    )


def sheet_named(workbook: Any, sheet_name: str) -> Any:
    """The sheet of that name (any case, with or without diacritics), or a WorkbookError."""
    for name in workbook.sheetnames:
        if fold(name) == fold(sheet_name):
            return workbook[name]
    found = ", ".join(f"«{name}»" for name in workbook.sheetnames)
    raise WorkbookError(
        [
            gettext("The file has no sheet «%(sheet)s» (it has: %(found)s).")
            % {"sheet": sheet_name, "found": found}
        ]
    )


def _header(
    sheet: Any, sheet_name: str, headers: tuple[str, ...], optional: tuple[str, ...] = ()
) -> tuple[int, dict[str, int]]:
    """The header row's number and each contract column's index (1-based)."""
    keys = {fold(name): name for name in (*headers, *optional)}
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
                gettext(
                    "No header row in the first %(rows)s rows of the sheet «%(sheet)s» (it needs "
                    "the columns %(columns)s)."
                )
                % {
                    "rows": HEADER_SEARCH_ROWS,
                    "sheet": sheet_name,
                    "columns": ", ".join(f"«{name}»" for name in headers),
                }
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
            messages.append(gettext("The column «%(name)s» appears twice.") % {"name": name})
        columns.setdefault(name, index)
    messages += [
        gettext("The header row lacks the column «%(name)s».") % {"name": name}
        for name in headers
        if name not in columns
    ]
    if messages:
        raise WorkbookError(messages)
    return columns


def stream_rows(
    sheet: Any, first_row: int, max_col: int, budget: ReadingBudget
) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """Each row's number and cells from `first_row` on, within the sheet's row limit and the
    budget's time."""
    cells_by_row = sheet.iter_rows(min_row=first_row, max_col=max_col)
    for number, cells in enumerate(cells_by_row, start=first_row):
        if number > MAX_SHEET_ROWS:
            raise WorkbookError(
                [
                    gettext(
                        "The sheet «%(sheet)s» uses row %(row)s and beyond; a file may use "
                        "only its first %(rows)s rows. Delete the extra rows at the end of the "
                        "sheet and save it again."
                    )
                    % {
                        "sheet": sheet.title,
                        "row": show_number(number),
                        "rows": show_number(MAX_SHEET_ROWS),
                    }
                ]
            )
        budget.check()
        yield number, cells


def _data_rows(
    sheet: Any, header_row: int, columns: dict[str, int], budget: ReadingBudget
) -> list[WorkbookRow]:
    rows: list[WorkbookRow] = []
    messages: list[str] = []
    for number, cells in stream_rows(sheet, header_row + 1, max(columns.values()), budget):
        values = {
            name: cell_value(cells[index - 1], name, number, messages)
            for name, index in columns.items()
        }
        if all(value is None for value in values.values()):
            continue
        rows.append(WorkbookRow(number, values))
        if len(rows) > MAX_DATA_ROWS:
            raise WorkbookError([too_many_rows()])
    if messages:
        raise WorkbookError(messages)
    return rows


def cell_value(cell: Any, name: str, number: int, messages: list[str]) -> CellValue:
    """A cell's value as the contract gives it; a formula or an error cell is reported."""
    kind = getattr(cell, "data_type", "n")
    if kind == "f":
        messages.append(
            gettext("Row %(row)s: the cell «%(name)s» holds a formula; enter a value.")
            % {"row": number, "name": name}
        )
        return None
    value = cell.value
    if kind == "e":
        messages.append(
            gettext("Row %(row)s: the cell «%(name)s» shows the error %(error)s; enter a value.")
            % {"row": number, "name": name, "error": value}
        )
        return None
    if isinstance(value, str):
        return normalise_text(value) or None
    return value
