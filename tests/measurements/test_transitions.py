"""The transition table of a reported value's status (measurements/models.py TRANSITIONS), tested
as a table: every pair of statuses, the allowed ones written out here by hand."""

import pytest
from django.core.exceptions import ValidationError

from measurements.models import TRANSITIONS, Measurement
from tests.conftest import YEAR

pytestmark = pytest.mark.django_db

STATUSES = ("draft", "submitted", "returned", "approved", "not_applicable")
#: From (None: no entry yet) → the statuses it may take.
ALLOWED = {
    None: {"draft", "submitted", "not_applicable"},
    "draft": {"draft", "submitted", "not_applicable"},
    "submitted": {"draft", "submitted", "approved", "returned", "not_applicable"},
    "returned": {"draft", "submitted", "not_applicable"},
    "approved": {"draft", "submitted", "not_applicable"},
    "not_applicable": {"draft", "submitted", "not_applicable"},
}


def entry(world, status: str | None) -> Measurement:
    measurement = Measurement(
        indicator=world.indicator("1.1.2"), unit=world.city, year=YEAR, status=status or "draft"
    )
    measurement._state.adding = status is None  # as if loaded from the database
    return measurement


@pytest.mark.parametrize("old", [None, *STATUSES])
@pytest.mark.parametrize("new", STATUSES)
def test_every_change_of_status_follows_the_table(world, old, new):
    if new in ALLOWED[old]:
        entry(world, old).check_transition(new)
    else:
        with pytest.raises(ValidationError):
            entry(world, old).check_transition(new)


@pytest.mark.parametrize(("old", "new"), [("approved", "approved"), ("draft", "returned")])
def test_reviewing_what_is_not_waiting_for_review_says_so(world, old, new):
    with pytest.raises(ValidationError) as error:
        entry(world, old).check_transition(new)
    assert error.value.code == "not_submitted"


def test_a_change_the_table_does_not_list_names_both_statuses(world, monkeypatch):
    monkeypatch.setitem(TRANSITIONS, "approved", frozenset({"submitted"}))
    with pytest.raises(ValidationError) as error:
        entry(world, "approved").check_transition("draft")
    assert error.value.code == "transition"
    assert {"old", "new"} <= set(error.value.params)
