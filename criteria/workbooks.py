"""The Excel workbook of a criteria set ("Bộ tiêu chí"), written and read with openpyxl only.

Plain functions over plain data: no ORM, no request. The contract, on the sheet «Bộ tiêu chí»:

- first a block of metadata rows, the label in column A and the value in column B
  (`METADATA_LABELS`: code, name, level, legal basis, first year, last year — blank while the set
  is in force);
- then a header row, found by name within the first 20 rows, naming the columns of `HEADERS` in
  any order (other columns are ignored);
- then one row per standard, criterion and indicator, in order.

Levels and kinds are written with their Vietnamese names (`ITEM_LEVEL_NAMES`, `SET_LEVEL_NAMES`,
`KIND_NAMES`) and read back from those names in any case, with or without diacritics, or from the
code names. A workbook written by `build_criteria_workbook` reads back to the same texts, codes and
numbers. Reading has every guard of common/excel.py: the archive's declared size before openpyxl
opens it, read-only mode, formulas and error cells refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from io import BytesIO
from typing import Any

from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from common.excel import (
    CellValue,
    ReadingBudget,
    WorkbookError,
    WorkbookRow,
    cell_value,
    read_guarded,
    set_text,
    set_value,
    sheet_named,
    stream_rows,
)
from common.numbers import show_number, trim_decimal
from common.text import fold

from .scoring import KINDS, Kind

__all__ = [
    "BASIS",
    "CODE",
    "DENOMINATOR_LABEL",
    "EXAMPLE",
    "EXAMPLE_NAMES",
    "FIRST_YEAR",
    "GROWTH_RATE",
    "GROWTH_RATE_NAMES",
    "GUIDANCE",
    "GUIDE_SHEET",
    "HEADERS",
    "ITEM_LEVEL",
    "ITEM_LEVEL_NAMES",
    "KIND",
    "KIND_NAMES",
    "LAST_YEAR",
    "LEGAL_BASIS",
    "METADATA_LABELS",
    "MIN_MET",
    "NUMERATOR_LABEL",
    "OPTIONAL_HEADERS",
    "PART",
    "RECOGNITION_LEVEL",
    "RULE",
    "RULE_NAMES",
    "SET_CODE",
    "SET_LEVEL",
    "SET_LEVEL_NAMES",
    "SET_NAME",
    "SHEET",
    "TEMPLATE",
    "TEXT",
    "THRESHOLD",
    "UNIT",
    "VALIDITY",
    "CriteriaSetSheet",
    "CriteriaWorkbook",
    "ItemRow",
    "MetadataCell",
    "SetMetadata",
    "WorkbookError",
    "WorkbookRow",
    "build_criteria_workbook",
    "match_name",
    "read_criteria_workbook",
]

SHEET = "Bộ tiêu chí"
GUIDE_SHEET = "Hướng dẫn"

SET_CODE = "Mã bộ tiêu chí"
SET_NAME = "Tên bộ tiêu chí"
SET_LEVEL = "Cấp"
LEGAL_BASIS = "Căn cứ pháp lý"
FIRST_YEAR = "Áp dụng từ năm"
LAST_YEAR = "Đến năm"
EXAMPLE = "Mẫu minh hoạ"
RULE = "Quy tắc công nhận"
MIN_MET = "Số chỉ báo phải đạt"
VALIDITY = "Thời hạn công nhận (năm)"
#: The metadata rows, in the order `build_criteria_workbook` writes them.
METADATA_LABELS = (
    SET_CODE,
    SET_NAME,
    SET_LEVEL,
    LEGAL_BASIS,
    FIRST_YEAR,
    LAST_YEAR,
    EXAMPLE,
    RULE,
    MIN_MET,
    VALIDITY,
)
#: The example row's answers (an absent row or an empty cell: not an example).
EXAMPLE_NAMES = {"yes": "Có", "no": "Không"}
#: The recognition rules a set may name (criteria/scoring.py), by their Vietnamese names; an
#: absent row or an empty cell: every standard met.
RULE_NAMES = {
    "all_standards": "Đạt mọi tiêu chuẩn",
    "min_indicators": "Đạt số chỉ báo tối thiểu",
    "levels": "Theo mức độ",
}

ITEM_LEVEL = "Cấp mục"
CODE = "Mã"
TEXT = "Nội dung"
GUIDANCE = "Hướng dẫn đánh giá"
KIND = "Kiểu đánh giá"
THRESHOLD = "Ngưỡng"
UNIT = "Đơn vị tính"
BASIS = "Đo theo"
NUMERATOR_LABEL = "Tử số là"
DENOMINATOR_LABEL = "Mẫu số là"
GROWTH_RATE = "Nhận tốc độ tăng trưởng"
RECOGNITION_LEVEL = "Mức độ"
#: Every column of the contract, in the order `build_criteria_workbook` writes them.
HEADERS = (
    ITEM_LEVEL,
    CODE,
    TEXT,
    GUIDANCE,
    KIND,
    THRESHOLD,
    UNIT,
    BASIS,
    NUMERATOR_LABEL,
    DENOMINATOR_LABEL,
    GROWTH_RATE,
    RECOGNITION_LEVEL,
)
#: Columns a workbook written before they existed does not have: read when present.
OPTIONAL_HEADERS = (BASIS, NUMERATOR_LABEL, DENOMINATOR_LABEL, GROWTH_RATE, RECOGNITION_LEVEL)
#: The growth-rate column's answers (empty: «Không»).
GROWTH_RATE_NAMES = {"yes": "Có", "no": "Không"}

STANDARD, CRITERION, INDICATOR, PART = "standard", "criterion", "indicator", "part"
ITEM_LEVEL_NAMES = {
    STANDARD: "Tiêu chuẩn",
    CRITERION: "Tiêu chí",
    INDICATOR: "Chỉ báo",
    PART: "Phần",
}
SET_LEVEL_NAMES = {"city": "Thành phố", "district": "Quận/huyện", "commune": "Xã/phường"}
#: Each kind by its Vietnamese name (criteria/scoring.py states it with the kind's other facts).
KIND_NAMES = {kind.value: facts.name for kind, facts in KINDS.items()}
#: Other spellings people use, read like the names above.
_ALIASES = {"Giảm tối thiểu": Kind.DROP_AT_LEAST.value}

HEADER_SEARCH_ROWS = 20
HEADER_SEARCH_COLUMNS = 100
MAX_ITEM_ROWS = 2_000


def too_many_rows() -> str:
    return gettext(
        "The sheet has more than %(rows)s rows; no criteria set is that long — check the file."
    ) % {"rows": show_number(MAX_ITEM_ROWS)}


_WIDTHS = {
    ITEM_LEVEL: 17,
    CODE: 9,
    TEXT: 70,
    GUIDANCE: 55,
    KIND: 24,
    THRESHOLD: 10,
    UNIT: 16,
    BASIS: 30,
    NUMERATOR_LABEL: 30,
    DENOMINATOR_LABEL: 30,
    GROWTH_RATE: 14,
    RECOGNITION_LEVEL: 9,
}
_WRAPPED = frozenset({TEXT, GUIDANCE, BASIS, NUMERATOR_LABEL, DENOMINATOR_LABEL})
_HEADER_FILL = PatternFill("solid", start_color="DDEBF7")
_STANDARD_FILL = PatternFill("solid", start_color="FCE4D6")
_CRITERION_FILL = PatternFill("solid", start_color="F2F2F2")
_LIST_ROWS = 500  # how far down the drop-down lists reach


@dataclass(frozen=True)
class SetMetadata:
    """What the metadata block says about a criteria set; `level` is a code name."""

    code: str
    name: str
    level: str
    legal_basis: str
    first_year: int | None
    last_year: int | None = None
    example: bool = False
    rule: str = "all_standards"
    #: For the rule "min_indicators": how many indicators must be met.
    min_met: int | None = None
    #: How many years a recognition lasts (None: it does not expire).
    validity_years: int | None = None


@dataclass(frozen=True)
class ItemRow:
    """One standard, criterion, indicator or part of the indicator above (its `text` the
    part's name, its `threshold` the part's); `level` and `kind` are code names."""

    level: str
    code: str
    text: str
    guidance: str = ""
    kind: str = ""
    threshold: Decimal | None = None
    unit_of_measure: str = ""
    basis: str = ""
    numerator_label: str = ""
    denominator_label: str = ""
    accepts_growth_rate: bool = False
    #: Under the rule «levels»: the level (1, 2…) whose indicators include this one.
    recognition_level: int | None = None


@dataclass(frozen=True)
class CriteriaSetSheet:
    """A whole criteria set as plain data: what is written, and what a valid workbook says."""

    metadata: SetMetadata
    items: tuple[ItemRow, ...]


@dataclass(frozen=True)
class MetadataCell:
    """A metadata value as read (text NFC-normalised, blank is None) and its row number."""

    number: int
    value: CellValue


@dataclass(frozen=True)
class CriteriaWorkbook:
    """An uploaded workbook as read, not yet checked: metadata by label, then the item rows."""

    metadata: dict[str, MetadataCell] = field(default_factory=dict)
    rows: list[WorkbookRow] = field(default_factory=list)


#: The blank template's contents: the metadata to replace and one example row of each level
#: (together a valid tiny set, so that the template itself shows what imports).
TEMPLATE = CriteriaSetSheet(
    SetMetadata(
        code="vi-du-bo-tieu-chi",
        name="Ví dụ — thay bằng tên bộ tiêu chí",
        level="district",
        legal_basis="Ví dụ — thay bằng số hiệu, ngày ban hành và cơ quan ban hành văn bản",
        first_year=2026,
        last_year=None,
    ),
    (
        ItemRow(STANDARD, "1", "Ví dụ tiêu chuẩn — thay bằng nội dung tiêu chuẩn 1"),
        ItemRow(CRITERION, "1.1", "Ví dụ tiêu chí — thay bằng nội dung tiêu chí 1.1"),
        ItemRow(
            INDICATOR,
            "1.1.1",
            "Ví dụ chỉ báo — tỷ lệ xã, phường, thị trấn có trung tâm học tập cộng đồng được đánh "
            "giá xếp loại tốt đạt từ 70% trở lên",
            "Ví dụ hướng dẫn đánh giá — số xã, phường, thị trấn có trung tâm học tập cộng đồng "
            "xếp loại tốt / tổng số xã, phường, thị trấn; minh chứng: quyết định xếp loại.",
            Kind.SHARE_AT_LEAST.value,
            Decimal(70),
            "%",
        ),
    ),
)


def match_name(value: CellValue, names: dict[str, str]) -> str | None:
    """The code name whose Vietnamese name or code name the cell holds, or None."""
    if not isinstance(value, str):
        return None
    wanted = fold(value)
    for code, name in names.items():
        if wanted in (fold(name), fold(code)):
            return code
    for alias, code in _ALIASES.items():
        if code in names and fold(alias) == wanted:
            return code
    return None


# --- Writing -----------------------------------------------------------------------------------


def build_criteria_workbook(sheet_data: CriteriaSetSheet) -> bytes:
    """The workbook of a criteria set: the metadata block, the header row, one row per item,
    and a «Hướng dẫn» sheet explaining each column."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    labels = written_labels(sheet_data.metadata)
    header_row = len(labels) + 1  # the header (bold, filled) right under the metadata
    _write_metadata(sheet, sheet_data.metadata, labels)
    _write_header(sheet, header_row)
    for number, item in enumerate(sheet_data.items, start=header_row + 1):
        _write_item(sheet, number, item)
    _add_choices(sheet, len(sheet_data.items), labels)
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=HEADERS.index(TEXT) + 1)
    _write_guide(workbook.create_sheet(GUIDE_SHEET))
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def written_labels(metadata: SetMetadata) -> tuple[str, ...]:
    """The metadata rows a set's workbook has: every label, but the validity only for a set
    that has one or recognises at levels (so that other sets' workbooks keep their rows)."""
    if metadata.validity_years is None and metadata.rule != "levels":
        return tuple(label for label in METADATA_LABELS if label != VALIDITY)
    return METADATA_LABELS


def _write_metadata(sheet: Any, metadata: SetMetadata, labels: tuple[str, ...]) -> None:
    values: dict[str, object] = {
        SET_CODE: metadata.code,
        SET_NAME: metadata.name,
        SET_LEVEL: SET_LEVEL_NAMES.get(metadata.level, metadata.level),
        LEGAL_BASIS: metadata.legal_basis,
        FIRST_YEAR: metadata.first_year,
        LAST_YEAR: metadata.last_year,
        EXAMPLE: EXAMPLE_NAMES["yes" if metadata.example else "no"],
        RULE: RULE_NAMES.get(metadata.rule, metadata.rule),
        MIN_MET: metadata.min_met,
        VALIDITY: metadata.validity_years,
    }
    for number, label in enumerate(labels, start=1):
        label_cell = sheet.cell(row=number, column=1)
        set_text(label_cell, label)
        label_cell.font = Font(bold=True)
        value_cell = sheet.cell(row=number, column=2)
        numbers = (FIRST_YEAR, LAST_YEAR, MIN_MET, VALIDITY)
        value_cell.number_format = "0" if label in numbers else "@"
        set_value(value_cell, values[label], value_cell.number_format)


def _write_header(sheet: Any, header_row: int) -> None:
    for column, name in enumerate(HEADERS, start=1):
        cell = sheet.cell(row=header_row, column=column)
        set_text(cell, name)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        dimension = sheet.column_dimensions[get_column_letter(column)]
        dimension.width = _WIDTHS[name]
        if name == CODE:
            dimension.number_format = "@"  # new rows too: a typed "1.10" stays the code 1.10


def _write_item(sheet: Any, number: int, item: ItemRow) -> None:
    values: dict[str, object] = {
        ITEM_LEVEL: ITEM_LEVEL_NAMES.get(item.level, item.level),
        CODE: item.code,
        TEXT: item.text,
        GUIDANCE: item.guidance,
        KIND: KIND_NAMES.get(item.kind, item.kind),
        THRESHOLD: trim_decimal(item.threshold) if item.threshold is not None else None,
        UNIT: item.unit_of_measure,
        BASIS: item.basis,
        NUMERATOR_LABEL: item.numerator_label,
        DENOMINATOR_LABEL: item.denominator_label,
        GROWTH_RATE: GROWTH_RATE_NAMES["yes"] if item.accepts_growth_rate else None,
        RECOGNITION_LEVEL: item.recognition_level,
    }
    fill = {STANDARD: _STANDARD_FILL, CRITERION: _CRITERION_FILL}.get(item.level)
    for column, name in enumerate(HEADERS, start=1):
        cell = sheet.cell(row=number, column=column)
        cell.alignment = Alignment(wrap_text=name in _WRAPPED, vertical="top")
        if name not in (THRESHOLD, RECOGNITION_LEVEL):
            cell.number_format = "@"  # codes stay text: "1.10" must not become the number 1.1
        if fill is not None:
            cell.fill = fill
            cell.font = Font(bold=True)
        set_value(cell, values[name], cell.number_format or "General")


def _add_choices(sheet: Any, count: int, labels: tuple[str, ...]) -> None:
    """Drop-down lists for the level, each item's level and its kind (typing stays possible)."""
    header_row = len(labels) + 1
    last = header_row + count + _LIST_ROWS
    for column_name, names in ((ITEM_LEVEL, ITEM_LEVEL_NAMES), (KIND, KIND_NAMES)):
        column = get_column_letter(HEADERS.index(column_name) + 1)
        choice = _choice(names.values())
        choice.add(f"{column}{header_row + 1}:{column}{last}")
        sheet.add_data_validation(choice)
    for label, names in (
        (SET_LEVEL, SET_LEVEL_NAMES),
        (EXAMPLE, EXAMPLE_NAMES),
        (RULE, RULE_NAMES),
    ):
        choice = _choice(names.values())
        choice.add(f"B{labels.index(label) + 1}")
        sheet.add_data_validation(choice)


def _choice(names: Any) -> DataValidation:
    return DataValidation(type="list", formula1='"' + ",".join(names) + '"', allow_blank=True)


_GUIDE = (
    ("Phần", "Cột / nhãn", "Cách điền"),
    (
        "Thông tin bộ tiêu chí",
        SET_CODE,
        "Mã ngắn, duy nhất: chữ cái không dấu, chữ số và dấu gạch ngang (ví dụ: quan-huyen-2025). "
        "Mã đã có thì không nhập được: mỗi lần ban hành là một bộ tiêu chí mới với mã mới.",
    ),
    ("Thông tin bộ tiêu chí", SET_NAME, "Tên đầy đủ của bộ tiêu chí."),
    (
        "Thông tin bộ tiêu chí",
        SET_LEVEL,
        "«Thành phố» (công nhận thành phố học tập), «Quận/huyện» (công nhận quận/huyện học "
        "tập) hoặc «Xã/phường» (xã, phường, đặc khu — Thông tư 25/2023/TT-BGDĐT). Bộ tiêu chí "
        "quận/huyện được giao cho mọi Phòng GD&ĐT quận/huyện chủ trì tự đánh giá.",
    ),
    (
        "Thông tin bộ tiêu chí",
        LEGAL_BASIS,
        "Văn bản ban hành bộ tiêu chí: số hiệu, ngày ban hành, cơ quan ban hành.",
    ),
    (
        "Thông tin bộ tiêu chí",
        FIRST_YEAR,
        "Năm đánh giá đầu tiên áp dụng bộ tiêu chí (ví dụ: 2025). Không được là năm đã khóa.",
    ),
    (
        "Thông tin bộ tiêu chí",
        LAST_YEAR,
        "Năm đánh giá cuối cùng áp dụng; để trống khi bộ tiêu chí còn hiệu lực.",
    ),
    (
        "Thông tin bộ tiêu chí",
        EXAMPLE,
        "«Có» cho bộ tiêu chí mẫu để dùng thử cổng: kết quả tính theo bộ mẫu luôn được ghi rõ là "
        "mẫu và không bao giờ được tính vào kết quả chính thức. «Không» (hoặc để trống) cho bộ "
        "tiêu chí đã ban hành.",
    ),
    (
        "Thông tin bộ tiêu chí",
        RULE,
        "Khi nào đơn vị được công nhận: «Đạt mọi tiêu chuẩn» (mọi tiêu chuẩn đều đạt; để trống "
        "cũng là quy tắc này), «Đạt số chỉ báo tối thiểu» (đạt ít nhất số chỉ báo ghi ở dòng "
        "dưới) hoặc «Theo mức độ» (Thông tư 24, 25/2023: mỗi chỉ báo ghi mức độ ở cột «Mức độ»; "
        "đạt mức độ 1 khi đạt các chỉ báo mức độ 1, đạt mức độ 2 khi đạt thêm các chỉ báo mức độ "
        "2). Kế hoạch thí điểm không quy định quy tắc: Cơ quan thường trực chọn.",
    ),
    (
        "Thông tin bộ tiêu chí",
        MIN_MET,
        "Chỉ với quy tắc «Đạt số chỉ báo tối thiểu»: số chỉ báo phải đạt, từ 1 đến số chỉ báo "
        "của bộ. Để trống với quy tắc khác.",
    ),
    (
        "Thông tin bộ tiêu chí",
        VALIDITY,
        "Số năm quyết định công nhận có hiệu lực, tính từ ngày họp quyết định (3 năm theo Thông "
        "tư 24/2023/TT-BGDĐT và 25/2023/TT-BGDĐT). Để trống: không hết hạn.",
    ),
    (
        "Danh mục",
        ITEM_LEVEL,
        "«Tiêu chuẩn», «Tiêu chí», «Chỉ báo» hoặc «Phần». Mỗi dòng là một mục, theo thứ tự: "
        "tiêu chuẩn, các tiêu chí của nó, các chỉ báo của từng tiêu chí. Mỗi tiêu chuẩn có ít "
        "nhất một tiêu chí, mỗi tiêu chí có ít nhất một chỉ báo. Một chỉ báo tỷ lệ gồm nhiều "
        "phần (ví dụ 3.1.5: chất thải rắn, nước thải) có các dòng «Phần» ngay dưới nó, ít nhất "
        "hai phần: chỉ báo đạt khi mọi phần đều đạt.",
    ),
    (
        "Danh mục",
        CODE,
        "Tiêu chuẩn: «1»; tiêu chí: «1.1»; chỉ báo: «1.1.1» — chữ số và dấu chấm, bắt đầu bằng "
        "mã của mục cha đã có ở dòng trên. Không trùng mã. Phần: «a», «b»… (chữ thường không "
        "dấu hoặc chữ số), không trùng trong một chỉ báo.",
    ),
    ("Danh mục", TEXT, "Nội dung của tiêu chuẩn, tiêu chí hoặc chỉ báo (bắt buộc)."),
    (
        "Danh mục",
        GUIDANCE,
        "Chỉ với chỉ báo: hướng dẫn đánh giá, minh chứng cần có. Để trống ở dòng tiêu chuẩn, "
        "tiêu chí.",
    ),
    (
        "Danh mục",
        KIND,
        "Chỉ với chỉ báo, một trong: «Có văn bản» — có văn bản, kế hoạch (không có ngưỡng); "
        "«Có thực hiện» — có tổ chức hoạt động, sự kiện (không có ngưỡng); "
        "«Tỷ lệ tối thiểu» — tỷ lệ đạt từ ngưỡng trở lên; «Tỷ lệ dưới ngưỡng» — tỷ lệ thấp hơn "
        "ngưỡng; «Giảm tối thiểu (điểm %)» — giảm so với năm trước ít nhất bằng ngưỡng, tính "
        "bằng điểm %; «Tăng so với năm trước» — cao hơn năm trước (không có ngưỡng).",
    ),
    (
        "Danh mục",
        THRESHOLD,
        "Chỉ với tỷ lệ, mức giảm và từng phần: số từ 0 đến 100, tính bằng % (mức giảm: điểm "
        "%), tối đa 4 chữ số thập phân; viết 70 cho 70 %, 0,05 hoặc 0.05 cho 0,05 %. Không "
        "định dạng ô theo kiểu phần trăm của Excel. Để trống với «Có văn bản», «Có thực hiện» "
        "và «Tăng so với năm trước».",
    ),
    (
        "Danh mục",
        UNIT,
        "Chỉ với chỉ báo, khi cần: đơn vị của số liệu (ví dụ: lượt, tỷ đồng). Có thể để trống.",
    ),
    (
        "Danh mục",
        BASIS,
        "Chỉ với chỉ báo, khi chuẩn đo thay đổi theo thời gian (ví dụ: chuẩn nghèo đa chiều giai "
        "đoạn 2022–2025; giá so sánh năm 2010): số liệu năm trước chỉ được so sánh khi đo theo "
        "cùng chuẩn. Có thể để trống.",
    ),
    (
        "Danh mục",
        NUMERATOR_LABEL,
        "Chỉ với tỷ lệ: tử số đếm gì (ví dụ: Số học sinh bị bắt nạt…), để biểu mẫu nhập ghi rõ. "
        "Có thể để trống.",
    ),
    (
        "Danh mục",
        DENOMINATOR_LABEL,
        "Chỉ với tỷ lệ: mẫu số đếm gì (ví dụ: Tổng số học sinh). Có thể để trống.",
    ),
    (
        "Danh mục",
        GROWTH_RATE,
        "Chỉ với «Tăng so với năm trước»: «Có» khi được nhập tốc độ tăng trưởng đã công bố (%) "
        "thay cho hai giá trị (ví dụ GRDP); để trống là «Không».",
    ),
    (
        "Danh mục",
        RECOGNITION_LEVEL,
        "Chỉ với chỉ báo, khi quy tắc là «Theo mức độ»: mức độ mà chỉ báo thuộc về (1, 2…); mọi "
        "chỉ báo đều ghi mức độ, và phải có mức độ 1. Để trống với quy tắc khác.",
    ),
    (
        "Lưu ý",
        "Nhập tệp",
        "Mọi dòng được kiểm tra trước; chỉ một dòng sai là cả tệp không được nhập, và mỗi lỗi "
        "ghi rõ số dòng. Không dùng công thức. Các cột khác và trang tính khác được bỏ qua.",
    ),
    (
        "Lưu ý",
        "Sau khi nhập",
        "Bộ tiêu chí không sửa trực tiếp khi đã có năm đánh giá áp dụng nó bị khóa; muốn thay "
        "đổi, hãy nhập một bộ tiêu chí mới với mã mới và năm áp dụng mới.",
    ),
)


def _write_guide(sheet: Any) -> None:
    title = sheet.cell(row=1, column=1)
    set_text(title, "Hướng dẫn điền mẫu bộ tiêu chí (trang tính «Bộ tiêu chí»)")
    title.font = Font(bold=True, size=13)
    for number, line in enumerate(_GUIDE, start=3):
        for column, text in enumerate(line, start=1):
            cell = sheet.cell(row=number, column=column)
            set_text(cell, text)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if number == 3:
                cell.font = Font(bold=True)
                cell.fill = _HEADER_FILL
    for column, width in zip("ABC", (22, 22, 100), strict=True):
        sheet.column_dimensions[column].width = width


# --- Reading -----------------------------------------------------------------------------------


def read_criteria_workbook(data: bytes) -> CriteriaWorkbook:
    """The metadata and item rows of an uploaded workbook; raises WorkbookError and nothing else.

    Nothing is judged here but the file itself (readable, the sheet, the header row, no formula);
    what the cells say is checked by criteria.importing.criteria_set_plan.
    """
    return read_guarded(data, _read)


def _read(workbook: Any, budget: ReadingBudget) -> CriteriaWorkbook:
    sheet = sheet_named(workbook, SHEET)
    sheet.reset_dimensions()  # the stored dimension may be wrong; read every row there is
    messages: list[str] = []
    top = list(
        sheet.iter_rows(min_row=1, max_row=HEADER_SEARCH_ROWS, max_col=HEADER_SEARCH_COLUMNS)
    )
    header_row, columns = _header(top)
    metadata = _metadata(top[: header_row - 1], messages)
    rows = _item_rows(sheet, header_row, columns, messages, budget)
    if messages:
        raise WorkbookError(messages)
    return CriteriaWorkbook(metadata, rows)


_HEADER_KEYS = {fold(name): name for name in HEADERS}
_METADATA_KEYS = {fold(label): label for label in METADATA_LABELS}


def _header(top: list[tuple[Any, ...]]) -> tuple[int, dict[str, int]]:
    """The header row's number and each contract column's index (1-based)."""
    best_number, best_count = 0, 0
    for number, cells in enumerate(top, start=1):
        count = sum(1 for cell in cells if _header_name(cell.value))
        if count > best_count:
            best_number, best_count = number, count
    if not best_number:
        wanted = ", ".join(f"«{name}»" for name in HEADERS)
        raise WorkbookError(
            [
                gettext(
                    "No header row in the first %(rows)s rows of the sheet «%(sheet)s» (it needs "
                    "the columns %(columns)s)."
                )
                % {"rows": HEADER_SEARCH_ROWS, "sheet": SHEET, "columns": wanted}
            ]
        )
    columns: dict[str, int] = {}
    messages = []
    for index, cell in enumerate(top[best_number - 1], start=1):
        name = _header_name(cell.value)
        if name in columns:
            messages.append(
                gettext("The column «%(name)s» appears twice in the header row.") % {"name": name}
            )
        elif name:
            columns[name] = index
    messages += [
        gettext("The header row lacks the column «%(name)s».") % {"name": name}
        for name in HEADERS
        if name not in columns and name not in OPTIONAL_HEADERS
    ]
    if messages:
        raise WorkbookError(messages)
    return best_number, columns


def _header_name(value: object) -> str | None:
    return _HEADER_KEYS.get(fold(value)) if isinstance(value, str) else None


def _metadata(rows: list[tuple[Any, ...]], messages: list[str]) -> dict[str, MetadataCell]:
    """Label in column A, value in column B; rows with another label (a title) are ignored."""
    found: dict[str, MetadataCell] = {}
    for number, cells in enumerate(rows, start=1):
        if len(cells) < 2 or not isinstance(cells[0].value, str):
            continue
        label = _METADATA_KEYS.get(fold(cells[0].value.rstrip().removesuffix(":")))
        if label is None:
            continue
        if label in found:
            first = found[label].number
            messages.append(
                gettext("Row %(row)s: the label «%(label)s» is already on row %(first)s.")
                % {"row": number, "label": label, "first": first}
            )
            continue
        found[label] = MetadataCell(number, cell_value(cells[1], label, number, messages))
    return found


def _item_rows(
    sheet: Any,
    header_row: int,
    columns: dict[str, int],
    messages: list[str],
    budget: ReadingBudget,
) -> list[WorkbookRow]:
    rows: list[WorkbookRow] = []
    for number, cells in stream_rows(sheet, header_row + 1, max(columns.values()), budget):
        values = {}
        for name, index in columns.items():
            cell = cells[index - 1] if index <= len(cells) else None
            values[name] = _item_cell(cell, name, number, messages)
        if all(value is None for value in values.values()):
            continue
        rows.append(WorkbookRow(number, values))
        if len(rows) > MAX_ITEM_ROWS:
            raise WorkbookError([too_many_rows()])
    return rows


def _item_cell(cell: Any, name: str, number: int, messages: list[str]) -> CellValue:
    if cell is None:
        return None
    value = cell_value(cell, name, number, messages)
    is_number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if name == THRESHOLD and is_number and "%" in (getattr(cell, "number_format", "") or ""):
        # Excel keeps 70 % as 0.7: reading it as a threshold of 0,7 % would be silently wrong.
        messages.append(
            gettext(
                "Row %(row)s: the cell «%(column)s» has Excel's percentage format; remove that "
                "format and write the percentage (70 for 70 %%)."
            )
            % {"row": number, "column": THRESHOLD}
        )
        return None
    return value
