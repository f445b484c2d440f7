"""Writes of the dashboard — the pilot's meetings, the recognitions decided at them with their
frozen records, the official documents' settings — and the one way a criteria set is loaded over
years that hold another set's data."""

from datetime import date, timedelta

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from assignments.administration.services import task_done
from assignments.models import PlanTask, Unit, ensure_unit_exists
from assignments.permissions import (
    Actor,
    can_record_decision,
    can_run_the_pilot,
    can_write_report,
)
from assignments.services import criteria_set_adopt
from criteria.importing import CriteriaSetPlan
from criteria.models import CriteriaSet, EvaluationYear
from criteria.selectors import evaluation_set_for, level_specs
from evidence import uploads
from evidence.services import stored_file

from . import records
from .models import (
    CommitteeDecision,
    DecisionDocument,
    DocumentSettings,
    Meeting,
    MeetingFile,
    Member,
    ReportNarrative,
)
from .selectors import recognition_exceptions, superseded_by

#: What a meeting's record holds (the rest is who recorded it and when).
MEETING_FIELDS = (
    "kind",
    "held_on",
    "place",
    "chaired_by",
    "attendees",
    "agenda",
    "minutes",
    "plan_task",
)


def check_records_meetings(actor: Actor) -> None:
    """The pilot's meetings, their files and the decision documents are recorded by a committee
    member or the standing office (`can_record_decision`): refused, with why, for anyone else."""
    if not can_record_decision(actor):
        raise PermissionDenied(
            _("Only the steering committee or the standing office records the pilot's meetings.")
        )


def meeting_record(
    *, actor: Actor, user: User, year: int, data: dict, instance: Meeting | None = None
) -> Meeting:
    """Record a meeting that was held, or correct its record; history keeps every version. The
    members of the year's bodies who attended (`members_present`, when given) are listed first
    among the attendees. The plan task it fulfils is marked done on the meeting's date with its
    minutes as the proof, unless the task was already done."""
    check_records_meetings(actor)
    if not EvaluationYear.objects.filter(year=year).exists():
        raise ValidationError(
            _("There is no evaluation year %(year)s."), code="no_year", params={"year": year}
        )
    meeting = instance or Meeting(year=year)
    for name in MEETING_FIELDS:
        setattr(meeting, name, data.get(name, getattr(meeting, name)))
    if "members_present" in data:
        meeting.attendees = attendees_text(list(data["members_present"]), meeting.attendees)
    if meeting.held_on and meeting.held_on > timezone.localdate():
        raise ValidationError(
            {
                "held_on": _(
                    "A meeting is recorded once it has been held: the date is in the future."
                )
            },
            code="future_date",
        )
    if instance is not None and not meeting.recognises and meeting.decisions.exists():
        raise ValidationError(
            {
                "kind": _(
                    "Recognitions were decided at this meeting: it stays a council or "
                    "committee meeting."
                )
            },
            code="decisions_recorded",
        )
    meeting.recorded_by = user
    meeting._history_user = user
    meeting.full_clean()
    with transaction.atomic():
        meeting.save()
        task = meeting.plan_task_id and PlanTask.objects.select_for_update().get(
            pk=meeting.plan_task_id
        )
        if task and task.completed_on is None:
            task_done(
                by=user, task=task, completed_on=meeting.held_on, proof=minutes_title(meeting)
            )
    return meeting


def meeting_file_attach(
    *, actor: Actor, user: User, meeting: Meeting, kind: str, title: str, file: File
) -> MeetingFile:
    """Keep a file with a meeting's record: its signed minutes or an attachment. The file is
    checked as evidence is (type, content, size) and stored under a generated name."""
    check_records_meetings(actor)
    checked = uploads.check_upload(file)
    attached = MeetingFile(meeting=meeting, year=meeting.year, kind=kind, uploaded_by=user)
    attached.title = (title or "").strip() or checked.original_name
    attached.take(checked)
    attached._history_user = user
    attached.file.name = "pending"  # the stored name, given below once the fields are valid
    attached.full_clean()
    with stored_file(file, meeting.year, checked.extension) as name, transaction.atomic():
        attached.file.name = name
        attached.save()
    return attached


def meeting_file_remove(*, actor: Actor, user: User, meeting_file: MeetingFile) -> None:
    """A file kept with a meeting by mistake: the row goes, its history says what it was and who
    removed it. The stored file stays, as every evidence file does (a backup's copy of the files
    taken after its dump must hold every file the dump names)."""
    check_records_meetings(actor)
    meeting_file._history_user = user
    meeting_file.delete()


def attendees_text(members: list[Member], others: str) -> str:
    """The attendees as the record keeps them: a line per member present, then the other
    attendees as typed (a line already said once is not repeated)."""
    lines = [member.attendee_line for member in members]
    for line in others.splitlines():
        if line.strip() and line.strip() not in lines:
            lines.append(line.strip())
    return "\n".join(lines)


#: What is said of a member of the council or the committee.
MEMBER_FIELDS = ("body", "role", "name", "position", "user")


def member_add(*, actor: Actor, user: User, year: int, data: dict) -> Member:
    """Name a member of the year's council or committee (the standing office keeps them)."""
    if not can_run_the_pilot(actor):
        raise PermissionDenied(_("Only the standing office keeps the members of the bodies."))
    member = Member(year=year, **{name: data.get(name) for name in MEMBER_FIELDS})
    member.name = (member.name or "").strip()
    member.position = (member.position or "").strip()
    if member.body in Member.ROLES and member.role not in Member.ROLES[member.body]:
        raise ValidationError(
            {"role": _("%(body)s has no such role.") % {"body": member.get_body_display()}},
            code="role_of_another_body",
        )
    member._history_user = user
    member.full_clean()
    member.save()
    return member


def member_remove(*, actor: Actor, user: User, member: Member) -> None:
    """A member who leaves the body; the history keeps them."""
    if not can_run_the_pilot(actor):
        raise PermissionDenied(_("Only the standing office keeps the members of the bodies."))
    member._history_user = user
    member.delete()


def minutes_title(meeting: Meeting) -> str:
    """«Biên bản <meeting> ngày dd/mm/yyyy»: how a plan task names the meeting that proves it
    done — stored, so in Vietnamese whoever records it."""
    with translation.override("vi"):
        return _("Minutes of the %(meeting)s of %(date)s") % {
            "meeting": meeting.kind_in_sentence,
            "date": f"{meeting.held_on:%d/%m/%Y}",
        }


def decision_record(
    *,
    actor: Actor,
    unit: Unit,
    year: int,
    user: User,
    data: dict,
    instance: CommitteeDecision | None = None,
) -> CommitteeDecision:
    """Record or change the recognition of a unit-year at a council or committee meeting of
    that year; history keeps every version. In the same transaction the portal freezes what it
    was decided on (evaluation/records.py); a change freezes a new record that replaces the
    previous one.

    The decision stands apart from the year's lock: the committee decides on a locked year.
    """
    if not can_record_decision(actor):
        raise PermissionDenied(_("Only the steering committee records its decision."))
    if not EvaluationYear.objects.filter(year=year).exists():
        raise ValidationError(
            _("There is no evaluation year %(year)s: the committee decides on a year evaluated."),
            code="no_year",
            params={"year": year},
        )
    ensure_unit_exists(unit, year)
    decision = instance or CommitteeDecision(unit=unit, year=year)
    meeting = data.get("meeting") or (instance.meeting if instance else None)
    if meeting is None or meeting.year != year or not meeting.recognises:
        raise ValidationError(
            {
                "meeting": _("Choose the council or committee meeting of %(year)s that decided it.")
                % {"year": year}
            },
            code="meeting_required",
        )
    decision.meeting = meeting
    for name in ("decision", "number", "note"):
        setattr(decision, name, data.get(name, getattr(decision, name)))
    decision.level, decision.valid_until = _level_and_validity(
        decision, evaluation_set_for(unit.level, year), data.get("level")
    )
    decision.exception_reason = _exception_reason(decision, data)
    decision.recorded_by = user
    decision._history_user = user
    decision.full_clean()
    with transaction.atomic():
        decision.save()
        records.freeze(decision=decision, user=user)
    return decision


def _level_and_validity(
    decision: CommitteeDecision, criteria_set: CriteriaSet | None, level: int | None
) -> tuple[int | None, date | None]:
    """A recognition's level (under a set with levels: one of them, required) and its last valid
    day (the set's validity from the meeting's date, the day before the same date N years on);
    neither for a decision not to recognise."""
    if decision.decision != CommitteeDecision.Decision.RECOGNIZED or criteria_set is None:
        return None, None
    numbers = [spec.number for spec in level_specs(criteria_set)]
    if numbers and level not in numbers:
        raise ValidationError(
            {
                "level": _("Choose the level the committee recognises: %(levels)s.")
                % {"levels": ", ".join(str(number) for number in numbers)}
            },
            code="level_required",
        )
    held_on, years = decision.meeting.held_on, criteria_set.validity_years
    if years is None or held_on is None:
        return (level if numbers else None), None
    try:
        anniversary = held_on.replace(year=held_on.year + years)
    except ValueError:  # 29 February, in a year that has none
        anniversary = held_on.replace(year=held_on.year + years, day=28)
    return (level if numbers else None), anniversary - timedelta(days=1)


#: What a person says of a decision document (the rest is its file and who uploaded it).
DECISION_DOCUMENT_FIELDS = ("number", "issued_on", "issuer", "signer")


def decision_document_attach(
    *, actor: Actor, user: User, decision: CommitteeDecision, data: dict, file: File
) -> DecisionDocument:
    """Attach the formal decision issued on a recognition (or replace it: the earlier file stays
    in the storage and in the document's history). What is counted does not change."""
    if not can_record_decision(actor):
        raise PermissionDenied(_("Only the steering committee records its decision."))
    document = DecisionDocument.objects.filter(decision=decision).first() or DecisionDocument(
        decision=decision, year=decision.year
    )
    for name in DECISION_DOCUMENT_FIELDS:
        value = data.get(name)
        setattr(document, name, value.strip() if isinstance(value, str) else value)
    checked = uploads.check_upload(file)
    document.take(checked)
    document.uploaded_by = user
    document._history_user = user
    document.file.name = "pending"  # the stored name, given below once the fields are valid
    document.full_clean()
    with stored_file(file, decision.year, checked.extension) as name, transaction.atomic():
        document.file.name = name
        document.save()
    return document


def _exception_reason(decision: CommitteeDecision, data: dict) -> str:
    """The reason for recognising a district against what the portal knows of it: required,
    with a confirmation, when there is such a thing (`recognition_exceptions`); dropped when
    there is none."""
    if decision.decision != CommitteeDecision.Decision.RECOGNIZED:
        return ""
    exceptions = recognition_exceptions(decision.unit, decision.year)
    if not exceptions:
        return ""
    reason = (data.get("exception_reason") or "").strip()
    if not reason or not data.get("exception_confirmed"):
        raise ValidationError(
            {
                "exception_reason": _(
                    "Recognising %(unit)s goes against the data: %(exceptions)s. Tick the "
                    "confirmation and write the committee's reason."
                )
                % {"unit": decision.unit.name, "exceptions": "; ".join(exceptions)}
            },
            code="exception_reason_required",
        )
    return reason


def criteria_set_adopt_checked(*, plan: CriteriaSetPlan, seen: list | None) -> CriteriaSet:
    """Load a planned criteria set (assignments.services.criteria_set_adopt), unless it would
    take over years holding another set's data that the person did not see: `seen` is what the
    preview listed (`Superseded.as_seen`), None when they did not confirm it. Refused when
    anything would stop counting and it is not exactly what they read."""
    with transaction.atomic():
        metadata = plan.metadata
        superseded = (
            [
                entry.as_seen()
                for entry in superseded_by(
                    level=metadata.level,
                    first_year=metadata.first_year,
                    last_year=metadata.last_year,
                )
            ]
            if metadata is not None
            else []
        )
        if superseded and seen is None:
            raise ValidationError(
                _(
                    "This set would take over years that hold data of another set, which would "
                    "stop counting. Read the list in the preview and confirm it."
                ),
                code="takeover_not_confirmed",
            )
        if superseded and superseded != seen:
            raise ValidationError(
                _(
                    "The data this set would stop counting changed after your preview. Nothing "
                    "was created: upload the workbook again and read the new list."
                ),
                code="takeover_changed",
            )
        return criteria_set_adopt(plan=plan)


#: What the standing office sets of the documents (the rest is who saved it and when).
DOCUMENT_SETTINGS_FIELDS = (
    "parent_body",
    "issuing_body",
    "name_in_text",
    "short_name",
    "place",
    "on_behalf_of",
    "signer_title",
    "signer_name",
    "recipients",
)


def document_settings_save(*, actor: Actor, user: User, data: dict) -> DocumentSettings:
    """Keep who issues and signs the official documents (the standing office only)."""
    if not can_run_the_pilot(actor):
        raise PermissionDenied(_("Only the standing office keeps the documents' settings."))
    with transaction.atomic():
        DocumentSettings.objects.get_or_create(pk=DocumentSettings.SINGLE)
        current = DocumentSettings.objects.select_for_update().get(pk=DocumentSettings.SINGLE)
        for name in DOCUMENT_SETTINGS_FIELDS:
            setattr(current, name, data[name])
        current.updated_by = user
        current.full_clean()
        current.save()
    return current


#: The parts of a report its writers write (evaluation.documents.Narrative).
NARRATIVE_FIELDS = ("results", "shortcomings", "causes", "recommendations")


def check_writes_report(actor: Actor, unit: Unit) -> None:
    """A unit's report is written by the standing office or, for a district, its own office
    (`can_write_report`): refused, with why, for anyone else."""
    if not can_write_report(actor, unit):
        raise PermissionDenied(
            _("Only the standing office, or a district's own office, writes its report.")
        )


def narrative_save(
    *, actor: Actor, user: User, unit: Unit, year: int, data: dict
) -> ReportNarrative:
    """Keep what a unit's pilot report says beyond its figures; history keeps every version."""
    check_writes_report(actor, unit)
    if not EvaluationYear.objects.filter(year=year).exists():
        raise ValidationError(
            _("There is no evaluation year %(year)s."), code="no_year", params={"year": year}
        )
    try:
        with transaction.atomic():
            narrative = ReportNarrative.objects.select_for_update().filter(
                unit=unit, year=year
            ).first() or ReportNarrative(unit=unit, year=year)
            for name in NARRATIVE_FIELDS:
                setattr(narrative, name, (data.get(name) or "").strip())
            narrative.updated_by = user
            narrative._history_user = user
            narrative.full_clean()
            narrative.save()
    except IntegrityError as error:  # two first saves at once: the other one was written
        raise ValidationError(
            _(
                "Someone else saved this report's text at the same moment. Nothing of yours was "
                "saved: open the page again, then save."
            ),
            code="concurrent_first_save",
        ) from error
    return narrative
