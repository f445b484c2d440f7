"""One access helper per guarded object: 404 for what a person may not know exists."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from assignments.models import Unit
from assignments.permissions import Actor, actor_for, can_see_unit
from criteria.models import CriteriaSet, Indicator
from criteria.selectors import criteria_set_for

from .models import Document, DocumentVersion, Measurement


def get_unit_for_user(actor: Actor, code: str) -> Unit:
    """A unit whose data the actor may see; another district's office gets a 404."""
    unit = Unit.objects.filter(code=code).first()
    if unit is None or not can_see_unit(actor, unit):
        raise Http404("No such unit.")
    return unit


def get_indicator(criteria_set: CriteriaSet, code: str) -> Indicator:
    """An indicator of the criteria set (the catalogue is public: only unknown codes 404)."""
    indicator = (
        Indicator.objects.filter(criterion__standard__criteria_set=criteria_set, code=code)
        .select_related("criterion__standard")
        .first()
    )
    if indicator is None:
        raise Http404("No such indicator.")
    return indicator


def get_measurement_for_user(actor: Actor, pk: int) -> Measurement:
    """A stored entry of a unit the actor may see."""
    measurement = Measurement.objects.select_related("indicator", "unit").filter(pk=pk).first()
    if measurement is None or not can_see_unit(actor, measurement.unit):
        raise Http404("No such entry.")
    return measurement


def get_document_for_user(actor: Actor, pk: int) -> Document:
    """An evidence document of a unit the actor may see (withdrawn ones too, for the record)."""
    document = (
        Document.objects.select_related("unit", "created_by", "reviewed_by", "withdrawn_by")
        .filter(pk=pk)
        .first()
    )
    if document is None or not can_see_unit(actor, document.unit):
        raise Http404("No such document.")
    return document


def get_version_for_user(actor: Actor, pk: int, number: int) -> DocumentVersion:
    """One version (file) of a document of a unit the actor may see."""
    version = (
        DocumentVersion.objects.select_related("document__unit")
        .filter(document_id=pk, number=number)
        .first()
    )
    if version is None or not can_see_unit(actor, version.document.unit):
        raise Http404("No such file.")
    return version


def get_criteria_set_for(unit: Unit, year: int) -> CriteriaSet:
    """The criteria set a unit is evaluated against in a year (a district may have its own)."""
    criteria_set = criteria_set_for(unit, year)
    if criteria_set is None:
        raise Http404("No criteria set applies to this unit and year.")
    return criteria_set


def get_staff_actor(request: HttpRequest) -> Actor:
    """The signed-in person as an Actor; 403 for an account that belongs to no department."""
    actor = actor_for(request.user)
    if not actor.is_staff_member:
        raise PermissionDenied(_("Your account is not a member of any department."))
    return actor
