"""Integrity rules of the catalogue, in the database and in clean()."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from criteria.models import Indicator
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
