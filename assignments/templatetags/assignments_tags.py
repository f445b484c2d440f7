"""Template helpers for who does what, without listing fifteen district offices one by one."""

from dataclasses import dataclass

from django import template
from django.utils.translation import gettext

from assignments.models import Assignment, Department, Role

register = template.Library()


@dataclass(frozen=True)
class RoleEntry:
    """One line of a "lead" or "coordinating" cell: a department, or all district offices."""

    label: str
    role_text: str
    department: Department | None


@register.simple_tag
def departments_in_role(assignments: list[Assignment], role: str) -> list[RoleEntry]:
    """The departments in one role, the district education offices collapsed into one entry.

    Works on an indicator's prefetched assignments, so it adds no query.
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
        label = gettext("District education offices (%(count)d)") % {"count": len(offices)}
        entries.append(RoleEntry(label, offices[0].role_text, None))
    return entries


@register.filter
def is_lead(role: str) -> bool:
    return role == Role.LEAD
