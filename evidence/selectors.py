"""Reads of evidence: a unit's documents, the review queue, explanations, and the state of the
evidence per unit and indicator (the coverage matrix, the dashboard). Each a constant number of
queries, however many units, indicators and documents."""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.contrib.auth.models import User
from django.db.models import Count, Prefetch, QuerySet
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext

from assignments.models import Unit
from assignments.permissions import Actor, can_attach_evidence
from assignments.selectors import city_subdivisions, district_indicators
from common.sentences import Sentence, change
from criteria.models import CriteriaSet, Indicator

from .models import Document, DocumentVersion, Explanation

#: The states of a cell, in the order they are shown (counts, legends).
STATES = ("approved", "waiting", "needs_more", "none")


@dataclass(frozen=True)
class EvidenceCell:
    """The evidence of one unit for one indicator in a year: how many documents, not withdrawn,
    are in each review status, and whether the unit recorded an explanation."""

    waiting: int = 0
    approved: int = 0
    needs_more: int = 0
    has_explanation: bool = False

    @property
    def state(self) -> str:
        """ "approved" when any document is approved (the indicator is proven); else "waiting" when
        one waits for review (the standing office must act); else "needs_more" when the standing
        office asked for more (the unit must act); else "none"."""
        if self.approved:
            return "approved"
        if self.waiting:
            return "waiting"
        if self.needs_more:
            return "needs_more"
        return "none"

    @property
    def documents(self) -> int:
        return self.waiting + self.approved + self.needs_more


EMPTY_CELL = EvidenceCell()


def evidence_state(
    year: int, unit_ids: list[int] | None = None
) -> dict[tuple[int, int], EvidenceCell]:
    """(unit id, indicator id) → EvidenceCell for a year, for the given units (None: every unit).

    Only pairs with a document or an explanation are present: read with
    `cells.get((unit_id, indicator_id), EMPTY_CELL)`. Withdrawn documents do not count. Two
    queries, whatever the number of units and documents.
    """
    links = Document.indicators.through.objects.filter(
        document__year=year, document__withdrawn_at__isnull=True
    )
    explanations = Explanation.objects.filter(year=year)
    if unit_ids is not None:
        links = links.filter(document__unit_id__in=unit_ids)
        explanations = explanations.filter(unit_id__in=unit_ids)
    counts: dict[tuple[int, int], dict[str, int]] = {}
    rows = links.values_list("document__unit_id", "indicator_id", "document__status").annotate(
        n=Count("pk")
    )
    for unit_id, indicator_id, status, n in rows.order_by():
        counts.setdefault((unit_id, indicator_id), {})[status] = n
    explained = set(explanations.values_list("unit_id", "indicator_id"))
    return {
        key: EvidenceCell(
            waiting=counts.get(key, {}).get(Document.Status.WAITING, 0),
            approved=counts.get(key, {}).get(Document.Status.APPROVED, 0),
            needs_more=counts.get(key, {}).get(Document.Status.NEEDS_MORE, 0),
            has_explanation=key in explained,
        )
        for key in counts.keys() | explained
    }


def _versions_prefetch() -> Prefetch:
    return Prefetch(
        "versions",
        queryset=DocumentVersion.objects.select_related("uploaded_by").order_by("number"),
    )


def _with_details(documents: QuerySet[Document]) -> QuerySet[Document]:
    return documents.select_related("unit", "created_by", "reviewed_by").prefetch_related(
        Prefetch("indicators", queryset=Indicator.objects.order_by(*Indicator._meta.ordering)),
        _versions_prefetch(),
    )


def unit_documents(unit: Unit, year: int, indicator: Indicator | None = None) -> QuerySet[Document]:
    """A unit's documents of a year (withdrawn ones last), optionally those of one indicator,
    with indicators and versions: three queries."""
    documents = Document.objects.filter(unit=unit, year=year)
    if indicator is not None:
        documents = documents.filter(indicators=indicator)
    return _with_details(documents).order_by("withdrawn_at", "-created_at", "-pk")


def document_versions(document: Document) -> QuerySet[DocumentVersion]:
    """Every version of a document, the current one first, with who uploaded it."""
    return document.versions.select_related("uploaded_by").order_by("-number")


#: What a document's readable history shows changing, in this order (its state is said first, the
#: file last).
_DOCUMENT_FIELDS = ("title", "number", "issue_date", "issuer", "withdrawal_reason")


@dataclass(frozen=True)
class DocumentHistoryLine:
    """One change of a document as a person reads it: when, who, the state it moved from and to
    (None when it stayed; "withdrawn" once withdrawn, else its review status), each changed field
    "label: before → after" (a new file among them), and the reviewer's comment written with it."""

    at: datetime
    by: User | None
    status_before: str | None
    status_after: str
    changes: list[Sentence]
    comment: str


@dataclass(frozen=True)
class DocumentHistory:
    """A document's versions (the current one first), the number of the version its latest
    approval was given to (None: never approved), and its changes as lines, newest first."""

    versions: list[DocumentVersion]
    approved_version: int | None
    lines: list[DocumentHistoryLine]


def document_history(document: Document) -> DocumentHistory:
    """What the document page shows of a document's past: two queries (its versions, its history
    records — a handful each: an upload, reviews, replacements, a withdrawal).

    A history record does not name its file: the upload brings version 1 and each replacement
    the next one (evidence/services.py writes exactly so), which is how a line names the file it
    brought and how the approved version is known."""
    versions = list(document_versions(document))
    by_number = {version.number: version for version in versions}
    records = document.history.select_related("history_user").order_by("history_date", "history_id")
    lines = []
    files = 0
    approved_version = None
    older = None
    for record in records:
        changes = _field_changes(older, record)
        if record.history_type == "+" or record.history_change_reason == "replaced":
            files += 1
            label = capfirst(DocumentVersion._meta.get_field("file").verbose_name)
            old, new = by_number.get(files - 1), by_number.get(files)
            changes.append(change(label, _version_shown(old), _version_shown(new)))
        before, after = (_state(older) if older else None), _state(record)
        if after == Document.Status.APPROVED and before != after:
            approved_version = files
        comment_new = record.review_comment and (
            older is None or older.review_comment != record.review_comment
        )
        lines.append(
            DocumentHistoryLine(
                at=record.history_date,
                by=record.history_user,
                status_before=before if before != after else None,
                status_after=after,
                changes=changes,
                comment=record.review_comment if comment_new else "",
            )
        )
        older = record
    return DocumentHistory(versions, approved_version, lines[::-1])


def _state(record: object) -> str:
    """A document's state as its badge says it: "withdrawn" once withdrawn, else its status."""
    return "withdrawn" if record.withdrawn_at else record.status


def _field_changes(older: object | None, record: object) -> list[Sentence]:
    """Each field of `_DOCUMENT_FIELDS` that differs between two history records, "label: before
    → after" in the active language (the first record is compared with nothing)."""
    changes = []
    for name in _DOCUMENT_FIELDS:
        old, new = getattr(older, name, None), getattr(record, name)
        if old != new and not (old in (None, "") and new in (None, "")):
            label = capfirst(Document._meta.get_field(name).verbose_name)
            changes.append(change(label, _document_value(old), _document_value(new)))
    return changes


def _document_value(value: object) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, date):
        return date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def _version_shown(version: DocumentVersion | None) -> str:
    if version is None:
        return "—"
    return gettext("%(name)s (version %(number)s)") % {
        "name": version.original_name,
        "number": version.number,
    }


def evidence_review_queue() -> QuerySet[Document]:
    """Documents waiting for the standing office, oldest first (withdrawn ones never wait)."""
    return _with_details(
        Document.objects.filter(status=Document.Status.WAITING, withdrawn_at__isnull=True)
    ).order_by("created_at", "pk")


def unit_explanations(unit: Unit, year: int) -> dict[int, Explanation]:
    """Indicator id → the unit's explanation of missing evidence in a year."""
    return {
        explanation.indicator_id: explanation
        for explanation in Explanation.objects.filter(unit=unit, year=year).select_related("author")
    }


def unsupported(keys: Iterable[tuple[int, int, int]]) -> set[tuple[int, int, int]]:
    """Of the (unit id, year, indicator id) keys, those with neither a document in force attached
    to the indicator nor an explanation recorded: two queries however many keys."""
    keys = set(keys)
    if not keys:
        return set()
    units = {unit_id for unit_id, _, _ in keys}
    years = {year for _, year, _ in keys}
    indicators = {indicator_id for _, _, indicator_id in keys}
    documented = Document.indicators.through.objects.filter(
        document__unit_id__in=units,
        document__year__in=years,
        document__withdrawn_at__isnull=True,
        indicator_id__in=indicators,
    ).values_list("document__unit_id", "document__year", "indicator_id")
    explained = Explanation.objects.filter(
        unit_id__in=units, year__in=years, indicator_id__in=indicators
    ).values_list("unit_id", "year", "indicator_id")
    return keys - set(documented) - set(explained)


def unit_indicators(criteria_set: CriteriaSet, unit: Unit) -> QuerySet[Indicator]:
    """The indicators a unit is evidenced on: a district's are those its education office is
    assigned; the city's are all of the set."""
    indicators = Indicator.objects.filter(criterion__standard__criteria_set=criteria_set)
    if not unit.is_city:
        indicators = indicators.filter(assignments__department__unit=unit).distinct()
    return indicators.order_by(
        "criterion__standard__position", "criterion__position", "position", "code"
    )


@dataclass(frozen=True)
class IndicatorRow:
    """One indicator of a unit's evidence page: its cell and the unit's explanation, if any."""

    indicator: Indicator
    cell: EvidenceCell
    explanation: Explanation | None


def indicator_rows(criteria_set: CriteriaSet, unit: Unit, year: int) -> list[IndicatorRow]:
    """The unit's indicators (`unit_indicators`) with their evidence and explanations: four
    queries."""
    cells = evidence_state(year, [unit.pk])
    explanations = unit_explanations(unit, year)
    return [
        IndicatorRow(
            indicator,
            cells.get((unit.pk, indicator.pk), EMPTY_CELL),
            explanations.get(indicator.pk),
        )
        for indicator in unit_indicators(criteria_set, unit).select_related("criterion")
    ]


def attachable_indicators(actor: Actor, criteria_set: CriteriaSet, unit: Unit) -> list[Indicator]:
    """The indicators of the set whose evidence the actor may attach for the unit."""
    indicators = Indicator.objects.filter(criterion__standard__criteria_set=criteria_set).order_by(
        "criterion__standard__position", "criterion__position", "position", "code"
    )
    return [i for i in indicators if can_attach_evidence(actor, i.pk, unit)]


@dataclass(frozen=True)
class CoverageRow:
    """One district of the coverage matrix: a cell per indicator and the count of each state."""

    unit: Unit
    cells: list[tuple[Indicator, EvidenceCell]]
    counts: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Coverage:
    """Districts × the indicators districts report on, with counts per row and per column."""

    year: int
    indicators: list[Indicator]
    rows: list[CoverageRow]
    column_counts: list[dict[str, int]]
    totals: dict[str, int]

    @property
    def of_communes(self) -> bool:
        """Whether the rows are communes, wards and special zones (a year after 2025)."""
        return bool(self.rows) and self.rows[0].unit.level == CriteriaSet.Level.COMMUNE

    @property
    def footer(self) -> list[tuple[str, list[int], int]]:
        """Per state: its count in each indicator's column, and over the whole matrix."""
        return [
            (state, [column[state] for column in self.column_counts], self.totals[state])
            for state in STATES
        ]


def _counted(states: Iterable[str]) -> dict[str, int]:
    counter = Counter(states)
    return {state: counter.get(state, 0) for state in STATES}


def coverage_matrix(
    criteria_set: CriteriaSet, year: int, unit_ids: list[int] | None = None
) -> Coverage:
    """The coverage matrix of a year for every district (or only the given ones): four queries."""
    units = city_subdivisions(year)
    if unit_ids is not None:
        units = [unit for unit in units if unit.pk in unit_ids]
    indicators = list(district_indicators(criteria_set))
    cells = evidence_state(year, unit_ids)
    rows = []
    for unit in units:
        row = [(i, cells.get((unit.pk, i.pk), EMPTY_CELL)) for i in indicators]
        rows.append(CoverageRow(unit, row, _counted(cell.state for _, cell in row)))
    columns = [
        _counted(row.cells[index][1].state for row in rows) for index in range(len(indicators))
    ]
    totals = _counted(cell.state for row in rows for _, cell in row.cells)
    return Coverage(year, indicators, rows, columns, totals)


def year_document_counts(year: int) -> dict[str, int]:
    """Status → how many of the year's documents have it (what a lock of the year freezes)."""
    rows = Document.objects.filter(year=year).values("status").annotate(n=Count("pk"))
    return {row["status"]: row["n"] for row in rows}


def district_plans(year: int, unit_ids: Iterable[int] | None = None) -> dict[int, Document]:
    """District id → its plan (Kế hoạch của UBND quận/huyện) for the year: the latest one in
    force (withdrawn ones left out)."""
    plans = Document.objects.filter(
        year=year, kind=Document.Kind.PLAN, withdrawn_at__isnull=True
    ).order_by("created_at", "pk")
    if unit_ids is not None:
        plans = plans.filter(unit_id__in=list(unit_ids))
    return {plan.unit_id: plan for plan in plans}
