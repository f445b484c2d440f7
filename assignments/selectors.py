"""Reads of who does what, each a constant number of queries."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext

from .models import Assignment, Department, PlanTask, PlanTaskAssignment, Role, Unit


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
    """The departments in one role, the district education offices collapsed into one entry.

    Works on an indicator's prefetched assignments, so it adds no query: all of them, or the
    collapsed ones of `criteria.selectors.collapsed_assignments_prefetch`, where the one office
    per role says how many there are (`office_count`).
    """
    entries: list[RoleEntry] = []
    offices: list[Assignment] = []
    for assignment in assignments:
        if assignment.role != role:
            continue
        if assignment.department.kind == Department.Kind.DISTRICT_OFFICE:
            offices.append(assignment)
        else:
            entries.append(
                RoleEntry(assignment.department.name, assignment.role_text, assignment.department)
            )
    if offices:
        count = sum(getattr(office, "office_count", 1) for office in offices)
        label = gettext("District education offices (%(count)d)") % {"count": count}
        entries.append(RoleEntry(label, offices[0].role_text, None))
    return entries


def districts() -> QuerySet[Unit]:
    """Every district (quận/huyện), in the order the plan lists them."""
    return Unit.objects.exclude(kind=Unit.Kind.CITY).order_by("position", "code")
