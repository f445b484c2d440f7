"""Reads of the catalogue and of the evaluation years, each a constant number of queries."""

from collections.abc import Iterable

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from common.numbers import trim_decimal

from . import scoring
from .models import (
    CriteriaSet,
    Criterion,
    EvaluationYear,
    Indicator,
    RecognitionLevel,
    Round,
    Standard,
)


def default_criteria_set() -> CriteriaSet | None:
    """The city-level criteria set the portal shows by default (the public catalogue): the one
    the latest evaluation year that has a city set is evaluated against — never a set loaded
    ahead for a year still to come. Before any evaluation year has one: the newest set in force
    this calendar year."""
    years = EvaluationYear.objects.order_by("-year").values_list("year", flat=True)
    for year in [*years, timezone.localdate().year]:
        criteria_set = _newest_applying(CriteriaSet.Level.CITY, year)
        if criteria_set is not None:
            return criteria_set
    return None


def criteria_set_for(level: str, year: int) -> CriteriaSet | None:
    """The criteria set a unit of a level (`CriteriaSet.Level`) reports against in a year, in one
    or two queries.

    The newest set (highest first year, then the latest loaded) of the level that applies to the
    year. A district without a district set for the year falls back to the city set that applies:
    in the pilot the districts report some of the city's indicators. Its verdict is another
    matter: see `evaluation_set_for`. A commune reports against a commune set only.
    """
    if level != CriteriaSet.Level.DISTRICT:
        return _newest_applying(level, year)
    return _newest_applying(CriteriaSet.Level.DISTRICT, year) or _newest_applying(
        CriteriaSet.Level.CITY, year
    )


def evaluation_set_for(level: str, year: int) -> CriteriaSet | None:
    """The criteria set a unit of a level is evaluated against — its verdict — in a year: the
    newest set of its own level that applies, never another level's. A district reporting some
    of the city's indicators has no verdict until a district set applies (one query)."""
    return _newest_applying(level, year)


def district_criteria_set(year: int) -> CriteriaSet | None:
    """The set districts report against in a year: their own, else the city's (whose
    indicators some of them report); their verdict comes from `evaluation_set_for` only."""
    return criteria_set_for(CriteriaSet.Level.DISTRICT, year)


def would_take_over(
    *, new_level: str, first_year: int | None, last_year: int | None, level: str, year: int
) -> bool:
    """Whether a set about to be loaded (its level and years) would become the one units of
    `level` are evaluated against in `year`: the rule of `criteria_set_for`, the new set being
    the latest loaded (it wins a tie of first years)."""
    if (first_year is not None and year < first_year) or (
        last_year is not None and year > last_year
    ):
        return False
    if new_level == CriteriaSet.Level.DISTRICT and level == CriteriaSet.Level.CITY:
        return False
    if (
        new_level == CriteriaSet.Level.CITY
        and level == CriteriaSet.Level.DISTRICT
        and _newest_applying(CriteriaSet.Level.DISTRICT, year) is not None
    ):
        return False  # the districts keep their own set
    current = _newest_applying(new_level, year)
    return current is None or _first_year_rank(first_year) >= _first_year_rank(current.first_year)


def _first_year_rank(first_year: int | None) -> tuple[bool, int]:
    """`_newest_applying`'s order as a key: a first year beats none, a later one an earlier."""
    return (first_year is not None, first_year or 0)


def _newest_applying(level: str, year: int) -> CriteriaSet | None:
    return (
        CriteriaSet.objects.filter(level=level)
        .filter(Q(first_year__isnull=True) | Q(first_year__lte=year))
        .filter(Q(last_year__isnull=True) | Q(last_year__gte=year))
        .order_by(F("first_year").desc(nulls_last=True), "-pk")
        .first()
    )


def criteria_set_by_code(code: str) -> CriteriaSet | None:
    return CriteriaSet.objects.filter(code=code).first()


def criteria_sets_overview() -> QuerySet[CriteriaSet]:
    """Every set with `locked` and `indicator_count` annotated, newest first, in one query."""
    locked_years = EvaluationYear.objects.filter(
        state=EvaluationYear.State.LOCKED,
        year__gte=Coalesce(OuterRef("first_year"), Value(0)),
        year__lte=Coalesce(OuterRef("last_year"), Value(32767)),
    )
    return CriteriaSet.objects.annotate(
        locked=Exists(locked_years),
        indicator_count=Count("standards__criteria__indicators"),
    ).order_by("level", F("first_year").desc(nulls_last=True), "-pk")


#: Standards → criteria → indicators as nested pairs, the shape templates/criteria/_set_tree.html
#: renders (a preview of a workbook gives unsaved instances in the same shape).
Tree = list[tuple[Standard, list[tuple[Criterion, list[Indicator]]]]]


def tree_of(standards: Iterable[Standard]) -> Tree:
    """The nested pairs of standards fetched with their criteria and indicators prefetched (as
    assignments.selectors.catalogue_tree fetches them), with no further query."""
    return [
        (standard, [(c, list(c.indicators.all())) for c in standard.criteria.all()])
        for standard in standards
    ]


def indicator_spec(indicator: Indicator) -> scoring.IndicatorSpec:
    """The plain description of an indicator that the scoring service reads."""
    return scoring.IndicatorSpec(
        code=indicator.code,
        kind=scoring.Kind(indicator.kind),
        threshold=trim_decimal(indicator.threshold) if indicator.threshold is not None else None,
        unit_of_measure=indicator.unit_of_measure,
        accepts_growth_rate=indicator.accepts_growth_rate,
        parts=tuple(
            scoring.PartSpec(part.code, part.name, trim_decimal(part.threshold))
            for part in indicator.parts.all()
        ),
    )


def spec_from_tree(
    criteria_set: CriteriaSet, standards: Iterable[Standard]
) -> scoring.CatalogueSpec:
    """The scoring service's view of standards already fetched with their criteria and
    indicators prefetched (so a page that shows the tree scores it without another query)."""
    return scoring.CatalogueSpec(
        standards=tuple(
            scoring.StandardSpec(
                code=standard.code,
                criteria=tuple(
                    scoring.CriterionSpec(
                        code=criterion.code,
                        indicators=tuple(indicator_spec(i) for i in criterion.indicators.all()),
                    )
                    for criterion in standard.criteria.all()
                ),
            )
            for standard in standards
        ),
        rule=criteria_set.recognition_rule,
        min_met=criteria_set.min_indicators_met,
        levels=level_specs(criteria_set),
    )


def level_specs(criteria_set: CriteriaSet) -> tuple[scoring.LevelSpec, ...]:
    """The levels of a set under the rule «levels», lowest first (one query); none, and no
    query, under another rule."""
    if criteria_set.recognition_rule != CriteriaSet.Rule.LEVELS:
        return ()
    levels = RecognitionLevel.objects.filter(criteria_set=criteria_set).order_by("number")
    return tuple(
        scoring.LevelSpec(
            level.number, tuple(sorted(indicator.code for indicator in level.indicators.all()))
        )
        for level in levels.prefetch_related("indicators")
    )


def indicators_of(criteria_set: CriteriaSet, ids: Iterable[int] | None = None) -> QuerySet:
    """A set's indicators in catalogue order, optionally only the given ids."""
    queryset = Indicator.objects.filter(criterion__standard__criteria_set=criteria_set)
    if ids is not None:
        queryset = queryset.filter(pk__in=list(ids))
    return (
        queryset.select_related("criterion__standard")
        .prefetch_related("parts")
        .order_by("criterion__standard__position", "criterion__position", "position")
    )


# --- Evaluation years --------------------------------------------------------------------------


def latest_year() -> int | None:
    """The newest evaluation year that has been opened (or locked)."""
    return EvaluationYear.objects.order_by("-year").values_list("year", flat=True).first()


def open_year() -> int | None:
    """The newest year open for data entry."""
    return (
        EvaluationYear.objects.filter(state=EvaluationYear.State.OPEN)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )


def year_state(year: int) -> str | None:
    """ "open", "locked", or None when the year has no row (and so accepts no write)."""
    return EvaluationYear.objects.filter(year=year).values_list("state", flat=True).first()


def rounds_of(year: int) -> dict[str, Round]:
    """The year's rounds by level (`CriteriaSet.Level`); a level without one is absent."""
    return {
        round_.level: round_
        for round_ in Round.objects.filter(evaluation_year__year=year).select_related(
            "evaluation_year"
        )
    }


def deadline_passed(level: str, year: int) -> bool:
    """Whether the deadline of the year's round of this level is behind us (no round, or a round
    without a deadline: never)."""
    return Round.objects.filter(
        evaluation_year__year=year, level=level, due_on__lt=timezone.localdate()
    ).exists()
