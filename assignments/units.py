"""Units and their successions from an Excel list (sheet «Đơn vị»): read with every guard of
common.excel and checked row by row against the list itself and the units already stored — all
or nothing, each problem with its row number. A row names a unit by its code: a new code adds a
unit, a known one replaces what the portal holds of it (name, kind, parent, years, successors,
position); a unit the list does not name is left as it is.

The years are evaluation years: a district dissolved on 1 July 2025 existed until 2024 (its last
December evaluation), the wards it became exist from 2025."""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from io import BytesIO
from operator import attrgetter

from django.db import transaction
from django.db.models import Max, Min
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from common.excel import CellValue, WorkbookError, WorkbookRow, read_table, set_text

from .models import Unit

SHEET = "Đơn vị"
CODE = "Mã"
NAME = "Tên"
KIND = "Loại"
PARENT = "Mã đơn vị cấp trên"
VALID_FROM = "Từ năm"
VALID_TO = "Đến năm"
SUCCESSORS = "Trở thành (mã)"
POSITION = "Thứ tự"
COLUMNS = (CODE, NAME, KIND, PARENT, VALID_FROM, VALID_TO, SUCCESSORS, POSITION)
MAX_UNITS = 5_000
#: What the list may write in «Loại»: the Vietnamese word, as officials write it.
KIND_WORDS = {
    "thành phố": Unit.Kind.CITY,
    "tỉnh": Unit.Kind.CITY,
    "quận": Unit.Kind.URBAN_DISTRICT,
    "huyện": Unit.Kind.RURAL_DISTRICT,
    "thị xã": Unit.Kind.RURAL_DISTRICT,
    "phường": Unit.Kind.WARD,
    "xã": Unit.Kind.COMMUNE,
    "đặc khu": Unit.Kind.SPECIAL_ZONE,
}
KIND_OF_WORD = {kind: word for word, kind in reversed(KIND_WORDS.items())}


@dataclass(frozen=True)
class UnitRow:
    """One row of the list, checked: the unit as it will be stored."""

    row: int
    code: str
    name: str
    kind: str
    parent: str | None
    valid_from: int | None
    valid_to: int | None
    successors: tuple[str, ...]
    position: int | None


@dataclass(frozen=True)
class UnitsPlan:
    rows: tuple[UnitRow, ...]

    @property
    def new_codes(self) -> list[str]:
        known = set(Unit.objects.filter(code__in=self.codes).values_list("code", flat=True))
        return [code for code in self.codes if code not in known]

    @property
    def codes(self) -> list[str]:
        return [row.code for row in self.rows]


def cell_text(value: CellValue) -> str:
    return "" if value is None else str(value).strip()


def _year(value: CellValue) -> int | str | None:
    """A year as written (a number or a text of four digits); the text itself when it is none."""
    if value is None:
        return None
    if isinstance(value, bool):
        return cell_text(value)
    if isinstance(value, int | float) and float(value).is_integer():
        value = int(value)
        return value if 1900 <= value <= 2100 else str(value)
    text = cell_text(value)
    return int(text) if re.fullmatch(r"(19|20)\d\d|2100", text) else text


def read_units(data: bytes) -> UnitsPlan:
    """The units of an uploaded list; WorkbookError listing every problem otherwise."""
    rows = read_table(data, SHEET, (CODE, NAME, KIND), optional=COLUMNS[3:])
    if not rows:
        raise WorkbookError([_("The list has no unit.")])
    if len(rows) > MAX_UNITS:
        raise WorkbookError([_("The list has more than %(count)s units.") % {"count": MAX_UNITS}])
    problems: list[str] = []
    checked: list[UnitRow] = []
    seen: dict[str, int] = {}
    for row in rows:
        found = _checked_row(row, seen, problems)
        if found is not None:
            checked.append(found)
    try:
        plan = plan_units(checked)
    except WorkbookError as error:
        problems += error.messages
    if problems:
        raise WorkbookError(sorted(problems, key=attrgetter("row")))
    return plan


def plan_units(rows: list[UnitRow]) -> UnitsPlan:
    """Rows whose own cells are right, checked against one another and the stored units: the
    codes they name, the successions' years (a successor exists from the year after its
    predecessor's last), parents that never come back to a unit, years that keep every year of
    a unit's data. WorkbookError listing every problem otherwise. A row numbered 0 is one unit
    changed on its page: its messages name no row."""
    stored = {unit.code.casefold(): unit for unit in Unit.objects.all()}
    listed = {row.code.casefold(): row for row in rows}
    problems = []
    for row in rows:
        own = _span(row)
        problems += own or _references(row, listed, stored)
    if not problems:
        problems += (
            _predecessors(rows, stored) + _cycles(rows, stored) + _years_with_data(rows, stored)
        )
    if problems:
        raise WorkbookError(problems)
    # A code is written as the portal stores it, whatever its case in the list.
    canonical = {code: row.code for code, row in listed.items()} | {
        code: unit.code for code, unit in stored.items()
    }
    return UnitsPlan(
        tuple(
            UnitRow(
                **{
                    **row.__dict__,
                    "code": canonical[row.code.casefold()],
                    "parent": row.parent and canonical[row.parent.casefold()],
                    "successors": tuple(canonical[code.casefold()] for code in row.successors),
                }
            )
            for row in rows
        )
    )


class RowProblem(str):
    """A message about one row, which keeps the row's number: a list's problems are shown in the
    order of its rows, whichever check found them."""

    row: int


def row_problem(number: int, message: str) -> RowProblem:
    problem = RowProblem(
        _("Row %(row)s: %(problem)s") % {"row": number, "problem": message}
        if number
        else capfirst(message)
    )
    problem.row = number
    return problem


def _checked_row(row: WorkbookRow, seen: dict[str, int], problems: list[str]) -> UnitRow | None:
    """One row's own cells checked (not yet the codes it names); None when a cell is wrong."""
    number, before = row.number, len(problems)
    code, name = cell_text(row.get(CODE)), cell_text(row.get(NAME))
    kind_word = cell_text(row.get(KIND))
    kind = KIND_WORDS.get(kind_word.casefold())
    if not code:
        problems.append(row_problem(number, _("the code is missing.")))
    elif len(code) > 20 or not re.fullmatch(r"[\w.-]+", code):
        problems.append(
            row_problem(
                number,
                _("«%(code)s» is not a code (up to 20 letters, digits, . - or _).")
                % {"code": code},
            )
        )
    elif code.casefold() in seen:
        problems.append(
            row_problem(
                number,
                _("the code %(code)s is already on row %(first)s.")
                % {"code": code, "first": seen[code.casefold()]},
            )
        )
    else:
        seen[code.casefold()] = number
    if not name:
        problems.append(row_problem(number, _("the name is missing.")))
    elif len(name) > 200:
        problems.append(row_problem(number, _("the name is longer than 200 characters.")))
    if kind is None:
        problems.append(
            row_problem(
                number,
                _("«%(kind)s» is not a kind of unit; write one of: %(kinds)s.")
                % {"kind": kind_word, "kinds": ", ".join(KIND_WORDS)},
            )
        )
    years = {}
    for column in (VALID_FROM, VALID_TO):
        year = _year(row.get(column))
        if isinstance(year, str):
            problems.append(
                row_problem(
                    number,
                    _("«%(value)s» in «%(column)s» is not a year (1900 to 2100).")
                    % {"value": year, "column": column},
                )
            )
            year = None
        years[column] = year
    successors = tuple(
        part.strip() for part in re.split(r"[;,]", cell_text(row.get(SUCCESSORS))) if part.strip()
    )
    position = row.get(POSITION)
    if position is not None and not (
        isinstance(position, int | float)
        and not isinstance(position, bool)
        and float(position).is_integer()
        and 0 <= position <= 32767
    ):
        problems.append(
            row_problem(
                number,
                _("«%(value)s» in «%(column)s» is not a whole number from 0.")
                % {"value": position, "column": POSITION},
            )
        )
    if len(problems) > before:
        return None
    return UnitRow(
        row=number,
        code=code,
        name=name,
        kind=kind,
        parent=cell_text(row.get(PARENT)) or None,
        valid_from=years[VALID_FROM],
        valid_to=years[VALID_TO],
        successors=successors,
        position=None if position is None else int(position),
    )


def _span(row: UnitRow) -> list[str]:
    """A row's years in order, and a last year for a unit that became others."""
    problems = []
    if row.valid_from is not None and row.valid_to is not None and row.valid_from > row.valid_to:
        problems.append(
            row_problem(
                row.row,
                _("the first year %(first)s comes after the last year %(last)s.")
                % {"first": row.valid_from, "last": row.valid_to},
            )
        )
    if row.successors and row.valid_to is None:
        problems.append(
            row_problem(
                row.row, _("a unit that became others needs its last year («%s»).") % VALID_TO
            )
        )
    return problems


def _references(row: UnitRow, listed: dict[str, UnitRow], stored: dict[str, Unit]) -> list[str]:
    """What is wrong with the codes a checked row names: its parent and its successors, each in
    the list or stored, and each successor existing from the year after the row's last."""
    problems = []
    if row.parent is not None:
        if row.parent.casefold() == row.code.casefold():
            problems.append(row_problem(row.row, _("a unit cannot be its own parent.")))
        elif row.parent.casefold() not in listed and row.parent.casefold() not in stored:
            problems.append(
                row_problem(
                    row.row, _("there is no unit with the code «%(code)s».") % {"code": row.parent}
                )
            )
    for code in row.successors:
        key = code.casefold()
        if key == row.code.casefold():
            problems.append(row_problem(row.row, _("a unit cannot become itself.")))
            continue
        successor = listed.get(key) or stored.get(key)
        if successor is None:
            problems.append(
                row_problem(
                    row.row, _("there is no unit with the code «%(code)s».") % {"code": code}
                )
            )
            continue
        starts = successor.valid_from
        if starts is None or starts != row.valid_to + 1:
            problems.append(
                row_problem(
                    row.row,
                    _(
                        "%(successor)s must exist from %(year)s, the year after %(unit)s's last "
                        "(«%(column)s» of %(successor)s)."
                    )
                    % {
                        "successor": code,
                        "unit": row.code,
                        "year": row.valid_to + 1,
                        "column": VALID_FROM,
                    },
                )
            )
    return problems


def _predecessors(rows: list[UnitRow], stored: dict[str, Unit]) -> list[str]:
    """A listed unit's first year against the stored units it succeeds that the list leaves as
    they are: each must have ended the year before (one query)."""
    listed = {row.code.casefold(): row for row in rows}
    links = Unit.successors.through.objects.filter(
        to_unit__code__in=[row.code for row in rows if row.code.casefold() in stored]
    ).values_list("from_unit__code", "from_unit__valid_to", "to_unit__code")
    problems = []
    for before, last, code in links:
        row = listed.get(code.casefold())
        if before.casefold() in listed or row is None:
            continue  # a predecessor in the list was checked as a row
        if row.valid_from is None or last is None or row.valid_from != last + 1:
            problems.append(
                row_problem(
                    row.row,
                    _(
                        "%(unit)s succeeds %(before)s, which existed until %(last)s: it must exist "
                        "from %(year)s («%(column)s»)."
                    )
                    % {
                        "unit": row.code,
                        "before": before,
                        "last": last,
                        "year": "?" if last is None else last + 1,
                        "column": VALID_FROM,
                    },
                )
            )
    return problems


def _cycles(rows: list[UnitRow], stored: dict[str, Unit]) -> list[str]:
    """A unit above itself through its parents, once the list is applied."""
    parent_of = {
        code: (unit.parent.code.casefold() if unit.parent_id else None)
        for code, unit in _with_parents(stored).items()
    }
    parent_of |= {row.code.casefold(): row.parent and row.parent.casefold() for row in rows}
    problems = []
    for row in rows:
        seen, code = {row.code.casefold()}, parent_of.get(row.code.casefold())
        while code is not None:
            if code in seen:
                problems.append(
                    row_problem(
                        row.row, _("the units above %(code)s come back to it.") % {"code": row.code}
                    )
                )
                break
            seen.add(code)
            code = parent_of.get(code)
    return problems


def _with_parents(stored: dict[str, Unit]) -> dict[str, Unit]:
    by_pk = {unit.pk: unit for unit in stored.values()}
    for unit in stored.values():
        if unit.parent_id:
            unit.parent = by_pk[unit.parent_id]
    return stored


def _years_with_data(rows: list[UnitRow], stored: dict[str, Unit]) -> list[str]:
    """A stored unit's years narrowed past a year that holds its data: the data would belong to a
    year the unit no longer has. Every model with a unit and a year counts (values, reported
    lines, documents, explanations, decisions, records, …): found through the unit's relations,
    so that this app need not know the apps above it. One query per such model."""
    narrowed = {
        stored[row.code.casefold()].pk: row
        for row in rows
        if row.code.casefold() in stored
        and (row.valid_from is not None or row.valid_to is not None)
    }
    if not narrowed:
        return []
    spans: dict[int, tuple[int, int]] = {}
    for relation in Unit._meta.related_objects:
        model = relation.related_model
        if relation.many_to_many or "year" not in {field.name for field in model._meta.fields}:
            continue
        found = (
            model._base_manager.filter(**{f"{relation.field.name}__in": list(narrowed)})
            .values(relation.field.name)
            .annotate(first=Min("year"), last=Max("year"))
        )
        for item in found:
            unit_id = item[relation.field.name]
            first, last = spans.get(unit_id, (item["first"], item["last"]))
            spans[unit_id] = (min(first, item["first"]), max(last, item["last"]))
    problems = []
    for unit_id, (first, last) in sorted(spans.items(), key=lambda item: narrowed[item[0]].row):
        row = narrowed[unit_id]
        if (row.valid_from is not None and first < row.valid_from) or (
            row.valid_to is not None and last > row.valid_to
        ):
            problems.append(
                row_problem(
                    row.row,
                    _("%(code)s has data from %(first)s to %(last)s: its years must include them.")
                    % {"code": row.code, "first": first, "last": last},
                )
            )
    return problems


def units_apply(plan: UnitsPlan) -> None:
    """Write a checked list in one transaction: every listed unit first, without its parent
    (a row's parent may be a later row), then each one's parent and successors."""
    with transaction.atomic():
        units = {unit.code: unit for unit in Unit.objects.filter(code__in=plan.codes)}
        for row in plan.rows:
            unit = units.setdefault(row.code, Unit(code=row.code))
            unit.name, unit.kind = row.name, row.kind
            unit.valid_from, unit.valid_to = row.valid_from, row.valid_to
            if row.position is not None:
                unit.position = row.position
            unit.parent = None
            unit.save()
        others = {
            unit.code: unit
            for unit in Unit.objects.filter(
                code__in={row.parent for row in plan.rows if row.parent}
                | {code for row in plan.rows for code in row.successors}
            )
        }
        for row in plan.rows:
            unit = units[row.code]
            unit.parent = others[row.parent] if row.parent else None
            unit.full_clean()
            unit.save()
            unit.successors.set([others[code] for code in row.successors])


def rows_of(units: Iterable[Unit]) -> list[UnitRow]:
    """Stored units as rows of the list (their successors prefetched, or one query each)."""
    return [
        UnitRow(
            row=0,
            code=unit.code,
            name=unit.name,
            kind=unit.kind,
            parent=unit.parent.code if unit.parent_id else None,
            valid_from=unit.valid_from,
            valid_to=unit.valid_to,
            successors=tuple(successor.code for successor in unit.successors.all()),
            position=unit.position,
        )
        for unit in units
    ]


def build_units_workbook(rows: Iterable[UnitRow], *, note: str = "") -> bytes:
    """The list as `read_units` reads it; `note`, when given, on the first row above the header
    (an example says there that it is one)."""
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    header = 1
    if note:
        set_text(sheet.cell(1, 1), note)
        sheet.cell(1, 1).font = Font(bold=True, color="C00000")
        header = 2
    for column, name in enumerate(COLUMNS, start=1):
        set_text(sheet.cell(header, column), name)
        sheet.cell(header, column).font = Font(bold=True)
    for number, row in enumerate(rows, start=header + 1):
        values = [
            row.code,
            row.name,
            KIND_OF_WORD[row.kind],
            row.parent,
            row.valid_from,
            row.valid_to,
            "; ".join(row.successors),
            row.position,
        ]
        for column, value in enumerate(values, start=1):
            if isinstance(value, int):
                sheet.cell(number, column).value = value
            elif value:
                set_text(sheet.cell(number, column), value)
    for letter, width in zip("ABCDEFGH", (14, 36, 12, 20, 9, 9, 30, 8), strict=True):
        sheet.column_dimensions[letter].width = width
    out = BytesIO()
    book.save(out)
    return out.getvalue()
