"""The catalogue tree, cached across requests and app servers, and forgotten on every change.

The catalogue (standards → criteria → indicators → assignments with their departments) changes a
few times a year and is read by nearly every page. `catalogue_tree` keeps it in Django's cache —
settings.CACHES["default"], which CACHE_URL selects: PostgreSQL's cache table or Redis, shared by
every app server. Without CACHE_URL the dummy cache keeps nothing and every read goes to the
database, as it did before.

Each key carries a version token. Any save or delete of a catalogue row (criteria set, standard,
criterion, indicator, assignment, department) replaces the token at once — so the same
transaction reads its own change — and again when the transaction commits, so that a request that
read the old rows in between cannot leave them under the current token. The cached tree also
expires after CATALOGUE_CACHE_SECONDS: the bound on staleness for a write that sends no signal
(QuerySet.update(), bulk_create() alone); such code calls `forget_catalogue()` itself.
"""

import functools
import hashlib
import uuid

import django
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from assignments.models import Assignment, Department

from .models import CriteriaSet, Criterion, Indicator, Standard
from .selectors import catalogue_tree as catalogue_tree_query

CATALOGUE_CACHE_SECONDS = 300
VERSION_KEY = "criteria:catalogue:version"
#: The rows the cached tree is made of: a change to any of them forgets it.
CATALOGUE_MODELS = (CriteriaSet, Standard, Criterion, Indicator, Assignment, Department)


@functools.cache
def _schema() -> str:
    """The fields of the cached models and Django's version: a deployment that changes them
    never reads trees pickled by the code before it."""
    fields = [
        f"{model._meta.label}.{field.attname}"
        for model in CATALOGUE_MODELS
        for field in model._meta.concrete_fields
    ]
    return hashlib.sha256("|".join([django.get_version(), *fields]).encode()).hexdigest()[:12]


def catalogue_version() -> str:
    """The current version token of the catalogue (a new one when the cache has none)."""
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        if not cache.add(VERSION_KEY, version, timeout=None):
            version = cache.get(VERSION_KEY) or version
    return version


def forget_catalogue() -> None:
    """Make every cached tree unreachable, now and again when the current transaction commits."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
    transaction.on_commit(lambda: cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None))


def catalogue_tree(criteria_set: CriteriaSet) -> list[Standard]:
    """Standards → criteria → indicators → assignments (with departments) of a set, prefetched as
    `criteria.selectors.catalogue_tree` fetches them: from the cache, or in four queries."""
    key = f"criteria:catalogue:{_schema()}:{criteria_set.pk}:{catalogue_version()}"
    tree = cache.get(key)
    if tree is None:
        tree = list(catalogue_tree_query(criteria_set))
        cache.set(key, tree, timeout=CATALOGUE_CACHE_SECONDS)
    return tree


def _changed(sender: type, **kwargs: object) -> None:
    forget_catalogue()


def connect_signals() -> None:
    """Called once by CriteriaConfig.ready()."""
    for model in CATALOGUE_MODELS:
        uid = f"criteria.caching:{model._meta.label}"
        post_save.connect(_changed, sender=model, dispatch_uid=f"{uid}:save")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"{uid}:delete")
