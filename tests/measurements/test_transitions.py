"""The transition table of a reported value's status (measurements/models.py TRANSITIONS), tested
as a table: every pair of statuses, the allowed ones written out here by hand."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from measurements.models import TRANSITIONS, Measurement
from tests.conftest import YEAR

pytestmark = pytest.mark.django_db

STATUSES = ("draft", "submitted", "returned", "approved", "not_applicable")
#: From (None: no entry yet) → the statuses whoever writes the value may take it to, and those
#: only the standing office may.
BY_OFFICER = {
    None: {"draft", "submitted"},
    "draft": {"draft", "submitted"},
    "submitted": {"draft", "submitted"},
    "returned": {"draft", "submitted"},
    "approved": {"draft", "submitted"},
    "not_applicable": set(),
}
BY_REVIEWER_ONLY = {
    None: {"not_applicable"},
    "draft": {"not_applicable"},
    "submitted": {"approved", "returned", "not_applicable"},
    "returned": {"not_applicable"},
    "approved": {"not_applicable"},
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
@pytest.mark.parametrize("reviewer", [False, True])
def test_every_change_of_status_follows_the_table(world, old, new, reviewer):
    allowed = new in BY_OFFICER[old] or (reviewer and new in BY_REVIEWER_ONLY[old])
    if allowed:
        entry(world, old).check_transition(new, reviewer=reviewer)
    else:
        with pytest.raises((ValidationError, PermissionDenied)):
            entry(world, old).check_transition(new, reviewer=reviewer)


def test_an_officer_cannot_overwrite_an_entry_marked_not_applicable(world):
    with pytest.raises(ValidationError) as error:
        entry(world, "not_applicable").check_transition("submitted", reviewer=False)
    assert error.value.code == "not_applicable"


def test_only_the_standing_office_marks_an_entry_not_applicable(world):
    with pytest.raises(PermissionDenied):
        entry(world, "draft").check_transition("not_applicable", reviewer=False)


@pytest.mark.parametrize(("old", "new"), [("approved", "approved"), ("draft", "returned")])
def test_reviewing_what_is_not_waiting_for_review_says_so(world, old, new):
    with pytest.raises(ValidationError) as error:
        entry(world, old).check_transition(new, reviewer=True)
    assert error.value.code == "not_submitted"


def test_a_change_the_table_does_not_list_names_both_statuses(world, monkeypatch):
    monkeypatch.setitem(TRANSITIONS, "approved", {"submitted": "officer"})
    with pytest.raises(ValidationError) as error:
        entry(world, "approved").check_transition("draft", reviewer=True)
    assert error.value.code == "transition"
    assert {"old", "new"} <= set(error.value.params)
