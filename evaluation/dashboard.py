"""What the December dashboard shows, assembled in a constant number of queries: the catalogue
tree, a unit-year's inputs (evaluation/selectors.py, the one place they are gathered), the
evidence state, and the scoring service's verdict. No rule lives here: the scoring service
decides, the permissions module says who sees what."""

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction

from django.utils.translation import gettext, gettext_noop

from assignments import caching
from assignments.models import UNIT_OFFICES, Assignment, Department, PlanTask, Role, Unit
from assignments.selectors import (
    RoleEntry,
    city,
    city_subdivisions,
    district_indicators,
    level_of,
    pilot_ids,
    role_entries,
)
from common.sentences import Sentence, say
from criteria import scoring
from criteria.labels import recognition_rule_text
from criteria.models import CriteriaSet, Criterion, Indicator, Standard
from criteria.selectors import indicator_spec, spec_from_tree
from evidence.selectors import EvidenceCell, evidence_state
from measurements.models import Measurement, ReportedLine
from measurements.selectors import (
    LinesPicture,
    counted_from_district_verdicts,
    is_reporter,
    lines_picture,
)

from . import versions
from .selectors import (
    Basis,
    DistrictVerdict,
    RecognitionOutlook,
    UnitYearInputs,
    decisions_by_unit,
    district_verdicts,
    exception_reasons,
    gather_inputs,
    recognition_outlook,
    unit_year_inputs,
)

PROBLEM_STATUSES = (scoring.Status.NOT_MET, scoring.Status.NO_DATA)


@dataclass(frozen=True)
class Ceiling:
    """The most a share of recognised districts can still reach, scored as the indicator is, in
    the sentences the page and the signed report both say (said in the active language: the
    reader's on a page, Vietnamese in the report)."""

    indicator: Indicator
    outlook: RecognitionOutlook
    result: scoring.IndicatorResult

    @property
    def reachable(self) -> bool:
        return self.result.status is scoring.Status.MET

    def sentences(self) -> list[Sentence]:
        outlook = self.outlook
        return [
            say(
                gettext_noop(
                    "Pilot districts: %(pilots)s of %(districts)s; recognised by the committee so "
                    "far: %(recognized)s."
                ),
                pilots=outlook.pilots,
                districts=outlook.districts,
                recognized=outlook.recognized,
            ),
            say(gettext_noop("At most: %(share)s."), share=self.result.sentence),
        ]

    def warning(self) -> str:
        """Said when the requirement can no longer be reached; empty otherwise."""
        if self.reachable:
            return ""
        return gettext("The requirement (%(requirement)s) can no longer be reached this year.") % {
            "requirement": self.indicator.requirement_text
        }


def ceiling_of(indicator: Indicator, outlook: RecognitionOutlook) -> Ceiling:
    return Ceiling(
        indicator,
        outlook,
        scoring.score_indicator(indicator_spec(indicator), outlook.as_input(indicator)),
    )


@dataclass(frozen=True)
class IndicatorLine:
    """One indicator on the dashboard: its result and everything the committee asks about it."""

    indicator: Indicator
    result: scoring.IndicatorResult
    entry: Measurement | None
    counted: bool
    #: Who leads it: departments, and the district offices as one entry (RoleEntry.department
    #: None), whose label is in the active language while a department's name stays Vietnamese.
    leads: tuple[RoleEntry, ...]
    evidence: EvidenceCell | None
    fragile: bool
    #: Where the list behind a share is read: "districts" (the district matrix, for 2.1.2 of the
    #: city), "list" (the stored list of the entry), "lines" (the reported lines page, 3.2.3), or
    #: "" (no list).
    list_page: str = ""
    #: For a share of recognised districts: how far the recognitions can still take it.
    ceiling: Ceiling | None = None
    #: For an indicator summed from reported lines: the lines, and who has not reported.
    lines: LinesPicture | None = None

    @property
    def is_problem(self) -> bool:
        return self.result.status in PROBLEM_STATUSES or self.fragile

    @property
    def is_estimate(self) -> bool:
        """The counted figures are an estimate the final figure will replace."""
        return self.counted and self.entry is not None and self.entry.is_estimate

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

    @property
    def has_problem(self) -> bool:
        """Whether any of its indicators is one to look at («chỉ hiện vấn đề» keeps it)."""
        return any(line.is_problem for line in self.lines)


@dataclass
class StandardBlock:
    standard: Standard
    status: scoring.Status
    criteria: list[CriterionBlock] = field(default_factory=list)

    @property
    def has_problem(self) -> bool:
        return any(criterion.has_problem for criterion in self.criteria)


@dataclass
class UnitDashboard:
    """A unit-year as the committee sees it, official (approved data) or provisional."""

    unit: Unit
    year: int
    provisional: bool
    evaluation: scoring.Evaluation
    standards: list[StandardBlock]
    #: The recognition rule the set names, in a sentence (the plan states none).
    rule_text: str = ""

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


def _leads(indicator: Indicator) -> tuple[RoleEntry, ...]:
    """Lead departments of an indicator (prefetched), the district offices as one entry."""
    return tuple(role_entries(indicator.assignments.all(), Role.LEAD))


@dataclass(frozen=True)
class Baseline:
    """A unit-year as the scoring service sees it: the tree, the inputs, the verdict."""

    tree: list[Standard]
    catalogue: scoring.CatalogueSpec
    inputs: UnitYearInputs
    by_code: dict[str, scoring.IndicatorInput]
    evaluation: scoring.Evaluation

    @property
    def indicators(self) -> list[Indicator]:
        return [i for s in self.tree for c in s.criteria.all() for i in c.indicators.all()]

    def scenario(self, overrides: dict[str, scoring.IndicatorInput]) -> scoring.Evaluation:
        """The evaluation with what-if `overrides` replacing whole entries (never saved)."""
        return scoring.evaluate(
            self.catalogue, self.inputs.with_overrides(self.indicators, overrides)
        )


def baseline(
    criteria_set: CriteriaSet, unit: Unit, year: int, *, provisional: bool = False
) -> Baseline:
    """Score a unit-year (six queries, the catalogue tree cached or not; more, constant, when a
    share is counted from the districts' verdicts): what the dashboard, the report, the what-if
    and `manage.py evaluate` show."""
    tree = caching.catalogue_tree(criteria_set)
    catalogue = spec_from_tree(criteria_set, tree)
    indicators = [i for s in tree for c in s.criteria.all() for i in c.indicators.all()]
    inputs = unit_year_inputs(unit, year, indicators, basis=Basis.of(provisional))
    by_code = inputs.by_code(indicators)
    return Baseline(tree, catalogue, inputs, by_code, scoring.evaluate(catalogue, by_code))


def results_json(
    evaluation: scoring.Evaluation, criteria_set: CriteriaSet, unit: Unit, year: int
) -> dict[str, object]:
    """A unit-year's results as the JSON contract (`manage.py evaluate --format json`, the read
    API): the evaluation and the criteria set it was made against, saying whether it is an
    example set."""
    document = evaluation.to_json(year=year, unit=unit.code)
    document["criteria_set"] = {"code": criteria_set.code, "example": criteria_set.is_example}
    return document


def unit_dashboard(
    criteria_set: CriteriaSet, unit: Unit, year: int, *, provisional: bool = False
) -> UnitDashboard:
    """The dashboard of one unit-year: the verdict and the annotated tree."""
    base = baseline(criteria_set, unit, year, provisional=provisional)
    return UnitDashboard(
        unit=unit,
        year=year,
        provisional=provisional,
        evaluation=base.evaluation,
        standards=_blocks(base, evidence_state(year, [unit.pk])),
        rule_text=recognition_rule_text(
            criteria_set.recognition_rule,
            criteria_set.min_indicators_met,
            len(base.evaluation.indicators),
        ),
    )


def _blocks(base: Baseline, evidence: dict[tuple[int, int], EvidenceCell]) -> list[StandardBlock]:
    results = {result.code: result for result in base.evaluation.indicators}
    groups = {
        group.code: group.status
        for group in (*base.evaluation.standards, *base.evaluation.criteria)
    }
    inputs = base.inputs
    outlook = None
    blocks = []
    for standard in base.tree:
        block = StandardBlock(standard, groups[standard.code])
        for criterion in standard.criteria.all():
            criterion_block = CriterionBlock(criterion, groups[criterion.code])
            for indicator in criterion.indicators.all():
                entry = inputs.entries.get(indicator.pk)
                result = results[indicator.code]
                last_year = inputs.last_year.get(indicator.pk)
                list_page = _list_page(indicator, entry, inputs.unit)
                ceiling = None
                if list_page == "districts":
                    outlook = outlook or recognition_outlook(inputs.year)
                    ceiling = ceiling_of(indicator, outlook)
                criterion_block.lines.append(
                    IndicatorLine(
                        indicator=indicator,
                        result=result,
                        entry=entry,
                        counted=inputs.counts(entry),
                        leads=_leads(indicator),
                        evidence=evidence.get((inputs.unit.pk, indicator.pk)),
                        fragile=scoring.is_fragile(result, _previous_of(entry, last_year)),
                        list_page=list_page,
                        ceiling=ceiling,
                        lines=lines_picture(indicator, inputs.unit, inputs.year)
                        if list_page == "lines"
                        else None,
                    )
                )
            block.criteria.append(criterion_block)
        blocks.append(block)
    return blocks


def _list_page(indicator: Indicator, entry: Measurement | None, unit: Unit) -> str:
    if counted_from_district_verdicts(indicator, unit):
        return "districts"
    if indicator.counts_reported_lines:
        return "lines"
    if indicator.has_stored_list and entry is not None:
        return "list"
    return ""


def _previous_of(entry: Measurement | None, last_year: Decimal | None) -> Decimal | None:
    """The figure an entry is compared with: none for a published growth rate."""
    if entry is not None and entry.growth_rate is not None:
        return None
    if entry is not None and entry.previous is not None:
        return entry.previous
    return last_year


# --- Districts × indicators ------------------------------------------------------------------


@dataclass(frozen=True)
class MatrixCell:
    """A district's indicator in the matrix: what it scores and its evidence's state (plain
    values: the cached matrix holds no entry it never shows)."""

    result: scoring.IndicatorResult
    evidence: EvidenceCell | None

    @property
    def looks(self) -> str:
        """What the cell shows, the same for every cell that shows it — «status:evidence state»
        (the page renders each once)."""
        return f"{self.result.status.value}:{self.evidence.state if self.evidence else ''}"


@dataclass
class MatrixRow:
    unit: Unit
    cells: list[MatrixCell]
    verdict: DistrictVerdict
    #: The committee's reason for recognising the district against the data, if it gave one.
    exception_reason: str = ""
    #: Named by the year's district round as a pilot.
    is_pilot: bool = False

    @property
    def met_count(self) -> int:
        return sum(1 for cell in self.cells if cell.result.status is scoring.Status.MET)


@dataclass
class DistrictMatrix:
    year: int
    indicators: list[Indicator]
    rows: list[MatrixRow]
    basis: Basis
    #: The districts' own criteria set (None: only the city's applies; no district has a verdict).
    own_set: CriteriaSet | None = None

    @property
    def of_communes(self) -> bool:
        """Whether the rows are communes, wards and special zones (a year after 2025)."""
        return bool(self.rows) and self.rows[0].unit.level == CriteriaSet.Level.COMMUNE

    @property
    def recognized_count(self) -> int:
        """What 2.1.2 counts on the matrix's basis: recorded recognitions (official), or the
        recognition where recorded and the computed verdict otherwise (provisional)."""
        return sum(1 for row in self.rows if row.verdict.recognized(self.basis))

    @property
    def pilot_count(self) -> int:
        return sum(1 for row in self.rows if row.is_pilot)

    def column_met_counts(self) -> list[int]:
        return [
            sum(1 for row in self.rows if row.cells[i].result.status is scoring.Status.MET)
            for i in range(len(self.indicators))
        ]


def district_matrix(
    criteria_set: CriteriaSet, year: int, *, provisional: bool = False
) -> DistrictMatrix:
    """Each district's status and evidence on the district-reported indicators, its verdict
    against the districts' own criteria set (if one applies) and the committee's decision: a
    constant number of queries however many districts."""
    indicators = list(district_indicators(criteria_set))
    units = city_subdivisions(year)
    unit_ids = [unit.pk for unit in units]
    basis = Basis.of(provisional)
    inputs = gather_inputs(units, [year], indicators, basis=basis)
    evidence = evidence_state(year, unit_ids)
    specs = {indicator.pk: indicator_spec(indicator) for indicator in indicators}
    own_set = criteria_set if criteria_set.level == level_of(units) else None
    verdicts = district_verdicts(
        own_set, units, year, basis=basis, decisions=decisions_by_unit(year, unit_ids)
    )
    reasons = exception_reasons(year)
    pilots = pilot_ids(year)
    rows = []
    for unit, verdict in zip(units, verdicts, strict=True):
        unit_inputs = inputs[(unit.pk, year)]
        cells = [
            MatrixCell(
                scoring.score_indicator(specs[indicator.pk], unit_inputs.input_for(indicator)),
                evidence.get((unit.pk, indicator.pk)),
            )
            for indicator in indicators
        ]
        rows.append(MatrixRow(unit, cells, verdict, reasons.get(unit.pk, ""), unit.pk in pilots))
    return DistrictMatrix(year, indicators, rows, basis, own_set)


# --- Progress --------------------------------------------------------------------------------


@dataclass
class DepartmentProgress:
    department: Department
    approved: list[Indicator] = field(default_factory=list)
    submitted: list[Indicator] = field(default_factory=list)
    missing: list[Indicator] = field(default_factory=list)
    #: Marked not applicable by the standing office: decided, yet never "approved".
    not_applicable: list[Indicator] = field(default_factory=list)

    @property
    def total(self) -> int:
        return (
            len(self.approved) + len(self.submitted) + len(self.missing) + len(self.not_applicable)
        )


def department_progress(
    city_set: CriteriaSet,
    district_set: CriteriaSet | None,
    year: int,
    *,
    departments: Sequence[int] | None = None,
) -> list[DepartmentProgress]:
    """Per department (every one, or only `departments`), its assigned indicators with data
    approved / submitted / missing, and those marked not applicable (a status of its own).

    A division's data is the city's, in the city's set; a district office's is its own
    district's, in the set districts are evaluated against (`district_set`). Drafts and returned
    entries count as missing: nothing has reached the standing office yet. For an indicator
    summed from reported lines (3.2.3) a reporter's data is its own line — never the city's sum
    — and the compiling division's is every reporter's (approved when all are). Four queries.
    """
    office_set = district_set or city_set
    assignments = (
        Assignment.objects.filter(
            indicator__criterion__standard__criteria_set__in={city_set.pk, office_set.pk}
        )
        .select_related("department", "indicator__criterion__standard")
        .order_by("department__position", "department__name", "indicator__code")
    )
    if departments is not None:
        assignments = assignments.filter(department_id__in=list(departments))
    city_unit = city()
    versions.reads_every_unit(year)
    rows = Measurement.objects.filter(year=year).values_list("unit_id", "indicator_id", "status")
    statuses = {(unit_id, indicator_id): status for unit_id, indicator_id, status in rows}
    lines = {
        (department_id, indicator_id): status
        for department_id, indicator_id, status in ReportedLine.objects.filter(
            year=year, indicator__criterion__standard__criteria_set=city_set
        ).values_list("department_id", "indicator_id", "status")
    }
    everyone = list(assignments)
    progress: dict[int, DepartmentProgress] = {}
    for assignment in everyone:
        department = assignment.department
        indicator = assignment.indicator
        if indicator.counts_reported_lines:
            status = _line_status(department, indicator, lines, everyone)
        else:
            is_office = department.kind in UNIT_OFFICES
            own_set = office_set if is_office else city_set
            if indicator.criterion.standard.criteria_set_id != own_set.pk:
                continue
            unit_id = department.unit_id or (city_unit.pk if city_unit else None)
            status = statuses.get((unit_id, assignment.indicator_id))
        row = progress.setdefault(department.pk, DepartmentProgress(department))
        bucket = {
            Measurement.Status.APPROVED: row.approved,
            Measurement.Status.NOT_APPLICABLE: row.not_applicable,
            Measurement.Status.SUBMITTED: row.submitted,
        }.get(status, row.missing)
        bucket.append(assignment.indicator)
    return list(progress.values())


def _line_status(
    department: Department,
    indicator: Indicator,
    lines: Mapping[tuple[int, int], str],
    assignments: Sequence[Assignment],
) -> str | None:
    """A reporter's own line's status; for the division compiling the indicator, the least
    advanced of every reporter's (so it is approved only when every reporter's line is)."""
    if is_reporter(department):
        return lines.get((department.pk, indicator.pk))
    reporters = {
        a.department_id
        for a in assignments
        if a.indicator_id == indicator.pk and is_reporter(a.department)
    }
    found = [lines.get((reporter, indicator.pk)) for reporter in reporters]
    for status in (None, Measurement.Status.DRAFT, Measurement.Status.RETURNED):
        if status in found:
            return status
    if Measurement.Status.SUBMITTED in found:
        return Measurement.Status.SUBMITTED
    return Measurement.Status.APPROVED if found else None


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
    value for drops and increases. Three queries however many years."""
    indicators = {
        i.pk: i
        for i in Indicator.objects.filter(criterion__standard__criteria_set=criteria_set)
        .exclude(kind__in=[kind.value for kind, facts in scoring.KINDS.items() if facts.answers])
        .select_related("criterion__standard")
        .prefetch_related("parts")
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
    if scoring.kind_facts(indicator.kind).compares_with_last_year or entry.value is not None:
        return entry.value
    if entry.numerator is not None and entry.denominator:
        percentage = Fraction(entry.numerator, entry.denominator) * 100
        return scoring.shown_percentage(indicator_spec(indicator), percentage)
    return None


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
