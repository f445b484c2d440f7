"""What-if documents: values that replace stored entries for one evaluation, never saved.

Shape (the contract of `manage.py evaluate --what-if`):
    {"values": {"1.1.1": {"yes": true}, "2.1.2": {"numerator": 11, "denominator": 15},
                "3.1.4": {"value": "66,5"}, "3.2.4": {"not_applicable": true, "reason": "…"}}}
Read JSON with ``json.loads(text, parse_float=Decimal)`` so that no number passes through a float.
"""

import json
from collections.abc import Mapping
from decimal import Decimal

from .scoring import CatalogueSpec, Measurement, ScoringInputError, measurement_from_mapping


def load_what_if(text: str) -> object:
    """Parse a what-if JSON text exactly (numbers as Decimal), or raise ScoringInputError."""
    try:
        return json.loads(text, parse_float=Decimal, parse_constant=_refuse_constant)
    except json.JSONDecodeError as error:
        raise ScoringInputError(
            None, f"Tệp kịch bản không phải JSON hợp lệ (dòng {error.lineno}, cột {error.colno})."
        ) from error


def _refuse_constant(name: str) -> None:
    raise ScoringInputError(None, f"«{name}» không phải là số.")


def parse_what_if(catalogue: CatalogueSpec, document: object) -> dict[str, Measurement]:
    """Indicator code → the measurement that replaces the stored entry for this run."""
    if not isinstance(document, Mapping) or not isinstance(document.get("values"), Mapping):
        raise ScoringInputError(
            None, 'Tệp kịch bản phải có dạng {"values": {"<mã chỉ báo>": {...}}}.'
        )
    overrides = {}
    for code, entry in document["values"].items():
        try:
            spec = catalogue.indicator(code)
        except KeyError:
            raise ScoringInputError(
                None, f"Không có chỉ báo mã «{code}» trong bộ tiêu chí."
            ) from None
        overrides[code] = measurement_from_mapping(spec, entry)
    return overrides
