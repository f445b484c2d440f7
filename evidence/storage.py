"""Where evidence files live: the storage named "evidence" in settings.STORAGES.

The file system under MEDIA_ROOT/evidence by default, S3-compatible object storage when
EVIDENCE_S3_BUCKET is set (see settings). Files are never served from a URL of that storage: the
download view reads them after checking permission.
"""

from urllib.parse import quote, urlsplit

from django.core.files.storage import Storage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty

EVIDENCE_STORAGE_ALIAS = "evidence"


class _EvidenceStorage(LazyObject):
    """storages["evidence"], looked up on first use and again after STORAGES changes (tests)."""

    def _setup(self) -> None:
        self._wrapped = storages[EVIDENCE_STORAGE_ALIAS]


_evidence_storage = _EvidenceStorage()


def evidence_storage() -> Storage:
    """The `storage=` callable of DocumentVersion.file: storages["evidence"], resolved lazily.

    A FileField calls its storage callable once, at import; the lazy proxy makes a later change of
    settings.STORAGES (a test's tmp_path) reach the field too.
    """
    return _evidence_storage


@receiver(setting_changed)
def _reset_evidence_storage(*, setting: str, **kwargs: object) -> None:
    if setting == "STORAGES":
        _evidence_storage._wrapped = empty


def accel_redirect_path(prefix: str, name: str) -> str:
    """Where nginx finds a stored file, for an `X-Accel-Redirect` under `prefix` (an internal
    location of nginx, docs/deployment.md).

    File-system storage: `<prefix><name>`, the location being an `alias` of MEDIA_ROOT/evidence/.
    Object storage (private objects): `<prefix><scheme>/<host>/<path>?<signature>`, from a
    short-lived presigned URL, the location proxying to it; the bucket stays private.
    """
    prefix = prefix.rstrip("/") + "/"
    storage = evidence_storage()
    if hasattr(storage, "bucket_name"):  # storages.backends.s3.S3Storage
        url = urlsplit(storage.url(name))
        query = f"?{url.query}" if url.query else ""
        return f"{prefix}{url.scheme}/{url.netloc}{url.path}{query}"
    return prefix + quote(name)
