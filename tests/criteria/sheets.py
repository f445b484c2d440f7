"""Criteria set workbooks for the tests, built in memory."""

import unicodedata
from decimal import Decimal
from io import BytesIO

from openpyxl import Workbook, load_workbook

from criteria.workbooks import (
    CRITERION,
    HEADERS,
    INDICATOR,
    SHEET,
    STANDARD,
    CriteriaSetSheet,
    ItemRow,
    SetMetadata,
    build_criteria_workbook,
)

#: Text with Vietnamese diacritics, a line break, and a leading "=" that must stay text.
TRICKY_TEXT = "Tỷ lệ người dân được tiếp cận học liệu số\n(tính cả xã đảo Bạch Long Vĩ)"
TRICKY_GUIDANCE = "=Báo cáo của UBND quận/huyện; “Đơn vị học tập” — xếp loại Khá trở lên"


def metadata(**fields: object) -> SetMetadata:
    base = {
        "code": "quan-huyen-2025",
        "name": "Bộ tiêu chí công nhận quận/huyện học tập (thử nghiệm)",
        "level": "district",
        "legal_basis": "Thông tư 25/2023/TT-BGDĐT",
        "first_year": 2025,
        "last_year": None,
    }
    return SetMetadata(**{**base, **fields})


def sample_sheet(**fields: object) -> CriteriaSetSheet:
    """Two standards, three criteria, one indicator of each kind."""
    items = (
        ItemRow(STANDARD, "1", "Điều kiện cơ bản"),
        ItemRow(CRITERION, "1.1", "Lãnh đạo, chỉ đạo"),
        ItemRow(
            INDICATOR, "1.1.1", "Có kế hoạch xây dựng quận/huyện học tập", "Kế hoạch", "document"
        ),
        ItemRow(
            INDICATOR, "1.1.2", TRICKY_TEXT, TRICKY_GUIDANCE, "share_at_least", Decimal(70), "%"
        ),
        ItemRow(STANDARD, "2", "Kết quả và tác động"),
        ItemRow(CRITERION, "2.1", "Kết quả"),
        ItemRow(INDICATOR, "2.1.1", "Bắt nạt học đường", "", "rate_below", Decimal("0.05"), "%"),
        ItemRow(INDICATOR, "2.1.2", "Hộ nghèo giảm", "", "drop_at_least", Decimal("1.5"), "điểm %"),
        ItemRow(CRITERION, "2.2", "Tác động"),
        ItemRow(INDICATOR, "2.2.1", "Lượt bạn đọc tăng", "", "increase", None, "lượt"),
    )
    return CriteriaSetSheet(metadata(**fields), items)


def sample_bytes(**fields: object) -> bytes:
    return build_criteria_workbook(sample_sheet(**fields))


def edited(data: bytes, change) -> bytes:
    """The workbook after change(sheet) edits its «Bộ tiêu chí» sheet with openpyxl."""
    workbook = load_workbook(BytesIO(data))
    change(workbook[SHEET])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def set_cell(code: str, column: str, value: object):
    """A change: in the item row of `code`, set the cell of `column` (a header name)."""

    def change(sheet) -> None:
        index = HEADERS.index(column) + 1
        for row in sheet.iter_rows():
            if row[1].value == code:
                row[index - 1].value = value
                return
        raise AssertionError(f"no row {code}")

    return change


def set_metadata(label: str, value: object):
    """A change: the metadata row labelled `label` gets `value` in column B."""

    def change(sheet) -> None:
        for row in sheet.iter_rows(max_col=2):
            if row[0].value == label:
                row[1].value = value
                return
        raise AssertionError(f"no label {label}")

    return change


def raw_sheet(rows: list[list[object]], title: str = SHEET) -> bytes:
    """A workbook whose sheet holds exactly these rows, from row 1."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def decomposed(text: str) -> str:
    return unicodedata.normalize("NFD", text)
