"""Evidence (minh chứng) per unit and year: documents, their versions, and explanations of what is
missing."""

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .storage import evidence_storage

if TYPE_CHECKING:
    from .uploads import CheckedUpload


class Document(models.Model):
    """An official paper proving one or more indicators of a unit in a year, with its versions.

    `year` is the year the document proves, not the upload date. A document is never deleted:
    withdrawing it records who, when and why, and keeps the row and every file.
    """

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        APPROVED = "approved", _("Approved")
        NEEDS_MORE = "needs_more", _("Needs more")

    class Kind(models.TextChoices):
        EVIDENCE = "evidence", _("Evidence")
        #: Kế hoạch của UBND quận/huyện: a pilot district's own plan (issue 14.2).
        PLAN = "plan", _("District plan")

    kind = models.CharField(
        _("kind of document"), max_length=20, choices=Kind.choices, default=Kind.EVIDENCE
    )
    unit = models.ForeignKey(
        "assignments.Unit",
        on_delete=models.PROTECT,
        related_name="documents",
        verbose_name=_("unit"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    indicators = models.ManyToManyField(
        "criteria.Indicator", related_name="documents", verbose_name=_("indicators")
    )
    title = models.CharField(_("title"), max_length=500)
    number = models.CharField(_("document number"), max_length=100, blank=True)
    issue_date = models.DateField(_("issue date"), null=True, blank=True)
    issuer = models.CharField(_("issuing body"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.WAITING
    )
    review_comment = models.TextField(_("reviewer's comment"), blank=True, max_length=4000)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True, max_length=4000)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evidence document")
        verbose_name_plural = _("evidence documents")
        ordering = ["year", "unit__position", "-created_at"]
        indexes = [models.Index(fields=["year", "unit", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["waiting", "approved", "needs_more"]),
                name="document_status_valid",
                violation_error_message=_(
                    "An evidence document's status must be waiting, approved or needs more."
                ),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["evidence", "plan"]),
                name="document_kind_valid",
                violation_error_message=_("A document is evidence or a district plan."),
            ),
            models.CheckConstraint(
                condition=~Q(title=""),
                name="document_has_title",
                violation_error_message=_("An evidence document needs a title."),
            ),
            models.CheckConstraint(
                condition=Q(
                    withdrawn_at__isnull=True, withdrawn_by__isnull=True, withdrawal_reason=""
                )
                | (
                    Q(withdrawn_at__isnull=False, withdrawn_by__isnull=False)
                    & ~Q(withdrawal_reason="")
                ),
                name="document_withdrawal_says_when_who_why",
                violation_error_message=_(
                    "A withdrawn document records when, by whom and why; a document in force "
                    "records none of these."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def latest_version(self) -> "DocumentVersion | None":
        """The current file (from prefetched versions when there are)."""
        versions = sorted(self.versions.all(), key=lambda version: version.number)
        return versions[-1] if versions else None


class StoredFile(models.Model):
    """A file kept in the evidence storage under a generated name (never the uploader's), with
    what the upload checks learned of it (evidence/uploads.py): `original_name` is only shown
    and offered as the download name."""

    file = models.FileField(_("file"), storage=evidence_storage, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    content_type = models.CharField(_("content type"), max_length=100)

    class Meta:
        abstract = True

    def take(self, checked: "CheckedUpload") -> None:
        """What the checks learned of the upload this row keeps."""
        self.original_name, self.sha256 = checked.original_name, checked.sha256
        self.size, self.content_type = checked.size, checked.content_type


class DocumentVersion(StoredFile):
    """One uploaded file of a document; replacing adds a version and never overwrites one."""

    document = models.ForeignKey(
        Document, on_delete=models.PROTECT, related_name="versions", verbose_name=_("document")
    )
    number = models.PositiveSmallIntegerField(_("version"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        ordering = ["document", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "number"], name="document_version_unique_number"
            ),
            models.CheckConstraint(
                condition=Exact(Length("sha256"), 64), name="document_version_sha256_64_chars"
            ),
            models.CheckConstraint(condition=Q(size__gt=0), name="document_version_not_empty"),
            models.CheckConstraint(
                condition=Q(number__gte=1),
                name="document_version_number_from_1",
                violation_error_message=_("Versions are numbered from 1."),
            ),
            models.CheckConstraint(
                condition=~Q(file=""),
                name="document_version_has_file",
                violation_error_message=_("A document version needs its file."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document} — v{self.number}"


class Explanation(models.Model):
    """A unit's explanation (giải trình) of missing evidence for an indicator in a year."""

    unit = models.ForeignKey(
        "assignments.Unit",
        on_delete=models.PROTECT,
        related_name="explanations",
        verbose_name=_("unit"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    indicator = models.ForeignKey(
        "criteria.Indicator",
        on_delete=models.PROTECT,
        related_name="explanations",
        verbose_name=_("indicator"),
    )
    text = models.TextField(_("explanation"), max_length=4000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("written by"),
    )
    updated_at = models.DateTimeField(_("last changed at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("explanation")
        verbose_name_plural = _("explanations")
        ordering = ["year", "unit__position", "indicator__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "indicator"], name="one_explanation_per_unit_year_indicator"
            ),
            models.CheckConstraint(
                condition=~Q(text=""),
                name="explanation_not_empty",
                violation_error_message=_("An explanation cannot be empty."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} — {self.unit} — {self.year}"


class UncommittedFile(models.Model):
    """An evidence file stored before the rows that name it are committed (a year archive's
    import stores its files first, evidence/services.py): a receipt, committed before the file
    is written and deleted once those rows are. A receipt left behind means the process died in
    between; `manage.py clear_abandoned_files` (and the next import) delete such a file unless a
    version names it."""

    name = models.CharField(_("stored name"), max_length=255, unique=True)
    stored_at = models.DateTimeField(_("stored at"), auto_now_add=True)

    class Meta:
        verbose_name = _("file not yet committed")
        verbose_name_plural = _("files not yet committed")

    def __str__(self) -> str:
        return self.name
