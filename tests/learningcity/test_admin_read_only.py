"""The admin shows reported values, documents and the committee's decisions, with their history,
and changes none of them: not by its change form, not by restoring a past version."""

import pytest
from django.urls import reverse

from evaluation.models import CommitteeDecision
from evidence.models import Document
from measurements.models import Measurement
from tests.conftest import YEAR
from tests.factories import make_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(world, personas) -> dict:
    entry = Measurement.objects.create(
        indicator=world.indicator("1.1.2"),
        unit=world.city,
        year=YEAR,
        numerator=50,
        denominator=80,
        status=Measurement.Status.SUBMITTED,
    )
    entry.value = None
    entry.note = "sửa lần hai"
    entry.save()
    document = Document.objects.create(
        unit=world.city, year=YEAR, title="Nghị quyết", created_by=personas["standing_office"]
    )
    decision = CommitteeDecision.objects.create(
        unit=world.city,
        year=YEAR,
        meeting=make_meeting(YEAR, personas["committee"]),
        decision="recognized",
        recorded_by=personas["committee"],
    )
    return {"measurement": entry, "document": document, "committeedecision": decision}


def admin_url(obj, view: str, *args: object) -> str:
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=[obj.pk, *args])


@pytest.mark.parametrize("name", ["measurement", "document", "committeedecision"])
def test_the_change_form_shows_the_record_without_a_save_button(client_for, records, name):
    html = client_for("administrator").get(admin_url(records[name], "change")).content.decode()
    assert 'name="_save"' not in html
    assert 'name="_continue"' not in html


@pytest.mark.parametrize("name", ["measurement", "document", "committeedecision"])
def test_a_posted_change_form_changes_nothing(client_for, records, name):
    before = type(records[name]).objects.filter(pk=records[name].pk).values().get()
    response = client_for("administrator").post(admin_url(records[name], "change"), {})
    assert response.status_code == 403
    assert type(records[name]).objects.filter(pk=records[name].pk).values().get() == before


def test_a_past_version_can_be_read_but_not_restored(client_for, records):
    entry = records["measurement"]
    first = entry.history.earliest()
    url = admin_url(entry, "simple_history", first.history_id)
    client = client_for("administrator")
    assert client.get(url).status_code == 200
    data = {"numerator": "80", "denominator": "80", "status": "approved", "version": "9"}
    response = client.post(url, data)
    assert response.status_code == 403
    entry.refresh_from_db()
    assert (entry.status, entry.numerator, entry.value) == ("submitted", 50, None)
    assert entry.note == "sửa lần hai"
