"""Reads of reported values and the evaluation of a unit-year, each a constant number of queries."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet

from assignments.models import Unit
from criteria import scoring
from criteria.models import CriteriaSet, Indicator, trim_decimal
from criteria.selectors import indicator_spec

from .models import EvaluationYear, Measurement

#: Statuses that count in the official verdict, and in the provisional one.
OFFICIAL_STATUSES = (Measurement.Status.APPROVED,)
PROVISIONAL_STATUSES = (Measurement.Status.APPROVED, Measurement.Status.SUBMITTED)


def latest_year() -> int | None:
    """The newest evaluation year that has been opened (or locked)."""
    return EvaluationYear.objects.order_by("-year").values_list("year", flat=True).first()


def year_state(year: int) -> str | None:
    """ "open", "locked", or None when the year has no row (and so accepts no write)."""
    return EvaluationYear.objects.filter(year=year).values_list("state", flat=True).first()


def counted_label(indicator: Indicator) -> str:
    """What a share counted from a list counts ("quận/huyện được phủ sóng wifi miễn phí")."""
    return indicator.list_label if indicator.list_source else ""


def to_scoring(
    measurement: Measurement, previous: Decimal | None = None, counted: str = ""
) -> scoring.Measurement:
    """A stored entry as the scoring service reads it; `previous` fills a missing previous value;
    `counted` names what a share from a list counts (`counted_label`)."""
    if measurement.not_applicable:
        return scoring.Measurement(not_applicable=True, reason=measurement.not_applicable_reason)
    prev = measurement.previous if measurement.previous is not None else previous
    return scoring.Measurement(
        yes=measurement.yes,
        numerator=None if measurement.numerator is None else Decimal(measurement.numerator),
        denominator=(None if measurement.denominator is None else Decimal(measurement.denominator)),
        value=None if measurement.value is None else trim_decimal(measurement.value),
        previous=None if prev is None else trim_decimal(prev),
        counted=counted if measurement.numerator is not None else "",
    )


YEAR_KINDS = (Indicator.Kind.DROP_AT_LEAST, Indicator.Kind.INCREASE)


def approved_last_year(
    unit_ids: Iterable[int],
    years: Iterable[int],
    *,
    indicator_ids: Iterable[int] | None = None,
    year_kinds_only: bool = False,
) -> dict[tuple[int, int, int], Decimal]:
    """(unit id, year, indicator id) → the value approved for the year before: what a drop or an
    increase without a previous value is compared with (and what "last year" shows). One query
    however many units, years and indicators."""
    # Exact lookups, not `year__in`: Django turns an out-of-range year (a forged URL) into an
    # empty result for an exact lookup, where `__in` would overflow the database integer.
    wanted_years = Q()
    for year in years:
        wanted_years |= Q(year=year - 1)
    if not wanted_years:
        return {}
    approved = Measurement.objects.filter(
        wanted_years,
        unit_id__in=list(unit_ids),
        status=Measurement.Status.APPROVED,
        value__isnull=False,
    )
    if indicator_ids is not None:
        approved = approved.filter(indicator_id__in=list(indicator_ids))
    if year_kinds_only:
        approved = approved.filter(indicator__kind__in=YEAR_KINDS)
    rows = approved.values_list("unit_id", "year", "indicator_id", "value")
    return {(unit, year + 1, indicator): value for unit, year, indicator, value in rows}


def previous_year_values(unit: Unit, year: int, indicators: Iterable[int]) -> dict[int, Decimal]:
    """Last year's approved value per indicator id, for one unit-year."""
    values = approved_last_year([unit.pk], [year], indicator_ids=indicators)
    return {indicator: value for (_, _, indicator), value in values.items()}


def inputs_from_entries(
    entries: Iterable[Measurement],
    statuses: Iterable[str],
    last_year: Mapping[int, Decimal],
) -> dict[str, scoring.Measurement]:
    """The one rule for what counts: entries in `statuses`, a missing previous value taken from
    last year's approved one. Entries must carry their indicator (select_related)."""
    counted = set(statuses)
    return {
        m.indicator.code: to_scoring(m, last_year.get(m.indicator_id), counted_label(m.indicator))
        for m in entries
        if m.status in counted
    }


@dataclass(frozen=True)
class WorkRow:
    """One line of "my work": an indicator of a unit, its entry (if any) and what it scores."""

    indicator: Indicator
    unit: Unit
    measurement: Measurement | None
    last_year: Decimal | None
    result: scoring.IndicatorResult | None

    @property
    def status(self) -> str:
        return self.measurement.status if self.measurement else ""


def score_entry(
    indicator: Indicator, measurement: Measurement | None, last_year: Decimal | None
) -> scoring.IndicatorResult | None:
    """What the scoring service says of an entry as it stands, whatever its review status;
    `last_year` (last year's approved value) counts only for drops and increases."""
    if measurement is None or not (measurement.has_data or measurement.not_applicable):
        return None
    try:
        previous = last_year if indicator.kind in YEAR_KINDS else None
        return scoring.score_indicator(
            indicator_spec(indicator),
            to_scoring(measurement, previous, counted_label(indicator)),
        )
    except scoring.ScoringInputError:
        return None


def work_rows(indicators: Iterable[Indicator], unit: Unit, year: int) -> list[WorkRow]:
    """Rows for a unit's indicators in a year: three queries however many indicators."""
    indicators = list(indicators)
    ids = [indicator.pk for indicator in indicators]
    entries = {
        m.indicator_id: m
        for m in Measurement.objects.filter(unit=unit, year=year, indicator_id__in=ids)
    }
    last_year = previous_year_values(unit, year, ids)
    rows = []
    for indicator in indicators:
        entry = entries.get(indicator.pk)
        previous = last_year.get(indicator.pk)
        rows.append(
            WorkRow(indicator, unit, entry, previous, score_entry(indicator, entry, previous))
        )
    return rows


def indicators_of(criteria_set: CriteriaSet, ids: Iterable[int] | None = None) -> QuerySet:
    """A set's indicators in catalogue order, optionally only the given ids."""
    queryset = Indicator.objects.filter(criterion__standard__criteria_set=criteria_set)
    if ids is not None:
        queryset = queryset.filter(pk__in=list(ids))
    return queryset.select_related("criterion__standard").order_by(
        "criterion__standard__position", "criterion__position", "position"
    )


def open_year() -> int | None:
    """The newest year open for data entry."""
    return (
        EvaluationYear.objects.filter(state=EvaluationYear.State.OPEN)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )


def review_queue() -> QuerySet[Measurement]:
    """Entries waiting for the standing office, oldest first."""
    return (
        Measurement.objects.filter(status=Measurement.Status.SUBMITTED)
        .select_related("indicator", "unit", "submitted_by")
        .order_by("submitted_at", "pk")
    )


def review_rows() -> list[tuple[Measurement, scoring.IndicatorResult | None]]:
    """The queue with what each entry scores, last year's approved values included: two
    queries however long the queue."""
    entries = list(review_queue())
    wanted = Q()
    for entry in entries:
        if entry.indicator.kind in YEAR_KINDS and entry.previous is None:
            wanted |= Q(unit_id=entry.unit_id, indicator_id=entry.indicator_id, year=entry.year - 1)
    last_year = {}
    if wanted:
        approved = Measurement.objects.filter(
            wanted, status=Measurement.Status.APPROVED, value__isnull=False
        ).values_list("unit_id", "indicator_id", "year", "value")
        last_year = {(u, i, y + 1): v for u, i, y, v in approved}
    return [
        (
            entry,
            score_entry(
                entry.indicator,
                entry,
                last_year.get((entry.unit_id, entry.indicator_id, entry.year)),
            ),
        )
        for entry in entries
    ]
