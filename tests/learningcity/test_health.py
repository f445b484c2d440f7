"""`/healthz` (learningcity/views.py::healthz): the load balancer's probe and the benchmark's
ceiling. Public, no database, no session, and never redirected to HTTPS."""

import pytest
from django.urls import reverse


def test_health_url_is_healthz():
    assert reverse("healthz") == "/healthz"


@pytest.mark.django_db
def test_anyone_gets_ok_without_a_query(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")


@pytest.mark.django_db
def test_health_does_not_touch_the_session(client):
    response = client.get("/healthz")
    assert "sessionid" not in response.cookies
    assert "Cookie" not in response.get("Vary", "")


@pytest.mark.django_db
def test_health_answers_plain_http_when_https_is_enforced(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get(reverse("criteria:catalogue")).status_code == 301
