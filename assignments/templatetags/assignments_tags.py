"""Template helpers for who does what, without listing fifteen district offices one by one."""

from django import template

from assignments.models import Assignment
from assignments.selectors import RoleEntry, role_entries

register = template.Library()


@register.simple_tag
def departments_in_role(assignments: list[Assignment], role: str) -> list[RoleEntry]:
    """The departments in one role, the district education offices collapsed into one entry."""
    return role_entries(assignments, role)
