"""The explanation is one sentence said in two languages: Vietnamese for the contracts whatever
the reader's language, the reader's language on a page (numbers with a decimal point in English),
the Vietnamese words it quotes marked as such on an English page."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from criteria.scoring import (
    IndicatorInput,
    IndicatorSpec,
    Kind,
    PartSpec,
    ScoringInputError,
    input_from_mapping,
    score_indicator,
)
from tests.criteria.test_scoring import HAI_PHONG, counts, not_applicable, percent, score, years


@pytest.mark.parametrize(
    ("code", "measurement", "vietnamese", "english"),
    [
        (
            "2.2.3",
            counts(2, 3),
            "2/3 = 66,67 % < 70 % — Không đạt (còn thiếu 3,33 điểm %)",
            "2/3 = 66.67 % < 70 % — Not met (3.33 percentage points short)",
        ),
        ("3.1.4", percent("66.5"), "66,5 % ≥ 66 % — Đạt", "66.5 % ≥ 66 % — Met"),
        (
            "3.2.3",
            counts(95, 210_000),
            "95/210.000 = 0,045 % < 0,05 % — Đạt",
            "95/210000 = 0.045 % < 0.05 % — Met",
        ),
        (
            "3.2.3",
            percent("0.08"),
            "0,08 % không dưới 0,05 % — Không đạt (cao hơn yêu cầu 0,03 điểm %)",
            "0.08 % not below 0.05 % — Not met (above the limit by 0.03 percentage points)",
        ),
        (
            "3.1.2",
            years("3.3", "1.8"),
            "Giảm 1,5 điểm % (3,3 % → 1,8 %), yêu cầu giảm ≥ 1,5 điểm % — Đạt",
            "Down 1.5 percentage points (3.3 % → 1.8 %), a drop of at least 1.5 percentage "
            "points required — Met",
        ),
        (
            "3.1.2",
            years("3.3", "2.3"),
            "Giảm 1 điểm % (3,3 % → 2,3 %), yêu cầu giảm ≥ 1,5 điểm % — Không đạt"
            " (còn thiếu 0,5 điểm %)",
            "Down 1 percentage point (3.3 % → 2.3 %), a drop of at least 1.5 percentage points"
            " required — Not met (0.5 percentage points short)",
        ),
        (
            "3.1.1",
            years("245000", "277000.5"),
            "Tăng 32.000,5 tỷ đồng so với năm trước (245.000 tỷ đồng → 277.000,5 tỷ đồng) — Đạt",
            "Up 32000.5 tỷ đồng on the previous year (245000 tỷ đồng → 277000.5 tỷ đồng) — Met",
        ),
        (
            "3.1.1",
            IndicatorInput(previous=Decimal(245000)),
            "Chưa có giá trị năm đánh giá — Chưa có số liệu",
            "No value for the year evaluated yet — No data yet",
        ),
        (
            "1.1.1",
            IndicatorInput(yes=False),
            "Không có văn bản — Không đạt",
            "There is no document — Not met",
        ),
        ("1.1.1", None, "Chưa có số liệu", "No data yet"),
        (
            "3.2.4",
            not_applicable("Không có trường THPT"),
            "Không áp dụng: Không có trường THPT",
            "Not applicable: Không có trường THPT",
        ),
    ],
)
def test_an_explanation_in_vietnamese_and_in_english(code, measurement, vietnamese, english):
    result = score(code, measurement)
    with translation.override("en"):
        assert result.explanation == vietnamese  # the contracts' text, whatever the language
        assert str(result.sentence) == english
    with translation.override("vi"):
        assert str(result.sentence) == vietnamese


def test_the_parts_of_an_indicator_are_said_in_each_language():
    spec = IndicatorSpec(
        "3.1.5",
        Kind.SHARE_AT_LEAST,
        Decimal(90),
        parts=(
            PartSpec("a", "Chất thải rắn", Decimal(90)),
            PartSpec("b", "Nước thải", Decimal(90)),
        ),
    )
    result = score_indicator(spec, IndicatorInput(parts={"a": counts(181, 200)}))
    assert result.explanation == (
        "a) Chất thải rắn: 181/200 = 90,50 % ≥ 90 % — Đạt; b) Nước thải: Chưa có số liệu. "
        "Phần b chưa có số liệu — Chưa có số liệu"
    )
    with translation.override("en"):
        assert str(result.sentence) == (
            "a) Chất thải rắn: 181/200 = 90.50 % ≥ 90 % — Met; b) Nước thải: No data yet. "
            "Part b without data — No data yet"
        )


def test_a_page_in_english_marks_the_vietnamese_words_the_explanation_quotes():
    result = score(
        "2.1.2",
        IndicatorInput(
            numerator=Decimal(11), denominator=Decimal(15), counted="quận/huyện được công nhận"
        ),
    )
    page = Template("{% load portal_tags %}{{ result.sentence|said }}")
    with translation.override("en"):
        assert page.render(Context({"result": result})) == (
            '11/15 <span lang="vi">quận/huyện được công nhận</span> = 73.33 % ≥ 70 % — Met'
        )
    with translation.override("vi"):
        assert page.render(Context({"result": result})) == (
            "11/15 quận/huyện được công nhận = 73,33 % ≥ 70 % — Đạt"
        )


def test_a_quoted_reason_is_escaped_on_a_page():
    result = score("3.2.4", not_applicable("<b>Không</b> có trường"))
    page = Template("{% load portal_tags %}{{ result.sentence|said }}")
    with translation.override("en"):
        assert page.render(Context({"result": result})) == (
            'Not applicable: <span lang="vi">&lt;b&gt;Không&lt;/b&gt; có trường</span>'
        )


@pytest.mark.parametrize(
    ("code", "measurement", "vietnamese", "english"),
    [
        ("2.1.1", percent("68.9"), "Còn thiếu 1,1 điểm %", "Short by 1.1 percentage points"),
        ("3.1.4", percent("67"), "Vượt 1 điểm %", "Above by 1 percentage point"),
        ("3.1.1", years("245000", "277000"), "Vượt 32.000", "Above by 32000"),
        ("3.1.3", years("12", "12"), "Bằng năm trước", "Same as the previous year"),
        ("2.1.1", counts(56, 80), "Đúng bằng yêu cầu", "Exactly as required"),
    ],
)
def test_the_margin_in_each_language(code, measurement, vietnamese, english):
    margin = score(code, measurement).margin_sentence
    assert margin.vietnamese() == vietnamese
    with translation.override("en"):
        assert str(margin) == english


def test_an_input_error_is_said_in_the_active_language():
    with translation.override("en"), pytest.raises(ScoringInputError) as caught:
        input_from_mapping(HAI_PHONG["2.1.1"], {"numerator": "12", "denominator": "10"})
    assert str(caught.value) == (
        "Indicator 2.1.1: The numerator (12) may not be larger than the denominator (10)."
    )
    with translation.override("vi"), pytest.raises(ScoringInputError) as caught:
        input_from_mapping(HAI_PHONG["2.1.1"], {"numerator": "12", "denominator": "10"})
    assert str(caught.value) == "Chỉ báo 2.1.1: Tử số (12) không được lớn hơn mẫu số (10)."
