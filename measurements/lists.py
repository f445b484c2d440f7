"""Shares counted from lists (danh sách) instead of typed numbers.

- 2.1.1: city-level agencies with their learning-unit score (Thông tư 22/2020: 70 to under 85 is
  "Khá", 85–100 "Tốt") or the rating published (Tốt / Khá / Trung bình / Chưa đạt), uploaded from
  Excel; an agency counts when it scores at least 70 or is rated Khá or Tốt. An agency not rated
  yet ("Chưa đánh giá") stays in the denominator.
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
from django.utils import translation
from django.utils.translation import gettext, ngettext
from openpyxl import Workbook
from openpyxl.styles import Font

from assignments.models import Unit
from assignments.permissions import Actor
from common.excel import WorkbookError, read_table, set_text, set_value
from common.numbers import NumberFormatError, parse_count, parse_decimal, show_number
from common.text import fold
from criteria.models import Indicator, ListSource

from . import services
from .models import ListItem, Measurement, Rating

#: Thông tư 22/2020/TT-BGDĐT: a learning unit scoring 70 or more is rated "Khá" or better.
GOOD_SCORE = Decimal(70)
AGENCY_SHEET = "Danh sách"
AGENCY_NAME = "Tên cơ quan, đơn vị"
AGENCY_SCORE = "Điểm"
AGENCY_RATING = "Xếp loại"
AGENCY_RATING_YEAR = "Năm xếp loại"
AGENCY_DECISION = "Số quyết định"
#: The columns of the agency sheet, in the order the template writes them (only the name is
#: required; each line gives a score, a rating, or both).
AGENCY_COLUMNS = (AGENCY_NAME, AGENCY_SCORE, AGENCY_RATING, AGENCY_RATING_YEAR, AGENCY_DECISION)
#: The ratings that count: Khá or better.
COUNTED_RATINGS = frozenset({Rating.GOOD, Rating.FAIR})
MAX_ITEMS = 1_000


@dataclass(frozen=True)
class ItemData:
    """One line of a list as a person gives it."""

    name: str
    score: Decimal | None = None
    flag: bool | None = None
    district: Unit | None = None
    rating: str = ""
    rating_year: int | None = None
    decision_number: str = ""


def is_counted(source: str, item: ItemData | ListItem) -> bool:
    """Whether a line counts in the numerator: an agency scoring ≥ 70 or rated Khá or Tốt, a
    district with a yes."""
    if source == ListSource.AGENCY_SCORES:
        if item.rating:
            return item.rating in COUNTED_RATINGS
        return item.score is not None and item.score >= GOOD_SCORE
    return bool(item.flag)


def counts(source: str, items: Sequence[ItemData]) -> tuple[int, int]:
    """(numerator, denominator) of a list: every line is in the denominator (an agency not rated
    yet included); agencies Khá or better, or districts with a yes, in the numerator."""
    return sum(1 for item in items if is_counted(source, item)), len(items)


def _agency_problems(number: int, item: ItemData) -> list[str]:
    """The rating names quoted are the contract's (the words typed in the list), in every
    language."""
    problems = []
    figures = {
        "line": number,
        "good": Rating.GOOD.label,
        "fair": Rating.FAIR.label,
        "average": Rating.AVERAGE.label,
        "not_passed": Rating.NOT_PASSED.label,
        "not_rated": Rating.NOT_RATED.label,
    }
    if item.score is not None and not Decimal(0) <= item.score <= Decimal(100):
        problems.append(
            gettext("Line %(line)s: the score must be a number from 0 to 100.") % figures
        )
    elif item.score is None and not item.rating:
        problems.append(
            gettext(
                "Line %(line)s: write a score (0–100) or a rating (%(good)s, %(fair)s, "
                "%(average)s, %(not_passed)s; «%(not_rated)s» for a unit not rated yet)."
            )
            % figures
        )
    elif item.score is not None and item.rating == Rating.NOT_RATED:
        problems.append(gettext("Line %(line)s: a unit «%(not_rated)s» has no score.") % figures)
    elif item.score is not None and item.rating:
        by_score = item.score >= GOOD_SCORE
        if by_score != (item.rating in COUNTED_RATINGS):
            problems.append(
                gettext(
                    "Line %(line)s: the score %(score)s does not match the rating «%(rating)s» "
                    "(from %(good_score)s points, the rating is %(fair)s or better)."
                )
                % {
                    **figures,
                    "score": show_number(item.score),
                    "rating": Rating(item.rating).label,
                    "good_score": show_number(GOOD_SCORE),
                }
            )
    if item.rating_year is not None and not 2000 <= item.rating_year <= 2100:
        problems.append(
            gettext("Line %(line)s: the rating year must be from %(first)s to %(last)s.")
            % {"line": number, "first": 2000, "last": 2100}
        )
    if len(item.decision_number) > 100:
        problems.append(
            gettext("Line %(line)s: the decision number is longer than %(max)s characters.")
            % {"line": number, "max": 100}
        )
    return problems


def check_items(source: str, items: Sequence[ItemData]) -> list[str]:
    """Every problem of a list, in the reader's language, line by line (an empty list is a
    problem too)."""
    problems = []
    if not items:
        problems.append(gettext("The list is empty."))
    if len(items) > MAX_ITEMS:
        problems.append(gettext("The list has more than %(max)s lines.") % {"max": MAX_ITEMS})
    seen: set[str] = set()
    for number, item in enumerate(items, start=1):
        name = item.name.strip()
        if not name:
            problems.append(gettext("Line %(line)s: the name is missing.") % {"line": number})
        elif len(name) > 300:
            problems.append(
                gettext("Line %(line)s: the name is longer than %(max)s characters.")
                % {"line": number, "max": 300}
            )
        elif name.casefold() in seen:
            problems.append(
                gettext("Line %(line)s: «%(name)s» is in the list twice.")
                % {"line": number, "name": name}
            )
        seen.add(name.casefold())
        if source == ListSource.AGENCY_SCORES:
            problems += _agency_problems(number, item)
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
        raise ValidationError(gettext("This indicator is not entered as a list."), code="no_list")
    problems = check_items(indicator.list_source, items)
    if problems:
        raise ValidationError(problems, code="bad_list")
    numerator, denominator = counts(indicator.list_source, items)
    # The note is stored with the entry and read by everyone: in Vietnamese, like notifications.
    with translation.override("vi"):
        note = ngettext(
            "Counted from a list of %(count)s line.",
            "Counted from a list of %(count)s lines.",
            denominator,
        ) % {"count": denominator}
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
                rating=item.rating,
                rating_year=item.rating_year,
                decision_number=item.decision_number.strip(),
                flag=item.flag,
                district=item.district,
            )
            for position, item in enumerate(items, start=1)
        )
    return measurement


def read_agency_list(data: bytes) -> list[ItemData]:
    """Agencies with their score and/or rating, the year rated and the decision number, from a
    workbook (sheet "Danh sách"); WorkbookError otherwise."""
    rows = read_table(data, AGENCY_SHEET, (AGENCY_NAME,), optional=AGENCY_COLUMNS[1:])
    items, problems = [], []
    for row in rows:
        name = row.get(AGENCY_NAME)
        try:
            score = (
                parse_decimal(row.get(AGENCY_SCORE)) if row.get(AGENCY_SCORE) is not None else None
            )
            year = row.get(AGENCY_RATING_YEAR)
            rating_year = parse_count(year) if year not in (None, "") else None
        except NumberFormatError as error:
            problems.append(
                gettext("Row %(row)s: %(message)s") % {"row": row.number, "message": error.message}
            )
            continue
        rating = _rating(row.get(AGENCY_RATING))
        if rating is None:
            problems.append(
                gettext("Row %(row)s: «%(value)s» is not a rating; write %(ratings)s.")
                % {
                    "row": row.number,
                    "value": row.get(AGENCY_RATING),
                    "ratings": ", ".join(f"«{label}»" for label in Rating.labels),
                }
            )
            continue
        decision = row.get(AGENCY_DECISION)
        items.append(
            ItemData(
                name=str(name or ""),
                score=score,
                rating=rating,
                rating_year=rating_year,
                decision_number="" if decision is None else str(decision),
            )
        )
    if problems:
        raise WorkbookError(problems)
    return items


def _rating(value: object) -> str | None:
    """The rating a cell names (any case, with or without diacritics); "" when empty."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return ""
    wanted = fold(str(value))
    return next((r.value for r in Rating if wanted in (fold(r.label), fold(r.value))), None)


def build_agency_workbook(items: Sequence[ListItem]) -> bytes:
    """The agency list as a workbook to fill in and upload again (sheet "Danh sách")."""
    book = Workbook()
    sheet = book.active
    sheet.title = AGENCY_SHEET
    for column, name in enumerate(AGENCY_COLUMNS, start=1):
        set_text(sheet.cell(1, column), name)
        sheet.cell(1, column).font = Font(bold=True)
    for letter, width in zip("ABCDE", (60, 10, 16, 14, 22), strict=True):
        sheet.column_dimensions[letter].width = width
    for row, item in enumerate(items, start=2):
        set_text(sheet.cell(row, 1), item.name)  # a name is text, whatever it begins with
        set_value(sheet.cell(row, 2), item.score)
        set_text(sheet.cell(row, 3), Rating(item.rating).label if item.rating else "")
        set_value(sheet.cell(row, 4), item.rating_year)
        set_text(sheet.cell(row, 5), item.decision_number)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
