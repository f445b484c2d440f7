"""Integrity rules of the catalogue, in the database and in clean()."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from criteria.models import CriteriaSet, EvaluationYear, Indicator
from criteria.selectors import criteria_set_for
from tests.factories import make_criteria_set, make_criterion, make_indicator, make_standard

pytestmark = pytest.mark.django_db


@pytest.fixture
def criterion():
    return make_criterion(make_standard(make_criteria_set(), "1"), "1.1")


def test_duplicate_indicator_code_is_refused(criterion):
    make_indicator(criterion, "1.1.1")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_indicator(criterion, "1.1.1")


def test_duplicate_standard_code_in_a_set_is_refused():
    criteria_set = make_criteria_set()
    make_standard(criteria_set, "1")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_standard(criteria_set, "1")


def test_numeric_indicator_without_threshold_is_refused_by_the_database(criterion):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_indicator(criterion, "1.1.1", kind="share_at_least", threshold=None)
    assert not Indicator.objects.exists()


def test_document_indicator_with_threshold_is_refused_by_the_database(criterion):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_indicator(criterion, "1.1.1", kind="document", threshold="70")


def test_percentage_threshold_above_100_is_refused_by_the_database(criterion):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_indicator(criterion, "1.1.1", kind="share_at_least", threshold="150")


@pytest.mark.parametrize(
    ("kind", "threshold", "field"),
    [
        ("share_at_least", None, "threshold"),
        ("rate_below", None, "threshold"),
        ("drop_at_least", None, "threshold"),
        ("document", Decimal(70), "threshold"),
        ("share_at_least", Decimal(101), "threshold"),
        ("drop_at_least", Decimal(-1), "threshold"),
    ],
)
def test_full_clean_names_the_bad_threshold(criterion, kind, threshold, field):
    indicator = Indicator(
        criterion=criterion, code="1.1.1", text="x", kind=kind, threshold=threshold
    )
    with pytest.raises(ValidationError) as excinfo:
        indicator.full_clean()
    assert field in excinfo.value.message_dict


def test_indicator_code_must_begin_with_its_criterion_code(criterion):
    indicator = Indicator(criterion=criterion, code="2.1.1", text="x", kind="document")
    with pytest.raises(ValidationError) as excinfo:
        indicator.full_clean()
    assert "code" in excinfo.value.message_dict


def test_valid_indicator_passes_full_clean(criterion):
    Indicator(
        criterion=criterion, code="1.1.1", text="x", kind="drop_at_least", threshold=Decimal("1.5")
    ).full_clean()


@pytest.mark.parametrize(
    ("kind", "threshold", "expected"),
    [
        ("share_at_least", "70", "Tối thiểu 70 %"),
        ("rate_below", "0.05", "Dưới 0,05 %"),
        ("drop_at_least", "1.5", "Giảm ít nhất 1,5 điểm % so với năm trước"),
        ("increase", None, "Tăng so với năm trước"),
        ("document", None, "Có văn bản"),
    ],
)
def test_requirement_in_plain_vietnamese(criterion, kind, threshold, expected):
    indicator = make_indicator(criterion, "1.1.1", kind=kind, threshold=threshold)
    assert indicator.requirement_text == expected


@pytest.mark.parametrize(
    ("first_year", "last_year", "year", "applies"),
    [
        (2022, None, 2022, True),
        (2022, None, 2030, True),
        (2022, None, 2021, False),
        (2022, 2024, 2024, True),
        (2022, 2024, 2025, False),
        (None, 2024, 2000, True),
    ],
)
def test_criteria_set_applies_to_the_years_between_its_first_and_last(
    first_year, last_year, year, applies
):
    criteria_set = make_criteria_set(first_year=first_year, last_year=last_year)
    assert (criteria_set_for(CriteriaSet.Level.CITY, year) == criteria_set) is applies


def test_criteria_set_ending_before_it_begins_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_criteria_set(first_year=2025, last_year=2024)


def test_criteria_set_is_locked_when_a_year_it_applies_to_is_locked():
    criteria_set = make_criteria_set(first_year=2022, last_year=2024)
    EvaluationYear.objects.create(year=2023, state=EvaluationYear.State.LOCKED)
    assert criteria_set.is_locked


def test_criteria_set_is_not_locked_by_an_open_year_or_a_locked_year_outside_it():
    criteria_set = make_criteria_set(first_year=2022, last_year=2024)
    EvaluationYear.objects.create(year=2021, state=EvaluationYear.State.LOCKED)
    EvaluationYear.objects.create(year=2022, state=EvaluationYear.State.OPEN)
    assert not criteria_set.is_locked


def test_a_year_is_open_or_locked_and_listed_once():
    EvaluationYear.objects.create(year=2022)
    with pytest.raises(IntegrityError), transaction.atomic():
        EvaluationYear.objects.filter(year=2022).update(state="closed")
    with pytest.raises(IntegrityError), transaction.atomic():
        EvaluationYear.objects.bulk_create([EvaluationYear(year=2022)])
