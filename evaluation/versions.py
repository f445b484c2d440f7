"""The data's versions, per scope: what a write changes and what a cached page depends on.

A scope is a unit-year's own data (`unit_year`: the values, parts, lists and reported lines its
departments enter, its documents and explanations), a year's (`year_scope`: its lock and rounds,
the council's and committee's meetings, members, decisions, frozen records and report texts) or
everything else (`EVERYTHING`: units, departments, accounts' names, the portal's settings).

A write names its scope (`scopes_of`, from the row written, called by signals); a read names the
scopes it reads where it reads them — `selectors.gather_inputs`, the one place a unit-year's
scoring inputs are gathered, declares the unit-years and years it reads (`reads_unit_years`), so
a page that scores Hồng Bàng depends on Hồng Bàng, and the city's provisional share of recognised
districts, which scores every district, on every district. A cached page always depends on
`EVERYTHING` and on what the code it ran read.
"""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save

from common.caching import Versions

#: Pages' content and data are kept this long at most: the bound on staleness after a write that
#: sends no signal (QuerySet.update(), bulk_create()); such code calls `forget` itself.
DATA_CACHE_SECONDS = 120
DATA = Versions("evaluation:data", timeout=DATA_CACHE_SECONDS)
EVERYTHING = "all"

#: The apps whose rows a cached page may show.
DATA_APPS = ("assignments", "criteria", "measurements", "evidence", "evaluation")
#: Rows of those apps no cached page shows: the administration log, an account's settings (an
#: unlock or a temporary password must not empty every cached dashboard), an upload in progress.
NOT_SHOWN = frozenset(
    {"assignments.auditentry", "assignments.accountsettings", "evidence.uncommittedfile"}
)
#: Apps whose rows with a unit and a year are that unit-year's own data (entered and proven by
#: its departments); a row of another app with a year belongs to the year as a whole.
UNIT_YEAR_APPS = frozenset({"measurements", "evidence"})
#: Rows that carry no year themselves: the row whose scope is theirs.
PARENT = {
    "measurements.partvalue": "measurement",
    "measurements.listitem": "measurement",
    "measurements.valuecomment": "measurement",
    "evidence.documentversion": "document",
    "criteria.round": "evaluation_year",
}


def unit_year(unit_id: int, year: int) -> str:
    return f"unit:{unit_id}:{year}"


def year_scope(year: int) -> str:
    return f"year:{year}"


def every_unit(year: int) -> str:
    """Every unit-year of the year at once: what a page counting all units' data reads."""
    return f"units:{year}"


def page_scopes(year: int, unit_id: int | None = None) -> list[str]:
    """What a page of a year (of a unit-year) reads besides what the selectors it runs declare:
    the year's own rows — its lock, rounds, decisions, records — and the unit-year's (its plan,
    its documents), with last year's, which scoring it compares with (named here too, so that
    a cached page's versions come in the same cache read as the page)."""
    if unit_id is None:
        return [year_scope(year)]
    return [year_scope(year), unit_year(unit_id, year), unit_year(unit_id, year - 1)]


def reads_unit_years(unit_ids: Iterable[int], years: Iterable[int]) -> None:
    """What is being computed reads these units' data in these years, and last year's (a drop
    or an increase compares with it), and the years' own."""
    years = set(years)
    with_last = years | {year - 1 for year in years}
    DATA.reads(
        [
            *(year_scope(year) for year in years),
            *(unit_year(unit_id, year) for unit_id in unit_ids for year in with_last),
        ]
    )


def reads_every_unit(year: int) -> None:
    """What is being computed reads every unit's data of the year (and the year's own)."""
    DATA.reads([year_scope(year), every_unit(year)])


def scopes_of(row: Model) -> set[str]:
    """The scope a saved or deleted row belongs to."""
    meta = row._meta
    if meta.label_lower in PARENT:
        try:
            row = getattr(row, PARENT[meta.label_lower])
        except ObjectDoesNotExist:  # the parent is gone (a cascade): name everything
            return {EVERYTHING}
        meta = row._meta
    year = getattr(row, "year", None)
    if not isinstance(year, int):
        return {EVERYTHING}
    unit_id = getattr(row, "unit_id", None)
    if meta.app_label in UNIT_YEAR_APPS and unit_id is not None:
        return {unit_year(unit_id, year), every_unit(year)}
    return {year_scope(year)}


def forget(scopes: Iterable[str]) -> None:
    """The data of these scopes changed (when the current transaction commits)."""
    DATA.forget(scopes)


def _changed(sender: type, instance: Model, **kwargs: object) -> None:
    meta = sender._meta
    if meta.label_lower in NOT_SHOWN or hasattr(sender, "instance_type"):
        return  # (a history row, with `instance_type`, comes with its own row's save)
    if sender is get_user_model():
        if kwargs.get("update_fields") == frozenset({"last_login"}):
            return  # a login: no page shows it
        forget({EVERYTHING})  # a person's name is shown by pages that name who recorded what
    elif meta.app_label in DATA_APPS:  # (for m2m_changed, the link's owner: a document)
        forget(scopes_of(instance))


def connect_signals() -> None:
    """Called once by EvaluationConfig.ready()."""
    for name, signal in (("save", post_save), ("delete", post_delete), ("m2m", m2m_changed)):
        signal.connect(_changed, dispatch_uid=f"evaluation.versions:{name}")
