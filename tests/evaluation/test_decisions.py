"""The committee records its decision only for a year that is evaluated."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assignments.permissions import actor_for
from evaluation.models import CommitteeDecision
from evaluation.services import decision_record
from tests.conftest import YEAR
from tests.factories import make_meeting

pytestmark = pytest.mark.django_db

DATA = {"decision": "recognized", "number": "", "note": ""}


def test_a_decision_for_a_year_never_opened_is_refused(world, personas):
    committee = personas["committee"]
    with pytest.raises(ValidationError, match="2030"):
        decision_record(
            actor=actor_for(committee), unit=world.city, year=2030, user=committee, data=DATA
        )
    assert not CommitteeDecision.objects.exists()


def test_the_decision_page_says_so_and_writes_nothing(client_for, world):
    url = reverse("evaluation:decision", args=[2030, world.city.code])
    response = client_for("committee").post(url, {"meeting": "1", "decision": "recognized"})
    assert response.status_code == 200
    assert "2030" in response.content.decode()
    assert not CommitteeDecision.objects.exists()


def test_a_decision_for_an_evaluated_year_is_recorded(world, personas):
    committee = personas["committee"]
    meeting = make_meeting(YEAR, committee)
    decision_record(
        actor=actor_for(committee),
        unit=world.city,
        year=YEAR,
        user=committee,
        data={**DATA, "meeting": meeting},
    )
    assert CommitteeDecision.objects.get().year == YEAR
