"""The what-if sandbox: changes flip statuses on the page and never reach the database."""

import json
import re
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from criteria.models import EvaluationYear, Indicator
from measurements.models import Measurement
from tests.conftest import YEAR

pytestmark = pytest.mark.django_db


@pytest.fixture
def all_met(world):
    """Every indicator of the small world met with approved values."""
    values = {
        "1.1.1": {"yes": True},
        "1.1.2": {"numerator": 56, "denominator": 80},
        "2.1.1": {"value": Decimal("1.8"), "previous": Decimal("3.3")},
        "2.1.2": {"value": Decimal(277000), "previous": Decimal(245000)},
        "2.1.3": {"value": Decimal("0.04")},
    }
    for code, data in values.items():
        Measurement.objects.create(
            indicator=world.indicator(code), unit=world.city, year=YEAR, status="approved", **data
        )


def url():
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


def test_the_form_starts_from_the_official_values(client_for, all_met):
    response = client_for("committee").get(url())
    assert response.status_code == 200
    data = form_data(response)
    assert data["1.1.2-numerator"] == "56"
    assert data["2.1.1-value"] == "1,8"


def test_unchanged_values_flip_nothing(client_for, all_met):
    client = client_for("committee")
    response = client.post(url(), form_data(client.get(url())))
    assert response.context["changes"] == []
    assert "Không có gì thay đổi" in response.content.decode()


def test_one_value_below_threshold_flips_indicator_criterion_standard_and_verdict(
    client_for, all_met
):
    client = client_for("committee")
    data = form_data(client.get(url())) | {"1.1.2-numerator": "55"}
    response = client.post(url(), data)
    flips = {(c.level, c.code): (c.before, c.after) for c in response.context["changes"]}
    assert flips[("indicator", "1.1.2")] == ("met", "not_met")
    assert flips[("criterion", "1.1")] == ("met", "not_met")
    assert flips[("standard", "1")] == ("met", "not_met")
    assert flips[("verdict", "")] == ("recognized", "not_recognized")


def test_what_if_writes_nothing(client_for, all_met):
    client = client_for("committee")
    before = list(Measurement.objects.order_by("pk").values())
    history = Measurement.history.count()
    data = form_data(client.get(url())) | {"1.1.2-numerator": "1", "2.1.3-value": "5"}
    client.post(url(), data)
    assert list(Measurement.objects.order_by("pk").values()) == before
    assert Measurement.history.count() == history


def test_not_applicable_needs_a_reason(client_for, all_met):
    client = client_for("committee")
    data = form_data(client.get(url())) | {"2.1.3-na": "on"}
    response = client.post(url(), data)
    assert "Cần ghi lý do" in response.content.decode()
    assert response.context["after"] is None


def test_not_applicable_with_a_reason_drops_out(client_for, all_met):
    client = client_for("committee")
    data = form_data(client.get(url()))
    data |= {"2.1.3-na": "on", "2.1.3-reason": "Huyện đảo", "2.1.3-value": ""}
    response = client.post(url(), data)
    result = response.context["results"]["2.1.3"]
    assert result.status.value == "not_applicable"
    assert response.context["after"].verdict.value == "recognized"


def test_bad_number_is_reported_on_its_indicator(client_for, all_met):
    client = client_for("committee")
    data = form_data(client.get(url())) | {"1.1.2-numerator": "90"}
    response = client.post(url(), data)
    html = response.content.decode()
    assert "Chỉ báo 1.1.2" in html
    [field] = re.findall(r'<input[^>]*name="1\.1\.2-numerator"[^>]*>', html)
    assert 'value="90"' in field
    assert 'class="form-control form-control-sm is-invalid"' in field
    assert 'aria-invalid="true"' in field
    assert response.context["after"] is None


def marked(html: str, name: str) -> bool:
    """Whether the page draws a field as invalid."""
    [field] = re.findall(rf'<input[^>]*name="{re.escape(name)}"[^>]*>', html)
    return 'aria-invalid="true"' in field and "is-invalid" in field


def test_an_invalid_value_keeps_the_results_of_the_last_valid_try(client_for, all_met):
    """Issue 15.7: 55/80 made 1.1.2 fail; then a bad 2.1.3 leaves that picture on the page."""
    client = client_for("committee")
    tried = client.post(url(), form_data(client.get(url())) | {"1.1.2-numerator": "55"})
    assert tried.context["after"].verdict.value == "not_recognized"
    data = form_data(tried) | {"last": tried.context["last"], "2.1.3-value": "abc"}
    response = client.post(url(), data)
    assert response.context["kept"] is True
    assert response.context["after"].verdict.value == "not_recognized"
    assert response.context["results"]["1.1.2"].status.value == "not_met"
    html = response.content.decode()
    assert 'id="results-kept"' in html
    assert marked(html, "2.1.3-value")
    assert 'value="abc"' in html


def test_an_invalid_first_try_shows_the_official_results(client_for, all_met):
    client = client_for("committee")
    data = form_data(client.get(url())) | {"2.1.3-value": "abc", "last": "{not json"}
    response = client.post(url(), data)
    assert response.status_code == 200
    assert response.context["after"] is None
    assert response.context["results"]["2.1.3"].status.value == "met"


@pytest.mark.parametrize(
    ("typed", "at_fault", "not_at_fault"),
    [
        ({"1.1.2-denominator": "abc"}, "1.1.2-denominator", "1.1.2-numerator"),
        ({"1.1.2-denominator": "50"}, "1.1.2-denominator", "1.1.2-numerator"),  # 56 > 50
        ({"1.1.2-numerator": "-3"}, "1.1.2-numerator", "1.1.2-denominator"),
        ({"1.1.2-denominator": ""}, "1.1.2-denominator", "1.1.2-numerator"),  # 56 over nothing
        ({"2.1.1-previous": "120"}, "2.1.1-previous", "2.1.1-value"),  # a rate over 100 %
    ],
)
def test_the_field_at_fault_is_the_one_marked(client_for, all_met, typed, at_fault, not_at_fault):
    client = client_for("committee")
    html = client.post(url(), form_data(client.get(url())) | typed).content.decode()
    assert marked(html, at_fault)
    assert not marked(html, not_at_fault)


def test_decimal_comma_in_the_sandbox(client_for, all_met):
    client = client_for("committee")
    data = form_data(client.get(url())) | {"2.1.1-value": "1,9"}
    response = client.post(url(), data)
    assert response.context["results"]["2.1.1"].status.value == "not_met"


def test_anonymous_cannot_use_the_sandbox(client, world):
    assert client.post(url(), {}).status_code == 302


def test_a_not_applicable_indicator_stays_so_when_nothing_is_changed(client_for, all_met, world):
    Measurement.objects.filter(indicator__code="2.1.3").update(
        status="not_applicable", value=None, not_applicable_reason="Không có đối tượng"
    )
    client = client_for("committee")
    data = form_data(client.get(url()))
    assert (data["2.1.3-na"], data["2.1.3-reason"]) == ("on", "Không có đối tượng")

    response = client.post(url(), data)

    assert response.context["changes"] == []
    assert response.context["results"]["2.1.3"].status.value == "not_applicable"


def test_a_drop_whose_previous_value_is_cleared_takes_last_years_as_evaluate_does(
    client_for, all_met, world, tmp_path
):
    """The page and `manage.py evaluate --what-if` score the same scenario the same way."""
    EvaluationYear.objects.create(year=YEAR - 1)
    Measurement.objects.create(
        indicator=world.indicator("2.1.1"),
        unit=world.city,
        year=YEAR - 1,
        value=Decimal("3.2"),
        status="approved",
    )
    Measurement.objects.filter(indicator__code="2.1.1", year=YEAR).update(previous=None)
    client = client_for("committee")
    data = form_data(client.get(url())) | {"2.1.1-value": "1,7", "2.1.1-previous": ""}

    page = client.post(url(), data).context["results"]["2.1.1"]

    scenario = tmp_path / "kich-ban.json"
    scenario.write_text(json.dumps({"values": {"2.1.1": {"value": "1,7"}}}), encoding="utf-8")
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
    command = next(i for i in json.loads(output.getvalue())["indicators"] if i["code"] == "2.1.1")
    # 3,2 % → 1,7 %: a drop of exactly 1,5 points, met — worked out by hand.
    assert (page.status.value, page.explanation) == ("met", command["explanation"])
    assert command["status"] == "met"
    assert command["value"] == "1.5"


def test_a_published_growth_rate_can_be_tried(client_for, all_met):
    """2.1.2 of the test set takes the published rate (as 3.1.1 does): replacing its two levels
    by a decline of 1,2 % flips it, and a rate of 12,32 % keeps it met. Before: no such field."""
    Indicator.objects.filter(code="2.1.2").update(accepts_growth_rate=True)
    client = client_for("committee")
    data = form_data(client.get(url()))
    data.pop("2.1.2-value")
    data.pop("2.1.2-previous")
    response = client.post(url(), data | {"2.1.2-growth_rate": "-1,2"})
    flips = {(c.level, c.code): (c.before, c.after) for c in response.context["changes"]}
    assert flips[("indicator", "2.1.2")] == ("met", "not_met")
    response = client.post(url(), data | {"2.1.2-growth_rate": "12,32 %"})
    assert ("indicator", "2.1.2") not in {(c.level, c.code) for c in response.context["changes"]}
    assert "Tốc độ tăng trưởng đã công bố: 12,32 % — Đạt" in response.content.decode()
