"""Writes of who does what."""

from django.db import transaction

from criteria.models import CriteriaSet, Indicator

from .models import Assignment, Department, Role

#: The wording of the assignment that makes each district office lead its own self-evaluation.
DISTRICT_ROLE_TEXT = "tự đánh giá"


def district_offices_assign(*, criteria_set: CriteriaSet) -> int:
    """Every district education office leads every indicator of a district set (role text
    "tự đánh giá"): that is what lets each office enter its own district's values. Called when a
    district set is imported, in the import's transaction; a city set gets no such assignment.
    Returns how many assignments were created."""
    if criteria_set.level != CriteriaSet.Level.DISTRICT:
        return 0
    indicators = Indicator.objects.filter(criterion__standard__criteria_set=criteria_set)
    offices = list(Department.objects.filter(kind=Department.Kind.DISTRICT_OFFICE))
    with transaction.atomic():
        created = Assignment.objects.bulk_create(
            Assignment(
                indicator=indicator,
                department=office,
                role=Role.LEAD,
                role_text=DISTRICT_ROLE_TEXT,
            )
            for indicator in indicators
            for office in offices
        )
    return len(created)
