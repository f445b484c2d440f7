"""What the December dashboard shows, assembled from the three apps in a constant number of
queries: the catalogue tree, a unit-year's entries, last year's approved values, the evidence
state, and the scoring service's verdict. No rule lives here: the scoring service decides, the
permissions module says who sees what."""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from fractions import Fraction

from assignments import selectors as assignment_selectors
from assignments.models import Assignment, Department, PlanTask, Role, Unit
from assignments.selectors import role_entries
from criteria import caching, scoring
from criteria.models import CriteriaSet, Criterion, Indicator, Standard, trim_decimal
from criteria.selectors import indicator_spec, spec_from_tree
from evidence import lists
from evidence.document_selectors import EvidenceCell, evidence_state
from evidence.models import Measurement
from evidence.selectors import (
    OFFICIAL_STATUSES,
    PROVISIONAL_STATUSES,
    YEAR_KINDS,
    approved_last_year,
    counted_label,
    inputs_from_entries,
    to_scoring,
)

from .evaluation import decisions_by_unit, list_inputs
from .models import CommitteeDecision

PROBLEM_STATUSES = (scoring.Status.NOT_MET, scoring.Status.NO_DATA)


@dataclass(frozen=True)
class IndicatorLine:
    """One indicator on the dashboard: its result and everything the committee asks about it."""

    indicator: Indicator
    result: scoring.IndicatorResult
    entry: Measurement | None
    counted: bool
    leads: tuple[str, ...]
    evidence: EvidenceCell | None
    fragile: bool
    last_year: Decimal | None

    @property
    def is_problem(self) -> bool:
        return self.result.status in PROBLEM_STATUSES or self.fragile

    @property
    def pending_review(self) -> bool:
        """Entered and submitted, but not approved: it does not count officially yet."""
        return (
            self.entry is not None
            and self.entry.status == Measurement.Status.SUBMITTED
            and not self.counted
        )


@dataclass
class CriterionBlock:
    criterion: Criterion
    status: scoring.Status
    lines: list[IndicatorLine] = field(default_factory=list)


@dataclass
class StandardBlock:
    standard: Standard
    status: scoring.Status
    criteria: list[CriterionBlock] = field(default_factory=list)


@dataclass
class UnitDashboard:
    """A unit-year as the committee sees it, official (approved data) or provisional."""

    unit: Unit
    year: int
    provisional: bool
    evaluation: scoring.Evaluation
    standards: list[StandardBlock]

    @property
    def lines(self) -> list[IndicatorLine]:
        return [line for s in self.standards for c in s.criteria for line in c.lines]

    @property
    def met_count(self) -> int:
        return self.evaluation.met_count

    @property
    def indicator_count(self) -> int:
        return len(self.evaluation.indicators)

    @property
    def problem_count(self) -> int:
        return sum(1 for line in self.lines if line.is_problem)


def catalogue_tree_with_assignments(criteria_set: CriteriaSet) -> list[Standard]:
    """Standards → criteria → indicators → assignments (with departments): from the cache
    (criteria/caching.py), or four queries."""
    return caching.catalogue_tree(criteria_set)


def _lead_names(indicator: Indicator) -> tuple[str, ...]:
    """Lead departments of an indicator (prefetched), the district offices as one entry."""
    return tuple(entry.label for entry in role_entries(indicator.assignments.all(), Role.LEAD))


def _last_year_approved(unit_ids: Iterable[int], year: int) -> dict[tuple[int, int], Decimal]:
    """(unit id, indicator id) → last year's approved value, for drops and increases."""
    values = approved_last_year(unit_ids, [year], year_kinds_only=True)
    return {(unit_id, indicator_id): value for (unit_id, _, indicator_id), value in values.items()}


@dataclass(frozen=True)
class Baseline:
    """A unit-year as the scoring service sees it: the tree, the counted inputs, the verdict."""

    tree: list[Standard]
    catalogue: scoring.CatalogueSpec
    entries: list[Measurement]
    statuses: tuple[str, ...]
    last_year: dict[int, Decimal]
    inputs: dict[str, scoring.Measurement]
    evaluation: scoring.Evaluation

    @property
    def indicators(self) -> list[Indicator]:
        return [i for s in self.tree for c in s.criteria.all() for i in c.indicators.all()]


def baseline(
    criteria_set: CriteriaSet, unit: Unit, year: int, *, provisional: bool = False
) -> Baseline:
    """Score a unit-year (seven queries; more, constant, when a share is counted from the
    districts' verdicts): the inputs of learningcity.evaluation, as `manage.py evaluate` uses."""
    tree = catalogue_tree_with_assignments(criteria_set)
    catalogue = spec_from_tree(criteria_set, tree)
    entries = list(
        Measurement.objects.filter(
            unit=unit, year=year, indicator__criterion__standard__criteria_set=criteria_set
        ).select_related("indicator")
    )
    statuses = PROVISIONAL_STATUSES if provisional else OFFICIAL_STATUSES
    last_year = {
        indicator_id: value
        for (_, indicator_id), value in _last_year_approved([unit.pk], year).items()
    }
    inputs = inputs_from_entries(entries, statuses, last_year)
    indicators = [i for s in tree for c in s.criteria.all() for i in c.indicators.all()]
    inputs.update(list_inputs(unit, year, indicators, provisional=provisional))
    evaluation = scoring.evaluate(catalogue, inputs)
    return Baseline(tree, catalogue, entries, statuses, last_year, inputs, evaluation)


def evaluate(
    criteria_set: CriteriaSet,
    unit: Unit,
    year: int,
    *,
    provisional: bool = False,
    overrides: dict[str, scoring.Measurement] | None = None,
) -> scoring.Evaluation:
    """A unit-year's evaluation, with what-if `overrides` replacing whole entries (never saved).
    `manage.py evaluate` prints this; the dashboard shows the same."""
    base = baseline(criteria_set, unit, year, provisional=provisional)
    if not overrides:
        return base.evaluation
    return scoring.evaluate(base.catalogue, {**base.inputs, **_with_last_year(base, overrides)})


def _with_last_year(
    base: Baseline, overrides: dict[str, scoring.Measurement]
) -> dict[str, scoring.Measurement]:
    """What-if entries of drops and increases without a previous value take last year's approved
    one, exactly as stored entries do."""
    ids = {indicator.code: indicator.pk for indicator in base.indicators}
    filled = {}
    for code, measurement in overrides.items():
        previous = base.last_year.get(ids.get(code))
        if (
            base.catalogue.indicator(code).kind
            in (scoring.Kind.DROP_AT_LEAST, scoring.Kind.INCREASE)
            and measurement.previous is None
            and measurement.value is not None
            and previous is not None
        ):
            measurement = replace(measurement, previous=trim_decimal(previous))
        filled[code] = measurement
    return filled


def unit_dashboard(
    criteria_set: CriteriaSet, unit: Unit, year: int, *, provisional: bool = False
) -> UnitDashboard:
    """The dashboard of one unit-year: the verdict and the annotated tree."""
    base = baseline(criteria_set, unit, year, provisional=provisional)
    evidence = evidence_state(year, [unit.pk])
    return UnitDashboard(
        unit=unit,
        year=year,
        provisional=provisional,
        evaluation=base.evaluation,
        standards=_blocks(
            base.tree,
            base.evaluation,
            base.entries,
            base.statuses,
            base.last_year,
            evidence,
            unit,
        ),
    )


def _blocks(
    tree: list[Standard],
    evaluation: scoring.Evaluation,
    entries: list[Measurement],
    statuses: Sequence[str],
    last_year: dict[int, Decimal],
    evidence: dict[tuple[int, int], EvidenceCell],
    unit: Unit,
) -> list[StandardBlock]:
    results = {result.code: result for result in evaluation.indicators}
    groups = {group.code: group.status for group in (*evaluation.standards, *evaluation.criteria)}
    entry_by_indicator = {entry.indicator_id: entry for entry in entries}
    blocks = []
    for standard in tree:
        block = StandardBlock(standard, groups[standard.code])
        for criterion in standard.criteria.all():
            criterion_block = CriterionBlock(criterion, groups[criterion.code])
            for indicator in criterion.indicators.all():
                entry = entry_by_indicator.get(indicator.pk)
                result = results[indicator.code]
                previous = _previous_of(entry, last_year.get(indicator.pk))
                criterion_block.lines.append(
                    IndicatorLine(
                        indicator=indicator,
                        result=result,
                        entry=entry,
                        counted=entry is not None and entry.status in statuses,
                        leads=_lead_names(indicator),
                        evidence=evidence.get((unit.pk, indicator.pk)),
                        fragile=scoring.is_fragile(result, previous),
                        last_year=last_year.get(indicator.pk),
                    )
                )
            block.criteria.append(criterion_block)
        blocks.append(block)
    return blocks


def _previous_of(entry: Measurement | None, last_year: Decimal | None) -> Decimal | None:
    if entry is not None and entry.previous is not None:
        return entry.previous
    return last_year


# --- Districts × indicators ------------------------------------------------------------------


@dataclass(frozen=True)
class MatrixCell:
    result: scoring.IndicatorResult
    entry: Measurement | None
    evidence: EvidenceCell | None


@dataclass
class MatrixRow:
    unit: Unit
    cells: list[MatrixCell]
    verdict: lists.DistrictVerdict

    @property
    def met_count(self) -> int:
        return sum(1 for cell in self.cells if cell.result.status is scoring.Status.MET)


@dataclass
class DistrictMatrix:
    year: int
    indicators: list[Indicator]
    rows: list[MatrixRow]

    @property
    def recognized_count(self) -> int:
        """What 2.1.2 counts: decisions where recorded, computed verdicts otherwise."""
        return sum(1 for row in self.rows if row.verdict.recognized)

    def column_met_counts(self) -> list[int]:
        return [
            sum(1 for row in self.rows if row.cells[i].result.status is scoring.Status.MET)
            for i in range(len(self.indicators))
        ]


def district_indicators(criteria_set: CriteriaSet) -> list[Indicator]:
    """The indicators districts report on: those assigned to a district education office."""
    return list(
        Indicator.objects.filter(
            criterion__standard__criteria_set=criteria_set,
            assignments__department__kind=Department.Kind.DISTRICT_OFFICE,
        )
        .distinct()
        .order_by("criterion__standard__position", "criterion__position", "position")
    )


def districts() -> list[Unit]:
    return list(assignment_selectors.districts())


def district_matrix(
    criteria_set: CriteriaSet, year: int, *, provisional: bool = False
) -> DistrictMatrix:
    """Each district's status and evidence on the district-reported indicators, its verdict
    against the districts' own criteria set (if one applies) and the committee's decision: a
    constant number of queries however many districts."""
    indicators = district_indicators(criteria_set)
    units = districts()
    unit_ids = [unit.pk for unit in units]
    entries = Measurement.objects.filter(
        year=year, unit_id__in=unit_ids, indicator__in=indicators
    ).select_related("indicator")
    by_cell = {(entry.unit_id, entry.indicator_id): entry for entry in entries}
    last_year = _last_year_approved(unit_ids, year)
    evidence = evidence_state(year, unit_ids)
    statuses = PROVISIONAL_STATUSES if provisional else OFFICIAL_STATUSES
    specs = {indicator.pk: indicator_spec(indicator) for indicator in indicators}
    own_set = criteria_set if criteria_set.level == CriteriaSet.Level.DISTRICT else None
    verdicts = lists.district_verdicts(
        own_set,
        units,
        year,
        provisional=provisional,
        decisions=decisions_by_unit(year, unit_ids),
    )
    rows = []
    for unit, verdict in zip(units, verdicts, strict=True):
        cells = []
        for indicator in indicators:
            entry = by_cell.get((unit.pk, indicator.pk))
            counted = entry if entry is not None and entry.status in statuses else None
            data = (
                to_scoring(
                    counted, last_year.get((unit.pk, indicator.pk)), counted_label(indicator)
                )
                if counted
                else None
            )
            result = scoring.score_indicator(specs[indicator.pk], data)
            cells.append(MatrixCell(result, entry, evidence.get((unit.pk, indicator.pk))))
        rows.append(MatrixRow(unit, cells, verdict))
    return DistrictMatrix(year, indicators, rows)


# --- Progress --------------------------------------------------------------------------------


@dataclass
class DepartmentProgress:
    department: Department
    approved: list[Indicator] = field(default_factory=list)
    submitted: list[Indicator] = field(default_factory=list)
    missing: list[Indicator] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.approved) + len(self.submitted) + len(self.missing)


def department_progress(
    city_set: CriteriaSet, district_set: CriteriaSet | None, year: int
) -> list[DepartmentProgress]:
    """Per department, its assigned indicators with data approved / submitted / missing.

    A division's data is the city's, in the city's set; a district office's is its own
    district's, in the set districts are evaluated against (`district_set`). Drafts and returned
    entries count as missing: nothing has reached the standing office yet. Three queries.
    """
    office_set = district_set or city_set
    assignments = (
        Assignment.objects.filter(
            indicator__criterion__standard__criteria_set__in={city_set.pk, office_set.pk}
        )
        .select_related("department", "indicator__criterion__standard")
        .order_by("department__position", "department__name", "indicator__code")
    )
    city = Unit.objects.filter(kind=Unit.Kind.CITY).first()
    rows = Measurement.objects.filter(year=year).values_list("unit_id", "indicator_id", "status")
    statuses = {(unit_id, indicator_id): status for unit_id, indicator_id, status in rows}
    progress: dict[int, DepartmentProgress] = {}
    for assignment in assignments:
        department = assignment.department
        is_office = department.kind == Department.Kind.DISTRICT_OFFICE
        own_set = office_set if is_office else city_set
        if assignment.indicator.criterion.standard.criteria_set_id != own_set.pk:
            continue
        row = progress.setdefault(department.pk, DepartmentProgress(department))
        unit_id = department.unit_id or (city.pk if city else None)
        status = statuses.get((unit_id, assignment.indicator_id))
        bucket = {
            Measurement.Status.APPROVED: row.approved,
            Measurement.Status.SUBMITTED: row.submitted,
        }.get(status, row.missing)
        bucket.append(assignment.indicator)
    return list(progress.values())


@dataclass(frozen=True)
class TaskLine:
    task: PlanTask
    overdue: bool
    leads: tuple[str, ...]


def plan_task_lines(today: date) -> list[TaskLine]:
    """The plan's tasks with their lead departments and whether each is overdue today."""
    tasks = PlanTask.objects.prefetch_related("roles__department").order_by("number")
    return [
        TaskLine(
            task,
            task.is_overdue(today),
            tuple(r.department.name for r in task.roles.all() if r.role == Role.LEAD),
        )
        for task in tasks
    ]


# --- Year over year --------------------------------------------------------------------------


@dataclass(frozen=True)
class TrendLine:
    indicator: Indicator
    points: tuple[tuple[int, Decimal], ...]

    @property
    def this_year(self) -> Decimal | None:
        return self.points[-1][1] if self.points else None

    @property
    def previous_year(self) -> Decimal | None:
        return self.points[-2][1] if len(self.points) > 1 else None


def year_over_year(criteria_set: CriteriaSet, unit: Unit, year: int) -> list[TrendLine]:
    """Approved figures of every numeric indicator up to `year`, oldest first, for the indicators
    that have a value in at least two years: the percentage for shares and rates, the reported
    value for drops and increases. Two queries however many years."""
    indicators = {
        i.pk: i
        for i in Indicator.objects.filter(criterion__standard__criteria_set=criteria_set)
        .exclude(kind=Indicator.Kind.DOCUMENT)
        .select_related("criterion__standard")
    }
    entries = Measurement.objects.filter(
        unit=unit,
        year__lte=year,
        status=Measurement.Status.APPROVED,
        indicator_id__in=list(indicators),
    ).order_by("year")
    series: dict[int, list[tuple[int, Decimal]]] = defaultdict(list)
    for entry in entries:
        figure = _figure(indicators[entry.indicator_id], entry)
        if figure is not None:
            series[entry.indicator_id].append((entry.year, figure))
    ordered = sorted(indicators.values(), key=_catalogue_order)
    return [
        TrendLine(indicator, tuple(series[indicator.pk]))
        for indicator in ordered
        if len(series[indicator.pk]) >= 2 and series[indicator.pk][-1][0] == year
    ]


def _catalogue_order(indicator: Indicator) -> tuple[int, int, int]:
    return (indicator.criterion.standard.position, indicator.criterion.position, indicator.position)


def _figure(indicator: Indicator, entry: Measurement) -> Decimal | None:
    """The figure a trend shows: a share's percentage (from counts, rounded as the explanation
    rounds it, or typed), else the value."""
    if indicator.kind in YEAR_KINDS or entry.value is not None:
        return entry.value
    if entry.numerator is not None and entry.denominator:
        percentage = Fraction(entry.numerator, entry.denominator) * 100
        return scoring.shown_percentage(indicator_spec(indicator), percentage)
    return None


def decision_for(unit: Unit, year: int) -> CommitteeDecision | None:
    """The committee's recorded decision for a unit-year, if any."""
    return (
        CommitteeDecision.objects.filter(unit=unit, year=year).select_related("recorded_by").first()
    )


# --- What-if ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Flip:
    """Something whose status a what-if scenario changes."""

    level: str  # "verdict", "standard", "criterion" or "indicator"
    code: str
    before: str
    after: str


def flips(before: scoring.Evaluation, after: scoring.Evaluation) -> list[Flip]:
    """What changes between two evaluations of the same catalogue, verdict first."""
    changes = []
    if before.verdict is not after.verdict:
        changes.append(Flip("verdict", "", before.verdict.value, after.verdict.value))
    for level, old, new in (
        ("standard", before.standards, after.standards),
        ("criterion", before.criteria, after.criteria),
        ("indicator", before.indicators, after.indicators),
    ):
        for a, b in zip(old, new, strict=True):
            if a.status is not b.status:
                changes.append(Flip(level, a.code, a.status.value, b.status.value))
    return changes
