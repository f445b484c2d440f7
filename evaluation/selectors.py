"""The one place a unit-year's scoring inputs are gathered, so every page and command that scores —
the dashboard, the district matrix, the review queue, "my work", the report, the what-if and
`manage.py evaluate` — gives the same result for the same data.

`gather_inputs` reads, in a constant number of queries however many units: the stored entries,
last year's approved values (what a drop or an increase without a previous value is compared with)
and, for the city, the inputs counted live from lists — 2.1.2 from the districts' verdicts, the
committee's decisions first. Which entries count depends on the `Basis`: approved ones (the
official result), approved and submitted ones (provisional), or each entry as it stands, whatever
its review status (what an officer or a reviewer is shown next to the entry).

`superseded_by` reads the other side of loading a criteria set: the data a new set would stop
counting, in the years it would take over from the set they were entered against.
"""

from __future__ import annotations

import calendar
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from enum import Enum

from django.db.models import (
    Case,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    When,
    prefetch_related_objects,
)
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from assignments import caching
from assignments.models import Unit
from assignments.selectors import city_subdivisions, level_of, pilot_ids
from common.numbers import trim_decimal
from common.sentences import say
from criteria import scoring
from criteria.labels import VERDICT_LABELS
from criteria.models import CriteriaSet, Indicator
from criteria.selectors import (
    criteria_set_for,
    evaluation_set_for,
    indicator_spec,
    spec_from_tree,
    would_take_over,
)
from evidence.models import Document, Explanation
from measurements.models import (
    OFFICIAL_STATUSES,
    PROVISIONAL_STATUSES,
    Measurement,
    PartValue,
)
from measurements.selectors import (
    LineTotal,
    approved_last_year,
    counted_from_district_verdicts,
    exact_years,
    reported_line_totals,
    review_queue,
    unsupported_claims,
)

from . import versions
from .models import (
    CommitteeDecision,
    DocumentSettings,
    FrozenRecord,
    Meeting,
    MeetingFile,
    Member,
    ReportNarrative,
)


class Basis(Enum):
    """Which stored entries a result counts."""

    OFFICIAL = "official"  # approved (or not applicable): what the committee signs
    PROVISIONAL = "provisional"  # and submitted: the picture before review ends
    AS_ENTERED = "as_entered"  # every entry as it stands, scored on its own

    @classmethod
    def of(cls, provisional: bool) -> Basis:
        return cls.PROVISIONAL if provisional else cls.OFFICIAL

    @property
    def statuses(self) -> frozenset[str]:
        """The review statuses of the entries that count."""
        return _STATUSES[self]


_STATUSES = {
    Basis.OFFICIAL: OFFICIAL_STATUSES,
    Basis.PROVISIONAL: PROVISIONAL_STATUSES,
    Basis.AS_ENTERED: frozenset(Measurement.Status.values),
}


@dataclass(frozen=True)
class UnitYearInputs:
    """What the scoring service reads of one unit-year, and where each input comes from.

    `entries` and `last_year` are keyed by indicator id; `counted_live` (indicator code → input)
    holds the inputs counted live from lists, which replace the stored entry.
    """

    unit: Unit
    year: int
    basis: Basis
    entries: Mapping[int, Measurement]
    last_year: Mapping[int, Decimal]
    counted_live: Mapping[str, scoring.IndicatorInput]

    def counts(self, entry: Measurement | None) -> bool:
        """Whether a stored entry counts on this basis."""
        return entry is not None and entry.status in self.basis.statuses

    def input_for(self, indicator: Indicator) -> scoring.IndicatorInput | None:
        """The indicator's input: marked not applicable by the standing office, else counted live
        from a list, else the counted entry, else None."""
        entry = self.entries.get(indicator.pk)
        if self.counts(entry) and entry.is_not_applicable:
            return _input_of(indicator, entry, None)
        if indicator.code in self.counted_live:
            return self.counted_live[indicator.code]
        if not self.counts(entry):
            return None
        return _input_of(indicator, entry, self.last_year.get(indicator.pk))

    def by_code(self, indicators: Iterable[Indicator]) -> dict[str, scoring.IndicatorInput]:
        """Indicator code → input, for `scoring.evaluate` (indicators without one: no data)."""
        inputs = {}
        for indicator in indicators:
            given = self.input_for(indicator)
            if given is not None:
                inputs[indicator.code] = given
        return inputs

    def result(self, indicator: Indicator) -> scoring.IndicatorResult | None:
        """What the scoring service says of the indicator's entry as it stands — for one summed
        from reported lines, of the sum of its lines on this basis; None without data (or with
        data the scoring service refuses)."""
        entry = self.entries.get(indicator.pk)
        if (
            indicator.counts_reported_lines
            and not (entry is not None and entry.is_not_applicable)
            and self.counted_live[indicator.code].numerator is not None
        ):
            return scoring.score_indicator(
                indicator_spec(indicator), self.counted_live[indicator.code]
            )
        if entry is None or not (entry.has_data or entry.is_not_applicable):
            return None
        try:
            return scoring.score_indicator(
                indicator_spec(indicator),
                _input_of(indicator, entry, self.last_year.get(indicator.pk)),
            )
        except scoring.ScoringInputError:
            return None

    def with_overrides(
        self, indicators: Iterable[Indicator], overrides: Mapping[str, scoring.IndicatorInput]
    ) -> dict[str, scoring.IndicatorInput]:
        """The inputs with what-if `overrides` replacing whole entries (never saved); an override
        of a drop or an increase without a previous value takes last year's approved one, exactly
        as a stored entry does."""
        inputs = self.by_code(indicators)
        by_code = {indicator.code: indicator for indicator in indicators}
        for code, given in overrides.items():
            indicator = by_code.get(code)
            previous = self.last_year.get(indicator.pk) if indicator is not None else None
            if (
                indicator is not None
                and scoring.kind_facts(indicator.kind).compares_with_last_year
                and given.previous is None
                and given.value is not None
                and previous is not None
            ):
                given = replace(given, previous=trim_decimal(previous))
            inputs[code] = given
        return inputs


def gather_inputs(
    units: Sequence[Unit], years: Iterable[int], indicators: Sequence[Indicator], *, basis: Basis
) -> dict[tuple[int, int], UnitYearInputs]:
    """(unit id, year) → the unit-year's inputs for the given indicators, for every unit and year
    asked: three queries (the entries, their parts' figures, last year's values), one more for
    the sums of reported lines when an indicator is counted from them, and — when the city's set
    counts a share from the districts' verdicts — those of the districts' own evaluation."""
    years = sorted(set(years))
    unit_ids = [unit.pk for unit in units]
    versions.reads_unit_years(unit_ids, years)
    ids = [indicator.pk for indicator in indicators]
    entries: dict[tuple[int, int], dict[int, Measurement]] = {}
    if years and unit_ids and ids:
        stored = Measurement.objects.filter(
            exact_years(years), unit_id__in=unit_ids, indicator_id__in=ids
        ).prefetch_related(_PART_VALUES)
        for entry in stored:
            entries.setdefault((entry.unit_id, entry.year), {})[entry.indicator_id] = entry
    last_year: dict[tuple[int, int], dict[int, Decimal]] = {}
    for (unit_id, year, indicator_id), value in approved_last_year(
        unit_ids, years, indicator_ids=ids
    ).items():
        last_year.setdefault((unit_id, year), {})[indicator_id] = value
    from_lines = [indicator for indicator in indicators if indicator.counts_reported_lines]
    totals = reported_line_totals(
        unit_ids, years, [indicator.pk for indicator in from_lines], basis.statuses
    )
    return {
        (unit.pk, year): UnitYearInputs(
            unit=unit,
            year=year,
            basis=basis,
            entries=entries.get((unit.pk, year), {}),
            last_year=last_year.get((unit.pk, year), {}),
            counted_live={
                **_counted_live(unit, year, indicators, basis),
                **_line_sums(unit, year, from_lines, totals),
            },
        )
        for unit in units
        for year in years
    }


def _line_sums(
    unit: Unit,
    year: int,
    from_lines: Sequence[Indicator],
    totals: Mapping[tuple[int, int, int], LineTotal],
) -> dict[str, scoring.IndicatorInput]:
    """An indicator counted from reported lines reads the sums of the lines that count on the
    basis (approved ones officially), naming how many departments they come from; without any
    such line it has no data — a typed total never counts."""
    inputs = {}
    for indicator in from_lines:
        total = totals.get((unit.pk, year, indicator.pk))
        if total is None:
            inputs[indicator.code] = scoring.IndicatorInput()
            continue
        inputs[indicator.code] = scoring.IndicatorInput(
            numerator=Decimal(total.numerator),
            denominator=Decimal(total.denominator),
            counted=say(gettext_noop("(sum reported by units: %(units)s)"), units=total.lines),
        )
    return inputs


#: An entry's parts' figures with their parts, read with the entries.
_PART_VALUES = Prefetch("part_values", queryset=PartValue.objects.select_related("part"))


def unit_year_inputs(
    unit: Unit, year: int, indicators: Sequence[Indicator], *, basis: Basis
) -> UnitYearInputs:
    """`gather_inputs` for one unit-year."""
    return gather_inputs([unit], [year], indicators, basis=basis)[(unit.pk, year)]


def _input_of(
    indicator: Indicator, entry: Measurement, last_year: Decimal | None
) -> scoring.IndicatorInput:
    """A stored entry as the scoring service reads it: a missing previous value of a drop or an
    increase is last year's approved one; a share counted from a list names what it counts."""
    if entry.is_not_applicable:
        return scoring.IndicatorInput(not_applicable=True, reason=entry.not_applicable_reason)
    previous = entry.previous
    if (
        previous is None
        and entry.growth_rate is None  # a published rate compares with nothing stored
        and scoring.kind_facts(indicator.kind).compares_with_last_year
    ):
        previous = last_year
    counted = indicator.list_label if indicator.list_source and entry.numerator is not None else ""
    parts = {
        figures.part.code: scoring.IndicatorInput(
            numerator=None if figures.numerator is None else Decimal(figures.numerator),
            denominator=None if figures.denominator is None else Decimal(figures.denominator),
            value=None if figures.value is None else trim_decimal(figures.value),
        )
        for figures in entry.part_values.all()
        if figures.has_data
    }
    return scoring.IndicatorInput(
        parts=parts,
        yes=entry.yes,
        numerator=None if entry.numerator is None else Decimal(entry.numerator),
        denominator=None if entry.denominator is None else Decimal(entry.denominator),
        value=None if entry.value is None else trim_decimal(entry.value),
        previous=None if previous is None else trim_decimal(previous),
        growth_rate=None if entry.growth_rate is None else trim_decimal(entry.growth_rate),
        counted=counted,
    )


# --- Inputs counted from lists: 2.1.2 from the districts' verdicts ---------------------------


_RECOGNISED = say(gettext_noop("districts recognised"))


@dataclass(frozen=True)
class DistrictVerdict:
    """A district's computed verdict against the districts' own criteria set (None: no district
    set applies that year, so it has none — never the city's indicators) and, when recorded, the
    committee's recognition."""

    unit: Unit
    computed: scoring.Verdict | None
    decided: bool | None  # True: recognised by the committee; False: not; None: no decision
    #: Under a set with levels: the level the computed verdict reaches.
    level: int | None = None

    def recognized(self, basis: Basis) -> bool:
        """What 2.1.2 counts of the district: officially, only a recorded recognition; on the
        provisional basis, the recognition where recorded, else the computed verdict."""
        if self.decided is not None or basis is Basis.OFFICIAL:
            return self.decided is True
        return self.computed is scoring.Verdict.RECOGNIZED

    @property
    def differs(self) -> bool:
        """The committee decided otherwise than the computed verdict says (or recognised a
        district that has no computed verdict)."""
        return self.decided is not None and self.decided != (
            self.computed is scoring.Verdict.RECOGNIZED
        )


def decisions_by_unit(year: int, unit_ids: Iterable[int] | None = None) -> dict[int, bool]:
    """Unit id → True when the committee recognised it that year, False when it did not."""
    decisions = CommitteeDecision.objects.filter(year=year)
    if unit_ids is not None:
        decisions = decisions.filter(unit_id__in=list(unit_ids))
    return {
        unit_id: decision == CommitteeDecision.Decision.RECOGNIZED
        for unit_id, decision in decisions.values_list("unit_id", "decision")
    }


def recognition_exceptions(unit: Unit, year: int) -> list[str]:
    """Why recognising a district or a commune would go against what the portal knows of it — a
    district not a pilot, a computed verdict on approved data that is not «Đạt» — each said in a
    few words; empty for the city and for a pilot (or a commune) computed «Đạt»."""
    if unit.is_city:
        return []
    reasons = []
    if unit.level == CriteriaSet.Level.DISTRICT and unit.pk not in pilot_ids(year):
        reasons.append(_("it is not a pilot district"))  # rounds name district pilots only
    own_set = evaluation_set_for(unit.level, year)
    verdict = district_verdicts(own_set, [unit], year, basis=Basis.OFFICIAL, decisions={})[0]
    if verdict.computed is None and unit.level == CriteriaSet.Level.DISTRICT:
        reasons.append(_("it has no computed verdict (no district criteria set for the year)"))
    elif verdict.computed is None:
        reasons.append(_("it has no computed verdict (no commune criteria set for the year)"))
    elif verdict.computed is not scoring.Verdict.RECOGNIZED:
        reasons.append(
            _("its computed verdict on approved data is «%(verdict)s»")
            % {"verdict": VERDICT_LABELS[verdict.computed.value]}
        )
    return reasons


def recognized_against_data(
    decision: CommitteeDecision | None, verdict: scoring.Verdict | None
) -> bool:
    """Whether a recorded recognition is one the computed verdict shown beside it (None: the
    unit has none) does not support — flagged as such; the reason given with it is shown
    either way, since it may have been recorded under another rule or other data."""
    return (
        decision is not None
        and decision.decision == CommitteeDecision.Decision.RECOGNIZED
        and verdict is not scoring.Verdict.RECOGNIZED
    )


def exception_reasons(year: int) -> dict[int, str]:
    """Unit id → the committee's reason for recognising it against the data, where it gave one."""
    return dict(
        CommitteeDecision.objects.filter(year=year)
        .exclude(exception_reason="")
        .values_list("unit_id", "exception_reason")
    )


def decision_for(unit: Unit, year: int) -> CommitteeDecision | None:
    """The committee's recorded decision for a unit-year, if any."""
    return (
        CommitteeDecision.objects.filter(unit=unit, year=year)
        .select_related("recorded_by", "meeting", "document")
        .first()
    )


def report_narrative(unit: Unit, year: int) -> ReportNarrative | None:
    """What the writers of a unit's report for a year wrote beyond its figures, if anything."""
    return ReportNarrative.objects.filter(unit=unit, year=year).first()


#: A meeting's files as they are listed: the signed minutes first, then the attachments, each in
#: the order they were kept.
MEETING_FILE_ORDER = (
    Case(When(kind=MeetingFile.Kind.MINUTES, then=0), default=1),
    "pk",
)


def files_of_meeting(meeting: Meeting) -> QuerySet[MeetingFile]:
    """A meeting's files, the signed minutes first, with who kept each."""
    return meeting.files.select_related("uploaded_by").order_by(*MEETING_FILE_ORDER)


def year_meetings(year: int) -> list[Meeting]:
    """The year's meetings in date order, each with the recognitions decided at it and its
    files, the signed minutes first (three queries)."""
    decisions = CommitteeDecision.objects.select_related("unit").order_by("unit__position")
    files = MeetingFile.objects.order_by(*MEETING_FILE_ORDER)
    return list(
        Meeting.objects.filter(year=year)
        .select_related("plan_task", "recorded_by")
        .prefetch_related(
            Prefetch("decisions", queryset=decisions), Prefetch("files", queryset=files)
        )
        .order_by("held_on", "pk")
    )


def body_signers(year: int, body: str) -> tuple[str, str]:
    """The names that sign a body's minutes of the year: its chair (or head) and its secretary
    ("" where none is named)."""
    members = Member.objects.filter(year=year, body=body)
    chair = members.filter(role__in=Member.CHAIRING).order_by("pk").first()
    secretary = members.filter(role=Member.Role.SECRETARY).order_by("pk").first()
    return (chair.name if chair else "", secretary.name if secretary else "")


def year_members(year: int) -> list[Member]:
    """The year's council and committee members, each body's chair first."""
    order = {role: rank for rank, role in enumerate(Member.Role.values)}
    members = Member.objects.filter(year=year).select_related("user")
    return sorted(members, key=lambda m: (m.body != Member.Body.COUNCIL, order[m.role], m.pk))


def recognised_units(year: int) -> list[tuple[CommitteeDecision, dict | None]]:
    """The units recognised in a year — the districts in the plan's order, then the city — each
    with the results its current frozen record holds (None for a recognition recorded before
    records were frozen): what the proposal and the decision list."""
    decisions = sorted(
        CommitteeDecision.objects.filter(
            year=year, decision=CommitteeDecision.Decision.RECOGNIZED
        ).select_related("unit", "meeting"),
        key=lambda decision: (decision.unit.is_city, decision.unit.position, decision.unit.code),
    )
    frozen = {
        unit_id: json.loads(content).get("results")
        for unit_id, content in FrozenRecord.objects.filter(
            year=year, replaced_by__isnull=True
        ).values_list("unit_id", "content")
    }
    return [(decision, frozen.get(decision.unit_id)) for decision in decisions]


def district_verdicts(
    criteria_set: CriteriaSet | None,
    units: Sequence[Unit],
    year: int,
    *,
    basis: Basis,
    decisions: Mapping[int, bool],
) -> list[DistrictVerdict]:
    """Every district scored against `criteria_set` (the districts' own set for the year; None:
    no set, so no district has a computed verdict), with the committee's decision from
    `decisions` (unit id → True when recognised): a constant number of queries however many
    districts."""
    if criteria_set is None:
        return [DistrictVerdict(d, None, decisions.get(d.pk)) for d in units]
    tree = caching.catalogue_tree(criteria_set)
    catalogue = spec_from_tree(criteria_set, tree)
    indicators = [i for s in tree for c in s.criteria.all() for i in c.indicators.all()]
    inputs = gather_inputs(units, [year], indicators, basis=basis)
    verdicts = []
    for district in units:
        result = scoring.evaluate(catalogue, inputs[(district.pk, year)].by_code(indicators))
        verdicts.append(
            DistrictVerdict(district, result.verdict, decisions.get(district.pk), result.level)
        )
    return verdicts


def year_district_verdicts(year: int, *, basis: Basis) -> list[DistrictVerdict]:
    """Every district's computed verdict and the committee's decision for the year."""
    units = city_subdivisions(year)
    decisions = decisions_by_unit(year, [district.pk for district in units])
    own_set = evaluation_set_for(level_of(units), year)
    return district_verdicts(own_set, units, year, basis=basis, decisions=decisions)


@dataclass(frozen=True)
class RecognitionOutlook:
    """How far the districts' recognitions can still take 2.1.2 in a year: the districts, the
    pilots, those recognised, and the pilots the committee has not decided on yet."""

    districts: int
    pilots: int
    recognized: int
    undecided_pilots: int

    @property
    def most(self) -> int:
        """The most districts that can be recognised: recognised so far plus undecided pilots
        (a district outside the pilot is not evaluated this round)."""
        return self.recognized + self.undecided_pilots

    def as_input(self, indicator: Indicator) -> scoring.IndicatorInput:
        """The share at its most, as the scoring service reads it."""
        return scoring.IndicatorInput(
            numerator=Decimal(self.most),
            denominator=Decimal(self.districts),
            counted=indicator.list_label or _RECOGNISED,
        )


#: How far ahead the dashboard looks for recognitions about to end (months).
EXPIRY_WARNING_MONTHS = 6


def months_later(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it has no such day)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def expiring_recognitions(today: date) -> list[CommitteeDecision]:
    """Recognitions whose validity ends within EXPIRY_WARNING_MONTHS of today and has not ended,
    soonest first; a unit recognised again in a later year is renewed, not listed (one query).
    Read on every request, outside the cached page: which ones depends on every year."""
    renewed = CommitteeDecision.objects.filter(
        unit=OuterRef("unit"),
        year__gt=OuterRef("year"),
        decision=CommitteeDecision.Decision.RECOGNIZED,
    )
    return list(
        CommitteeDecision.objects.filter(
            decision=CommitteeDecision.Decision.RECOGNIZED,
            valid_until__gte=today,
            valid_until__lte=months_later(today, EXPIRY_WARNING_MONTHS),
        )
        .exclude(Exists(renewed))
        .select_related("unit")
        .order_by("valid_until", "unit__position", "unit__code")
    )


def recognition_outlook(year: int) -> RecognitionOutlook:
    """The districts, the pilots and the committee's decisions of a year (three queries)."""
    units = city_subdivisions(year)
    decisions = decisions_by_unit(year, [district.pk for district in units])
    named = pilot_ids(year)
    pilots = [district for district in units if district.pk in named]
    return RecognitionOutlook(
        districts=len(units),
        pilots=len(pilots),
        recognized=sum(1 for recognised in decisions.values() if recognised),
        undecided_pilots=sum(1 for district in pilots if district.pk not in decisions),
    )


def _counted_live(
    unit: Unit, year: int, indicators: Sequence[Indicator], basis: Basis
) -> dict[str, scoring.IndicatorInput]:
    """Inputs counted live rather than stored: the city's share of recognised districts (a typed
    2.1.2 never counts: only the what-if takes one). No query when no indicator asked for is
    counted from the districts' verdicts."""
    from_verdicts = [i for i in indicators if counted_from_district_verdicts(i, unit)]
    if not from_verdicts or basis is Basis.AS_ENTERED:
        return {}
    if basis is Basis.OFFICIAL:  # recorded recognitions only: no district's values are read
        units = city_subdivisions(year)
        decisions = decisions_by_unit(year, [district.pk for district in units])
        verdicts = district_verdicts(None, units, year, basis=basis, decisions=decisions)
    else:
        verdicts = year_district_verdicts(year, basis=basis)
    return {
        indicator.code: _verdict_share(indicator, verdicts, basis) for indicator in from_verdicts
    }


def _verdict_share(
    indicator: Indicator, verdicts: Sequence[DistrictVerdict], basis: Basis
) -> scoring.IndicatorInput:
    """2.1.2's input: recognised districts over every district of the city that year, naming
    what it counts. Officially only recorded recognitions count, and before the committee has
    decided on any district there is no data; provisionally a district without a decision counts
    by its computed verdict, and the share says so."""
    if not verdicts:
        return scoring.IndicatorInput()
    undecided = any(verdict.decided is None for verdict in verdicts)
    if basis is Basis.OFFICIAL and all(verdict.decided is None for verdict in verdicts):
        return scoring.IndicatorInput()
    counted = indicator.list_label or _RECOGNISED
    if basis is Basis.PROVISIONAL and undecided:
        counted = say(
            gettext_noop("%(counted)s, provisional from the self-evaluations"), counted=counted
        )
    return scoring.IndicatorInput(
        numerator=Decimal(sum(1 for verdict in verdicts if verdict.recognized(basis))),
        denominator=Decimal(len(verdicts)),
        counted=counted,
    )


# --- Entries scored as they stand --------------------------------------------------------------


@dataclass(frozen=True)
class WorkRow:
    """One line of "my work": an indicator of a unit, its entry (if any) and what it scores."""

    indicator: Indicator
    unit: Unit
    measurement: Measurement | None
    last_year: Decimal | None
    result: scoring.IndicatorResult | None

    @property
    def status(self) -> str:
        return self.measurement.status if self.measurement else ""


def work_rows(indicators: Iterable[Indicator], unit: Unit, year: int) -> list[WorkRow]:
    """Rows for a unit's indicators in a year: two queries however many indicators."""
    indicators = list(indicators)
    inputs = unit_year_inputs(unit, year, indicators, basis=Basis.AS_ENTERED)
    return [
        WorkRow(
            indicator,
            unit,
            inputs.entries.get(indicator.pk),
            inputs.last_year.get(indicator.pk),
            inputs.result(indicator),
        )
        for indicator in indicators
    ]


def entry_result(measurement: Measurement) -> scoring.IndicatorResult | None:
    """What one entry scores as it was just saved (the message after a save): the entry itself
    with its parts' figures and last year's approved value, two queries. A sum of reported
    lines is never typed: it is read in full. (As entered, nothing else is counted live.)"""
    unit, year, indicator = measurement.unit, measurement.year, measurement.indicator
    if indicator.counts_reported_lines:
        return unit_year_inputs(unit, year, [indicator], basis=Basis.AS_ENTERED).result(indicator)
    prefetch_related_objects([measurement], _PART_VALUES)
    last_year = approved_last_year([unit.pk], [year], indicator_ids=[indicator.pk])
    inputs = UnitYearInputs(
        unit=unit,
        year=year,
        basis=Basis.AS_ENTERED,
        entries={indicator.pk: measurement},
        last_year={key[2]: value for key, value in last_year.items()},
        counted_live={},
    )
    return inputs.result(indicator)


def review_rows() -> list[tuple[Measurement, scoring.IndicatorResult | None, bool]]:
    """The standing office's queue with what each entry scores, last year's approved values
    included, and whether it is a «yes» still lacking its document or explanation (it cannot be
    approved yet): five queries however long the queue."""
    queue = list(review_queue())
    units = {entry.unit_id: entry.unit for entry in queue}
    indicators = {entry.indicator_id: entry.indicator for entry in queue}
    inputs = gather_inputs(
        list(units.values()),
        {entry.year for entry in queue},
        list(indicators.values()),
        basis=Basis.AS_ENTERED,
    )
    lacking = {entry.pk for entry in unsupported_claims(queue)}
    return [
        (entry, inputs[(entry.unit_id, entry.year)].result(entry.indicator), entry.pk in lacking)
        for entry in queue
    ]


# --- A new criteria set taking years over -------------------------------------------------------


@dataclass(frozen=True)
class Superseded:
    """What stops counting in a year for the units of a level when a new set takes them over from
    the set their data were entered against (nothing is copied to the new set)."""

    year: int
    level: str
    criteria_set: CriteriaSet
    units: int
    measurements: int
    documents: int
    explanations: int

    def __str__(self) -> str:
        values = {
            "year": self.year,
            "code": self.criteria_set.code,
            "units": self.units,
            "measurements": self.measurements,
            "documents": self.documents,
            "explanations": self.explanations,
        }
        if self.level == CriteriaSet.Level.CITY:
            text = _(
                "%(year)s, the city: %(measurements)s values, %(documents)s documents and "
                "%(explanations)s explanations entered against «%(code)s»"
            )
        else:
            text = _(
                "%(year)s, the districts (%(units)s): %(measurements)s values, %(documents)s "
                "documents and %(explanations)s explanations entered against «%(code)s»"
            )
        return text % values

    def as_seen(self) -> list:
        """What a person read in the preview, to compare with what holds when they confirm."""
        return [
            self.year,
            self.level,
            self.criteria_set.code,
            self.units,
            self.measurements,
            self.documents,
            self.explanations,
        ]


def superseded_by(*, level: str, first_year: int | None, last_year: int | None) -> list[Superseded]:
    """For a set about to be loaded (its level and years): every year holding data of another set
    that the new one would take over, with how much of it would stop counting."""
    years = (
        set(Measurement.objects.values_list("year", flat=True).distinct())
        | set(Document.objects.values_list("year", flat=True).distinct())
        | set(Explanation.objects.values_list("year", flat=True).distinct())
    )
    found = []
    for year in sorted(years):
        for unit_level in (CriteriaSet.Level.CITY, CriteriaSet.Level.DISTRICT):
            taken = would_take_over(
                new_level=level,
                first_year=first_year,
                last_year=last_year,
                level=unit_level,
                year=year,
            )
            current = criteria_set_for(unit_level, year) if taken else None
            if current is not None and (entry := _held(current, unit_level, year)) is not None:
                found.append(entry)
    return found


def _held(criteria_set: CriteriaSet, level: str, year: int) -> Superseded | None:
    of_level = Q(unit__kind=Unit.Kind.CITY)
    if level == CriteriaSet.Level.DISTRICT:
        of_level = ~of_level
    measurements = Measurement.objects.filter(
        of_level, year=year, indicator__criterion__standard__criteria_set=criteria_set
    )
    documents = Document.objects.filter(
        of_level, year=year, indicators__criterion__standard__criteria_set=criteria_set
    ).distinct()
    explanations = Explanation.objects.filter(
        of_level, year=year, indicator__criterion__standard__criteria_set=criteria_set
    )
    units = (
        set(measurements.values_list("unit_id", flat=True))
        | set(documents.values_list("unit_id", flat=True))
        | set(explanations.values_list("unit_id", flat=True))
    )
    if not units:
        return None
    return Superseded(
        year=year,
        level=level,
        criteria_set=criteria_set,
        units=len(units),
        measurements=measurements.count(),
        documents=documents.count(),
        explanations=explanations.count(),
    )


def document_settings() -> DocumentSettings:
    """The settings the official documents are headed and signed with: the saved row, or the
    plan's own header until the standing office saves one."""
    return DocumentSettings.objects.filter(pk=DocumentSettings.SINGLE).first() or DocumentSettings()
