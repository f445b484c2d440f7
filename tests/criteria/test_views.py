"""The public catalogue pages."""

import pytest
from django.urls import reverse

from criteria.models import EvaluationYear
from criteria.selectors import criteria_set_for
from tests.factories import make_catalogue, make_criteria_set

pytestmark = pytest.mark.django_db


def test_catalogue_lists_all_twenty_indicators_in_vietnamese(client, haiphong):
    response = client.get(reverse("criteria:catalogue"))
    assert response.status_code == 200
    html = response.content.decode()
    for code in ["1.1.1", "1.2.3", "2.1.2", "2.2.4", "3.1.2", "3.2.3", "3.2.4"]:
        assert f'id="indicator-{code}"' in html
    assert html.count('class="indicator-code"') == 20
    assert "Tỷ lệ hộ nghèo theo chuẩn nghèo đa chiều giảm 1.5 phần trăm" in html
    assert "Tiêu chuẩn" in html
    assert "Hướng dẫn đánh giá" in html
    assert "Tối thiểu 70 %" in html


def test_catalogue_collapses_the_fifteen_district_offices(client, haiphong):
    html = client.get(reverse("criteria:catalogue")).content.decode()
    assert "Phòng GD&amp;ĐT quận/huyện (15)" in html
    assert "Phòng GD&amp;ĐT quận Hồng Bàng" not in html


def test_catalogue_is_public(client, haiphong):
    assert client.get(reverse("criteria:catalogue")).status_code == 200


def test_catalogue_speaks_english_when_asked(client, haiphong):
    response = client.get(reverse("criteria:catalogue"), HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert "Standard" in html
    assert "Evaluation guidance" in html
    assert "At least 70 %" in html
    assert 'lang="en"' in html


def test_catalogue_url_has_no_language_prefix(client, haiphong):
    assert reverse("criteria:catalogue") == "/criteria/"


def test_root_points_to_the_catalogue(client, haiphong):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/criteria/"


@pytest.mark.parametrize("indicators_per_criterion", [1, 5])
def test_catalogue_costs_a_constant_number_of_queries(
    client, django_assert_max_num_queries, indicators_per_criterion
):
    # From 2022: the set the catalogue shows over the module's Hải Phòng set (from 2021).
    make_catalogue(indicators_per_criterion, make_criteria_set("test-set", first_year=2022))
    with django_assert_max_num_queries(7):  # the tree with its indicators' parts
        response = client.get(reverse("criteria:catalogue"))
    assert response.content.decode().count('class="indicator-code"') == 6 * indicators_per_criterion


def test_indicator_page_shows_text_guidance_and_departments(client, haiphong):
    response = client.get(reverse("criteria:indicator", args=["3.2.3"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "giảm xuống dưới 0.05% so với tổng số học sinh" in html
    assert "Dưới 0,05 %" in html
    assert "Phòng CCTT Sở GD&amp;ĐT" in html
    assert "tham mưu, tổng hợp" in html


def test_unknown_indicator_is_404(client, haiphong):
    assert client.get(reverse("criteria:indicator", args=["9.9.9"])).status_code == 404


def test_indicator_of_another_set_is_not_shown(client, haiphong):
    make_catalogue(criteria_set=make_criteria_set("other", level="district"))
    assert client.get(reverse("criteria:indicator", args=["1.1.1"])).status_code == 200


def test_from_2024_the_pilots_set_no_longer_applies(client, haiphong):
    """Before: the pilot's set applied to every year, so a 2025 evaluation would have used it.
    Now 2021–2023; a later year has no city set until one is loaded, and the public catalogue
    shows the set of the latest year that has one."""
    EvaluationYear.objects.create(year=2024)
    assert criteria_set_for("city", 2021).code == "hp-city-2022"
    assert criteria_set_for("city", 2023).code == "hp-city-2022"
    assert criteria_set_for("city", 2024) is None
    html = client.get(reverse("criteria:catalogue")).content.decode()
    assert "Bộ tiêu chí công nhận thành phố học tập (thí điểm, Hải Phòng 2022)" in html
