"""Writes of reported values: save, submit, review, not applicable. Each checks the year, the
permission, the data and the change of status (`Measurement.TRANSITIONS`), and writes inside a
transaction; the history (django-simple-history) records every change."""

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assignments.models import Department, Unit
from assignments.permissions import (
    Actor,
    can_discuss_value,
    can_review,
    can_write_line,
    can_write_value,
)
from assignments.selectors import in_the_round
from common.constraints import violated_check
from criteria import scoring
from criteria.models import Indicator, ensure_year_open
from criteria.selectors import deadline_passed, indicator_spec
from notifications.services import notify_value_reviewed

from .models import Measurement, PartValue, ReportedLine, Reviewed, ValueComment
from .selectors import (
    changes_since,
    counted_from_district_verdicts,
    line_writers,
    previous_year_values,
    unsupported_claims,
)


class ConcurrentEditError(ValidationError):
    """Someone else saved the entry after this person opened it; nothing was overwritten."""


#: The figures of an entry, as opposed to what is said about them (a note, a source).
FIGURES = ("yes", "numerator", "denominator", "value", "previous", "growth_rate")


#: The figures of one part of an indicator made of several.
PART_FIGURES = ("numerator", "denominator", "value")


@dataclass(frozen=True)
class PartFigures:
    """What a person enters for one part (3.1.5 a: solid waste): two counts, or the rate."""

    numerator: int | None = None
    denominator: int | None = None
    value: Decimal | None = None

    @property
    def has_values(self) -> bool:
        return any(getattr(self, name) is not None for name in PART_FIGURES)

    @classmethod
    def of(cls, stored: PartValue | None) -> "PartFigures":
        if stored is None:
            return cls()
        return cls(**{name: getattr(stored, name) for name in PART_FIGURES})


@dataclass(frozen=True)
class MeasurementData:
    """The typed fields a person enters for one indicator (what a form or a workbook row gives);
    for an indicator made of parts, `parts` (part code → its figures) instead of the figures."""

    yes: bool | None = None
    numerator: int | None = None
    denominator: int | None = None
    value: Decimal | None = None
    previous: Decimal | None = None
    growth_rate: Decimal | None = None
    note: str = ""
    previous_source: str = ""
    parts: Mapping[str, PartFigures] = field(default_factory=dict)
    #: The figures are an estimate (True) or final (False); None keeps what the entry says (a
    #: list's count, a workbook without the column).
    estimate: bool | None = None

    @property
    def has_values(self) -> bool:
        return any(getattr(self, name) is not None for name in FIGURES) or any(
            figures.has_values for figures in self.parts.values()
        )

    def same_as(self, measurement: Measurement) -> bool:
        """Whether a stored entry already holds exactly these values, parts, note and mark."""
        stored = {value.part.code: PartFigures.of(value) for value in measurement.part_values.all()}
        given = {code: figures for code, figures in self.parts.items() if figures.has_values}
        return (
            all(
                # Decimal("1.5") == Decimal("1.500000"): stored scale does not matter.
                getattr(self, f.name) == getattr(measurement, f.name)
                for f in fields(self)
                if f.name not in ("parts", "estimate")
            )
            and self.estimate in (None, measurement.is_estimate)
            and given == {code: figures for code, figures in stored.items() if figures.has_values}
        )


def validate_data(indicator: Indicator, data: MeasurementData) -> None:
    """The scoring service's rules, as a ValidationError naming the indicator."""
    figures: dict[str, object] = {name: getattr(data, name) for name in FIGURES}
    if data.parts:
        figures["parts"] = {
            code: {name: getattr(part, name) for name in PART_FIGURES}
            for code, part in data.parts.items()
        }
    try:
        scoring.input_from_mapping(indicator_spec(indicator), figures)
    except scoring.ScoringInputError as error:
        raise ValidationError(str(error), code="invalid_measurement") from error


def _check_may_write(actor: Actor, indicator: Indicator, unit: Unit) -> None:
    """The actor enters this indicator's values for the unit (the year's lock is met once, when
    the entry is saved inside its transaction: Measurement.save)."""
    if not can_write_value(actor, indicator.pk, unit):
        raise PermissionDenied(
            _("You may not enter values of indicator %(code)s for %(unit)s.")
            % {"code": indicator.code, "unit": unit.name}
        )


def _concurrent_edit() -> ConcurrentEditError:
    return ConcurrentEditError(
        _(
            "Someone else saved this entry after you opened it. Nothing was overwritten: "
            "reload the page to see their values, then make your change again."
        ),
        code="concurrent_edit",
    )


def needs_previous_source(
    indicator: Indicator, data: MeasurementData, approved: Mapping[int, Decimal]
) -> bool:
    """Whether a typed previous figure must say where it comes from: for an indicator measured
    under a stated standard, unless it is last year's approved figure of that standard
    (`approved`: indicator id → it, as `selectors.previous_year_values` gives it)."""
    return (
        bool(indicator.basis)
        and data.previous is not None
        and data.previous != approved.get(indicator.pk)
        and not data.previous_source.strip()
    )


def measurement_save(
    *,
    actor: Actor,
    user: User,
    indicator: Indicator,
    unit: Unit,
    year: int,
    data: MeasurementData,
    expected_version: int | None,
    submit: bool,
    from_list: bool = False,
) -> Measurement:
    """Save a draft or submit an entry. `expected_version` is the version the person opened
    (None for a new entry); a different stored version means a concurrent edit, refused.
    A share counted from a stored list takes its numbers from the list only (`from_list`)."""
    _check_may_write(actor, indicator, unit)
    if indicator.has_stored_list and not from_list:
        raise ValidationError(
            _("Indicator %(code)s is counted from its list: change the list, not the numbers."),
            code="from_list",
            params={"code": indicator.code},
        )
    if indicator.counts_reported_lines:
        raise ValidationError(
            _(
                "Indicator %(code)s is the sum of the lines its reporting departments enter: "
                "enter a line on its lines page, not a total."
            ),
            code="from_lines",
            params={"code": indicator.code},
        )
    if counted_from_district_verdicts(indicator, unit):
        raise ValidationError(
            _(
                "This share is counted from the committee's recognitions of the districts (the "
                "Districts page of the evaluation): it is not typed."
            ),
            code="from_recognitions",
        )
    if needs_previous_source(indicator, data, previous_year_values(unit, year, [indicator.pk])):
        raise ValidationError(
            _(
                "Say where last year's figure comes from, measured under %(basis)s (a report, a "
                "decision): it is compared with this year's only under the same standard."
            ),
            code="previous_source_required",
            params={"basis": indicator.basis},
        )
    validate_data(indicator, data)
    try:
        with transaction.atomic():
            measurement = (
                Measurement.objects.select_for_update()
                .filter(indicator=indicator, unit=unit, year=year)
                .first()
            )
            stored_version = measurement.version if measurement else None
            if stored_version != expected_version:
                raise _concurrent_edit()
            if measurement is not None and measurement.is_not_applicable:
                raise marked_not_applicable(unit)
            if measurement is None:
                measurement = Measurement(indicator=indicator, unit=unit, year=year, version=0)
            else:  # the rows this save already read (the indicator with its parts)
                measurement.indicator, measurement.unit = indicator, unit
            status = Measurement.Status.SUBMITTED if submit else Measurement.Status.DRAFT
            measurement.basis = indicator.basis  # measured under the indicator's standard now
            _mark_if_late(measurement, submit=submit, unit=unit, year=year)
            if data.estimate is not None:
                measurement.is_estimate = data.estimate
            _write(measurement, data, user=user, status=status, reviewer=can_review(actor))
    except IntegrityError as error:  # two people created the same entry at once
        raise _concurrent_edit() from error
    return measurement


def _mark_if_late(row: Reviewed, *, submit: bool, unit: Unit, year: int) -> None:
    """A first submission after the deadline of the year's round of the unit's level is marked
    late; a resubmission (after a return) is not, and keeps the mark its first one got. A
    district outside the round's pilots has no deadline."""
    if (
        submit
        and row.submitted_at is None
        and deadline_passed(unit.level, year)
        and in_the_round(unit, year)
    ):
        row.submitted_late = True


def marked_not_applicable(unit: Unit) -> ValidationError:
    """Values wait until the standing office makes the indicator apply again ("Áp dụng lại")."""
    return ValidationError(
        _(
            "The standing office has marked this indicator not applicable to %(unit)s: "
            "values cannot be entered."
        ),
        code="not_applicable",
        params={"unit": unit.name},
    )


def _write(
    measurement: Measurement,
    data: MeasurementData,
    *,
    user: User,
    status: str,
    reviewer: bool,
    not_applicable_reason: str = "",
) -> None:
    """Write the values (or, for "not applicable", its reason), the status and who did it."""
    measurement.check_transition(status, reviewer=reviewer)
    for f in fields(data):
        if f.name != "parts":
            setattr(measurement, f.name, getattr(data, f.name))
    measurement.not_applicable_reason = not_applicable_reason
    measurement.status = status
    if status == Measurement.Status.SUBMITTED:
        measurement.submitted_by = user
        measurement.submitted_at = timezone.now()
    if status in (Measurement.Status.APPROVED, Measurement.Status.NOT_APPLICABLE):
        measurement.reviewed_by = user
        measurement.reviewed_at = timezone.now()
    measurement.updated_by = user
    measurement.version += 1
    _record_history(measurement, user, status)
    # The fields' own checks; the references, the uniqueness and the check constraints are the
    # database's (a violated check reads as full_clean() would say it), the year's lock is met
    # once, by save().
    measurement.clean_fields(exclude=SET_BY_THE_SAVE)
    try:
        measurement.save()
    except IntegrityError as error:
        violated = violated_check(error, Measurement)
        if violated is None:
            raise  # a concurrent first save: the caller says so
        raise violated from error
    _write_parts(measurement, data, user=user, reason=status)


#: What a save sets from rows it just read, never from what a person typed: the references to
#: other rows, and the year, which the lock check meets (an unknown year: «not open»).
SET_BY_THE_SAVE = ["indicator", "unit", "year", "updated_by", "submitted_by", "reviewed_by"]


def _write_parts(
    measurement: Measurement, data: MeasurementData, *, user: User, reason: str
) -> None:
    """Each part's figures as given (a part not given is emptied), stamped with the entry's
    version; a part whose figures do not change is left as it was (its history row stands)."""
    parts = list(measurement.indicator.parts.all())
    if not parts:
        return
    stored = {value.part_id: value for value in measurement.part_values.all()}
    for part in parts:
        figures = data.parts.get(part.code, PartFigures())
        row = stored.get(part.pk)
        if row is None:
            if not figures.has_values:
                continue
            row = PartValue(measurement=measurement, part=part)
        elif PartFigures.of(row) == figures:
            continue
        for name in PART_FIGURES:
            setattr(row, name, getattr(figures, name))
        row.version = measurement.version
        _record_history(row, user, reason)
        row.save()


def _record_history(row: Measurement | PartValue | ReportedLine, user: User, reason: str) -> None:
    """Attribute the history record to the person acting, in a request or in a command."""
    row._history_user = user
    row._change_reason = reason


class StaleReviewError(ValidationError):
    """The entry changed after the reviewer opened the page: nothing was approved or returned."""


def _review(
    *,
    actor: Actor,
    user: User,
    measurement: Measurement,
    status: str,
    seen_version: int | None,
    comment: str = "",
) -> Measurement:
    """Approve or return an entry locked for update, if it is still the version the reviewer saw
    (`seen_version`, sent back by the page)."""
    if not can_review(actor):
        raise PermissionDenied(_("Only the standing office reviews reported values."))
    ensure_year_open(measurement.year)
    if measurement.version != seen_version:
        raise _stale(measurement, seen_version)
    measurement.check_transition(status, reviewer=True)
    measurement.status = status
    measurement.review_comment = comment
    measurement.reviewed_by = user
    measurement.reviewed_at = timezone.now()
    measurement.updated_by = user
    measurement.version += 1
    _record_history(measurement, user, status)
    measurement.save()
    return measurement


def _notify_reviewed(measurement: Measurement) -> None:
    """Tell the departments that enter the value that it was approved or returned (in the
    reviewer's transaction: the e-mail goes after the commit)."""
    notify_value_reviewed(
        indicator=measurement.indicator,
        unit=measurement.unit,
        year=measurement.year,
        approved=measurement.status == Measurement.Status.APPROVED,
        comment=measurement.review_comment,
    )


def _check_supported(entries: list[Measurement]) -> None:
    """A «yes» is approved only with its support (`unsupported_claims`): every entry lacking it
    is named, and nothing is approved."""
    missing = unsupported_claims(entries)
    if missing:
        raise ValidationError(
            [
                _(
                    "Indicator %(code)s of %(unit)s says «yes»: attach the document (minh chứng) "
                    "or record an explanation before approving it."
                )
                % {"code": entry.indicator.code, "unit": entry.unit.name}
                for entry in missing
            ],
            code="unsupported",
        )


def _stale(measurement: Measurement, seen_version: int | None) -> StaleReviewError:
    changes = "; ".join(str(change) for change in changes_since(measurement, seen_version))
    changes = changes or _("its history")
    return StaleReviewError(
        _(
            "The value of indicator %(code)s of %(unit)s changed after you opened the page "
            "(%(changes)s). Nothing was approved or returned: read it again, then decide."
        ),
        code="stale",
        params={
            "code": measurement.indicator.code,
            "unit": measurement.unit.name,
            "changes": changes,
        },
    )


def measurement_approve(
    *, actor: Actor, user: User, measurement: Measurement, seen_version: int | None
) -> Measurement:
    """The standing office approves a submitted entry, as it saw it (`seen_version`): from now
    on it counts officially."""
    with transaction.atomic():
        locked = Measurement.objects.select_for_update().select_related("indicator", "unit")
        entry = locked.get(pk=measurement.pk)
        if entry.version == seen_version:  # a stale one is refused as such by _review
            _check_supported([entry])
        approved = _review(
            actor=actor,
            user=user,
            measurement=entry,
            status=Measurement.Status.APPROVED,
            seen_version=seen_version,
        )
        _notify_reviewed(approved)
        return approved


def measurement_return(
    *,
    actor: Actor,
    user: User,
    measurement: Measurement,
    comment: str,
    seen_version: int | None,
) -> Measurement:
    """The standing office returns a submitted entry to its officer, saying what to fix; the
    comment also opens (or continues) the entry's thread."""
    comment = comment.strip()
    if not comment:
        raise ValidationError(
            _("Say what must be corrected: a returned entry needs a comment."),
            code="comment_required",
        )
    with transaction.atomic():
        locked = Measurement.objects.select_for_update().select_related("indicator", "unit")
        returned = _review(
            actor=actor,
            user=user,
            measurement=locked.get(pk=measurement.pk),
            status=Measurement.Status.RETURNED,
            seen_version=seen_version,
            comment=comment,
        )
        ValueComment.objects.create(measurement=returned, author=user, text=comment)
        _notify_reviewed(returned)
    return returned


def value_comment_add(*, actor: Actor, user: User, measurement: Measurement, text: str) -> None:
    """A message in an entry's thread, between whoever enters the value and the standing office
    (who may write or review it); not in a locked year."""
    if not can_discuss_value(actor, measurement.indicator_id, measurement.unit):
        raise PermissionDenied(_("You may not write in this value's thread."))
    text = text.strip()
    if not text:
        raise ValidationError(_("Write a message."), code="message_required")
    with transaction.atomic():
        ensure_year_open(measurement.year)
        ValueComment.objects.create(measurement=measurement, author=user, text=text)


def measurements_approve(*, actor: Actor, user: User, seen: Mapping[int, int | None]) -> int:
    """Approve several submitted entries at once, each as the reviewer saw it (`seen`: entry id →
    version): all of them, or none when one cannot be; every stale one is named."""
    if not can_review(actor):
        raise PermissionDenied(_("Only the standing office reviews reported values."))
    with transaction.atomic():
        entries = list(
            Measurement.objects.select_for_update()
            .select_related("indicator", "unit")
            .filter(pk__in=list(seen))
            .order_by("pk")
        )
        if len(entries) != len(seen):
            raise ValidationError(_("Some of the chosen entries no longer exist."), code="missing")
        stale = [_stale(m, seen[m.pk]) for m in entries if m.version != seen[m.pk]]
        if stale:
            raise StaleReviewError([message for error in stale for message in error.messages])
        _check_supported(entries)
        for measurement in entries:
            _review(
                actor=actor,
                user=user,
                measurement=measurement,
                status=Measurement.Status.APPROVED,
                seen_version=seen[measurement.pk],
            )
            _notify_reviewed(measurement)
    return len(entries)


def measurement_mark_not_applicable(
    *,
    actor: Actor,
    user: User,
    indicator: Indicator,
    unit: Unit,
    year: int,
    reason: str,
    expected_version: int | None,
) -> Measurement:
    """The standing office marks an indicator not applicable for a unit (e.g. an island district
    without communes): it drops out of the roll-up, and the reason shows wherever its status
    does. Stored values are cleared (history keeps them); the entry is "not applicable", a state
    of its own that counts as decided, in the official result as in the provisional one."""
    if not can_review(actor):
        raise PermissionDenied(_("Only the standing office marks an indicator not applicable."))
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            _("Say why the indicator does not apply to this unit."), code="reason_required"
        )
    ensure_year_open(year)
    with transaction.atomic():
        measurement = _locked_entry(indicator, unit, year, expected_version)
        measurement.review_comment = ""
        _write(
            measurement,
            MeasurementData(note=measurement.note),
            user=user,
            status=Measurement.Status.NOT_APPLICABLE,
            reviewer=True,
            not_applicable_reason=reason,
        )
    return measurement


def measurement_clear_not_applicable(
    *, actor: Actor, user: User, measurement: Measurement
) -> Measurement:
    """Undo "not applicable": the indicator is expected again, starting from an empty draft."""
    if not can_review(actor):
        raise PermissionDenied(_("Only the standing office marks an indicator not applicable."))
    ensure_year_open(measurement.year)
    with transaction.atomic():
        measurement = _locked_entry(
            measurement.indicator, measurement.unit, measurement.year, measurement.version
        )
        if not measurement.is_not_applicable:
            raise ValidationError(
                _("Indicator %(code)s of %(unit)s is not marked not applicable."),
                code="applies",
                params={"code": measurement.indicator.code, "unit": measurement.unit.name},
            )
        _write(
            measurement,
            MeasurementData(note=measurement.note),
            user=user,
            status=Measurement.Status.DRAFT,
            reviewer=True,
        )
    return measurement


def _locked_entry(
    indicator: Indicator, unit: Unit, year: int, expected_version: int | None
) -> Measurement:
    """The entry, locked for update, if its version is the one the person saw (else refused)."""
    measurement = (
        Measurement.objects.select_for_update()
        .filter(indicator=indicator, unit=unit, year=year)
        .first()
    )
    if (measurement.version if measurement else None) != expected_version:
        raise _concurrent_edit()
    return measurement or Measurement(indicator=indicator, unit=unit, year=year, version=0)


# --- Reported lines (3.2.3) ----------------------------------------------------------------------


@dataclass(frozen=True)
class LineData:
    """What a reporting department enters: the pupils affected and the pupils in total."""

    numerator: int
    denominator: int
    note: str = ""


def reported_line_save(
    *,
    actor: Actor,
    user: User,
    indicator: Indicator,
    unit: Unit,
    year: int,
    department: Department,
    data: LineData,
    expected_version: int | None,
    submit: bool,
) -> ReportedLine:
    """Save a draft of a department's line, or submit it, as an entry is saved: the year open,
    the right to write (`can_write_line`), the figures checked by the scoring service, the
    version the person opened (None for a new line), the change of status, the history."""
    ensure_year_open(year)
    if not indicator.counts_reported_lines:
        raise ValidationError(
            _("Indicator %(code)s is not counted from reported lines."),
            code="not_lines",
            params={"code": indicator.code},
        )
    if department.pk not in {d.pk for d in line_writers(indicator)}:
        raise ValidationError(
            _("%(department)s does not report indicator %(code)s."),
            code="not_a_reporter",
            params={"department": department.name, "code": indicator.code},
        )
    if not can_write_line(actor, indicator.pk, unit, department):
        raise PermissionDenied(
            _("You may not enter the line of %(department)s for indicator %(code)s.")
            % {"department": department.name, "code": indicator.code}
        )
    if Measurement.objects.filter(
        indicator=indicator, unit=unit, year=year, status=Measurement.Status.NOT_APPLICABLE
    ).exists():
        raise marked_not_applicable(unit)
    try:
        scoring.validate_input(
            indicator_spec(indicator),
            scoring.IndicatorInput(
                numerator=Decimal(data.numerator), denominator=Decimal(data.denominator)
            ),
        )
    except scoring.ScoringInputError as error:
        raise ValidationError(str(error), code="invalid_line") from error
    try:
        with transaction.atomic():
            line = (
                ReportedLine.objects.select_for_update()
                .filter(indicator=indicator, unit=unit, year=year, department=department)
                .first()
            )
            if (line.version if line else None) != expected_version:
                raise _concurrent_edit()
            if line is None:
                line = ReportedLine(
                    indicator=indicator, unit=unit, year=year, department=department, version=0
                )
            status = Measurement.Status.SUBMITTED if submit else Measurement.Status.DRAFT
            line.check_transition(status, reviewer=can_review(actor))
            line.numerator, line.denominator, line.note = (
                data.numerator,
                data.denominator,
                data.note,
            )
            line.status = status
            _mark_if_late(line, submit=submit, unit=unit, year=year)
            if submit:
                line.submitted_by, line.submitted_at = user, timezone.now()
            line.updated_by = user
            line.version += 1
            _record_history(line, user, status)
            line.full_clean()
            line.save()
    except IntegrityError as error:  # two people created the same line at once
        raise _concurrent_edit() from error
    return line


def reported_line_review(
    *,
    actor: Actor,
    user: User,
    line: ReportedLine,
    approve: bool,
    seen_version: int | None,
    comment: str = "",
) -> ReportedLine:
    """The standing office approves a submitted line, or returns it saying what to correct —
    as it saw it (`seen_version`): a line changed since is refused, nothing decided."""
    if not can_review(actor):
        raise PermissionDenied(_("Only the standing office reviews reported values."))
    comment = comment.strip()
    if not approve and not comment:
        raise ValidationError(
            _("Say what must be corrected: a returned entry needs a comment."),
            code="comment_required",
        )
    with transaction.atomic():
        locked = (
            ReportedLine.objects.select_for_update()
            .select_related("indicator", "department")
            .get(pk=line.pk)
        )
        ensure_year_open(locked.year)
        if locked.version != seen_version:
            raise StaleReviewError(
                _(
                    "The line of %(department)s changed after you opened the page. Nothing was "
                    "approved or returned: read it again, then decide."
                ),
                code="stale",
                params={"department": locked.department.name},
            )
        status = Measurement.Status.APPROVED if approve else Measurement.Status.RETURNED
        locked.check_transition(status, reviewer=True)
        locked.status = status
        locked.review_comment = comment
        locked.reviewed_by = locked.updated_by = user
        locked.reviewed_at = timezone.now()
        locked.version += 1
        _record_history(locked, user, status)
        locked.save()
    return locked
