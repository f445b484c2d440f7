"""The dashboards' data, computed once per change and shared by every app server.

A unit's dashboard or the district matrix is the same for every reader until someone writes: it
is kept in Django's cache (settings.CACHES, which CACHE_URL selects: PostgreSQL's cache table or
Redis; without CACHE_URL the dummy cache keeps nothing and every page computes it, as before).
Each key carries the data version, the catalogue version (assignments/caching.py) and the language.

The data version changes whenever a transaction that saved or deleted any row of the portal's
apps (assignments, criteria, measurements, evidence, evaluation — values, documents,
explanations, decisions, units…) commits. A connection with such writes not yet committed reads
around the cache, so a request sees its own change at once and nobody caches what may still roll
back. What is cached also expires after DASHBOARD_CACHE_SECONDS: the bound on staleness for a
write that sends no signal (QuerySet.update(), bulk_create()); such code calls `forget_data()`
itself.
"""

import functools
from collections.abc import Callable, Hashable
from typing import TypeVar

from django.apps import apps
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from assignments.caching import catalogue_version
from assignments.models import Unit
from common.caching import Generation, schema_fingerprint, translations_fingerprint
from criteria.models import CriteriaSet

from . import dashboard

DASHBOARD_CACHE_SECONDS = 120
#: A save or delete in any of these apps changes what a dashboard may show.
DATA_APPS = ("assignments", "criteria", "measurements", "evidence", "evaluation")
#: Models of those apps no cached page shows: the administration log and an account's settings
#: (an unlock or a temporary password must not empty every cached dashboard).
NOT_SHOWN = frozenset({"assignments.auditentry", "assignments.accountsettings"})
DATA = Generation("evaluation:data")

T = TypeVar("T")


@functools.cache
def _schema() -> str:
    return schema_fingerprint(
        model for label in DATA_APPS for model in apps.get_app_config(label).get_models()
    )


def data_version() -> str | None:
    """The data's current token (None while this connection holds uncommitted changes)."""
    return DATA.current()


def forget_data() -> None:
    """Every cached dashboard is out of date (when the current transaction commits)."""
    DATA.forget()


def remember(name: str, parts: tuple[Hashable, ...], compute: Callable[[], T]) -> T:
    """`compute()`, or what it returned for the same data, catalogue and language."""
    version, catalogue = data_version(), catalogue_version()
    if version is None or catalogue is None:
        return compute()
    prefix = ("evaluation", name, _schema(), version, catalogue, get_language())
    key = ":".join(str(part) for part in (*prefix, *parts))
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout=DASHBOARD_CACHE_SECONDS)
    return value


def rendered(name: str, parts: tuple[Hashable, ...], render: Callable[[], str]) -> str:
    """Content a page renders the same for every reader with the same rights, kept as the data
    it shows is (`remember`: the data's and the catalogue's versions, the language) and with the
    deployed translations. `parts` name the page's parameters and the rights it depends on; the
    page itself — its CSRF token, the person's name, messages, notifications — is rendered
    around it on every request."""
    content = remember(f"html:{name}", (*parts, translations_fingerprint()), lambda: str(render()))
    return mark_safe(content)


def unit_dashboard(
    criteria_set: CriteriaSet | None, unit: Unit, year: int, *, provisional: bool = False
) -> dashboard.UnitDashboard:
    """`dashboard.unit_dashboard`, cached."""
    return remember(
        "unit",
        (getattr(criteria_set, "pk", None), unit.pk, year, provisional),
        lambda: dashboard.unit_dashboard(criteria_set, unit, year, provisional=provisional),
    )


def district_matrix(
    criteria_set: CriteriaSet | None, year: int, *, provisional: bool = False
) -> dashboard.DistrictMatrix:
    """`dashboard.district_matrix`, cached."""
    return remember(
        "districts",
        (getattr(criteria_set, "pk", None), year, provisional),
        lambda: dashboard.district_matrix(criteria_set, year, provisional=provisional),
    )


def _changed(sender: type, **kwargs: object) -> None:
    meta = sender._meta
    if meta.label_lower in NOT_SHOWN:
        return
    if meta.app_label in DATA_APPS and not hasattr(sender, "instance_type"):
        forget_data()  # (a history row, with `instance_type`, comes with its own row's save)


def connect_signals() -> None:
    """Called once by EvaluationConfig.ready()."""
    for name, signal in (("save", post_save), ("delete", post_delete), ("m2m", m2m_changed)):
        signal.connect(_changed, dispatch_uid=f"evaluation.caching:{name}")
