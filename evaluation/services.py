"""Writes of the dashboard — the committee's decision, the official documents' settings — and the
one way a criteria set is loaded over years that hold another set's data."""

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from assignments.models import Unit
from assignments.permissions import Actor, can_record_decision, can_run_the_pilot
from assignments.services import criteria_set_adopt
from criteria.importing import CriteriaSetPlan
from criteria.models import CriteriaSet, EvaluationYear

from .models import CommitteeDecision, DocumentSettings
from .selectors import recognition_exceptions, superseded_by


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
    decision.exception_reason = _exception_reason(decision, data)
    decision.recorded_by = user
    decision._history_user = user
    decision.full_clean()
    with transaction.atomic():
        decision.save()
    return decision


def _exception_reason(decision: CommitteeDecision, data: dict) -> str:
    """The reason for recognising a district against what the portal knows of it: required,
    with a confirmation, when there is such a thing (`recognition_exceptions`); dropped when
    there is none."""
    if decision.decision != CommitteeDecision.Decision.RECOGNIZED:
        return ""
    exceptions = recognition_exceptions(decision.unit, decision.year)
    if not exceptions:
        return ""
    reason = (data.get("exception_reason") or "").strip()
    if not reason or not data.get("exception_confirmed"):
        raise ValidationError(
            {
                "exception_reason": _(
                    "Recognising %(unit)s goes against the data: %(exceptions)s. Tick the "
                    "confirmation and write the committee's reason."
                )
                % {"unit": decision.unit.name, "exceptions": "; ".join(exceptions)}
            },
            code="exception_reason_required",
        )
    return reason


def criteria_set_adopt_checked(*, plan: CriteriaSetPlan, seen: list | None) -> CriteriaSet:
    """Load a planned criteria set (assignments.services.criteria_set_adopt), unless it would
    take over years holding another set's data that the person did not see: `seen` is what the
    preview listed (`Superseded.as_seen`), None when they did not confirm it. Refused when
    anything would stop counting and it is not exactly what they read."""
    with transaction.atomic():
        metadata = plan.metadata
        superseded = (
            [
                entry.as_seen()
                for entry in superseded_by(
                    level=metadata.level,
                    first_year=metadata.first_year,
                    last_year=metadata.last_year,
                )
            ]
            if metadata is not None
            else []
        )
        if superseded and seen is None:
            raise ValidationError(
                _(
                    "This set would take over years that hold data of another set, which would "
                    "stop counting. Read the list in the preview and confirm it."
                ),
                code="takeover_not_confirmed",
            )
        if superseded and superseded != seen:
            raise ValidationError(
                _(
                    "The data this set would stop counting changed after your preview. Nothing "
                    "was created: upload the workbook again and read the new list."
                ),
                code="takeover_changed",
            )
        return criteria_set_adopt(plan=plan)


#: What the standing office sets of the documents (the rest is who saved it and when).
DOCUMENT_SETTINGS_FIELDS = (
    "parent_body",
    "issuing_body",
    "short_name",
    "place",
    "on_behalf_of",
    "signer_title",
    "signer_name",
    "recipients",
)


def document_settings_save(*, actor: Actor, user: User, data: dict) -> DocumentSettings:
    """Keep who issues and signs the official documents (the standing office only)."""
    if not can_run_the_pilot(actor):
        raise PermissionDenied(_("Only the standing office keeps the documents' settings."))
    with transaction.atomic():
        DocumentSettings.objects.get_or_create(pk=DocumentSettings.SINGLE)
        current = DocumentSettings.objects.select_for_update().get(pk=DocumentSettings.SINGLE)
        for name in DOCUMENT_SETTINGS_FIELDS:
            setattr(current, name, data[name])
        current.updated_by = user
        current.full_clean()
        current.save()
    return current
