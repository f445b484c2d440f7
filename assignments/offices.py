"""Commune offices in bulk from an Excel list (sheet «Phòng phụ trách»): from the 2025
reorganisation each commune, ward or special zone reports through its own office, as a district
education office did for its district. Read with every guard of common.excel, checked row by
row — all or nothing, each problem with its row number; each new office leads every indicator of
the commune sets (as district offices lead the district sets). Accounts are then made for their
people from the accounts list (its «Mã phòng/đơn vị» column names the office)."""

import re
from dataclasses import dataclass
from io import BytesIO

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from common.excel import WorkbookError, read_table, set_text
from criteria.models import CriteriaSet

from .models import Department, Unit
from .services import offices_lead_set
from .units import cell_text, row_problem

SHEET = "Phòng phụ trách"
CODE = "Mã phòng"
NAME = "Tên phòng"
UNIT = "Mã xã/phường"
MAX_OFFICES = 5_000
#: The name the list proposes for a commune's office (the office that most often has the work).
PROPOSED_NAME = "Phòng Văn hóa - Xã hội {unit}"


@dataclass(frozen=True)
class NewOffice:
    row: int
    code: str
    name: str
    unit: Unit


def read_offices(data: bytes) -> list[NewOffice]:
    """The commune offices of an uploaded list; WorkbookError listing every problem otherwise."""
    rows = read_table(data, SHEET, (CODE, NAME, UNIT))
    if not rows:
        raise WorkbookError([_("The list has no office.")])
    if len(rows) > MAX_OFFICES:
        raise WorkbookError(
            [_("The list has more than %(count)s offices.") % {"count": MAX_OFFICES}]
        )
    taken = {code.casefold() for code in Department.objects.values_list("code", flat=True)}
    units = {unit.code.casefold(): unit for unit in Unit.objects.select_related("education_office")}
    seen_codes: dict[str, int] = {}
    seen_units: dict[int, int] = {}
    offices, problems = [], []
    for row in rows:
        number, before = row.number, len(problems)
        code, name, unit_code = (cell_text(row.get(column)) for column in (CODE, NAME, UNIT))
        if not code or len(code) > 30 or not re.fullmatch(r"[\w.&-]+", code):
            problems.append(
                row_problem(
                    number,
                    _("«%(code)s» is not an office code (up to 30 letters, digits, . & - or _).")
                    % {"code": code},
                )
            )
        elif code.casefold() in taken:
            problems.append(row_problem(number, _("the code %(code)s is taken.") % {"code": code}))
        elif code.casefold() in seen_codes:
            problems.append(
                row_problem(
                    number,
                    _("the code %(code)s is already on row %(first)s.")
                    % {"code": code, "first": seen_codes[code.casefold()]},
                )
            )
        seen_codes.setdefault(code.casefold(), number)
        if not name:
            problems.append(row_problem(number, _("the name is missing.")))
        elif len(name) > 200:
            problems.append(row_problem(number, _("the name is longer than 200 characters.")))
        unit = units.get(unit_code.casefold())
        if unit is None:
            problems.append(
                row_problem(
                    number, _("there is no unit with the code «%(code)s».") % {"code": unit_code}
                )
            )
        elif unit.level != CriteriaSet.Level.COMMUNE:
            problems.append(
                row_problem(
                    number,
                    _("%(unit)s is not a commune, ward or special zone.") % {"unit": unit.name},
                )
            )
        elif hasattr(unit, "education_office") or unit.pk in seen_units:
            problems.append(
                row_problem(number, _("%(unit)s already has its office.") % {"unit": unit.name})
            )
        else:
            seen_units[unit.pk] = number
        if len(problems) == before:
            offices.append(NewOffice(number, code, name, unit))
    if problems:
        raise WorkbookError(problems)
    return offices


def offices_create(offices: list[NewOffice]) -> list[Department]:
    """Create the offices, each leading every indicator of the commune sets, in one
    transaction."""
    with transaction.atomic():
        position = max(Department.objects.values_list("position", flat=True), default=0)
        created = [
            Department.objects.create(
                code=office.code,
                name=office.name,
                kind=Department.Kind.COMMUNE_OFFICE,
                unit=office.unit,
                position=position + number,
            )
            for number, office in enumerate(offices, start=1)
        ]
        for criteria_set in CriteriaSet.objects.filter(level=CriteriaSet.Level.COMMUNE):
            offices_lead_set(criteria_set, created)
    return created


def build_offices_template(units: list[Unit]) -> bytes:
    """The list to fill in: one row per commune without an office yet, its code and a name
    proposed (to correct where the commune names its office otherwise)."""
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    for column, name in enumerate((CODE, NAME, UNIT), start=1):
        set_text(sheet.cell(1, column), name)
        sheet.cell(1, column).font = Font(bold=True)
    for row, unit in enumerate(units, start=2):
        set_text(sheet.cell(row, 1), f"VHXH-{unit.code}")
        set_text(sheet.cell(row, 2), PROPOSED_NAME.format(unit=unit.name))
        set_text(sheet.cell(row, 3), unit.code)
    for letter, width in zip("ABC", (20, 50, 16), strict=True):
        sheet.column_dimensions[letter].width = width
    out = BytesIO()
    book.save(out)
    return out.getvalue()
