"""The frozen record of a recognition: what a unit's recognition for a year was decided on, read
from the database (never from a cache) in the transaction that records the recognition.

The record is one JSON document, serialised canonically (keys sorted, no spaces, UTF-8), and its
SHA-256 is taken over those bytes. It holds:

- the unit, the year, the criteria set (code, name and the SHA-256 of its content);
- every value that counts officially (approved, or marked not applicable) as the scoring service
  read it, with its status and whether it is an estimate — drafts, submitted and returned
  entries are left out;
- every result with its Vietnamese explanation (the `evaluate --format json` contract);
- the unit-year's evidence that is not withdrawn: each document's current version with the
  SHA-256 of its file;
- the meeting (kind, date, place, attendees, agenda, minutes) and the recognition itself.

`verify` re-hashes a record and every evidence file it names (`manage.py verify_record`).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_noop

from assignments.models import Unit
from assignments.selectors import catalogue_tree
from common.sentences import Sentence, say
from criteria import scoring
from criteria.models import CriteriaSet, Indicator
from criteria.selectors import evaluation_set_for, spec_from_tree
from evidence.models import Document, DocumentVersion

from .models import CommitteeDecision, FrozenRecord
from .selectors import Basis, unit_year_inputs

FORMAT = "hoctap-record"
FORMAT_VERSION = 1
CHUNK = 1024 * 1024


def canonical(content: dict[str, Any]) -> str:
    """The one serialisation a record is hashed over."""
    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def freeze(*, decision: CommitteeDecision, user: User) -> FrozenRecord:
    """Freeze what `decision` was taken on, naming the record it replaces (the unit-year's
    current one, if any). Call inside the transaction that records the decision."""
    content = record_content(decision)
    text = canonical(content)
    previous = current_record(decision.unit, decision.year, for_update=True)
    return FrozenRecord.objects.create(
        unit=decision.unit,
        year=decision.year,
        decision=decision,
        replaces=previous,
        content=text,
        sha256=digest(text),
        frozen_at=timezone.now(),
        frozen_by=user,
    )


def current_record(unit: Unit, year: int, *, for_update: bool = False) -> FrozenRecord | None:
    """The unit-year's record that no later one replaces."""
    records = FrozenRecord.objects.filter(unit=unit, year=year, replaced_by__isnull=True)
    if for_update:  # the record's own row: PostgreSQL locks no side of the outer join
        return records.select_for_update(of=("self",)).first()
    return records.select_related("frozen_by", "replaces").first()


def record_content(decision: CommitteeDecision) -> dict[str, Any]:
    """The record's content, from the database."""
    unit, year = decision.unit, decision.year
    criteria_set = evaluation_set_for(unit.level, year)
    content: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "unit": {"code": unit.code, "name": unit.name},
        "year": year,
        "meeting": _meeting(decision),
        "recognition": {
            "decision": decision.decision,
            "number": decision.number,
            "note": decision.note,
            "exception_reason": decision.exception_reason,
            "recorded_by": decision.recorded_by.get_username(),
        },
        "evidence": _evidence(unit, year),
    }
    if criteria_set is None:
        content.update(criteria_set=None, values=[], results=None)
        return content
    tree = list(catalogue_tree(criteria_set))
    indicators = [i for s in tree for c in s.criteria.all() for i in c.indicators.all()]
    inputs = unit_year_inputs(unit, year, indicators, basis=Basis.OFFICIAL)
    by_code = inputs.by_code(indicators)
    evaluation = scoring.evaluate(spec_from_tree(criteria_set, tree), by_code)
    content["criteria_set"] = {
        "code": criteria_set.code,
        "name": criteria_set.name,
        "sha256": criteria_set_digest(criteria_set, tree),
    }
    content["values"] = [
        _value(indicator, inputs.entries.get(indicator.pk), by_code[indicator.code])
        for indicator in indicators
        if indicator.code in by_code
    ]
    content["results"] = evaluation.to_json(year=year, unit=unit.code)
    return content


def criteria_set_digest(criteria_set: CriteriaSet, tree: list | None = None) -> str:
    """The SHA-256 of a criteria set's content: the set's own fields, then every standard,
    criterion, indicator and part with their texts, kinds and thresholds (ids left out)."""
    if tree is None:
        tree = list(catalogue_tree(criteria_set))
    content = {
        "set": _fields(criteria_set),
        "standards": [
            {
                **_fields(standard),
                "criteria": [
                    {
                        **_fields(criterion),
                        "indicators": [
                            {
                                **_fields(indicator),
                                "parts": [_fields(part) for part in indicator.parts.all()],
                            }
                            for indicator in criterion.indicators.all()
                        ],
                    }
                    for criterion in standard.criteria.all()
                ],
            }
            for standard in tree
        ],
    }
    return digest(canonical(content))


def _fields(instance: models.Model) -> dict[str, Any]:
    """A row's own values (no id, no relation), as JSON can say them."""
    return {
        field.name: _plain(getattr(instance, field.attname))
        for field in instance._meta.concrete_fields
        if not field.primary_key and not field.is_relation
    }


def _plain(value: object) -> object:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Sentence):
        return value.vietnamese()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _meeting(decision: CommitteeDecision) -> dict[str, Any]:
    meeting = decision.meeting
    return {
        "kind": meeting.kind,
        "held_on": meeting.held_on.isoformat(),
        "place": meeting.place,
        "chaired_by": meeting.chaired_by,
        "attendees": meeting.attendees,
        "agenda": meeting.agenda,
        "minutes": meeting.minutes,
    }


def _value(indicator: Indicator, entry: Any, given: scoring.IndicatorInput) -> dict[str, Any]:
    """One input as the scoring service read it, with the status of the entry it came from
    (a share counted live — from reported lines or the districts' recognitions — has none)."""
    counted_live = entry is None or entry.status not in Basis.OFFICIAL.statuses
    return {
        "code": indicator.code,
        "status": None if counted_live else entry.status,
        "estimate": False if counted_live else entry.is_estimate,
        "input": _input(given),
    }


def _input(given: scoring.IndicatorInput) -> dict[str, Any]:
    data = {
        name: _plain(getattr(given, name))
        for name in ("yes", "numerator", "denominator", "value", "previous", "growth_rate")
        if getattr(given, name) is not None
    }
    if given.not_applicable:
        data.update(not_applicable=True, reason=given.reason)
    if given.counted:
        data["counted"] = _plain(given.counted)
    if given.parts:
        data["parts"] = {code: _input(part) for code, part in sorted(given.parts.items())}
    return data


def _evidence(unit: Unit, year: int) -> list[dict[str, Any]]:
    documents = (
        Document.objects.filter(unit=unit, year=year, withdrawn_at__isnull=True)
        .prefetch_related("indicators", "versions")
        .order_by("pk")
    )
    listed = []
    for document in documents:
        version = max(document.versions.all(), key=lambda v: v.number, default=None)
        if version is None:
            continue
        listed.append(
            {
                "kind": document.kind,
                "title": document.title,
                "number": document.number,
                "issue_date": _plain(document.issue_date),
                "issuer": document.issuer,
                "status": document.status,
                "indicators": sorted(indicator.code for indicator in document.indicators.all()),
                "version": version.number,
                "file": version.file.name,
                "original_name": version.original_name,
                "size": version.size,
                "sha256": version.sha256,
            }
        )
    return listed


# --- Reading a record back ---------------------------------------------------------------------


def content_of(record: FrozenRecord) -> dict[str, Any]:
    return json.loads(record.content)


@dataclass(frozen=True)
class Verification:
    """What re-hashing a record found: the record's own hash, and each evidence file's."""

    record_ok: bool
    file_problems: list[Sentence]

    @property
    def ok(self) -> bool:
        return self.record_ok and not self.file_problems


def verify(record: FrozenRecord) -> Verification:
    """Re-hash the stored record and, when it matches, each evidence file it names: the file of
    the unit-year's document version with that SHA-256 (found by its hash, so a year moved to
    another server by its archive, where files are stored under new names, still verifies)."""
    if digest(record.content) != record.sha256:
        return Verification(False, [])  # its list of files is not to be trusted either
    listed = content_of(record).get("evidence", [])
    versions = {
        version.sha256: version
        for version in DocumentVersion.objects.filter(
            document__unit=record.unit,
            document__year=record.year,
            sha256__in=[entry["sha256"] for entry in listed],
        )
    }
    problems = []
    for entry in listed:
        version = versions.get(entry["sha256"])
        if version is None:
            problems.append(
                say(gettext_noop("the file «%(file)s» is no longer stored"), file=entry["file"])
            )
            continue
        hasher = hashlib.sha256()
        try:
            with version.file.open("rb") as stored:
                for chunk in iter(lambda: stored.read(CHUNK), b""):
                    hasher.update(chunk)
        except OSError:
            problems.append(say(gettext_noop("the file «%(file)s» is missing"), file=entry["file"]))
            continue
        if hasher.hexdigest() != entry["sha256"]:
            problems.append(
                say(
                    gettext_noop("the file «%(file)s» no longer matches its SHA-256"),
                    file=entry["file"],
                )
            )
    return Verification(True, problems)


@dataclass(frozen=True)
class Difference:
    """Where live data now differs from a record: the verdict (`code` empty; before and after are
    verdict values) or an indicator (its explanation then and now)."""

    code: str
    before: str
    after: str


def differences(record: FrozenRecord, live: scoring.Evaluation) -> list[Difference]:
    """Where the live official results differ from what the record froze: the verdict, and
    each indicator whose status or compared value changed."""
    frozen = content_of(record).get("results") or {}
    found = []
    if frozen.get("verdict") != live.verdict.value:
        found.append(Difference("", frozen.get("verdict") or "", live.verdict.value))
    frozen_results = {result["code"]: result for result in frozen.get("indicators", [])}
    for result in live.indicators:
        before = frozen_results.get(result.code, {})
        if (before.get("status"), before.get("value")) != (result.status.value, result.value_text):
            found.append(Difference(result.code, before.get("explanation", ""), result.explanation))
    return found
