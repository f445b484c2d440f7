"""Writes of who does what: a district set adopted from Excel makes every district education
office lead each of its indicators; a city set assigns nobody."""

import pytest

from assignments.models import Assignment, Role
from assignments.services import criteria_set_adopt
from criteria.importing import criteria_set_plan_from_bytes
from criteria.models import CriteriaSet
from tests.criteria.sheets import sample_bytes
from tests.factories import make_department, make_unit

pytestmark = pytest.mark.django_db


def imported(data: bytes) -> CriteriaSet:
    return criteria_set_adopt(plan=criteria_set_plan_from_bytes(data))


def test_district_set_makes_every_district_office_lead_every_indicator():
    city = make_unit("HP", "city")
    offices = [
        make_department(f"PGD-{n}", "district_office", unit=make_unit(f"HP-{n}", "urban", city))
        for n in range(3)
    ]
    make_department("VP")

    imported(sample_bytes())

    assignments = Assignment.objects.all()
    assert assignments.count() == 3 * 5
    assert {a.department for a in assignments} == set(offices)
    assert {(a.role, a.role_text) for a in assignments} == {(Role.LEAD, "tự đánh giá")}


def test_city_set_assigns_nobody():
    make_department("PGD-A", "district_office", unit=make_unit("HP-A", "urban"))

    imported(sample_bytes(level="city"))

    assert not Assignment.objects.exists()
