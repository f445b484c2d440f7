"""Reported values and evidence per unit and year."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .storage import evidence_storage


class YearLockedError(ValidationError):
    """Raised by every write into a year that is not open for data entry."""


class EvaluationYear(models.Model):
    """A year of evaluation; only an open year accepts writes, a year without a row accepts none."""

    class State(models.TextChoices):
        OPEN = "open", _("open")
        LOCKED = "locked", _("locked")

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evaluation year")
        verbose_name_plural = _("evaluation years")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=["open", "locked"]),
                name="evaluation_year_state_valid",
                violation_error_message=_("A year is open or locked."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} ({self.get_state_display()})"

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN


def ensure_year_open(year: int) -> None:
    """Refuse a write into a year that is locked or was never opened."""
    state = EvaluationYear.objects.filter(year=year).values_list("state", flat=True).first()
    if state == EvaluationYear.State.OPEN:
        return
    if state is None:
        message = _("The year %(year)s is not open for data entry.")
    else:
        message = _("The year %(year)s is locked: no change is accepted.")
    raise YearLockedError(message, code="year_locked", params={"year": year})


class Measurement(models.Model):
    """The value a unit reports for an indicator in a year, with its review status.

    Which fields are filled depends on the indicator's kind: `yes` for a document; `numerator` and
    `denominator`, or `value` (a percentage), for shares and rates; `value` and `previous` for a
    drop or an increase. `version` grows by one at every save (optimistic locking).
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned")
        APPROVED = "approved", _("Approved")

    indicator = models.ForeignKey(
        "criteria.Indicator",
        on_delete=models.PROTECT,
        related_name="measurements",
        verbose_name=_("indicator"),
    )
    unit = models.ForeignKey(
        "assignments.Unit",
        on_delete=models.PROTECT,
        related_name="measurements",
        verbose_name=_("unit"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    yes = models.BooleanField(_("yes/no"), null=True, blank=True)
    numerator = models.PositiveBigIntegerField(_("numerator"), null=True, blank=True)
    denominator = models.PositiveBigIntegerField(_("denominator"), null=True, blank=True)
    value = models.DecimalField(_("value"), max_digits=24, decimal_places=6, null=True, blank=True)
    previous = models.DecimalField(
        _("previous year's value"), max_digits=24, decimal_places=6, null=True, blank=True
    )
    note = models.TextField(_("note"), blank=True, max_length=4000)
    not_applicable = models.BooleanField(_("not applicable"), default=False)
    not_applicable_reason = models.TextField(_("why not applicable"), blank=True, max_length=4000)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    review_comment = models.TextField(_("reviewer's comment"), blank=True, max_length=4000)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last changed by"),
    )
    updated_at = models.DateTimeField(_("last changed at"), auto_now=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reported value")
        verbose_name_plural = _("reported values")
        ordering = ["year", "unit__position", "indicator__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "unit", "year"], name="one_measurement_per_indicator_unit_year"
            ),
            models.CheckConstraint(
                condition=Q(numerator__isnull=True)
                | Q(denominator__isnull=True)
                | Q(numerator__lte=models.F("denominator")),
                name="measurement_numerator_within_denominator",
            ),
            models.CheckConstraint(
                condition=Q(denominator__isnull=True) | Q(denominator__gt=0),
                name="measurement_denominator_positive",
            ),
            models.CheckConstraint(
                condition=Q(not_applicable=False)
                | (
                    ~Q(not_applicable_reason="")
                    & Q(
                        yes__isnull=True,
                        numerator__isnull=True,
                        denominator__isnull=True,
                        value__isnull=True,
                        previous__isnull=True,
                    )
                ),
                name="measurement_not_applicable_has_reason_and_no_value",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "submitted", "returned", "approved"]),
                name="measurement_status_valid",
                violation_error_message=_(
                    "A reported value's status must be draft, submitted, returned or approved."
                ),
            ),
            models.CheckConstraint(
                condition=Q(version__gte=1),
                name="measurement_version_from_1",
                violation_error_message=_("A reported value's version starts at 1."),
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(review_comment=""),
                name="measurement_returned_says_why",
                violation_error_message=_("A returned value must say what to correct."),
            ),
        ]
        indexes = [models.Index(fields=["year", "unit", "status"])]

    def __str__(self) -> str:
        return f"{self.indicator.code} — {self.unit} — {self.year}"

    def save(self, *args: object, **kwargs: object) -> None:
        """Every path that writes (forms, imports, admin, shell) meets the year lock here."""
        ensure_year_open(self.year)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.year:
            ensure_year_open(self.year)

    @property
    def has_data(self) -> bool:
        return any(
            field is not None
            for field in (self.yes, self.numerator, self.denominator, self.value, self.previous)
        )


class Document(models.Model):
    """An official paper proving one or more indicators of a unit in a year, with its versions.

    `year` is the year the document proves, not the upload date. A document is never deleted:
    withdrawing it records who, when and why, and keeps the row and every file.
    """

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        APPROVED = "approved", _("Approved")
        NEEDS_MORE = "needs_more", _("Needs more")

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


class DocumentVersion(models.Model):
    """One uploaded file of a document; replacing adds a version and never overwrites one.

    The stored name is generated (never the uploader's); `original_name` is only shown and offered
    as the download name.
    """

    document = models.ForeignKey(
        Document, on_delete=models.PROTECT, related_name="versions", verbose_name=_("document")
    )
    number = models.PositiveSmallIntegerField(_("version"))
    file = models.FileField(_("file"), storage=evidence_storage, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    content_type = models.CharField(_("content type"), max_length=100)
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


class ListItem(models.Model):
    """One line of the list a share is counted from: an agency and its learning-unit score, or a
    district and its yes/no. The list belongs to the entry whose numerator and denominator it
    gives, so it is reviewed, locked and kept in history with it."""

    measurement = models.ForeignKey(
        Measurement, on_delete=models.CASCADE, related_name="list_items", verbose_name=_("entry")
    )
    position = models.PositiveIntegerField(_("position"))
    name = models.CharField(_("name"), max_length=300)
    district = models.ForeignKey(
        "assignments.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district"),
    )
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, null=True, blank=True)
    flag = models.BooleanField(_("yes/no"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("list item")
        verbose_name_plural = _("list items")
        ordering = ["measurement", "position"]
        constraints = [
            models.UniqueConstraint(fields=["measurement", "name"], name="list_item_name_unique"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=100),
                name="list_item_score_within_0_100",
            ),
        ]

    def __str__(self) -> str:
        return self.name
