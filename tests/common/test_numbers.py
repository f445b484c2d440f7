"""The one number parser and the Vietnamese number formatting (no database needed)."""

from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation

from common.numbers import (
    NumberFormatError,
    format_decimal,
    parse_count,
    parse_decimal,
    plain_decimal,
    show_number,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("277.000", Decimal("277000")),
        ("1.234.567", Decimal("1234567")),
        ("1.500", Decimal("1500")),
        ("1.234,5", Decimal("1234.5")),
        ("1.234.567,89", Decimal("1234567.89")),
        ("1,5", Decimal("1.5")),
        ("0,5", Decimal("0.5")),
        ("0,050", Decimal("0.050")),
        ("1.8", Decimal("1.8")),
        ("0.050", Decimal("0.050")),
        ("11.0", Decimal("11.0")),
        ("12.5", Decimal("12.5")),
        ("1.5000", Decimal("1.5")),
        ("0", Decimal("0")),
        ("007", Decimal("7")),
        ("42", Decimal("42")),
    ],
)
def test_a_typed_number_is_read_exactly(raw: str, expected: Decimal) -> None:
    assert parse_decimal(raw) == expected


def test_a_dot_keeps_the_decimals_typed_after_it() -> None:
    assert parse_decimal("0.050").as_tuple() == Decimal("0.050").as_tuple()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("-1,5", Decimal("-1.5")),
        ("+3", Decimal("3")),
        ("\u22122", Decimal("-2")),
        ("-1.234,5", Decimal("-1234.5")),
    ],
)
def test_a_leading_sign_is_accepted(raw: str, expected: Decimal) -> None:
    assert parse_decimal(raw) == expected


@pytest.mark.parametrize(
    "raw", ["  42 ", "\t42\n", "\u00a042\u00a0", "\u202f42", "42\u2009"], ids=repr
)
def test_surrounding_whitespace_including_non_breaking_spaces_is_ignored(raw: str) -> None:
    assert parse_decimal(raw) == Decimal("42")


@pytest.mark.parametrize(
    "raw",
    [
        "abc",
        "12abc",
        "NaN",
        "nan",
        "sNaN",
        "Infinity",
        "inf",
        "-inf",
        "1e309",
        "1E3",
        "1,2,3",
        ".",
        ",",
        "1,",
        ",5",
        ".5",
        "5.",
        "1.23,5",
        "01.234,5",
        "0.234,5",
        "1.2.3",
        "12.34.567",
        "1.234.56",
        "1 234",
        "1_000",
        "0x10",
        "--1",
        "+-1",
        "- 1",
        "\u0661\u0662",
        "\uff11\uff12",
        "½",
    ],
    ids=repr,
)
def test_text_that_is_not_a_plain_number_is_refused(raw: str) -> None:
    with pytest.raises(NumberFormatError):
        parse_decimal(raw)


@pytest.mark.parametrize("raw", ["", "   ", "\u00a0"], ids=repr)
def test_an_empty_cell_is_refused_with_its_own_message(raw: str) -> None:
    with pytest.raises(NumberFormatError, match=r"^Chưa nhập số\.$"):
        parse_decimal(raw)


def test_the_refusal_quotes_the_offending_text_in_vietnamese() -> None:
    with pytest.raises(NumberFormatError) as caught:
        parse_decimal(" abc ")
    assert caught.value.message == "«abc» không phải là số."
    assert str(caught.value) == "«abc» không phải là số."


def test_a_very_long_offending_text_is_shortened_in_the_message() -> None:
    with pytest.raises(NumberFormatError) as caught:
        parse_decimal("x" * 500)
    assert len(caught.value.message) < 80
    assert "…»" in caught.value.message


def test_the_error_is_a_value_error() -> None:
    assert issubclass(NumberFormatError, ValueError)


@pytest.mark.parametrize("raw", [0, 7, -3, 10**40])
def test_an_int_is_taken_exactly(raw: int) -> None:
    assert parse_decimal(raw) == Decimal(raw)


@pytest.mark.parametrize("raw", [True, False])
def test_a_bool_is_not_a_number(raw: bool) -> None:
    with pytest.raises(NumberFormatError):
        parse_decimal(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (0.7, "0.7"),
        (0.05, "0.05"),
        (277000.0, "277000.0"),
        (1e20, "1E+20"),
        (0.1 + 0.2, "0.30000000000000004"),
    ],
)
def test_a_float_from_a_spreadsheet_becomes_its_shortest_decimal(raw: float, expected: str) -> None:
    assert parse_decimal(raw).as_tuple() == Decimal(expected).as_tuple()


@pytest.mark.parametrize("raw", [float("nan"), float("inf"), float("-inf")], ids=repr)
def test_a_non_finite_float_is_refused(raw: float) -> None:
    with pytest.raises(NumberFormatError):
        parse_decimal(raw)


def test_a_finite_decimal_passes_through_unchanged() -> None:
    assert parse_decimal(Decimal("0.050")).as_tuple() == Decimal("0.050").as_tuple()


@pytest.mark.parametrize("raw", ["NaN", "sNaN", "Infinity", "-Infinity"])
def test_a_non_finite_decimal_is_refused(raw: str) -> None:
    with pytest.raises(NumberFormatError):
        parse_decimal(Decimal(raw))


@pytest.mark.parametrize("raw", [None, [1], {"value": 1}, b"12"], ids=repr)
def test_anything_else_is_refused_as_not_a_number(raw: Any) -> None:
    with pytest.raises(NumberFormatError):
        parse_decimal(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("11", 11),
        ("11.0", 11),
        ("11,00", 11),
        ("1.500", 1500),
        ("20.000", 20000),
        (11, 11),
        (11.0, 11),
        (Decimal("11.00"), 11),
        ("-3", -3),
    ],
)
def test_a_count_is_a_whole_number_in_any_notation(raw: Any, expected: int) -> None:
    count = parse_count(raw)
    assert count == expected
    assert type(count) is int


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("11,5", "«11,5» không phải là số nguyên."),
        (" 11.5 ", "«11.5» không phải là số nguyên."),
        (11.5, "«11,5» không phải là số nguyên."),
        (Decimal("11.50"), "«11,5» không phải là số nguyên."),
    ],
)
def test_a_count_with_a_fraction_is_refused(raw: Any, message: str) -> None:
    with pytest.raises(NumberFormatError) as caught:
        parse_count(raw)
    assert caught.value.message == message


def test_a_count_refuses_what_is_not_a_number_at_all() -> None:
    with pytest.raises(NumberFormatError, match="không phải là số"):
        parse_count("mười một")


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (Decimal("1234567"), None, "1.234.567"),
        (1234567, None, "1.234.567"),
        (Decimal("70"), 2, "70,00"),
        (Decimal("0.05"), None, "0,05"),
        (Decimal("-1.5"), None, "-1,5"),
        (Decimal("-1234.5"), None, "-1.234,5"),
        (Decimal("1.50"), None, "1,5"),
        (Decimal("1E+3"), None, "1.000"),
        (Decimal("7E+1"), None, "70"),
        (Decimal("0.00001"), None, "0,00001"),
        (Decimal("123"), None, "123"),
        (Decimal("1000"), None, "1.000"),
        (Decimal("100000"), None, "100.000"),
        (Decimal("0"), None, "0"),
        (Decimal("-0.0"), None, "0"),
        (Decimal("69.995"), 3, "69,995"),
        (Decimal("0.125"), 2, "0,13"),
        (Decimal("999.995"), 2, "1.000,00"),
        (Decimal("-0.001"), 2, "0,00"),
        (Decimal("1E+30"), 2, "1" + ".000" * 10 + ",00"),
    ],
)
def test_numbers_are_formatted_the_vietnamese_way(
    value: Decimal | int, places: int | None, expected: str
) -> None:
    assert format_decimal(value, places) == expected


def test_formatting_keeps_every_digit_of_a_long_decimal() -> None:
    digits = "1.2345678901234567890123456789012345"
    assert format_decimal(Decimal(digits)) == digits.replace(".", ",")


@pytest.mark.parametrize("value", [Decimal("NaN"), Decimal("Infinity")])
def test_formatting_refuses_a_non_finite_value(value: Decimal) -> None:
    with pytest.raises(ValueError, match="Cannot format"):
        format_decimal(value)


@pytest.mark.parametrize("value", [True, 1.5, "1"], ids=repr)
def test_formatting_refuses_what_is_not_a_decimal_or_an_int(value: Any) -> None:
    with pytest.raises(TypeError):
        format_decimal(value)


def test_formatting_refuses_negative_places() -> None:
    with pytest.raises(ValueError, match="places"):
        format_decimal(Decimal(1), -1)


@pytest.mark.parametrize(
    "value",
    ["1.5", "1500", "277000", "1234567.89", "0.05", "-1.5", "70", "0.04975", "1E+3"],
)
def test_a_formatted_number_reads_back_as_the_same_number(value: str) -> None:
    assert parse_decimal(format_decimal(Decimal(value))) == Decimal(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("70.00"), "70"),
        (Decimal("7E+1"), "70"),
        (Decimal("0.04975"), "0.04975"),
        (Decimal("1.50"), "1.5"),
        (Decimal("32000"), "32000"),
        (Decimal("3.2E+4"), "32000"),
        (Decimal("-0.2"), "-0.2"),
        (Decimal("-0.00"), "0"),
        (Decimal("0E-7"), "0"),
        (Decimal("1.2345678901234567890123456789012345"), "1.2345678901234567890123456789012345"),
        (12, "12"),
    ],
)
def test_the_json_string_is_a_plain_decimal_with_a_point(
    value: Decimal | int, expected: str
) -> None:
    assert plain_decimal(value) == expected


def test_the_json_string_refuses_a_non_finite_value() -> None:
    with pytest.raises(ValueError, match="Cannot format"):
        plain_decimal(Decimal("NaN"))


# --- On a page in English ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("1,500", "«1,500» reads differently in English and in Vietnamese: type 1.5 or 1500."),
        ("1.500", "«1.500» reads differently in English and in Vietnamese: type 1.5 or 1500."),
        (
            "277.000",
            "«277.000» reads differently in English and in Vietnamese: type 277 or 277000.",
        ),
        ("-2,250", "«-2,250» reads differently in English and in Vietnamese: type -2.25 or -2250."),
        ("12,345,678", "«12,345,678»: type the number without commas, 12345678."),
        ("1,500.5", "«1,500.5»: type the number without commas, 1500.5."),
        ("1,5,0", "«1,5,0» is not a number."),
    ],
)
def test_on_an_english_page_a_figure_english_reads_otherwise_is_refused(raw, message) -> None:
    with translation.override("en"), pytest.raises(NumberFormatError) as caught:
        parse_decimal(raw)
    assert caught.value.message == message


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1.5", "1.5"), ("1500", "1500"), ("1,5", "1.5"), ("0,05", "0.05"), ("70", "70")],
)
def test_on_an_english_page_what_reads_the_same_is_taken(raw, expected) -> None:
    with translation.override("en"):
        assert parse_decimal(raw) == Decimal(expected)


def test_the_same_figures_on_a_vietnamese_page_read_the_vietnamese_way() -> None:
    with translation.override("vi"):
        assert (parse_decimal("1,500"), parse_decimal("1.500")) == (Decimal("1.5"), Decimal(1500))


def test_a_number_is_shown_in_the_pages_language_and_reads_back() -> None:
    with translation.override("en"):
        shown = show_number(Decimal("1234.5"), 2)
        assert (shown, parse_decimal(shown)) == ("1234.50", Decimal("1234.5"))
    with translation.override("vi"):
        shown = show_number(Decimal("1234.5"), 2)
        assert (shown, parse_decimal(shown)) == ("1.234,50", Decimal("1234.5"))
