"""The one parser for every number a person types, and Vietnamese number formatting.

Vietnamese writes ``1.234.567,5``: a dot groups thousands and a comma marks decimals. People also
paste English-style figures ("1.8", "0.050") from spreadsheets and statistics reports, so a lone dot
is a decimal point unless it groups exactly three digits after a first group of 1-3 digits without
a leading zero ("277.000" is two hundred seventy-seven thousand). Everything else is refused with a
message in the active language rather than guessed: ``Decimal()`` itself would accept "NaN",
"1e309" and "1_000", none of which is a figure anybody means to report.

The same parser reads every language. On a page in English, where "1,500" is fifteen hundred and
"1.500" one and a half, a figure that an English reader would read differently is refused with a
message that asks for the unambiguous form (1.5 or 1500) instead of being read the Vietnamese way.
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Context, Decimal

from django.utils.translation import get_language, gettext

__all__ = [
    "NumberFormatError",
    "format_decimal",
    "parse_count",
    "parse_decimal",
    "parse_percent",
    "plain_decimal",
    "show_number",
    "trim_decimal",
]

# "−" (U+2212) is what word processors put in front of negative numbers.
_SIGNS = {"+": "", "-": "-", "\u2212": "-"}
# ASCII digits only: ``\d`` would also let through Arabic-Indic or full-width digits.
_GROUPED = r"[1-9][0-9]{0,2}(?:\.[0-9]{3})+"
_WITH_COMMA = re.compile(rf"(?P<whole>[0-9]+|{_GROUPED}),(?P<fraction>[0-9]+)")
_THOUSANDS = re.compile(_GROUPED)
_POINT = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_ENGLISH_GROUPED = re.compile(r"[1-9][0-9]{0,2}(?:,[0-9]{3})+(?:\.[0-9]+)?")
_QUOTE_LIMIT = 40


class NumberFormatError(ValueError):
    """A typed number could not be read; ``message`` is in the active language, to be shown as
    is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def parse_decimal(raw: str | int | float | Decimal) -> Decimal:
    """Read a number typed by a person, sent as JSON, or read from a spreadsheet cell, exactly."""
    if isinstance(raw, bool):
        raise NumberFormatError(_not_a_number(raw))
    if isinstance(raw, str):
        return _parse_text(raw)
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, float):
        return _from_float(raw)
    if isinstance(raw, Decimal):
        if not raw.is_finite():
            raise NumberFormatError(_not_a_number(raw))
        return raw
    raise NumberFormatError(_not_a_number(raw))


def parse_percent(raw: str | int | float | Decimal) -> Decimal:
    """A percentage as people write it: the number, with or without a "%" after it ("66,5 %")."""
    if isinstance(raw, str) and raw.strip().endswith("%"):
        return parse_decimal(raw.strip()[:-1].rstrip())
    return parse_decimal(raw)


def parse_count(raw: str | int | float | Decimal) -> int:
    """Read a whole number ("11" and "11.0" are fine, "11,5" is not); the sign is not checked."""
    value = parse_decimal(raw)
    if value != value.to_integral_value():
        shown = raw.strip() if isinstance(raw, str) else format_decimal(value)
        raise NumberFormatError(
            gettext("«%(text)s» is not a whole number.") % {"text": _shorten(shown)}
        )
    return int(value)


def format_decimal(value: Decimal | int, places: int | None = None) -> str:
    """Format the Vietnamese way: "1.234.567", "70,00", "0,05", "-1,5"; never an exponent.

    With ``places`` the value is rounded half up to that many decimals (and padded with zeros);
    without, it shows exactly the decimals the value needs ("1,5" for 1.50).
    """
    number = _finite(value)
    text = _plain(number) if places is None else _plain_with_places(number, places)
    sign = "-" if text.startswith("-") else ""
    whole, _, fraction = text.removeprefix("-").partition(".")
    grouped = sign + _group_thousands(whole)
    return f"{grouped},{fraction}" if fraction else grouped


def plain_decimal(value: Decimal | int) -> str:
    """The JSON contract's number string: "70", "0.04975", "-0.2"; no grouping, no exponent."""
    return _plain(_finite(value))


def trim_decimal(value: Decimal) -> Decimal:
    """70.0000 → 70 and 0.0500 → 0.05, without the exponent that normalize() gives 70."""
    return value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()


def show_number(
    value: Decimal | int | None, places: int | None = None, language: str | None = None
) -> str:
    """A number as a person reads it in the active language (or ``language``): "1.234,5" in
    Vietnamese, "1234.5" in English (no grouping, so that it never reads as the Vietnamese
    decimal "1,234").

    Both forms read back through `parse_decimal` to the same value. With ``places``, rounded
    half up to that many decimals, as `format_decimal` does.
    """
    if value is None:
        return ""
    if (language or get_language()) == "vi":
        return format_decimal(value, places)
    number = _finite(value)
    return _plain(number) if places is None else _plain_with_places(number, places)


def _parse_text(raw: str) -> Decimal:
    text = raw.strip()
    if not text:
        raise NumberFormatError(gettext("No number was entered."))
    sign = _SIGNS.get(text[0])
    body = text if sign is None else text[1:]
    digits = _canonical_digits(body)
    english = get_language() == "en"
    if digits is None and english and _ENGLISH_GROUPED.fullmatch(body):
        raise NumberFormatError(
            gettext("«%(text)s»: type the number without commas, %(number)s.")
            % {"text": _shorten(text), "number": (sign or "") + body.replace(",", "")}
        )
    if digits is None:
        raise NumberFormatError(_not_a_number(text))
    if english:
        _check_reads_the_same_in_english(text, sign or "", body, digits)
    return Decimal((sign or "") + digits)


def _check_reads_the_same_in_english(text: str, sign: str, body: str, digits: str) -> None:
    """Refuse "1,500" and "1.500" on an English page: the parser reads them the Vietnamese way
    (1.5 and 1500), an English reader the other way round."""
    if _ENGLISH_GROUPED.fullmatch(body):
        english = body.replace(",", "")
    elif _POINT.fullmatch(body):
        english = body
    else:
        return
    if Decimal(english) == Decimal(digits):
        return
    readings = sorted((Decimal(english), Decimal(digits)))
    raise NumberFormatError(
        gettext(
            "«%(text)s» reads differently in English and in Vietnamese: type %(one)s or %(other)s."
        )
        % {
            "text": _shorten(text),
            "one": sign + plain_decimal(readings[0]),
            "other": sign + plain_decimal(readings[1]),
        }
    )


def _canonical_digits(body: str) -> str | None:
    """Rewrite an unsigned typed number as "1234.5", or return None when it is not one."""
    with_comma = _WITH_COMMA.fullmatch(body)
    if with_comma:
        return with_comma["whole"].replace(".", "") + "." + with_comma["fraction"]
    if _THOUSANDS.fullmatch(body):
        return body.replace(".", "")
    if _POINT.fullmatch(body):
        return body
    return None


def _from_float(raw: float) -> Decimal:
    """Spreadsheet cells arrive as floats; ``repr`` gives the shortest text that reads back."""
    if not math.isfinite(raw):
        raise NumberFormatError(_not_a_number(raw))
    return Decimal(repr(raw))


def _not_a_number(raw: object) -> str:
    return gettext("«%(text)s» is not a number.") % {"text": _shorten(str(raw))}


def _shorten(text: str) -> str:
    if len(text) <= _QUOTE_LIMIT:
        return text
    return text[: _QUOTE_LIMIT - 1] + "…"


def _finite(value: Decimal | int) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (Decimal, int)):
        raise TypeError(f"Expected a Decimal or an int, got {type(value).__name__}.")
    number = Decimal(value)
    if not number.is_finite():
        raise ValueError(f"Cannot format {number}.")
    return number


def _plain(number: Decimal) -> str:
    """Exact positional text without trailing zeros (``normalize()`` would round to 28 digits)."""
    if number.is_zero():
        return "0"
    text = format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def _plain_with_places(number: Decimal, places: int) -> str:
    if places < 0:
        raise ValueError("places must not be negative.")
    precision = max(number.adjusted(), 0) + places + 2
    rounded = number.quantize(
        Decimal(f"1E-{places}"), rounding=ROUND_HALF_UP, context=Context(prec=precision)
    )
    if rounded.is_zero():
        rounded = rounded.copy_abs()
    return format(rounded, "f")


def _group_thousands(digits: str) -> str:
    head = len(digits) % 3 or 3
    groups = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return ".".join(groups)
