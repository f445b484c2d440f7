"""The error pages speak Vietnamese (templates/400.html, 403.html, 403_csrf.html, 404.html,
500.html): Django's own are English one-liners. The 400, 500 and CSRF pages are rendered without a
request, so they stand alone (templates/_error_page.html)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.utils import translation
from django.views import defaults

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _vietnamese():
    with translation.override("vi"):
        yield


def test_the_server_error_page_is_vietnamese_and_stands_alone():
    response = defaults.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Máy chủ gặp sự cố." in response.content.decode()


def test_the_bad_request_page_is_vietnamese():
    response = defaults.bad_request(RequestFactory().get("/"), Exception())
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in response.content.decode()


def test_a_refusal_shows_its_reason(rf):
    request = rf.get("/")
    request.user = AnonymousUser()
    response = defaults.permission_denied(request, PermissionDenied("Chỉ Ban chỉ đạo."))
    assert "Chỉ Ban chỉ đạo." in response.content.decode()


def test_a_refusal_without_a_reason_says_so_in_vietnamese(rf):
    request = rf.get("/")
    request.user = AnonymousUser()
    response = defaults.permission_denied(request, PermissionDenied())
    assert "Tài khoản của bạn không được làm việc này." in response.content.decode()


def test_a_missing_page_does_not_echo_the_internal_reason(client, world):
    html = client.get("/criteria/9.9.9/").content.decode()
    assert "Không tìm thấy trang" in html
    assert "No such indicator" not in html
