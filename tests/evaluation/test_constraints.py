"""The committee's decision in the database: one per unit and year, and only the two decisions the
committee takes (learningcity/models.py constraints)."""

import pytest
from django.db import IntegrityError, transaction

from evaluation.models import CommitteeDecision
from tests.conftest import YEAR
from tests.factories import make_meeting

pytestmark = pytest.mark.django_db


def decision(world, personas, **fields) -> CommitteeDecision:
    values = {
        "unit": world.city,
        "year": YEAR,
        "meeting": make_meeting(YEAR, personas["committee"]),
        "decision": "recognized",
        "recorded_by": personas["committee"],
        **fields,
    }
    return CommitteeDecision(**values)


def test_a_decision_outside_the_two_is_refused(world, personas):
    with pytest.raises(IntegrityError), transaction.atomic():
        decision(world, personas, decision="postponed").save()


def test_a_second_decision_for_the_same_unit_and_year_is_refused(world, personas):
    decision(world, personas).save()
    with pytest.raises(IntegrityError), transaction.atomic():
        CommitteeDecision.objects.bulk_create(
            [decision(world, personas, decision="not_recognized")]
        )
