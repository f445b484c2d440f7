"""Criteria sets imported from Excel (criteria/workbooks.py), and exported back.

`criteria_set_plan` checks every cell of a workbook as read and says what it would create,
writing nothing, so a preview shows the whole set and every error at once ("Dòng 12, mã 2.1.3:
…"). `criteria_set_import` writes a plan without errors, all or nothing, and never touches an
existing set: a new edition of the criteria is a new set with a new code. `criteria_set_rows` is
the other way, and an exported set imports back to the same set. Who leads a new set's
indicators is said by assignments.services.criteria_set_adopt, which imports through here (the
import view and command call it).

Messages are in the reader's language, said when the error is found (English msgids, Vietnamese in
locale/). What the workbook's contract names stays Vietnamese in every language and is quoted as a
placeholder: the sheet, the metadata labels, the column headers and the words people type in the
cells («Tiêu chuẩn», «Có», the kinds' names), since those are what the reader looks for in the file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext, ngettext
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from common.excel import CellValue, WorkbookError
from common.numbers import (
    NumberFormatError,
    parse_count,
    parse_decimal,
    plain_decimal,
    show_number,
    trim_decimal,
)
from common.reading import read_for

from .models import (
    CriteriaSet,
    Criterion,
    Indicator,
    IndicatorPart,
    RecognitionLevel,
    Standard,
)
from .scoring import Kind, kind_facts
from .workbooks import (
    BASIS,
    CODE,
    CRITERION,
    DENOMINATOR_LABEL,
    EXAMPLE,
    EXAMPLE_NAMES,
    FIRST_YEAR,
    GROWTH_RATE,
    GROWTH_RATE_NAMES,
    GUIDANCE,
    INDICATOR,
    ITEM_LEVEL,
    ITEM_LEVEL_NAMES,
    KIND,
    KIND_NAMES,
    LAST_YEAR,
    LEGAL_BASIS,
    MIN_MET,
    NUMERATOR_LABEL,
    PART,
    RECOGNITION_LEVEL,
    RULE,
    RULE_NAMES,
    SET_CODE,
    SET_LEVEL,
    SET_LEVEL_NAMES,
    SET_NAME,
    SHEET,
    STANDARD,
    TEXT,
    THRESHOLD,
    UNIT,
    VALIDITY,
    CriteriaSetSheet,
    CriteriaWorkbook,
    ItemRow,
    SetMetadata,
    WorkbookRow,
    match_name,
    read_criteria_workbook,
)

__all__ = [
    "CriteriaSetPlan",
    "PlannedItem",
    "criteria_set_import",
    "criteria_set_plan",
    "criteria_set_plan_from_bytes",
    "criteria_set_rows",
]

_SLUG = re.compile(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*")
#: Codes the set pages' addresses use for themselves (/criteria/sets/import/).
_RESERVED_CODES = frozenset({"import"})
_CODE_SHAPES = {
    STANDARD: re.compile(r"[0-9]+"),
    CRITERION: re.compile(r"[0-9]+\.[0-9]+"),
    INDICATOR: re.compile(r"[0-9]+\.[0-9]+\.[0-9]+"),
}
_PARENT = {CRITERION: STANDARD, INDICATOR: CRITERION}
_PART_CODE = re.compile(r"[a-z0-9]+")
_MAX_PART_NAME = IndicatorPart._meta.get_field("name").max_length
_YEARS = (2000, 2100)
_THRESHOLD_PLACES = 4
# Model field lengths, checked here to say so in the reader's language with the row.
_MAX_SET_NAME = CriteriaSet._meta.get_field("name").max_length
_MAX_SET_CODE = CriteriaSet._meta.get_field("code").max_length
_MAX_NAME = Standard._meta.get_field("name").max_length
_MAX_UNIT = Indicator._meta.get_field("unit_of_measure").max_length
_MAX_LABEL = Indicator._meta.get_field("numerator_label").max_length  # basis: the same
#: The columns only an indicator fills.
_INDICATOR_ONLY = (UNIT, BASIS, NUMERATOR_LABEL, DENOMINATOR_LABEL, GROWTH_RATE, RECOGNITION_LEVEL)
#: The levels a set may name under the rule «levels», and how long a recognition may last.
_LEVELS = (1, 9)
_VALIDITY = (1, 20)
_MAX_CODE = {
    level: model._meta.get_field("code").max_length
    for level, model in (
        (STANDARD, Standard),
        (CRITERION, Criterion),
        (INDICATOR, Indicator),
        (PART, IndicatorPart),
    )
}


@dataclass(frozen=True)
class PlannedItem:
    """A row of the workbook that passed every check, with its row number."""

    number: int
    item: ItemRow


@dataclass
class CriteriaSetPlan:
    """What importing a workbook would create, or why it cannot; nothing is written yet."""

    metadata: SetMetadata | None = None
    items: list[PlannedItem] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    #: The file was refused as a whole before any row was checked (its messages say what to do).
    refused: bool = False

    @property
    def is_valid(self) -> bool:
        return not self.errors and self.metadata is not None and bool(self.items)

    @property
    def counts(self) -> dict[str, int]:
        """How many standards, criteria, indicators and parts the set has."""
        counts = dict.fromkeys(ITEM_LEVEL_NAMES, 0)
        for planned in self.items:
            counts[planned.item.level] += 1
        return counts

    def sheet(self) -> CriteriaSetSheet:
        """The plan as plain data (what an export of the created set gives back)."""
        if self.metadata is None:
            raise ValueError("A plan without metadata has no sheet.")
        return CriteriaSetSheet(self.metadata, tuple(planned.item for planned in self.items))

    def tree(self) -> list[tuple[Standard, list[tuple[Criterion, list[Indicator]]]]]:
        """Unsaved standards → criteria → indicators, for a preview that reads like the
        catalogue (requirement texts included)."""
        tree: list[tuple[Standard, list[tuple[Criterion, list[Indicator]]]]] = []
        for planned in self.items:
            item = planned.item
            if item.level == STANDARD:
                tree.append((Standard(code=item.code, name=item.text), []))
            elif item.level == CRITERION:
                tree[-1][1].append((Criterion(code=item.code, name=item.text), []))
            elif item.level == INDICATOR:
                tree[-1][1][-1][1].append(_indicator(item))
            else:
                indicator = tree[-1][1][-1][1][-1]
                indicator.unsaved_parts.append(_part(item, indicator))
        return tree


# --- Planning ----------------------------------------------------------------------------------


def criteria_set_plan_from_bytes(data: bytes, *, user: User | None = None) -> CriteriaSetPlan:
    """Read an uploaded workbook and plan it; a file that cannot be read is a plan of errors.
    Read for `user`, it is refused while another workbook of theirs is being read."""
    try:
        if user is None:
            workbook = read_criteria_workbook(data)
        else:
            workbook = read_for(user, read_criteria_workbook, data)
    except WorkbookError as error:
        return CriteriaSetPlan(errors=list(error.messages), refused=True)
    return criteria_set_plan(workbook=workbook)


def criteria_set_plan(*, workbook: CriteriaWorkbook) -> CriteriaSetPlan:
    """Check the metadata and every row, and list every error with its row number."""
    errors: list[str] = []
    metadata = _metadata(workbook, errors)
    if metadata is not None:
        errors += _database_errors(metadata, workbook)
    items = _items(workbook.rows, errors)
    if metadata is not None and metadata.min_met is not None:
        indicators = sum(1 for planned in items if planned.item.level == INDICATOR)
        if items and metadata.min_met > indicators:
            number = workbook.metadata[MIN_MET].number
            problem = ngettext(
                "%(required)s indicators must be met, but the criteria set has only %(count)s "
                "indicator.",
                "%(required)s indicators must be met, but the criteria set has only %(count)s "
                "indicators.",
                indicators,
            ) % {"required": metadata.min_met, "count": indicators}
            errors.append(_at_label(number, MIN_MET, problem))
    if metadata is not None and items:
        errors += _level_errors(metadata, workbook, items)
    return CriteriaSetPlan(metadata=metadata, items=items, errors=errors)


def _level_errors(
    metadata: SetMetadata, workbook: CriteriaWorkbook, items: list[PlannedItem]
) -> list[str]:
    """Under the rule «levels» every indicator names its level and level 1 is there; under
    another rule no indicator names one."""
    indicators = [planned for planned in items if planned.item.level == INDICATOR]
    if metadata.rule != "levels":
        return [
            _at_row(
                planned.row,
                planned.item.code,
                gettext("«%(column)s» is filled in only with the rule «%(rule)s».")
                % {"column": RECOGNITION_LEVEL, "rule": RULE_NAMES["levels"]},
            )
            for planned in indicators
            if planned.item.recognition_level is not None
        ]
    errors = [
        _at_row(
            planned.row,
            planned.item.code,
            gettext("the rule «%(rule)s» needs each indicator's level in «%(column)s».")
            % {"rule": RULE_NAMES["levels"], "column": RECOGNITION_LEVEL},
        )
        for planned in indicators
        if planned.item.recognition_level is None
    ]
    levels = {planned.item.recognition_level for planned in indicators} - {None}
    if not errors and 1 not in levels:
        errors.append(
            _at_label(
                workbook.metadata[RULE].number,
                RULE,
                gettext("no indicator is of level 1: a unit could reach no level."),
            )
        )
    return errors


def _at_label(number: int, label: str, message: str) -> str:
    """A problem of the metadata row `label`, said with its row number."""
    return gettext("Row %(row)s, «%(label)s»: %(message)s") % {
        "row": number,
        "label": label,
        "message": message,
    }


def _missing_row(label: str) -> str:
    return gettext(
        "The row «%(label)s» is missing (the label in column A, the value in column B, above the "
        "header row of the sheet «%(sheet)s»)."
    ) % {"label": label, "sheet": SHEET}


def _at_row(number: int, code: str | None, message: str) -> str:
    """A problem of an item row, said with its row number and, when it has one, its code."""
    if not code:
        return gettext("Row %(row)s: %(message)s") % {"row": number, "message": message}
    return gettext("Row %(row)s, code %(code)s: %(message)s") % {
        "row": number,
        "code": code,
        "message": message,
    }


def _metadata(workbook: CriteriaWorkbook, errors: list[str]) -> SetMetadata | None:
    found = workbook.metadata
    count = len(errors)
    for label in (SET_CODE, SET_NAME, SET_LEVEL, LEGAL_BASIS, FIRST_YEAR):  # «Đến năm» may go
        if label not in found:
            errors.append(_missing_row(label))
    if len(errors) > count:
        return None

    def problem(label: str, text: str) -> None:
        """A problem of a metadata row; a row that is not there (one a rule asks for) is said to
        be missing."""
        cell = found.get(label)
        errors.append(_at_label(cell.number, label, text) if cell else _missing_row(label))

    code = _text(found[SET_CODE].value)
    if not code:
        problem(SET_CODE, gettext("the criteria set's code is not filled in (in column B)."))
    elif not _SLUG.fullmatch(code) or len(code) > _MAX_SET_CODE:
        problem(
            SET_CODE,
            gettext(
                "the code «%(code)s» may only have letters without diacritics, digits and "
                "hyphens, at most %(max)s characters (for example: quan-huyen-2025)."
            )
            % {"code": code, "max": _MAX_SET_CODE},
        )
    elif code.casefold() in _RESERVED_CODES:
        problem(
            SET_CODE,
            gettext("the code «%(code)s» cannot be used; choose another code.") % {"code": code},
        )
    name = _text(found[SET_NAME].value)
    if not name:
        problem(SET_NAME, gettext("the criteria set's name is not filled in."))
    elif len(name) > _MAX_SET_NAME:
        problem(
            SET_NAME,
            gettext("the name is longer than %(max)s characters.") % {"max": _MAX_SET_NAME},
        )
    level = match_name(found[SET_LEVEL].value, SET_LEVEL_NAMES)
    if level is None:
        problem(
            SET_LEVEL,
            gettext("«%(value)s» is not a level of a criteria set; write one of: %(levels)s.")
            % {
                "value": _shown(found[SET_LEVEL].value),
                "levels": ", ".join(f"«{name}»" for name in SET_LEVEL_NAMES.values()),
            },
        )
    legal_basis = _text(found[LEGAL_BASIS].value)
    if not legal_basis:
        problem(
            LEGAL_BASIS,
            gettext(
                "the legal basis is not filled in (the document that issued the criteria set)."
            ),
        )
    first_year, year_problem = _year(found[FIRST_YEAR].value, required=True)
    if year_problem:
        problem(FIRST_YEAR, year_problem)
    last_cell = found.get(LAST_YEAR)
    last_year, year_problem = _year(last_cell.value if last_cell else None, required=False)
    if year_problem:
        problem(LAST_YEAR, year_problem)
    if first_year is not None and last_year is not None and last_year < first_year:
        problem(
            LAST_YEAR,
            gettext("the year %(last)s comes before %(first)s, the first year the set applies.")
            % {"last": last_year, "first": first_year},
        )
    example_cell = found.get(EXAMPLE)
    example = example_cell is not None and example_cell.value not in (None, "")
    if example and (answer := match_name(example_cell.value, EXAMPLE_NAMES)) is None:
        problem(
            EXAMPLE,
            gettext("«%(value)s» is not an answer; write «%(yes)s» or «%(no)s».")
            % {
                "value": _shown(example_cell.value),
                "yes": EXAMPLE_NAMES["yes"],
                "no": EXAMPLE_NAMES["no"],
            },
        )
    elif example:
        example = answer == "yes"
    rule, min_met = _rule(found, problem)
    validity_cell = found.get(VALIDITY)
    validity = _whole(validity_cell.value if validity_cell else None, _VALIDITY)
    if isinstance(validity, str):
        problem(VALIDITY, validity)
    if len(errors) > count:
        return None
    return SetMetadata(
        code, name, level, legal_basis, first_year, last_year, example, rule, min_met, validity
    )


def _whole(value: CellValue, bounds: tuple[int, int]) -> int | str | None:
    """A whole number within `bounds` (None when the cell is empty), or why it is not one."""
    if value in (None, ""):
        return None
    try:
        number = parse_count(value) if isinstance(value, (str, int, float, Decimal)) else None
    except NumberFormatError as error:
        return error.message
    if number is None or not bounds[0] <= number <= bounds[1]:
        return gettext("«%(value)s» must be a whole number from %(low)s to %(high)s.") % {
            "value": _shown(value),
            "low": bounds[0],
            "high": bounds[1],
        }
    return number


def _rule(found: dict, problem: Callable[[str, str], None]) -> tuple[str, int | None]:
    """The recognition rule and, for «at least a number of indicators», that number (checked
    against the set's indicators once the rows are read, in `criteria_set_plan`)."""
    rule_cell, min_cell = found.get(RULE), found.get(MIN_MET)
    raw_rule = rule_cell.value if rule_cell else None
    rule = "all_standards"
    if raw_rule not in (None, ""):
        matched = match_name(raw_rule, RULE_NAMES)
        if matched is None:
            problem(
                RULE,
                gettext("«%(value)s» is not a recognition rule; write one of: %(rules)s.")
                % {
                    "value": _shown(raw_rule),
                    "rules": ", ".join(f"«{name}»" for name in RULE_NAMES.values()),
                },
            )
        else:
            rule = matched
    raw_min = min_cell.value if min_cell else None
    by_number = {"rule": RULE_NAMES["min_indicators"]}
    if rule != "min_indicators":
        if raw_min not in (None, ""):
            problem(MIN_MET, gettext("filled in only with the rule «%(rule)s».") % by_number)
        return rule, None
    if raw_min in (None, ""):
        problem(
            MIN_MET,
            gettext("the rule «%(rule)s» needs the number of indicators to be met.") % by_number,
        )
        return rule, None
    try:
        min_met = parse_count(raw_min) if isinstance(raw_min, (str, int, float)) else None
    except NumberFormatError as error:
        problem(MIN_MET, error.message)
        return rule, None
    if min_met is None or min_met < 1:
        problem(
            MIN_MET,
            gettext("«%(value)s» must be a whole number from 1 up.") % {"value": _shown(raw_min)},
        )
        return rule, None
    return rule, min_met


def _year(value: CellValue, *, required: bool) -> tuple[int | None, str | None]:
    """A year and, when it cannot be read, why."""
    if value is None:
        return None, gettext("the year is not filled in (for example: 2025).") if required else None
    try:
        year = parse_count(value) if isinstance(value, (str, int, float, Decimal)) else None
    except NumberFormatError as error:
        return None, error.message
    if year is None or not _YEARS[0] <= year <= _YEARS[1]:
        return None, gettext("«%(value)s» is not a year (from %(first)s to %(last)s).") % {
            "value": _shown(value),
            "first": _YEARS[0],
            "last": _YEARS[1],
        }
    return year, None


def _items(rows: list[WorkbookRow], errors: list[str]) -> list[PlannedItem]:
    """Every row checked on its own and in its place; then no standard or criterion is empty."""
    if not rows:
        errors.append(
            gettext(
                "The sheet «%(sheet)s» has no standard, criterion or indicator row under the "
                "header row."
            )
            % {"sheet": SHEET}
        )
    items: list[PlannedItem] = []
    place = _Place()
    for row in rows:
        code = _code(row.get(CODE))
        row_errors: list[str] = []
        level = _level(row.get(ITEM_LEVEL), row_errors)
        if not code:
            row_errors.append(gettext("the code is missing."))
        elif level == PART:
            place.check_part(code, row.number, row_errors)
        elif level is not None:
            place.check(level, code, row.number, row_errors)
        item = _item(row, level, code, row_errors)
        errors += [_at_row(row.number, code, text) for text in row_errors]
        if item is not None and not row_errors:
            items.append(PlannedItem(row.number, item))
            if level == INDICATOR:
                place.indicator_kind = item.kind
    errors += place.empty_parents()
    errors += place.single_parts()
    return items


class _Place:
    """Where each row stands: codes seen, the standard and criterion above, children counted."""

    def __init__(self) -> None:
        self.seen: dict[str, int] = {}  # code → first row number
        self.above: dict[str, str | None] = {STANDARD: None, CRITERION: None}
        self.parents: dict[str, tuple[int, str]] = {}  # code → (row number, level)
        self.children: dict[str, int] = {}
        #: The code of the indicator above and its kind, for the parts under it.
        self.indicator: str | None = None
        self.indicator_kind: str | None = None
        self.parts: dict[str, list[str]] = {}  # indicator code → its part codes

    def check_part(self, code: str, number: int, errors: list[str]) -> None:
        """A part stands right under its indicator (or its indicator's other parts), which is a
        share or a rate, and its code is new in that indicator."""
        if not _PART_CODE.fullmatch(code) or len(code) > _MAX_CODE[PART]:
            errors.append(
                gettext(
                    "a part's code must be lower-case letters without diacritics or digits («a», "
                    "«b»), at most %(max)s characters."
                )
                % {"max": _MAX_CODE[PART]}
            )
            return
        if self.indicator is None:
            errors.append(
                gettext("a «%(part)s» row must stand right under its indicator.")
                % {"part": ITEM_LEVEL_NAMES[PART]}
            )
            return
        indicator = self.indicator
        if self.indicator_kind is not None and not kind_facts(self.indicator_kind).is_ratio:
            errors.append(
                gettext(
                    "indicator %(code)s is not a ratio: only a «%(share)s» or «%(rate)s» "
                    "indicator has parts."
                )
                % {
                    "code": indicator,
                    "share": KIND_NAMES["share_at_least"],
                    "rate": KIND_NAMES["rate_below"],
                }
            )
            return
        codes = self.parts.setdefault(indicator, [])
        if code in codes:
            errors.append(
                gettext("indicator %(indicator)s already has a part «%(code)s».")
                % {"indicator": indicator, "code": code}
            )
            return
        codes.append(code)

    def single_parts(self) -> list[str]:
        """An indicator of parts has two at least (one part is the indicator itself)."""
        return [
            gettext(
                "Indicator %(code)s: it has only one part; an indicator has two parts at least, "
                "or none."
            )
            % {"code": indicator}
            for indicator, codes in self.parts.items()
            if len(codes) == 1
        ]

    def check(self, level: str, code: str, number: int, errors: list[str]) -> None:
        if not _CODE_SHAPES[level].fullmatch(code):
            errors.append(_shape_problem(level))
            return
        if len(code) > _MAX_CODE[level]:
            errors.append(_long_code_problem(level))
            return
        if code in self.seen:
            errors.append(
                gettext("the code is the same as on row %(row)s.") % {"row": self.seen[code]}
            )
            return
        self.seen[code] = number
        parent_level = _PARENT.get(level)
        if parent_level is not None:
            parent, above = code.rsplit(".", 1)[0], self.above[parent_level]
            if parent != above:
                errors.append(self._misplaced(level, parent, above))
                return
            self.children[parent] += 1
        if level != INDICATOR:
            self.above[level] = code
            self.parents[code] = (number, level)
            self.children[code] = 0
        self.indicator = code if level == INDICATOR else None
        self.indicator_kind = None
        if level == STANDARD:
            self.above[CRITERION] = None

    def _misplaced(self, level: str, parent: str, above: str | None) -> str:
        """A criterion or indicator whose code names a parent other than the row above's."""
        figures = {"parent": parent, "above": above}
        if parent not in self.parents:
            if level == CRITERION:
                message = gettext(
                    "there is no standard %(parent)s on the rows above; each criterion stands "
                    "after its standard and has a code that begins with that standard's code."
                )
            else:
                message = gettext(
                    "there is no criterion %(parent)s on the rows above; each indicator stands "
                    "after its criterion and has a code that begins with that criterion's code."
                )
        elif level == CRITERION:
            message = gettext(
                "this criterion belongs to standard %(parent)s, so it must stand within "
                "standard %(parent)s, but it is under standard %(above)s."
            )
        else:
            message = gettext(
                "this indicator belongs to criterion %(parent)s, so it must stand within "
                "criterion %(parent)s, but it is under criterion %(above)s."
            )
        return message % figures

    def empty_parents(self) -> list[str]:
        errors = []
        for code, (number, level) in self.parents.items():
            if not self.children[code]:
                if level == STANDARD:
                    message = gettext("the standard has no criterion on the rows below.")
                else:
                    message = gettext("the criterion has no indicator on the rows below.")
                errors.append(_at_row(number, code, message))
        return errors


def _shape_problem(level: str) -> str:
    """What the code of a standard, criterion or indicator looks like."""
    if level == STANDARD:
        return gettext("a standard's code must look like «1».")
    if level == CRITERION:
        return gettext(
            "a criterion's code must look like «1.1» (the standard's code, a dot, a sequence "
            "number)."
        )
    return gettext(
        "an indicator's code must look like «1.1.1» (the criterion's code, a dot, a sequence "
        "number)."
    )


def _long_code_problem(level: str) -> str:
    """A standard's, criterion's or indicator's code longer than its level allows."""
    if level == STANDARD:
        message = gettext("a standard's code is longer than %(max)s characters.")
    elif level == CRITERION:
        message = gettext("a criterion's code is longer than %(max)s characters.")
    else:
        message = gettext("an indicator's code is longer than %(max)s characters.")
    return message % {"max": _MAX_CODE[level]}


def _quoted_names(names: Iterable[str]) -> str:
    """Names from the contract, each in «», separated by commas: «Tiêu chuẩn», «Tiêu chí»."""
    return ", ".join(f"«{name}»" for name in names)


def _level(raw: CellValue, errors: list[str]) -> str | None:
    level = match_name(raw, ITEM_LEVEL_NAMES)
    if level is None:
        wanted = _quoted_names(ITEM_LEVEL_NAMES.values())
        if raw is None:
            errors.append(
                gettext("the item level is not filled in (%(names)s).") % {"names": wanted}
            )
        else:
            errors.append(
                gettext("«%(value)s» is not an item level; write %(names)s.")
                % {"value": _shown(raw), "names": wanted}
            )
    return level


def _item(
    row: WorkbookRow, level: str | None, code: str | None, errors: list[str]
) -> ItemRow | None:
    """The row's texts, kind and threshold checked; None when its level is unknown."""
    text = _text(row.get(TEXT))
    if not text:
        errors.append(gettext("the text is missing."))
    elif level in (STANDARD, CRITERION) and len(text) > _MAX_NAME:
        errors.append(gettext("the text is longer than %(max)s characters.") % {"max": _MAX_NAME})
    if level is None:
        return None
    if level == PART:
        return _part_item(row, code, text, errors)
    if level != INDICATOR:
        extra = [name for name in (GUIDANCE, KIND, THRESHOLD, *_INDICATOR_ONLY) if row.get(name)]
        if extra:
            if level == STANDARD:
                message = gettext(
                    "a standard row has no %(cells)s; leave them empty, these cells are for "
                    "indicators only."
                )
            else:
                message = gettext(
                    "a criterion row has no %(cells)s; leave them empty, these cells are for "
                    "indicators only."
                )
            errors.append(message % {"cells": _quoted_names(extra)})
        return ItemRow(level, code or "", text or "")
    kind, threshold = _kind_and_threshold(row, errors)
    unit = _text(row.get(UNIT)) or ""
    if len(unit) > _MAX_UNIT:
        errors.append(
            gettext("the unit of measure is longer than %(max)s characters.") % {"max": _MAX_UNIT}
        )
    guidance = _text(row.get(GUIDANCE)) or ""
    texts = {
        name: _text(row.get(name)) or "" for name in (BASIS, NUMERATOR_LABEL, DENOMINATOR_LABEL)
    }
    for name, text_value in texts.items():
        if len(text_value) > _MAX_LABEL:
            errors.append(
                gettext("«%(name)s» is longer than %(max)s characters.")
                % {"name": name, "max": _MAX_LABEL}
            )
    growth = _growth_rate(row.get(GROWTH_RATE), kind, errors)
    recognition_level = _whole(row.get(RECOGNITION_LEVEL), _LEVELS)
    if isinstance(recognition_level, str):
        errors.append(f"«{RECOGNITION_LEVEL}»: {recognition_level}")
        recognition_level = None
    return ItemRow(
        INDICATOR,
        code or "",
        text or "",
        guidance,
        kind or "",
        threshold,
        unit,
        texts[BASIS],
        texts[NUMERATOR_LABEL],
        texts[DENOMINATOR_LABEL],
        growth,
        recognition_level,
    )


def _part_item(
    row: WorkbookRow, code: str | None, text: str | None, errors: list[str]
) -> ItemRow | None:
    """A part: its name in «Nội dung», its own threshold; it is judged by its indicator's kind."""
    if text and len(text) > _MAX_PART_NAME:
        errors.append(
            gettext("the text is longer than %(max)s characters.") % {"max": _MAX_PART_NAME}
        )
    extra = [name for name in (GUIDANCE, KIND, *_INDICATOR_ONLY) if row.get(name)]
    if extra:
        errors.append(
            gettext(
                "a part row has no %(cells)s; leave them empty: a part is judged by its "
                "indicator's kind."
            )
            % {"cells": _quoted_names(extra)}
        )
    raw_threshold = row.get(THRESHOLD)
    if raw_threshold is None:
        errors.append(
            gettext("a part needs a threshold (the cell «%(cell)s»).") % {"cell": THRESHOLD}
        )
        return None
    threshold = _threshold(raw_threshold, errors)
    return ItemRow(PART, code or "", text or "", threshold=threshold)


def _growth_rate(raw: CellValue, kind: str | None, errors: list[str]) -> bool:
    """«Có» where an increase takes the published growth rate; empty or «Không» otherwise."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return False
    answer = match_name(raw, GROWTH_RATE_NAMES)
    if answer is None:
        errors.append(
            gettext("«%(column)s»: «%(value)s» must be «%(yes)s» or «%(no)s».")
            % {
                "column": GROWTH_RATE,
                "value": _shown(raw),
                "yes": GROWTH_RATE_NAMES["yes"],
                "no": GROWTH_RATE_NAMES["no"],
            }
        )
        return False
    if answer == "yes" and kind != Kind.INCREASE.value:
        errors.append(
            gettext("«%(column)s» is only for the kind «%(kind)s».")
            % {"column": GROWTH_RATE, "kind": KIND_NAMES[Kind.INCREASE.value]}
        )
        return False
    return answer == "yes"


def _kind_and_threshold(row: WorkbookRow, errors: list[str]) -> tuple[str | None, Decimal | None]:
    raw_kind, raw_threshold = row.get(KIND), row.get(THRESHOLD)
    kind = match_name(raw_kind, KIND_NAMES)
    if kind is None:
        wanted = _quoted_names(KIND_NAMES.values())
        if raw_kind is None:
            errors.append(
                gettext("the assessment kind is not filled in (%(names)s).") % {"names": wanted}
            )
        else:
            errors.append(
                gettext("«%(value)s» is not an assessment kind; write %(names)s.")
                % {"value": _shown(raw_kind), "names": wanted}
            )
        return None, None
    figures = {"kind": KIND_NAMES[kind], "cell": THRESHOLD}
    if not kind_facts(kind).takes_threshold:
        if raw_threshold is not None:
            errors.append(
                gettext("the kind «%(kind)s» has no threshold; leave the cell «%(cell)s» empty.")
                % figures
            )
        return kind, None
    if raw_threshold is None:
        errors.append(
            gettext("the kind «%(kind)s» needs a threshold (the cell «%(cell)s»).") % figures
        )
        return kind, None
    threshold = _threshold(raw_threshold, errors)
    return kind, threshold


def _threshold(raw: CellValue, errors: list[str]) -> Decimal | None:
    if isinstance(raw, str):
        raw = raw.removesuffix("%").rstrip()  # "70 %" is what people write
    try:
        if not isinstance(raw, (str, int, float, Decimal)):
            raise NumberFormatError(gettext("«%(text)s» is not a number.") % {"text": _shown(raw)})
        value = parse_decimal(raw)
    except NumberFormatError as error:
        errors.append(gettext("threshold: %(message)s") % {"message": error.message})
        return None
    if not Decimal(0) <= value <= Decimal(100):
        errors.append(
            gettext(
                "the threshold %(value)s is outside 0–100 (a threshold is in %%, a drop in "
                "percentage points)."
            )
            % {"value": show_number(value)}
        )
        return None
    if -trim_decimal(value).as_tuple().exponent > _THRESHOLD_PLACES:
        errors.append(
            gettext("a threshold has at most %(places)s decimal places.")
            % {"places": _THRESHOLD_PLACES}
        )
        return None
    return trim_decimal(value)


def _code_taken(code: str) -> str:
    """Said when planning, and again inside the import's transaction."""
    return gettext("The criteria set code «%(code)s» is taken; use a new code.") % {"code": code}


def _database_errors(metadata: SetMetadata, workbook: CriteriaWorkbook) -> list[str]:
    """What the database says: the code is free, and no year the set covers is locked."""
    errors = []
    if CriteriaSet.objects.filter(code__iexact=metadata.code).exists():
        number = workbook.metadata[SET_CODE].number
        errors.append(_at_label(number, SET_CODE, _code_taken(metadata.code)))
    candidate = CriteriaSet(first_year=metadata.first_year, last_year=metadata.last_year)
    locked = list(candidate.locked_years().values_list("year", flat=True))
    if locked:
        number = workbook.metadata[FIRST_YEAR].number
        years = ", ".join(str(year) for year in locked)
        problem = ngettext(
            "the year %(years)s is locked; a new criteria set applies only from a year not "
            "locked (the results of a locked year do not change).",
            "the years %(years)s are locked; a new criteria set applies only from a year not "
            "locked (the results of a locked year do not change).",
            len(locked),
        ) % {"years": years}
        errors.append(_at_label(number, FIRST_YEAR, problem))
    return errors


def _text(value: CellValue) -> str | None:
    """A cell as text, the way it is stored: NFC, no control characters, blank as None."""
    if value is None or isinstance(value, bool):
        return None if value is None else str(value)
    if isinstance(value, float):
        value = plain_decimal(parse_decimal(value))
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value)).strip()
    return text or None


def _code(value: CellValue) -> str | None:
    """A code as text: Excel turns a typed "1" or "2.1" into a number, which is read back."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return plain_decimal(parse_decimal(value))
    return _text(value)


def _shown(value: CellValue) -> str:
    """A cell's value as a message quotes it (the message puts it in «»), shortened."""
    if isinstance(value, (datetime, date, time, timedelta)):
        return str(value)
    text = _text(value) or ""
    return text if len(text) <= 40 else text[:39] + "…"


def _part(item: ItemRow, indicator: Indicator) -> IndicatorPart:
    return IndicatorPart(
        indicator=indicator, code=item.code, name=item.text, threshold=item.threshold
    )


def _indicator(item: ItemRow) -> Indicator:
    return Indicator(
        code=item.code,
        text=item.text,
        guidance=item.guidance,
        kind=item.kind,
        threshold=item.threshold,
        unit_of_measure=item.unit_of_measure,
        basis=item.basis,
        numerator_label=item.numerator_label,
        denominator_label=item.denominator_label,
        accepts_growth_rate=item.accepts_growth_rate,
    )


# --- Writing -----------------------------------------------------------------------------------


def criteria_set_import(*, plan: CriteriaSetPlan) -> CriteriaSet:
    """Create the planned set, its standards, criteria and indicators, all or nothing.

    An existing set is never modified: a code already taken is refused.
    """
    if not plan.is_valid:
        raise ValidationError(plan.errors or [gettext("The file has no criteria set to import.")])
    metadata = plan.metadata
    with transaction.atomic():
        criteria_set = CriteriaSet(
            code=metadata.code,
            name=metadata.name,
            level=metadata.level,
            legal_basis=metadata.legal_basis,
            first_year=metadata.first_year,
            last_year=metadata.last_year,
            is_example=metadata.example,
            recognition_rule=metadata.rule,
            min_indicators_met=metadata.min_met,
            validity_years=metadata.validity_years,
        )
        # Checked again inside the transaction: the code may have been taken, or a year locked,
        # since the plan was made.
        if CriteriaSet.objects.filter(code__iexact=metadata.code).exists():
            raise ValidationError(_code_taken(metadata.code))
        if criteria_set.locked_years().exists():
            raise ValidationError(gettext("A new criteria set cannot apply to a locked year."))
        _save(criteria_set)
        indicators = _save_items(criteria_set, plan.items)
        _save_levels(criteria_set, plan.items, indicators)
    return criteria_set


def _save_levels(
    criteria_set: CriteriaSet, items: Iterable[PlannedItem], indicators: dict[str, Indicator]
) -> None:
    """Under the rule «levels», one level per number the indicators name, with its indicators."""
    by_level: dict[int, list[Indicator]] = {}
    for planned in items:
        if planned.item.level == INDICATOR and planned.item.recognition_level is not None:
            by_level.setdefault(planned.item.recognition_level, []).append(
                indicators[planned.item.code]
            )
    for number, members in sorted(by_level.items()):
        level = RecognitionLevel.objects.create(criteria_set=criteria_set, number=number)
        level.indicators.set(members)


def _save_items(criteria_set: CriteriaSet, items: Iterable[PlannedItem]) -> dict[str, Indicator]:
    """Rows in sheet order: each criterion under the standard above it, each indicator under
    the criterion above it (the plan checked that), numbered in order within its parent. Returns
    the indicators by code."""
    saved: dict[str, Indicator] = {}
    standard: Standard | None = None
    criterion: Criterion | None = None
    indicator: Indicator | None = None
    position = {STANDARD: 0, CRITERION: 0, INDICATOR: 0, PART: 0}
    for planned in items:
        item = planned.item
        position[item.level] += 1
        if item.level == STANDARD:
            position[CRITERION] = 0
            standard = Standard(criteria_set=criteria_set, code=item.code, name=item.text)
            standard.position = position[STANDARD]
            _save(standard, planned)
        elif item.level == CRITERION:
            position[INDICATOR] = 0
            criterion = Criterion(standard=standard, code=item.code, name=item.text)
            criterion.position = position[CRITERION]
            _save(criterion, planned)
        elif item.level == INDICATOR:
            position[PART] = 0
            indicator = _indicator(item)
            indicator.criterion, indicator.position = criterion, position[INDICATOR]
            _save(indicator, planned)
            saved[indicator.code] = indicator
        else:
            part = _part(item, indicator)
            part.position = position[PART]
            _save(part, planned)
    return saved


def _save(
    instance: CriteriaSet | Standard | Criterion | Indicator | IndicatorPart,
    planned: PlannedItem | None = None,
) -> None:
    """full_clean() as the last line of defence, its messages given the row (`planned`), or
    said of the set."""
    try:
        instance.full_clean()
    except ValidationError as error:
        if planned is None:
            messages = [
                gettext("Criteria set: %(message)s") % {"message": message}
                for message in error.messages
            ]
        else:
            messages = [
                _at_row(planned.number, planned.item.code, message) for message in error.messages
            ]
        raise ValidationError(messages) from error
    instance.save()


# --- Export ------------------------------------------------------------------------------------


def criteria_set_rows(criteria_set: CriteriaSet) -> CriteriaSetSheet:
    """A stored set as plain data for build_criteria_workbook, in four queries (five under the
    rule «levels»)."""
    level_of = {}
    if criteria_set.recognition_rule == CriteriaSet.Rule.LEVELS:
        level_of = dict(
            RecognitionLevel.indicators.through.objects.filter(
                recognitionlevel__criteria_set=criteria_set
            ).values_list("indicator_id", "recognitionlevel__number")
        )
    indicators = Indicator.objects.order_by("position", "code").prefetch_related("parts")
    criteria = Criterion.objects.order_by("position", "code").prefetch_related(
        Prefetch("indicators", queryset=indicators)
    )
    standards = (
        Standard.objects.filter(criteria_set=criteria_set)
        .order_by("position", "code")
        .prefetch_related(Prefetch("criteria", queryset=criteria))
    )
    items: list[ItemRow] = []
    for standard in standards:
        items.append(ItemRow(STANDARD, standard.code, standard.name))
        for criterion in standard.criteria.all():
            items.append(ItemRow(CRITERION, criterion.code, criterion.name))
            for indicator in criterion.indicators.all():
                items.append(
                    ItemRow(
                        INDICATOR,
                        indicator.code,
                        indicator.text,
                        indicator.guidance,
                        indicator.kind,
                        trim_decimal(indicator.threshold)
                        if indicator.threshold is not None
                        else None,
                        indicator.unit_of_measure,
                        indicator.basis,
                        indicator.numerator_label,
                        indicator.denominator_label,
                        indicator.accepts_growth_rate,
                        level_of.get(indicator.pk),
                    )
                )
                items += [
                    ItemRow(PART, part.code, part.name, threshold=trim_decimal(part.threshold))
                    for part in indicator.parts.all()
                ]
    metadata = SetMetadata(
        code=criteria_set.code,
        name=criteria_set.name,
        level=criteria_set.level,
        legal_basis=criteria_set.legal_basis,
        first_year=criteria_set.first_year,
        last_year=criteria_set.last_year,
        example=criteria_set.is_example,
        rule=criteria_set.recognition_rule,
        min_met=criteria_set.min_indicators_met,
        validity_years=criteria_set.validity_years,
    )
    return CriteriaSetSheet(metadata, tuple(items))
