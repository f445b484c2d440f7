"""Reads of the catalogue, each a constant number of queries."""

from collections.abc import Iterable

from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber

from assignments.models import Assignment, Department, Unit

from . import scoring
from .models import CriteriaSet, Criterion, Indicator, Standard, trim_decimal


def default_criteria_set() -> CriteriaSet | None:
    """The city-level criteria set the portal shows by default: the newest one (highest first
    year, then the latest loaded), like `criteria_set_for`."""
    return (
        CriteriaSet.objects.filter(level=CriteriaSet.Level.CITY)
        .order_by(F("first_year").desc(nulls_last=True), "-pk")
        .first()
    )


def criteria_set_for(unit: Unit, year: int) -> CriteriaSet | None:
    """The criteria set a unit is evaluated against in a year, in one or two queries.

    The newest set (highest first year, then the latest loaded) of the unit's level that applies
    to the year. A district without a district set for the year falls back to the city set that
    applies: in the pilot the districts report some of the city's indicators.
    """
    if unit.is_city:
        return _newest_applying(CriteriaSet.Level.CITY, year)
    return _newest_applying(CriteriaSet.Level.DISTRICT, year) or _newest_applying(
        CriteriaSet.Level.CITY, year
    )


def district_criteria_set(year: int) -> CriteriaSet | None:
    """The set districts are evaluated against in a year (`criteria_set_for` any district)."""
    return _newest_applying(CriteriaSet.Level.DISTRICT, year) or _newest_applying(
        CriteriaSet.Level.CITY, year
    )


def _newest_applying(level: str, year: int) -> CriteriaSet | None:
    return (
        CriteriaSet.objects.filter(level=level)
        .filter(Q(first_year__isnull=True) | Q(first_year__lte=year))
        .filter(Q(last_year__isnull=True) | Q(last_year__gte=year))
        .order_by(F("first_year").desc(nulls_last=True), "-pk")
        .first()
    )


def criteria_set_by_code(code: str) -> CriteriaSet | None:
    return CriteriaSet.objects.filter(code=code).first()


def criteria_sets_overview() -> QuerySet[CriteriaSet]:
    """Every set with `locked` and `indicator_count` annotated, newest first, in one query."""
    # Imported here: evidence depends on criteria, not the other way round.
    from evidence.models import EvaluationYear

    locked_years = EvaluationYear.objects.filter(
        state=EvaluationYear.State.LOCKED,
        year__gte=Coalesce(OuterRef("first_year"), Value(0)),
        year__lte=Coalesce(OuterRef("last_year"), Value(32767)),
    )
    return CriteriaSet.objects.annotate(
        locked=Exists(locked_years),
        indicator_count=Count("standards__criteria__indicators"),
    ).order_by("level", F("first_year").desc(nulls_last=True), "-pk")


def assignments_prefetch() -> Prefetch:
    """An indicator's assignments with their departments, leads first."""
    return Prefetch(
        "assignments",
        queryset=Assignment.objects.select_related("department").order_by(
            "-role", "department__position", "department__name"
        ),
    )


def collapsed_assignments_prefetch() -> Prefetch:
    """An indicator's assignments as `role_entries` shows them, leads first: every department but
    the district education offices, and of these only the first per role, carrying
    `office_count` (how many offices). A tree of 150 districts then fetches as few rows as one of
    15 — not 150 assignments and departments for each indicator the districts report on."""
    is_office = Q(department__kind=Department.Kind.DISTRICT_OFFICE)
    # Offices of an indicator share a partition per role; any other assignment is alone in its.
    partition = [
        F("indicator_id"),
        F("role"),
        Case(When(is_office, then=Value(0)), default=F("pk"), output_field=BigIntegerField()),
    ]
    return Prefetch(
        "assignments",
        queryset=Assignment.objects.select_related("department")
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=partition,
                order_by=[F("department__position"), F("department__name"), F("pk")],
            ),
            office_count=Window(Count("pk"), partition_by=partition),
        )
        .filter(rank=1)
        .order_by("-role", "department__position", "department__name"),
    )


def catalogue_tree(criteria_set: CriteriaSet) -> QuerySet[Standard]:
    """Standards → criteria → indicators → assignments of one set, in four queries; the district
    education offices collapsed as `role_entries` shows them (`collapsed_assignments_prefetch`)."""
    indicators = Indicator.objects.order_by("position", "code").prefetch_related(
        collapsed_assignments_prefetch()
    )
    criteria = Criterion.objects.order_by("position", "code").prefetch_related(
        Prefetch("indicators", queryset=indicators)
    )
    return (
        Standard.objects.filter(criteria_set=criteria_set)
        .order_by("position", "code")
        .prefetch_related(Prefetch("criteria", queryset=criteria))
    )


#: Standards → criteria → indicators as nested pairs, the shape templates/criteria/_set_tree.html
#: renders (a preview of a workbook gives unsaved instances in the same shape).
Tree = list[tuple[Standard, list[tuple[Criterion, list[Indicator]]]]]


def tree_of(standards: Iterable[Standard]) -> Tree:
    """The nested pairs of standards fetched by catalogue_tree (no further query)."""
    return [
        (standard, [(c, list(c.indicators.all())) for c in standard.criteria.all()])
        for standard in standards
    ]


def indicator_by_code(criteria_set: CriteriaSet, code: str) -> Indicator | None:
    """One indicator of a set with its criterion, standard and assignments."""
    return (
        Indicator.objects.filter(criterion__standard__criteria_set=criteria_set, code=code)
        .select_related("criterion__standard")
        .prefetch_related(assignments_prefetch())
        .first()
    )


def indicator_spec(indicator: Indicator) -> scoring.IndicatorSpec:
    """The plain description of an indicator that the scoring service reads."""
    return scoring.IndicatorSpec(
        code=indicator.code,
        kind=scoring.Kind(indicator.kind),
        threshold=trim_decimal(indicator.threshold) if indicator.threshold is not None else None,
        unit_of_measure=indicator.unit_of_measure,
    )


def catalogue_spec(criteria_set: CriteriaSet) -> scoring.CatalogueSpec:
    """A criteria set as plain data for the scoring service, in three queries."""
    indicators = Indicator.objects.order_by("position", "code")
    criteria = Criterion.objects.order_by("position", "code").prefetch_related(
        Prefetch("indicators", queryset=indicators)
    )
    standards = (
        Standard.objects.filter(criteria_set=criteria_set)
        .order_by("position", "code")
        .prefetch_related(Prefetch("criteria", queryset=criteria))
    )
    return spec_from_tree(criteria_set, standards)


def spec_from_tree(
    criteria_set: CriteriaSet, standards: Iterable[Standard]
) -> scoring.CatalogueSpec:
    """The scoring service's view of standards already fetched with their criteria and
    indicators prefetched (so a page that shows the tree scores it without another query)."""
    return scoring.CatalogueSpec(
        standards=tuple(
            scoring.StandardSpec(
                code=standard.code,
                criteria=tuple(
                    scoring.CriterionSpec(
                        code=criterion.code,
                        indicators=tuple(indicator_spec(i) for i in criterion.indicators.all()),
                    )
                    for criterion in standard.criteria.all()
                ),
            )
            for standard in standards
        ),
        rule=criteria_set.recognition_rule,
    )
