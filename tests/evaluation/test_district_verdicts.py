"""2.1.2: the share of recognised districts follows the districts' results."""

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from assignments.models import Unit
from criteria.models import CriteriaSet, ListSource
from evaluation.dashboard import baseline
from evaluation.models import CommitteeDecision
from measurements.models import Measurement
from tests.conftest import YEAR
from tests.factories import make_criterion, make_indicator, make_standard, make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def fifteen_districts(world, personas):
    """The world's two districts and thirteen more; 1.1.2 counted from the districts' verdicts."""
    for n in range(13):
        make_unit(f"HP-D{n}", "rural", parent=world.city)
    indicator = world.indicator("1.1.2")
    indicator.list_source = ListSource.DISTRICT_VERDICTS
    indicator.list_label = "quận/huyện được công nhận"
    indicator.save()
    return list(Unit.objects.exclude(kind="city").order_by("code"))


def decide(districts, recognised: int, user):
    for index, district in enumerate(districts):
        CommitteeDecision.objects.update_or_create(
            unit=district,
            year=YEAR,
            defaults={
                "meeting_date": date(2022, 12, 20),
                "decision": "recognized" if index < recognised else "not_recognized",
                "recorded_by": user,
            },
        )


def result_112(world):
    evaluation = baseline(world.criteria_set, world.city, YEAR).evaluation
    return next(r for r in evaluation.indicators if r.code == "1.1.2")


def test_eleven_of_fifteen_recognised_is_met(world, fifteen_districts, personas):
    decide(fifteen_districts, 11, personas["committee"])
    result = result_112(world)
    assert result.status.value == "met"
    assert result.explanation == "11/15 quận/huyện được công nhận = 73,33 % ≥ 70 % — Đạt"


def test_one_district_fewer_flips_it_to_not_met(world, fifteen_districts, personas):
    decide(fifteen_districts, 11, personas["committee"])
    assert result_112(world).status.value == "met"
    decide(fifteen_districts, 10, personas["committee"])
    result = result_112(world)
    assert result.status.value == "not_met"
    assert result.explanation.startswith("10/15 quận/huyện được công nhận = 66,67 % < 70 %")


def test_without_decisions_or_district_set_a_typed_value_stands(world, fifteen_districts):
    Measurement.objects.create(
        indicator=world.indicator("1.1.2"),
        unit=world.city,
        year=YEAR,
        status="approved",
        numerator=12,
        denominator=15,
    )
    assert result_112(world).explanation == (
        "12/15 quận/huyện được công nhận = 80,00 % ≥ 70 % — Đạt"
    )


def test_a_district_set_counts_computed_verdicts(world, fifteen_districts, personas):
    district_set = CriteriaSet.objects.create(code="d", name="Bộ quận/huyện", level="district")
    criterion = make_criterion(make_standard(district_set, "1"), "1.1")
    make_indicator(criterion, "1.1.1", kind="document", threshold=None)
    result = result_112(world)
    assert result.explanation.startswith("0/15 quận/huyện được công nhận")


def test_the_evaluate_command_agrees(world, fifteen_districts, personas):
    decide(fifteen_districts, 10, personas["committee"])
    out = StringIO()
    call_command("evaluate", "--year", str(YEAR), "--format", "json", stdout=out)
    document = json.loads(out.getvalue())
    row = next(i for i in document["indicators"] if i["code"] == "1.1.2")
    assert row["status"] == "not_met"
    assert row["explanation"].startswith("10/15 quận/huyện được công nhận")


def test_the_matrix_shows_verdict_decision_and_when_they_differ(
    client_for, world, fifteen_districts, personas
):
    decide(fifteen_districts[:1], 1, personas["committee"])  # HP-A recognised by the committee
    response = client_for("committee").get(f"/dashboard/{YEAR}/districts/")
    matrix = response.context["matrix"]
    row = next(r for r in matrix.rows if r.unit.code == "HP-A")
    assert row.verdict.decided is True
    assert row.verdict.differs  # no district set: the computed verdict is incomplete
    assert matrix.recognized_count == 1
    assert "Khác kết quả tính toán" in response.content.decode()


def test_the_dashboard_links_the_share_to_its_list(client_for, world, fifteen_districts):
    html = client_for("committee").get(f"/dashboard/{YEAR}/").content.decode()
    assert f'href="/dashboard/{YEAR}/districts/">Danh sách chi tiết' in html
