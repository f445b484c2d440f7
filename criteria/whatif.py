"""What-if documents: values that replace stored entries for one evaluation, never saved.

Shape (the contract of `manage.py evaluate --what-if`):
    {"values": {"1.1.1": {"yes": true}, "2.1.2": {"numerator": 11, "denominator": 15},
                "3.1.4": {"value": "66,5"}, "3.2.4": {"not_applicable": true, "reason": "…"}}}
Read JSON with ``json.loads(text, parse_float=Decimal)`` so that no number passes through a float.
"""

import json
from collections.abc import Mapping
from decimal import Decimal

from django.utils.translation import gettext

from .scoring import CatalogueSpec, IndicatorInput, ScoringInputError, input_from_mapping


def load_what_if(text: str) -> object:
    """Parse a what-if JSON text exactly (numbers as Decimal), or raise ScoringInputError."""
    try:
        return json.loads(
            text, parse_float=Decimal, parse_constant=Decimal, object_pairs_hook=_no_duplicates
        )
    except json.JSONDecodeError as error:
        raise ScoringInputError(
            None,
            gettext("The what-if file is not valid JSON (line %(line)s, column %(column)s).")
            % {"line": error.lineno, "column": error.colno},
        ) from error


def _no_duplicates(pairs: list[tuple[str, object]]) -> dict[str, object]:
    """A key given twice (an indicator entered twice) is refused, never silently overwritten.

    NaN and Infinity are read as Decimal so that the indicator's own check names where they are.
    """
    keys = [key for key, _ in pairs]
    repeated = sorted({key for key in keys if keys.count(key) > 1})
    if repeated:
        names = ", ".join(f"«{key}»" for key in repeated)
        raise ScoringInputError(
            None, gettext("The what-if file gives %(keys)s twice.") % {"keys": names}
        )
    return dict(pairs)


def parse_what_if(catalogue: CatalogueSpec, document: object) -> dict[str, IndicatorInput]:
    """Indicator code → the measurement that replaces the stored entry for this run."""
    if not isinstance(document, Mapping) or not isinstance(document.get("values"), Mapping):
        raise ScoringInputError(
            None,
            gettext(
                'The what-if file must have the shape {"values": {"<indicator code>": {...}}}.'
            ),
        )
    overrides = {}
    for code, entry in document["values"].items():
        try:
            spec = catalogue.indicator(code)
        except KeyError:
            raise ScoringInputError(
                None,
                gettext("There is no indicator with the code «%(code)s» in the criteria set.")
                % {"code": code},
            ) from None
        overrides[code] = input_from_mapping(spec, entry)
    return overrides
