"""Guarded reading of uploaded workbooks (common/excel.py). The refusals of damaged, oversized and
hostile files are tested through each contract that reads them (tests/measurements/
test_workbooks.py, tests/criteria/test_workbooks.py, tests/hostile/test_workbook_import.py)."""

from io import BytesIO

import pytest
from openpyxl import Workbook
from openpyxl.xml import DEFUSEDXML

from common import excel
from common.excel import WorkbookError, read_table


def test_openpyxl_parses_xml_with_defusedxml():
    assert DEFUSEDXML  # entity expansion ("billion laughs") refused by the parser itself


def workbook(sheet: str, rows: list[list[object]]) -> bytes:
    book = Workbook()
    book.active.title = sheet
    for row in rows:
        book.active.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_headers_and_sheet_names_match_without_case_or_diacritics():
    data = workbook("DANH SACH", [["ten co quan, don vi", "DIEM"], ["Sở Y tế", 85]])

    rows = read_table(data, "Danh sách", ("Tên cơ quan, đơn vị", "Điểm"))

    assert [(row.number, row.get("Tên cơ quan, đơn vị"), row.get("Điểm")) for row in rows] == [
        (2, "Sở Y tế", 85)
    ]


def test_a_missing_sheet_names_the_sheets_there_are():
    with pytest.raises(WorkbookError) as error:
        read_table(workbook("Sheet1", [["a"]]), "Danh sách", ("Điểm",))
    assert error.value.messages == ["Không có trang tính «Danh sách» trong tệp (tệp có: «Sheet1»)."]


def test_the_refusals_of_a_file_that_is_no_workbook_say_what_to_do():
    assert excel.invalid_file() == "Tệp không phải là tệp Excel .xlsx hợp lệ."
    assert excel.damaged_file() == (
        "Tệp Excel bị hỏng hoặc tải lên chưa trọn vẹn; hãy lưu lại và tải lên lần nữa."
    )
    assert excel.old_format() == (
        "Tệp có định dạng Excel cũ (.xls) hoặc được đặt mật khẩu; hãy lưu lại thành .xlsx không "
        "đặt mật khẩu."
    )
    assert excel.too_many_rows() == "Tệp có hơn 5.000 dòng số liệu; hãy chia thành nhiều tệp."
