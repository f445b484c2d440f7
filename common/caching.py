"""Cache generations: a version token per kind of data in Django's shared cache, replaced when a
transaction that changed that data commits, so every app server forgets at once what it cached.

`Generation.current()` is the token to put in a cache key; a connection holding uncommitted
changes gets None and reads around the cache (it sees its own change, and nothing that may still
roll back is cached for others). `schema_fingerprint` keeps a deployment that changed the models
from reading objects pickled by the code before it.
"""

import functools
import hashlib
import uuid
from collections.abc import Iterable
from pathlib import Path

import django
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Model


def schema_fingerprint(models: Iterable[type[Model]]) -> str:
    """Django's version and the models' fields: a deployment that changes them never reads
    objects pickled by the code before it."""
    fields = [
        f"{model._meta.label}.{field.attname}"
        for model in models
        for field in model._meta.concrete_fields
    ]
    return hashlib.sha256("|".join([django.get_version(), *fields]).encode()).hexdigest()[:12]


@functools.cache
def translations_fingerprint() -> str:
    """The deployed translations (the compiled catalogues' bytes): content rendered with other
    ones — a deployment that changed a word — is never served from the cache."""
    digest = hashlib.sha256()
    for folder in settings.LOCALE_PATHS:
        for path in sorted(Path(folder).glob("*/LC_MESSAGES/*.mo")):
            digest.update(path.as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


class Generation:
    """A version token in the shared cache, replaced whenever a transaction that changed the rows
    it stands for commits (`forget`, called by signals); None for a connection that holds such
    changes uncommitted, which must then read around the cache."""

    def __init__(self, name: str) -> None:
        self.key = f"{name}:generation"
        self._uncommitted = f"_uncommitted_{name.replace(':', '_')}"

    def current(self) -> str | None:
        connection = transaction.get_connection()
        if getattr(connection, self._uncommitted, False):
            if connection.in_atomic_block:
                return None
            setattr(connection, self._uncommitted, False)  # the transaction ended (rolled back)
        token = cache.get(self.key)
        if token is None:
            token = uuid.uuid4().hex
            if not cache.add(self.key, token, timeout=None):
                token = cache.get(self.key) or token
        return token

    def forget(self) -> None:
        """A change: a new token now outside a transaction, else when the transaction commits."""
        connection = transaction.get_connection()
        if not connection.in_atomic_block:
            self._replace()
            return
        setattr(connection, self._uncommitted, True)
        transaction.on_commit(self._replace)

    def _replace(self) -> None:
        setattr(transaction.get_connection(), self._uncommitted, False)
        cache.set(self.key, uuid.uuid4().hex, timeout=None)
