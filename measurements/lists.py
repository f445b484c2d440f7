"""Shares counted from lists (danh sách) instead of typed numbers.

- 2.1.1: city-level agencies with their learning-unit score (Thông tư 22/2020: 70 to under 85 is
  "Khá", 85–100 "Tốt"), uploaded from Excel; an agency counts when its score is at least 70.
- 2.2.4: a yes/no per district (free wifi coverage).

An agency or district list is stored with the entry it gives numbers to (`ListItem`): saving the
list saves the entry's numerator and denominator as submitted, so review, locking and history
apply as to any value. 2.1.2 is counted from the districts' verdicts, which are not stored but
computed when asked (evaluation/selectors.py).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from openpyxl import Workbook
from openpyxl.styles import Font

from assignments.models import Unit
from assignments.permissions import Actor
from common.excel import WorkbookError, read_table, set_text, set_value
from common.numbers import NumberFormatError, parse_decimal
from criteria.models import Indicator, ListSource

from . import services
from .models import ListItem, Measurement

#: Thông tư 22/2020/TT-BGDĐT: a learning unit scoring 70 or more is rated "Khá" or better.
GOOD_SCORE = Decimal(70)
AGENCY_SHEET = "Danh sách"
AGENCY_NAME = "Tên cơ quan, đơn vị"
AGENCY_SCORE = "Điểm"
MAX_ITEMS = 1_000


@dataclass(frozen=True)
class ItemData:
    """One line of a list as a person gives it."""

    name: str
    score: Decimal | None = None
    flag: bool | None = None
    district: Unit | None = None


def is_counted(source: str, item: ItemData | ListItem) -> bool:
    """Whether a line counts in the numerator: an agency scoring ≥ 70, a district with a yes."""
    if source == ListSource.AGENCY_SCORES:
        return item.score is not None and item.score >= GOOD_SCORE
    return bool(item.flag)


def counts(source: str, items: Sequence[ItemData]) -> tuple[int, int]:
    """(numerator, denominator) of a list: agencies scoring ≥ 70, or districts with a yes."""
    return sum(1 for item in items if is_counted(source, item)), len(items)


def check_items(source: str, items: Sequence[ItemData]) -> list[str]:
    """Every problem of a list, in Vietnamese, line by line (an empty list is a problem too)."""
    problems = []
    if not items:
        problems.append("Danh sách trống.")
    if len(items) > MAX_ITEMS:
        problems.append(f"Danh sách có quá {MAX_ITEMS} dòng.")
    seen: set[str] = set()
    for number, item in enumerate(items, start=1):
        name = item.name.strip()
        if not name:
            problems.append(f"Dòng {number}: thiếu tên.")
        elif len(name) > 300:
            problems.append(f"Dòng {number}: tên dài quá 300 ký tự.")
        elif name.casefold() in seen:
            problems.append(f"Dòng {number}: «{name}» có hai lần trong danh sách.")
        seen.add(name.casefold())
        if source == ListSource.AGENCY_SCORES and (
            item.score is None or not Decimal(0) <= item.score <= Decimal(100)
        ):
            problems.append(f"Dòng {number}: điểm phải là số từ 0 đến 100.")
    return problems


def list_save(
    *,
    actor: Actor,
    user: User,
    indicator: Indicator,
    unit: Unit,
    year: int,
    items: Sequence[ItemData],
    expected_version: int | None,
) -> Measurement:
    """Replace a list and submit the share it gives, all or nothing."""
    if not indicator.has_stored_list:
        raise ValidationError("Chỉ báo này không nhập theo danh sách.", code="no_list")
    problems = check_items(indicator.list_source, items)
    if problems:
        raise ValidationError(problems, code="bad_list")
    numerator, denominator = counts(indicator.list_source, items)
    note = f"Tính từ danh sách {denominator} dòng."
    with transaction.atomic():
        measurement = services.measurement_save(
            actor=actor,
            user=user,
            indicator=indicator,
            unit=unit,
            year=year,
            data=services.MeasurementData(numerator=numerator, denominator=denominator, note=note),
            expected_version=expected_version,
            submit=True,
            from_list=True,
        )
        ListItem.objects.filter(measurement=measurement).delete()
        ListItem.objects.bulk_create(
            ListItem(
                measurement=measurement,
                position=position,
                name=item.name.strip(),
                score=item.score,
                flag=item.flag,
                district=item.district,
            )
            for position, item in enumerate(items, start=1)
        )
    return measurement


def read_agency_list(data: bytes) -> list[ItemData]:
    """Agencies and their scores from a workbook (sheet "Danh sách"); WorkbookError otherwise."""
    rows = read_table(data, AGENCY_SHEET, (AGENCY_NAME, AGENCY_SCORE))
    items, problems = [], []
    for row in rows:
        name = row.get(AGENCY_NAME)
        try:
            score = (
                parse_decimal(row.get(AGENCY_SCORE)) if row.get(AGENCY_SCORE) is not None else None
            )
        except NumberFormatError as error:
            problems.append(f"Dòng {row.number}: {error.message}")
            continue
        items.append(ItemData(name=str(name or ""), score=score))
    if problems:
        raise WorkbookError(problems)
    return items


def build_agency_workbook(items: Sequence[ListItem]) -> bytes:
    """The agency list as a workbook to fill in and upload again (sheet "Danh sách")."""
    book = Workbook()
    sheet = book.active
    sheet.title = AGENCY_SHEET
    for column, name in enumerate((AGENCY_NAME, AGENCY_SCORE), start=1):
        set_text(sheet.cell(1, column), name)
        sheet.cell(1, column).font = Font(bold=True)
    sheet.column_dimensions["A"].width = 60
    sheet.column_dimensions["B"].width = 12
    for row, item in enumerate(items, start=2):
        set_text(sheet.cell(row, 1), item.name)  # a name is text, whatever it begins with
        set_value(sheet.cell(row, 2), item.score)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
