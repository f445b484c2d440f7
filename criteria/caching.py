"""The catalogue tree, cached across requests and app servers, and forgotten on every change.

The catalogue (standards → criteria → indicators → assignments with their departments) changes a
few times a year and is read by nearly every page. `catalogue_tree` keeps it in Django's cache —
settings.CACHES["default"], which CACHE_URL selects: PostgreSQL's cache table or Redis, shared by
every app server. Without CACHE_URL the dummy cache keeps nothing and every read goes to the
database, as it did before.

Each key carries a `Generation`: a token in the same cache, replaced when a transaction that
saved or deleted a catalogue row (criteria set, standard, criterion, indicator, assignment,
department) commits. Until it commits, the connection that wrote reads around the cache: it sees
its own change, and nothing that may still roll back is cached for others. A cached tree also
expires after CATALOGUE_CACHE_SECONDS: the bound on staleness for a write that sends no signal
(QuerySet.update(), bulk_create() alone); such code calls `CATALOGUE.forget()` itself.
learningcity/caching.py versions the dashboards' data the same way.
"""

import functools
import hashlib
import uuid
from collections.abc import Iterable

import django
from django.core.cache import cache
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import post_delete, post_save

from assignments.models import Assignment, Department

from .models import CriteriaSet, Criterion, Indicator, Standard
from .selectors import catalogue_tree as catalogue_tree_query

CATALOGUE_CACHE_SECONDS = 300
#: The rows the cached tree is made of: a change to any of them forgets it.
CATALOGUE_MODELS = (CriteriaSet, Standard, Criterion, Indicator, Assignment, Department)


def schema_fingerprint(models: Iterable[type[Model]]) -> str:
    """Django's version and the models' fields: a deployment that changes them never reads
    objects pickled by the code before it."""
    fields = [
        f"{model._meta.label}.{field.attname}"
        for model in models
        for field in model._meta.concrete_fields
    ]
    return hashlib.sha256("|".join([django.get_version(), *fields]).encode()).hexdigest()[:12]


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


CATALOGUE = Generation("criteria:catalogue")


@functools.cache
def _schema() -> str:
    return schema_fingerprint(CATALOGUE_MODELS)


def catalogue_version() -> str | None:
    """The catalogue's current token (None while this connection holds uncommitted changes)."""
    return CATALOGUE.current()


def catalogue_tree(criteria_set: CriteriaSet) -> list[Standard]:
    """Standards → criteria → indicators → assignments (with departments) of a set, prefetched as
    `criteria.selectors.catalogue_tree` fetches them: from the cache, or in four queries."""
    version = catalogue_version()
    if version is None:
        return list(catalogue_tree_query(criteria_set))
    key = f"criteria:catalogue:{_schema()}:{criteria_set.pk}:{version}"
    tree = cache.get(key)
    if tree is None:
        tree = list(catalogue_tree_query(criteria_set))
        cache.set(key, tree, timeout=CATALOGUE_CACHE_SECONDS)
    return tree


def _changed(sender: type, **kwargs: object) -> None:
    CATALOGUE.forget()


def connect_signals() -> None:
    """Called once by CriteriaConfig.ready()."""
    for model in CATALOGUE_MODELS:
        uid = f"criteria.caching:{model._meta.label}"
        post_save.connect(_changed, sender=model, dispatch_uid=f"{uid}:save")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"{uid}:delete")
