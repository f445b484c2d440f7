"""Access helpers for views: the signed-in person, a unit they may see, the criteria set and the
indicator a page is about. 404 for what a person may not know exists, 403 for an account that
belongs to no department."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from criteria.models import CriteriaSet, Indicator
from criteria.selectors import criteria_set_for

from .models import Unit
from .permissions import Actor, actor_for, can_see_unit
from .selectors import city


def get_staff_actor(request: HttpRequest) -> Actor:
    """The signed-in person as an Actor; 403 for an account that belongs to no department."""
    actor = actor_for(request.user)
    if not actor.is_staff_member:
        raise PermissionDenied(_("Your account is not a member of any department."))
    return actor


class UnitNotInYear(Http404):
    """A 404 for a unit the actor may see, asked for in a year it did not exist in: a page may
    say what it became, or what it came from."""

    def __init__(self, unit: Unit, year: int) -> None:
        super().__init__("The unit does not exist in this year.")
        self.unit, self.year = unit, year


def get_unit_for_user(actor: Actor, code: str, year: int) -> Unit:
    """A unit whose data the actor may see, in a year it exists in; another district's office
    gets a 404, and so does a unit before its first year or after its last (`UnitNotInYear`)."""
    unit = Unit.objects.filter(code=code).first()
    if unit is None or not can_see_unit(actor, unit):
        raise Http404("No such unit.")
    if not unit.exists_in(year):
        raise UnitNotInYear(unit, year)
    return unit


def get_city() -> Unit:
    """The city unit; 404 before the units are loaded."""
    unit = city()
    if unit is None:
        raise Http404("No city unit.")
    return unit


def get_criteria_set_for(unit: Unit, year: int) -> CriteriaSet:
    """The criteria set a unit is evaluated against in a year (a district may have its own)."""
    criteria_set = criteria_set_for(unit.level, year)
    if criteria_set is None:
        raise Http404("No criteria set applies to this unit and year.")
    return criteria_set


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
