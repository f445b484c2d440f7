"""The import service (plan, apply) and the export rows, with the `world` and `personas` fixtures.

Rows are numbered as in an exported workbook: title row 1, header row 2, then 1.1.1 on row 3,
1.1.2 on 4, 2.1.1 on 5, 2.1.2 on 6 and 2.1.3 on 7.
"""

from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import load_workbook

from assignments.permissions import actor_for
from common.excel import WorkbookRow
from criteria.models import EvaluationYear, Indicator, ListSource
from measurements.imports import ImportPlan, apply_import, export_rows, plan_import
from measurements.models import Measurement
from measurements.workbooks import HEADERS, build_workbook, read_workbook
from tests.conftest import YEAR

pytestmark = pytest.mark.django_db

NOTE = "Số liệu của Sở Nội vụ, cập nhật 15/12"
ROW_OF = {"1.1.1": 3, "1.1.2": 4, "2.1.1": 5, "2.1.2": 6, "2.1.3": 7}


def row(code: str, unit: str = "HP", year: object = YEAR, **cells: object) -> WorkbookRow:
    """A workbook row for an indicator; cells named by header, e.g. row("1.1.2", **{"Tử số": 7})."""
    values = dict.fromkeys(HEADERS)
    values.update({"Mã đơn vị": unit, "Năm": year, "Mã chỉ báo": code, **cells})
    return WorkbookRow(ROW_OF.get(code, 9), values)


def plan(world, user, *rows: WorkbookRow) -> ImportPlan:
    return plan_import(actor=actor_for(user), rows=list(rows), criteria_set=world.criteria_set)


def apply(world, user, *rows: WorkbookRow, approve: bool = False) -> dict[str, int]:
    checked = plan(world, user, *rows)
    assert checked.errors == []
    return apply_import(actor=actor_for(user), user=user, plan=checked, approve=approve)


def entry(world, code: str, unit=None, status: str = "submitted", **fields) -> Measurement:
    unit = unit or world.city
    return Measurement.objects.create(
        indicator=world.indicator(code), unit=unit, year=YEAR, status=status, **fields
    )


def approved_last_year(world, code: str, value: Decimal) -> None:
    """The city's approved value of the year before, a year since locked."""
    last_year = EvaluationYear.objects.create(year=YEAR - 1)
    Measurement.objects.create(
        indicator=world.indicator(code),
        unit=world.city,
        year=YEAR - 1,
        value=value,
        status="approved",
    )
    last_year.state = EvaluationYear.State.LOCKED
    last_year.save()


def snapshot() -> list[tuple]:
    """Every stored entry's values, status and version, to compare before and after."""
    names = ["pk", "yes", "numerator", "denominator", "value", "previous", "note", "status"]
    return list(Measurement.objects.order_by("pk").values_list(*names, "version"))


def exported(world, unit=None) -> bytes:
    rows = export_rows(criteria_set=world.criteria_set, unit=unit or world.city, year=YEAR)
    return build_workbook(rows)


def filled(data: bytes, cells: dict[str, dict[str, object]]) -> bytes:
    """The workbook with cells changed: {indicator code: {header: value}}."""
    workbook = load_workbook(BytesIO(data))
    sheet = workbook["Số liệu"]
    for code, values in cells.items():
        for name, value in values.items():
            sheet.cell(row=ROW_OF[code], column=HEADERS.index(name) + 1).value = value
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def import_bytes(world, user, data: bytes, approve: bool = False) -> dict[str, int]:
    return apply(world, user, *read_workbook(data), approve=approve)


FILLED = {
    "1.1.1": {"Có/Không": "Có", "Ghi chú": NOTE},
    "1.1.2": {"Tử số": "277.000", "Mẫu số": 300000, "Ghi chú": "Theo báo cáo\nngày 15/12/2022"},
    "2.1.1": {"Giá trị": 1.8, "Giá trị năm trước": "3,3"},
    "2.1.2": {"Giá trị": "12.345,678901", "Giá trị năm trước": 10000},
    "2.1.3": {"Giá trị": "0.049"},
}


# --- Round trip --------------------------------------------------------------------------------


def test_export_fill_import_export_gives_back_every_field_of_every_kind(world, personas):
    import_bytes(world, personas["standing_office"], filled(exported(world), FILLED))

    again = {
        r.indicator_code: r
        for r in export_rows(criteria_set=world.criteria_set, unit=world.city, year=YEAR)
    }

    assert (again["1.1.1"].yes, again["1.1.1"].note) == (True, NOTE)
    assert (again["1.1.2"].numerator, again["1.1.2"].denominator) == (277000, 300000)
    assert again["1.1.2"].note == "Theo báo cáo\nngày 15/12/2022"
    assert (again["2.1.1"].value, again["2.1.1"].previous) == (Decimal("1.8"), Decimal("3.3"))
    assert again["2.1.2"].value == Decimal("12345.678901")
    assert (again["2.1.2"].previous, again["2.1.3"].value) == (10000, Decimal("0.049"))


def test_reimporting_an_untouched_export_is_a_no_op(world, personas):
    office = personas["standing_office"]
    import_bytes(world, office, filled(exported(world), FILLED))
    before = snapshot()

    result = import_bytes(world, office, exported(world))

    assert result == {"create": 0, "update": 0, "unchanged": 5, "skip": 0, "approved": 0}
    assert snapshot() == before


def test_untouched_export_showing_last_years_value_is_a_no_op(world, personas):
    approved_last_year(world, "2.1.2", Decimal("40"))
    entry(world, "2.1.2", value=Decimal("45"))

    result = import_bytes(world, personas["standing_office"], exported(world))

    assert result["unchanged"] == 1
    assert result["create"] == result["update"] == 0


def test_changed_approved_entry_goes_back_to_submitted(world, personas):
    stored = entry(world, "1.1.2", status="approved", numerator=70, denominator=100)

    apply(world, personas["division"], row("1.1.2", **{"Tử số": 75, "Mẫu số": 100}))

    stored.refresh_from_db()
    assert (stored.status, stored.numerator, stored.version) == ("submitted", 75, 2)


def test_unchanged_approved_entry_stays_approved(world, personas):
    stored = entry(world, "1.1.2", status="approved", numerator=70, denominator=100, note=NOTE)

    result = apply(
        world,
        personas["division"],
        row("1.1.2", **{"Tử số": "70", "Mẫu số": 100.0, "Ghi chú": NOTE}),
    )

    stored.refresh_from_db()
    assert result["unchanged"] == 1
    assert (stored.status, stored.version) == ("approved", 1)


def test_blank_row_leaves_the_entry_and_its_note_untouched(world, personas):
    stored = entry(world, "1.1.2", numerator=70, denominator=100, note=NOTE)

    result = apply(world, personas["division"], row("1.1.2", **{"Ghi chú": "Ghi chú mới"}))

    stored.refresh_from_db()
    assert result["skip"] == 1
    assert (stored.numerator, stored.note, stored.version) == (70, NOTE, 1)


def test_new_values_are_submitted(world, personas):
    apply(world, personas["division"], row("1.1.2", **{"Tử số": 7, "Mẫu số": 10}))

    stored = Measurement.objects.get(indicator=world.indicator("1.1.2"))
    assert (stored.status, stored.submitted_by) == ("submitted", personas["division"])


def test_import_is_recorded_in_the_history_under_the_user(world, personas):
    apply(world, personas["division"], row("1.1.2", **{"Tử số": 7, "Mẫu số": 10}))

    record = Measurement.history.get()
    assert record.history_user == personas["division"]


# --- Numbers and Có/Không -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "typed", "stored"),
    [
        ("Giá trị", "277.000", Decimal("277000")),
        ("Giá trị", "1,5", Decimal("1.5")),
        ("Giá trị", "1.5", Decimal("1.5")),
        ("Giá trị", "1.234.567,25", Decimal("1234567.25")),
        ("Giá trị", 3.3, Decimal("3.3")),
        ("Giá trị", 0.000001, Decimal("0.000001")),
        ("Giá trị năm trước", 12345.678, Decimal("12345.678")),
    ],
)
def test_numbers_typed_either_way_and_excel_floats_import_exactly(
    world, personas, header, typed, stored
):
    other = "Giá trị năm trước" if header == "Giá trị" else "Giá trị"

    apply(world, personas["standing_office"], row("2.1.2", **{header: typed, other: 1}))

    saved = Measurement.objects.get(indicator=world.indicator("2.1.2"))
    assert (saved.value if header == "Giá trị" else saved.previous) == stored


@pytest.mark.parametrize(("typed", "count"), [("277.000", 277000), (277000.0, 277000), ("11", 11)])
def test_counts_typed_either_way_import_exactly(world, personas, typed, count):
    apply(world, personas["division"], row("1.1.2", **{"Tử số": 1, "Mẫu số": typed}))

    assert Measurement.objects.get().denominator == count


@pytest.mark.parametrize(
    ("typed", "yes"),
    [
        ("Có", True),
        ("co", True),
        (" CÓ ", True),
        ("KHÔNG", False),
        ("khong", False),
        (False, False),
    ],
)
def test_co_khong_is_read_in_any_case_with_or_without_diacritics(world, personas, typed, yes):
    checked = plan(world, personas["standing_office"], row("1.1.1", **{"Có/Không": typed}))

    assert checked.rows[0].data.yes is yes


# --- Refusals ----------------------------------------------------------------------------------


def refused(world, user, *rows: WorkbookRow) -> list[str]:
    return plan(world, user, *rows).errors


def test_unknown_indicator_is_refused_with_its_row(world, personas):
    errors = refused(world, personas["standing_office"], row("9.9.9", **{"Giá trị": 1}))

    assert errors == ["Dòng 9, chỉ báo 9.9.9: Không có chỉ báo này trong bộ tiêu chí."]


def test_unknown_unit_is_refused(world, personas):
    errors = refused(
        world, personas["standing_office"], row("1.1.1", unit="HN", **{"Có/Không": "Có"})
    )

    assert errors == ["Dòng 3, chỉ báo 1.1.1: Không có đơn vị mã «HN»."]


def test_text_in_a_number_cell_is_refused(world, personas):
    errors = refused(world, personas["division"], row("1.1.2", **{"Tử số": "bảy", "Mẫu số": 10}))

    assert errors == ["Dòng 4, chỉ báo 1.1.2: Tử số: «bảy» không phải là số."]


def test_numerator_above_denominator_is_refused(world, personas):
    errors = refused(world, personas["division"], row("1.1.2", **{"Tử số": 80, "Mẫu số": 50}))

    assert errors == ["Dòng 4, chỉ báo 1.1.2: Tử số (80) không được lớn hơn mẫu số (50)."]


def test_value_with_more_than_six_decimals_is_refused(world, personas):
    errors = refused(world, personas["standing_office"], row("2.1.2", **{"Giá trị": "1,1234567"}))

    assert errors == ["Dòng 6, chỉ báo 2.1.2: Giá trị: «1,1234567» có quá 6 chữ số thập phân."]


def test_yes_no_other_than_co_or_khong_is_refused(world, personas):
    errors = refused(world, personas["standing_office"], row("1.1.1", **{"Có/Không": "x"}))

    assert errors == ["Dòng 3, chỉ báo 1.1.1: Có/Không: «x» phải là «Có» hoặc «Không»."]


def test_note_longer_than_4000_characters_is_refused(world, personas):
    cells = {"Có/Không": "Có", "Ghi chú": "x" * 4001}

    errors = refused(world, personas["standing_office"], row("1.1.1", **cells))

    assert errors == ["Dòng 3, chỉ báo 1.1.1: Ghi chú dài 4.001 ký tự, quá giới hạn 4.000 ký tự."]


def test_indicator_the_user_may_not_write_is_refused(world, personas):
    errors = refused(
        world, personas["division"], row("2.1.1", **{"Giá trị": 1, "Giá trị năm trước": 3})
    )

    assert errors == [
        "Dòng 5, chỉ báo 2.1.1: Bạn không được nhập số liệu chỉ báo 2.1.1 của Đơn vị HP."
    ]


def test_division_may_leave_indicators_it_does_not_write_unchanged(world, personas):
    entry(world, "2.1.1", value=Decimal("1.8"), previous=Decimal("3.3"))

    checked = plan(
        world, personas["division"], row("2.1.1", **{"Giá trị": 1.8, "Giá trị năm trước": 3.3})
    )

    assert (checked.errors, checked.counts["unchanged"]) == ([], 1)


def test_district_office_may_not_even_repeat_another_districts_values(world, personas):
    entry(world, "1.1.1", unit=world.district_b, yes=True)

    errors = refused(world, personas["district_a"], row("1.1.1", unit="HP-B", **{"Có/Không": "Có"}))

    assert errors == [
        "Dòng 3, chỉ báo 1.1.1: Bạn không được nhập số liệu chỉ báo 1.1.1 của Đơn vị HP-B."
    ]


def test_locked_year_is_refused(world, personas):
    world.year.state = EvaluationYear.State.LOCKED
    world.year.save()

    errors = refused(world, personas["standing_office"], row("1.1.1", **{"Có/Không": "Có"}))

    assert errors == ["Dòng 3, chỉ báo 1.1.1: Năm đánh giá 2022 đã khóa: không nhận thay đổi nào."]


def test_year_never_opened_is_refused(world, personas):
    errors = refused(
        world, personas["standing_office"], row("1.1.1", year=2023, **{"Có/Không": "Có"})
    )

    assert errors == ["Dòng 3, chỉ báo 1.1.1: Năm 2023 chưa mở để nhập số liệu."]


def test_same_unit_year_and_indicator_twice_is_refused(world, personas):
    first = row("1.1.1", **{"Có/Không": "Có"})
    second = WorkbookRow(8, {**first.cells, "Có/Không": "Không"})

    errors = refused(world, personas["standing_office"], first, second)

    assert errors == ["Dòng 8, chỉ báo 1.1.1: Trùng đơn vị, năm và chỉ báo với dòng 3."]


def test_every_wrong_row_of_the_file_is_listed(world, personas):
    rows = [row("1.1.2", **{"Tử số": "?", "Mẫu số": "?"}), row("9.9.9"), row("1.1.1", unit="")]

    errors = refused(world, personas["standing_office"], *rows)

    assert len(errors) == 4


def test_plan_with_errors_is_not_applied_and_nothing_changes(world, personas):
    entry(world, "1.1.2", numerator=7, denominator=10)
    before, office = snapshot(), personas["standing_office"]
    checked = plan(world, office, row("1.1.1", **{"Có/Không": "Có"}), row("9.9.9"))

    with pytest.raises(ValidationError):
        apply_import(actor=actor_for(office), user=office, plan=checked)

    assert snapshot() == before


# --- Applying ----------------------------------------------------------------------------------


def test_approve_by_the_standing_office_approves(world, personas):
    office = personas["standing_office"]

    result = apply(world, office, row("1.1.2", **{"Tử số": 7, "Mẫu số": 10}), approve=True)

    assert result["approved"] == 1
    assert Measurement.objects.get().status == "approved"


def test_approve_by_a_division_is_refused_and_nothing_is_written(world, personas):
    division = personas["division"]
    checked = plan(world, division, row("1.1.2", **{"Tử số": 7, "Mẫu số": 10}))

    with pytest.raises(PermissionDenied, match="Chỉ Cơ quan thường trực"):
        apply_import(actor=actor_for(division), user=division, plan=checked, approve=True)

    assert not Measurement.objects.exists()


def test_concurrent_edit_after_planning_rolls_everything_back(world, personas):
    office = personas["standing_office"]
    stored = entry(world, "1.1.2", numerator=7, denominator=10)
    rows = [row("1.1.1", **{"Có/Không": "Có"}), row("1.1.2", **{"Tử số": 8, "Mẫu số": 10})]
    checked = plan(world, office, *rows)
    Measurement.objects.filter(pk=stored.pk).update(numerator=9, version=2)  # someone else saved
    before = snapshot()

    with pytest.raises(ValidationError) as error:
        apply_import(actor=actor_for(office), user=office, plan=checked)

    assert error.value.messages[0].startswith("Dòng 4, chỉ báo 1.1.2: Số liệu vừa được người khác")
    assert snapshot() == before


def test_year_locked_after_planning_rolls_everything_back(world, personas):
    office = personas["standing_office"]
    checked = plan(world, office, row("1.1.1", **{"Có/Không": "Có"}))
    EvaluationYear.objects.filter(year=YEAR).update(state=EvaluationYear.State.LOCKED)

    with pytest.raises(ValidationError) as error:
        apply_import(actor=actor_for(office), user=office, plan=checked)

    assert error.value.messages[0].startswith("Dòng 3, chỉ báo 1.1.1: Năm đánh giá 2022 đã khóa")
    assert not Measurement.objects.exists()


def test_planning_costs_six_queries_however_many_rows(world, personas, django_assert_num_queries):
    actor = actor_for(personas["standing_office"])
    rows = [
        row(code, unit=unit, **{"Giá trị": 1}) for code in ROW_OF for unit in ("HP", "HP-A", "HP-B")
    ]

    with django_assert_num_queries(6):  # five, and the indicators' parts
        plan_import(actor=actor, rows=rows, criteria_set=world.criteria_set)


# --- Export ------------------------------------------------------------------------------------


def test_export_has_every_indicator_in_catalogue_order_with_its_requirement(world):
    rows = export_rows(criteria_set=world.criteria_set, unit=world.city, year=YEAR)

    assert [r.indicator_code for r in rows] == list(ROW_OF)
    assert rows[1].requirement == "Tối thiểu 70 %"
    assert rows[1].text == world.indicator("1.1.2").text


def test_export_shows_each_entry_whatever_its_status(world):
    entry(world, "1.1.1", status="draft", yes=False, note=NOTE)

    [first, *_] = export_rows(criteria_set=world.criteria_set, unit=world.city, year=YEAR)

    assert (first.yes, first.note) == (False, NOTE)


def test_export_shows_last_years_approved_value_when_no_previous_is_stored(world):
    approved_last_year(world, "2.1.1", Decimal("4.2"))

    rows = export_rows(criteria_set=world.criteria_set, unit=world.city, year=YEAR)

    assert rows[2].previous == Decimal("4.2")


def test_export_prefers_the_stored_previous_value(world):
    approved_last_year(world, "2.1.1", Decimal("4"))
    entry(world, "2.1.1", value=Decimal("2"), previous=Decimal("3.9"))

    rows = export_rows(criteria_set=world.criteria_set, unit=world.city, year=YEAR)

    assert rows[2].previous == Decimal("3.9")


def test_export_costs_four_queries_whatever_the_number_of_indicators(
    world, django_assert_num_queries
):
    with django_assert_num_queries(4):  # indicators, their parts, entries, last year
        export_rows(criteria_set=world.criteria_set, unit=world.city, year=YEAR)


def test_a_typed_2_1_2_of_the_city_is_refused_pointing_to_the_recognitions(world, personas):
    """Before: a typed share of recognised districts was imported (and, before issue 13.1,
    counted). It is counted from the committee's recognitions, never typed."""
    Indicator.objects.filter(pk=world.indicator("1.1.2").pk).update(
        list_source=ListSource.DISTRICT_VERDICTS
    )
    checked = plan(world, personas["standing_office"], row("1.1.2", **{"Tử số": 11, "Mẫu số": 15}))
    assert checked.errors == [
        "Dòng 4, chỉ báo 1.1.2: tỷ lệ này được tính từ các quyết định công nhận quận/huyện của "
        "Ban chỉ đạo; không nhập tử số, mẫu số (để trống dòng này)."
    ]


@pytest.mark.parametrize(("typed", "stored"), [("75 %", Decimal(75)), ("66,5%", Decimal("66.5"))])
def test_a_percent_sign_after_a_rate_is_read(world, personas, typed, stored):
    """1.1.2 is a share: its rate may be written as people write it (issue 13.6)."""
    checked = plan(world, personas["division"], row("1.1.2", **{"Giá trị": typed}))
    assert checked.errors == []
    assert checked.rows[0].data.value == stored


def test_a_percent_sign_after_a_level_is_refused(world, personas):
    """2.1.2 of the test set is an increase in «tỷ đồng»: a «%» there is a mistake."""
    checked = plan(world, personas["standing_office"], row("2.1.2", **{"Giá trị": "12 %"}))
    assert checked.errors == [
        "Dòng 6, chỉ báo 2.1.2: Giá trị: «12 %» không phải tỷ lệ; hãy ghi số theo tỷ đồng."
    ]


def test_a_previous_rate_of_a_stated_standard_needs_its_source_column(world, personas):
    """A typed previous figure other than last year's approved one needs its source, at the
    preview (not at the confirmation); given in its column, the row is planned."""
    Indicator.objects.filter(pk=world.indicator("2.1.1").pk).update(
        basis="chuẩn nghèo đa chiều giai đoạn 2022–2025"
    )
    checked = plan(
        world,
        personas["standing_office"],
        row("2.1.1", **{"Giá trị": "1,8", "Giá trị năm trước": "3,5"}),
    )
    assert checked.errors == [
        "Dòng 5, chỉ báo 2.1.1: giá trị năm trước khác số liệu đã duyệt đo theo chuẩn nghèo đa "
        "chiều giai đoạn 2022–2025: hãy ghi nguồn ở cột «Nguồn số liệu năm trước»."
    ]
    source = "Báo cáo rà soát hộ nghèo cuối năm 2021"
    cells = {"Giá trị": "1,8", "Giá trị năm trước": "3,5", "Nguồn số liệu năm trước": source}
    planned = plan(world, personas["standing_office"], row("2.1.1", **cells))
    assert planned.errors == []
    assert planned.rows[0].data.previous_source == source


def test_a_growth_rate_is_read_from_its_column(world, personas):
    Indicator.objects.filter(pk=world.indicator("2.1.2").pk).update(accepts_growth_rate=True)
    checked = plan(
        world, personas["standing_office"], row("2.1.2", **{"Tốc độ tăng trưởng (%)": "-1,2 %"})
    )
    assert checked.errors == []
    assert checked.rows[0].data.growth_rate == Decimal("-1.2")


def test_a_row_under_not_applicable_is_refused_at_the_preview(world, personas):
    """The preview says what the import will refuse: values wait until the indicator applies."""
    entry(
        world,
        "2.1.3",
        unit=world.district_b,
        status="not_applicable",
        not_applicable_reason="Huyện đảo, không có xã",
        version=1,
    )
    before = snapshot()
    checked = plan(world, personas["standing_office"], row("2.1.3", unit="HP-B", **{"Giá trị": 1}))
    assert checked.errors == [
        "Dòng 7, chỉ báo 2.1.3: Cơ quan thường trực đã đánh dấu chỉ báo này không áp dụng cho "
        "Đơn vị HP-B: không nhập số liệu được."
    ]
    assert snapshot() == before


# --- Estimates («Ước tính») -------------------------------------------------------------------


def test_the_estimate_column_marks_and_unmarks_an_entry_and_the_preview_says_so(world, personas):
    office = personas["standing_office"]
    import_bytes(
        world, office, filled(exported(world), {"2.1.2": {"Giá trị": 12, "Ước tính": "Có"}})
    )
    grdp = Measurement.objects.get(indicator__code="2.1.2")
    assert grdp.is_estimate is True
    assert {
        r.indicator_code: r.estimate
        for r in export_rows(criteria_set=world.criteria_set, unit=world.city, year=YEAR)
    }["2.1.2"] is True

    final = plan(
        world, office, *read_workbook(filled(exported(world), {"2.1.2": {"Ước tính": "không"}}))
    )
    [changed] = [r for r in final.rows if r.writes]
    assert [str(c) for c in changed.changes] == ["Ước tính: Có → Không"]
    apply_import(actor=actor_for(office), user=office, plan=final)
    assert Measurement.objects.get(indicator__code="2.1.2").is_estimate is False


def test_an_empty_estimate_cell_keeps_the_mark(world, personas):
    entry(world, "2.1.2", value=Decimal("12"), is_estimate=True)
    result = import_bytes(
        world,
        personas["standing_office"],
        filled(exported(world), {"2.1.2": {"Ước tính": None}}),
    )
    assert result["unchanged"] == 1
    assert Measurement.objects.get(indicator__code="2.1.2").is_estimate is True


def test_an_estimate_cell_that_is_not_yes_or_no_is_refused_by_row_and_nothing_is_written(
    world, personas
):
    before = snapshot()
    checked = plan(
        world, personas["standing_office"], row("2.1.2", **{"Giá trị": 12, "Ước tính": "gần đúng"})
    )
    assert checked.errors == [
        "Dòng 6, chỉ báo 2.1.2: Ước tính: «gần đúng» phải là «Có» hoặc «Không»."
    ]
    assert snapshot() == before
