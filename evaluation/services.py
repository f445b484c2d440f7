"""Writes of the dashboard: the committee's decision."""

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from assignments.models import Unit
from assignments.permissions import Actor, can_record_decision
from criteria.models import EvaluationYear

from .models import CommitteeDecision


def decision_record(
    *,
    actor: Actor,
    unit: Unit,
    year: int,
    user: User,
    data: dict,
    instance: CommitteeDecision | None = None,
) -> CommitteeDecision:
    """Record or change the committee's decision for a unit-year; history keeps every version.

    The decision stands apart from the year's lock: the committee decides on a locked year.
    """
    if not can_record_decision(actor):
        raise PermissionDenied(_("Only the steering committee records its decision."))
    if not EvaluationYear.objects.filter(year=year).exists():
        raise ValidationError(
            _("There is no evaluation year %(year)s: the committee decides on a year evaluated."),
            code="no_year",
            params={"year": year},
        )
    decision = instance or CommitteeDecision(unit=unit, year=year)
    for name in ("meeting_date", "decision", "number", "note"):
        setattr(decision, name, data.get(name, getattr(decision, name)))
    decision.recorded_by = user
    decision._history_user = user
    decision.full_clean()
    with transaction.atomic():
        decision.save()
    return decision
