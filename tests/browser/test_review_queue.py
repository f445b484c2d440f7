"""The standing office ticks every submitted entry at once and approves them, in Chromium."""

import pytest

from measurements.models import Measurement
from tests.conftest import PASSWORD, YEAR

pytestmark = [pytest.mark.browser, pytest.mark.once, pytest.mark.django_db(transaction=True)]


def test_choose_all_then_approve(page, log_in, live_server, personas, world):
    for unit in (world.city, world.district_a, world.district_b):
        Measurement.objects.create(
            indicator=world.indicator("2.1.3"), unit=unit, year=YEAR, status="submitted", value=1
        )
    log_in("thuongtruc", PASSWORD)
    page.goto(f"{live_server.url}/review/")
    page.check("#pick-all")
    assert page.locator('input[name="ids"]:checked').count() == 3
    page.click("button:has-text('Duyệt các số liệu đã chọn')")
    assert "Đã duyệt 3 số liệu." in page.inner_text("main")
    assert set(Measurement.objects.values_list("status", flat=True)) == {"approved"}
