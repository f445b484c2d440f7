"""Pages' data and rendered content, computed once per change and shared by every app server.

A unit's dashboard, the district matrix and the content pages render from them are the same for
every reader with the same rights until someone writes what they show: they are kept in Django's
cache (settings.CACHES: the database's cache table unless CACHE_URL names Redis), each with the
versions of the data it read (versions.py: per unit-year, per year, and everything else — so a
save in Hồng Bàng leaves the city's official dashboard as it was, but not the pages that score
Hồng Bàng), and keyed by the catalogue's version (assignments/caching.py), the language and the
page's parameters. Frozen records and archives are always built from the database.
"""

import functools
from collections.abc import Callable, Hashable, Iterable
from typing import TypeVar

from django.apps import apps
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from assignments.models import Unit
from common.caching import schema_fingerprint, translations_fingerprint
from criteria.models import CriteriaSet

from . import dashboard
from .versions import DATA, DATA_APPS, EVERYTHING

T = TypeVar("T")


@functools.cache
def _schema() -> str:
    return schema_fingerprint(
        model for label in DATA_APPS for model in apps.get_app_config(label).get_models()
    )


def remember(
    name: str,
    parts: tuple[Hashable, ...],
    compute: Callable[[], T],
    *,
    scopes: Iterable[str] = (),
) -> T:
    """`compute()`, or what it returned for the same language and parameters while the data it
    read is unchanged: everything else's (the catalogue's included: its rows are part of it),
    the `scopes` named (the page's own), and those the selectors it ran declared."""
    prefix = ("evaluation", name, _schema(), get_language())
    key = ":".join(str(part) for part in (*prefix, *parts))
    return DATA.remember(key, compute, always=[EVERYTHING, *scopes])


def rendered(
    name: str,
    parts: tuple[Hashable, ...],
    render: Callable[[], str],
    *,
    scopes: Iterable[str] = (),
) -> str:
    """Content a page renders the same for every reader with the same rights, kept as the data
    it shows is (`remember`) and with the deployed translations. `parts` name the page's
    parameters and the rights it depends on; `scopes` the data it reads besides what the
    selectors it runs declare (versions.page_scopes). `render` reads what it shows itself:
    data computed before it and handed in would leave that data's versions unrecorded. The
    page itself — its CSRF token, the person's name, messages, notifications — is rendered
    around it on every request."""
    content = remember(
        f"html:{name}",
        (*parts, translations_fingerprint()),
        lambda: str(render()),
        scopes=scopes,
    )
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
