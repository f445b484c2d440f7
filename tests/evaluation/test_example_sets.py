"""Example criteria sets stay examples (issue 13.3): every page and command that shows results
computed from one says so, and its computed verdicts never reach an official result."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from assignments.models import Unit
from criteria.models import ListSource
from evaluation.dashboard import baseline
from evaluation.models import CommitteeDecision
from measurements.models import Measurement
from tests.conftest import YEAR
from tests.factories import (
    make_criteria_set,
    make_criterion,
    make_indicator,
    make_meeting,
    make_standard,
    make_unit,
)

pytestmark = pytest.mark.django_db

BANNER = "Bộ tiêu chí mẫu minh hoạ:"


@pytest.fixture
def example_set(world):
    """An example district set whose one document indicator every district has approved: each
    district is computed «Đạt»; 1.1.2 of the city counts the districts' recognitions."""
    for n in range(13):
        make_unit(f"HP-D{n}", "rural", parent=world.city)
    share = world.indicator("1.1.2")
    share.list_source = ListSource.DISTRICT_VERDICTS
    share.list_label = "quận/huyện được công nhận"
    share.save()
    example = make_criteria_set("mau", level="district", is_example=True)
    document = make_indicator(
        make_criterion(make_standard(example)), "1.1.1", kind="document", threshold=None
    )
    for district in Unit.objects.exclude(kind="city"):
        Measurement.objects.create(
            indicator=document, unit=district, year=YEAR, status="approved", yes=True
        )
    return example


def share_112(world, *, provisional: bool):
    evaluation = baseline(world.criteria_set, world.city, YEAR, provisional=provisional).evaluation
    return next(result for result in evaluation.indicators if result.code == "1.1.2")


def test_fifteen_example_verdicts_never_reach_the_official_result(world, example_set):
    assert share_112(world, provisional=False).status.value == "no_data"
    assert share_112(world, provisional=True).explanation.startswith(
        "15/15 quận/huyện được công nhận, tạm tính theo kết quả tự đánh giá = 100,00 %"
    )


def test_a_recorded_recognition_counts_whatever_set_the_district_was_computed_with(
    world, example_set, personas
):
    meeting = make_meeting(YEAR, personas["committee"])
    for district in Unit.objects.exclude(kind="city").order_by("code")[:11]:
        CommitteeDecision.objects.create(
            unit=district,
            year=YEAR,
            meeting=meeting,
            decision="recognized",
            recorded_by=personas["committee"],
        )
    assert share_112(world, provisional=False).explanation.startswith(
        "11/15 quận/huyện được công nhận = 73,33 % ≥ 70 % — Đạt"
    )


def test_the_district_page_and_the_matrix_say_so(client_for, world, example_set):
    client = client_for("committee")
    district_page = client.get(f"/dashboard/{YEAR}/HP-A/").content.decode()
    assert BANNER in district_page
    assert "Đây không phải kết quả chính thức" in district_page
    assert BANNER in client.get(f"/dashboard/{YEAR}/districts/").content.decode()
    assert BANNER not in client.get(f"/dashboard/{YEAR}/").content.decode()  # the city's own set


def test_a_set_that_is_no_example_has_no_banner(client_for, world, example_set):
    type(example_set).objects.filter(pk=example_set.pk).update(is_example=False)
    client = client_for("committee")
    assert BANNER not in client.get(f"/dashboard/{YEAR}/HP-A/").content.decode()
    assert BANNER not in client.get(f"/dashboard/{YEAR}/districts/").content.decode()


def test_the_evaluate_command_says_so(world, example_set):
    out = StringIO()
    call_command("evaluate", "--year", str(YEAR), "--unit", "HP-A", "--format", "json", stdout=out)
    assert json.loads(out.getvalue())["criteria_set"] == {"code": "mau", "example": True}
    out = StringIO()
    call_command("evaluate", "--year", str(YEAR), "--unit", "HP-A", stdout=out)
    assert out.getvalue().startswith("Bộ tiêu chí mẫu minh hoạ «Bộ tiêu chí mau»: kết quả dưới")


def test_the_city_report_of_an_example_set_says_so(client_for, world):
    type(world.criteria_set).objects.filter(pk=world.criteria_set.pk).update(is_example=True)
    html = client_for("committee").get(f"/dashboard/{YEAR}/report/").content.decode()
    assert "Kết quả MẪU theo bộ tiêu chí mẫu minh hoạ (số liệu đã duyệt)" in html
