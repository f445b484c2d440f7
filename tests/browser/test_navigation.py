"""The navigation bar's person menu, in Chromium: on a desk's one line (1366 px) the bell and the
person are icons that keep their words for screen readers, and logging out is in the person's
menu; on a phone (390 px) the folded menu shows the words. Its one line on every page of every
role is checked in test_accessibility.py."""

import pytest

from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.once, pytest.mark.django_db(transaction=True)]


def test_the_person_menu_names_the_person_and_logs_out(page, log_in, live_server, personas):
    log_in("thuongtruc", PASSWORD)
    menu = page.locator("#person-menu")
    assert menu.get_attribute("title") == "thuongtruc"
    assert page.locator("#person-menu .nav-tool-label").bounding_box()["width"] <= 1  # read only
    menu.click()
    assert "Phòng GDTX" in page.inner_text(".portal-nav .dropdown-menu")  # their department
    page.click(".portal-nav .dropdown-menu button:has-text('Đăng xuất')")
    page.wait_for_load_state("networkidle")
    assert page.locator(".portal-nav a:has-text('Đăng nhập')").is_visible()


def test_a_phone_shows_the_words_of_the_bell_and_the_person(page, log_in, live_server, personas):
    page.set_viewport_size({"width": 390, "height": 800})
    log_in("thuongtruc", PASSWORD)
    page.click(".navbar-toggler")
    page.locator("#mainnav.show").wait_for()
    assert page.locator(".portal-nav a:has-text('Thông báo')").is_visible()
    assert page.locator("#person-menu .nav-tool-label").bounding_box()["width"] > 1
