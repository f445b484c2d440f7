"""The one place a unit-year's inputs are put together for the scoring service, so the dashboard,
the report, the what-if and `manage.py evaluate` give the same verdict for the same data.

Stored entries count by status (approved; approved and submitted when provisional); a drop or an
increase without a previous value takes last year's approved one; a share counted from the
districts' verdicts (2.1.2) is computed from them, the committee's decisions first.
"""

from collections.abc import Iterable

from assignments import selectors
from assignments.models import Unit
from criteria import scoring
from criteria.models import CriteriaSet, Indicator, ListSource
from criteria.selectors import district_criteria_set
from evidence import lists

from .models import CommitteeDecision


def decisions_by_unit(year: int, unit_ids: Iterable[int] | None = None) -> dict[int, bool]:
    """Unit id → True when the committee recognised it that year, False when it did not."""
    decisions = CommitteeDecision.objects.filter(year=year)
    if unit_ids is not None:
        decisions = decisions.filter(unit_id__in=list(unit_ids))
    return {
        unit_id: decision == CommitteeDecision.Decision.RECOGNIZED
        for unit_id, decision in decisions.values_list("unit_id", "decision")
    }


def district_verdicts(year: int, *, provisional: bool) -> list[lists.DistrictVerdict] | None:
    """Every district's computed verdict and the committee's decision for the year — or None
    when there is nothing to count from: no district criteria set applies and the committee has
    decided on no district (then a typed 2.1.2 stands, as in the pilot's first year)."""
    districts = list(selectors.districts())
    criteria_set = district_criteria_set(year)
    decisions = decisions_by_unit(year, [district.pk for district in districts])
    if (criteria_set is None or criteria_set.level != CriteriaSet.Level.DISTRICT) and not decisions:
        return None
    if criteria_set is not None and criteria_set.level != CriteriaSet.Level.DISTRICT:
        criteria_set = None  # the districts have no set of their own: decisions only
    return lists.district_verdicts(
        criteria_set, districts, year, provisional=provisional, decisions=decisions
    )


def list_inputs(
    unit: Unit, year: int, indicators: Iterable[Indicator], *, provisional: bool
) -> dict[str, scoring.Measurement]:
    """Inputs computed from lists rather than stored: the city's share of recognised districts.
    No query when no indicator of the set is counted from the districts' verdicts."""
    from_verdicts = [
        indicator
        for indicator in indicators
        if indicator.list_source == ListSource.DISTRICT_VERDICTS
    ]
    if not unit.is_city or not from_verdicts:
        return {}
    verdicts = district_verdicts(year, provisional=provisional)
    if verdicts is None:
        return {}
    return {indicator.code: lists.verdict_share(indicator, verdicts) for indicator in from_verdicts}
