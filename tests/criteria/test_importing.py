"""Planning and importing criteria sets from workbooks, and exporting them back."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from assignments.models import Assignment
from criteria.importing import (
    CriteriaSetPlan,
    PlannedItem,
    criteria_set_import,
    criteria_set_plan_from_bytes,
    criteria_set_rows,
)
from criteria.models import CriteriaSet, Criterion, EvaluationYear, Indicator, Standard
from criteria.workbooks import INDICATOR, ItemRow, build_criteria_workbook
from tests.criteria.sheets import (
    decomposed,
    edited,
    metadata,
    sample_bytes,
    sample_sheet,
    set_cell,
    set_metadata,
)
from tests.factories import make_criteria_set

pytestmark = pytest.mark.django_db


def snapshot() -> list[int]:
    models = (CriteriaSet, Standard, Criterion, Indicator, Assignment)
    return [model.objects.count() for model in models]


def imported(data: bytes) -> CriteriaSet:
    return criteria_set_import(plan=criteria_set_plan_from_bytes(data))


def delete_row(code: str):
    def change(sheet) -> None:
        number = next(row[1].row for row in sheet.iter_rows() if row[1].value == code)
        sheet.delete_rows(number)

    return change


def test_import_creates_the_set_with_its_metadata():
    criteria_set = imported(sample_bytes())

    assert criteria_set.code == "quan-huyen-2025"
    assert criteria_set.level == CriteriaSet.Level.DISTRICT
    assert (criteria_set.first_year, criteria_set.last_year) == (2025, None)
    assert criteria_set.legal_basis == "Thông tư 25/2023/TT-BGDĐT"
    assert snapshot()[:4] == [1, 2, 3, 5]


@pytest.mark.parametrize(
    ("answer", "example"), [("Có", True), ("không", False), (None, False), ("co", True)]
)
def test_the_example_row_marks_the_set(answer, example):
    assert imported(edited(sample_bytes(), set_metadata("Mẫu minh hoạ", answer))).is_example is (
        example
    )


def test_a_workbook_without_the_example_row_is_no_example():
    """Workbooks written before the row existed still import: the set is not an example."""

    def drop_example_row(sheet) -> None:
        sheet.delete_rows(next(r[0].row for r in sheet.iter_rows() if r[0].value == "Mẫu minh hoạ"))

    assert imported(edited(sample_bytes(), drop_example_row)).is_example is False


def test_import_keeps_order_kinds_thresholds_and_units():
    imported(sample_bytes())

    rows = Indicator.objects.order_by("code").values_list(
        "code", "kind", "threshold", "unit_of_measure", "position"
    )
    assert list(rows) == [
        ("1.1.1", "document", None, "", 1),
        ("1.1.2", "share_at_least", Decimal(70), "%", 2),
        ("2.1.1", "rate_below", Decimal("0.05"), "%", 1),
        ("2.1.2", "drop_at_least", Decimal("1.5"), "điểm %", 2),
        ("2.2.1", "increase", None, "lượt", 1),
    ]


def test_import_then_export_then_import_round_trips_exactly():
    first = imported(sample_bytes())
    exported = build_criteria_workbook(criteria_set_rows(first))
    first.delete()

    second = imported(exported)

    assert criteria_set_rows(second) == sample_sheet()


def test_text_is_stored_in_nfc():
    data = edited(sample_bytes(), set_cell("1.1.2", "Nội dung", decomposed("Học tập suốt đời")))

    imported(data)

    assert Indicator.objects.get(code="1.1.2").text == "Học tập suốt đời"


@pytest.mark.parametrize(
    ("written", "stored"),
    [("70", "70"), ("0,05", "0.05"), ("1.5", "1.5"), ("70 %", "70"), (1.5, "1.5")],
)
def test_threshold_is_read_like_every_typed_number(written, stored):
    imported(edited(sample_bytes(), set_cell("1.1.2", "Ngưỡng", written)))

    assert Indicator.objects.get(code="1.1.2").threshold == Decimal(stored)


def test_kind_may_be_written_without_diacritics():
    imported(edited(sample_bytes(), set_cell("2.1.2", "Kiểu đánh giá", "giam toi thieu (diem %)")))

    assert Indicator.objects.get(code="2.1.2").kind == "drop_at_least"


def test_codes_typed_as_excel_numbers_are_read_as_codes():
    data = edited(sample_bytes(), set_cell("1.1", "Mã", 1.1))

    imported(edited(data, set_cell("1", "Mã", 1)))

    assert Criterion.objects.filter(code="1.1", standard__code="1").exists()


BAD_WORKBOOKS = {
    "missing code": (set_metadata("Mã bộ tiêu chí", None), "Dòng 1, «Mã bộ tiêu chí»: chưa điền"),
    "code not a slug": (
        set_metadata("Mã bộ tiêu chí", "bộ mới"),
        "Dòng 1, «Mã bộ tiêu chí»: mã «bộ mới» chỉ được gồm chữ cái không dấu",
    ),
    "unknown level": (
        set_metadata("Cấp", "Tỉnh"),
        "Dòng 3, «Cấp»: «Tỉnh» không phải là cấp của bộ tiêu chí",
    ),
    "empty legal basis": (set_metadata("Căn cứ pháp lý", None), "Dòng 4, «Căn cứ pháp lý»"),
    "year not a number": (
        set_metadata("Áp dụng từ năm", "năm nay"),
        "Dòng 5, «Áp dụng từ năm»: «năm nay» không phải là số.",
    ),
    "last year before the first": (
        set_metadata("Đến năm", 2024),
        "Dòng 6, «Đến năm»: năm 2024 đứng trước năm bắt đầu áp dụng 2025.",
    ),
    "example answer": (
        set_metadata("Mẫu minh hoạ", "Có lẽ"),
        "Dòng 7, «Mẫu minh hoạ»: «Có lẽ» không phải câu trả lời; hãy ghi «Có» hoặc «Không».",
    ),
    "unknown item level": (
        set_cell("2.1", "Cấp mục", "Nhóm"),
        "Dòng 16, mã 2.1: «Nhóm» không phải là cấp mục",
    ),
    "code of a wrong shape": (
        set_cell("2.1.1", "Mã", "2.1.a"),
        "Dòng 17, mã 2.1.a: mã chỉ báo phải có dạng «1.1.1»",
    ),
    "indicator under another criterion": (
        set_cell("2.1.1", "Mã", "2.3.1"),
        "Dòng 17, mã 2.3.1: chưa có tiêu chí 2.3 ở các dòng trên",
    ),
    "code too long": (
        set_cell("2", "Mã", "12345678901"),
        "Dòng 15, mã 12345678901: mã tiêu chuẩn dài quá 10 ký tự.",
    ),
    "duplicate code": (
        set_cell("2.1.2", "Mã", "2.1.1"),
        "Dòng 18, mã 2.1.1: mã trùng với dòng 17.",
    ),
    "empty text": (set_cell("2.1", "Nội dung", None), "Dòng 16, mã 2.1: chưa có nội dung."),
    "unknown kind": (
        set_cell("2.1.1", "Kiểu đánh giá", "Tỷ lệ"),
        "Dòng 17, mã 2.1.1: «Tỷ lệ» không phải là kiểu đánh giá",
    ),
    "share without threshold": (
        set_cell("1.1.2", "Ngưỡng", None),
        "Dòng 14, mã 1.1.2: kiểu «Tỷ lệ tối thiểu» cần ngưỡng (ô «Ngưỡng»).",
    ),
    "document with threshold": (
        set_cell("1.1.1", "Ngưỡng", 50),
        "Dòng 13, mã 1.1.1: kiểu «Có văn bản» không có ngưỡng; hãy để trống ô «Ngưỡng».",
    ),
    "increase with threshold": (
        set_cell("2.2.1", "Ngưỡng", 5),
        "Dòng 20, mã 2.2.1: kiểu «Tăng so với năm trước» không có ngưỡng",
    ),
    "threshold above 100": (
        set_cell("1.1.2", "Ngưỡng", 170),
        "Dòng 14, mã 1.1.2: ngưỡng 170 nằm ngoài khoảng 0–100",
    ),
    "threshold not a number": (
        set_cell("1.1.2", "Ngưỡng", "bảy mươi"),
        "Dòng 14, mã 1.1.2: ngưỡng: «bảy mươi» không phải là số.",
    ),
    "threshold with too many decimals": (
        set_cell("2.1.1", "Ngưỡng", "0,00005"),
        "Dòng 17, mã 2.1.1: ngưỡng có tối đa 4 chữ số thập phân.",
    ),
    "criterion without indicators": (
        delete_row("2.2.1"),
        "Dòng 19, mã 2.2: tiêu chí chưa có chỉ báo nào ở các dòng dưới.",
    ),
    "kind on a standard row": (
        set_cell("2", "Kiểu đánh giá", "Có văn bản"),
        "Dòng 15, mã 2: dòng tiêu chuẩn không có «Kiểu đánh giá»",
    ),
}


@pytest.mark.parametrize(("change", "message"), BAD_WORKBOOKS.values(), ids=BAD_WORKBOOKS)
def test_bad_workbook_is_refused_with_its_row_and_nothing_is_written(change, message):
    plan = criteria_set_plan_from_bytes(edited(sample_bytes(), change))
    before = snapshot()

    with pytest.raises(ValidationError) as error:
        criteria_set_import(plan=plan)

    assert any(text.startswith(message) for text in error.value.messages), error.value.messages
    assert snapshot() == before


def test_standard_without_criteria_is_refused():
    data = sample_bytes()
    for code in ("2.2.1", "2.2", "2.1.2", "2.1.1", "2.1"):
        data = edited(data, delete_row(code))

    plan = criteria_set_plan_from_bytes(data)

    assert plan.errors == ["Dòng 15, mã 2: tiêu chuẩn chưa có tiêu chí nào ở các dòng dưới."]


def test_every_error_of_the_workbook_is_listed():
    data = edited(sample_bytes(), set_cell("1.1.2", "Ngưỡng", None))

    plan = criteria_set_plan_from_bytes(edited(data, set_cell("2.1.1", "Ngưỡng", "x")))

    assert [error[:18] for error in plan.errors] == ["Dòng 14, mã 1.1.2:", "Dòng 17, mã 2.1.1:"]


def test_existing_code_is_refused_and_the_set_is_left_alone():
    existing = make_criteria_set("quan-huyen-2025", level="district")

    plan = criteria_set_plan_from_bytes(sample_bytes())

    assert plan.errors == [
        "Dòng 1, «Mã bộ tiêu chí»: Mã bộ tiêu chí «quan-huyen-2025» đã có; hãy dùng mã mới."
    ]
    assert not existing.standards.exists()


def test_set_covering_a_locked_year_is_refused():
    EvaluationYear.objects.create(year=2025, state=EvaluationYear.State.LOCKED)

    plan = criteria_set_plan_from_bytes(sample_bytes())

    assert plan.errors[0].startswith("Dòng 5, «Áp dụng từ năm»: năm 2025 đã khóa")


def test_set_ending_before_a_locked_year_is_accepted():
    EvaluationYear.objects.create(year=2028, state=EvaluationYear.State.LOCKED)

    assert criteria_set_plan_from_bytes(sample_bytes(last_year=2027)).is_valid


def test_year_locked_after_the_preview_is_refused_at_import():
    plan = criteria_set_plan_from_bytes(sample_bytes())
    EvaluationYear.objects.create(year=2026, state=EvaluationYear.State.LOCKED)

    with pytest.raises(ValidationError, match="năm đã khóa"):
        criteria_set_import(plan=plan)

    assert snapshot() == [0, 0, 0, 0, 0]


def test_empty_sheet_is_refused():
    sheet = sample_sheet()
    plan = criteria_set_plan_from_bytes(
        build_criteria_workbook(sheet.__class__(sheet.metadata, ()))
    )

    assert plan.errors == [
        "Trang tính «Bộ tiêu chí» chưa có dòng tiêu chuẩn, tiêu chí, chỉ báo nào dưới dòng tiêu đề."
    ]


def test_full_clean_is_the_last_line_of_defence_and_nothing_is_written():
    plan = criteria_set_plan_from_bytes(sample_bytes())
    bad = ItemRow(INDICATOR, "1.1.3", "Ngưỡng quá lớn", "", "share_at_least", Decimal(150), "%")
    plan = CriteriaSetPlan(plan.metadata, [*plan.items[:4], PlannedItem(99, bad)], [])

    with pytest.raises(ValidationError, match=r"Dòng 99, mã 1\.1\.3"):
        criteria_set_import(plan=plan)

    assert snapshot() == [0, 0, 0, 0, 0]


def test_plan_writes_nothing():
    criteria_set_plan_from_bytes(sample_bytes())

    assert snapshot() == [0, 0, 0, 0, 0]


def test_plan_counts_and_previews_the_tree():
    plan = criteria_set_plan_from_bytes(sample_bytes())

    assert plan.counts == {"standard": 2, "criterion": 3, "indicator": 5, "part": 0}
    [(standard, criteria), _] = plan.tree()
    assert standard.code == "1"
    assert [indicator.requirement_text for indicator in criteria[0][1]][1] == "Tối thiểu 70 %"


def test_metadata_of_the_plan_is_the_sheets():
    assert criteria_set_plan_from_bytes(sample_bytes()).metadata == metadata()


def test_an_indicators_basis_labels_and_growth_rate_option_travel_with_the_set():
    """Export, then import under a new code: the same basis, count labels and growth-rate
    option (issue 13.6 and 13.9). Before: the workbook had no such columns."""
    original = imported(sample_bytes())
    Indicator.objects.filter(criterion__standard__criteria_set=original, code="1.1.2").update(
        basis="chuẩn nghèo đa chiều giai đoạn 2022–2025",
        numerator_label="Số hộ nghèo",
        denominator_label="Tổng số hộ",
    )
    exported = build_criteria_workbook(criteria_set_rows(original))
    again = imported(edited(exported, set_metadata("Mã bộ tiêu chí", "quan-huyen-2025-b")))
    copy = Indicator.objects.get(criterion__standard__criteria_set=again, code="1.1.2")
    assert (copy.basis, copy.numerator_label, copy.denominator_label) == (
        "chuẩn nghèo đa chiều giai đoạn 2022–2025",
        "Số hộ nghèo",
        "Tổng số hộ",
    )


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ("Có lẽ", "«Nhận tốc độ tăng trưởng»: «Có lẽ» phải là «Có» hoặc «Không»."),
        ("Có", "«Nhận tốc độ tăng trưởng» chỉ dành cho kiểu «Tăng so với năm trước»."),
    ],
)
def test_a_growth_rate_option_is_checked(answer, message):
    """1.1.2 of the sample is a share: it cannot take a growth rate."""
    plan = criteria_set_plan_from_bytes(
        edited(sample_bytes(), set_cell("1.1.2", "Nhận tốc độ tăng trưởng", answer))
    )
    assert any(error.endswith(message) for error in plan.errors), plan.errors


# --- In the reader's language (issue 15.8) ------------------------------------------------------

#: A refusal in Vietnamese and in English: the sheet's own words (labels, headers, the kinds'
#: names) stay as the workbook writes them; a number is written the reader's way.
REFUSALS_IN_TWO_LANGUAGES = {
    "unknown level": (
        set_metadata("Cấp", "Tỉnh"),
        "Dòng 3, «Cấp»: «Tỉnh» không phải là cấp của bộ tiêu chí; hãy ghi một trong các cấp: "
        "«Thành phố», «Quận/huyện», «Xã/phường».",
        "Row 3, «Cấp»: «Tỉnh» is not a level of a criteria set; write one of: «Thành phố», "
        "«Quận/huyện», «Xã/phường».",
    ),
    "document with threshold": (
        set_cell("1.1.1", "Ngưỡng", 50),
        "Dòng 13, mã 1.1.1: kiểu «Có văn bản» không có ngưỡng; hãy để trống ô «Ngưỡng».",
        "Row 13, code 1.1.1: the kind «Có văn bản» has no threshold; leave the cell «Ngưỡng» "
        "empty.",
    ),
    "threshold above 100": (
        set_cell("1.1.2", "Ngưỡng", 170.5),
        "Dòng 14, mã 1.1.2: ngưỡng 170,5 nằm ngoài khoảng 0–100 (ngưỡng tính bằng %, mức giảm "
        "tính bằng điểm %).",
        "Row 14, code 1.1.2: the threshold 170.5 is outside 0–100 (a threshold is in %, a drop "
        "in percentage points).",
    ),
    "criterion without indicators": (
        delete_row("2.2.1"),
        "Dòng 19, mã 2.2: tiêu chí chưa có chỉ báo nào ở các dòng dưới.",
        "Row 19, code 2.2: the criterion has no indicator on the rows below.",
    ),
}


@pytest.mark.parametrize(
    ("change", "vietnamese", "english"),
    REFUSALS_IN_TWO_LANGUAGES.values(),
    ids=REFUSALS_IN_TWO_LANGUAGES,
)
def test_a_refused_workbook_is_explained_in_the_readers_language(change, vietnamese, english):
    data = edited(sample_bytes(), change)

    with translation.override("en"):
        assert criteria_set_plan_from_bytes(data).errors == [english]
    with translation.override("vi"):
        assert criteria_set_plan_from_bytes(data).errors == [vietnamese]


def test_a_locked_year_refuses_the_import_in_the_readers_language():
    plan = criteria_set_plan_from_bytes(sample_bytes())
    EvaluationYear.objects.create(year=2026, state=EvaluationYear.State.LOCKED)

    with translation.override("en"), pytest.raises(ValidationError) as error:
        criteria_set_import(plan=plan)

    assert error.value.messages == ["A new criteria set cannot apply to a locked year."]


def test_a_rule_that_counts_indicators_without_its_number_row_asks_for_the_row():
    """The row «Số chỉ báo phải đạt» deleted while the rule needs it: a refusal, not a crash."""

    def without_the_number_row(sheet) -> None:
        sheet.delete_rows(
            next(row[0].row for row in sheet.iter_rows() if row[0].value == "Số chỉ báo phải đạt")
        )

    data = edited(sample_bytes(rule="min_indicators", min_met=3), without_the_number_row)
    with pytest.raises(ValidationError) as error:
        criteria_set_import(plan=criteria_set_plan_from_bytes(data))
    assert error.value.messages == [
        "Thiếu dòng «Số chỉ báo phải đạt» (nhãn ở cột A, giá trị ở cột B, phía trên dòng tiêu đề"
        " của trang tính «Bộ tiêu chí»)."
    ]
    assert not CriteriaSet.objects.filter(code="quan-huyen-2025").exists()
