"""Scoring of the learning-city indicators and the roll-up to a recognition verdict.

Pure functions over plain data (no ORM, request or clock) so that forms, imports, views and the
benchmark all score the same way. Arithmetic is exact, with ``Fraction`` and ``Decimal`` and never
``float``: the thresholds sit exactly where binary floating point errs (in float, 3.3 - 1.8 is
1.4999999999999998, so a drop of exactly 1.5 points would fail).

Explanations round half up, as people do by hand (2/3 reads 66,67 %); the JSON contract rounds
toward the failing side. Either way a figure gains decimals rather than contradict the verdict,
so a sentence never reads "70,00 % < 70 %".

An explanation is a `common.sentences.Sentence`: English messages and figures, said in Vietnamese
for the contracts (`IndicatorResult.explanation`) and in the reader's language on a page. Messages
about invalid input are said in the active language when raised.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from fractions import Fraction
from typing import Any

from django.utils.translation import gettext, gettext_noop

from common.numbers import (
    NumberFormatError,
    parse_count,
    parse_decimal,
    parse_percent,
    plain_decimal,
    show_number,
)
from common.sentences import Number, Sentence, say

__all__ = [
    "RECOGNITION_RULES",
    "CatalogueSpec",
    "CriterionSpec",
    "Evaluation",
    "GroupResult",
    "IndicatorInput",
    "IndicatorResult",
    "IndicatorSpec",
    "Kind",
    "KindFacts",
    "PartSpec",
    "ScoringInputError",
    "StandardSpec",
    "Status",
    "Verdict",
    "combine",
    "evaluate",
    "input_from_mapping",
    "is_fragile",
    "is_percentage",
    "kind_facts",
    "score_indicator",
    "shown_percentage",
    "validate_input",
]


class Kind(str, Enum):
    DOCUMENT = "document"
    ACTIVITY = "activity"
    SHARE_AT_LEAST = "share_at_least"
    RATE_BELOW = "rate_below"
    DROP_AT_LEAST = "drop_at_least"
    INCREASE = "increase"


class Status(str, Enum):
    MET = "met"
    NOT_MET = "not_met"
    NO_DATA = "no_data"
    NOT_APPLICABLE = "not_applicable"


class Verdict(str, Enum):
    RECOGNIZED = "recognized"
    NOT_RECOGNIZED = "not_recognized"
    INCOMPLETE = "incomplete"


@dataclass(frozen=True)
class KindFacts:
    """What an indicator of a kind takes and how it is judged: forms, imports, workbooks,
    templates and the dashboard read these facts here rather than restate them.

    ``name`` is the kind's Vietnamese name, as the criteria-set workbook writes it; ``label`` its
    name for people, in English to be translated; ``fields`` are the figures a person enters, in
    the order forms show them.
    """

    name: str
    label: str
    fields: tuple[str, ...]
    takes_threshold: bool
    compares_with_last_year: bool
    #: The value a person enters is a percentage (a share, a rate, or the rate whose drop is
    #: judged); an increase's value is in the indicator's own unit of measure.
    value_in_percent: bool
    #: How a yes/no kind says its answer: («yes» words, «no» words), in English to be translated.
    answers: tuple[str, str] | None = None

    @property
    def is_ratio(self) -> bool:
        """A share or a rate: numerator and denominator, or the percentage itself."""
        return "numerator" in self.fields


KINDS = {
    Kind.DOCUMENT: KindFacts(
        "Có văn bản",
        gettext_noop("A document exists"),
        ("yes",),
        takes_threshold=False,
        compares_with_last_year=False,
        value_in_percent=False,
        answers=(gettext_noop("There is a document"), gettext_noop("There is no document")),
    ),
    # An activity the plan asks to hold ("Có tổ chức…", "Có các hoạt động…"): done or not.
    Kind.ACTIVITY: KindFacts(
        "Có thực hiện",
        gettext_noop("Carried out"),
        ("yes",),
        takes_threshold=False,
        compares_with_last_year=False,
        value_in_percent=False,
        answers=(gettext_noop("Carried out"), gettext_noop("Not carried out")),
    ),
    Kind.SHARE_AT_LEAST: KindFacts(
        "Tỷ lệ tối thiểu",
        gettext_noop("Share at least the threshold"),
        ("numerator", "denominator", "value"),
        takes_threshold=True,
        compares_with_last_year=False,
        value_in_percent=True,
    ),
    Kind.RATE_BELOW: KindFacts(
        "Tỷ lệ dưới ngưỡng",
        gettext_noop("Rate strictly below the threshold"),
        ("numerator", "denominator", "value"),
        takes_threshold=True,
        compares_with_last_year=False,
        value_in_percent=True,
    ),
    Kind.DROP_AT_LEAST: KindFacts(
        "Giảm tối thiểu (điểm %)",
        gettext_noop("Drop of at least the threshold, in percentage points"),
        ("value", "previous"),
        takes_threshold=True,
        compares_with_last_year=True,
        value_in_percent=True,
    ),
    Kind.INCREASE: KindFacts(
        "Tăng so với năm trước",
        gettext_noop("Increase on the previous year"),
        ("value", "previous"),
        takes_threshold=False,
        compares_with_last_year=True,
        value_in_percent=False,
    ),
}


def kind_facts(kind: str) -> KindFacts:
    """The facts of a kind, given as the enum or its stored value ("share_at_least")."""
    return KINDS[Kind(kind)]


# Kinds compared with a threshold given in percent (drop_at_least: in percentage points).
_THRESHOLD_KINDS = frozenset(kind for kind, facts in KINDS.items() if facts.takes_threshold)
_RATIO_KINDS = frozenset(kind for kind, facts in KINDS.items() if facts.is_ratio)
_YEAR_KINDS = frozenset(kind for kind, facts in KINDS.items() if facts.compares_with_last_year)
_HUNDRED = Decimal(100)

_FIELDS = (
    "yes",
    "numerator",
    "denominator",
    "value",
    "previous",
    "growth_rate",
    "not_applicable",
    "reason",
)
_NUMBER_FIELDS = ("numerator", "denominator", "value", "previous", "growth_rate")
_COUNT_FIELDS = frozenset({"numerator", "denominator"})
#: The figures as messages name them, in English to be translated.
_FIELD_LABELS = {
    "yes": gettext_noop("There is a document"),
    "numerator": gettext_noop("Numerator"),
    "denominator": gettext_noop("Denominator"),
    "value": gettext_noop("Value"),
    "previous": gettext_noop("Previous year's value"),
    "growth_rate": gettext_noop("Growth rate (%)"),
    "not_applicable": gettext_noop("Not applicable"),
    "reason": gettext_noop("Reason"),
}

# Explanations show percentages with 2 decimals, or exactly when that takes at most 4; the JSON
# contract carries 6 decimals when the exact figure does not terminate.
_SHOWN_PLACES = 2
_SHOWN_EXACT_PLACES = 4
_JSON_PLACES = 6


class ScoringInputError(ValueError):
    """Invalid data for an indicator; ``message`` is in the active language, ``code`` the
    indicator's code."""

    def __init__(self, code: str | None, message: str) -> None:
        named = gettext("Indicator %(code)s: %(message)s") % {"code": code, "message": message}
        super().__init__(named if code else message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class PartSpec:
    """One measure of an indicator made of several (3.1.5: solid waste, and wastewater), judged
    like a share or a rate of the indicator's kind against its own threshold."""

    code: str
    name: str
    threshold: Decimal


@dataclass(frozen=True)
class IndicatorSpec:
    """What an indicator demands.

    ``threshold`` is a percentage for share_at_least and rate_below, percentage points for
    drop_at_least, and None for document and increase (which compares with the previous year).
    An indicator with ``parts`` is met only when every part is (see :func:`score_indicator`).
    """

    code: str
    kind: Kind
    threshold: Decimal | None
    unit_of_measure: str = ""
    #: An increase that may be reported as the growth rate published (e.g. GRDP, 3.1.1) instead
    #: of its two levels: an option of that indicator, not of every increase.
    accepts_growth_rate: bool = False
    parts: tuple[PartSpec, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", Kind(self.kind))
        _check_threshold(self)
        if self.accepts_growth_rate and self.kind is not Kind.INCREASE:
            raise ValueError(f"Only an increase takes a growth rate ({self.code}).")
        if self.parts:
            _check_parts(self)

    def part_spec(self, part: PartSpec) -> IndicatorSpec:
        """A part as an indicator of its own: the indicator's kind, the part's threshold."""
        return IndicatorSpec(code=self.code, kind=self.kind, threshold=part.threshold)


@dataclass(frozen=True)
class IndicatorInput:
    """One unit's data for one indicator and year; all None means no data yet.

    ``counted`` names what a share counts when it comes from a list ("quận/huyện được công
    nhận"), so the explanation reads "11/15 quận/huyện được công nhận = 73,33 % ≥ 70 %".
    """

    yes: bool | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    value: Decimal | None = None
    previous: Decimal | None = None
    #: The published growth rate, in %, where the indicator takes one instead of two levels.
    growth_rate: Decimal | None = None
    not_applicable: bool = False
    reason: str = ""
    counted: str | Sentence = ""
    #: An indicator made of several parts: part code → that part's figures (a missing part has
    #: no data); the indicator's own figures then stay empty.
    parts: Mapping[str, IndicatorInput] = dataclasses.field(default_factory=dict)


@dataclass(frozen=True)
class IndicatorResult:
    """The score of one indicator.

    ``value`` is the quantity compared (a percentage, a drop in points, a change, or a bool for
    documents) and ``margin`` its signed distance to the threshold, positive on the passing side.
    ``kind`` and ``threshold`` let the texts round toward the failing side without contradicting
    the status.
    """

    code: str
    status: Status
    value: Fraction | bool | None
    margin: Fraction | None
    sentence: Sentence
    kind: Kind | None = None
    threshold: Decimal | None = None
    #: The results of an indicator's parts, in catalogue order (each with the part's code).
    parts: tuple[IndicatorResult, ...] = ()
    #: A part's name ("Chất thải rắn trên địa bàn"); empty for an indicator.
    name: str = ""

    @property
    def explanation(self) -> str:
        """The explanation in Vietnamese, as the contracts record it (the `evaluate` JSON, a
        frozen record, a report); a page shows ``sentence`` in its reader's language."""
        return self.sentence.vietnamese()

    @property
    def value_text(self) -> str | bool | None:
        """``value`` for the JSON contract: plain decimal text, a bool for documents, or None."""
        if self.value is None or isinstance(self.value, bool):
            return self.value
        shown = _shown(
            self.value,
            places=_JSON_PLACES,
            exact_places=None,
            round_up=self.kind is Kind.RATE_BELOW,
            agrees=self._agrees_with_status,
        )
        return plain_decimal(shown)

    @property
    def margin_plain(self) -> str | None:
        """``margin`` for the JSON contract: a plain decimal string, or None."""
        if self.margin is None:
            return None
        return plain_decimal(_shown_margin(self.margin, _JSON_PLACES, exact_places=None))

    @property
    def margin_sentence(self) -> Sentence | None:
        """The margin in words: "Vượt 2,5 điểm %", "Còn thiếu 1,1 điểm %", "Vượt 32.000"."""
        if self.margin is None:
            return None
        shown = _shown_margin(
            self.margin, _SHOWN_PLACES, exact_places=_SHOWN_EXACT_PLACES, nearest=True
        )
        amount = _points(abs(shown)) if self.kind in _THRESHOLD_KINDS else abs(shown)
        if shown > 0:
            return say(gettext_noop("Above by %(amount)s"), amount=amount)
        if shown < 0:
            return say(gettext_noop("Short by %(amount)s"), amount=amount)
        if self.kind is Kind.INCREASE:
            return say(gettext_noop("Same as the previous year"))
        return say(gettext_noop("Exactly as required"))

    def _agrees_with_status(self, shown: Fraction) -> bool:
        if self.kind is None or self.status not in (Status.MET, Status.NOT_MET):
            return True
        return _passes(self.kind, self.threshold, shown) == (self.status is Status.MET)


@dataclass(frozen=True)
class CriterionSpec:
    code: str
    indicators: tuple[IndicatorSpec, ...]


@dataclass(frozen=True)
class StandardSpec:
    code: str
    criteria: tuple[CriterionSpec, ...]


@dataclass(frozen=True)
class LevelSpec:
    """A recognition level (mức độ) of a set: the indicators it asks to be met. A level is
    reached when its indicators and those of every level below it are met (Thông tư 24 and
    25/2023: level 2 asks level 1's criteria and more)."""

    number: int
    indicators: tuple[str, ...]


@dataclass(frozen=True)
class CatalogueSpec:
    """A criteria set: standards → criteria → indicators, and the recognition rule to apply."""

    standards: tuple[StandardSpec, ...]
    rule: str = "all_standards"
    #: For the rule "min_indicators": how many indicators must be met.
    min_met: int | None = None
    #: For the rule "levels": the set's levels, lowest first.
    levels: tuple[LevelSpec, ...] = ()

    def __post_init__(self) -> None:
        codes = Counter(spec.code for spec in self.iter_indicators())
        duplicates = sorted(code for code, count in codes.items() if count > 1)
        if duplicates:
            raise ValueError(f"Duplicate indicator codes: {', '.join(duplicates)}.")
        if (self.rule == "levels") != bool(self.levels):
            raise ValueError("The rule «levels» needs the set's levels; other rules take none.")
        unknown = sorted({code for level in self.levels for code in level.indicators} - set(codes))
        if unknown:
            raise ValueError(f"Levels name unknown indicators: {', '.join(unknown)}.")

    def iter_indicators(self) -> Iterator[IndicatorSpec]:
        """Every indicator, in catalogue order."""
        for standard in self.standards:
            for criterion in standard.criteria:
                yield from criterion.indicators

    def indicator(self, code: str) -> IndicatorSpec:
        """The indicator with this code; KeyError when there is none."""
        for spec in self.iter_indicators():
            if spec.code == code:
                return spec
        raise KeyError(code)


@dataclass(frozen=True)
class GroupResult:
    code: str
    status: Status


@dataclass(frozen=True)
class Evaluation:
    verdict: Verdict
    standards: tuple[GroupResult, ...]
    criteria: tuple[GroupResult, ...]
    indicators: tuple[IndicatorResult, ...]
    #: Under the rule "levels": the highest level reached (None: none); absent from the JSON
    #: of a set without levels, whose contract stays as it was.
    level: int | None = None
    has_levels: bool = False

    @property
    def met_count(self) -> int:
        return sum(1 for result in self.indicators if result.status is Status.MET)

    @property
    def criteria_met_count(self) -> int:
        return sum(1 for group in self.criteria if group.status is Status.MET)

    @property
    def standards_met_count(self) -> int:
        return sum(1 for group in self.standards if group.status is Status.MET)

    def to_json(self, year: int, unit: str) -> dict[str, object]:
        """The evaluation as the JSON contract, every group and indicator in catalogue order.

        ``indicator_count`` counts every indicator, not-applicable ones included.
        """
        return {
            "year": year,
            "unit": unit,
            "verdict": self.verdict.value,
            "met_count": self.met_count,
            "indicator_count": len(self.indicators),
            "standards": [_group_json(group) for group in self.standards],
            "criteria": [_group_json(group) for group in self.criteria],
            "indicators": [_indicator_json(result) for result in self.indicators],
        } | ({"level": self.level} if self.has_levels else {})


def _group_json(group: GroupResult) -> dict[str, object]:
    return {"code": group.code, "status": group.status.value}


def _indicator_json(result: IndicatorResult) -> dict[str, object]:
    data: dict[str, object] = {
        "code": result.code,
        "status": result.status.value,
        "value": result.value_text,
        "margin": result.margin_plain,
        "explanation": result.explanation,
    }
    if result.parts:
        data["parts"] = [
            {"code": part.code, "name": part.name, **_indicator_json(part)} for part in result.parts
        ]
    return data


# --- Reading and validating input -------------------------------------------------------------


def input_from_mapping(spec: IndicatorSpec, data: Mapping[str, object]) -> IndicatorInput:
    """Read raw input (JSON or a form's cleaned data) for one indicator, then validate it.

    Numbers may be JSON numbers (int, or Decimal when read with ``parse_float=Decimal``) or text
    in any notation :func:`common.numbers.parse_decimal` accepts. None and blank text mean "not
    given". Raises :class:`ScoringInputError` naming the indicator.
    """
    if not isinstance(data, Mapping):
        raise ScoringInputError(
            spec.code, gettext("The figures must be an object (name: value pairs).")
        )
    unknown = sorted(str(key) for key in data if key not in (*_FIELDS, "parts"))
    if unknown:
        names = ", ".join(f"«{name}»" for name in unknown)
        raise ScoringInputError(
            spec.code, gettext("There is no field %(names)s.") % {"names": names}
        )
    given = {key: raw for key, raw in data.items() if not _is_blank(raw)}
    parts = _read_parts(spec, given.pop("parts", None))
    if not spec.parts:
        _check_fields_fit(spec, set(given) - {"not_applicable", "reason"})
    indicator_input = IndicatorInput(
        parts=parts,
        yes=_read_flag(spec, "yes", given.get("yes")),
        numerator=_read_number(spec, "numerator", given.get("numerator")),
        denominator=_read_number(spec, "denominator", given.get("denominator")),
        value=_read_number(spec, "value", given.get("value")),
        previous=_read_number(spec, "previous", given.get("previous")),
        growth_rate=_read_number(spec, "growth_rate", given.get("growth_rate")),
        not_applicable=bool(_read_flag(spec, "not_applicable", given.get("not_applicable"))),
        reason=_read_reason(spec, given.get("reason")),
    )
    validate_input(spec, indicator_input)
    return indicator_input


def _read_parts(spec: IndicatorSpec, raw: object) -> dict[str, IndicatorInput]:
    """The parts of a JSON input: {"<mã phần>": {"numerator": …, "denominator": …}, …}."""
    if raw is None:
        return {}
    if not spec.parts:
        raise ScoringInputError(spec.code, gettext("This indicator has no parts."))
    if not isinstance(raw, Mapping):
        raise ScoringInputError(
            spec.code,
            gettext('The parts must read {"<part code>": {"numerator": …, "denominator": …}}.'),
        )
    by_code = {part.code: part for part in spec.parts}
    parts = {}
    for code, data in raw.items():
        part = by_code.get(code)
        if part is None:
            raise ScoringInputError(
                spec.code, gettext("There is no part «%(code)s».") % {"code": code}
            )
        try:
            parts[code] = input_from_mapping(spec.part_spec(part), data)
        except ScoringInputError as error:
            raise ScoringInputError(spec.code, _in_part(code, error.message)) from error
    return parts


def validate_input(spec: IndicatorSpec, m: IndicatorInput) -> None:
    """Check an already-typed input against its indicator; raise ScoringInputError.

    A wrongly typed field (a float, a string) is a programming error and raises TypeError.
    """
    _check_types(m)
    if m.not_applicable:
        if m.parts:
            raise ScoringInputError(spec.code, _no_figures_when_not_applicable())
        _check_not_applicable(spec, m)
        return
    if m.reason.strip():
        raise ScoringInputError(
            spec.code, gettext("Give a reason only when the indicator does not apply.")
        )
    if spec.parts or m.parts:
        _check_part_inputs(spec, m)
        return
    _check_fields_fit(spec, _given_fields(m))
    for field in _NUMBER_FIELDS:
        number = getattr(m, field)
        if number is not None:
            _check_number(spec, field, Decimal(number))
    if spec.kind in _RATIO_KINDS:
        _check_ratio(spec, m)


def _check_part_inputs(spec: IndicatorSpec, m: IndicatorInput) -> None:
    if not spec.parts:
        raise ScoringInputError(spec.code, gettext("This indicator has no parts."))
    if _given_fields(m):
        names = "; ".join(f"{part.code}) {part.name}" for part in spec.parts)
        raise ScoringInputError(
            spec.code,
            gettext("The indicator has parts: enter the figures of each part (%(names)s).")
            % {"names": names},
        )
    by_code = {part.code: part for part in spec.parts}
    for code, part_input in m.parts.items():
        part = by_code.get(code)
        if part is None:
            raise ScoringInputError(
                spec.code, gettext("There is no part «%(code)s».") % {"code": code}
            )
        if part_input.not_applicable or part_input.parts:
            raise ScoringInputError(
                spec.code,
                _in_part(
                    code, gettext("enter only a numerator and a denominator, or the rate (%).")
                ),
            )
        try:
            validate_input(spec.part_spec(part), part_input)
        except ScoringInputError as error:
            raise ScoringInputError(spec.code, _in_part(code, error.message)) from error


def _check_parts(spec: IndicatorSpec) -> None:
    """An indicator of parts is a share or a rate whose parts have distinct codes and thresholds
    a share takes (programming errors: the catalogue and its imports check before)."""
    if not KINDS[spec.kind].is_ratio:
        raise ValueError(f"Only a share or a rate has parts ({spec.code}).")
    codes = [part.code for part in spec.parts]
    if len(set(codes)) != len(codes):
        raise ValueError(f"Indicator {spec.code}: part codes repeat.")
    for part in spec.parts:
        spec.part_spec(part)  # checks the part's threshold as an indicator's


def _is_blank(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def _read_flag(spec: IndicatorSpec, field: str, raw: object) -> bool | None:
    if raw is None or isinstance(raw, bool):
        return raw
    raise ScoringInputError(
        spec.code,
        gettext("%(label)s: «%(raw)s» must be true or false.")
        % {"label": _label(spec.kind, field), "raw": raw},
    )


def _read_number(spec: IndicatorSpec, field: str, raw: Any) -> Decimal | None:
    if raw is None:
        return None
    try:
        if field in _COUNT_FIELDS:
            return Decimal(parse_count(raw))
        if is_percentage(spec.kind, field):
            return parse_percent(raw)
        return parse_decimal(raw)
    except NumberFormatError as error:
        raise ScoringInputError(
            spec.code, f"{_label(spec.kind, field)}: {error.message}"
        ) from error


def _read_reason(spec: IndicatorSpec, raw: object) -> str:
    if raw is None:
        return ""
    if not isinstance(raw, str):
        raise ScoringInputError(spec.code, gettext("The reason must be text."))
    return raw.strip()


def _check_types(m: IndicatorInput) -> None:
    if m.yes is not None and not isinstance(m.yes, bool):
        raise TypeError(f"IndicatorInput.yes must be a bool or None, not {type(m.yes).__name__}.")
    for field in _NUMBER_FIELDS:
        number = getattr(m, field)
        if number is not None and (
            isinstance(number, bool) or not isinstance(number, (Decimal, int))
        ):
            kind = type(number).__name__
            raise TypeError(
                f"IndicatorInput.{field} must be a Decimal, an int or None, not {kind}."
            )
    if not isinstance(m.not_applicable, bool) or not isinstance(m.reason, str):
        raise TypeError("IndicatorInput.not_applicable must be a bool and reason a str.")
    if not isinstance(m.parts, Mapping) or not all(
        isinstance(part, IndicatorInput) for part in m.parts.values()
    ):
        raise TypeError("IndicatorInput.parts must map part codes to IndicatorInput.")


def _check_not_applicable(spec: IndicatorSpec, m: IndicatorInput) -> None:
    if _given_fields(m):
        raise ScoringInputError(spec.code, _no_figures_when_not_applicable())
    if not m.reason.strip():
        raise ScoringInputError(spec.code, gettext("Give the reason the indicator does not apply."))


def _given_fields(m: IndicatorInput) -> set[str]:
    return {field for field in ("yes", *_NUMBER_FIELDS) if getattr(m, field) is not None}


def _check_fields_fit(spec: IndicatorSpec, fields: set[str]) -> None:
    accepted = set(KINDS[spec.kind].fields)
    if spec.accepts_growth_rate:
        accepted.add("growth_rate")
    misfits = sorted(fields - accepted, key=_FIELDS.index)
    if misfits:
        labels = ", ".join(f"«{_label(spec.kind, field)}»" for field in misfits)
        kind = gettext(KINDS[spec.kind].label)
        raise ScoringInputError(
            spec.code,
            gettext("An indicator of the kind «%(kind)s» takes no %(labels)s.")
            % {"kind": kind, "labels": labels},
        )
    if "growth_rate" in fields and fields & {"value", "previous"}:
        raise ScoringInputError(
            spec.code,
            gettext(
                "Enter either the two values (the year evaluated and the year before) or the "
                "growth rate published — not both."
            ),
        )


def _check_number(spec: IndicatorSpec, field: str, number: Decimal) -> None:
    if not number.is_finite():
        message = gettext("%(label)s: «%(raw)s» is not a number.")
    elif number < 0 and field != "growth_rate":  # an economy may shrink; a count may not
        message = gettext("%(label)s may not be negative (%(shown)s was entered).")
    elif field in _COUNT_FIELDS and number != number.to_integral_value():
        message = gettext("%(label)s: «%(shown)s» is not a whole number.")
    elif is_percentage(spec.kind, field) and field != "growth_rate" and number > _HUNDRED:
        message = gettext("%(label)s may not be above 100 %% (%(shown)s %% was entered).")
    else:
        return
    shown = show_number(number) if number.is_finite() else str(number)
    figures = {"label": _label(spec.kind, field), "raw": number, "shown": shown}
    raise ScoringInputError(spec.code, message % figures)


def is_percentage(kind: Kind | str, field: str) -> bool:
    """Whether a figure is a percentage (a "%" after it is then accepted): a share's or a
    rate's value, a drop's two rates, a published growth rate."""
    return field == "growth_rate" or (
        field in ("value", "previous") and KINDS[Kind(kind)].value_in_percent
    )


def _check_ratio(spec: IndicatorSpec, m: IndicatorInput) -> None:
    numerator, denominator = m.numerator, m.denominator
    if (numerator is None) != (denominator is None):
        raise ScoringInputError(spec.code, gettext("Enter both the numerator and the denominator."))
    if numerator is None or denominator is None:
        return
    if m.value is not None:
        raise ScoringInputError(
            spec.code,
            gettext("Enter the numerator and the denominator, or the rate (%), not both."),
        )
    if denominator == 0:
        raise ScoringInputError(spec.code, gettext("The denominator must be above 0."))
    if numerator > denominator:
        raise ScoringInputError(
            spec.code,
            gettext(
                "The numerator (%(numerator)s) may not be larger than the denominator "
                "(%(denominator)s)."
            )
            % {"numerator": show_number(numerator), "denominator": show_number(denominator)},
        )


def _label(kind: Kind, field: str) -> str:
    """A figure's name in the active language, for a message."""
    if field == "yes" and KINDS[kind].answers:
        return gettext(KINDS[kind].answers[0])
    if field == "value" and kind in _RATIO_KINDS:
        return gettext("Rate (%)")
    if field == "value" and kind is Kind.DROP_AT_LEAST:
        return gettext("This year's rate (%)")
    if field == "value" and kind in _YEAR_KINDS:
        return gettext("This year's value")
    if field == "previous" and kind is Kind.DROP_AT_LEAST:
        return gettext("Previous year's rate (%)")
    return gettext(_FIELD_LABELS[field])


def _in_part(code: str, message: str) -> str:
    return gettext("Part %(code)s: %(message)s") % {"code": code, "message": message}


def _no_figures_when_not_applicable() -> str:
    return gettext("An indicator that does not apply takes no figures.")


def _check_threshold(spec: IndicatorSpec) -> None:
    threshold = spec.threshold
    if spec.kind not in _THRESHOLD_KINDS:
        if threshold is not None:
            raise ValueError(f"Indicator {spec.code}: a {spec.kind.value} has no threshold.")
        return
    if not isinstance(threshold, Decimal) or not threshold.is_finite():
        raise ValueError(f"Indicator {spec.code}: a {spec.kind.value} needs a Decimal threshold.")
    if not 0 <= threshold <= _HUNDRED:
        raise ValueError(f"Indicator {spec.code}: the threshold must lie between 0 and 100.")


# --- Scoring -----------------------------------------------------------------------------------


def score_indicator(spec: IndicatorSpec, m: IndicatorInput | None) -> IndicatorResult:
    """Score one indicator exactly; None or an empty input gives no_data."""
    given = IndicatorInput() if m is None else m
    validate_input(spec, given)
    if given.not_applicable:
        reason = given.reason.strip()
        sentence = say(gettext_noop("Not applicable: %(reason)s"), reason=reason)
        return _result(spec, Status.NOT_APPLICABLE, None, None, sentence)
    if spec.parts:
        return _score_parts(spec, given)
    return _SCORERS[spec.kind](spec, given)


def _score_parts(spec: IndicatorSpec, m: IndicatorInput) -> IndicatorResult:
    """Every part scored on its own: not met when any part is not, otherwise without data when
    any part has none, otherwise met. The margin is the weakest part's (how fragile the pass)."""
    results = []
    for part in spec.parts:
        scored = _SCORERS[spec.kind](spec.part_spec(part), m.parts.get(part.code, IndicatorInput()))
        results.append(
            IndicatorResult(
                code=part.code,
                status=scored.status,
                value=scored.value,
                margin=scored.margin,
                sentence=scored.sentence,
                kind=scored.kind,
                threshold=part.threshold,
                name=part.name,
            )
        )
    status = combine(result.status for result in results)
    margins = [result.margin for result in results]
    margin = min(margins) if status is Status.MET and None not in margins else None
    described = tuple(
        say(
            gettext_noop("%(code)s) %(name)s: %(explanation)s"),
            code=r.code,
            name=r.name,
            explanation=r.sentence,
        )
        for r in results
    )
    if status is Status.MET:
        verdict = say(gettext_noop("Every part is met — Met"))
    elif status is Status.NOT_MET:
        failed = ", ".join(r.code for r in results if r.status is Status.NOT_MET)
        verdict = say(gettext_noop("Part %(parts)s not met — Not met"), parts=failed)
    else:
        missing = ", ".join(r.code for r in results if r.status is Status.NO_DATA)
        verdict = say(gettext_noop("Part %(parts)s without data — No data yet"), parts=missing)
    return IndicatorResult(
        code=spec.code,
        status=status,
        value=None,
        margin=margin,
        sentence=say(gettext_noop("%(parts)s. %(verdict)s"), parts=described, verdict=verdict),
        kind=spec.kind,
        threshold=spec.threshold,
        parts=tuple(results),
    )


def _score_yes(spec: IndicatorSpec, m: IndicatorInput) -> IndicatorResult:
    """A document or an activity: met when there is one, in the kind's own words."""
    if m.yes is None:
        return _no_data(spec)
    status = Status.MET if m.yes else Status.NOT_MET
    yes_words, no_words = KINDS[spec.kind].answers
    answer = say(yes_words if m.yes else no_words)
    return _result(spec, status, m.yes, None, _judged(status, answer))


def _score_ratio(spec: IndicatorSpec, m: IndicatorInput) -> IndicatorResult:
    """share_at_least and rate_below, from counts or from a typed percentage."""
    if m.numerator is not None and m.denominator is not None:
        percentage = Fraction(m.numerator) / Fraction(m.denominator) * 100
        shown = shown_percentage(spec, percentage)
        places = max(_SHOWN_PLACES, _decimals(shown))
        counts = {"numerator": m.numerator, "denominator": m.denominator}
        if m.counted:
            figure = say(
                gettext_noop("%(numerator)s/%(denominator)s %(counted)s = %(percent)s"),
                **counts,
                counted=m.counted,
                percent=_percent(shown, places),
            )
        else:
            figure = say(
                gettext_noop("%(numerator)s/%(denominator)s = %(percent)s"),
                **counts,
                percent=_percent(shown, places),
            )
    elif m.value is not None:
        percentage = Fraction(m.value)
        shown = Decimal(m.value)
        figure = _percent(shown)
    else:
        return _no_data(spec)
    status = _status(spec, percentage)
    sentence = _ratio_comparison(spec, figure, shown, status)
    return _result(spec, status, percentage, _margin(spec, percentage), sentence)


def shown_percentage(spec: IndicatorSpec, percentage: Fraction) -> Decimal:
    """A percentage as explanations show it: 2 decimals rounded half up, exact up to 4, more
    decimals rather than contradict the verdict (so never 70,00 % for 69,995 %)."""
    met = _passes(spec.kind, spec.threshold, percentage)
    return _shown(
        percentage,
        places=_SHOWN_PLACES,
        exact_places=_SHOWN_EXACT_PLACES,
        round_up=spec.kind is Kind.RATE_BELOW,
        agrees=lambda shown: _passes(spec.kind, spec.threshold, shown) == met,
        nearest=True,
    )


def _ratio_comparison(
    spec: IndicatorSpec, figure: Sentence, shown: Decimal, status: Status
) -> Sentence:
    """The percentage compared with the threshold, e.g. "66,5 % ≥ 66 % — Đạt"."""
    threshold = _required(spec.threshold)
    limit = _percent(threshold)
    if spec.kind is Kind.SHARE_AT_LEAST:
        if status is Status.MET:
            return _judged(
                status, say(gettext_noop("%(figure)s ≥ %(limit)s"), figure=figure, limit=limit)
            )
        compared = say(gettext_noop("%(figure)s < %(limit)s"), figure=figure, limit=limit)
        return _short(_judged(status, compared), _points(_difference(threshold, shown)))
    if status is Status.MET:
        return _judged(
            status, say(gettext_noop("%(figure)s < %(limit)s"), figure=figure, limit=limit)
        )
    compared = say(gettext_noop("%(figure)s not below %(limit)s"), figure=figure, limit=limit)
    if shown > threshold:
        return say(
            gettext_noop("%(judged)s (above the limit by %(excess)s)"),
            judged=_judged(status, compared),
            excess=_points(_difference(shown, threshold)),
        )
    return _judged(status, compared)


def _score_drop(spec: IndicatorSpec, m: IndicatorInput) -> IndicatorResult:
    if m.value is None or m.previous is None:
        return _no_data(spec, _missing_year(m))
    threshold = _required(spec.threshold)
    drop = _difference(m.previous, m.value)
    status = _status(spec, Fraction(drop))
    finding = say(
        gettext_noop(
            "%(movement)s (%(previous)s → %(value)s), a drop of at least %(required)s required"
        ),
        movement=_movement(drop),
        previous=_percent(m.previous),
        value=_percent(m.value),
        required=_points(threshold),
    )
    sentence = _judged(status, finding)
    if status is Status.NOT_MET and drop > 0:
        sentence = _short(sentence, _points(_difference(threshold, drop)))
    return _result(spec, status, Fraction(drop), _margin(spec, Fraction(drop)), sentence)


def _movement(drop: Decimal) -> Sentence:
    if drop > 0:
        return say(gettext_noop("Down %(points)s"), points=_points(drop))
    if drop < 0:
        return say(gettext_noop("Up %(points)s"), points=_points(-drop))
    return say(gettext_noop("No drop"))


def _score_increase(spec: IndicatorSpec, m: IndicatorInput) -> IndicatorResult:
    if m.growth_rate is not None:
        return _score_growth_rate(spec, m.growth_rate)
    if m.value is None or m.previous is None:
        return _no_data(spec, _missing_year(m))
    change = _difference(m.value, m.previous)
    status = _status(spec, Fraction(change))
    amount = functools.partial(_amount, spec.unit_of_measure)
    if change > 0:
        movement = say(gettext_noop("Up %(amount)s on the previous year"), amount=amount(change))
    elif change < 0:
        movement = say(gettext_noop("Down %(amount)s on the previous year"), amount=amount(-change))
    else:
        movement = say(gettext_noop("No increase on the previous year"))
    finding = say(
        gettext_noop("%(movement)s (%(previous)s → %(value)s)"),
        movement=movement,
        previous=amount(m.previous),
        value=amount(m.value),
    )
    sentence = _judged(status, finding)
    return _result(spec, status, Fraction(change), _margin(spec, Fraction(change)), sentence)


def _amount(unit: str, number: Decimal) -> Sentence | Decimal:
    """A figure in its unit of measure ("1.250 tỷ đồng"), or bare when it has none."""
    if not unit:
        return number
    return say(gettext_noop("%(number)s %(unit)s"), number=number, unit=unit)


def _score_growth_rate(spec: IndicatorSpec, rate: Decimal) -> IndicatorResult:
    """The growth rate published (a GRDP growth at comparable prices): met when above 0."""
    change = Fraction(rate)
    status = _status(spec, change)
    finding = say(gettext_noop("Published growth rate: %(percent)s"), percent=_percent(rate))
    return _result(spec, status, change, _margin(spec, change), _judged(status, finding))


def _missing_year(m: IndicatorInput) -> Sentence | None:
    if m.value is None and m.previous is None:
        return None
    if m.previous is None:
        return say(gettext_noop("No value for the previous year yet"))
    return say(gettext_noop("No value for the year evaluated yet"))


_SCORERS: dict[Kind, Callable[[IndicatorSpec, IndicatorInput], IndicatorResult]] = {
    Kind.DOCUMENT: _score_yes,
    Kind.ACTIVITY: _score_yes,
    Kind.SHARE_AT_LEAST: _score_ratio,
    Kind.RATE_BELOW: _score_ratio,
    Kind.DROP_AT_LEAST: _score_drop,
    Kind.INCREASE: _score_increase,
}


def _passes(kind: Kind, threshold: Decimal | None, quantity: Fraction) -> bool:
    """The one comparison of every kind; the display checks itself against it too."""
    if kind is Kind.INCREASE:
        return quantity > 0
    if kind is Kind.RATE_BELOW:
        return quantity < Fraction(_required(threshold))
    return quantity >= Fraction(_required(threshold))


def _margin(spec: IndicatorSpec, quantity: Fraction) -> Fraction:
    if spec.kind is Kind.INCREASE:
        return quantity
    threshold = Fraction(_required(spec.threshold))
    return threshold - quantity if spec.kind is Kind.RATE_BELOW else quantity - threshold


def _status(spec: IndicatorSpec, quantity: Fraction) -> Status:
    return Status.MET if _passes(spec.kind, spec.threshold, quantity) else Status.NOT_MET


def _result(
    spec: IndicatorSpec,
    status: Status,
    value: Fraction | bool | None,
    margin: Fraction | None,
    sentence: Sentence,
) -> IndicatorResult:
    return IndicatorResult(
        code=spec.code,
        status=status,
        value=value,
        margin=margin,
        sentence=sentence,
        kind=spec.kind,
        threshold=spec.threshold,
    )


def _no_data(spec: IndicatorSpec, missing: Sentence | None = None) -> IndicatorResult:
    if missing is None:
        sentence = say(gettext_noop("No data yet"))
    else:
        sentence = say(gettext_noop("%(missing)s — No data yet"), missing=missing)
    return _result(spec, Status.NO_DATA, None, None, sentence)


def _judged(status: Status, finding: Sentence) -> Sentence:
    """A finding with its verdict: "… — Đạt" or "… — Không đạt"."""
    if status is Status.MET:
        return say(gettext_noop("%(finding)s — Met"), finding=finding)
    return say(gettext_noop("%(finding)s — Not met"), finding=finding)


def _short(judged: Sentence, gap: Sentence) -> Sentence:
    """A failed verdict with how far it falls short: "… — Không đạt (còn thiếu 3,33 điểm %)"."""
    return say(gettext_noop("%(judged)s (%(gap)s short)"), judged=judged, gap=gap)


def _required(threshold: Decimal | None) -> Decimal:
    if threshold is None:
        raise ValueError("This kind of indicator needs a threshold.")
    return threshold


# --- Exact display -----------------------------------------------------------------------------


def _shown(
    exact: Fraction,
    *,
    places: int,
    exact_places: int | None,
    round_up: bool,
    agrees: Callable[[Fraction], bool],
    nearest: bool = False,
) -> Decimal:
    """The figure to display for an exact quantity.

    Exact when it is a terminating decimal with at most ``exact_places`` decimals (None: any);
    otherwise rounded to ``places`` toward the failing side (``round_up`` for "below" kinds) —
    or, with ``nearest``, half up as people round by hand (2/3 reads 66,67 %) — with more
    decimals for as long as the rounded figure would contradict the verdict. That
    terminates because the exact quantity agrees (checked, in case a caller built an inconsistent
    result) and the rounding converges to it.
    """
    finite = _terminating(exact)
    if finite is not None and (exact_places is None or _decimals(finite) <= exact_places):
        return finite
    shown = _round(exact, places, round_up, nearest)
    if not agrees(exact):
        return shown
    while not agrees(Fraction(shown)):
        places += 1
        shown = _round(exact, places, round_up, nearest)
    return shown


def _shown_margin(
    margin: Fraction, places: int, exact_places: int | None, nearest: bool = False
) -> Decimal:
    """Margins are positive on the passing side, so rounding down is toward failing."""
    sign = _sign(margin)
    return _shown(
        margin,
        places=places,
        exact_places=exact_places,
        round_up=False,
        agrees=lambda shown: _sign(shown) == sign,
        nearest=nearest,
    )


def _sign(number: Fraction | Decimal) -> int:
    return (number > 0) - (number < 0)


def _terminating(exact: Fraction) -> Decimal | None:
    """The exact decimal equal to ``exact``, or None when its expansion does not terminate."""
    rest, twos, fives = exact.denominator, 0, 0
    while rest % 2 == 0:
        rest, twos = rest // 2, twos + 1
    while rest % 5 == 0:
        rest, fives = rest // 5, fives + 1
    if rest != 1:
        return None
    places = max(twos, fives)
    return Decimal(f"{exact.numerator * 10**places // exact.denominator}E-{places}")


def _round(exact: Fraction, places: int, round_up: bool, nearest: bool = False) -> Decimal:
    scaled = exact * 10**places
    if nearest:
        digits = math.floor(scaled + Fraction(1, 2))
    else:
        digits = math.ceil(scaled) if round_up else math.floor(scaled)
    return Decimal(f"{digits}E-{places}")


def _decimals(number: Decimal) -> int:
    exponent = number.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _difference(minuend: Decimal | int, subtrahend: Decimal | int) -> Decimal:
    """Exact ``minuend - subtrahend``; Decimal arithmetic would round beyond 28 digits."""
    exact = _terminating(Fraction(minuend) - Fraction(subtrahend))
    if exact is None:  # pragma: no cover - a difference of two decimals always terminates
        raise ArithmeticError("A difference of decimals must terminate.")
    return exact


def _percent(number: Decimal | int, places: int | None = None) -> Sentence:
    figure = number if places is None else Number(number, places)
    return say(gettext_noop("%(number)s %%"), number=figure)


def _points(number: Decimal) -> Sentence:
    """Percentage points: "1,5 điểm %"."""
    if number == 1:
        return say(gettext_noop("%(number)s percentage point"), number=number)
    return say(gettext_noop("%(number)s percentage points"), number=number)


# --- Fragile passes ----------------------------------------------------------------------------

# A pass is fragile when a small change in the data would turn it into a failure: a share within
# 2 points of its threshold (one or two agencies), a rate within a fifth of its ceiling, a drop
# within 0,2 points of the required drop, or growth under 1 % of last year's value.
FRAGILE_SHARE_POINTS = Fraction(2)
FRAGILE_RATE_SHARE = Fraction(1, 5)
FRAGILE_DROP_POINTS = Fraction(1, 5)
FRAGILE_GROWTH_SHARE = Fraction(1, 100)


def is_fragile(result: IndicatorResult, previous: Decimal | None = None) -> bool:
    """Whether a met indicator passes by so little that the committee should look twice.

    ``previous`` (last year's value) is needed for increases; without it they are never fragile.
    """
    if result.status is not Status.MET or result.margin is None:
        return False
    margin = result.margin
    if result.kind is Kind.SHARE_AT_LEAST:
        return margin < FRAGILE_SHARE_POINTS
    if result.kind is Kind.RATE_BELOW and result.threshold is not None:
        return margin < Fraction(result.threshold) * FRAGILE_RATE_SHARE
    if result.kind is Kind.DROP_AT_LEAST:
        return margin < FRAGILE_DROP_POINTS
    if result.kind is Kind.INCREASE and previous is not None and previous > 0:
        return margin < Fraction(previous) * FRAGILE_GROWTH_SHARE
    return False


# --- Roll-up -----------------------------------------------------------------------------------


def combine(statuses: Iterable[Status]) -> Status:
    """Roll statuses up: a failure outweighs missing data; not-applicable ones drop out."""
    applicable = [status for status in statuses if status != Status.NOT_APPLICABLE]
    if not applicable:
        return Status.NOT_APPLICABLE
    if Status.NOT_MET in applicable:
        return Status.NOT_MET
    if Status.NO_DATA in applicable:
        return Status.NO_DATA
    return Status.MET


def _all_standards(
    standards: Sequence[Status], indicators: Sequence[Status], min_met: int | None
) -> Verdict:
    """Recognised when every standard is met (not-applicable ones drop out)."""
    status = combine(standards)
    if status is Status.MET:
        return Verdict.RECOGNIZED
    if status is Status.NOT_MET:
        return Verdict.NOT_RECOGNIZED
    return Verdict.INCOMPLETE


def _min_indicators(
    standards: Sequence[Status], indicators: Sequence[Status], min_met: int | None
) -> Verdict:
    """Recognised when at least `min_met` indicators are met; not recognised when even every
    indicator still without data could not get there."""
    if min_met is None:
        raise ValueError("The rule min_indicators needs how many indicators must be met.")
    met = sum(1 for status in indicators if status is Status.MET)
    pending = sum(1 for status in indicators if status is Status.NO_DATA)
    if met >= min_met:
        return Verdict.RECOGNIZED
    if met + pending < min_met:
        return Verdict.NOT_RECOGNIZED
    return Verdict.INCOMPLETE


#: The roll-up rules a criteria set may name. The plan states none: these are the portal's.
RECOGNITION_RULES: dict[
    str, Callable[[Sequence[Status], Sequence[Status], int | None], Verdict]
] = {
    "all_standards": _all_standards,
    "min_indicators": _min_indicators,
}


def level_reached(
    levels: Sequence[LevelSpec], statuses: Mapping[str, Status]
) -> tuple[int | None, Verdict]:
    """The highest level whose indicators, and every lower level's, are met (not-applicable ones
    drop out), and the verdict it gives: recognised at level 1 or above; not recognised when an
    indicator of level 1 is not met; else incomplete."""
    reached, required = None, []
    for level in sorted(levels, key=lambda level: level.number):
        required += level.indicators
        if combine(statuses[code] for code in required) is not Status.MET:
            break
        reached = level.number
    if reached is not None:
        return reached, Verdict.RECOGNIZED
    lowest = min(levels, key=lambda level: level.number)
    if combine(statuses[code] for code in lowest.indicators) is Status.NOT_MET:
        return None, Verdict.NOT_RECOGNIZED
    return None, Verdict.INCOMPLETE


def evaluate(catalogue: CatalogueSpec, inputs: Mapping[str, IndicatorInput]) -> Evaluation:
    """Score every indicator in catalogue order (absent ones: no_data) and apply the rule.

    Raises ValueError for an unknown rule and ScoringInputError for an input whose code is
    not in the catalogue or whose data is invalid.
    """
    rule = RECOGNITION_RULES.get(catalogue.rule)
    if rule is None and catalogue.rule != "levels":
        raise ValueError(f"Unknown recognition rule: {catalogue.rule!r}.")
    _check_known_codes(catalogue, inputs)
    standards: list[GroupResult] = []
    criteria: list[GroupResult] = []
    indicators: list[IndicatorResult] = []
    for standard in catalogue.standards:
        scored = [_score_criterion(criterion, inputs) for criterion in standard.criteria]
        for group, results in scored:
            criteria.append(group)
            indicators.extend(results)
        status = combine(group.status for group, _ in scored)
        standards.append(GroupResult(standard.code, status))
    if catalogue.levels:
        statuses = {result.code: result.status for result in indicators}
        level, verdict = level_reached(catalogue.levels, statuses)
        return Evaluation(
            verdict, tuple(standards), tuple(criteria), tuple(indicators), level, has_levels=True
        )
    verdict = rule(
        [group.status for group in standards],
        [result.status for result in indicators],
        catalogue.min_met,
    )
    return Evaluation(verdict, tuple(standards), tuple(criteria), tuple(indicators))


def _score_criterion(
    criterion: CriterionSpec, inputs: Mapping[str, IndicatorInput]
) -> tuple[GroupResult, tuple[IndicatorResult, ...]]:
    results = tuple(score_indicator(spec, inputs.get(spec.code)) for spec in criterion.indicators)
    return GroupResult(criterion.code, combine(result.status for result in results)), results


def _check_known_codes(catalogue: CatalogueSpec, inputs: Mapping[str, IndicatorInput]) -> None:
    known = {spec.code for spec in catalogue.iter_indicators()}
    for code in inputs:
        if code not in known:
            raise ScoringInputError(code, gettext("The criteria set has no such indicator."))
