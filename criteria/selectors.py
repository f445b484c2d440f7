"""Reads of the catalogue, each a constant number of queries."""

from collections.abc import Iterable

from django.db.models import Prefetch, QuerySet

from assignments.models import Assignment

from . import scoring
from .models import CriteriaSet, Criterion, Indicator, Standard, trim_decimal


def default_criteria_set() -> CriteriaSet | None:
    """The city-level criteria set the portal shows by default (the newest one)."""
    return CriteriaSet.objects.filter(level=CriteriaSet.Level.CITY).order_by("-pk").first()


def assignments_prefetch() -> Prefetch:
    """An indicator's assignments with their departments, leads first."""
    return Prefetch(
        "assignments",
        queryset=Assignment.objects.select_related("department").order_by(
            "-role", "department__position", "department__name"
        ),
    )


def catalogue_tree(criteria_set: CriteriaSet) -> QuerySet[Standard]:
    """Standards → criteria → indicators → assignments of one set, in four queries."""
    indicators = Indicator.objects.order_by("position", "code").prefetch_related(
        assignments_prefetch()
    )
    criteria = Criterion.objects.order_by("position", "code").prefetch_related(
        Prefetch("indicators", queryset=indicators)
    )
    return (
        Standard.objects.filter(criteria_set=criteria_set)
        .order_by("position", "code")
        .prefetch_related(Prefetch("criteria", queryset=criteria))
    )


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
