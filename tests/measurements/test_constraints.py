"""What must never happen to a reported value is refused by the database itself
(measurements/models.py constraints), not only by forms and services: each write here goes around
them (QuerySet.update, bulk_create, a bare create) and meets an IntegrityError."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from measurements.models import Measurement
from tests.conftest import YEAR

pytestmark = pytest.mark.django_db


def refused(write) -> None:
    """The write fails in the database, and the test's transaction survives it."""
    with pytest.raises(IntegrityError), transaction.atomic():
        write()


@pytest.fixture
def entry(world) -> Measurement:
    return Measurement.objects.create(
        indicator=world.indicator("1.1.2"), unit=world.city, year=YEAR, numerator=56, denominator=80
    )


def test_two_current_values_of_one_indicator_unit_and_year_are_refused(world, entry):
    twin = Measurement(indicator=entry.indicator, unit=entry.unit, year=YEAR)
    refused(lambda: Measurement.objects.bulk_create([twin]))


def test_a_numerator_above_the_denominator_is_refused(entry):
    refused(lambda: Measurement.objects.filter(pk=entry.pk).update(numerator=81))


def test_a_zero_denominator_is_refused(entry):
    refused(lambda: Measurement.objects.filter(pk=entry.pk).update(numerator=0, denominator=0))


def test_a_negative_count_is_refused(entry):
    refused(lambda: Measurement.objects.filter(pk=entry.pk).update(numerator=-1))


def test_an_unknown_status_is_refused(entry):
    refused(lambda: Measurement.objects.filter(pk=entry.pk).update(status="approved!"))


def test_a_version_below_1_is_refused(entry):
    refused(lambda: Measurement.objects.filter(pk=entry.pk).update(version=0))


def test_a_returned_value_without_a_comment_is_refused(entry):
    refused(lambda: Measurement.objects.filter(pk=entry.pk).update(status="returned"))
    Measurement.objects.filter(pk=entry.pk).update(status="returned", review_comment="Bổ sung")
    assert Measurement.objects.get(pk=entry.pk).status == "returned"


def test_not_applicable_without_a_reason_or_with_a_value_is_refused(entry):
    refused(lambda: Measurement.objects.filter(pk=entry.pk).update(status="not_applicable"))
    refused(
        lambda: Measurement.objects.filter(pk=entry.pk).update(
            status="not_applicable", not_applicable_reason="Huyện đảo"
        )
    )


def test_a_share_of_a_list_item_stays_within_0_and_100(world, entry):
    refused(lambda: entry.list_items.create(position=1, name="Sở Y tế", score=Decimal("100.01")))
