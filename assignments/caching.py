"""The catalogue tree with who leads each indicator, cached across requests and app servers, and
forgotten on every change.

The catalogue (standards → criteria → indicators → assignments with their departments) changes a
few times a year and is read by nearly every page. `catalogue_tree` keeps it in Django's cache —
settings.CACHES["default"], which CACHE_URL selects: PostgreSQL's cache table or Redis, shared by
every app server. Without CACHE_URL the dummy cache keeps nothing and every read goes to the
database, as it did before.

Each key carries a `Generation` (common/caching.py): a token in the same cache, replaced when a
transaction that saved or deleted a catalogue row (criteria set, standard, criterion, indicator,
assignment, department) commits. Until it commits, the connection that wrote reads around the
cache: it sees its own change, and nothing that may still roll back is cached for others. A cached
tree also expires after CATALOGUE_CACHE_SECONDS: the bound on staleness for a write that sends no
signal (QuerySet.update(), bulk_create() alone); such code calls `CATALOGUE.forget()` itself.
evaluation/caching.py versions the dashboards' data the same way.
"""

import functools
from collections.abc import Callable

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from common.caching import Generation, schema_fingerprint, translations_fingerprint
from criteria.models import (
    CriteriaSet,
    Criterion,
    EvaluationYear,
    Indicator,
    IndicatorPart,
    Standard,
)

from .models import Assignment, Department
from .selectors import catalogue_tree as catalogue_tree_query

CATALOGUE_CACHE_SECONDS = 300
#: The rows the cached tree is made of: a change to any of them forgets it.
CATALOGUE_MODELS = (
    EvaluationYear,
    CriteriaSet,
    Standard,
    Criterion,
    Indicator,
    IndicatorPart,
    Assignment,
    Department,
)


CATALOGUE = Generation("criteria:catalogue")


@functools.cache
def _schema() -> str:
    return schema_fingerprint(CATALOGUE_MODELS)


def catalogue_version() -> str | None:
    """The catalogue's current token (None while this connection holds uncommitted changes)."""
    return CATALOGUE.current()


def catalogue_tree(criteria_set: CriteriaSet) -> list[Standard]:
    """Standards → criteria → indicators → assignments (with departments) of a set, prefetched as
    `assignments.selectors.catalogue_tree` fetches them: from the cache, or in four queries."""
    version = catalogue_version()
    if version is None:
        return list(catalogue_tree_query(criteria_set))
    key = f"criteria:catalogue:{_schema()}:{criteria_set.pk}:{version}"
    tree = cache.get(key)
    if tree is None:
        tree = list(catalogue_tree_query(criteria_set))
        cache.set(key, tree, timeout=CATALOGUE_CACHE_SECONDS)
    return tree


def catalogue_content(render: Callable[[], str]) -> str:
    """The public catalogue's content as `render` writes it — the same for every reader, in a
    language — kept with the tree's version (which the years' rows are part of: they choose the
    set shown), the language and the deployed translations; read back with the version in one
    cache read."""
    parts = (_schema(), get_language(), translations_fingerprint(), timezone.localdate().year)
    key = "criteria:catalogue:content:" + ":".join(str(part) for part in parts)
    version, found = CATALOGUE.current_with([key])
    if version is None:
        return render()
    kept = found.get(key)
    if kept is not None and kept[0] == version:
        return mark_safe(kept[1])
    content = str(render())
    cache.set(key, (version, content), timeout=CATALOGUE_CACHE_SECONDS)
    return mark_safe(content)


def _changed(sender: type, **kwargs: object) -> None:
    CATALOGUE.forget()


def connect_signals() -> None:
    """Called once by AssignmentsConfig.ready()."""
    for model in CATALOGUE_MODELS:
        uid = f"assignments.caching:{model._meta.label}"
        post_save.connect(_changed, sender=model, dispatch_uid=f"{uid}:save")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"{uid}:delete")
