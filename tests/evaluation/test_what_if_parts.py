"""The what-if sandbox on an indicator made of parts: 3.1.5 of the shipped set, met only when
solid waste (a) and wastewater (b) both reach 90 %. Figures worked by hand."""

import json
import re
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.urls import reverse

from assignments.models import Unit
from assignments.permissions import STEERING_COMMITTEE_GROUP
from criteria.models import Indicator
from measurements.models import Measurement, PartValue

pytestmark = pytest.mark.django_db

YEAR = 2022
SOLID = "Chất thải rắn trên địa bàn"
WATER = "Nước thải khu dân cư tập trung, cơ sở sản xuất - kinh doanh"


@pytest.fixture
def committee(client, haiphong) -> object:
    """A steering-committee member, who may try scenarios (and write nothing)."""
    user = User.objects.create_user("bcd.parts")
    user.groups.add(Group.objects.get_or_create(name=STEERING_COMMITTEE_GROUP)[0])
    client.force_login(user)
    return client


@pytest.fixture
def both_met(haiphong) -> Measurement:
    """3.1.5 of the city approved with both parts met: a) 950/1.000, b) 92 %."""
    indicator = Indicator.objects.get(
        code="3.1.5", criterion__standard__criteria_set__code="hp-city-2022"
    )
    entry = Measurement.objects.create(
        indicator=indicator, unit=Unit.objects.get(code="HP"), year=YEAR, status="approved"
    )
    parts = {part.code: part for part in indicator.parts.all()}
    PartValue.objects.create(measurement=entry, part=parts["a"], numerator=950, denominator=1000)
    PartValue.objects.create(measurement=entry, part=parts["b"], value=Decimal(92))
    return entry


def url() -> str:
    return reverse("evaluation:what_if", args=[YEAR])


def form_data(response) -> dict[str, str]:
    """What the page's form would post back unchanged."""
    form = response.context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value not in (None, False, ""):
            data[name] = "on" if value is True else str(value)
    return data


def row_of(html: str, code: str) -> str:
    return re.search(rf'<tr id="whatif-{re.escape(code)}">.*?</tr>', html, re.S).group(0)


def test_the_sandbox_asks_for_each_part_with_its_requirement(committee):
    response = committee.get(url())
    row = row_of(response.content.decode(), "3.1.5")

    assert f"a) {SOLID} — Tối thiểu 90 %" in row
    assert f"b) {WATER} — Tối thiểu 90 %" in row
    for name in ("numerator", "denominator", "value"):
        assert f'name="3.1.5-part-a-{name}"' in row
        assert f'name="3.1.5-part-b-{name}"' in row
    assert 'name="3.1.5-numerator"' not in row  # no figure for the indicator as a whole
    assert 'name="3.1.4-numerator"' in response.content.decode()  # others keep theirs


def test_the_sandbox_starts_from_the_approved_parts(committee, both_met):
    data = form_data(committee.get(url()))
    assert data["3.1.5-part-a-numerator"] == "950"
    assert data["3.1.5-part-a-denominator"] == "1.000"
    assert data["3.1.5-part-b-value"] == "92"


def test_95_and_89_9_percent_leave_3_1_5_not_met(committee):
    data = form_data(committee.get(url()))
    data |= {"3.1.5-part-a-value": "95", "3.1.5-part-b-value": "89,9"}

    response = committee.post(url(), data)

    result = response.context["results"]["3.1.5"]
    assert result.status.value == "not_met"
    assert [(p.code, p.status.value) for p in result.parts] == [("a", "met"), ("b", "not_met")]
    # a: 95 % ≥ 90 %; b: 89,9 % < 90 %, 0,1 point short — so the indicator is not met.
    row = row_of(response.content.decode(), "3.1.5")
    assert f"a) {SOLID}: 95 % ≥ 90 % — Đạt" in row
    assert f"b) {WATER}: 89,9 % &lt; 90 % — Không đạt (còn thiếu 0,1 điểm %)" in row
    assert "Phần b chưa đạt — Không đạt" in row


def test_one_part_below_its_threshold_flips_the_approved_indicator(committee, both_met):
    data = form_data(committee.get(url())) | {"3.1.5-part-b-value": "89,9"}
    assert data["3.1.5-part-a-numerator"] == "950"  # a left as approved: 95 %

    response = committee.post(url(), data)

    flips = {(c.level, c.code): (c.before, c.after) for c in response.context["changes"]}
    assert flips[("indicator", "3.1.5")] == ("met", "not_met")


def test_unchanged_parts_flip_nothing(committee, both_met):
    response = committee.post(url(), form_data(committee.get(url())))
    assert response.context["changes"] == []
    assert response.context["results"]["3.1.5"].status.value == "met"


def test_a_bad_part_is_reported_on_that_part_and_nothing_is_saved(committee, both_met):
    data = form_data(committee.get(url()))
    data |= {"3.1.5-part-b-value": "", "3.1.5-part-b-numerator": "5"}
    data |= {"3.1.5-part-b-denominator": "4"}

    response = committee.post(url(), data)

    assert response.status_code == 200
    assert response.context["after"] is None
    html = response.content.decode()
    part_b = re.search(r'<fieldset[^>]*id="whatif-3.1.5-part-b".*?</fieldset>', html, re.S)
    assert "Chỉ báo 3.1.5: Phần b: Tử số (5) không được lớn hơn mẫu số (4)." in part_b.group(0)
    [field] = re.findall(r'<input[^>]*name="3\.1\.5-part-b-numerator"[^>]*>', html)
    assert 'aria-invalid="true"' in field
    assert 'value="5"' in field
    assert list(PartValue.objects.values_list("part__code", "numerator", "value")) == [
        ("a", 950, None),
        ("b", None, Decimal(92)),
    ]
    assert Measurement.objects.get().version == both_met.version


def test_the_page_scores_parts_as_evaluate_what_if_does(committee, tmp_path):
    data = form_data(committee.get(url()))
    data |= {"3.1.5-part-a-numerator": "899", "3.1.5-part-a-denominator": "1.000"}
    data |= {"3.1.5-part-b-value": "90"}
    page = committee.post(url(), data).context["results"]["3.1.5"]

    scenario = tmp_path / "kich-ban.json"
    values = {
        "3.1.5": {"parts": {"a": {"numerator": 899, "denominator": 1000}, "b": {"value": 90}}}
    }
    scenario.write_text(json.dumps({"values": values}), encoding="utf-8")
    output = StringIO()
    call_command(
        "evaluate",
        "--year",
        str(YEAR),
        "--what-if",
        str(scenario),
        "--format",
        "json",
        stdout=output,
    )
    command = next(i for i in json.loads(output.getvalue())["indicators"] if i["code"] == "3.1.5")
    # a: 899/1.000 = 89,90 % < 90 %; b: exactly 90 % ≥ 90 % — not met because of a.
    assert (page.status.value, page.explanation) == ("not_met", command["explanation"])
    assert page.explanation.endswith("Phần a chưa đạt — Không đạt")
