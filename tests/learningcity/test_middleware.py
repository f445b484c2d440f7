"""What the portal's own middleware adds to every page (learningcity/middleware.py): a visitor
sent to log in is told why (issue 15.7), and `make run` (DEBUG) shows the portal's own 404 page."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.contrib.messages.storage.cookie import CookieStorage
from django.urls import reverse

from learningcity.middleware import LoginNeededMiddleware

pytestmark = pytest.mark.django_db

LOGIN_NEEDED_VI = "Trang này dành cho cán bộ đã đăng nhập: hãy đăng nhập để mở."


def test_a_visitor_landing_on_a_protected_page_is_told_to_log_in(client, world):
    response = client.get(reverse("measurements:my_work"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("login") + "?next=")
    assert LOGIN_NEEDED_VI in response.content.decode()


def test_the_menus_log_in_link_says_nothing_more(client, world):
    response = client.get(reverse("login") + "?next=" + reverse("criteria:catalogue"))
    assert LOGIN_NEEDED_VI not in response.content.decode()


@pytest.mark.parametrize(("signed_in", "told"), [(False, 1), (True, 0)])
def test_only_a_visitor_sent_to_log_in_is_told_the_page_is_for_signed_in_staff(
    rf, personas, signed_in, told
):
    request = rf.get("/my-work/")
    request.user = personas["committee"] if signed_in else AnonymousUser()
    request._messages = CookieStorage(request)
    LoginNeededMiddleware(lambda request: redirect_to_login("/my-work/"))(request)
    assert len(list(request._messages)) == told


def test_under_debug_a_missing_page_is_the_portals_own(client, world, settings):
    """`make run` serves with DEBUG on: Django would list every URL pattern instead."""
    settings.DEBUG = True
    response = client.get("/khong-co-trang-nay/")
    html = response.content.decode()
    assert response.status_code == 404
    assert 'id="error-message"' in html
    assert "Không tìm thấy trang" in html
    assert "Page not found at" not in html


def test_under_debug_a_missing_object_is_the_portals_own_page_too(client, world, settings):
    settings.DEBUG = True
    response = client.get(reverse("criteria:indicator", args=["9.9.9"]))
    assert response.status_code == 404
    assert 'id="error-message"' in response.content.decode()


def test_under_debug_a_refusal_is_the_portals_own_page(client_for, world, settings):
    settings.DEBUG = True
    response = client_for("committee").get(reverse("measurements:review"))
    assert response.status_code == 403
    assert 'id="error-message"' in response.content.decode()
