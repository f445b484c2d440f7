"""The administrators' page for the read API: a token issued to a system is shown once, replaced,
revoked with a reason — each in the administration log; no one else opens the page."""

import pytest
from django.urls import reverse

from api.models import ApiCall, ApiClient
from api.services import token_hash
from assignments.models import AuditEntry
from assignments.permissions import ADMINISTRATORS_GROUP
from tests.conftest import _user

pytestmark = pytest.mark.django_db
CLIENTS = reverse("api_clients:clients")


@pytest.fixture
def admin_client(client, world):
    """An administrator as the portal has them: in the group, in no department."""
    client.force_login(_user("it.admin", group=ADMINISTRATORS_GROUP))
    return client


def issued(admin_client, name: str = "Bộ GD&ĐT — tổng hợp") -> tuple[ApiClient, str]:
    response = admin_client.post(CLIENTS, {"name": name})
    assert response["Cache-Control"] == "no-store"
    client = ApiClient.objects.get(name=name)
    token = response.content.decode().split('id="token">')[1].split("<")[0]
    return client, token


def test_a_token_is_issued_shown_once_and_only_its_fingerprint_kept(admin_client):
    client, token = issued(admin_client)
    assert len(token) == 43  # 32 random bytes, URL-safe base64
    assert client.token_hash == token_hash(token)
    assert token not in admin_client.get(CLIENTS).content.decode()
    assert f"{token[:8]}…" in admin_client.get(CLIENTS).content.decode()
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.subject) == (
        "api_token_issued",
        "Hệ thống đọc API «Bộ GD&ĐT — tổng hợp»",
    )


def test_a_second_token_for_one_system_is_refused(admin_client):
    issued(admin_client)
    page = admin_client.post(CLIENTS, {"name": "bộ gd&đt — TỔNG HỢP"}).content.decode()
    assert "đã có mã: hãy thay mã" in page
    assert ApiClient.objects.count() == 1


def test_a_token_is_replaced_and_revoked_with_a_reason(admin_client, client):
    api_client, token = issued(admin_client)
    page = admin_client.post(reverse("api_clients:rotate", args=[api_client.pk])).content.decode()
    new = page.split('id="token">')[1].split("<")[0]
    assert new != token
    api_client.refresh_from_db()
    assert api_client.token_hash == token_hash(new)

    admin_client.post(reverse("api_clients:revoke", args=[api_client.pk]), {"reason": ""})
    api_client.refresh_from_db()
    assert api_client.revoked_at is None  # no reason, no revocation
    admin_client.post(
        reverse("api_clients:revoke", args=[api_client.pk]), {"reason": "Hệ thống ngừng hoạt động"}
    )
    api_client.refresh_from_db()
    assert api_client.revoked_at is not None
    assert list(AuditEntry.objects.order_by("pk").values_list("action", "reason")) == [
        ("api_token_issued", ""),
        ("api_token_rotated", ""),
        ("api_token_revoked", "Hệ thống ngừng hoạt động"),
    ]
    response = client.get("/api/v1/criteria-sets/", HTTP_AUTHORIZATION=f"Bearer {new}")
    assert response.status_code == 401
    page = admin_client.get(CLIENTS).content.decode()
    assert "Đã thu hồi" in page
    assert "GET /api/v1/criteria-sets/" in page  # the refused call, in the log
    assert ApiCall.objects.get().status == 401


@pytest.mark.parametrize("persona", ["standing_office", "division", "district_a", "committee"])
def test_no_one_else_opens_the_page_or_issues_a_token(client_for, persona):
    client = client_for(persona)
    response = client.get(CLIENTS)
    assert response.status_code == 403
    assert "Cấp mã" not in response.content.decode()
    assert client.post(CLIENTS, {"name": "Hệ thống lạ"}).status_code == 403
    assert not ApiClient.objects.exists()
