"""Login throttling counts failures per username and client address, and finds the address where
the deployment puts it (learningcity/client_address.py): REMOTE_ADDR for a direct client, the
entry the trusted proxy appended to X-Forwarded-For behind nginx — never an entry the client
wrote itself."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from learningcity.client_address import client_address
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

CLIENT_A, CLIENT_B, PROXY = "203.0.113.5", "198.51.100.7", "127.0.0.1"


def address(remote: str, forwarded: str | None = None) -> str | None:
    headers = {} if forwarded is None else {"HTTP_X_FORWARDED_FOR": forwarded}
    return client_address(RequestFactory().get("/", REMOTE_ADDR=remote, **headers))


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        (0, CLIENT_A, None, CLIENT_A),  # a direct client
        (0, CLIENT_A, "1.2.3.4", CLIENT_A),  # a direct client's own header is ignored
        (1, PROXY, CLIENT_A, CLIENT_A),  # behind nginx: what nginx appended
        (1, PROXY, f"1.2.3.4, {CLIENT_A}", CLIENT_A),  # the client's own entry comes first
        (2, PROXY, f"1.2.3.4, {CLIENT_A}, 10.0.0.2", CLIENT_A),  # a load balancer, then nginx
        (1, PROXY, "", PROXY),  # a proxy that sent nothing: its own address
        (2, PROXY, CLIENT_A, PROXY),  # fewer entries than proxies: not the client's to say
        (1, PROXY, "not-an-address", PROXY),
        (1, PROXY, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_the_client_address_is_where_the_deployment_puts_it(
    settings, proxies, remote, forwarded, expected
):
    settings.TRUSTED_PROXY_COUNT = proxies
    assert address(remote, forwarded) == expected


def login(client, password: str, remote: str, forwarded: str | None = None):
    headers = {} if forwarded is None else {"HTTP_X_FORWARDED_FOR": forwarded}
    data = {"username": "vanphong", "password": password}
    return client.post(reverse("login"), data, REMOTE_ADDR=remote, **headers)


def test_behind_a_proxy_one_clients_failures_do_not_lock_another(client, settings, personas):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(5):
        login(client, "wrong-password", PROXY, CLIENT_A)
    assert login(client, PASSWORD, PROXY, CLIENT_A).status_code == 429
    assert login(client, PASSWORD, PROXY, CLIENT_B).status_code == 302


def test_a_spoofed_header_does_not_escape_the_lock(client, settings, personas):
    settings.TRUSTED_PROXY_COUNT = 1
    for number in range(5):
        login(client, "wrong-password", PROXY, f"10.9.8.{number}, {CLIENT_A}")
    assert login(client, PASSWORD, PROXY, f"10.9.8.99, {CLIENT_A}").status_code == 429


def test_a_direct_client_cannot_choose_its_address(client, settings, personas):
    settings.TRUSTED_PROXY_COUNT = 0
    for number in range(5):
        login(client, "wrong-password", CLIENT_A, f"10.9.8.{number}")
    assert login(client, PASSWORD, CLIENT_A, "10.9.8.99").status_code == 429
    assert login(client, PASSWORD, CLIENT_B).status_code == 302
