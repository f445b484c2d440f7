"""Cache generations: a version token per kind of data in Django's shared cache, replaced when a
transaction that changed that data commits, so every app server forgets at once what it cached.

`Generation.current()` is the token to put in a cache key; a connection holding uncommitted
changes gets None and reads around the cache (it sees its own change, and nothing that may still
roll back is cached for others). `schema_fingerprint` keeps a deployment that changed the models
from reading objects pickled by the code before it.
"""

from __future__ import annotations

import functools
import hashlib
import uuid
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from pathlib import Path
from typing import TypeVar

import django
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Model

T = TypeVar("T")


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


def _first_token(key: str) -> str:
    """A token for a key that has none: a new one, unless another process set one first."""
    token = uuid.uuid4().hex
    if not cache.add(key, token, timeout=None):
        token = cache.get(key) or token
    return token


class Generation:
    """A version token in the shared cache, replaced whenever a transaction that changed the rows
    it stands for commits (`forget`, called by signals); None for a connection that holds such
    changes uncommitted, which must then read around the cache."""

    def __init__(self, name: str) -> None:
        self.key = f"{name}:generation"
        self._uncommitted = f"_uncommitted_{name.replace(':', '_')}"

    def current(self) -> str | None:
        return self.current_with([])[0]

    def current_with(self, keys: Iterable[str]) -> tuple[str | None, dict[str, object]]:
        """The token and what the cache holds under `keys`, in one cache read (nothing read while
        this connection holds uncommitted changes)."""
        connection = transaction.get_connection()
        if getattr(connection, self._uncommitted, False):
            if connection.in_atomic_block:
                return None, {}
            setattr(connection, self._uncommitted, False)  # the transaction ended (rolled back)
        found = cache.get_many([self.key, *keys])
        token = found.pop(self.key, None)
        return token or _first_token(self.key), found

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


#: What is being computed under `Versions.remember` right now: scope → token as it was read.
_recording: ContextVar[dict[str, str] | None] = ContextVar("recording", default=None)


class Versions:
    """A version token per scope of data (a unit-year's values, a year's decisions, …), each
    forgotten when a transaction that changed that scope commits (the next reader gives it a new
    one).

    `remember` keeps a computed value with the tokens of the scopes it read, as the code that
    reads them declared (`reads`) while it ran — so what a value depends on is said where the data
    is read, not by whoever caches it — and serves it again while every one of those tokens is
    unchanged. A token is read before the data it stands for, so a change committed in between
    makes the stored value out of date at once, never current with stale content. A connection
    holding uncommitted changes reads around the cache: it sees its own change, and nothing that
    may still roll back is kept for others.
    """

    def __init__(self, name: str, *, timeout: int) -> None:
        self.name = name
        self.timeout = timeout

    def _key(self, scope: str) -> str:
        return f"{self.name}:version:{scope}"

    def tokens(self, scopes: Iterable[str]) -> dict[str, str]:
        """The scopes' current tokens (one cache read; a scope never changed gets its first)."""
        keys = {self._key(scope): scope for scope in scopes}
        found = cache.get_many(list(keys))
        for key in keys.keys() - found.keys():
            found[key] = _first_token(key)
        return {keys[key]: token for key, token in found.items()}

    def reads(self, scopes: Iterable[str]) -> None:
        """What is being remembered reads these scopes: their tokens as they are now, before the
        data they stand for is read."""
        recording = _recording.get()
        if recording is None:
            return
        new = [scope for scope in scopes if scope not in recording]
        if new:
            recording.update(self.tokens(new))

    def remember(self, key: str, compute: Callable[[], T], *, always: Iterable[str] = ()) -> T:
        """`compute()`, or what it returned under `key` while the scopes it read (and `always`)
        are unchanged. The value and the tokens of `always` come in one cache read; the tokens
        of what else it read, in a second when there is any."""
        if self.uncommitted():
            return compute()
        always = list(always)
        found = cache.get_many([key, *(self._key(scope) for scope in always)])
        stored = found.pop(key, None)
        if stored is not None:
            depends, value = stored
            current = {scope: found.get(self._key(scope)) for scope in always}
            rest = [scope for scope in depends if scope not in current]
            if rest:
                current.update(self.tokens(rest))
            if all(current.get(scope) == token for scope, token in depends.items()):
                self._pass_on(depends)
                return value
        recording: dict[str, str] = {}
        outer = _recording.set(recording)
        try:
            self.reads(always)
            value = compute()
        finally:
            _recording.reset(outer)
        self._pass_on(recording)
        cache.set(key, (recording, value), timeout=self.timeout)
        return value

    @staticmethod
    def _pass_on(depends: dict[str, str]) -> None:
        """A value remembered inside another: the outer one depends on what the inner read."""
        recording = _recording.get()
        if recording is not None:
            for scope, token in depends.items():
                recording.setdefault(scope, token)

    def uncommitted(self) -> bool:
        """Whether this connection changed some scope in a transaction not yet committed."""
        connection = transaction.get_connection()
        return connection.in_atomic_block and self._pending(connection) is not None

    def _pending(self, connection: object) -> _Replacement | None:
        # Django drops the callbacks of a rolled-back savepoint or transaction from this list, so
        # a replacement found here will run when the transaction commits.
        for _savepoints, callback, _robust in connection.run_on_commit:
            if isinstance(callback, _Replacement) and callback.versions is self:
                return callback
        return None

    def forget(self, scopes: Iterable[str]) -> None:
        """These scopes changed: their tokens forgotten now outside a transaction, else when it
        commits (one deletion per transaction, however many rows it writes)."""
        connection = transaction.get_connection()
        if not connection.in_atomic_block:
            _Replacement(self, set(scopes))()
            return
        pending = self._pending(connection)
        if pending is None:
            transaction.on_commit(_Replacement(self, set(scopes)))
        else:
            pending.scopes.update(scopes)


class _Replacement:
    """The tokens of the scopes a transaction changed forgotten, once it commits."""

    def __init__(self, versions: Versions, scopes: set[str]) -> None:
        self.versions = versions
        self.scopes = scopes

    def __call__(self) -> None:
        # Deleted rather than replaced: one statement, and the next reader gives each a new token.
        cache.delete_many([self.versions._key(scope) for scope in self.scopes])
