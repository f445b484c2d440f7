"""Reads of reported values: what the verdict counts, last year's fallback, and query counts."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assignments.models import Unit
from assignments.permissions import actor_for
from criteria import scoring
from criteria.models import CriteriaSet, EvaluationYear, Indicator
from evaluation.dashboard import baseline
from measurements.models import Measurement
from measurements.services import MeasurementData, measurement_approve, measurement_save
from tests.conftest import YEAR
from tests.factories import (
    make_criteria_set,
    make_criterion,
    make_indicator,
    make_standard,
    make_unit,
)

pytestmark = pytest.mark.django_db

APPROVED = Measurement.Status.APPROVED
SUBMITTED = Measurement.Status.SUBMITTED

# One of each kind, cycled to build catalogues of any size; every entry below meets its indicator,
# drops and increases only once last year's approved value (3.3) fills their previous value.
KINDS = (
    ("document", None, {"yes": True}),
    ("share_at_least", "70", {"numerator": 11, "denominator": 15}),
    ("rate_below", "0.05", {"numerator": 1, "denominator": 4000}),
    ("drop_at_least", "1.5", {"value": Decimal("1.8")}),
    ("increase", None, {"value": Decimal("5")}),
)
LAST_YEAR_VALUE = Decimal("3.3")


def open_year(year: int) -> None:
    EvaluationYear.objects.get_or_create(year=year, defaults={"state": EvaluationYear.State.OPEN})


def entry(
    indicator: Indicator, unit: Unit, *, year: int = YEAR, status: str = APPROVED, **values
) -> Measurement:
    """A stored entry written the way every path writes (the year must be open)."""
    open_year(year)
    return Measurement.objects.create(
        indicator=indicator, unit=unit, year=year, status=status, **values
    )


def catalogue_with_entries(count: int) -> tuple[CriteriaSet, Unit]:
    """A set of `count` indicators of every kind, each with an approved entry this year, and last
    year's approved value for each drop and increase (whose entries give no previous value)."""
    criteria_set = make_criteria_set(f"set-{count}")
    criterion = make_criterion(make_standard(criteria_set, "1"), "1.1")
    unit = make_unit(f"U-{count}")
    for number in range(1, count + 1):
        kind, threshold, values = KINDS[(number - 1) % len(KINDS)]
        indicator = make_indicator(criterion, f"1.1.{number}", kind=kind, threshold=threshold)
        entry(indicator, unit, **values)
        if kind in ("drop_at_least", "increase"):
            entry(indicator, unit, year=YEAR - 1, value=LAST_YEAR_VALUE)
    return criteria_set, unit


# --- Query counts ----------------------------------------------------------------------------


@pytest.mark.parametrize("provisional", [False, True])
def test_the_inputs_cost_the_same_queries_for_5_or_50_indicators(provisional):
    counts = []
    for count in (5, 50):
        criteria_set, unit = catalogue_with_entries(count)
        with CaptureQueriesContext(connection) as queries:
            inputs = baseline(criteria_set, unit, YEAR, provisional=provisional).by_code
        assert len(inputs) == count
        counts.append(len(queries.captured_queries))
    # the tree (standards, criteria, indicators, leads, parts), the entries, their parts'
    # figures, last year's values
    assert counts[0] == counts[1] <= 8


def test_the_evaluation_costs_the_same_queries_for_5_or_50_indicators():
    counts = []
    for count in (5, 50):
        criteria_set, unit = catalogue_with_entries(count)
        with CaptureQueriesContext(connection) as queries:
            evaluation = baseline(criteria_set, unit, YEAR).evaluation
        assert evaluation.met_count == count
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1] <= 8


def test_an_evaluation_without_any_entry_is_incomplete(world):
    assert (
        baseline(world.criteria_set, world.city, YEAR).evaluation.verdict
        is scoring.Verdict.INCOMPLETE
    )


# --- Which entries count ---------------------------------------------------------------------


def test_scoring_inputs_counts_only_approved_entries_by_default(world):
    entry(world.indicator("1.1.1"), world.city, yes=True)
    entry(world.indicator("1.1.2"), world.city, status=SUBMITTED, numerator=11, denominator=15)

    inputs = baseline(world.criteria_set, world.city, YEAR).by_code

    assert inputs == {"1.1.1": scoring.IndicatorInput(yes=True)}


def test_scoring_inputs_with_include_submitted_counts_submitted_entries_too(world):
    entry(world.indicator("1.1.1"), world.city, yes=True)
    entry(world.indicator("1.1.2"), world.city, status=SUBMITTED, numerator=11, denominator=15)

    inputs = baseline(world.criteria_set, world.city, YEAR, provisional=True).by_code

    assert inputs["1.1.2"] == scoring.IndicatorInput(numerator=Decimal(11), denominator=Decimal(15))
    assert set(inputs) == {"1.1.1", "1.1.2"}


def test_drafts_and_returned_entries_never_count(world):
    entry(world.indicator("1.1.1"), world.city, status=Measurement.Status.DRAFT, yes=True)
    entry(
        world.indicator("1.1.2"),
        world.city,
        status=Measurement.Status.RETURNED,
        value=80,
        review_comment="Sửa",
    )

    inputs = baseline(world.criteria_set, world.city, YEAR, provisional=True).by_code

    assert inputs == {}


def test_scoring_inputs_reads_only_the_unit_and_year_asked(world):
    entry(world.indicator("1.1.1"), world.district_a, yes=True)
    entry(world.indicator("1.1.2"), world.city, year=YEAR - 1, value=80)

    inputs = baseline(world.criteria_set, world.city, YEAR).by_code

    assert inputs == {}


def test_scoring_inputs_leaves_out_entries_of_another_criteria_set(world):
    other_set = make_criteria_set("district-set", level="district")
    other = make_indicator(make_criterion(make_standard(other_set, "9"), "9.1"), "9.1.1")
    entry(other, world.city, value=80)

    inputs = baseline(world.criteria_set, world.city, YEAR).by_code

    assert inputs == {}


def test_an_entry_counts_once_the_standing_office_approves_it(world, personas):
    user = personas["standing_office"]
    saved = measurement_save(
        actor=actor_for(user),
        user=user,
        indicator=world.indicator("1.1.2"),
        unit=world.city,
        year=YEAR,
        data=MeasurementData(numerator=11, denominator=15),
        expected_version=None,
        submit=True,
    )
    before = baseline(world.criteria_set, world.city, YEAR).by_code

    measurement_approve(
        actor=actor_for(user), user=user, measurement=saved, seen_version=saved.version
    )

    assert before == {}
    assert "1.1.2" in baseline(world.criteria_set, world.city, YEAR).by_code


def test_stored_numbers_reach_scoring_as_exact_decimals_without_trailing_zeros(world):
    entry(world.indicator("2.1.1"), world.city, value=Decimal("1.8"), previous=Decimal("3.3"))

    measurement = baseline(world.criteria_set, world.city, YEAR).by_code["2.1.1"]

    assert (str(measurement.value), str(measurement.previous)) == ("1.8", "3.3")


# --- Last year's value as the previous value ------------------------------------------------


def test_drop_without_previous_takes_last_years_approved_value(world):
    entry(world.indicator("2.1.1"), world.city, year=YEAR - 1, value=Decimal("3.3"))
    entry(world.indicator("2.1.1"), world.city, value=Decimal("1.8"))

    inputs = baseline(world.criteria_set, world.city, YEAR).by_code

    assert inputs["2.1.1"].previous == Decimal("3.3")


def test_increase_without_previous_takes_last_years_approved_value(world):
    entry(world.indicator("2.1.2"), world.city, year=YEAR - 1, value=Decimal(120))
    entry(world.indicator("2.1.2"), world.city, value=Decimal(150))

    result = baseline(world.criteria_set, world.city, YEAR).evaluation.indicators[3]

    assert (result.code, result.status, result.value) == ("2.1.2", scoring.Status.MET, 30)


def test_a_stored_previous_value_wins_over_last_years(world):
    entry(world.indicator("2.1.1"), world.city, year=YEAR - 1, value=Decimal("3.3"))
    entry(world.indicator("2.1.1"), world.city, value=Decimal("1.8"), previous=Decimal("2"))

    inputs = baseline(world.criteria_set, world.city, YEAR).by_code

    assert inputs["2.1.1"].previous == Decimal(2)


def test_last_years_unapproved_value_is_never_taken_as_previous(world):
    entry(world.indicator("2.1.1"), world.city, year=YEAR - 1, status=SUBMITTED, value=3)
    entry(world.indicator("2.1.1"), world.city, value=Decimal("1.8"))

    inputs = baseline(world.criteria_set, world.city, YEAR, provisional=True).by_code

    assert inputs["2.1.1"].previous is None


def test_only_the_year_just_before_gives_a_previous_value(world):
    entry(world.indicator("2.1.1"), world.city, year=YEAR - 2, value=Decimal("3.3"))
    entry(world.indicator("2.1.1"), world.city, value=Decimal("1.8"))

    inputs = baseline(world.criteria_set, world.city, YEAR).by_code

    assert inputs["2.1.1"].previous is None


def test_another_units_last_year_value_is_not_taken(world):
    entry(world.indicator("2.1.1"), world.district_a, year=YEAR - 1, value=Decimal("3.3"))
    entry(world.indicator("2.1.1"), world.city, value=Decimal("1.8"))

    inputs = baseline(world.criteria_set, world.city, YEAR).by_code

    assert inputs["2.1.1"].previous is None


# --- evaluate_unit -----------------------------------------------------------------------------


def test_evaluate_unit_scores_indicators_without_entries_as_no_data(world):
    entry(world.indicator("1.1.1"), world.city, yes=True)

    evaluation = baseline(world.criteria_set, world.city, YEAR).evaluation

    statuses = {result.code: result.status.value for result in evaluation.indicators}
    assert statuses == {
        "1.1.1": "met",
        "1.1.2": "no_data",
        "2.1.1": "no_data",
        "2.1.2": "no_data",
        "2.1.3": "no_data",
    }


def test_evaluate_unit_overrides_replace_whole_stored_entries(world):
    entry(world.indicator("2.1.1"), world.city, value=Decimal("1.8"), previous=Decimal("3.3"))
    overrides = {"2.1.1": scoring.IndicatorInput(value=Decimal("1"))}

    evaluation = baseline(world.criteria_set, world.city, YEAR).scenario(overrides)

    assert evaluation.indicators[2].status is scoring.Status.NO_DATA
    assert Measurement.objects.get().previous == Decimal("3.3")


def test_evaluate_unit_with_include_submitted_gives_the_provisional_verdict(world):
    entry(world.indicator("1.1.2"), world.city, status=SUBMITTED, numerator=1, denominator=15)

    official = baseline(world.criteria_set, world.city, YEAR).evaluation
    provisional = baseline(world.criteria_set, world.city, YEAR, provisional=True).evaluation

    assert official.verdict is scoring.Verdict.INCOMPLETE
    assert provisional.verdict is scoring.Verdict.NOT_RECOGNIZED


# --- latest_year -------------------------------------------------------------------------------
