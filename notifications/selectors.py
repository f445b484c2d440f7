"""Reads of notifications: who receives which, and what a person has."""

from django.contrib.auth.models import User
from django.db.models import Q, QuerySet

from assignments.models import AccountSettings, PlanTask, Unit
from assignments.permissions import STANDING_OFFICE_GROUP
from assignments.selectors import entered_by
from criteria.models import Indicator

from .models import Notification


def value_recipients(indicator: Indicator, unit: Unit) -> QuerySet[User]:
    """The members of the departments that enter this unit's value of the indicator
    (`assignments.selectors.entered_by`: for a district its office, for the city the Sở's
    departments assigned to it). Two queries when evaluated."""
    who = entered_by(indicator, unit)
    departments = [
        entry.department.pk
        for entry in (*who.leads, *who.coordinating)
        if entry.department is not None
    ]
    return User.objects.filter(is_active=True, membership__department__in=departments).distinct()


def task_recipients(task: PlanTask) -> QuerySet[User]:
    """The members of the task's departments (lead or coordinating) and of the standing office."""
    return User.objects.filter(
        Q(membership__department__plan_task_roles__task=task)
        | Q(groups__name=STANDING_OFFICE_GROUP),
        is_active=True,
    ).distinct()


def notifications_of(user: User) -> QuerySet[Notification]:
    """A person's notifications, newest first."""
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")


def unread_count(user: User) -> int:
    """How many of a person's notifications are unread. One query."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def wants_email(user: User) -> bool:
    """Whether the person gets notifications by e-mail (yes unless they turned it off)."""
    return not AccountSettings.objects.filter(user=user, wants_email=False).exists()
