"""Every access rule of assignments/permissions.py, persona by persona (see tests/conftest.py)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from assignments.permissions import (
    actor_for,
    can_compare_districts,
    can_edit_entry,
    can_record_decision,
    can_review,
    can_see_unit,
    can_write_value,
    has_own_work,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def actors(personas):
    return {name: actor_for(user) for name, user in personas.items()}


def test_an_actor_is_read_once_per_request(personas, django_assert_num_queries):
    user = personas["district_a"]
    with django_assert_num_queries(3):
        actor_for(user)
        actor_for(user)


def test_a_visitor_may_do_nothing(world):
    actor = actor_for(AnonymousUser())
    assert not can_see_unit(actor, world.city)
    assert not actor.is_staff_member  # get_staff_actor refuses every staff page


@pytest.mark.parametrize(
    ("persona", "city", "district_a", "district_b"),
    [
        ("standing_office", True, True, True),
        ("division", True, True, True),
        ("committee", True, True, True),
        ("district_a", True, True, False),
        ("district_b", True, False, True),
    ],
)
def test_who_sees_which_units_data(actors, world, persona, city, district_a, district_b):
    actor = actors[persona]
    seen = [can_see_unit(actor, unit) for unit in (world.city, world.district_a, world.district_b)]
    assert seen == [city, district_a, district_b]


@pytest.mark.parametrize(
    ("persona", "code", "unit", "allowed"),
    [
        ("standing_office", "2.1.3", "district_b", True),
        ("division", "1.1.2", "city", True),  # assigned, lead
        ("division", "1.1.2", "district_a", False),  # a division writes the city's values only
        ("division", "2.1.1", "city", False),  # not assigned
        ("other_division", "1.1.2", "city", False),
        ("district_a", "2.1.3", "district_a", True),
        ("district_a", "2.1.3", "district_b", False),
        ("district_a", "1.1.1", "city", False),  # assigned, but the city is not its district
        ("committee", "1.1.2", "city", False),
        ("administrator", "2.1.3", "district_b", True),  # a superuser is the standing office
    ],
)
def test_who_writes_which_value(actors, world, persona, code, unit, allowed):
    target = {"city": world.city, "district_a": world.district_a, "district_b": world.district_b}
    assert can_write_value(actors[persona], world.indicator(code).pk, target[unit]) is allowed


def test_a_coordinating_department_writes_too(actors, world):
    assert can_write_value(actors["standing_office"], world.indicator("1.1.2").pk, world.city)
    assert world.indicator("1.1.2").pk in actors["standing_office"].assigned_indicator_ids


@pytest.mark.parametrize(
    ("persona", "review", "decide"),
    [
        ("standing_office", True, True),
        ("division", False, False),
        ("district_a", False, False),
        ("committee", False, True),
    ],
)
def test_who_reviews_and_who_decides(actors, persona, review, decide):
    assert can_review(actors[persona]) is review
    assert can_record_decision(actors[persona]) is decide


@pytest.mark.parametrize(
    ("persona", "year_open", "not_applicable", "from_list", "offered"),
    [
        ("division", True, False, False, True),
        ("division", False, False, False, False),
        ("division", True, True, False, False),  # marked not applicable by the standing office
        ("standing_office", True, True, False, False),  # which first makes it apply again
        ("division", True, False, True, False),  # a share counted from its list
    ],
)
def test_when_the_entry_form_is_offered(
    actors, world, persona, year_open, not_applicable, from_list, offered
):
    result = can_edit_entry(
        actors[persona],
        world.indicator("1.1.2").pk,
        world.city,
        year_open=year_open,
        not_applicable=not_applicable,
        from_list=from_list,
    )
    assert result is offered


@pytest.mark.parametrize(
    ("persona", "own_work", "compares_districts"),
    [
        ("standing_office", True, True),
        ("division", True, True),
        ("other_division", True, True),  # a department, even one assigned nothing
        ("district_a", True, False),  # sees its own district only
        ("committee", False, True),  # reads everything, enters nothing of its own
        ("administrator", False, True),  # a superuser in no department
    ],
)
def test_who_has_work_of_their_own_and_who_compares_districts(
    actors, persona, own_work, compares_districts
):
    assert has_own_work(actors[persona]) is own_work
    assert can_compare_districts(actors[persona]) is compares_districts


def test_a_visitor_has_no_work_and_compares_nothing(world):
    actor = actor_for(AnonymousUser())
    assert not has_own_work(actor)
    assert not can_compare_districts(actor)
