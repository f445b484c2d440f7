"""Indicators made of several parts (issue 13.4): 3.1.5 is met only when solid waste and
wastewater both reach 90 %. Figures worked by hand in each test."""

from decimal import Decimal

import pytest

from criteria.scoring import (
    CatalogueSpec,
    CriterionSpec,
    IndicatorInput,
    IndicatorSpec,
    Kind,
    PartSpec,
    ScoringInputError,
    StandardSpec,
    Status,
    evaluate,
    input_from_mapping,
    is_fragile,
    score_indicator,
)

SOLID = "Chất thải rắn trên địa bàn"
WATER = "Nước thải khu dân cư tập trung, cơ sở sản xuất - kinh doanh"
WASTE = IndicatorSpec(
    code="3.1.5",
    kind=Kind.SHARE_AT_LEAST,
    threshold=Decimal(90),
    parts=(
        PartSpec("a", SOLID, Decimal(90)),
        PartSpec("b", WATER, Decimal(90)),
    ),
)


def two_parts(solid: dict, water: dict | None = None) -> IndicatorInput:
    data = {"parts": {"a": solid, **({"b": water} if water is not None else {})}}
    return input_from_mapping(WASTE, data)


def test_95_and_89_9_percent_is_not_met() -> None:
    result = score_indicator(WASTE, two_parts({"value": "95"}, {"value": "89,9"}))
    assert result.status is Status.NOT_MET
    solid, water = result.parts
    assert (solid.code, solid.status, solid.value) == ("a", Status.MET, 95)
    assert (water.code, water.status) == ("b", Status.NOT_MET)
    # 89,9 < 90: short by 0,1 point.
    assert water.explanation == "89,9 % < 90 % — Không đạt (còn thiếu 0,1 điểm %)"
    assert result.explanation == (
        f"a) {SOLID}: 95 % ≥ 90 % — Đạt; "
        f"b) {WATER}: 89,9 % < 90 % — Không đạt (còn thiếu 0,1 điểm %). "
        "Phần b chưa đạt — Không đạt"
    )


def test_both_parts_at_90_percent_or_more_is_met_with_the_weaker_margin() -> None:
    # 930/1000 = 93 % (margin 3); 181/200 = 90,5 % (margin 0,5): the weaker margin is 0,5.
    result = score_indicator(
        WASTE,
        two_parts({"numerator": 930, "denominator": 1000}, {"numerator": 181, "denominator": 200}),
    )
    assert result.status is Status.MET
    assert result.margin == Decimal("0.5")
    assert result.value is None
    assert result.explanation.endswith("Mọi phần đều đạt — Đạt")
    assert "181/200 = 90,50 %" in result.explanation
    assert is_fragile(result)  # 0,5 point over: within 2 points of the threshold


def test_a_part_without_data_leaves_the_indicator_without_data() -> None:
    result = score_indicator(WASTE, two_parts({"value": "95"}))
    assert result.status is Status.NO_DATA
    assert result.parts[1].status is Status.NO_DATA
    assert result.explanation.endswith("Phần b chưa có số liệu — Chưa có số liệu")


def test_a_part_not_met_outweighs_a_part_without_data() -> None:
    result = score_indicator(WASTE, two_parts({"value": "80"}))
    assert result.status is Status.NOT_MET


def test_no_input_at_all_has_no_data_in_each_part() -> None:
    result = score_indicator(WASTE, None)
    assert result.status is Status.NO_DATA
    assert [part.status for part in result.parts] == [Status.NO_DATA, Status.NO_DATA]


def test_the_whole_indicator_may_be_not_applicable() -> None:
    data = {"not_applicable": True, "reason": "Không có khu sản xuất"}
    result = score_indicator(WASTE, input_from_mapping(WASTE, data))
    assert result.status is Status.NOT_APPLICABLE
    assert result.parts == ()


def test_the_json_carries_the_parts_under_their_indicator() -> None:
    catalogue = CatalogueSpec(
        standards=(StandardSpec("3", (CriterionSpec("3.1", (WASTE,)),)),),
    )
    evaluation = evaluate(catalogue, {"3.1.5": two_parts({"value": "95"}, {"value": "89,9"})})
    (indicator,) = evaluation.to_json(2022, "HP")["indicators"]
    assert indicator["status"] == "not_met"
    assert indicator["value"] is None
    assert indicator["parts"] == [
        {
            "code": "a",
            "name": SOLID,
            "status": "met",
            "value": "95",
            "margin": "5",
            "explanation": "95 % ≥ 90 % — Đạt",
        },
        {
            "code": "b",
            "name": WATER,
            "status": "not_met",
            "value": "89.9",
            "margin": "-0.1",
            "explanation": "89,9 % < 90 % — Không đạt (còn thiếu 0,1 điểm %)",
        },
    ]


def test_an_indicator_without_parts_keeps_its_json_shape() -> None:
    spec = IndicatorSpec(code="2.1.1", kind=Kind.SHARE_AT_LEAST, threshold=Decimal(70))
    catalogue = CatalogueSpec(standards=(StandardSpec("2", (CriterionSpec("2.1", (spec,)),)),))
    (indicator,) = evaluate(catalogue, {}).to_json(2022, "HP")["indicators"]
    assert set(indicator) == {"code", "status", "value", "margin", "explanation"}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"value": "95"}, "nhập số liệu của từng phần"),
        ({"parts": {"c": {"value": "95"}}}, "Không có phần «c»"),
        ({"parts": {"a": {"value": "101"}}}, "Phần a: Tỷ lệ (%) không được lớn hơn 100 %"),
        ({"parts": {"a": {"numerator": 5, "denominator": 4}}}, "Phần a: Tử số (5)"),
        (
            {"parts": {"a": {"yes": True}}},
            "Phần a: Chỉ báo loại «Tỷ lệ tối thiểu bằng yêu cầu» không nhận",
        ),
        ({"parts": ["a"]}, "Các phần phải có dạng"),
    ],
)
def test_bad_part_input_is_refused_naming_the_part(data: dict, message: str) -> None:
    with pytest.raises(ScoringInputError, match=r"^Chỉ báo 3\.1\.5: ") as caught:
        input_from_mapping(WASTE, data)
    assert message in caught.value.message


def test_an_indicator_without_parts_refuses_parts() -> None:
    spec = IndicatorSpec(code="2.1.1", kind=Kind.SHARE_AT_LEAST, threshold=Decimal(70))
    with pytest.raises(ScoringInputError, match="không gồm nhiều phần"):
        input_from_mapping(spec, {"parts": {"a": {"value": "95"}}})


def test_only_a_share_or_a_rate_has_parts() -> None:
    with pytest.raises(ValueError, match="Only a share or a rate has parts"):
        IndicatorSpec(
            code="3.1.1",
            kind=Kind.INCREASE,
            threshold=None,
            parts=(PartSpec("a", "GRDP", Decimal(90)),),
        )
