"""Reported values and evidence per unit and year."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


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
