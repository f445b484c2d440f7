"""Reads of who does what, each a constant number of queries: departments, the plan's tasks,
units, and the catalogue with who leads and coordinates each indicator."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    F,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
    Window,
)
from django.db.models.functions import RowNumber
from django.utils.translation import gettext

from criteria.models import CriteriaSet, Criterion, Indicator, Standard
from criteria.selectors import criteria_set_for

from .models import (
    LEVEL_OF_KIND,
    UNIT_OFFICES,
    Assignment,
    Department,
    PlanTask,
    PlanTaskAssignment,
    Role,
    Unit,
)


def departments_with_counts() -> QuerySet[Department]:
    """Every department with how many indicators it leads and coordinates."""
    return Department.objects.select_related("unit").annotate(
        lead_count=Count("assignments", filter=Q(assignments__role=Role.LEAD), distinct=True),
        coordinate_count=Count(
            "assignments", filter=Q(assignments__role=Role.COORDINATE), distinct=True
        ),
        task_count=Count("plan_task_roles", distinct=True),
    )


def plan_tasks() -> QuerySet[PlanTask]:
    """The plan's tasks with their departments (leads first)."""
    return PlanTask.objects.prefetch_related(
        Prefetch(
            "roles",
            queryset=PlanTaskAssignment.objects.select_related("department").order_by(
                "-role", "department__position"
            ),
        )
    )


def department_assignments(department: Department) -> QuerySet[Assignment]:
    """A department's indicators, in catalogue order, with their criterion and standard."""
    return (
        Assignment.objects.filter(department=department)
        .select_related("indicator__criterion__standard__criteria_set")
        .order_by(
            "indicator__criterion__standard__criteria_set",
            "indicator__criterion__standard__position",
            "indicator__criterion__position",
            "indicator__position",
        )
    )


def department_plan_tasks(department: Department) -> QuerySet[PlanTaskAssignment]:
    """The plan tasks a department leads or coordinates."""
    return PlanTaskAssignment.objects.filter(department=department).select_related("task")


@dataclass(frozen=True)
class RoleEntry:
    """One line of a "lead" or "coordinating" cell: a department, or all district offices."""

    label: str
    role_text: str
    department: Department | None


def role_entries(assignments: Iterable[Assignment], role: str) -> list[RoleEntry]:
    """The departments in one role, the district education offices collapsed into one entry (a
    single office is named: one district's, as `entered_by` gives it).

    Works on an indicator's prefetched assignments, so it adds no query: all of them, or the
    collapsed ones of `collapsed_assignments_prefetch`, where the one office
    per role says how many there are (`office_count`).
    """
    entries: list[RoleEntry] = []
    offices: list[Assignment] = []
    for assignment in assignments:
        if assignment.role != role:
            continue
        if assignment.department.kind in UNIT_OFFICES:
            offices.append(assignment)
        else:
            entries.append(
                RoleEntry(assignment.department.name, assignment.role_text, assignment.department)
            )
    count = sum(getattr(office, "office_count", 1) for office in offices)
    if count == 1:
        office = offices[0]
        entries.append(RoleEntry(office.department.name, office.role_text, office.department))
    elif offices:
        label = gettext("District education offices (%(count)d)") % {"count": count}
        entries.append(RoleEntry(label, offices[0].role_text, None))
    return entries


@dataclass(frozen=True)
class EnteredBy:
    """Who enters a unit's value of an indicator: the departments leading it, and coordinating."""

    leads: list[RoleEntry]
    coordinating: list[RoleEntry]

    def __bool__(self) -> bool:
        return bool(self.leads or self.coordinating)


def entered_by(indicator: Indicator, unit: Unit) -> EnteredBy:
    """Who enters a unit's value of an indicator, as `permissions.can_write_value` has it (the
    standing office, which may enter any, aside): for the city the departments of the Sở assigned
    to the indicator, for a district its own education office when assigned. One query."""
    assignments = (
        Assignment.objects.filter(indicator=indicator)
        .select_related("department")
        .order_by("department__position", "department__name")
    )
    if unit.is_city:
        assignments = assignments.exclude(department__kind__in=UNIT_OFFICES)
    else:
        assignments = assignments.filter(department__unit=unit)
    assignments = list(assignments)
    return EnteredBy(
        role_entries(assignments, Role.LEAD), role_entries(assignments, Role.COORDINATE)
    )


def subdivisions(year: int, level: str) -> QuerySet[Unit]:
    """The city's units of a level (`CriteriaSet.Level`) that exist in a year, in the order of
    their positions: its districts (quận/huyện) in the 2022 pilot, its communes, wards and
    special zones from the two-level local government of 2025. A unit under one of these (a
    commune under a district, in a year both existed) is not one of the city's."""
    kinds = [kind for kind, of_level in LEVEL_OF_KIND.items() if of_level == level]
    return (
        Unit.objects.existing_in(year)
        .filter(kind__in=kinds)
        .filter(Q(parent__isnull=True) | Q(parent__parent__isnull=True))
        .order_by("position", "code")
    )


def city_subdivisions(year: int) -> list[Unit]:
    """The units the city is divided into in a year: its districts while it has any (the 2022
    pilot), else its communes, wards and special zones (the two-level local government of
    2025). One query."""
    units = list(
        Unit.objects.existing_in(year)
        .exclude(kind=Unit.Kind.CITY)
        .filter(Q(parent__isnull=True) | Q(parent__parent__isnull=True))
        .order_by("position", "code")
    )
    districts = [unit for unit in units if unit.level == CriteriaSet.Level.DISTRICT]
    return districts or [unit for unit in units if unit.level == CriteriaSet.Level.COMMUNE]


def level_of(units: list[Unit]) -> str:
    """The level of `city_subdivisions` (districts when there is none: the pilot's)."""
    return units[0].level if units else CriteriaSet.Level.DISTRICT


def subdivision_set(year: int) -> CriteriaSet | None:
    """The set the city's units report against in a year: the districts' (else the city's, as
    in the pilot), or the communes' own."""
    return criteria_set_for(level_of(city_subdivisions(year)), year)


def pilot_ids(year: int) -> frozenset[int]:
    """The districts the year's district round names as its pilots (none without a round)."""
    return frozenset(
        Unit.objects.filter(
            pilot_rounds__evaluation_year__year=year,
            pilot_rounds__level=CriteriaSet.Level.DISTRICT,
        ).values_list("pk", flat=True)
    )


def in_the_round(unit: Unit, year: int) -> bool:
    """Whether a unit takes part in the year's round of its level: the city always; a district
    when the district round names it as a pilot, or names none (every district then takes part).
    A district outside the pilot may still enter its values; no deadline binds it."""
    if unit.is_city:
        return True
    pilots = pilot_ids(year)
    return not pilots or unit.pk in pilots


def district_indicators(criteria_set: CriteriaSet) -> QuerySet[Indicator]:
    """The indicators the city's units report on, in catalogue order: of a commune set, all of
    them; of a district or city set, those assigned to at least one district education office."""
    indicators = Indicator.objects.filter(criterion__standard__criteria_set=criteria_set)
    if criteria_set.level != CriteriaSet.Level.COMMUNE:
        indicators = indicators.filter(
            assignments__department__kind=Department.Kind.DISTRICT_OFFICE
        )
    return (
        indicators.distinct()
        .prefetch_related("parts")
        .order_by("criterion__standard__position", "criterion__position", "position", "code")
    )


def city() -> Unit | None:
    """The city (thành phố) whose districts these are; None before the units are loaded."""
    return Unit.objects.filter(kind=Unit.Kind.CITY).first()


# --- The catalogue with who does what ----------------------------------------------------------


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
    is_office = Q(department__kind__in=UNIT_OFFICES)
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
    """Standards → criteria → indicators → assignments and parts of one set, in five queries; the
    district education offices collapsed as `role_entries` shows them
    (`collapsed_assignments_prefetch`)."""
    indicators = Indicator.objects.order_by("position", "code").prefetch_related(
        collapsed_assignments_prefetch(), "parts"
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
        .prefetch_related(assignments_prefetch(), "parts")
        .first()
    )
