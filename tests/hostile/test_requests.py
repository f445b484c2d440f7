"""Hostile addresses: NUL bytes, codes that do not exist, years beyond any integer column, a GET on
an action that only takes POST. Each gets a 4xx with a Vietnamese page, never a 500 (on PostgreSQL a
NUL byte in a looked-up code used to fail the query)."""

import pytest
from django.urls import reverse

from tests.conftest import YEAR
from tests.hostile.conftest import page

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/criteria/%00/",
        "/assignments/VP%00/",
        "/data/2022/HP%00/",
        "/data/2022/HP/1.1.2%00/",
        "/dashboard/2022/HP-A%00/",
        "/evidence/2022/HP-A/?indicator=1.1.1%00",
        "/evidence/2022/HP-A/?%00=1",
    ],
)
def test_a_nul_byte_in_the_address_is_a_bad_request(client_for, world, unchanged, url):
    with unchanged():
        response = client_for("standing_office").get(url)
    assert response.status_code == 400
    assert "Không đọc được địa chỉ hoặc dữ liệu đã gửi." in page(response)


def test_a_nul_byte_in_a_posted_address_writes_nothing(client_for, world, unchanged):
    with unchanged():
        response = client_for("standing_office").post(
            "/data/2022/HP/1.1.2%00/", {"numerator": "1", "denominator": "2"}
        )
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/criteria/9.9.9/"),
        ("get", "/data/2022/HP/9.9.9/"),
        ("post", "/data/2022/HP-A/9.9.9/not-applicable/"),
        ("get", "/evidence/2022/HP-A/explanations/9.9.9/"),
        ("get", "/evidence/2022/HP-A/?indicator=9.9.9"),
        ("get", "/data/2022/HP-Z/"),
        ("get", "/assignments/NO-SUCH-DEPARTMENT/"),
        ("get", "/criteria/sets/no-such-set/"),
        ("get", "/evidence/documents/987654/"),
        ("post", "/review/987654/return/"),
        ("get", "/data/2022/" + "X" * 10_000 + "/"),
    ],
)
def test_an_unknown_code_or_id_is_a_404_in_vietnamese(client_for, world, unchanged, method, url):
    with unchanged():
        response = getattr(client_for("standing_office"), method)(url)
    assert response.status_code == 404
    assert "Không tìm thấy trang" in page(response)


@pytest.mark.parametrize(
    "url",
    [
        "/dashboard/99999999999999999999/",
        "/dashboard/1999/",
        "/dashboard/99999999999999999999/HP/trends/",
        "/dashboard/2022/report.xlsx".replace("2022", "12345678901234567890"),
    ],
)
def test_a_dashboard_year_out_of_range_is_a_404(client_for, world, url):
    assert client_for("committee").get(url).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/data/99999999999999999999/HP/",
        "/evidence/coverage/99999999999999999999/",
        "/evidence/99999999999999999999/HP-A/",
    ],
)
def test_a_data_page_of_a_year_beyond_any_integer_column_answers(client_for, world, url):
    assert client_for("standing_office").get(url).status_code == 200


@pytest.mark.parametrize(
    "name",
    [
        "measurements:review_approve",
        "measurements:import_confirm",
        "logout",
        "criteria:set_import_confirm",
    ],
)
def test_a_get_on_an_action_that_takes_only_post_is_a_405(client_for, world, unchanged, name):
    with unchanged():
        response = client_for("standing_office").get(reverse(name))
    assert response.status_code == 405
    assert "GET" not in response["Allow"]


def test_a_get_on_withdraw_is_a_405_and_withdraws_nothing(client_for, world, unchanged, document):
    with unchanged():
        response = client_for("district_a").get(
            reverse("evidence:document_withdraw", args=[document.pk]) + "?reason=Tải+nhầm"
        )
    assert response.status_code == 405


def test_a_not_allowed_page_says_why_in_vietnamese(client_for, world):
    response = client_for("division").get(reverse("measurements:review"))
    assert response.status_code == 403
    assert "Chỉ Cơ quan thường trực được duyệt số liệu." in page(response)


def test_a_district_year_is_not_read_through_a_forged_basis(client_for, world):
    url = reverse("evaluation:unit", args=[YEAR, "HP-B"]) + "?basis=provisional&problems=1"
    assert client_for("district_a").get(url).status_code == 404
