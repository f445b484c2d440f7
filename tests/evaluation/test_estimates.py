"""Estimated and final figures (issue 14.6): a value can be marked «ước tính» and later replaced
by the final figure; the dashboard, the report and the frozen record say which figures were
estimates."""

import json

import pytest
from django.urls import reverse

from assignments.permissions import actor_for
from evaluation.models import FrozenRecord
from evaluation.services import decision_record
from measurements import services
from measurements.models import Measurement
from measurements.services import MeasurementData
from tests.conftest import YEAR
from tests.factories import make_meeting

pytestmark = pytest.mark.django_db


def save(personas, world, estimate: bool | None, numerator: int = 56) -> Measurement:
    entry = Measurement.objects.filter(indicator__code="1.1.2", unit=world.city).first()
    return services.measurement_save(
        actor=actor_for(personas["standing_office"]),
        user=personas["standing_office"],
        indicator=world.indicator("1.1.2"),
        unit=world.city,
        year=YEAR,
        data=MeasurementData(numerator=numerator, denominator=80, estimate=estimate),
        expected_version=entry.version if entry else None,
        submit=False,
    )


def test_the_entry_form_marks_an_estimate_then_the_final_figure_replaces_it(client_for, world):
    url = reverse("measurements:measurement", args=[YEAR, "HP", "1.1.2"])
    client = client_for("division")
    client.post(url, {"numerator": "56", "denominator": "80", "is_estimate": "on", "save": "1"})
    assert Measurement.objects.get(indicator__code="1.1.2").is_estimate is True
    assert 'id="estimate"' in client.get(url).content.decode()
    client.post(url, {"numerator": "57", "denominator": "80", "version": "1", "save": "1"})
    entry = Measurement.objects.get(indicator__code="1.1.2")
    assert (entry.numerator, entry.is_estimate) == (57, False)
    assert [h.is_estimate for h in entry.history.order_by("history_id")] == [True, False]


def test_a_save_that_says_nothing_of_it_keeps_the_mark(world, personas):
    save(personas, world, estimate=True)
    assert save(personas, world, estimate=None, numerator=60).is_estimate is True


def test_the_dashboard_and_the_report_say_the_figure_is_an_estimate(client_for, world, personas):
    save(personas, world, estimate=True)
    Measurement.objects.filter(indicator__code="1.1.2").update(status="approved")
    client = client_for("committee")
    dashboard = client.get(reverse("evaluation:city", args=[YEAR])).content.decode()
    row = dashboard.split('id="indicator-1.1.2"')[1].split("</tr>")[0]
    assert "ước tính" in row
    report = client.get(reverse("evaluation:report", args=[YEAR])).content.decode()
    assert "56/80 = 70,00 % ≥ 70 % — Đạt (ước tính)" in report


def test_the_frozen_record_says_which_figures_were_estimates(world, personas):
    save(personas, world, estimate=True)
    Measurement.objects.filter(indicator__code="1.1.2").update(status="approved")
    committee = personas["committee"]
    decision_record(
        actor=actor_for(committee),
        unit=world.city,
        year=YEAR,
        user=committee,
        data={
            "meeting": make_meeting(YEAR, committee),
            "decision": "recognized",
            "number": "",
            "note": "",
        },
    )
    values = json.loads(FrozenRecord.objects.get().content)["values"]
    assert values == [
        {
            "code": "1.1.2",
            "status": "approved",
            "estimate": True,
            "input": {"numerator": "56", "denominator": "80"},
        }
    ]
