"""The recognition rule is the portal's, named and chosen per criteria set (issue 13.10): every
standard met, or at least a number of indicators. The dashboard shows the degree of fulfilment
first and names the rule it applies."""

import pytest
from django.urls import reverse

from criteria.models import CriteriaSet, EvaluationYear
from measurements.models import Measurement
from tests.conftest import YEAR

pytestmark = pytest.mark.django_db


def choose(client, code: str, **data):
    return client.post(reverse("criteria:set_rule", args=[code]), data)


def test_the_standing_office_chooses_a_number_of_indicators(client_for, world):
    response = choose(
        client_for("standing_office"), "hp-test", rule="min_indicators", min_indicators_met="3"
    )
    assert response.status_code == 302
    world.criteria_set.refresh_from_db()
    assert (world.criteria_set.recognition_rule, world.criteria_set.min_indicators_met) == (
        "min_indicators",
        3,
    )
    page = client_for("standing_office").get(reverse("criteria:set", args=["hp-test"]))
    assert "Công nhận khi đạt ít nhất 3/5 chỉ báo." in page.content.decode()


def test_the_dashboard_applies_and_names_the_rule_after_the_degree(client_for, world):
    """Of the five indicators of hp-test, 1.1.1 and 1.1.2 met, 2.1.3 not: 2 of 5 met, one of its
    criteria (1.1) and no standard. Every standard: not recognised; two indicators: recognised."""
    for code, values in (
        ("1.1.1", {"yes": True}),
        ("1.1.2", {"numerator": 8, "denominator": 10}),
        ("2.1.3", {"value": 0}),
    ):
        Measurement.objects.create(
            indicator=world.indicator(code), unit=world.city, year=YEAR, status="approved", **values
        )
    client = client_for("committee")
    html = client.get(reverse("evaluation:city", args=[YEAR])).content.decode()
    assert "Mức độ đáp ứng:" in html
    assert html.index("Mức độ đáp ứng:") < html.index('id="verdict"')
    assert "Quy tắc của cổng, được chọn cho bộ tiêu chí này" in html
    assert "Công nhận khi đạt tất cả các tiêu chuẩn." in html

    CriteriaSet.objects.filter(pk=world.criteria_set.pk).update(
        recognition_rule="min_indicators", min_indicators_met=2
    )
    response = client.get(reverse("evaluation:city", args=[YEAR]))
    assert response.context["data"].evaluation.verdict.value == "recognized"
    assert "Công nhận khi đạt ít nhất 2/5 chỉ báo." in response.content.decode()


def test_more_indicators_than_the_set_has_are_refused(client_for, world):
    response = choose(
        client_for("standing_office"), "hp-test", rule="min_indicators", min_indicators_met="6"
    )
    assert response.status_code == 200
    assert "Hãy ghi số chỉ báo phải đạt trong 5 chỉ báo (từ 1 đến 5)." in response.content.decode()
    world.criteria_set.refresh_from_db()
    assert world.criteria_set.recognition_rule == "all_standards"


def test_a_set_a_locked_year_uses_keeps_its_rule(client_for, world):
    EvaluationYear.objects.filter(year=YEAR).update(state="locked")
    client = client_for("standing_office")
    page = client.get(reverse("criteria:set", args=["hp-test"])).content.decode()
    assert "Đổi quy tắc công nhận" not in page
    response = choose(client, "hp-test", rule="min_indicators", min_indicators_met="2")
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Đã có năm dùng bộ tiêu chí này bị khóa: không đổi quy tắc công nhận nữa." in page
    world.criteria_set.refresh_from_db()
    assert world.criteria_set.recognition_rule == "all_standards"


@pytest.mark.parametrize("persona", ["division", "committee", "district_a"])
def test_only_the_standing_office_chooses(client_for, world, persona):
    client = client_for(persona)
    assert (
        choose(client, "hp-test", rule="min_indicators", min_indicators_met="2").status_code == 403
    )
    page = client.get(reverse("criteria:set", args=["hp-test"])).content.decode()
    assert "Đổi quy tắc công nhận" not in page
    world.criteria_set.refresh_from_db()
    assert world.criteria_set.recognition_rule == "all_standards"


@pytest.mark.parametrize("count", ["0", "-3"])
def test_a_count_below_one_gets_the_same_clear_message(client_for, world, count):
    response = choose(
        client_for("standing_office"), "hp-test", rule="min_indicators", min_indicators_met=count
    )
    assert "Hãy ghi số chỉ báo phải đạt trong 5 chỉ báo (từ 1 đến 5)." in response.content.decode()


def test_the_rule_address_reloaded_goes_back_to_the_set(client_for, world):
    response = client_for("standing_office").get(reverse("criteria:set_rule", args=["hp-test"]))
    assert response["Location"] == reverse("criteria:set", args=["hp-test"])
