"""2.1.2: the share of recognised districts follows the districts' results."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from assignments.models import Unit
from criteria.models import CriteriaSet, ListSource
from evaluation.dashboard import baseline
from evaluation.models import CommitteeDecision
from measurements.models import Measurement
from tests.conftest import YEAR
from tests.factories import (
    make_criterion,
    make_indicator,
    make_meeting,
    make_pilots,
    make_standard,
    make_unit,
)

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
    meeting = make_meeting(YEAR, user)
    for index, district in enumerate(districts):
        CommitteeDecision.objects.update_or_create(
            unit=district,
            year=YEAR,
            defaults={
                "meeting": meeting,
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


def result_112_provisional(world):
    evaluation = baseline(world.criteria_set, world.city, YEAR, provisional=True).evaluation
    return next(r for r in evaluation.indicators if r.code == "1.1.2")


def test_a_typed_value_never_counts(world, fifteen_districts):
    """Before: with no decision and no district set, a typed 12/15 was counted. Now only the
    committee's recognitions count: none recorded yet, so there is no data."""
    Measurement.objects.create(
        indicator=world.indicator("1.1.2"),
        unit=world.city,
        year=YEAR,
        status="approved",
        numerator=12,
        denominator=15,
    )
    assert result_112(world).status.value == "no_data"


@pytest.fixture
def eleven_computed_eight_decided(world, fifteen_districts, personas):
    """A district set with one document indicator: eleven districts have it approved (computed
    «Đạt»), four have nothing; the committee recognised eight of the eleven and has not decided
    on the rest."""
    district_set = CriteriaSet.objects.create(code="d", name="Bộ quận/huyện", level="district")
    criterion = make_criterion(make_standard(district_set, "1"), "1.1")
    document = make_indicator(criterion, "1.1.1", kind="document", threshold=None)
    for district in fifteen_districts[:11]:
        Measurement.objects.create(
            indicator=document, unit=district, year=YEAR, status="approved", yes=True
        )
    decide(fifteen_districts[:8], 8, personas["committee"])
    return fifteen_districts


def test_officially_only_the_committees_recognitions_count(world, eleven_computed_eight_decided):
    result = result_112(world)
    assert result.status.value == "not_met"
    assert result.explanation.startswith("8/15 quận/huyện được công nhận = 53,33 % < 70 %")


def test_provisionally_undecided_districts_count_by_their_computed_verdict(
    world, eleven_computed_eight_decided
):
    """8 recognised + 3 undecided computed «Đạt» = 11 of 15, and the share says how it counts."""
    result = result_112_provisional(world)
    assert result.status.value == "met"
    assert result.explanation == (
        "11/15 quận/huyện được công nhận, tạm tính theo kết quả tự đánh giá = 73,33 % ≥ 70 % — Đạt"
    )


def test_provisionally_a_recorded_decision_wins_over_the_computed_verdict(
    world, eleven_computed_eight_decided, personas
):
    """Districts 9–11 computed «Đạt» but not recognised: 8 of 15 (the four undecided have no
    computed «Đạt» to count, but they are counted by it all the same: the share says so)."""
    decide(eleven_computed_eight_decided[:11], 8, personas["committee"])
    assert result_112_provisional(world).explanation.startswith(
        "8/15 quận/huyện được công nhận, tạm tính theo kết quả tự đánh giá = 53,33 %"
    )


def test_without_a_district_set_no_district_has_a_computed_verdict(
    client_for, world, fifteen_districts
):
    """Before: a district without a district set was scored against the city's indicators."""
    Measurement.objects.create(
        indicator=world.indicator("1.1.1"),
        unit=world.district_a,
        year=YEAR,
        status="approved",
        yes=True,
    )
    response = client_for("committee").get(f"/dashboard/{YEAR}/HP-A/")
    html = response.content.decode()
    assert response.context["data"] is None
    assert "Chưa có bộ tiêu chí quận/huyện cho năm 2022" in html
    assert 'id="verdict"' not in html
    assert result_112_provisional(world).explanation.startswith("0/15 quận/huyện được công nhận")


def test_the_evaluate_command_gives_a_district_without_a_set_no_verdict(world, fifteen_districts):
    with pytest.raises(CommandError, match="Chưa có bộ tiêu chí quận/huyện cho năm 2022"):
        call_command("evaluate", "--year", str(YEAR), "--unit", "HP-A", stdout=StringIO())


# --- What the recognitions can still reach ---------------------------------------------------


def flag_pilots(districts, count: int) -> None:
    make_pilots(YEAR, districts[:count])


def test_eight_pilots_of_fifteen_can_reach_at_most_53_33_percent(
    client_for, world, fifteen_districts
):
    flag_pilots(fifteen_districts, 8)
    html = client_for("committee").get(f"/dashboard/{YEAR}/").content.decode()
    assert "Quận/huyện thí điểm: 8/15; Ban chỉ đạo đã công nhận: 0." in html
    assert "Tối đa: 8/15 quận/huyện được công nhận = 53,33 % &lt; 70 %" in html
    assert "Năm nay không còn có thể đạt yêu cầu (Tối thiểu 70 %)." in html


def test_the_ceiling_counts_recognitions_and_undecided_pilots(
    client_for, world, fifteen_districts, personas
):
    """Pilots 1–5 recognised, pilot 6 not, pilots 7–8 undecided: at most 5 + 2 = 7 of 15."""
    flag_pilots(fifteen_districts, 8)
    decide(fifteen_districts[:6], 5, personas["committee"])
    html = client_for("committee").get(f"/dashboard/{YEAR}/").content.decode()
    assert "Ban chỉ đạo đã công nhận: 5." in html
    assert "Tối đa: 7/15 quận/huyện được công nhận = 46,67 % &lt; 70 %" in html


def test_a_reachable_requirement_is_not_called_unreachable(client_for, world, fifteen_districts):
    flag_pilots(fifteen_districts, 11)
    html = client_for("committee").get(f"/dashboard/{YEAR}/").content.decode()
    assert "Tối đa: 11/15 quận/huyện được công nhận = 73,33 % ≥ 70 %" in html
    assert "không còn có thể đạt" not in html


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
    assert row.verdict.computed is None  # no district set: no computed verdict
    assert row.verdict.differs
    assert matrix.recognized_count == 1
    assert "Khác kết quả tính toán" in response.content.decode()


def test_the_dashboard_links_the_share_to_its_list(client_for, world, fifteen_districts):
    html = client_for("committee").get(f"/dashboard/{YEAR}/").content.decode()
    assert f'href="/dashboard/{YEAR}/districts/">Danh sách chi tiết' in html
