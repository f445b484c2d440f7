"""Template helpers for who does what, without listing fifteen district offices one by one."""

from datetime import date

from django import template
from django.utils.html import format_html

from assignments.models import Assignment, PlanTask
from assignments.permissions import (
    GROUP_LABELS,
    Actor,
    can_administer,
    can_compare_districts,
    can_correct_units,
    can_manage_accounts,
    can_manage_api_clients,
    can_run_the_pilot,
    has_own_work,
)
from assignments.selectors import RoleEntry, role_entries
from common.templatetags.portal_tags import page_is_vietnamese

register = template.Library()


@register.simple_tag
def departments_in_role(assignments: list[Assignment], role: str) -> list[RoleEntry]:
    """The departments in one role, the district education offices collapsed into one entry."""
    return role_entries(assignments, role)


@register.filter
def may_administer(actor: Actor) -> bool:
    """Whether the menu offers the administration (assignments.permissions.can_administer)."""
    return can_administer(actor)


@register.filter
def may_run_the_pilot(actor: Actor) -> bool:
    """Whether the page offers what the standing office runs (permissions.can_run_the_pilot)."""
    return can_run_the_pilot(actor)


@register.filter
def may_manage_accounts(actor: Actor) -> bool:
    return can_manage_accounts(actor)


@register.filter
def may_manage_api_clients(actor: Actor) -> bool:
    return can_manage_api_clients(actor)


@register.filter
def may_correct_units(actor: Actor) -> bool:
    return can_correct_units(actor)


@register.filter(name="has_own_work")
def has_own_work_filter(actor: Actor) -> bool:
    """Whether the menu offers «Việc của tôi» (assignments.permissions.has_own_work)."""
    return has_own_work(actor)


@register.filter
def may_compare_districts(actor: Actor) -> bool:
    """Whether pages link to the district matrix (assignments.permissions.can_compare_districts)."""
    return can_compare_districts(actor)


@register.filter
def overdue_on(task: PlanTask, today: date) -> bool:
    """PlanTask.is_overdue in a template: «Quá hạn» or not, on the given day."""
    return task.is_overdue(today)


@register.filter
def group_label(name: str) -> str:
    """A group as a page names it: its Vietnamese name on a Vietnamese page; elsewhere its name
    in the page's language with the Vietnamese one the accounts workbook takes, marked as such."""
    label = GROUP_LABELS.get(name)
    if page_is_vietnamese() or label is None:
        return name
    return format_html('{} (<span lang="vi">{}</span>)', label, name)
