"""Exchange of reported values through the Excel workbook (measurements/workbooks.py).

`plan_import` checks every row of a workbook and says what each would do, writing nothing, so a
preview can show the whole plan and every error at once ("Dòng 7, chỉ báo 3.1.2: …").
`apply_import` writes a plan without errors, all or nothing, through the service that checks the
year, the permission and the version and records the history. `export_rows` is the other way.

Messages are Vietnamese literals, like those of criteria/scoring.py: an import is read by the
offices of the Sở whatever language the page is in.

Two comparisons make re-importing an untouched export a no-op: a note equal to the stored one once
normalised (NFC, line breaks) keeps the stored text, and for drops and increases a previous value
equal to last year's approved value (which the export fills in when none is stored) stays unstored,
as it was: scoring reads last year's approved value for a missing previous value anyway.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import ROUND_DOWN, Decimal

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext, gettext_lazy

from assignments.models import Unit
from assignments.permissions import Actor, can_review, can_see_unit, can_write_value
from common.excel import CellValue, WorkbookRow
from common.numbers import (
    NumberFormatError,
    parse_count,
    parse_percent,
    show_number,
    trim_decimal,
)
from common.text import fold, normalise_text
from criteria import scoring
from criteria.models import CriteriaSet, EvaluationYear, Indicator, YearLockedError
from criteria.selectors import criteria_set_for, indicators_of

from . import selectors, services
from .models import Measurement
from .services import PART_FIGURES, ConcurrentEditError, MeasurementData, PartFigures
from .workbooks import (
    DENOMINATOR,
    ESTIMATE,
    GROWTH_RATE,
    INDICATOR,
    NO_TEXT,
    NOTE,
    NUMERATOR,
    PART,
    PREVIOUS,
    PREVIOUS_SOURCE,
    UNIT,
    VALUE,
    YEAR,
    YES,
    YES_TEXT,
    ExportRow,
)

__all__ = [
    "ACTIONS",
    "ACTION_LABELS",
    "CREATE",
    "SKIP",
    "UNCHANGED",
    "UPDATE",
    "ImportPlan",
    "ImportRow",
    "apply_import",
    "export_rows",
    "plan_import",
]

CREATE, UPDATE, UNCHANGED, SKIP = "create", "update", "unchanged", "skip"
ACTIONS = (CREATE, UPDATE, UNCHANGED, SKIP)
ACTION_LABELS = {
    CREATE: gettext_lazy("New"),
    UPDATE: gettext_lazy("Update"),
    UNCHANGED: gettext_lazy("Unchanged"),
    SKIP: gettext_lazy("Skipped (left empty)"),
}
MAX_NOTE = 4000
#: What the database keeps: 18 digits before the decimal point, 6 after.
_LIMIT = Decimal(10) ** 18
_STEP = Decimal("0.000001")
_ANSWERS = {"co": True, "khong": False}

_Key = tuple[int, int, int]  # unit id, year, indicator id


@dataclass(frozen=True)
class ImportRow:
    """What one workbook row will do: its data, and the stored entry it replaces (if any)."""

    number: int
    unit: Unit
    year: int
    indicator: Indicator
    data: MeasurementData
    action: str
    old: Measurement | None

    @property
    def expected_version(self) -> int | None:
        """The version this plan saw, for optimistic locking (None: no entry yet)."""
        return self.old.version if self.old is not None else None

    @property
    def writes(self) -> bool:
        return self.action in (CREATE, UPDATE)

    @property
    def action_label(self) -> str:
        return ACTION_LABELS[self.action]

    @property
    def changes(self) -> list[str]:
        """What the row changes in the stored entry, "Label: before → after" each, in the active
        language (every figure it gives, for a new entry); nothing for a row that writes nothing."""
        return selectors.changes_to(self.old, self.data) if self.writes else []

    @property
    def status_before(self) -> str:
        """The entry's status now ("" without an entry)."""
        return self.old.status if self.old is not None else ""

    @property
    def status_after(self) -> str:
        """The status the row leaves the entry in: a row that writes submits it (the standing
        office may approve it at once, `apply_import`); any other leaves it as it is."""
        return Measurement.Status.SUBMITTED if self.writes else self.status_before

    def message(self, text: str) -> str:
        return _on_row(self.number, self.indicator.code, text)


@dataclass
class ImportPlan:
    """Every row's planned action, and every error; only a plan without errors is applied."""

    rows: list[ImportRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    #: The file was refused as a whole before any row was checked (its messages say what to do).
    refused: bool = False

    @property
    def counts(self) -> dict[str, int]:
        counted = Counter(row.action for row in self.rows)
        return {action: counted[action] for action in ACTIONS}

    @property
    def is_valid(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        """The counts in words: "Thêm mới: 2, Cập nhật: 1, Không thay đổi: 0, Bỏ qua…: 1"."""
        counts = self.counts
        return ", ".join(f"{ACTION_LABELS[action]}: {counts[action]}" for action in ACTIONS)


# --- Planning ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Lookups:
    """Everything the rows refer to, read in a constant number of queries."""

    units: dict[str, Unit]
    sets: dict[tuple[int, int], CriteriaSet | None]
    indicators: dict[tuple[int, str], Indicator]
    year_states: dict[int, str]
    entries: dict[_Key, Measurement]
    last_year: dict[_Key, Decimal]

    def indicator(self, unit: Unit | None, year: int | None, code: str) -> Indicator | None:
        """The indicator of that code in the criteria set the unit is evaluated against."""
        criteria_set = self.sets.get((unit.pk, year)) if unit and year else None
        return self.indicators.get((criteria_set.pk, code)) if criteria_set else None


def plan_import(
    *, actor: Actor, rows: list[WorkbookRow], criteria_set: CriteriaSet | None = None
) -> ImportPlan:
    """Check every row and decide its action (create, update, unchanged, skip); write nothing.

    Each row's indicator code is read in the criteria set its unit is evaluated against that year
    (`criteria_set_for`: a district may have its own set), unless one `criteria_set` is given.
    A constant number of queries whatever the number of rows.
    """
    lookups = _lookups(rows, criteria_set)
    plan = ImportPlan()
    first_row: dict[tuple, int] = {}
    part_lines: dict[_Key, list[_PartLine]] = {}
    for row in rows:
        planned, errors = _plan_row(actor, row, lookups, first_row)
        plan.errors += errors
        if isinstance(planned, _PartLine):
            part_lines.setdefault(planned.key, []).append(planned)
        elif planned is not None and not errors:
            plan.rows.append(planned)
    for lines in part_lines.values():
        planned, errors = _plan_parts(actor, lines, lookups)
        plan.errors += errors
        if planned is not None:
            plan.rows.append(planned)
    plan.rows.sort(key=lambda planned: planned.number)
    return plan


@dataclass(frozen=True)
class _PartLine:
    """A row giving one part of an indicator made of several; the rows of one entry are planned
    together (`_plan_parts`), as one entry."""

    number: int
    unit: Unit
    year: int
    indicator: Indicator
    part_code: str
    figures: PartFigures
    note: str

    @property
    def key(self) -> _Key:
        return (self.unit.pk, self.year, self.indicator.pk)


def _plan_row(
    actor: Actor, row: WorkbookRow, lookups: _Lookups, first_row: dict[tuple, int]
) -> tuple[ImportRow | _PartLine | None, list[str]]:
    code = _code(row.get(INDICATOR))
    problems: list[str] = []
    unit = _unit(row, lookups, problems)
    year = _year(row, lookups, problems)
    # Which set the code belongs to depends on the unit and year: without them, no verdict on it.
    indicator = (
        _indicator(code, lookups.indicator(unit, year, code), problems)
        if unit is not None and year is not None
        else None
    )
    data = _data(row, problems)
    part_code = _code(row.get(PART))
    if indicator is not None and data is not None:
        _check_percent_signs(indicator, row, problems)
        data = _as_part(indicator, part_code, data, problems)
        if data is not None:
            _check_kind(indicator, data, problems)
    if unit is not None and year is not None and indicator is not None:
        if problems and not can_see_unit(actor, unit):
            problems.insert(0, _forbidden(indicator, unit))
        key = (unit.pk, year, indicator.pk, part_code)
        problems += _duplicate(key, row.number, first_row)
        if data is not None and not problems and data.parts:
            figures = data.parts[part_code]
            line = _PartLine(row.number, unit, year, indicator, part_code, figures, data.note)
            return line, []
        if data is not None and not problems:
            return _planned(actor, row.number, unit, year, indicator, data, lookups)
    return None, [_on_row(row.number, code, problem) for problem in problems]


def _duplicate(key: tuple, number: int, first_row: dict[tuple, int]) -> list[str]:
    first = first_row.setdefault(key, number)
    if first == number:
        return []
    if key[-1]:
        return [gettext("Same unit, year, indicator and part as row %(row)s.") % {"row": first}]
    return [gettext("Same unit, year and indicator as row %(row)s.") % {"row": first}]


def _as_part(
    indicator: Indicator, part_code: str, data: MeasurementData, problems: list[str]
) -> MeasurementData | None:
    """A row of an indicator made of several parts gives one part, named in «Mã phần»: its
    figures as that part's (the scoring service then checks them as the part's)."""
    parts = {part.code: part for part in indicator.part_list}
    if not parts:
        if part_code:
            problems.append(
                gettext("This indicator has no parts: leave «%(column)s» empty.") % {"column": PART}
            )
            return None
        return data
    codes = ", ".join(parts)
    if not part_code:
        problems.append(
            gettext("The indicator has parts: fill in «%(column)s» (%(codes)s), one row per part.")
            % {"column": PART, "codes": codes}
        )
        return None
    if part_code not in parts:
        problems.append(
            gettext("%(column)s: there is no part «%(code)s» (only %(codes)s).")
            % {"column": PART, "code": part_code, "codes": codes}
        )
        return None
    others = [
        label
        for label, name in (
            (YES, "yes"),
            (PREVIOUS, "previous"),
            (GROWTH_RATE, "growth_rate"),
            (ESTIMATE, "estimate"),  # an entry of parts is marked on its form
        )
        if getattr(data, name) is not None
    ]
    if others:
        names = ", ".join(f"«{label}»" for label in others)
        problems.append(
            gettext("A part takes only a numerator and a denominator, or the rate; not %(names)s.")
            % {"names": names}
        )
        return None
    figures = PartFigures(**{name: getattr(data, name) for name in PART_FIGURES})
    return MeasurementData(note=data.note, parts={part_code: figures})


def _plan_parts(
    actor: Actor, lines: list[_PartLine], lookups: _Lookups
) -> tuple[ImportRow | None, list[str]]:
    """The rows of one entry of an indicator made of parts, as one entry planned at its first
    row. A part without a row keeps what is stored; its note is written on one of the rows."""
    first = lines[0]
    notes = sorted({line.note for line in lines if line.note})
    if len(notes) > 1:
        rows = ", ".join(str(line.number) for line in lines if line.note)
        message = gettext(
            "An indicator's note is written on one row only (rows %(rows)s differ)."
        ) % {"rows": rows}
        return None, [_on_row(first.number, first.indicator.code, message)]
    old = lookups.entries.get(first.key)
    stored = {} if old is None else {v.part.code: PartFigures.of(v) for v in old.part_values.all()}
    given = {line.part_code: line.figures for line in lines}
    parts = {code: figures for code, figures in {**stored, **given}.items() if figures.has_values}
    if not any(figures.has_values for figures in given.values()):
        parts = {}  # every row of the entry left empty: skipped, like any empty row
    data = MeasurementData(note=notes[0] if notes else "", parts=parts)
    return _planned(actor, first.number, first.unit, first.year, first.indicator, data, lookups)


FROM_LIST = gettext_lazy(
    "this rate is counted from a list; correct the list on the portal, not the numerator and "
    "denominator."
)
NEEDS_SOURCE = gettext_lazy(
    "the previous year's value differs from the approved figure measured by %(basis)s: give its "
    "source in the column «%(column)s»."
)
FROM_LINES = gettext_lazy(
    "this rate is the sum of the units' reported lines; enter the reported lines on the portal, "
    "not a total numerator and denominator (leave this row empty)."
)
FROM_RECOGNITIONS = gettext_lazy(
    "this rate is counted from the committee's recognitions of the districts; enter no "
    "numerator or denominator (leave this row empty)."
)


def _planned(
    actor: Actor,
    number: int,
    unit: Unit,
    year: int,
    indicator: Indicator,
    data: MeasurementData,
    lookups: _Lookups,
) -> tuple[ImportRow | None, list[str]]:
    """The action of a valid row, once the actor's right to take it is checked."""
    key = (unit.pk, year, indicator.pk)
    old = lookups.entries.get(key)
    data = _as_stored(data, indicator, old, lookups.last_year.get(key))
    planned = ImportRow(number, unit, year, indicator, data, _action(data, old), old)
    if not _may_import(actor, planned):
        return None, [planned.message(_forbidden(indicator, unit))]
    if planned.writes and indicator.has_stored_list:
        return None, [planned.message(str(FROM_LIST))]
    if planned.writes and indicator.counts_reported_lines:
        return None, [planned.message(str(FROM_LINES))]
    if planned.writes and selectors.counted_from_district_verdicts(indicator, unit):
        return None, [planned.message(str(FROM_RECOGNITIONS))]
    if planned.writes and old is not None and old.is_not_applicable:
        return None, [planned.message(" ".join(services.marked_not_applicable(unit).messages))]
    approved = {indicator.pk: lookups.last_year[key]} if key in lookups.last_year else {}
    if planned.writes and services.needs_previous_source(indicator, data, approved):
        message = str(NEEDS_SOURCE) % {"basis": indicator.basis, "column": PREVIOUS_SOURCE}
        return None, [planned.message(message)]
    return planned, []


def _lookups(rows: list[WorkbookRow], criteria_set: CriteriaSet | None) -> _Lookups:
    codes = {_code(row.get(UNIT)) for row in rows} - {""}
    years = {year for row in rows if (year := _year_or_none(row.get(YEAR))) is not None}
    units = {unit.code: unit for unit in Unit.objects.filter(code__in=codes)}
    sets = _criteria_sets(units.values(), years, criteria_set)
    chosen = {s.pk: s for s in sets.values() if s is not None}
    indicators = {
        (i.criterion.standard.criteria_set_id, i.code): i
        for chosen_set in chosen.values()
        for i in indicators_of(chosen_set)
    }
    year_states = dict(EvaluationYear.objects.filter(year__in=years).values_list("year", "state"))
    entries = {
        (m.unit_id, m.year, m.indicator_id): m
        for m in Measurement.objects.filter(
            unit__in=units.values(),
            year__in=years,
            indicator__in=list(indicators.values()),
        ).prefetch_related("part_values__part")
    }
    year_kinds = [i for i in indicators.values() if _compares_with_last_year(i)]
    return _Lookups(
        units,
        sets,
        indicators,
        year_states,
        entries,
        selectors.approved_last_year(
            [unit.pk for unit in units.values()], years, indicator_ids=[i.pk for i in year_kinds]
        ),
    )


def _criteria_sets(
    units: Iterable[Unit], years: set[int], given: CriteriaSet | None
) -> dict[tuple[int, int], CriteriaSet | None]:
    """(unit, year) → the set its rows are read in: one lookup per level and year, so a workbook
    of every district costs what a workbook of one costs."""
    by_level: dict[tuple[str, int], CriteriaSet | None] = {}
    sets = {}
    for unit in units:
        for year in years:
            level = (unit.level, year)
            if level not in by_level:
                by_level[level] = given or criteria_set_for(unit.level, year)
            sets[(unit.pk, year)] = by_level[level]
    return sets


def _unit(row: WorkbookRow, lookups: _Lookups, problems: list[str]) -> Unit | None:
    code = _code(row.get(UNIT))
    if not code:
        problems.append(_missing(UNIT))
        return None
    unit = lookups.units.get(code)
    if unit is None:
        problems.append(gettext("There is no unit with the code «%(code)s».") % {"code": code})
    return unit


def _year(row: WorkbookRow, lookups: _Lookups, problems: list[str]) -> int | None:
    raw = row.get(YEAR)
    if raw is None:
        problems.append(_missing(YEAR))
        return None
    try:
        year = parse_count(raw)
    except NumberFormatError as error:
        problems.append(f"{YEAR}: {error.message}")
        return None
    state = lookups.year_states.get(year)
    if state is None:
        problems.append(gettext("The year %(year)s is not open for entry.") % {"year": year})
    elif state != EvaluationYear.State.OPEN:
        problems.append(
            gettext("The evaluation year %(year)s is locked: it takes no change.") % {"year": year}
        )
    return year


def _year_or_none(raw: CellValue) -> int | None:
    try:
        return parse_count(raw) if raw is not None else None
    except NumberFormatError:
        return None


def _indicator(code: str, indicator: Indicator | None, problems: list[str]) -> Indicator | None:
    if not code:
        problems.append(_missing(INDICATOR))
        return None
    if indicator is None:
        problems.append(gettext("The criteria set has no such indicator."))
    return indicator


def _data(row: WorkbookRow, problems: list[str]) -> MeasurementData | None:
    """The row's values typed as the service wants them, or None when one cannot be read."""
    before = len(problems)
    data = MeasurementData(
        yes=_yes(row.get(YES), problems),
        estimate=_yes(row.get(ESTIMATE), problems, column=ESTIMATE),
        numerator=_count(row.get(NUMERATOR), NUMERATOR, problems),
        denominator=_count(row.get(DENOMINATOR), DENOMINATOR, problems),
        value=_decimal(row.get(VALUE), VALUE, problems),
        previous=_decimal(row.get(PREVIOUS), PREVIOUS, problems),
        growth_rate=_decimal(row.get(GROWTH_RATE), GROWTH_RATE, problems),
        note=_note(row.get(NOTE), problems),
        previous_source=_source(row.get(PREVIOUS_SOURCE), problems),
    )
    return data if len(problems) == before else None


def _check_percent_signs(indicator: Indicator, row: WorkbookRow, problems: list[str]) -> None:
    """A "%" after a number is taken only where the figure is a percentage."""
    for label, name in ((VALUE, "value"), (PREVIOUS, "previous")):
        raw = row.get(label)
        typed_percent = isinstance(raw, str) and raw.strip().endswith("%")
        if typed_percent and not scoring.is_percentage(indicator.kind, name):
            if indicator.unit_of_measure:
                message = gettext(
                    "%(column)s: «%(raw)s» is not a rate; write the number in %(unit)s."
                ) % {"column": label, "raw": raw, "unit": indicator.unit_of_measure}
            else:
                message = gettext(
                    "%(column)s: «%(raw)s» is not a rate; write the number in the indicator's unit."
                ) % {"column": label, "raw": raw}
            problems.append(message)


def _check_kind(indicator: Indicator, data: MeasurementData, problems: list[str]) -> None:
    """The scoring service's rules for the indicator's kind (tử số ≤ mẫu số, ≤ 100 %…)."""
    try:
        services.validate_data(indicator, data)
    except ValidationError as error:
        prefix = gettext("Indicator %(code)s: %(message)s") % {
            "code": indicator.code,
            "message": "",
        }
        problems += [message.removeprefix(prefix) for message in error.messages]


def _yes(raw: CellValue, problems: list[str], column: str = YES) -> bool | None:
    """«Có»/«Không» in any case, with or without diacritics ("co", "KHÔNG"), or Excel TRUE/FALSE."""
    if raw is None or isinstance(raw, bool):
        return raw
    answer = _ANSWERS.get(fold(raw)) if isinstance(raw, str) else None
    if answer is None:
        problems.append(
            gettext("%(column)s: «%(raw)s» must be «%(yes)s» or «%(no)s».")
            % {"column": column, "raw": raw, "yes": YES_TEXT, "no": NO_TEXT}
        )
    return answer


def _count(raw: CellValue, label: str, problems: list[str]) -> int | None:
    if raw is None:
        return None
    try:
        number = parse_count(raw)
    except NumberFormatError as error:
        problems.append(f"{label}: {error.message}")
        return None
    if abs(number) >= _LIMIT:
        problems.append(_too_large(label))
        return None
    return number


def _source(raw: CellValue, problems: list[str]) -> str:
    text = "" if raw is None else normalise_text(str(raw))
    if len(text) > 300:
        problems.append(
            gettext("%(column)s is longer than %(limit)s characters.")
            % {"column": PREVIOUS_SOURCE, "limit": 300}
        )
    return text


def _decimal(raw: CellValue, label: str, problems: list[str]) -> Decimal | None:
    """A number of the row (a "%" after it, and its sign, are judged with the indicator's kind
    by `_check_percent_signs` and the scoring service)."""
    if raw is None:
        return None
    try:
        number = parse_percent(raw)  # a "%" is checked against the indicator's kind later
    except NumberFormatError as error:
        problems.append(f"{label}: {error.message}")
        return None
    if abs(number) >= _LIMIT:
        problems.append(_too_large(label))
        return None
    if number != number.quantize(_STEP, rounding=ROUND_DOWN):
        shown = raw if isinstance(raw, str) else show_number(number)
        problems.append(
            gettext("%(column)s: «%(shown)s» has more than 6 decimals.")
            % {"column": label, "shown": shown}
        )
        return None
    return number


def _note(raw: CellValue, problems: list[str]) -> str:
    text = _text(raw)
    if len(text) > MAX_NOTE:
        problems.append(
            gettext("%(column)s is %(length)s characters long, over the limit of %(limit)s.")
            % {"column": NOTE, "length": show_number(len(text)), "limit": show_number(MAX_NOTE)}
        )
    return text


def _text(raw: CellValue) -> str:
    """A cell as text; Excel turns a typed "15/12/2022" into a date, which reads back as typed."""
    if raw is None:
        return ""
    if isinstance(raw, date):  # a datetime too
        return raw.strftime("%d/%m/%Y")
    return normalise_text(str(raw))


def _code(raw: CellValue) -> str:
    """A code cell as text; a code typed as a number ("2022" → 2022) reads back as typed."""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return _text(raw)


def _as_stored(
    data: MeasurementData,
    indicator: Indicator,
    old: Measurement | None,
    last_year: Decimal | None,
) -> MeasurementData:
    """The data as it would be stored, so that an untouched export compares equal."""
    if old is not None and normalise_text(old.note) == data.note:
        data = replace(data, note=old.note)
    if (
        old is not None
        and old.previous is not None
        and data.previous == old.previous
        and not data.previous_source
    ):
        data = replace(data, previous_source=old.previous_source)  # a workbook without the column
    stored_previous = old.previous if old is not None else None
    if (
        _compares_with_last_year(indicator)
        and stored_previous is None
        and last_year is not None
        and data.previous == last_year
    ):
        data = replace(data, previous=None)
    return data


def _action(data: MeasurementData, old: Measurement | None) -> str:
    if not data.has_values:
        return SKIP
    if old is None:
        return CREATE
    return UNCHANGED if data.same_as(old) else UPDATE


def _compares_with_last_year(indicator: Indicator) -> bool:
    return scoring.kind_facts(indicator.kind).compares_with_last_year


def _may_import(actor: Actor, row: ImportRow) -> bool:
    """A unit the actor may not see is refused outright (a row's outcome would tell its data);
    otherwise only rows that write need the right to write."""
    if not can_see_unit(actor, row.unit):
        return False
    return not row.writes or can_write_value(actor, row.indicator.pk, row.unit)


def _forbidden(indicator: Indicator, unit: Unit) -> str:
    return gettext("You may not enter values of indicator %(code)s for %(unit)s.") % {
        "code": indicator.code,
        "unit": unit.name,
    }


def _on_row(number: int, code: str, message: str) -> str:
    """A message about a row, naming its indicator when the row gives one."""
    if code:
        return gettext("Row %(row)s, indicator %(code)s: %(message)s") % {
            "row": number,
            "code": code,
            "message": message,
        }
    return gettext("Row %(row)s: %(message)s") % {"row": number, "message": message}


def _missing(column: str) -> str:
    return gettext("«%(column)s» is missing.") % {"column": column}


def _too_large(column: str) -> str:
    return gettext("%(column)s: the number is too large.") % {"column": column}


# --- Applying ----------------------------------------------------------------------------------


def apply_import(
    *, actor: Actor, user: User, plan: ImportPlan, approve: bool = False
) -> dict[str, int]:
    """Write a checked plan all or nothing: new and changed entries are submitted (a changed
    approved entry goes back to review), or approved too when the standing office asks.

    Returns the plan's counts per action and the number approved. Raises ValidationError naming
    the row when anything fails, after rolling everything back.
    """
    if plan.errors:
        raise ValidationError(
            [gettext("The file still has errors, so no value was written."), *plan.errors]
        )
    if approve and not can_review(actor):
        raise PermissionDenied(
            gettext("Only the standing office may approve values when importing a file.")
        )
    approved = 0
    with transaction.atomic():
        for row in plan.rows:
            if not row.writes:
                continue
            measurement = _save(actor, user, row)
            if approve:
                _approve(actor, user, row, measurement)
                approved += 1
    return {**plan.counts, "approved": approved}


def _save(actor: Actor, user: User, row: ImportRow) -> Measurement:
    try:
        return services.measurement_save(
            actor=actor,
            user=user,
            indicator=row.indicator,
            unit=row.unit,
            year=row.year,
            data=row.data,
            expected_version=row.expected_version,
            submit=True,
        )
    except (ValidationError, PermissionDenied) as error:
        raise _failure(row, error) from error


def _approve(actor: Actor, user: User, row: ImportRow, measurement: Measurement) -> None:
    try:
        services.measurement_approve(
            actor=actor, user=user, measurement=measurement, seen_version=measurement.version
        )
    except (ValidationError, PermissionDenied) as error:
        raise _failure(row, error) from error


def _failure(row: ImportRow, error: Exception) -> ValidationError:
    if isinstance(error, ConcurrentEditError):
        reason = gettext("Someone else changed the value after the file was checked")
    elif isinstance(error, YearLockedError):
        reason = gettext("The evaluation year %(year)s is locked or not open") % {"year": row.year}
    elif isinstance(error, ValidationError):
        reason = " ".join(error.messages).rstrip(".")
    else:
        reason = str(error).rstrip(".") or _forbidden(row.indicator, row.unit).rstrip(".")
    return ValidationError(
        row.message(
            gettext("%(reason)s. No value was written; check the file and import it again.")
            % {"reason": reason}
        ),
        code="import_failed",
    )


# --- Export ------------------------------------------------------------------------------------


def export_rows(*, criteria_set: CriteriaSet, unit: Unit, year: int) -> list[ExportRow]:
    """One row per indicator of the set, in catalogue order, with its entry whatever its status.

    Drops and increases show the stored previous value, or else last year's approved value.
    Three queries whatever the number of indicators.
    """
    indicators = list(indicators_of(criteria_set))
    entries = {
        m.indicator_id: m
        for m in Measurement.objects.filter(
            unit=unit, year=year, indicator_id__in=[i.pk for i in indicators]
        ).prefetch_related("part_values")
    }
    year_kinds = [i.pk for i in indicators if _compares_with_last_year(i)]
    last_year = selectors.previous_year_values(unit, year, year_kinds)
    with translation.override("vi"):
        rows = []
        for indicator in indicators:
            entry = entries.get(indicator.pk)
            if indicator.part_list:
                rows += _export_part_rows(indicator, unit, year, entry)
            else:
                rows.append(_export_row(indicator, unit, year, entry, last_year))
        return rows


def _export_part_rows(
    indicator: Indicator, unit: Unit, year: int, entry: Measurement | None
) -> list[ExportRow]:
    """One row per part, the entry's note on the first."""
    stored = {} if entry is None else {value.part_id: value for value in entry.part_values.all()}
    rows = []
    for position, part in enumerate(indicator.part_list):
        figures = PartFigures.of(stored.get(part.pk))
        rows.append(
            ExportRow(
                unit_code=unit.code,
                unit_name=unit.name,
                year=year,
                indicator_code=indicator.code,
                part_code=part.code,
                text=f"{indicator.text} — {part.code}) {part.name}",
                requirement=part.requirement_text,
                numerator=figures.numerator,
                denominator=figures.denominator,
                value=_trimmed(figures.value),
                note=entry.note if entry is not None and position == 0 else "",
            )
        )
    return rows


def _export_row(
    indicator: Indicator,
    unit: Unit,
    year: int,
    entry: Measurement | None,
    last_year: dict[int, Decimal],
) -> ExportRow:
    values: dict[str, object] = {}
    if entry is not None:
        values = {
            "yes": entry.yes,
            "numerator": entry.numerator,
            "denominator": entry.denominator,
            "value": _trimmed(entry.value),
            "previous": _trimmed(entry.previous),
            "previous_source": entry.previous_source,
            "growth_rate": _trimmed(entry.growth_rate),
            "estimate": entry.is_estimate,
            "note": entry.note,
        }
    if values.get("previous") is None and values.get("growth_rate") is None:
        values["previous"] = _trimmed(last_year.get(indicator.pk))
    return ExportRow(
        unit_code=unit.code,
        unit_name=unit.name,
        year=year,
        indicator_code=indicator.code,
        text=indicator.text,
        requirement=indicator.requirement_text,
        **values,
    )


def _trimmed(value: Decimal | None) -> Decimal | None:
    return None if value is None else trim_decimal(value)
