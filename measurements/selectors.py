"""Reads of reported values, each a constant number of queries."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from assignments.models import Department, Unit
from common.numbers import show_number, trim_decimal
from common.sentences import Sentence, change
from criteria.models import CriteriaSet, Indicator
from criteria.scoring import kind_facts
from evidence.selectors import unsupported

from .models import (
    OFFICIAL_STATUSES,
    PROVISIONAL_STATUSES,
    Measurement,
    PartValue,
    ReportedLine,
)

if TYPE_CHECKING:
    from .services import MeasurementData


def exact_years(years: Iterable[int], *, back: int = 0) -> Q:
    """Rows of the given years (each minus `back`), by exact lookups rather than `year__in`:
    Django turns an out-of-range year (a forged URL) into an empty result for an exact lookup,
    where `__in` would overflow the database integer. An empty Q when no year is given."""
    wanted = Q()
    for year in years:
        wanted |= Q(year=year - back)
    return wanted


def approved_last_year(
    unit_ids: Iterable[int],
    years: Iterable[int],
    *,
    indicator_ids: Iterable[int] | None = None,
) -> dict[tuple[int, int, int], Decimal]:
    """(unit id, year, indicator id) → the value approved for the year before: what a drop or an
    increase without a previous value is compared with (and what "last year" shows) — only when
    it was measured under the standard the indicator is measured under now (a poverty rate of
    the old standard is not compared with one of the new). One query however many units, years
    and indicators."""
    wanted_years = exact_years(years, back=1)
    if not wanted_years:
        return {}
    approved = Measurement.objects.filter(
        wanted_years,
        unit_id__in=list(unit_ids),
        status=Measurement.Status.APPROVED,
        value__isnull=False,
        basis=F("indicator__basis"),
    )
    if indicator_ids is not None:
        approved = approved.filter(indicator_id__in=list(indicator_ids))
    rows = approved.values_list("unit_id", "year", "indicator_id", "value")
    return {(unit, year + 1, indicator): value for unit, year, indicator, value in rows}


def previous_year_values(unit: Unit, year: int, indicators: Iterable[int]) -> dict[int, Decimal]:
    """Last year's approved value per indicator id, for one unit-year."""
    values = approved_last_year([unit.pk], [year], indicator_ids=indicators)
    return {indicator: value for (_, _, indicator), value in values.items()}


def approved_entry_last_year(indicator: Indicator, unit: Unit, year: int) -> Measurement | None:
    """The entry approved for the year before, whatever the indicator's kind (a yes, two counts,
    parts…), with its parts' figures: what the entry page shows as last year's beside the form —
    only when measured under the standard the indicator is measured under now, as
    `approved_last_year`. Two queries."""
    return (
        Measurement.objects.filter(
            exact_years([year], back=1),
            indicator=indicator,
            unit=unit,
            status=Measurement.Status.APPROVED,
            basis=indicator.basis,
        )
        .prefetch_related(
            Prefetch("part_values", queryset=PartValue.objects.select_related("part"))
        )
        .first()
    )


def entry_for(indicator: Indicator, unit: Unit, year: int) -> Measurement | None:
    """The stored entry of an indicator for a unit and year (the unit already checked by the
    caller's access helper), if there is one."""
    return Measurement.objects.filter(indicator=indicator, unit=unit, year=year).first()


def review_queue() -> QuerySet[Measurement]:
    """Entries waiting for the standing office, oldest first."""
    return (
        Measurement.objects.filter(status=Measurement.Status.SUBMITTED)
        .select_related("indicator", "unit", "submitted_by")
        .prefetch_related(
            "indicator__parts",
            Prefetch("part_values", queryset=PartValue.objects.select_related("part")),
        )
        .order_by("submitted_at", "pk")
    )


#: What a reviewer is told changed, in this order.
_WATCHED = ("status", "yes", "numerator", "denominator", "value", "previous", "note")


def changes_since(measurement: Measurement, version: int | None) -> list[Sentence]:
    """What differs between the entry as it is and its `version` (from its history), one
    "label: before → after" each, in the active language; empty when that version is unknown."""
    if version is None:
        return []
    before = measurement.history.filter(version=version).order_by("-history_id").first()
    if before is None:
        return []
    changes = []
    for name in _WATCHED:
        old, new = getattr(before, name), getattr(measurement, name)
        if old != new:
            label = Measurement._meta.get_field(name).verbose_name
            changes.append(change(label, _shown(name, old), _shown(name, new)))
    return changes + _part_changes_since(measurement, version)


def _part_changes_since(measurement: Measurement, version: int) -> list[Sentence]:
    """What changed in the figures of its parts: a part's figures as of `version` are its history
    record of the latest version up to it (parts are stamped with the entry's version when
    written), "a) tử số: 95 → 90"."""
    as_seen = {}
    for record in PartValue.history.filter(
        measurement_id=measurement.pk, version__lte=version
    ).order_by("version", "history_id"):
        as_seen[record.part_id] = record
    changes = []
    for current in measurement.part_values.select_related("part"):
        before = as_seen.get(current.part_id)
        for name in ("numerator", "denominator", "value"):
            old = getattr(before, name) if before is not None else None
            new = getattr(current, name)
            if old != new:
                label = f"{current.part.code}) {PartValue._meta.get_field(name).verbose_name}"
                changes.append(change(label, _shown(name, old), _shown(name, new)))
    return changes


def _shown(name: str, value: object) -> str:
    if value is None or value == "":
        return "—"
    if name == "status":
        return str(Measurement.Status(value).label)
    if name == "yes":
        return str(_("Yes") if value else _("No"))
    if isinstance(value, (int, Decimal)):
        return show_number(trim_decimal(Decimal(value)))
    return str(value)


def changes_to(measurement: Measurement | None, data: "MeasurementData") -> list[Sentence]:
    """What saving `data` would change in a stored entry (None: none yet, so every figure given),
    one "Label: before → after" each in the active language, its parts' figures after its own
    ("a) Tử số: 95 → 90"): what an import's preview says before anything is written. The entry's
    parts are read with their parts (prefetched where entries are read in bulk)."""
    changes = []
    for name in _HISTORY_FIELDS:
        if name == "not_applicable_reason":  # never given by a form or a workbook
            continue
        old = getattr(measurement, name) if measurement is not None else None
        new = getattr(data, name)
        if old != new and not (old in (None, "") and new in (None, "")):
            label = capfirst(Measurement._meta.get_field(name).verbose_name)
            changes.append(change(label, _shown(name, old), _shown(name, new)))
    was_estimate = measurement is not None and measurement.is_estimate
    if data.estimate is not None and data.estimate != was_estimate:
        label = capfirst(Measurement._meta.get_field("is_estimate").verbose_name)
        changes.append(change(label, _shown("yes", was_estimate), _shown("yes", data.estimate)))
    stored = {} if measurement is None else {v.part.code: v for v in measurement.part_values.all()}
    for code in sorted(stored.keys() | data.parts.keys()):
        before, after = stored.get(code), data.parts.get(code)
        for name in ("numerator", "denominator", "value"):
            old, new = getattr(before, name, None), getattr(after, name, None)
            if old != new:
                label = f"{code}) {PartValue._meta.get_field(name).verbose_name}"
                changes.append(change(label, _shown(name, old), _shown(name, new)))
    return changes


def unsupported_claims(entries: Iterable[Measurement]) -> list[Measurement]:
    """The yes/no entries that say «yes» while the unit has neither a document in force attached
    to the indicator that year nor an explanation recorded: such a claim is not approved (the
    committee signs the claim, not the tick). Two queries however many entries."""
    claims = {
        (entry.unit_id, entry.year, entry.indicator_id): entry
        for entry in entries
        if "yes" in kind_facts(entry.indicator.kind).fields and entry.yes
    }
    return [claims[key] for key in sorted(unsupported(claims))]


def counted_from_district_verdicts(indicator: Indicator, unit: Unit) -> bool:
    """Whether a unit's share of an indicator is counted from the committee's recognitions of
    the districts (evaluation/selectors.py) and never typed: 2.1.2 of the city."""
    return indicator.counts_district_verdicts and unit.is_city


# --- Reported lines (3.2.3) ----------------------------------------------------------------------


@dataclass(frozen=True)
class LineTotal:
    """The sums of the lines that count for an indicator of a unit and year."""

    numerator: int
    denominator: int
    lines: int


def reported_line_totals(
    unit_ids: Iterable[int],
    years: Iterable[int],
    indicator_ids: Iterable[int],
    statuses: Iterable[str],
) -> dict[tuple[int, int, int], LineTotal]:
    """(unit id, year, indicator id) → the sums of the lines in the given review statuses:
    what a unit's indicator counted from reported lines reads. One query."""
    wanted_years = exact_years(years)
    indicator_ids = list(indicator_ids)
    if not wanted_years or not indicator_ids:
        return {}
    rows = (
        ReportedLine.objects.filter(
            wanted_years,
            unit_id__in=list(unit_ids),
            indicator_id__in=indicator_ids,
            status__in=list(statuses),
        )
        .values("unit_id", "year", "indicator_id")
        .annotate(numerator=Sum("numerator"), denominator=Sum("denominator"), lines=Count("pk"))
        .order_by()
    )
    return {
        (row["unit_id"], row["year"], row["indicator_id"]): LineTotal(
            row["numerator"], row["denominator"], row["lines"]
        )
        for row in rows
    }


def is_reporter(department: Department) -> bool:
    """Whether a department assigned to an indicator counted from reported lines is expected to
    report a line: every one but the divisions of the Sở, which compile it (3.2.3: the district
    offices, the upper-secondary schools, the TT GDNN-GDTX and the units under the Sở)."""
    return department.kind != Department.Kind.DIVISION


def line_writers(indicator: Indicator) -> list[Department]:
    """The departments a line may belong to: those assigned to the indicator — the reporters,
    and the divisions compiling it (`is_reporter`)."""
    return list(
        Department.objects.filter(assignments__indicator=indicator)
        .distinct()
        .order_by("position", "name")
    )


def lines_of(indicator: Indicator, unit: Unit, year: int) -> list[ReportedLine]:
    """A unit's reported lines of an indicator in a year, with their departments."""
    return list(
        ReportedLine.objects.filter(indicator=indicator, unit=unit, year=year)
        .select_related("department", "updated_by", "reviewed_by")
        .order_by("department__position", "department__name")
    )


@dataclass(frozen=True)
class LineRow:
    """One department of an indicator counted from reported lines, and its line (None: it has
    not reported). `reporter`: expected to report (a division compiles and may add a line)."""

    department: Department
    line: ReportedLine | None
    reporter: bool


@dataclass(frozen=True)
class LinesPicture:
    """A unit-year's reported lines of an indicator: every department's row, who has not
    reported yet, and the sums officially (approved lines) and provisionally (and submitted)."""

    rows: list[LineRow]
    official: LineTotal | None
    provisional: LineTotal | None
    #: Only one department's row is kept (`only`): the counts of reporters still hold.
    partial: bool = False
    reporter_count: int | None = None
    reported_count: int | None = None

    def only(self, department: Department | None) -> "LinesPicture":
        """The picture as one department sees it: its own row, the sums and the counts."""
        return LinesPicture(
            [row for row in self.rows if department and row.department.pk == department.pk],
            self.official,
            self.provisional,
            partial=True,
            reporter_count=self.reporters,
            reported_count=self.reported,
        )

    @property
    def missing(self) -> list[Department]:
        return [row.department for row in self.rows if row.reporter and row.line is None]

    @property
    def reporters(self) -> int:
        if self.reporter_count is not None:
            return self.reporter_count
        return sum(1 for row in self.rows if row.reporter)

    @property
    def reported(self) -> int:
        if self.reported_count is not None:
            return self.reported_count
        return sum(1 for row in self.rows if row.reporter and row.line is not None)


def lines_picture(indicator: Indicator, unit: Unit, year: int) -> LinesPicture:
    """What the lines page and the dashboard show of an indicator counted from reported lines
    (two queries): reporters first, then the divisions compiling it."""
    lines = {line.department_id: line for line in lines_of(indicator, unit, year)}
    rows = [
        LineRow(department, lines.get(department.pk), is_reporter(department))
        for department in line_writers(indicator)
    ]
    rows.sort(key=lambda row: not row.reporter)  # stable: the portal's order within each

    def total(statuses: frozenset[str]) -> LineTotal | None:
        counted = [row.line for row in rows if row.line and row.line.status in statuses]
        if not counted:
            return None
        return LineTotal(
            sum(line.numerator for line in counted),
            sum(line.denominator for line in counted),
            len(counted),
        )

    return LinesPicture(rows, total(OFFICIAL_STATUSES), total(PROVISIONAL_STATUSES))


def lines_waiting() -> list[dict]:
    """Per indicator, unit and year, how many reported lines wait for the standing office (the
    review queue links to their page): one query."""
    return list(
        ReportedLine.objects.filter(status=Measurement.Status.SUBMITTED)
        .values("indicator__code", "unit__code", "unit__name", "year")
        .annotate(waiting=Count("pk"))
        .order_by("year", "unit__code", "indicator__code")
    )


def lines_to_report(
    department: Department, indicator_ids: Iterable[int], city_set: CriteriaSet, year: int
) -> list[tuple[Indicator, ReportedLine | None]]:
    """The indicators of the city's set summed from reported lines that a reporting department
    (a district office) is assigned, each with its own line for the year, if any: what "my work"
    lists beside its own district's indicators. Two queries."""
    indicators = list(
        Indicator.objects.filter(
            criterion__standard__criteria_set=city_set,
            pk__in=list(indicator_ids),
            list_source=Indicator.ListSource.REPORTED_LINES,
        ).order_by("code")
    )
    if not indicators:
        return []
    lines = {
        line.indicator_id: line
        for line in ReportedLine.objects.filter(
            department=department, year=year, indicator__in=indicators
        )
    }
    return [(indicator, lines.get(indicator.pk)) for indicator in indicators]


def year_status_counts(year: int) -> dict[str, int]:
    """Status → how many of the year's values have it (what a lock of the year freezes)."""
    rows = Measurement.objects.filter(year=year).values("status").annotate(n=Count("pk"))
    return {row["status"]: row["n"] for row in rows}


#: What a value's readable history shows changing, in this order (the status is said first).
_HISTORY_FIELDS = (
    "yes",
    "numerator",
    "denominator",
    "value",
    "previous",
    "growth_rate",
    "previous_source",
    "note",
    "not_applicable_reason",
)


@dataclass(frozen=True)
class HistoryLine:
    """One save of a value as a person reads it: when, who, the status it moved from and to (or
    None when it stayed), each changed field "label: before → after", and the reviewer's comment
    written with it."""

    at: object
    by: object
    status_before: str | None
    status_after: str
    changes: list[Sentence]
    comment: str


def readable_history(measurement: Measurement, *, limit: int = 50) -> list[HistoryLine]:
    """The value's saves, newest first, each compared with the one before it (the first with
    nothing): one query, the `limit` latest saves."""
    records = list(
        measurement.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : limit + 1
        ]
    )
    lines = []
    for newer, older in zip(records, [*records[1:], None], strict=True):
        if len(lines) == limit:
            break
        changes = []
        for name in _HISTORY_FIELDS:
            old = getattr(older, name) if older is not None else None
            new = getattr(newer, name)
            if old != new and not (old in (None, "") and new in (None, "")):
                label = Measurement._meta.get_field(name).verbose_name
                changes.append(change(capfirst(label), _shown(name, old), _shown(name, new)))
        status_before = older.status if older is not None else None
        comment_new = newer.review_comment and (
            older is None or older.review_comment != newer.review_comment
        )
        lines.append(
            HistoryLine(
                at=newer.history_date,
                by=newer.history_user,
                status_before=status_before if status_before != newer.status else None,
                status_after=newer.status,
                changes=changes,
                comment=newer.review_comment if comment_new else "",
            )
        )
    return lines
