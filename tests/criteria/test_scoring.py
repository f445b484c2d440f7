"""Scoring of the learning-city indicators and the roll-up to a verdict (pure, no database)."""

import json
from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest

from common.numbers import parse_decimal
from criteria.scoring import (
    KINDS,
    RECOGNITION_RULES,
    CatalogueSpec,
    CriterionSpec,
    Evaluation,
    GroupResult,
    IndicatorInput,
    IndicatorResult,
    IndicatorSpec,
    Kind,
    ScoringInputError,
    StandardSpec,
    Status,
    Verdict,
    combine,
    evaluate,
    input_from_mapping,
    is_fragile,
    kind_facts,
    score_indicator,
    validate_input,
)

MET, NOT_MET, NO_DATA, NOT_APPLICABLE = (
    Status.MET,
    Status.NOT_MET,
    Status.NO_DATA,
    Status.NOT_APPLICABLE,
)


def _document(code: str) -> IndicatorSpec:
    return IndicatorSpec(code, Kind.DOCUMENT, None)


def _share(code: str, threshold: str) -> IndicatorSpec:
    return IndicatorSpec(code, Kind.SHARE_AT_LEAST, Decimal(threshold), "%")


# The 20 indicators of the Hải Phòng 2022 pilot (fixtures/haiphong_2022.json), in catalogue order.
HAI_PHONG: dict[str, IndicatorSpec] = {
    spec.code: spec
    for spec in (
        _document("1.1.1"),
        _document("1.1.2"),
        _document("1.2.1"),
        _document("1.2.2"),
        _document("1.2.3"),
        _share("2.1.1", "70"),
        _share("2.1.2", "70"),
        _share("2.2.1", "70"),
        _share("2.2.2", "70"),
        _share("2.2.3", "70"),
        _share("2.2.4", "70"),
        IndicatorSpec("3.1.1", Kind.INCREASE, None, "tỷ đồng"),
        IndicatorSpec("3.1.2", Kind.DROP_AT_LEAST, Decimal("1.5"), "điểm %"),
        IndicatorSpec("3.1.3", Kind.INCREASE, None, "sản phẩm"),
        _share("3.1.4", "66"),
        _share("3.1.5", "90"),
        _document("3.2.1"),
        _document("3.2.2"),
        IndicatorSpec("3.2.3", Kind.RATE_BELOW, Decimal("0.05"), "%"),
        _share("3.2.4", "50"),
    )
}


def build_catalogue(specs: Iterable[IndicatorSpec], rule: str = "all_standards") -> CatalogueSpec:
    """Group indicators "s.c.i" into criterion "s.c" and standard "s", keeping their order."""
    tree: dict[str, dict[str, list[IndicatorSpec]]] = {}
    for spec in specs:
        criterion = spec.code.rsplit(".", 1)[0]
        standard = criterion.split(".")[0]
        tree.setdefault(standard, {}).setdefault(criterion, []).append(spec)
    standards = tuple(
        StandardSpec(
            standard, tuple(CriterionSpec(code, tuple(items)) for code, items in crits.items())
        )
        for standard, crits in tree.items()
    )
    return CatalogueSpec(standards, rule)


HAI_PHONG_CATALOGUE = build_catalogue(HAI_PHONG.values())


def counts(numerator: int, denominator: int) -> IndicatorInput:
    return IndicatorInput(numerator=Decimal(numerator), denominator=Decimal(denominator))


def percent(value: str) -> IndicatorInput:
    return IndicatorInput(value=Decimal(value))


def years(previous: str, value: str) -> IndicatorInput:
    return IndicatorInput(previous=Decimal(previous), value=Decimal(value))


def not_applicable(reason: str = "Địa phương không có đối tượng này") -> IndicatorInput:
    return IndicatorInput(not_applicable=True, reason=reason)


def score(code: str, measurement: IndicatorInput | None) -> IndicatorResult:
    return score_indicator(HAI_PHONG[code], measurement)


def _share_boundaries(code: str) -> list[Any]:
    threshold = HAI_PHONG[code].threshold
    assert threshold is not None
    on = int(threshold * 1000)
    step = Decimal("0.001")
    return [
        pytest.param(code, counts(on, 100_000), MET, id=f"{code}-counts-on"),
        pytest.param(code, counts(on - 1, 100_000), NOT_MET, id=f"{code}-counts-just-below"),
        pytest.param(code, counts(on + 1, 100_000), MET, id=f"{code}-counts-just-above"),
        pytest.param(code, IndicatorInput(value=threshold), MET, id=f"{code}-typed-on"),
        pytest.param(
            code, IndicatorInput(value=threshold - step), NOT_MET, id=f"{code}-typed-below"
        ),
        pytest.param(code, IndicatorInput(value=threshold + step), MET, id=f"{code}-typed-above"),
    ]


def _increase_boundaries(code: str, previous: int) -> list[Any]:
    return [
        pytest.param(code, years(str(previous), str(previous)), NOT_MET, id=f"{code}-on"),
        pytest.param(code, years(str(previous), str(previous - 1)), NOT_MET, id=f"{code}-below"),
        pytest.param(code, years(str(previous), str(previous + 1)), MET, id=f"{code}-above"),
    ]


SHARES = ["2.1.1", "2.1.2", "2.2.1", "2.2.2", "2.2.3", "2.2.4", "3.1.4", "3.1.5", "3.2.4"]
DOCUMENTS = ["1.1.1", "1.1.2", "1.2.1", "1.2.2", "1.2.3", "3.2.1", "3.2.2"]

BOUNDARIES = [
    *[case for code in SHARES for case in _share_boundaries(code)],
    *[
        pytest.param(code, IndicatorInput(yes=yes), status, id=f"{code}-{status.value}")
        for code in DOCUMENTS
        for yes, status in ((True, MET), (False, NOT_MET))
    ],
    # 3.2.3: strictly below 0,05 %, i.e. fewer than 10 pupils in 20.000.
    pytest.param("3.2.3", counts(10, 20_000), NOT_MET, id="3.2.3-counts-on"),
    pytest.param("3.2.3", counts(9, 20_000), MET, id="3.2.3-counts-just-below"),
    pytest.param("3.2.3", counts(11, 20_000), NOT_MET, id="3.2.3-counts-just-above"),
    pytest.param("3.2.3", percent("0.05"), NOT_MET, id="3.2.3-typed-on"),
    pytest.param("3.2.3", percent("0.049"), MET, id="3.2.3-typed-below"),
    pytest.param("3.2.3", percent("0.051"), NOT_MET, id="3.2.3-typed-above"),
    # 3.1.2: the poverty rate drops by at least 1,5 points.
    pytest.param("3.1.2", years("3.3", "1.8"), MET, id="3.1.2-on"),
    pytest.param("3.1.2", years("3.3", "1.81"), NOT_MET, id="3.1.2-just-below"),
    pytest.param("3.1.2", years("3.3", "1.79"), MET, id="3.1.2-just-above"),
    *_increase_boundaries("3.1.1", 245_000),
    *_increase_boundaries("3.1.3", 12),
]


def test_the_boundary_table_covers_all_twenty_indicators() -> None:
    covered = {case.values[0] for case in BOUNDARIES}
    assert covered == set(HAI_PHONG)
    assert len(HAI_PHONG) == 20


@pytest.mark.parametrize(("code", "measurement", "expected"), BOUNDARIES)
def test_each_indicator_is_scored_on_either_side_of_its_threshold(
    code: str, measurement: IndicatorInput, expected: Status
) -> None:
    assert score(code, measurement).status is expected


@pytest.mark.parametrize(
    ("code", "measurement", "explanation"),
    [
        ("2.1.1", counts(56, 80), "56/80 = 70,00 % ≥ 70 % — Đạt"),
        ("2.1.1", counts(55, 80), "55/80 = 68,75 % < 70 % — Không đạt (còn thiếu 1,25 điểm %)"),
        (
            "2.1.1",
            counts(13_999, 20_000),
            "13.999/20.000 = 69,995 % < 70 % — Không đạt (còn thiếu 0,005 điểm %)",
        ),
        ("2.1.1", counts(1, 3), "1/3 = 33,33 % < 70 % — Không đạt (còn thiếu 36,67 điểm %)"),
        ("3.1.4", percent("66.5"), "66,5 % ≥ 66 % — Đạt"),
        ("3.1.4", percent("66.50"), "66,5 % ≥ 66 % — Đạt"),
        ("3.1.4", percent("65.9"), "65,9 % < 66 % — Không đạt (còn thiếu 0,1 điểm %)"),
        ("3.2.3", counts(9, 20_000), "9/20.000 = 0,045 % < 0,05 % — Đạt"),
        ("3.2.3", percent("0.05"), "0,05 % không dưới 0,05 % — Không đạt"),
        ("3.2.3", counts(10, 20_000), "10/20.000 = 0,05 % không dưới 0,05 % — Không đạt"),
        (
            "3.2.3",
            percent("0.06"),
            "0,06 % không dưới 0,05 % — Không đạt (cao hơn yêu cầu 0,01 điểm %)",
        ),
        (
            "3.1.2",
            years("3.3", "1.8"),
            "Giảm 1,5 điểm % (3,3 % → 1,8 %), yêu cầu giảm ≥ 1,5 điểm % — Đạt",
        ),
        (
            "3.1.2",
            years("3.3", "1.9"),
            "Giảm 1,4 điểm % (3,3 % → 1,9 %), yêu cầu giảm ≥ 1,5 điểm % — Không đạt"
            " (còn thiếu 0,1 điểm %)",
        ),
        (
            "3.1.2",
            years("3.3", "3.5"),
            "Tăng 0,2 điểm % (3,3 % → 3,5 %), yêu cầu giảm ≥ 1,5 điểm % — Không đạt",
        ),
        (
            "3.1.2",
            years("3.3", "3.3"),
            "Không giảm (3,3 % → 3,3 %), yêu cầu giảm ≥ 1,5 điểm % — Không đạt",
        ),
        (
            "3.1.1",
            years("245000", "277000"),
            "Tăng 32.000 tỷ đồng so với năm trước (245.000 tỷ đồng → 277.000 tỷ đồng) — Đạt",
        ),
        (
            "3.1.3",
            years("12", "12"),
            "Không tăng so với năm trước (12 sản phẩm → 12 sản phẩm) — Không đạt",
        ),
        (
            "3.1.1",
            years("245000", "244000"),
            "Giảm 1.000 tỷ đồng so với năm trước (245.000 tỷ đồng → 244.000 tỷ đồng) — Không đạt",
        ),
        ("1.1.1", IndicatorInput(yes=True), "Có văn bản — Đạt"),
        ("1.1.1", IndicatorInput(yes=False), "Không có văn bản — Không đạt"),
        ("1.1.1", IndicatorInput(), "Chưa có số liệu"),
        ("1.1.1", not_applicable("Chưa thành lập"), "Không áp dụng: Chưa thành lập"),
    ],
)
def test_the_explanation_is_one_vietnamese_sentence(
    code: str, measurement: IndicatorInput, explanation: str
) -> None:
    assert score(code, measurement).explanation == explanation


@pytest.mark.parametrize(
    ("previous", "value", "explanation"),
    [
        ("245000", "245000", "Không tăng so với năm trước (245.000 → 245.000) — Không đạt"),
        ("245000", "244000", "Giảm 1.000 so với năm trước (245.000 → 244.000) — Không đạt"),
        ("245000", "277000", "Tăng 32.000 so với năm trước (245.000 → 277.000) — Đạt"),
    ],
)
def test_an_increase_without_a_unit_shows_bare_numbers(
    previous: str, value: str, explanation: str
) -> None:
    spec = IndicatorSpec("9.9.9", Kind.INCREASE, None)
    assert score_indicator(spec, years(previous, value)).explanation == explanation


# --- Decimal traps -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        {"previous": "3,3", "value": "1,8"},
        {"previous": "3.3", "value": "1.8"},
        {"previous": 3.3, "value": 1.8},
        {"previous": Decimal("3.30"), "value": Decimal("1.80")},
    ],
    ids=["decimal-comma", "decimal-point", "excel-floats", "json-decimals"],
)
def test_a_drop_from_3_3_to_1_8_is_exactly_1_5_points_and_is_met(data: dict[str, Any]) -> None:
    result = score("3.1.2", input_from_mapping(HAI_PHONG["3.1.2"], data))
    assert result.status is MET
    assert result.value == Fraction(3, 2)
    assert result.margin == 0


@pytest.mark.parametrize(
    ("spec", "measurement"),
    [
        (_share("9.9.1", "29"), counts(29, 100)),
        (_share("9.9.2", "57"), counts(57, 100)),
        (_share("9.9.3", "58"), counts(87, 150)),
        (IndicatorSpec("9.9.4", Kind.DROP_AT_LEAST, Decimal("0.2")), years("0.3", "0.1")),
        (IndicatorSpec("9.9.5", Kind.DROP_AT_LEAST, Decimal("1.5")), years("1.7", "0.2")),
    ],
    ids=["29/100", "57/100", "87/150", "0.3-0.1", "1.7-0.2"],
)
def test_values_that_floating_point_would_misjudge_are_met(
    spec: IndicatorSpec, measurement: IndicatorInput
) -> None:
    assert score_indicator(spec, measurement).status is MET


def test_13999_of_20000_is_not_70_percent() -> None:
    result = score("2.1.1", counts(13_999, 20_000))
    assert result.status is NOT_MET
    assert result.value == Fraction(69995, 1000)
    assert result.value_text == "69.995"


def test_13999_of_20000_is_never_displayed_as_70_00() -> None:
    result = score("2.1.1", counts(13_999, 20_000))
    assert "70,00" not in result.explanation
    assert "69,995 %" in result.explanation


def test_the_scored_quantities_are_exact_fractions_never_floats() -> None:
    result = score("2.1.1", counts(1, 3))
    assert type(result.value) is Fraction
    assert type(result.margin) is Fraction
    assert result.value == Fraction(100, 3)
    assert result.margin == Fraction(100, 3) - 70


@pytest.mark.parametrize(
    ("code", "value_text", "margin"),
    [
        ("2.1.1", "33.333333", "-36.666667"),
        ("3.2.3", "33.333334", "-33.283334"),
    ],
    ids=["at-least-rounds-down", "below-rounds-up"],
)
def test_a_third_is_rounded_to_six_decimals_toward_the_failing_side(
    code: str, value_text: str, margin: str
) -> None:
    result = score(code, counts(1, 3))
    assert result.value_text == value_text
    assert result.margin_plain == margin


def test_the_json_value_gains_decimals_rather_than_reach_the_threshold() -> None:
    # 25/50.001 = 0,04999900002… %: rounded up to 6 decimals it would read 0,05 %, which is not
    # below 0,05 %, so the value carries a seventh decimal.
    result = score("3.2.3", counts(25, 50_001))
    assert result.status is MET
    assert result.value_text == "0.0499991"


def test_the_explanation_gains_decimals_rather_than_contradict_the_verdict() -> None:
    result = score("3.2.3", counts(1, 2_001))
    assert result.explanation == "1/2.001 = 0,04998 % < 0,05 % — Đạt"


def test_the_explanation_rounds_as_people_do_when_that_agrees_with_the_verdict() -> None:
    result = score("2.2.3", counts(2, 3))
    assert result.explanation == "2/3 = 66,67 % < 70 % — Không đạt (còn thiếu 3,33 điểm %)"
    assert result.margin_sentence.vietnamese() == "Còn thiếu 3,33 điểm %"


def test_a_rate_below_rounds_to_the_nearest_figure_that_agrees() -> None:
    result = score("3.2.3", counts(95, 210_000))
    assert result.explanation == "95/210.000 = 0,045 % < 0,05 % — Đạt"


def test_a_terminating_percentage_is_shown_exactly_in_json() -> None:
    assert score("2.1.1", counts(1, 1_024)).value_text == "0.09765625"


def _shown_percentage(explanation: str) -> Decimal:
    """The percentage a count-based sentence displays, read back with the number parser."""
    return parse_decimal(explanation.split(" = ")[1].split(" %")[0])


def _near(fraction: Fraction, denominators: Iterable[int]) -> list[tuple[int, int]]:
    pairs = []
    for denominator in denominators:
        middle = int(fraction * denominator)
        for numerator in range(max(middle - 2, 0), min(middle + 3, denominator + 1)):
            pairs.append((numerator, denominator))
    return pairs


@pytest.mark.parametrize(
    ("code", "pairs"),
    [
        ("2.1.1", _near(Fraction(7, 10), range(1, 600))),
        ("3.1.5", _near(Fraction(9, 10), range(1, 600))),
        ("3.2.3", _near(Fraction(1, 2000), range(1, 120_000, 97))),
    ],
    ids=["share-70", "share-90", "rate-0.05"],
)
def test_the_displayed_figures_never_contradict_the_verdict(
    code: str, pairs: list[tuple[int, int]]
) -> None:
    spec = HAI_PHONG[code]
    threshold = spec.threshold
    assert threshold is not None
    for numerator, denominator in pairs:
        result = score(code, counts(numerator, denominator))
        shown = _shown_percentage(result.explanation)
        sent = Decimal(str(result.value_text))
        if spec.kind is Kind.RATE_BELOW:
            passes = shown < threshold and sent < threshold
            fails = shown >= threshold and sent >= threshold
        else:
            passes = shown >= threshold and sent >= threshold
            fails = shown < threshold and sent < threshold
        assert passes if result.status is MET else fails, (numerator, denominator, result)


# --- Reading input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "data", "expected"),
    [
        ("3.1.4", {"value": "66,5"}, IndicatorInput(value=Decimal("66.5"))),
        (
            "2.1.1",
            {"numerator": "13.999", "denominator": "20.000"},
            counts(13_999, 20_000),
        ),
        ("2.1.1", {"numerator": "56", "denominator": "80,0"}, counts(56, 80)),
        ("3.1.1", {"previous": "245.000", "value": "277.000"}, years("245000", "277000")),
        ("3.1.2", {"previous": "3,3", "value": "1,8"}, years("3.3", "1.8")),
        ("3.2.3", {"value": "0.05"}, percent("0.05")),
        ("3.2.3", {"numerator": 9, "denominator": 20_000}, counts(9, 20_000)),
        ("2.1.1", {"value": Decimal("70.0")}, IndicatorInput(value=Decimal("70.0"))),
        ("2.1.1", {"value": 0.7}, percent("0.7")),
        ("1.1.1", {"yes": True}, IndicatorInput(yes=True)),
        ("1.1.1", {"yes": False}, IndicatorInput(yes=False)),
        ("1.1.1", {"not_applicable": True, "reason": "  Lý do  "}, not_applicable("Lý do")),
        ("2.1.1", {"not_applicable": False, "value": 70}, percent("70")),
        ("2.1.1", {"value": None, "numerator": 1, "denominator": 2}, counts(1, 2)),
        ("2.1.1", {"value": "  ", "numerator": 1, "denominator": 2}, counts(1, 2)),
        ("2.1.1", {}, IndicatorInput()),
    ],
)
def test_raw_input_is_read_into_a_measurement(
    code: str, data: dict[str, Any], expected: IndicatorInput
) -> None:
    assert input_from_mapping(HAI_PHONG[code], data) == expected


def test_json_read_with_decimal_floats_scores_exactly() -> None:
    data = json.loads('{"previous": 3.3, "value": 1.8}', parse_float=Decimal)
    assert score("3.1.2", input_from_mapping(HAI_PHONG["3.1.2"], data)).status is MET


def test_a_decimal_comma_percentage_is_explained_as_typed() -> None:
    measurement = input_from_mapping(HAI_PHONG["3.1.4"], {"value": "66,5"})
    assert score("3.1.4", measurement).explanation == "66,5 % ≥ 66 % — Đạt"


@pytest.mark.parametrize(
    ("code", "data"),
    [
        ("2.1.1", {"value": 100}),
        ("2.1.1", {"value": 0}),
        ("2.1.1", {"numerator": 80, "denominator": 80}),
        ("2.1.1", {"numerator": 0, "denominator": 80}),
        ("3.1.2", {"previous": 100, "value": 0}),
        ("3.1.1", {"previous": 245_000, "value": 277_000}),
        ("3.1.3", {"previous": 0, "value": 0}),
    ],
)
def test_values_at_the_edges_of_their_range_are_accepted(code: str, data: dict[str, Any]) -> None:
    input_from_mapping(HAI_PHONG[code], data)


INVALID_INPUTS = [
    pytest.param("2.1.1", {"ratio": 70}, "Không có trường «ratio».", id="unknown-key"),
    pytest.param(
        "2.1.1",
        {"value": 70, "note": "x", "Value": 1},
        "Không có trường «Value», «note».",
        id="unknown-keys",
    ),
    pytest.param(
        "2.1.1",
        {"yes": True},
        "Chỉ báo loại «Tỷ lệ tối thiểu bằng yêu cầu» không nhận «Có văn bản».",
        id="yes-for-a-share",
    ),
    pytest.param(
        "3.1.1",
        {"yes": False},
        "Chỉ báo loại «Tăng so với năm trước» không nhận «Có văn bản».",
        id="yes-for-an-increase",
    ),
    pytest.param(
        "1.1.1",
        {"value": 1},
        "Chỉ báo loại «Có văn bản» không nhận «Giá trị».",
        id="number-for-a-document",
    ),
    pytest.param(
        "1.1.1",
        {"numerator": 1, "denominator": 2},
        "Chỉ báo loại «Có văn bản» không nhận «Tử số», «Mẫu số».",
        id="counts-for-a-document",
    ),
    pytest.param(
        "3.1.2",
        {"numerator": 1, "denominator": 2},
        "Chỉ báo loại «Giảm ít nhất bằng yêu cầu (điểm %)» không nhận «Tử số», «Mẫu số».",
        id="counts-for-a-drop",
    ),
    pytest.param(
        "3.1.1",
        {"numerator": 1, "denominator": 2, "value": 3},
        "Chỉ báo loại «Tăng so với năm trước» không nhận «Tử số», «Mẫu số».",
        id="counts-for-an-increase",
    ),
    pytest.param(
        "2.1.1",
        {"value": 70, "previous": 60},
        "Chỉ báo loại «Tỷ lệ tối thiểu bằng yêu cầu» không nhận «Giá trị năm trước».",
        id="previous-for-a-share",
    ),
    pytest.param("2.1.1", {"numerator": 5}, "Cần nhập cả tử số và mẫu số.", id="numerator-alone"),
    pytest.param(
        "3.2.3", {"denominator": 5}, "Cần nhập cả tử số và mẫu số.", id="denominator-alone"
    ),
    pytest.param(
        "2.1.1",
        {"numerator": 56, "denominator": 80, "value": 70},
        "Chỉ nhập tử số và mẫu số, hoặc tỷ lệ (%), không nhập cả hai.",
        id="counts-and-value",
    ),
    pytest.param(
        "2.1.1",
        {"numerator": 81, "denominator": 80},
        "Tử số (81) không được lớn hơn mẫu số (80).",
        id="numerator-above-denominator",
    ),
    pytest.param(
        "2.1.1",
        {"numerator": "20.001", "denominator": "20.000"},
        "Tử số (20.001) không được lớn hơn mẫu số (20.000).",
        id="numerator-above-denominator-grouped",
    ),
    pytest.param(
        "2.1.1",
        {"numerator": 0, "denominator": 0},
        "Mẫu số phải lớn hơn 0.",
        id="denominator-zero",
    ),
    pytest.param(
        "2.1.1",
        {"numerator": -1, "denominator": 80},
        "Tử số không được là số âm (đã nhập -1).",
        id="negative-numerator",
    ),
    pytest.param(
        "2.1.1",
        {"value": "-5"},
        "Tỷ lệ (%) không được là số âm (đã nhập -5).",
        id="negative-percentage",
    ),
    pytest.param(
        "3.1.1",
        {"previous": "-1", "value": 2},
        "Giá trị năm trước không được là số âm (đã nhập -1).",
        id="negative-previous",
    ),
    pytest.param(
        "3.1.3",
        {"previous": 1, "value": -2},
        "Giá trị năm đánh giá không được là số âm (đã nhập -2).",
        id="negative-value",
    ),
    pytest.param(
        "2.1.1",
        {"numerator": "11,5", "denominator": 20},
        "Tử số: «11,5» không phải là số nguyên.",
        id="fractional-numerator-text",
    ),
    pytest.param(
        "2.1.1",
        {"numerator": 11, "denominator": Decimal("20.5")},
        "Mẫu số: «20,5» không phải là số nguyên.",
        id="fractional-denominator-decimal",
    ),
    pytest.param(
        "2.1.1",
        {"value": "100,01"},
        "Tỷ lệ (%) không được lớn hơn 100 % (đã nhập 100,01 %).",
        id="share-above-100",
    ),
    pytest.param(
        "3.2.3",
        {"value": 101},
        "Tỷ lệ (%) không được lớn hơn 100 % (đã nhập 101 %).",
        id="rate-above-100",
    ),
    pytest.param(
        "3.1.2",
        {"previous": 3, "value": 150},
        "Tỷ lệ năm đánh giá (%) không được lớn hơn 100 % (đã nhập 150 %).",
        id="drop-value-above-100",
    ),
    pytest.param(
        "3.1.2",
        {"previous": "100,5", "value": 3},
        "Tỷ lệ năm trước (%) không được lớn hơn 100 % (đã nhập 100,5 %).",
        id="drop-previous-above-100",
    ),
    pytest.param("2.1.1", {"value": "abc"}, "Tỷ lệ (%): «abc» không phải là số.", id="text-value"),
    pytest.param(
        "2.1.1",
        {"numerator": "mười", "denominator": 20},
        "Tử số: «mười» không phải là số.",
        id="text-numerator",
    ),
    pytest.param(
        "3.1.1",
        {"previous": "n/a", "value": 1},
        "Giá trị năm trước: «n/a» không phải là số.",
        id="text-previous",
    ),
    pytest.param("2.1.1", {"value": "NaN"}, "Tỷ lệ (%): «NaN» không phải là số.", id="nan-text"),
    pytest.param(
        "2.1.1",
        {"value": Decimal("NaN")},
        "Tỷ lệ (%): «NaN» không phải là số.",
        id="nan-decimal",
    ),
    pytest.param(
        "3.1.1",
        {"previous": 1, "value": "1e309"},
        "Giá trị năm đánh giá: «1e309» không phải là số.",
        id="exponent",
    ),
    pytest.param("2.1.1", {"value": True}, "Tỷ lệ (%): «True» không phải là số.", id="bool-number"),
    pytest.param("2.1.1", {"value": [70]}, "Tỷ lệ (%): «[70]» không phải là số.", id="list-number"),
    pytest.param("1.1.1", {"yes": "có"}, "Có văn bản: «có» phải là true hoặc false.", id="yes-co"),
    pytest.param(
        "1.1.1",
        {"yes": "không"},
        "Có văn bản: «không» phải là true hoặc false.",
        id="yes-khong",
    ),
    pytest.param("1.1.1", {"yes": 1}, "Có văn bản: «1» phải là true hoặc false.", id="yes-one"),
    pytest.param(
        "1.1.1", {"yes": "true"}, "Có văn bản: «true» phải là true hoặc false.", id="yes-text"
    ),
    pytest.param(
        "1.1.1",
        {"not_applicable": True},
        "Cần ghi lý do chỉ báo không áp dụng.",
        id="not-applicable-without-reason",
    ),
    pytest.param(
        "2.1.1",
        {"not_applicable": True, "reason": "   "},
        "Cần ghi lý do chỉ báo không áp dụng.",
        id="not-applicable-blank-reason",
    ),
    pytest.param(
        "2.1.1",
        {"not_applicable": True, "reason": "Không có trường", "value": 70},
        "Chỉ báo không áp dụng thì không nhập số liệu.",
        id="not-applicable-with-data",
    ),
    pytest.param(
        "1.1.1",
        {"not_applicable": "có", "reason": "x"},
        "Không áp dụng: «có» phải là true hoặc false.",
        id="not-applicable-not-bool",
    ),
    pytest.param(
        "1.1.1",
        {"reason": "Quên"},
        "Chỉ ghi lý do khi chỉ báo không áp dụng.",
        id="reason-without-not-applicable",
    ),
    pytest.param(
        "1.1.1",
        {"not_applicable": True, "reason": 5},
        "Lý do phải là một đoạn chữ.",
        id="reason-not-text",
    ),
    pytest.param(
        "1.1.1",
        ["yes"],
        "Số liệu phải là một đối tượng (các cặp tên: giá trị).",
        id="not-a-mapping",
    ),
]


@pytest.mark.parametrize(("code", "data", "message"), INVALID_INPUTS)
def test_invalid_input_is_refused_naming_the_indicator(code: str, data: Any, message: str) -> None:
    with pytest.raises(ScoringInputError) as caught:
        input_from_mapping(HAI_PHONG[code], data)
    assert caught.value.code == code
    assert caught.value.message == message
    assert str(caught.value) == f"Chỉ báo {code}: {message}"


@pytest.mark.parametrize(
    ("code", "measurement", "message"),
    [
        ("2.1.1", counts(81, 80), "Tử số (81) không được lớn hơn mẫu số (80)."),
        ("2.1.1", counts(0, 0), "Mẫu số phải lớn hơn 0."),
        ("2.1.1", IndicatorInput(numerator=Decimal("1.5"), denominator=Decimal(2)), "Tử số: «1,5»"),
        ("3.1.2", years("3", "-1"), "không được là số âm"),
        ("3.1.2", years("101", "1"), "không được lớn hơn 100 %"),
        (
            "3.1.1",
            IndicatorInput(value=Decimal("Infinity"), previous=Decimal(1)),
            "không phải là số",
        ),
        ("1.1.1", IndicatorInput(yes=True, value=Decimal(1)), "không nhận «Giá trị»"),
        ("1.1.1", IndicatorInput(not_applicable=True), "Cần ghi lý do"),
        ("1.1.1", IndicatorInput(yes=True, reason="x"), "Chỉ ghi lý do"),
    ],
    ids=[
        "numerator-above-denominator",
        "denominator-zero",
        "fractional-count",
        "negative",
        "above-100",
        "infinite",
        "misfit-field",
        "not-applicable-without-reason",
        "reason-without-not-applicable",
    ],
)
def test_score_indicator_refuses_an_invalid_typed_measurement(
    code: str, measurement: IndicatorInput, message: str
) -> None:
    with pytest.raises(ScoringInputError) as caught:
        score(code, measurement)
    assert caught.value.code == code
    assert message in caught.value.message


def test_validate_measurement_accepts_a_valid_measurement() -> None:
    validate_input(HAI_PHONG["2.1.1"], counts(56, 80))


def test_validate_measurement_refuses_what_the_mapping_reader_refuses() -> None:
    with pytest.raises(ScoringInputError) as caught:
        validate_input(HAI_PHONG["3.1.2"], IndicatorInput(numerator=Decimal(1)))
    assert caught.value.code == "3.1.2"


def test_a_typed_measurement_may_hold_ints() -> None:
    measurement = IndicatorInput(numerator=56, denominator=80)
    assert score("2.1.1", measurement).explanation == "56/80 = 70,00 % ≥ 70 % — Đạt"


@pytest.mark.parametrize(
    "measurement",
    [
        IndicatorInput(value=0.7),
        IndicatorInput(value="70"),
        IndicatorInput(value=True),
    ],
    ids=["float", "str", "bool"],
)
def test_a_wrongly_typed_measurement_is_a_programming_error(measurement: IndicatorInput) -> None:
    with pytest.raises(TypeError, match=r"IndicatorInput\.value"):
        score("2.1.1", measurement)


def test_a_scoring_error_without_a_code_is_just_its_message() -> None:
    error = ScoringInputError(None, "Thiếu dữ liệu.")
    assert str(error) == "Thiếu dữ liệu."
    assert error.code is None
    assert isinstance(error, ValueError)


# --- Missing data and N/A ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "measurement", "explanation"),
    [
        (
            "3.1.2",
            IndicatorInput(value=Decimal("1.8")),
            "Chưa có giá trị năm trước — Chưa có số liệu",
        ),
        (
            "3.1.1",
            IndicatorInput(value=Decimal(277_000)),
            "Chưa có giá trị năm trước — Chưa có số liệu",
        ),
        (
            "3.1.2",
            IndicatorInput(previous=Decimal("3.3")),
            "Chưa có giá trị năm đánh giá — Chưa có số liệu",
        ),
        ("3.1.3", IndicatorInput(), "Chưa có số liệu"),
        ("2.1.1", IndicatorInput(), "Chưa có số liệu"),
        ("3.2.3", None, "Chưa có số liệu"),
        ("1.1.1", None, "Chưa có số liệu"),
    ],
)
def test_missing_data_gives_no_data_saying_what_is_missing(
    code: str, measurement: IndicatorInput | None, explanation: str
) -> None:
    result = score(code, measurement)
    assert result.status is NO_DATA
    assert result.explanation == explanation
    assert (result.value, result.margin, result.value_text, result.margin_plain) == (
        None,
        None,
        None,
        None,
    )


@pytest.mark.parametrize("code", list(HAI_PHONG))
def test_any_indicator_can_be_not_applicable_with_a_reason(code: str) -> None:
    result = score(code, not_applicable("Không có trường THPT"))
    assert result.status is NOT_APPLICABLE
    assert result.explanation == "Không áp dụng: Không có trường THPT"
    assert result.value_text is None


# --- Result texts --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "measurement", "value_text", "margin", "margin_text"),
    [
        ("2.1.1", counts(56, 80), "70", "0", "Đúng bằng yêu cầu"),
        ("2.1.1", percent("68.9"), "68.9", "-1.1", "Còn thiếu 1,1 điểm %"),
        ("3.1.4", percent("68.5"), "68.5", "2.5", "Vượt 2,5 điểm %"),
        ("3.2.3", counts(9, 20_000), "0.045", "0.005", "Vượt 0,005 điểm %"),
        ("3.2.3", percent("0.05"), "0.05", "0", "Đúng bằng yêu cầu"),
        ("3.1.2", years("3.3", "1.8"), "1.5", "0", "Đúng bằng yêu cầu"),
        ("3.1.2", years("3.3", "3.5"), "-0.2", "-1.7", "Còn thiếu 1,7 điểm %"),
        ("3.1.1", years("245000", "277000"), "32000", "32000", "Vượt 32.000"),
        ("3.1.1", years("245000", "244000"), "-1000", "-1000", "Còn thiếu 1.000"),
        ("3.1.3", years("12", "12"), "0", "0", "Bằng năm trước"),
        ("2.1.1", counts(1, 3), "33.333333", "-36.666667", "Còn thiếu 36,67 điểm %"),
        ("3.2.3", counts(1, 2_001), "0.049976", "0.000024", "Vượt 0,00002 điểm %"),
    ],
)
def test_the_value_and_margin_texts(
    code: str, measurement: IndicatorInput, value_text: str, margin: str, margin_text: str
) -> None:
    result = score(code, measurement)
    assert (result.value_text, result.margin_plain, result.margin_sentence.vietnamese()) == (
        value_text,
        margin,
        margin_text,
    )


@pytest.mark.parametrize("yes", [True, False])
def test_a_document_is_a_json_bool_without_margin(yes: bool) -> None:
    result = score("1.1.1", IndicatorInput(yes=yes))
    assert result.value_text is yes
    assert (result.margin_plain, result.margin_sentence) == (None, None)


def test_a_result_built_by_hand_still_gives_texts() -> None:
    result = IndicatorResult("x", MET, Fraction(1, 3), Fraction(-2, 3), "")
    assert (result.value_text, result.margin_plain) == ("0.333333", "-0.666667")


def test_a_hand_built_result_contradicting_itself_still_gives_a_value_text() -> None:
    result = IndicatorResult("x", MET, Fraction(100, 3), None, "", Kind.SHARE_AT_LEAST, Decimal(70))
    assert result.value_text == "33.333333"


# --- Specs ---------------------------------------------------------------------------------------


def test_an_indicator_kind_may_be_given_as_its_string() -> None:
    spec = IndicatorSpec("2.1.1", "share_at_least", Decimal(70))
    assert spec.kind is Kind.SHARE_AT_LEAST


@pytest.mark.parametrize(
    ("kind", "threshold"),
    [
        (Kind.SHARE_AT_LEAST, None),
        (Kind.RATE_BELOW, 5),
        (Kind.DROP_AT_LEAST, Decimal("NaN")),
        (Kind.SHARE_AT_LEAST, Decimal("100.1")),
        (Kind.SHARE_AT_LEAST, Decimal("-1")),
        (Kind.DOCUMENT, Decimal(1)),
        (Kind.INCREASE, Decimal(0)),
        ("more_or_less", Decimal(1)),
    ],
)
def test_an_inconsistent_indicator_spec_is_refused(kind: Any, threshold: Any) -> None:
    with pytest.raises(ValueError, match=r"threshold|not a valid Kind"):
        IndicatorSpec("9.9.9", kind, threshold)


def test_the_catalogue_lists_its_indicators_in_order() -> None:
    codes = [spec.code for spec in HAI_PHONG_CATALOGUE.iter_indicators()]
    assert codes == list(HAI_PHONG)


def test_the_catalogue_finds_an_indicator_by_code() -> None:
    assert HAI_PHONG_CATALOGUE.indicator("3.2.3") is HAI_PHONG["3.2.3"]


def test_the_catalogue_raises_key_error_for_an_unknown_code() -> None:
    with pytest.raises(KeyError):
        HAI_PHONG_CATALOGUE.indicator("9.9.9")


def test_a_catalogue_refuses_duplicate_indicator_codes() -> None:
    with pytest.raises(ValueError, match=r"Duplicate indicator codes: 1\.1\.1\."):
        build_catalogue([_document("1.1.1"), _document("1.1.1")])


# --- Roll-up -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([MET, MET], MET),
        ([MET, NOT_MET], NOT_MET),
        ([MET, NO_DATA], NO_DATA),
        ([NO_DATA, NOT_MET], NOT_MET),
        ([NOT_MET, NO_DATA, MET], NOT_MET),
        ([MET, NOT_APPLICABLE], MET),
        ([NOT_MET, NOT_APPLICABLE], NOT_MET),
        ([NO_DATA, NOT_APPLICABLE], NO_DATA),
        ([NOT_APPLICABLE, NOT_APPLICABLE], NOT_APPLICABLE),
        ([], NOT_APPLICABLE),
        ([MET], MET),
    ],
)
def test_statuses_combine_with_failure_first_then_missing_data(
    statuses: list[Status], expected: Status
) -> None:
    assert combine(statuses) is expected


def test_combine_accepts_any_iterable() -> None:
    assert combine(status for status in (MET, NO_DATA)) is NO_DATA


@pytest.mark.parametrize(
    ("standards", "verdict"),
    [
        ([MET, MET, MET], Verdict.RECOGNIZED),
        ([MET, NOT_MET, NO_DATA], Verdict.NOT_RECOGNIZED),
        ([MET, NO_DATA, MET], Verdict.INCOMPLETE),
        ([MET, NOT_APPLICABLE], Verdict.RECOGNIZED),
        ([NOT_APPLICABLE, NOT_APPLICABLE], Verdict.INCOMPLETE),
        ([], Verdict.INCOMPLETE),
    ],
)
def test_the_all_standards_rule(standards: list[Status], verdict: Verdict) -> None:
    assert RECOGNITION_RULES["all_standards"](standards, [], None) is verdict


@pytest.mark.parametrize(
    ("indicators", "verdict"),
    [
        ([MET] * 15 + [NOT_MET] * 5, Verdict.RECOGNIZED),  # 15 of 15 needed
        ([MET] * 16 + [NO_DATA] * 4, Verdict.RECOGNIZED),
        ([MET] * 14 + [NOT_MET] * 6, Verdict.NOT_RECOGNIZED),  # 14 and nothing pending
        ([MET] * 14 + [NO_DATA] + [NOT_MET] * 5, Verdict.INCOMPLETE),  # 14 + 1 could reach 15
        ([MET] * 13 + [NO_DATA] + [NOT_MET] * 6, Verdict.NOT_RECOGNIZED),  # 13 + 1 cannot
        ([MET] * 14 + [NOT_APPLICABLE] + [NOT_MET] * 5, Verdict.NOT_RECOGNIZED),
    ],
)
def test_the_min_indicators_rule_with_15_to_meet(indicators, verdict) -> None:
    """The standards' statuses do not matter to it: only the count of indicators met."""
    assert RECOGNITION_RULES["min_indicators"]([NOT_MET], indicators, 15) is verdict


def test_the_min_indicators_rule_over_a_catalogue() -> None:
    """Three indicators, two to meet: 1.1.1 met, 1.1.2 not met, 2.1.1 met — recognised although
    standard 1 is not met (under the other rule it would not be)."""
    specs = [IndicatorSpec("1.1.1", "document", None), IndicatorSpec("1.1.2", "document", None)]
    specs.append(IndicatorSpec("2.1.1", "document", None))
    inputs = {
        "1.1.1": IndicatorInput(yes=True),
        "1.1.2": IndicatorInput(yes=False),
        "2.1.1": IndicatorInput(yes=True),
    }
    by_count = CatalogueSpec(build_catalogue(specs).standards, "min_indicators", min_met=2)
    assert evaluate(by_count, inputs).verdict is Verdict.RECOGNIZED
    assert evaluate(build_catalogue(specs), inputs).verdict is Verdict.NOT_RECOGNIZED
    result = evaluate(by_count, inputs)
    assert (result.met_count, result.criteria_met_count, result.standards_met_count) == (2, 1, 1)


def _all_met() -> dict[str, IndicatorInput]:
    """A fresh set of measurements meeting all 20 indicators, each exactly on its threshold."""
    return {
        **{code: IndicatorInput(yes=True) for code in DOCUMENTS},
        **{code: IndicatorInput(value=HAI_PHONG[code].threshold) for code in SHARES},
        "3.1.1": years("245000", "277000"),
        "3.1.2": years("3.3", "1.8"),
        "3.1.3": years("12", "13"),
        "3.2.3": counts(9, 20_000),
    }


def test_every_indicator_met_is_recognized() -> None:
    measurements = _all_met()
    assert len(measurements) == 20
    evaluation = evaluate(HAI_PHONG_CATALOGUE, measurements)
    assert evaluation.verdict is Verdict.RECOGNIZED
    assert evaluation.met_count == 20


def test_a_failure_outweighs_missing_data() -> None:
    measurements = _all_met()
    measurements["2.1.1"] = counts(13_999, 20_000)
    del measurements["3.1.2"]
    evaluation = evaluate(HAI_PHONG_CATALOGUE, measurements)
    assert evaluation.verdict is Verdict.NOT_RECOGNIZED
    assert [group.status for group in evaluation.standards] == [MET, NOT_MET, NO_DATA]


def test_missing_data_without_failure_is_incomplete() -> None:
    measurements = _all_met()
    del measurements["3.1.2"]
    evaluation = evaluate(HAI_PHONG_CATALOGUE, measurements)
    assert evaluation.verdict is Verdict.INCOMPLETE
    assert evaluation.indicators[12].status is NO_DATA


def test_an_absent_indicator_is_scored_no_data_in_catalogue_order() -> None:
    evaluation = evaluate(HAI_PHONG_CATALOGUE, {})
    assert [result.code for result in evaluation.indicators] == list(HAI_PHONG)
    assert {result.status for result in evaluation.indicators} == {NO_DATA}
    assert evaluation.verdict is Verdict.INCOMPLETE


def test_an_all_not_applicable_criterion_drops_out_of_its_standard() -> None:
    measurements = _all_met()
    measurements["3.2.1"] = not_applicable()
    measurements["3.2.2"] = not_applicable()
    measurements["3.2.3"] = not_applicable()
    measurements["3.2.4"] = not_applicable()
    evaluation = evaluate(HAI_PHONG_CATALOGUE, measurements)
    criteria = {group.code: group.status for group in evaluation.criteria}
    assert criteria["3.2"] is NOT_APPLICABLE
    assert evaluation.standards[2] == GroupResult("3", MET)
    assert evaluation.verdict is Verdict.RECOGNIZED


def test_nothing_applicable_is_incomplete() -> None:
    measurements = {code: not_applicable() for code in HAI_PHONG}
    evaluation = evaluate(HAI_PHONG_CATALOGUE, measurements)
    assert {group.status for group in evaluation.standards} == {NOT_APPLICABLE}
    assert evaluation.verdict is Verdict.INCOMPLETE


def test_an_unknown_recognition_rule_is_refused() -> None:
    catalogue = build_catalogue(HAI_PHONG.values(), rule="most_standards")
    with pytest.raises(ValueError, match="most_standards"):
        evaluate(catalogue, {})


def test_a_measurement_for_an_indicator_outside_the_catalogue_is_refused() -> None:
    with pytest.raises(ScoringInputError) as caught:
        evaluate(HAI_PHONG_CATALOGUE, {"9.9.9": percent("70")})
    assert caught.value.code == "9.9.9"


def test_invalid_data_stops_the_evaluation_naming_the_indicator() -> None:
    with pytest.raises(ScoringInputError, match=r"^Chỉ báo 2\.2\.1: "):
        evaluate(HAI_PHONG_CATALOGUE, {"2.2.1": counts(81, 80)})


# --- JSON contract -------------------------------------------------------------------------------


def _small_evaluation() -> Evaluation:
    catalogue = build_catalogue(
        [HAI_PHONG["1.1.1"], HAI_PHONG["2.1.1"], HAI_PHONG["3.1.1"], HAI_PHONG["3.1.2"]]
    )
    return evaluate(
        catalogue,
        {
            "1.1.1": IndicatorInput(yes=True),
            "2.1.1": counts(55, 80),
            "3.1.1": years("245000", "277000"),
        },
    )


def test_the_json_contract_has_exactly_this_shape() -> None:
    assert _small_evaluation().to_json(2022, "HP") == {
        "year": 2022,
        "unit": "HP",
        "verdict": "not_recognized",
        "met_count": 2,
        "indicator_count": 4,
        "standards": [
            {"code": "1", "status": "met"},
            {"code": "2", "status": "not_met"},
            {"code": "3", "status": "no_data"},
        ],
        "criteria": [
            {"code": "1.1", "status": "met"},
            {"code": "2.1", "status": "not_met"},
            {"code": "3.1", "status": "no_data"},
        ],
        "indicators": [
            {
                "code": "1.1.1",
                "status": "met",
                "value": True,
                "margin": None,
                "explanation": "Có văn bản — Đạt",
            },
            {
                "code": "2.1.1",
                "status": "not_met",
                "value": "68.75",
                "margin": "-1.25",
                "explanation": "55/80 = 68,75 % < 70 % — Không đạt (còn thiếu 1,25 điểm %)",
            },
            {
                "code": "3.1.1",
                "status": "met",
                "value": "32000",
                "margin": "32000",
                "explanation": "Tăng 32.000 tỷ đồng so với năm trước"
                " (245.000 tỷ đồng → 277.000 tỷ đồng) — Đạt",
            },
            {
                "code": "3.1.2",
                "status": "no_data",
                "value": None,
                "margin": None,
                "explanation": "Chưa có số liệu",
            },
        ],
    }


def test_the_json_contract_serializes_and_reads_back_unchanged() -> None:
    document = _small_evaluation().to_json(2022, "HP")
    assert json.loads(json.dumps(document, ensure_ascii=False)) == document


@pytest.mark.parametrize(
    ("code", "data", "previous", "fragile"),
    [
        ("2.1.1", {"value": "71.9"}, None, True),
        ("2.1.1", {"value": "72"}, None, False),
        ("2.1.1", {"value": "69"}, None, False),
        ("3.2.3", {"value": "0.041"}, None, True),
        ("3.2.3", {"value": "0.04"}, None, False),
        ("3.1.2", {"value": "1.7", "previous": "3.3"}, None, True),
        ("3.1.2", {"value": "1.5", "previous": "3.3"}, None, False),
        ("3.1.1", {"value": "1005", "previous": "1000"}, Decimal(1000), True),
        ("3.1.1", {"value": "1010", "previous": "1000"}, Decimal(1000), False),
        ("3.1.1", {"value": "1005", "previous": "1000"}, None, False),
        ("1.1.1", {"yes": True}, None, False),
    ],
)
def test_a_pass_by_a_hair_is_fragile(code: str, data: dict, previous, fragile: bool) -> None:
    result = score_indicator(HAI_PHONG[code], input_from_mapping(HAI_PHONG[code], data))
    assert is_fragile(result, previous) is fragile


def test_a_share_from_a_list_names_what_it_counts() -> None:
    measurement = IndicatorInput(
        numerator=Decimal(11), denominator=Decimal(15), counted="quận/huyện được công nhận"
    )
    result = score("2.1.2", measurement)
    assert result.explanation == "11/15 quận/huyện được công nhận = 73,33 % ≥ 70 % — Đạt"


def test_ten_of_fifteen_districts_is_not_seventy_percent() -> None:
    measurement = IndicatorInput(
        numerator=Decimal(10), denominator=Decimal(15), counted="quận/huyện được công nhận"
    )
    result = score("2.1.2", measurement)
    assert result.status is NOT_MET
    assert result.explanation.startswith("10/15 quận/huyện được công nhận = 66,67 % < 70 %")


# --- Per-kind facts, written out by hand -------------------------------------------------------

KIND_TABLE = {
    # kind: (name, fields, takes a threshold, compares with last year, value in %)
    "document": ("Có văn bản", ("yes",), False, False, False),
    "activity": ("Có thực hiện", ("yes",), False, False, False),
    "share_at_least": (
        "Tỷ lệ tối thiểu",
        ("numerator", "denominator", "value"),
        True,
        False,
        True,
    ),
    "rate_below": ("Tỷ lệ dưới ngưỡng", ("numerator", "denominator", "value"), True, False, True),
    "drop_at_least": ("Giảm tối thiểu (điểm %)", ("value", "previous"), True, True, True),
    "increase": ("Tăng so với năm trước", ("value", "previous"), False, True, False),
}


@pytest.mark.parametrize("kind", list(KIND_TABLE))
def test_each_kind_states_its_facts(kind):
    facts = kind_facts(kind)
    assert (
        facts.name,
        facts.fields,
        facts.takes_threshold,
        facts.compares_with_last_year,
        facts.value_in_percent,
    ) == KIND_TABLE[kind]
    assert facts.is_ratio == ("numerator" in KIND_TABLE[kind][1])


def test_every_kind_has_its_facts_and_no_other():
    assert {kind.value for kind in KINDS} == set(KIND_TABLE) == {kind.value for kind in Kind}


@pytest.mark.parametrize(
    ("kind", "yes", "explanation"),
    [
        ("document", True, "Có văn bản — Đạt"),
        ("document", False, "Không có văn bản — Không đạt"),
        ("activity", True, "Có thực hiện — Đạt"),
        ("activity", False, "Chưa thực hiện — Không đạt"),
    ],
)
def test_a_document_and_an_activity_say_their_answer_in_their_own_words(kind, yes, explanation):
    result = score_indicator(IndicatorSpec("3.2.1", kind, None), IndicatorInput(yes=yes))
    assert (result.status.value, result.explanation) == ("met" if yes else "not_met", explanation)


# --- 3.1.1: the growth rate published (issue 13.6) --------------------------------------------

GRDP = IndicatorSpec("3.1.1", Kind.INCREASE, None, "tỷ đồng", accepts_growth_rate=True)


@pytest.mark.parametrize(
    ("rate", "status", "explanation"),
    [
        ("12,32", "met", "Tốc độ tăng trưởng đã công bố: 12,32 % — Đạt"),
        ("0", "not_met", "Tốc độ tăng trưởng đã công bố: 0 % — Không đạt"),
        ("-1,2", "not_met", "Tốc độ tăng trưởng đã công bố: -1,2 % — Không đạt"),
    ],
)
def test_a_published_growth_rate_above_zero_meets_3_1_1(rate, status, explanation):
    result = score_indicator(GRDP, input_from_mapping(GRDP, {"growth_rate": rate}))
    assert (result.status.value, result.explanation) == (status, explanation)


def test_a_growth_rate_is_refused_where_the_indicator_takes_none():
    plain = IndicatorSpec("3.1.3", Kind.INCREASE, None, "triệu đồng")
    with pytest.raises(ScoringInputError, match="không nhận «Tốc độ tăng trưởng \\(%\\)»"):
        input_from_mapping(plain, {"growth_rate": "5"})


def test_levels_and_a_growth_rate_together_are_refused():
    with pytest.raises(ScoringInputError, match="không nhập cả hai"):
        input_from_mapping(GRDP, {"value": "305000", "previous": "277000", "growth_rate": "10"})


def test_only_an_increase_takes_a_growth_rate():
    with pytest.raises(ValueError, match="Only an increase"):
        IndicatorSpec("2.1.1", Kind.SHARE_AT_LEAST, Decimal(70), accepts_growth_rate=True)


@pytest.mark.parametrize(
    ("spec", "data", "field", "read"),
    [
        (
            IndicatorSpec("2.2.1", Kind.SHARE_AT_LEAST, Decimal(70)),
            {"value": "72,5 %"},
            "value",
            "72.5",
        ),
        (
            IndicatorSpec("3.1.2", Kind.DROP_AT_LEAST, Decimal("1.5")),
            {"value": "1,8%", "previous": "3,3 %"},
            "previous",
            "3.3",
        ),
        (GRDP, {"growth_rate": "12,32 %"}, "growth_rate", "12.32"),
    ],
)
def test_a_what_if_takes_a_percent_sign_on_a_percentage(spec, data, field, read):
    assert getattr(input_from_mapping(spec, data), field) == Decimal(read)


def test_a_percent_sign_on_a_level_or_a_count_is_refused():
    with pytest.raises(ScoringInputError, match="không phải là số"):
        input_from_mapping(IndicatorSpec("3.1.3", Kind.INCREASE, None), {"value": "12 %"})
    with pytest.raises(ScoringInputError):
        input_from_mapping(
            IndicatorSpec("2.2.2", Kind.SHARE_AT_LEAST, Decimal(70)),
            {"numerator": "5%", "denominator": "10"},
        )
