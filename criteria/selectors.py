"""Reads of the catalogue, each a constant number of queries."""

from django.db.models import Prefetch, QuerySet

from assignments.models import Assignment

from .models import CriteriaSet, Criterion, Indicator, Standard


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
