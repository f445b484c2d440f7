"""The criteria set workbook module on workbooks built in memory: no database."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from common.excel import damaged_file, invalid_file
from criteria import workbooks
from criteria.workbooks import (
    GUIDE_SHEET,
    HEADERS,
    KIND_NAMES,
    SHEET,
    TEMPLATE,
    WorkbookError,
    build_criteria_workbook,
    match_name,
    read_criteria_workbook,
)
from tests.criteria.sheets import (
    TRICKY_GUIDANCE,
    TRICKY_TEXT,
    edited,
    raw_sheet,
    sample_bytes,
    set_cell,
)

METADATA = [
    ["Mã bộ tiêu chí", "bo-moi"],
    ["Tên bộ tiêu chí", "Bộ mới"],
    ["Cấp", "Thành phố"],
    ["Căn cứ pháp lý", "Thông tư 24/2023/TT-BGDĐT"],
    ["Áp dụng từ năm", 2025],
    ["Đến năm", None],
]


def refusal(data: bytes) -> list[str]:
    with pytest.raises(WorkbookError) as error:
        read_criteria_workbook(data)
    return error.value.messages


def test_build_then_read_gives_the_metadata_back():
    read = read_criteria_workbook(sample_bytes(last_year=2027))

    values = {label: cell.value for label, cell in read.metadata.items()}
    assert values == {
        "Mã bộ tiêu chí": "quan-huyen-2025",
        "Tên bộ tiêu chí": "Bộ tiêu chí công nhận quận/huyện học tập (thử nghiệm)",
        "Cấp": "Quận/huyện",
        "Căn cứ pháp lý": "Thông tư 25/2023/TT-BGDĐT",
        "Áp dụng từ năm": 2025,
        "Đến năm": 2027,
        "Mẫu minh hoạ": "Không",
        "Quy tắc công nhận": "Đạt mọi tiêu chuẩn",
        "Số chỉ báo phải đạt": None,
    }
    assert read.metadata["Mã bộ tiêu chí"].number == 1


def test_build_then_read_gives_every_item_cell_back():
    read = read_criteria_workbook(sample_bytes())

    [row] = [row for row in read.rows if row.get("Mã") == "1.1.2"]
    assert row.cells == {
        "Cấp mục": "Chỉ báo",
        "Mã": "1.1.2",
        "Nội dung": TRICKY_TEXT,
        "Hướng dẫn đánh giá": TRICKY_GUIDANCE,
        "Kiểu đánh giá": "Tỷ lệ tối thiểu",
        "Ngưỡng": 70,
        "Đơn vị tính": "%",
        "Đo theo": None,
        "Tử số là": None,
        "Mẫu số là": None,
        "Nhận tốc độ tăng trưởng": None,
        "Mức độ": None,
    }


def test_rows_are_numbered_as_in_the_spreadsheet():
    read = read_criteria_workbook(sample_bytes())

    assert [row.number for row in read.rows][:3] == [11, 12, 13]
    assert len(read.rows) == 10


def test_threshold_is_an_excel_number_that_reads_back_exactly():
    read = read_criteria_workbook(sample_bytes())

    [rate] = [row for row in read.rows if row.get("Mã") == "2.1.1"]
    assert rate.get("Ngưỡng") == 0.05


def test_codes_are_text_cells():
    sheet = load_workbook(BytesIO(sample_bytes()))[SHEET]

    assert sheet["B11"].value == "1"
    assert sheet["B11"].number_format == "@"


def test_workbook_has_a_guide_sheet_explaining_each_column():
    guide = load_workbook(BytesIO(sample_bytes()))[GUIDE_SHEET]

    explained = {row[1] for row in guide.iter_rows(values_only=True)}
    assert set(HEADERS) <= explained
    assert "Mã bộ tiêu chí" in explained


def test_header_is_found_in_any_row_of_the_first_twenty_and_columns_in_any_order():
    header = ["Ghi chú", *reversed(HEADERS[:7])]  # without the optional columns, too
    item = ["bỏ qua", None, None, None, None, "Tiêu chuẩn nội dung", "1", "Tiêu chuẩn"]
    data = raw_sheet([*METADATA, *[[None]] * 10, header, item])

    [row] = read_criteria_workbook(data).rows
    assert (row.number, row.get("Mã"), row.get("Nội dung")) == (18, "1", "Tiêu chuẩn nội dung")
    assert "Ghi chú" not in row.cells


def test_header_below_the_twentieth_row_is_not_found():
    data = raw_sheet([*[[f"Dòng {n}"] for n in range(1, 21)], list(HEADERS)])

    assert refusal(data)[0].startswith("Không tìm thấy dòng tiêu đề trong 20 dòng đầu")


def test_missing_column_is_named():
    data = raw_sheet([*METADATA, [name for name in HEADERS if name != "Ngưỡng"]])

    assert refusal(data) == ["Thiếu cột «Ngưỡng» ở dòng tiêu đề."]


def test_metadata_labels_match_in_any_case_and_with_a_colon():
    data = raw_sheet([["MÃ BỘ TIÊU CHÍ:", "bo-moi"], ["Tiêu đề tự do", "bỏ qua"], list(HEADERS)])

    metadata = read_criteria_workbook(data).metadata
    assert metadata["Mã bộ tiêu chí"].value == "bo-moi"
    assert list(metadata) == ["Mã bộ tiêu chí"]


def test_sheet_of_another_name_is_refused():
    assert refusal(raw_sheet([list(HEADERS)], title="Sheet1")) == [
        "Không có trang tính «Bộ tiêu chí» trong tệp (tệp có: «Sheet1»)."
    ]


def test_formula_cell_is_refused_with_its_row():
    data = edited(sample_bytes(), set_cell("2.1.1", "Ngưỡng", "=0.1/2"))

    assert refusal(data) == ["Dòng 17: ô «Ngưỡng» chứa công thức; hãy nhập giá trị."]


def test_formula_in_the_metadata_is_refused_with_its_row():
    data = raw_sheet([*METADATA[:4], ["Áp dụng từ năm", "=2024+1"], list(HEADERS)])

    assert refusal(data) == ["Dòng 5: ô «Áp dụng từ năm» chứa công thức; hãy nhập giá trị."]


def test_threshold_in_excel_percent_format_is_refused():
    def as_percent(sheet) -> None:
        sheet["F11"].value, sheet["F11"].number_format = 0.7, "0%"

    assert refusal(edited(sample_bytes(), as_percent)) == [
        "Dòng 11: ô «Ngưỡng» có định dạng phần trăm của Excel; "
        "hãy bỏ định dạng đó và ghi số phần trăm (70 cho 70 %)."
    ]


def test_truncated_file_is_refused():
    data = sample_bytes()

    assert refusal(data[: len(data) // 2]) == [damaged_file()]


@pytest.mark.parametrize("data", [b"", b"Ma;Noi dung\n1;Tieu chuan\n", "Bộ tiêu chí".encode()])
def test_file_that_is_not_a_zip_is_refused(data):
    assert refusal(data) == [invalid_file()]


def test_too_many_rows_are_refused(monkeypatch):
    monkeypatch.setattr(workbooks, "MAX_ITEM_ROWS", 3)

    assert refusal(sample_bytes()) == [workbooks.too_many_rows()]


@pytest.mark.parametrize(
    "written",
    ["Giảm tối thiểu (điểm %)", "giam toi thieu (diem %)", "GIẢM TỐI THIỂU", "drop_at_least"],
)
def test_kind_is_read_from_its_name_in_any_case_with_or_without_diacritics(written):
    assert match_name(written, KIND_NAMES) == "drop_at_least"


def test_unknown_kind_matches_nothing():
    assert match_name("Tỷ lệ", KIND_NAMES) is None


def test_template_has_one_example_row_of_each_level():
    levels = [item.level for item in TEMPLATE.items]

    assert levels == ["standard", "criterion", "indicator"]
    assert read_criteria_workbook(build_criteria_workbook(TEMPLATE)).rows[0].number == 11
