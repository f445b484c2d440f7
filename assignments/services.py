"""Writes of who does what."""

from django.db import transaction

from criteria.importing import CriteriaSetPlan, criteria_set_import
from criteria.models import CriteriaSet, Indicator

from .caching import CATALOGUE
from .models import Assignment, Department, Role

#: The wording of the assignment that makes each district office lead its own self-evaluation.
DISTRICT_ROLE_TEXT = "tự đánh giá"


def offices_lead(level: str) -> bool:
    """Whether adopting a set of this level makes every district education office lead its
    indicators: a district set (the offices evaluate their own districts)."""
    return level == CriteriaSet.Level.DISTRICT


def criteria_set_adopt(*, plan: CriteriaSetPlan) -> CriteriaSet:
    """Import a planned criteria set (criteria/importing.py) and say who does its work, all or
    nothing: for a district set, every district education office leads every indicator (role
    text "tự đánh giá"), which is what lets each office enter its own district's values; a city
    set's leads are assigned by the standing office afterwards. The import view, the
    `import_criteria` command and the demo data all import through here."""
    with transaction.atomic():
        criteria_set = criteria_set_import(plan=plan)
        if offices_lead(criteria_set.level):
            _district_offices_lead(criteria_set)
    return criteria_set


def _district_offices_lead(criteria_set: CriteriaSet) -> None:
    indicators = Indicator.objects.filter(criterion__standard__criteria_set=criteria_set)
    offices = list(Department.objects.filter(kind=Department.Kind.DISTRICT_OFFICE))
    Assignment.objects.bulk_create(
        Assignment(
            indicator=indicator, department=office, role=Role.LEAD, role_text=DISTRICT_ROLE_TEXT
        )
        for indicator in indicators
        for office in offices
    )
    CATALOGUE.forget()  # bulk_create sends no signal
