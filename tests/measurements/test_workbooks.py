"""The workbook module on workbooks built in memory: no database."""

import re
import unicodedata
import zipfile
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import Workbook, load_workbook

from common import excel
from common.excel import WorkbookError
from common.numbers import parse_count, parse_decimal
from measurements.workbooks import HEADERS, ExportRow, build_workbook, read_workbook

NOTE = "Số liệu của Sở Nội vụ, cập nhật 15/12"


def export_row(code: str = "1.1.2", **fields: object) -> ExportRow:
    base = {
        "unit_code": "HP",
        "unit_name": "Thành phố Hải Phòng",
        "year": 2022,
        "indicator_code": code,
        "text": f"Nội dung chỉ báo {code}",
        "requirement": "Tối thiểu 70 %",
    }
    return ExportRow(**{**base, **fields})


def sheet_bytes(rows: list[list[object]], title: str = "Số liệu") -> bytes:
    """A workbook whose sheet holds exactly these rows, from row 1."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def line(**cells: object) -> list[object]:
    """A data line in HEADERS order, from cells named by header."""
    return [cells.get(name) for name in HEADERS]


def refusal(data: bytes) -> list[str]:
    with pytest.raises(WorkbookError) as error:
        read_workbook(data)
    return error.value.messages


def test_build_then_read_gives_every_cell_back():
    row = export_row(numerator=277000, denominator=300000, estimate=True, note=NOTE)

    [read] = read_workbook(build_workbook([row]))

    assert read.number == 3
    assert read.cells == {
        "Mã đơn vị": "HP",
        "Năm": 2022,
        "Mã chỉ báo": "1.1.2",
        "Mã phần": None,
        "Nội dung": "Nội dung chỉ báo 1.1.2",
        "Yêu cầu": "Tối thiểu 70 %",
        "Có/Không": None,
        "Tử số": 277000,
        "Mẫu số": 300000,
        "Giá trị": None,
        "Giá trị năm trước": None,
        "Nguồn số liệu năm trước": None,
        "Tốc độ tăng trưởng (%)": None,
        "Ước tính": "Có",
        "Ghi chú": NOTE,
    }


@pytest.mark.parametrize(
    "value", ["1.5", "0.05", "3.3", "0.000001", "70", "12345.678", "999999999999.999", "-1.8"]
)
def test_decimals_of_up_to_15_digits_are_excel_numbers_that_read_back_exactly(value):
    data = build_workbook([export_row("2.1.2", value=Decimal(value))])

    [read] = read_workbook(data)

    assert isinstance(read.get("Giá trị"), (int, float))
    assert parse_decimal(read.get("Giá trị")) == Decimal(value)


def test_longer_decimal_is_written_as_text_that_reads_back_exactly():
    value = Decimal("123456789012.123456")

    [read] = read_workbook(build_workbook([export_row("2.1.2", value=value)]))

    assert read.get("Giá trị") == "123.456.789.012,123456"
    assert parse_decimal(read.get("Giá trị")) == value


def test_count_beyond_excel_precision_is_written_as_text_that_reads_back_exactly():
    count = 1234567890123456789

    [read] = read_workbook(build_workbook([export_row(denominator=count)]))

    assert parse_count(read.get("Mẫu số")) == count


@pytest.mark.parametrize(("yes", "written"), [(True, "Có"), (False, "Không"), (None, None)])
def test_yes_no_is_written_as_co_or_khong_and_blank_when_unknown(yes, written):
    [read] = read_workbook(build_workbook([export_row("1.1.1", yes=yes)]))

    assert read.get("Có/Không") == written


@pytest.mark.parametrize("note", ["=1+1", "#N/A", "+84 225 3842 xxx"])
def test_text_that_looks_like_a_formula_stays_text(note):
    [read] = read_workbook(build_workbook([export_row(note=note)]))

    assert read.get("Ghi chú") == note


def test_text_is_written_in_nfc():
    decomposed = unicodedata.normalize("NFD", NOTE)

    sheet = load_workbook(BytesIO(build_workbook([export_row(note=decomposed)])))["Số liệu"]

    assert sheet.cell(row=3, column=HEADERS.index("Ghi chú") + 1).value == NOTE


def test_workbook_is_tidy_bold_header_frozen_panes_wrapped_content():
    data = build_workbook([export_row()])

    sheet = load_workbook(BytesIO(data))["Số liệu"]

    assert sheet["A1"].value == "Số liệu chỉ báo — Thành phố Hải Phòng — năm 2022"
    assert all(cell.font.b for cell in sheet[2])
    assert sheet.freeze_panes == "E3"  # the codes (unit, year, indicator, part) stay in view
    assert sheet["E3"].alignment.wrap_text


def test_header_is_found_by_name_in_any_order_below_a_title():
    header = list(reversed(HEADERS))
    data = sheet_bytes([["Báo cáo"], [], header, list(reversed(line(**{"Mã chỉ báo": "1.1.2"})))])

    [read] = read_workbook(data)

    assert (read.number, read.get("Mã chỉ báo")) == (4, "1.1.2")


def test_extra_columns_are_ignored():
    data = sheet_bytes([["Cột riêng", *HEADERS], ["x", *line(**{"Mã chỉ báo": "1.1.2"})]])

    [read] = read_workbook(data)

    assert "Cột riêng" not in read.cells
    assert read.get("Mã chỉ báo") == "1.1.2"


def test_fully_blank_rows_are_skipped_and_rows_keep_their_sheet_numbers():
    data = sheet_bytes(
        [list(HEADERS), line(**{"Mã chỉ báo": "1.1.1"}), line(), line(**{"Mã chỉ báo": "1.1.2"})]
    )

    assert [row.number for row in read_workbook(data)] == [2, 4]


def test_text_cells_are_stripped_and_nfc_normalised_and_blank_text_is_none():
    decomposed = unicodedata.normalize("NFD", f"  {NOTE}  ")
    data = sheet_bytes(
        [list(HEADERS), line(**{"Ghi chú": decomposed, "Mã đơn vị": "HP", "Tử số": "  "})]
    )

    [read] = read_workbook(data)

    assert read.get("Ghi chú") == NOTE
    assert read.get("Tử số") is None


def test_rows_beyond_a_wrong_stored_dimension_are_still_read():
    data = sheet_bytes([list(HEADERS), *[line(**{"Mã chỉ báo": f"1.1.{n}"}) for n in (1, 2, 3)]])

    [read] = [row for row in read_workbook(with_dimension(data, "A1:K2")) if row.number == 4]

    assert read.get("Mã chỉ báo") == "1.1.3"


def with_dimension(data: bytes, ref: str) -> bytes:
    """The same workbook claiming another size, as some generators write it."""
    source, target = zipfile.ZipFile(BytesIO(data)), BytesIO()
    with zipfile.ZipFile(target, "w") as archive:
        for name in source.namelist():
            content = source.read(name)
            if name == "xl/worksheets/sheet1.xml":
                content = re.sub(
                    rb'<dimension ref="[^"]*"', f'<dimension ref="{ref}"'.encode(), content
                )
            archive.writestr(name, content)
    return target.getvalue()


def test_sheet_with_another_name_is_refused():
    data = sheet_bytes([list(HEADERS)], title="Sheet1")

    assert refusal(data) == ["Không có trang tính «Số liệu» trong tệp (tệp có: «Sheet1»)."]


def test_missing_header_is_refused():
    header = [name for name in HEADERS if name != "Mẫu số"]

    assert refusal(sheet_bytes([header])) == ["Thiếu cột «Mẫu số» ở dòng tiêu đề."]


def test_duplicated_header_is_refused():
    header = [*HEADERS, "Tử số"]

    assert refusal(sheet_bytes([header])) == ["Cột «Tử số» xuất hiện hai lần."]


def test_sheet_without_a_header_row_in_its_first_ten_rows_is_refused():
    data = sheet_bytes([[f"Dòng {n}"] for n in range(1, 11)] + [list(HEADERS)])

    assert refusal(data)[0].startswith("Không tìm thấy dòng tiêu đề trong 10 dòng đầu")


def test_formula_cell_is_refused_with_its_row():
    data = sheet_bytes([list(HEADERS), line(**{"Mã chỉ báo": "1.1.2", "Giá trị": "=70+1"})])

    assert refusal(data) == ["Dòng 2: ô «Giá trị» chứa công thức; hãy nhập giá trị."]


def test_every_formula_of_the_sheet_is_listed():
    rows = [line(**{"Tử số": "=1", "Mẫu số": "=2"}), line(**{"Ghi chú": "=A1"})]

    assert len(refusal(sheet_bytes([list(HEADERS), *rows]))) == 3


def test_error_cell_is_refused_with_its_row():
    data = sheet_bytes([list(HEADERS), line(**{"Mã chỉ báo": "1.1.2", "Giá trị": "#DIV/0!"})])

    assert refusal(data) == ["Dòng 2: ô «Giá trị» báo lỗi #DIV/0!; hãy nhập giá trị."]


def test_truncated_file_is_refused():
    data = build_workbook([export_row()])

    assert refusal(data[: len(data) // 2]) == [excel.damaged_file()]


@pytest.mark.parametrize("data", [b"", b"Ma don vi;Nam\nHP;2022\n", "Số liệu".encode()])
def test_file_that_is_not_a_zip_is_refused(data):
    assert refusal(data) == ["Tệp không phải là tệp Excel .xlsx hợp lệ."]


def test_zip_that_is_not_a_workbook_is_refused():
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "không phải Excel")

    assert refusal(buffer.getvalue()) == [excel.damaged_file()]


def test_old_xls_or_password_protected_file_is_refused():
    assert refusal(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512)) == [excel.old_format()]


def test_archive_that_inflates_beyond_the_limit_is_refused(monkeypatch):
    monkeypatch.setattr(excel, "MAX_UNCOMPRESSED_BYTES", 10_000)

    assert refusal(build_workbook([export_row()] * 50)) == [excel.too_large()]


def test_zip_bomb_is_refused_before_it_is_inflated():
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (60 * 1024 * 1024))

    assert refusal(buffer.getvalue()) == [excel.too_large()]


def test_too_many_data_rows_are_refused(monkeypatch):
    monkeypatch.setattr(excel, "MAX_DATA_ROWS", 3)

    assert refusal(build_workbook([export_row()] * 4)) == [excel.too_many_rows()]


def test_a_workbook_exported_before_the_part_source_and_growth_columns_still_reads():
    """Those three columns came later: an older export, without them, reads as it did."""
    older = [
        name
        for name in HEADERS
        if name not in ("Mã phần", "Nguồn số liệu năm trước", "Tốc độ tăng trưởng (%)")
    ]
    book = Workbook()
    sheet = book.active
    sheet.title = "Số liệu"
    sheet.append(["Số liệu chỉ báo"])
    sheet.append(older)
    sheet.append(["HP", 2022, "1.1.2", "", "", None, 56, 80, None, None, "ghi chú"])
    buffer = BytesIO()
    book.save(buffer)
    [read] = read_workbook(buffer.getvalue())
    assert (read.get("Tử số"), read.get("Nguồn số liệu năm trước")) == (56, None)
