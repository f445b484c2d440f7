"""Recognition levels and validity (Thông tư 24 and 25/2023) on a commune set of 2026: a ward
meeting level 1 but not level 2 reads «Đạt mức độ 1»; the committee recognises it at a level,
valid for the set's three years; the city's dashboard lists recognitions ending within six
months."""

import json
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from assignments.models import Unit
from assignments.permissions import actor_for
from criteria.models import EvaluationYear, RecognitionLevel
from evaluation.models import CommitteeDecision
from evaluation.selectors import expiring_recognitions, months_later
from evaluation.services import decision_record
from measurements.models import Measurement
from tests.conftest import YEAR
from tests.factories import (
    make_criteria_set,
    make_criterion,
    make_indicator,
    make_meeting,
    make_standard,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def communes(world):
    """A commune set with two levels (level 1: 1.1.1 and 1.1.2; level 2: also 1.2.1), valid for
    three years; the ward P-AH from 2026, with 1.1.1 and 1.1.2 approved as met, 1.2.1 not."""
    EvaluationYear.objects.create(year=2026)
    criteria_set = make_criteria_set(
        "tt25-mau",
        level="commune",
        recognition_rule="levels",
        validity_years=3,
        is_example=True,
        first_year=2026,
    )
    standard = make_standard(criteria_set, "1")
    first, second = make_criterion(standard, "1.1"), make_criterion(standard, "1.2")
    indicators = {
        "1.1.1": make_indicator(first, "1.1.1", kind="document", threshold=None),
        "1.1.2": make_indicator(first, "1.1.2", kind="document", threshold=None),
        "1.2.1": make_indicator(second, "1.2.1", kind="document", threshold=None),
    }
    RecognitionLevel.objects.create(criteria_set=criteria_set, number=1).indicators.set(
        [indicators["1.1.1"], indicators["1.1.2"]]
    )
    RecognitionLevel.objects.create(criteria_set=criteria_set, number=2).indicators.set(
        [indicators["1.2.1"]]
    )
    ward = Unit.objects.create(
        code="P-AH", name="Phường An Hải", kind="ward", parent=world.city, valid_from=2026
    )
    for code, yes in (("1.1.1", True), ("1.1.2", True), ("1.2.1", False)):
        Measurement.objects.create(
            indicator=indicators[code], unit=ward, year=2026, yes=yes, status="approved"
        )
    return ward


def test_a_ward_meeting_level_1_but_not_level_2_reaches_level_1(client_for, communes):
    out = StringIO()
    call_command("evaluate", "--year=2026", "--unit=P-AH", "--format=json", stdout=out)
    document = json.loads(out.getvalue())
    assert (document["verdict"], document["level"], document["met_count"]) == ("recognized", 1, 2)
    page = client_for("standing_office").get("/dashboard/2026/P-AH/").content.decode()
    verdict = page[page.index('id="verdict"') : page.index("</span>", page.index('id="verdict"'))]
    assert "Đạt mức độ 1" in verdict


def test_the_committee_recognises_a_level_valid_for_three_years(communes, personas):
    committee = personas["committee"]
    meeting = make_meeting(2026, committee, held_on=date(2026, 12, 20))
    data = {"meeting": meeting, "decision": "recognized", "number": "", "note": ""}
    actor = actor_for(committee)
    with pytest.raises(ValidationError, match="mức độ"):
        decision_record(actor=actor, unit=communes, year=2026, user=committee, data=data)
    assert not CommitteeDecision.objects.exists()
    decision = decision_record(
        actor=actor, unit=communes, year=2026, user=committee, data={**data, "level": 1}
    )
    # Decided on 20/12/2026, valid three years: to 19/12/2029.
    assert (decision.level, decision.valid_until) == (1, date(2029, 12, 19))


def test_a_decision_not_to_recognise_has_no_level_and_no_validity(communes, personas):
    committee = personas["committee"]
    meeting = make_meeting(2026, committee)
    decision = decision_record(
        actor=actor_for(committee),
        unit=communes,
        year=2026,
        user=committee,
        data={"meeting": meeting, "decision": "not_recognized", "level": 2},
    )
    assert (decision.level, decision.valid_until) == (None, None)


def test_the_pilots_set_without_validity_never_expires(world, personas):
    committee = personas["committee"]
    decision = decision_record(
        actor=actor_for(committee),
        unit=world.city,
        year=YEAR,
        user=committee,
        data={"meeting": make_meeting(YEAR, committee), "decision": "recognized"},
    )
    assert (decision.level, decision.valid_until) == (None, None)


def test_six_months_later_keeps_the_day_or_takes_the_months_last():
    assert months_later(date(2026, 12, 1), 6) == date(2027, 6, 1)
    assert months_later(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert months_later(date(2027, 8, 31), 6) == date(2028, 2, 29)


def test_recognitions_ending_within_six_months_are_listed_on_the_citys_dashboard(
    client_for, world, personas
):
    """Four recognitions of 2022 ending, counted from today: in 3 months (listed), in 7 months
    (not yet), yesterday (ended), in 2 months but renewed by a recognition of 2023 (not)."""
    today = timezone.localdate()
    EvaluationYear.objects.create(year=2023)
    committee = personas["committee"]
    meeting = make_meeting(YEAR, committee)
    later = make_meeting(2023, committee)
    others = [
        Unit.objects.create(code=f"HP-{letter}", name=f"Đơn vị {letter}", kind="urban")
        for letter in "CD"
    ]
    units = [world.district_a, world.district_b, *others]
    ends = [
        months_later(today, 3),
        months_later(today, 7),
        today - timedelta(days=1),
        months_later(today, 2),
    ]
    for unit, until in zip(units, ends, strict=True):
        CommitteeDecision.objects.create(
            unit=unit,
            year=YEAR,
            meeting=meeting,
            decision="recognized",
            valid_until=until,
            recorded_by=committee,
        )
    CommitteeDecision.objects.create(
        unit=others[1], year=2023, meeting=later, decision="recognized", recorded_by=committee
    )
    assert [decision.unit.code for decision in expiring_recognitions(today)] == ["HP-A"]
    page = client_for("standing_office").get(f"/dashboard/{YEAR}/").content.decode()
    listed = page[page.index('id="expiring"') :]
    assert "Đơn vị HP-A" in listed
    assert f"có hiệu lực đến {ends[0]:%d/%m/%Y}" in listed
    assert "Đơn vị HP-B" not in listed
    assert "Đơn vị D" not in listed


@pytest.fixture
def province(world, communes):
    """Two more wards of 2026 (three in all), the districts gone after 2024, and a provincial
    set of 2026 whose one indicator asks that at least 60 % of the communes be recognised,
    counted from their recorded recognitions as 2.1.2 counts the districts'."""
    Unit.objects.filter(pk__in=[world.district_a.pk, world.district_b.pk]).update(valid_to=2024)
    for code, name in (("P-HB", "Phường Hồng Bàng"), ("P-NQ", "Phường Ngô Quyền")):
        Unit.objects.create(code=code, name=name, kind="ward", parent=world.city, valid_from=2026)
    provincial = make_criteria_set("tinh-2026", level="city", first_year=2026, is_example=True)
    criterion = make_criterion(make_standard(provincial, "1"), "1.1")
    make_indicator(
        criterion,
        "1.1.1",
        kind="share_at_least",
        threshold="60",
        list_source="district_verdicts",
        list_label="xã, phường, đặc khu được công nhận",
    )
    return provincial


def test_2026s_matrix_lists_the_communes_against_their_own_set(client_for, province):
    """The city's units of 2026 are its three wards (the districts ended with 2024), each with
    its verdict by the commune set: P-AH reaches level 1, the others have no data."""
    page = client_for("standing_office").get("/dashboard/2026/districts/").content.decode()
    table = page[page.index("<tbody") : page.index("</tbody>")]
    names = ["Phường An Hải", "Phường Hồng Bàng", "Phường Ngô Quyền"]
    assert sorted(names, key=table.index) == names
    assert "Đơn vị HP-A" not in table
    rows = table.split("</tr>")
    assert "Đạt mức độ 1" in next(row for row in rows if "Phường An Hải" in row)
    assert "Chưa đủ dữ liệu" in next(row for row in rows if "Phường Hồng Bàng" in row)


def test_the_provincial_share_counts_the_communes_recorded_recognitions(province, personas):
    """Three wards in 2026; the committee recognises P-AH and P-HB: 2 / 3 = 66,67 % ≥ 60 %."""
    committee = personas["committee"]
    meeting = make_meeting(2026, committee, held_on=date(2026, 12, 20))
    for code in ("P-AH", "P-HB"):
        CommitteeDecision.objects.create(
            unit=Unit.objects.get(code=code),
            year=2026,
            meeting=meeting,
            decision="recognized",
            level=1,
            recorded_by=committee,
        )
    out = StringIO()
    call_command("evaluate", "--year=2026", "--unit=HP", "--format=json", stdout=out)
    indicator = json.loads(out.getvalue())["indicators"][0]
    assert (indicator["code"], indicator["status"]) == ("1.1.1", "met")
    assert indicator["explanation"].startswith("2/3 xã, phường, đặc khu được công nhận")
