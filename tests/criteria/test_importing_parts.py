"""Indicators made of parts in the criteria-set workbook (issue 13.4): «Phần» rows under their
indicator, exported and imported back, and refused with their row when misplaced."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from criteria.importing import criteria_set_import, criteria_set_plan_from_bytes, criteria_set_rows
from criteria.models import IndicatorPart
from criteria.workbooks import (
    CRITERION,
    INDICATOR,
    PART,
    STANDARD,
    CriteriaSetSheet,
    ItemRow,
    build_criteria_workbook,
)
from tests.criteria.sheets import metadata

pytestmark = pytest.mark.django_db

WASTE = ItemRow(
    INDICATOR,
    "3.1.5",
    "Chất thải rắn và nước thải được thu gom, xử lý đạt từ 90% trở lên",
    "Báo cáo của Sở Tài nguyên và Môi trường",
    "share_at_least",
    Decimal(90),
    "%",
)
SOLID = ItemRow(PART, "a", "Chất thải rắn trên địa bàn", threshold=Decimal(90))
WATER = ItemRow(PART, "b", "Nước thải khu dân cư tập trung", threshold=Decimal("92.5"))
PLAN = ItemRow(INDICATOR, "3.1.6", "Có kế hoạch bảo vệ môi trường", "", "document")


def sheet(*rows: ItemRow) -> CriteriaSetSheet:
    head = (ItemRow(STANDARD, "3", "Kinh tế, môi trường"), ItemRow(CRITERION, "3.1", "Môi trường"))
    return CriteriaSetSheet(metadata(), (*head, *rows))


def test_parts_import_under_their_indicator_and_export_back_the_same():
    criteria_set = criteria_set_import(
        plan=criteria_set_plan_from_bytes(build_criteria_workbook(sheet(WASTE, SOLID, WATER, PLAN)))
    )

    parts = IndicatorPart.objects.order_by("position").values_list(
        "indicator__code", "code", "name", "threshold", "position"
    )
    assert list(parts) == [
        ("3.1.5", "a", "Chất thải rắn trên địa bàn", Decimal(90), 1),
        ("3.1.5", "b", "Nước thải khu dân cư tập trung", Decimal("92.5"), 2),
    ]
    assert criteria_set_rows(criteria_set) == sheet(WASTE, SOLID, WATER, PLAN)


def test_the_preview_shows_the_parts_under_their_indicator():
    plan = criteria_set_plan_from_bytes(build_criteria_workbook(sheet(WASTE, SOLID, WATER)))
    ((_, ((_, (indicator,)),)),) = plan.tree()
    assert [(p.code, p.requirement_text) for p in indicator.part_list] == [
        ("a", "Tối thiểu 90 %"),
        ("b", "Tối thiểu 92,5 %"),
    ]
    assert plan.counts == {"standard": 1, "criterion": 1, "indicator": 1, "part": 2}


# Rows: metadata 1–9, header 10, standard 11, criterion 12, then the rows given.
@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            (PLAN, SOLID, WATER),
            "Dòng 14, mã a: chỉ báo 3.1.6 không phải tỷ lệ: chỉ chỉ báo «Tỷ lệ tối thiểu» hoặc "
            "«Tỷ lệ dưới ngưỡng» mới gồm nhiều phần.",
        ),
        ((WASTE, SOLID, SOLID), "Dòng 15, mã a: chỉ báo 3.1.5 đã có phần «a»."),
        (
            (WASTE, SOLID),
            "Chỉ báo 3.1.5: chỉ có một phần; một chỉ báo gồm ít nhất hai phần, hoặc không chia "
            "phần.",
        ),
        (
            (WASTE, ItemRow(PART, "a", "Chất thải rắn"), WATER),
            "Dòng 14, mã a: phần cần ngưỡng (ô «Ngưỡng»).",
        ),
        (
            (WASTE, ItemRow(PART, "A-1", "Chất thải rắn", threshold=Decimal(90)), WATER),
            "Dòng 14, mã A-1: mã phần phải là chữ thường không dấu hoặc chữ số",
        ),
        (
            (WASTE, ItemRow(PART, "a", "Rắn", kind="share_at_least", threshold=Decimal(90)), WATER),
            "Dòng 14, mã a: dòng phần không có «Kiểu đánh giá»; hãy để trống",
        ),
    ],
)
def test_misplaced_or_incomplete_parts_are_refused_with_their_row(rows, message):
    plan = criteria_set_plan_from_bytes(build_criteria_workbook(sheet(*rows)))
    with pytest.raises(ValidationError) as error:
        criteria_set_import(plan=plan)
    assert any(text.startswith(message) for text in error.value.messages), error.value.messages
    assert not IndicatorPart.objects.exists()


def test_a_part_before_any_indicator_is_refused():
    data = build_criteria_workbook(
        CriteriaSetSheet(metadata(), (ItemRow(STANDARD, "3", "Môi trường"), SOLID))
    )
    errors = criteria_set_plan_from_bytes(data).errors
    assert "Dòng 12, mã a: dòng «Phần» phải đứng ngay dưới chỉ báo của nó." in errors
