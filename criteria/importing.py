"""Criteria sets imported from Excel (criteria/workbooks.py), and exported back.

`criteria_set_plan` checks every cell of a workbook as read and says what it would create,
writing nothing, so a preview shows the whole set and every error at once ("Dòng 12, mã 2.1.3:
…"). `criteria_set_import` writes a plan without errors, all or nothing, and never touches an
existing set: a new edition of the criteria is a new set with a new code. `criteria_set_rows` is
the other way, and an exported set imports back to the same set. Who leads a new set's
indicators is said by assignments.services.criteria_set_adopt, which imports through here (the
import view and command call it).

Messages are Vietnamese literals, like those of measurements/imports.py: the standing office reads
them whatever language the page is in.
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
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from common.excel import CellValue, WorkbookError
from common.numbers import (
    NumberFormatError,
    format_decimal,
    parse_count,
    parse_decimal,
    plain_decimal,
    trim_decimal,
)
from common.reading import read_for

from .models import CriteriaSet, Criterion, Indicator, IndicatorPart, Standard
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
    STANDARD: (re.compile(r"[0-9]+"), "«1»"),
    CRITERION: (re.compile(r"[0-9]+\.[0-9]+"), "«1.1» (mã tiêu chuẩn, dấu chấm, số thứ tự)"),
    INDICATOR: (
        re.compile(r"[0-9]+\.[0-9]+\.[0-9]+"),
        "«1.1.1» (mã tiêu chí, dấu chấm, số thứ tự)",
    ),
}
_PARENT = {CRITERION: STANDARD, INDICATOR: CRITERION}
_LEVEL_WORDS = {STANDARD: "tiêu chuẩn", CRITERION: "tiêu chí", INDICATOR: "chỉ báo", PART: "phần"}
_PART_CODE = re.compile(r"[a-z0-9]+")
_MAX_PART_NAME = IndicatorPart._meta.get_field("name").max_length
_YEARS = (2000, 2100)
_THRESHOLD_PLACES = 4
# Model field lengths, checked here to say so in Vietnamese with the row.
_MAX_SET_NAME = CriteriaSet._meta.get_field("name").max_length
_MAX_SET_CODE = CriteriaSet._meta.get_field("code").max_length
_MAX_NAME = Standard._meta.get_field("name").max_length
_MAX_UNIT = Indicator._meta.get_field("unit_of_measure").max_length
_MAX_LABEL = Indicator._meta.get_field("numerator_label").max_length  # basis: the same
#: The columns only an indicator fills.
_INDICATOR_ONLY = (UNIT, BASIS, NUMERATOR_LABEL, DENOMINATOR_LABEL, GROWTH_RATE)
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
            errors.append(
                f"Dòng {number}, «{MIN_MET}»: {metadata.min_met} chỉ báo phải đạt, nhưng bộ tiêu "
                f"chí chỉ có {indicators} chỉ báo."
            )
    return CriteriaSetPlan(metadata=metadata, items=items, errors=errors)


def _metadata(workbook: CriteriaWorkbook, errors: list[str]) -> SetMetadata | None:
    found = workbook.metadata
    count = len(errors)
    for label in (SET_CODE, SET_NAME, SET_LEVEL, LEGAL_BASIS, FIRST_YEAR):  # «Đến năm» may go
        if label not in found:
            errors.append(
                f"Thiếu dòng «{label}» (nhãn ở cột A, giá trị ở cột B, phía trên dòng tiêu đề "
                f"của trang tính «{SHEET}»)."
            )
    if len(errors) > count:
        return None

    def problem(label: str, text: str) -> None:
        errors.append(f"Dòng {found[label].number}, «{label}»: {text}")

    code = _text(found[SET_CODE].value)
    if not code:
        problem(SET_CODE, "chưa điền mã bộ tiêu chí (ở cột B).")
    elif not _SLUG.fullmatch(code) or len(code) > _MAX_SET_CODE:
        problem(
            SET_CODE,
            f"mã «{code}» chỉ được gồm chữ cái không dấu, chữ số và dấu gạch ngang, "
            f"tối đa {_MAX_SET_CODE} ký tự (ví dụ: quan-huyen-2025).",
        )
    elif code.casefold() in _RESERVED_CODES:
        problem(SET_CODE, f"không dùng được mã «{code}»; hãy chọn mã khác.")
    name = _text(found[SET_NAME].value)
    if not name:
        problem(SET_NAME, "chưa điền tên bộ tiêu chí.")
    elif len(name) > _MAX_SET_NAME:
        problem(SET_NAME, f"tên dài quá {_MAX_SET_NAME} ký tự.")
    level = match_name(found[SET_LEVEL].value, SET_LEVEL_NAMES)
    if level is None:
        shown = _shown(found[SET_LEVEL].value)
        wanted = " hoặc ".join(f"«{name}»" for name in SET_LEVEL_NAMES.values())
        problem(SET_LEVEL, f"{shown} không phải là cấp của bộ tiêu chí; hãy ghi {wanted}.")
    legal_basis = _text(found[LEGAL_BASIS].value)
    if not legal_basis:
        problem(LEGAL_BASIS, "chưa điền căn cứ pháp lý (văn bản ban hành bộ tiêu chí).")
    first_year, year_problem = _year(found[FIRST_YEAR].value, required=True)
    if year_problem:
        problem(FIRST_YEAR, year_problem)
    last_cell = found.get(LAST_YEAR)
    last_year, year_problem = _year(last_cell.value if last_cell else None, required=False)
    if year_problem:
        problem(LAST_YEAR, year_problem)
    if first_year is not None and last_year is not None and last_year < first_year:
        problem(LAST_YEAR, f"năm {last_year} đứng trước năm bắt đầu áp dụng {first_year}.")
    example_cell = found.get(EXAMPLE)
    example = example_cell is not None and example_cell.value not in (None, "")
    if example and (answer := match_name(example_cell.value, EXAMPLE_NAMES)) is None:
        wanted = " hoặc ".join(f"«{name}»" for name in EXAMPLE_NAMES.values())
        problem(EXAMPLE, f"{_shown(example_cell.value)} không phải câu trả lời; hãy ghi {wanted}.")
    elif example:
        example = answer == "yes"
    rule, min_met = _rule(found, problem)
    if len(errors) > count:
        return None
    return SetMetadata(
        code, name, level, legal_basis, first_year, last_year, example, rule, min_met
    )


def _rule(found: dict, problem: Callable[[str, str], None]) -> tuple[str, int | None]:
    """The recognition rule and, for «at least a number of indicators», that number (checked
    against the set's indicators once the rows are read, in `criteria_set_plan`)."""
    rule_cell, min_cell = found.get(RULE), found.get(MIN_MET)
    raw_rule = rule_cell.value if rule_cell else None
    rule = "all_standards"
    if raw_rule not in (None, ""):
        matched = match_name(raw_rule, RULE_NAMES)
        if matched is None:
            wanted = " hoặc ".join(f"«{name}»" for name in RULE_NAMES.values())
            problem(RULE, f"{_shown(raw_rule)} không phải quy tắc công nhận; hãy ghi {wanted}.")
        else:
            rule = matched
    raw_min = min_cell.value if min_cell else None
    if rule != "min_indicators":
        if raw_min not in (None, ""):
            problem(MIN_MET, f"chỉ ghi với quy tắc «{RULE_NAMES['min_indicators']}».")
        return rule, None
    if raw_min in (None, ""):
        problem(MIN_MET, f"quy tắc «{RULE_NAMES['min_indicators']}» cần số chỉ báo phải đạt.")
        return rule, None
    try:
        min_met = parse_count(raw_min) if isinstance(raw_min, (str, int, float)) else None
    except NumberFormatError as error:
        problem(MIN_MET, error.message)
        return rule, None
    if min_met is None or min_met < 1:
        problem(MIN_MET, f"{_shown(raw_min)} phải là số nguyên từ 1.")
        return rule, None
    return rule, min_met


def _year(value: CellValue, *, required: bool) -> tuple[int | None, str | None]:
    """A year and, when it cannot be read, why."""
    if value is None:
        return None, "chưa điền năm (ví dụ: 2025)." if required else None
    try:
        year = parse_count(value) if isinstance(value, (str, int, float, Decimal)) else None
    except NumberFormatError as error:
        return None, error.message
    if year is None or not _YEARS[0] <= year <= _YEARS[1]:
        return None, f"{_shown(value)} không phải là năm (từ {_YEARS[0]} đến {_YEARS[1]})."
    return year, None


def _items(rows: list[WorkbookRow], errors: list[str]) -> list[PlannedItem]:
    """Every row checked on its own and in its place; then no standard or criterion is empty."""
    if not rows:
        errors.append(
            f"Trang tính «{SHEET}» chưa có dòng tiêu chuẩn, tiêu chí, chỉ báo nào dưới dòng "
            "tiêu đề."
        )
    items: list[PlannedItem] = []
    place = _Place()
    for row in rows:
        code = _code(row.get(CODE))
        row_errors: list[str] = []
        level = _level(row.get(ITEM_LEVEL), row_errors)
        if not code:
            row_errors.append("chưa có mã.")
        elif level == PART:
            place.check_part(code, row.number, row_errors)
        elif level is not None:
            place.check(level, code, row.number, row_errors)
        item = _item(row, level, code, row_errors)
        prefix = f"Dòng {row.number}, mã {code}: " if code else f"Dòng {row.number}: "
        errors += [prefix + text for text in row_errors]
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
                f"mã phần phải là chữ thường không dấu hoặc chữ số («a», «b»), tối đa "
                f"{_MAX_CODE[PART]} ký tự."
            )
            return
        if self.indicator is None:
            errors.append("dòng «Phần» phải đứng ngay dưới chỉ báo của nó.")
            return
        indicator = self.indicator
        if self.indicator_kind is not None and not kind_facts(self.indicator_kind).is_ratio:
            share, rate = KIND_NAMES["share_at_least"], KIND_NAMES["rate_below"]
            errors.append(
                f"chỉ báo {indicator} không phải tỷ lệ: chỉ chỉ báo «{share}» hoặc «{rate}» mới "
                "gồm nhiều phần."
            )
            return
        codes = self.parts.setdefault(indicator, [])
        if code in codes:
            errors.append(f"chỉ báo {indicator} đã có phần «{code}».")
            return
        codes.append(code)

    def single_parts(self) -> list[str]:
        """An indicator of parts has two at least (one part is the indicator itself)."""
        return [
            f"Chỉ báo {indicator}: chỉ có một phần; một chỉ báo gồm ít nhất hai phần, hoặc không "
            "chia phần."
            for indicator, codes in self.parts.items()
            if len(codes) == 1
        ]

    def check(self, level: str, code: str, number: int, errors: list[str]) -> None:
        pattern, shape = _CODE_SHAPES[level]
        if not pattern.fullmatch(code):
            errors.append(f"mã {_LEVEL_WORDS[level]} phải có dạng {shape}.")
            return
        if len(code) > _MAX_CODE[level]:
            errors.append(f"mã {_LEVEL_WORDS[level]} dài quá {_MAX_CODE[level]} ký tự.")
            return
        if code in self.seen:
            errors.append(f"mã trùng với dòng {self.seen[code]}.")
            return
        self.seen[code] = number
        parent_level = _PARENT.get(level)
        if parent_level is not None:
            parent, above = code.rsplit(".", 1)[0], self.above[parent_level]
            if parent != above:
                errors.append(self._misplaced(level, parent_level, parent, above))
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

    def _misplaced(self, level: str, parent_level: str, parent: str, above: str | None) -> str:
        this, word = _LEVEL_WORDS[level], _LEVEL_WORDS[parent_level]
        if parent not in self.parents:
            return (
                f"chưa có {word} {parent} ở các dòng trên; mỗi {this} đứng sau {word} của nó "
                f"và có mã bắt đầu bằng mã {word} đó."
            )
        return (
            f"{this} này thuộc {word} {parent} nên phải đứng ngay trong {word} {parent}, "
            f"nhưng lại nằm dưới {word} {above}."
        )

    def empty_parents(self) -> list[str]:
        errors = []
        for code, (number, level) in self.parents.items():
            if not self.children[code]:
                child = "tiêu chí" if level == STANDARD else "chỉ báo"
                errors.append(
                    f"Dòng {number}, mã {code}: {_LEVEL_WORDS[level]} chưa có {child} nào "
                    "ở các dòng dưới."
                )
        return errors


def _level(raw: CellValue, errors: list[str]) -> str | None:
    level = match_name(raw, ITEM_LEVEL_NAMES)
    if level is None:
        wanted = ", ".join(f"«{name}»" for name in ITEM_LEVEL_NAMES.values())
        if raw is None:
            errors.append(f"chưa ghi cấp mục ({wanted}).")
        else:
            errors.append(f"{_shown(raw)} không phải là cấp mục; hãy ghi {wanted}.")
    return level


def _item(
    row: WorkbookRow, level: str | None, code: str | None, errors: list[str]
) -> ItemRow | None:
    """The row's texts, kind and threshold checked; None when its level is unknown."""
    text = _text(row.get(TEXT))
    if not text:
        errors.append("chưa có nội dung.")
    elif level in (STANDARD, CRITERION) and len(text) > _MAX_NAME:
        errors.append(f"nội dung dài quá {_MAX_NAME} ký tự.")
    if level is None:
        return None
    if level == PART:
        return _part_item(row, code, text, errors)
    if level != INDICATOR:
        extra = [name for name in (GUIDANCE, KIND, THRESHOLD, *_INDICATOR_ONLY) if row.get(name)]
        if extra:
            cells = ", ".join(f"«{name}»" for name in extra)
            errors.append(
                f"dòng {_LEVEL_WORDS[level]} không có {cells}; hãy để trống, các ô này chỉ dành "
                "cho chỉ báo."
            )
        return ItemRow(level, code or "", text or "")
    kind, threshold = _kind_and_threshold(row, errors)
    unit = _text(row.get(UNIT)) or ""
    if len(unit) > _MAX_UNIT:
        errors.append(f"đơn vị tính dài quá {_MAX_UNIT} ký tự.")
    guidance = _text(row.get(GUIDANCE)) or ""
    texts = {
        name: _text(row.get(name)) or "" for name in (BASIS, NUMERATOR_LABEL, DENOMINATOR_LABEL)
    }
    for name, text_value in texts.items():
        if len(text_value) > _MAX_LABEL:
            errors.append(f"«{name}» dài quá {_MAX_LABEL} ký tự.")
    growth = _growth_rate(row.get(GROWTH_RATE), kind, errors)
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
    )


def _part_item(
    row: WorkbookRow, code: str | None, text: str | None, errors: list[str]
) -> ItemRow | None:
    """A part: its name in «Nội dung», its own threshold; it is judged by its indicator's kind."""
    if text and len(text) > _MAX_PART_NAME:
        errors.append(f"nội dung dài quá {_MAX_PART_NAME} ký tự.")
    extra = [name for name in (GUIDANCE, KIND, *_INDICATOR_ONLY) if row.get(name)]
    if extra:
        cells = ", ".join(f"«{name}»" for name in extra)
        errors.append(
            f"dòng phần không có {cells}; hãy để trống: phần được đánh giá theo kiểu của chỉ báo."
        )
    raw_threshold = row.get(THRESHOLD)
    if raw_threshold is None:
        errors.append(f"phần cần ngưỡng (ô «{THRESHOLD}»).")
        return None
    threshold = _threshold(raw_threshold, errors)
    return ItemRow(PART, code or "", text or "", threshold=threshold)


def _growth_rate(raw: CellValue, kind: str | None, errors: list[str]) -> bool:
    """«Có» where an increase takes the published growth rate; empty or «Không» otherwise."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return False
    answer = match_name(raw, GROWTH_RATE_NAMES)
    if answer is None:
        errors.append(f"«{GROWTH_RATE}»: {_shown(raw)} phải là «Có» hoặc «Không».")
        return False
    if answer == "yes" and kind != Kind.INCREASE.value:
        errors.append(f"«{GROWTH_RATE}» chỉ dành cho kiểu «{KIND_NAMES[Kind.INCREASE.value]}».")
        return False
    return answer == "yes"


def _kind_and_threshold(row: WorkbookRow, errors: list[str]) -> tuple[str | None, Decimal | None]:
    raw_kind, raw_threshold = row.get(KIND), row.get(THRESHOLD)
    kind = match_name(raw_kind, KIND_NAMES)
    if kind is None:
        wanted = ", ".join(f"«{name}»" for name in KIND_NAMES.values())
        if raw_kind is None:
            errors.append(f"chưa ghi kiểu đánh giá ({wanted}).")
        else:
            errors.append(f"{_shown(raw_kind)} không phải là kiểu đánh giá; hãy ghi {wanted}.")
        return None, None
    name = KIND_NAMES[kind]
    if not kind_facts(kind).takes_threshold:
        if raw_threshold is not None:
            errors.append(f"kiểu «{name}» không có ngưỡng; hãy để trống ô «{THRESHOLD}».")
        return kind, None
    if raw_threshold is None:
        errors.append(f"kiểu «{name}» cần ngưỡng (ô «{THRESHOLD}»).")
        return kind, None
    threshold = _threshold(raw_threshold, errors)
    return kind, threshold


def _threshold(raw: CellValue, errors: list[str]) -> Decimal | None:
    if isinstance(raw, str):
        raw = raw.removesuffix("%").rstrip()  # "70 %" is what people write
    try:
        if not isinstance(raw, (str, int, float, Decimal)):
            raise NumberFormatError(f"{_shown(raw)} không phải là số.")
        value = parse_decimal(raw)
    except NumberFormatError as error:
        errors.append(f"ngưỡng: {error.message}")
        return None
    if not Decimal(0) <= value <= Decimal(100):
        errors.append(
            f"ngưỡng {format_decimal(value)} nằm ngoài khoảng 0–100 (ngưỡng tính bằng %, "
            "mức giảm tính bằng điểm %)."
        )
        return None
    if -trim_decimal(value).as_tuple().exponent > _THRESHOLD_PLACES:
        errors.append(f"ngưỡng có tối đa {_THRESHOLD_PLACES} chữ số thập phân.")
        return None
    return trim_decimal(value)


def _database_errors(metadata: SetMetadata, workbook: CriteriaWorkbook) -> list[str]:
    """What the database says: the code is free, and no year the set covers is locked."""
    errors = []
    if CriteriaSet.objects.filter(code__iexact=metadata.code).exists():
        number = workbook.metadata[SET_CODE].number
        errors.append(
            f"Dòng {number}, «{SET_CODE}»: Mã bộ tiêu chí «{metadata.code}» đã có; hãy dùng mã mới."
        )
    candidate = CriteriaSet(first_year=metadata.first_year, last_year=metadata.last_year)
    locked = list(candidate.locked_years().values_list("year", flat=True))
    if locked:
        number = workbook.metadata[FIRST_YEAR].number
        years = ", ".join(str(year) for year in locked)
        errors.append(
            f"Dòng {number}, «{FIRST_YEAR}»: năm {years} đã khóa; bộ tiêu chí mới chỉ áp dụng "
            "từ năm chưa khóa (kết quả của năm đã khóa không đổi)."
        )
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
    if isinstance(value, (datetime, date, time, timedelta)):
        return f"«{value}»"
    text = _text(value) or ""
    return f"«{text if len(text) <= 40 else text[:39] + '…'}»"


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
        raise ValidationError(plan.errors or ["Tệp chưa có bộ tiêu chí nào để nhập."])
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
        )
        # Checked again inside the transaction: the code may have been taken, or a year locked,
        # since the plan was made.
        if CriteriaSet.objects.filter(code__iexact=metadata.code).exists():
            raise ValidationError(f"Mã bộ tiêu chí «{metadata.code}» đã có; hãy dùng mã mới.")
        if criteria_set.locked_years().exists():
            raise ValidationError("Bộ tiêu chí mới không được áp dụng cho năm đã khóa.")
        _save(criteria_set, "Bộ tiêu chí")
        _save_items(criteria_set, plan.items)
    return criteria_set


def _save_items(criteria_set: CriteriaSet, items: Iterable[PlannedItem]) -> None:
    """Rows in sheet order: each criterion under the standard above it, each indicator under
    the criterion above it (the plan checked that), numbered in order within its parent."""
    standard: Standard | None = None
    criterion: Criterion | None = None
    indicator: Indicator | None = None
    position = {STANDARD: 0, CRITERION: 0, INDICATOR: 0, PART: 0}
    for planned in items:
        item, where = planned.item, f"Dòng {planned.number}, mã {planned.item.code}"
        position[item.level] += 1
        if item.level == STANDARD:
            position[CRITERION] = 0
            standard = Standard(criteria_set=criteria_set, code=item.code, name=item.text)
            standard.position = position[STANDARD]
            _save(standard, where)
        elif item.level == CRITERION:
            position[INDICATOR] = 0
            criterion = Criterion(standard=standard, code=item.code, name=item.text)
            criterion.position = position[CRITERION]
            _save(criterion, where)
        elif item.level == INDICATOR:
            position[PART] = 0
            indicator = _indicator(item)
            indicator.criterion, indicator.position = criterion, position[INDICATOR]
            _save(indicator, where)
        else:
            part = _part(item, indicator)
            part.position = position[PART]
            _save(part, where)


def _save(
    instance: CriteriaSet | Standard | Criterion | Indicator | IndicatorPart, where: str
) -> None:
    """full_clean() as the last line of defence, its messages given the row."""
    try:
        instance.full_clean()
    except ValidationError as error:
        raise ValidationError([f"{where}: {message}" for message in error.messages]) from error
    instance.save()


# --- Export ------------------------------------------------------------------------------------


def criteria_set_rows(criteria_set: CriteriaSet) -> CriteriaSetSheet:
    """A stored set as plain data for build_criteria_workbook, in four queries."""
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
    )
    return CriteriaSetSheet(metadata, tuple(items))
