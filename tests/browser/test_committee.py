"""A committee member's December walk: dashboard, districts, what-if — in headless Chromium."""

from decimal import Decimal

import pytest

from measurements.models import Measurement
from tests.conftest import PASSWORD, YEAR

pytestmark = [pytest.mark.browser, pytest.mark.once, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def values(world):
    for code, data in {
        "1.1.1": {"yes": True},
        "1.1.2": {"numerator": 56, "denominator": 80},
        "2.1.1": {"value": Decimal("1.8"), "previous": Decimal("3.3")},
        "2.1.2": {"value": Decimal(277000), "previous": Decimal(245000)},
        "2.1.3": {"value": Decimal("0.04")},
    }.items():
        Measurement.objects.create(
            indicator=world.indicator(code), unit=world.city, year=YEAR, status="approved", **data
        )
    Measurement.objects.create(
        indicator=world.indicator("2.1.3"),
        unit=world.district_a,
        year=YEAR,
        status="approved",
        value=Decimal("0.07"),
    )


def test_committee_member_reads_the_verdict(page, log_in, live_server, personas, values):
    log_in("bcd", PASSWORD)
    assert page.url.endswith(f"/dashboard/{YEAR}/")
    assert page.inner_text("#verdict").strip() == "Đạt — đủ điều kiện công nhận"
    assert page.inner_text("#met-count") == "5/5 chỉ báo đạt"
    assert "56/80 = 70,00 % ≥ 70 % — Đạt" in page.inner_text("#indicator-1\\.1\\.2")


def test_committee_member_opens_the_district_matrix(page, log_in, live_server, personas, values):
    log_in("bcd", PASSWORD)
    page.click("text=Quận/huyện")
    row = page.inner_text("#district-HP-A")
    assert "Không đạt" in row
    assert "0/2" in row


def test_committee_member_tries_a_scenario(page, log_in, live_server, personas, values):
    log_in("bcd", PASSWORD)
    page.click("text=Thử kịch bản")
    page.fill("input[name='1.1.2-numerator']", "55")
    page.click("button:has-text('Thử')")
    assert page.inner_text("#scenario-verdict").strip() == "Không đạt"
    assert "Chỉ báo 1.1.2" in page.inner_text("#flips")
    assert Measurement.objects.get(indicator__code="1.1.2", unit__code="HP").numerator == 56
