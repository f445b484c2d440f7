"""Numbers shown to people in the active language."""

from decimal import Decimal

from django.utils.translation import get_language

from .numbers import format_decimal, plain_decimal


def show_number(value: Decimal | int | None) -> str:
    """A stored number as a person reads it: "1.234,5" in Vietnamese, "1234.5" in English.

    Both forms read back through criteria.numbers.parse_decimal to the same value.
    """
    if value is None:
        return ""
    return format_decimal(value) if get_language() == "vi" else plain_decimal(value)
