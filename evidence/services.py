"""Writes of evidence: upload, replace, withdraw, review, and explanations of missing evidence.

Every write checks, in this order, that the year is open, that the person may make it
(assignments/permissions.py) and that the data are valid, then writes inside a transaction. A file
is checked completely (evidence/uploads.py) before it is stored, under a generated name; if the
rows cannot be written, the stored file is removed again. Rows are never deleted: a replacement
adds a version, a withdrawal is recorded; django-simple-history keeps every change of a document.
"""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from django.apps import apps
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from assignments.models import Unit, ensure_unit_exists
from assignments.permissions import (
    Actor,
    can_attach_evidence,
    can_change_document,
    can_review_evidence,
)
from criteria.models import Indicator, ensure_year_open
from notifications.services import notify_document_reviewed

from . import uploads
from .models import Document, DocumentVersion, Explanation, UncommittedFile
from .storage import evidence_storage


@dataclass(frozen=True)
class DocumentMetadata:
    """What a person says of a document: its title, number ("Số hiệu"), issue date and issuer."""

    title: str
    number: str = ""
    issue_date: date | None = None
    issuer: str = ""
    #: `Document.Kind`: evidence, or a district's own plan.
    kind: str = "evidence"


@contextmanager
def stored_file(file: File, year: int, extension: str) -> Iterator[str]:
    """Store a checked file under a generated name; remove it again if the block fails."""
    storage = evidence_storage()
    name = storage.save(uploads.stored_name(year, extension), file)
    try:
        yield name
    except BaseException:
        storage.delete(name)
        raise


def uncommitted_file_store(file: File, year: int, extension: str) -> str:
    """Store a checked file under a generated name, with a receipt committed first, for rows
    written later in their own transaction: call it outside any transaction, then
    `uncommitted_files_settle` once the rows are committed or `uncommitted_files_discard`."""
    name = uploads.stored_name(year, extension)
    receipt = UncommittedFile.objects.create(name=name)
    stored = evidence_storage().save(name, file)
    if stored != name:
        UncommittedFile.objects.filter(pk=receipt.pk).update(name=stored)
    return stored


def uncommitted_files_settle(names: Sequence[str]) -> None:
    """The rows naming these files are committed: their receipts go."""
    UncommittedFile.objects.filter(name__in=names).delete()


def uncommitted_files_discard(names: Sequence[str]) -> None:
    """The rows were not written: the files and their receipts go."""
    storage = evidence_storage()
    for name in names:
        storage.delete(name)
    UncommittedFile.objects.filter(name__in=names).delete()


def _named_by_a_row(name: str) -> bool:
    """Whether any row names the stored file: a document version, or a row of another app that
    keeps its file in the evidence storage (a recognition's signed decision)."""
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if (
                isinstance(field, models.FileField)
                and getattr(field, "_storage_callable", None) is evidence_storage
                and model._default_manager.filter(**{field.name: name}).exists()
            ):
                return True
    return False


def abandoned_files_clear() -> int:
    """Delete the files of receipts left by a process that died (a row may name one if it died
    after its commit: that file stays); returns how many files were deleted."""
    storage = evidence_storage()
    deleted = 0
    for receipt in UncommittedFile.objects.all():
        if not _named_by_a_row(receipt.name):
            storage.delete(receipt.name)
            deleted += 1
        receipt.delete()
    return deleted


def _add_version(
    document: Document, checked: uploads.CheckedUpload, name: str, user: User, number: int
) -> DocumentVersion:
    version = DocumentVersion(document=document, number=number, uploaded_by=user)
    version.take(checked)
    version.file.name = name
    version.full_clean()
    version.save()
    return version


def _record_history(document: Document, user: User, reason: str) -> None:
    """Attribute the history record to the person acting, in a request or in a command."""
    document._history_user = user
    document._change_reason = reason


def _ensure_not_withdrawn(document: Document) -> None:
    if document.is_withdrawn:
        raise ValidationError(
            _("«%(title)s» has been withdrawn: it can no longer be changed or reviewed."),
            code="withdrawn",
            params={"title": document.title},
        )


def _check_change(actor: Actor, document: Document) -> None:
    ensure_year_open(document.year)
    indicator_ids = [indicator.pk for indicator in document.indicators.all()]
    if not can_change_document(actor, document.unit, indicator_ids):
        raise PermissionDenied(_("You may not change this evidence."))
    _ensure_not_withdrawn(document)


def document_upload(
    *,
    actor: Actor,
    user: User,
    unit: Unit,
    year: int,
    indicators: Sequence[Indicator],
    metadata: DocumentMetadata,
    file: File,
) -> Document:
    """A new document of a unit for a year, supporting the given indicators, with its first
    version; it waits for the standing office's review."""
    ensure_year_open(year)
    ensure_unit_exists(unit, year)
    if not indicators:
        raise ValidationError(
            _("Choose at least one indicator that the document proves."), code="no_indicator"
        )
    for indicator in indicators:
        if not can_attach_evidence(actor, indicator.pk, unit):
            raise PermissionDenied(
                _("You may not attach evidence of indicator %(code)s for %(unit)s.")
                % {"code": indicator.code, "unit": unit.name}
            )
    if metadata.kind == Document.Kind.PLAN and unit.is_city:
        raise ValidationError(
            _("A district plan is uploaded for a district, not for the city."), code="plan_of_city"
        )
    document = Document(
        kind=metadata.kind,
        unit=unit,
        year=year,
        title=metadata.title.strip(),
        number=metadata.number.strip(),
        issue_date=metadata.issue_date,
        issuer=metadata.issuer.strip(),
        status=Document.Status.WAITING,
        created_by=user,
    )
    document.full_clean()
    checked = uploads.check_upload(file)
    with stored_file(file, year, checked.extension) as name, transaction.atomic():
        ensure_year_open(year)  # again: the year may have been locked meanwhile
        _record_history(document, user, "uploaded")
        document.save()
        document.indicators.set(indicators)
        _add_version(document, checked, name, user, number=1)
    return document


def document_replace(
    *, actor: Actor, user: User, document: Document, file: File
) -> DocumentVersion:
    """A new file for a document: a new version (earlier ones are kept); review starts again."""
    _check_change(actor, document)
    checked = uploads.check_upload(file)
    with stored_file(file, document.year, checked.extension) as name, transaction.atomic():
        ensure_year_open(document.year)  # again: the year may have been locked meanwhile
        locked = Document.objects.select_for_update().get(pk=document.pk)
        _ensure_not_withdrawn(locked)
        last = locked.versions.aggregate(last=Max("number"))["last"] or 0
        version = _add_version(locked, checked, name, user, number=last + 1)
        locked.status = Document.Status.WAITING
        _record_history(locked, user, "replaced")
        locked.save()
    document.refresh_from_db()
    return version


def document_withdraw(*, actor: Actor, user: User, document: Document, reason: str) -> Document:
    """Withdraw a document: it stops counting as evidence, and its row and files are kept."""
    reason = reason.strip()
    _check_change(actor, document)
    if not reason:
        raise ValidationError(
            _("Say why the document is withdrawn."), code="withdrawal_reason_required"
        )
    with transaction.atomic():
        ensure_year_open(document.year)  # again: the year may have been locked meanwhile
        locked = Document.objects.select_for_update().get(pk=document.pk)
        _ensure_not_withdrawn(locked)
        locked.withdrawn_at = timezone.now()
        locked.withdrawn_by = user
        locked.withdrawal_reason = reason
        _record_history(locked, user, "withdrawn")
        locked.full_clean()
        locked.save()
    return locked


def _check_reviewer(actor: Actor) -> None:
    if not can_review_evidence(actor):
        raise PermissionDenied(_("Only the standing office reviews evidence."))


def _review(
    *,
    actor: Actor,
    user: User,
    document: Document,
    status: str,
    seen_version: int | None,
    comment: str = "",
) -> Document:
    """Approve a document, or ask for more, if it is still the version the reviewer read
    (`seen_version`: the number of its latest file, sent back by the page)."""
    _check_reviewer(actor)
    ensure_year_open(document.year)
    with transaction.atomic():
        ensure_year_open(document.year)  # again: the year may have been locked meanwhile
        locked = Document.objects.select_for_update().get(pk=document.pk)
        _ensure_not_withdrawn(locked)
        latest = locked.versions.order_by("-number").first()
        if latest is None or latest.number != seen_version:
            raise ValidationError(
                _(
                    "«%(title)s» has a new file since you opened the page (version %(number)s, "
                    "«%(name)s», uploaded %(when)s). Nothing was reviewed: read it, then decide."
                ),
                code="stale",
                params={
                    "title": locked.title,
                    "number": latest.number if latest else "—",
                    "name": latest.original_name if latest else "—",
                    "when": date_format(localtime(latest.uploaded_at), "SHORT_DATETIME_FORMAT")
                    if latest
                    else "—",
                },
            )
        if locked.status != Document.Status.WAITING:
            raise ValidationError(
                _("«%(title)s» is not waiting for review."),
                code="not_waiting",
                params={"title": locked.title},
            )
        locked.status = status
        locked.review_comment = comment
        locked.reviewed_by = user
        locked.reviewed_at = timezone.now()
        _record_history(locked, user, status)
        locked.full_clean()
        locked.save()
        notify_document_reviewed(
            document_id=locked.pk,
            title=locked.title,
            unit=locked.unit,
            year=locked.year,
            uploader=locked.created_by,
            approved=status == Document.Status.APPROVED,
            comment=comment,
        )
    return locked


def document_approve(
    *, actor: Actor, user: User, document: Document, seen_version: int | None
) -> Document:
    """The standing office accepts a waiting document as evidence, as it read it."""
    return _review(
        actor=actor,
        user=user,
        document=document,
        status=Document.Status.APPROVED,
        seen_version=seen_version,
    )


def document_request_more(
    *, actor: Actor, user: User, document: Document, comment: str, seen_version: int | None
) -> Document:
    """The standing office asks the unit for more, saying what is missing (a comment is
    required)."""
    _check_reviewer(actor)
    comment = comment.strip()
    if not comment:
        raise ValidationError(
            _("Say what is missing: asking for more needs a comment."),
            code="comment_required",
        )
    return _review(
        actor=actor,
        user=user,
        document=document,
        status=Document.Status.NEEDS_MORE,
        seen_version=seen_version,
        comment=comment,
    )


def explanation_save(
    *, actor: Actor, user: User, unit: Unit, year: int, indicator: Indicator, text: str
) -> Explanation:
    """Record or change a unit's explanation of missing evidence for an indicator in a year."""
    ensure_year_open(year)
    ensure_unit_exists(unit, year)
    if not can_attach_evidence(actor, indicator.pk, unit):
        raise PermissionDenied(
            _("You may not explain the evidence of indicator %(code)s for %(unit)s.")
            % {"code": indicator.code, "unit": unit.name}
        )
    text = text.strip()
    if not text:
        raise ValidationError(_("Write the explanation."), code="explanation_required")
    with transaction.atomic():
        ensure_year_open(year)  # again: the year may have been locked meanwhile
        explanation = (
            Explanation.objects.select_for_update()
            .filter(unit=unit, year=year, indicator=indicator)
            .first()
        ) or Explanation(unit=unit, year=year, indicator=indicator)
        explanation.text = text
        explanation.author = user
        explanation._history_user = user
        explanation.full_clean()
        explanation.save()
    return explanation
