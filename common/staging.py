"""Uploads that wait between their preview and their confirmation (the values workbook, a
criteria-set workbook): kept in storage as a `StagedImport` with their SHA-256, owner and expiry,
never in the session, which holds only the record's id.

Storage: settings.STORAGES["staging"] (the file system under MEDIA_ROOT/staging by default; the
evidence bucket under the "staging/" prefix when evidence goes to S3), so that any app server can
confirm what another one previewed. A staged file is read back only by its owner, only before it
expires, and only when its SHA-256 still matches; confirmed, replaced or expired uploads are
deleted.
"""

import hashlib
import uuid
from collections.abc import MutableMapping
from datetime import timedelta

from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.utils import timezone

from .models import StagedImport
from .storage import staging_storage

#: How long a preview can be confirmed.
STAGED_FOR = timedelta(hours=2)


def staged_import_create(
    *, owner: User, kind: str, content: bytes, seen: list | None = None
) -> StagedImport:
    """Keep an upload for its confirmation; expired uploads of anyone are deleted first."""
    staged_imports_expire()
    storage = staging_storage()
    name = storage.save(f"staging/{kind}/{uuid.uuid4().hex}.xlsx", ContentFile(content))
    try:
        return StagedImport.objects.create(
            owner=owner,
            kind=kind,
            file=name,
            sha256=hashlib.sha256(content).hexdigest(),
            size=len(content),
            seen=seen or [],
            expires_at=timezone.now() + STAGED_FOR,
        )
    except BaseException:
        storage.delete(name)
        raise


def staged_import_content(staged: StagedImport) -> bytes | None:
    """The staged bytes, or None when the file is gone or no longer what was previewed."""
    try:
        with staged.file.open("rb") as file:
            content = file.read()
    except OSError:
        return None
    return content if hashlib.sha256(content).hexdigest() == staged.sha256 else None


def staged_import_discard(staged: StagedImport) -> None:
    """Delete a staged upload, its file and its record."""
    staging_storage().delete(staged.file.name)
    staged.delete()


def staged_imports_expire() -> int:
    """Delete every staged upload past its expiry; returns how many."""
    expired = list(StagedImport.objects.filter(expires_at__lte=timezone.now()))
    for staged in expired:
        staged_import_discard(staged)
    return len(expired)


# --- The session holds only the id ------------------------------------------------------------


def stage_upload(
    session: MutableMapping,
    key: str,
    *,
    owner: User,
    kind: str,
    content: bytes,
    seen: list | None = None,
) -> StagedImport:
    """Stage an upload and remember its id under `key`, replacing what was staged there."""
    discard_staged_upload(session, key, owner=owner)
    record = staged_import_create(owner=owner, kind=kind, content=content, seen=seen)
    session[key] = record.pk
    return record


def staged_upload(
    session: MutableMapping, key: str, *, owner: User, kind: str
) -> StagedImport | None:
    """What is staged under `key` for this owner and kind, if it has not expired."""
    pk = session.get(key)
    if not isinstance(pk, int):
        return None
    return StagedImport.objects.filter(
        pk=pk, owner=owner, kind=kind, expires_at__gt=timezone.now()
    ).first()


def discard_staged_upload(session: MutableMapping, key: str, *, owner: User) -> None:
    """Forget what is staged under `key`, and delete it."""
    pk = session.pop(key, None)
    if isinstance(pk, int):
        for record in StagedImport.objects.filter(pk=pk, owner=owner):
            staged_import_discard(record)
