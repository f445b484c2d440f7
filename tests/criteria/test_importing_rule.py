"""The recognition rule in the criteria-set workbook: the rows «Quy tắc công nhận» and «Số chỉ
báo phải đạt», written by every export, read and checked; older workbooks without them import
with every standard to meet."""

import pytest

from criteria.importing import criteria_set_import, criteria_set_plan_from_bytes, criteria_set_rows
from criteria.models import CriteriaSet
from criteria.workbooks import build_criteria_workbook
from tests.criteria.sheets import edited, sample_bytes, sample_sheet, set_metadata

pytestmark = pytest.mark.django_db


def planned(data: bytes):
    return criteria_set_plan_from_bytes(data)


def test_a_minimum_of_indicators_imports_and_exports_back():
    data = build_criteria_workbook(sample_sheet(rule="min_indicators", min_met=4))
    criteria_set = criteria_set_import(plan=planned(data))

    assert (criteria_set.recognition_rule, criteria_set.min_indicators_met) == (
        "min_indicators",
        4,
    )
    assert criteria_set_rows(criteria_set) == sample_sheet(rule="min_indicators", min_met=4)


def test_the_rule_is_read_by_its_name_in_any_case_without_diacritics():
    data = edited(sample_bytes(), set_metadata("Quy tắc công nhận", "dat so chi bao toi thieu"))
    data = edited(data, set_metadata("Số chỉ báo phải đạt", "3"))
    criteria_set = criteria_set_import(plan=planned(data))
    assert (criteria_set.recognition_rule, criteria_set.min_indicators_met) == (
        "min_indicators",
        3,
    )


def test_a_workbook_without_the_rule_rows_meets_every_standard():
    def drop(label):
        def change(sheet) -> None:
            sheet.delete_rows(next(r[0].row for r in sheet.iter_rows() if r[0].value == label))

        return change

    data = edited(edited(sample_bytes(), drop("Số chỉ báo phải đạt")), drop("Quy tắc công nhận"))
    criteria_set = criteria_set_import(plan=planned(data))
    assert (criteria_set.recognition_rule, criteria_set.min_indicators_met) == (
        "all_standards",
        None,
    )


# The sample set has five indicators; the rule is row 8, the count row 9.
@pytest.mark.parametrize(
    ("rule", "count", "message"),
    [
        ("Theo đa số", None, "Dòng 8, «Quy tắc công nhận»: «Theo đa số» không phải quy tắc"),
        ("Đạt mọi tiêu chuẩn", 3, "Dòng 9, «Số chỉ báo phải đạt»: chỉ ghi với quy tắc"),
        ("Đạt số chỉ báo tối thiểu", None, "Dòng 9, «Số chỉ báo phải đạt»: quy tắc «Đạt số chỉ"),
        ("Đạt số chỉ báo tối thiểu", 0, "Dòng 9, «Số chỉ báo phải đạt»: «0» phải là số nguyên"),
        (
            "Đạt số chỉ báo tối thiểu",
            6,
            "Dòng 9, «Số chỉ báo phải đạt»: 6 chỉ báo phải đạt, nhưng bộ tiêu chí chỉ có 5 "
            "chỉ báo.",
        ),
    ],
)
def test_a_bad_rule_is_refused_with_its_row_and_nothing_is_created(rule, count, message):
    data = edited(sample_bytes(), set_metadata("Quy tắc công nhận", rule))
    plan = planned(edited(data, set_metadata("Số chỉ báo phải đạt", count)))
    assert any(error.startswith(message) for error in plan.errors), plan.errors
    assert not plan.is_valid
    assert not CriteriaSet.objects.exists()
