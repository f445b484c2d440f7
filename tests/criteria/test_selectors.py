"""Which criteria set a unit is evaluated against, and the list of sets."""

import pytest

from criteria.models import EvaluationYear
from criteria.selectors import (
    criteria_set_for,
    criteria_sets_overview,
    default_criteria_set,
    latest_year,
)
from tests.factories import make_catalogue, make_criteria_set, make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def units():
    city = make_unit("HP", "city")
    return city, make_unit("HP-A", "urban", parent=city)


def test_city_gets_the_city_set_that_applies_to_the_year(units):
    make_criteria_set("city-2022", first_year=2022, last_year=2023)
    newer = make_criteria_set("city-2024", first_year=2024)
    make_criteria_set("district-2024", "district", first_year=2024)

    assert criteria_set_for(units[0].level, 2025) == newer


def test_city_gets_an_older_set_for_a_year_before_the_newer_one(units):
    older = make_criteria_set("city-2022", first_year=2022, last_year=2023)
    make_criteria_set("city-2024", first_year=2024)

    assert criteria_set_for(units[0].level, 2023) == older


def test_newest_first_year_wins_when_two_sets_apply(units):
    make_criteria_set("city-2022", first_year=2022)
    newer = make_criteria_set("city-2024", first_year=2024)

    assert criteria_set_for(units[0].level, 2025) == newer


def test_set_loaded_last_wins_when_two_begin_the_same_year(units):
    make_criteria_set("city-a", first_year=2024)
    later = make_criteria_set("city-b", first_year=2024)

    assert criteria_set_for(units[0].level, 2024) == later


def test_district_gets_the_district_set(units):
    make_criteria_set("city", first_year=2022)
    district_set = make_criteria_set("district", "district", first_year=2022)

    assert criteria_set_for(units[1].level, 2022) == district_set


def test_district_without_a_district_set_falls_back_to_the_city_set(units):
    city_set = make_criteria_set("city", first_year=2022)

    assert criteria_set_for(units[1].level, 2022) == city_set


def test_district_set_of_later_years_leaves_the_district_on_the_city_set(units):
    city_set = make_criteria_set("city", first_year=2022)
    make_criteria_set("district", "district", first_year=2025)

    assert criteria_set_for(units[1].level, 2023) == city_set


def test_no_set_for_a_year_before_every_set(units):
    make_criteria_set("city", first_year=2022)

    assert criteria_set_for(units[0].level, 2021) is None


def test_set_without_years_applies_to_every_year(units):
    criteria_set = make_criteria_set("city")

    assert criteria_set_for(units[0].level, 2021) == criteria_set


def test_overview_annotates_locked_sets_and_counts_indicators():
    make_catalogue(2, make_criteria_set("old", first_year=2021, last_year=2021))
    make_criteria_set("new", first_year=2022)
    EvaluationYear.objects.create(year=2021, state=EvaluationYear.State.LOCKED)

    rows = {s.code: (s.locked, s.indicator_count) for s in criteria_sets_overview()}

    assert rows == {"old": (True, 12), "new": (False, 0)}


def test_overview_costs_one_query(django_assert_num_queries):
    for year in (2021, 2022, 2023):
        make_catalogue(1, make_criteria_set(f"set-{year}", first_year=year))

    with django_assert_num_queries(1):
        assert len(list(criteria_sets_overview())) == 3


def test_default_set_is_the_city_set_of_the_latest_first_year():
    newest = make_criteria_set("city-2024", first_year=2024)
    make_criteria_set("city-2020", first_year=2020)
    make_criteria_set("district-2026", "district", first_year=2026)

    assert default_criteria_set() == newest


def test_latest_year_is_the_newest_year_open_or_locked():
    EvaluationYear.objects.create(year=2022, state=EvaluationYear.State.OPEN)
    EvaluationYear.objects.create(year=2023, state=EvaluationYear.State.LOCKED)

    assert latest_year() == 2023


def test_latest_year_is_none_before_any_year_is_opened():
    assert latest_year() is None
