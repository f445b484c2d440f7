"""Issuing, rotating and revoking API clients' tokens (the administrators' work, each change in
the administration log), and logging each call."""

import hashlib
import secrets

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assignments.models import AuditEntry

from .models import ApiCall, ApiClient

#: How many characters of a token the portal shows to tell tokens apart.
PREFIX_LENGTH = 8


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token() -> tuple[str, str, str]:
    """A token of 256 random bits, its shown prefix and its hash."""
    token = secrets.token_urlsafe(32)
    return token, token[:PREFIX_LENGTH], token_hash(token)


def _log(by: User, action: str, client: ApiClient, reason: str = "") -> None:
    AuditEntry.objects.create(
        user=by,
        action=action,
        subject=_("API client «%(name)s»") % {"name": client.name},
        changes=[],
        reason=reason,
    )


def client_issue(*, by: User, name: str) -> tuple[ApiClient, str]:
    """A new system allowed to read the API, and its token (shown once, never stored)."""
    name = name.strip()
    if not name:
        raise ValidationError(_("Name the system that will read the API."), code="no_name")
    # Compared in Python: SQLite folds the case of ASCII letters only (Đ is not đ there).
    names = ApiClient.objects.values_list("name", flat=True)
    if any(taken.casefold() == name.casefold() for taken in names):
        raise ValidationError(
            _("A system named «%(name)s» already has a token: rotate it instead.") % {"name": name},
            code="taken",
        )
    token, prefix, hashed = _new_token()
    with transaction.atomic():
        client = ApiClient.objects.create(
            name=name, token_prefix=prefix, token_hash=hashed, created_by=by
        )
        _log(by, AuditEntry.Action.API_TOKEN_ISSUED, client)
    return client, token


def client_rotate(*, by: User, client: ApiClient) -> str:
    """A new token for a system: the old one stops working at once."""
    if not client.is_active:
        raise ValidationError(_("A revoked system gets no new token."), code="revoked")
    token, prefix, hashed = _new_token()
    with transaction.atomic():
        client.token_prefix, client.token_hash = prefix, hashed
        client.rotated_at = timezone.now()
        client.save(update_fields=["token_prefix", "token_hash", "rotated_at"])
        _log(by, AuditEntry.Action.API_TOKEN_ROTATED, client)
    return token


def client_revoke(*, by: User, client: ApiClient, reason: str) -> None:
    """The system reads nothing more; its calls stay in the log."""
    if not reason.strip():
        raise ValidationError(_("Say why the token is revoked."), code="no_reason")
    with transaction.atomic():
        client.revoked_at = timezone.now()
        client.save(update_fields=["revoked_at"])
        _log(by, AuditEntry.Action.API_TOKEN_REVOKED, client, reason.strip())


def client_for_token(token: str) -> ApiClient | None:
    """The active system a token belongs to (one query); None for an unknown or revoked one."""
    return ApiClient.objects.filter(token_hash=token_hash(token), revoked_at__isnull=True).first()


def call_record(
    *, client: ApiClient | None, method: str, path: str, status: int, address: str | None
) -> ApiCall:
    return ApiCall.objects.create(
        client=client, method=method[:10], path=path[:500], status=status, client_address=address
    )
