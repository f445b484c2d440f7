"""What units report: a value per indicator, unit and year with its review status, and the lists
some shares are counted from."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assignments.models import ensure_unit_exists
from common.numbers import show_number, trim_decimal
from criteria.models import ensure_year_open


class Reviewed(models.Model):
    """A row a unit or a department reports and the standing office reviews (an entry, a
    reported line): its status, who entered, submitted and reviewed it and when, its version for
    optimistic locking, and which status it may take from which, and who may take it
    (`TRANSITIONS`)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned")
        APPROVED = "approved", _("Approved")
        NOT_APPLICABLE = "not_applicable", _("Not applicable")

    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
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
    #: First submitted after its round's deadline (a resubmission after a return is not late).
    submitted_late = models.BooleanField(_("submitted late"), default=False)
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

    #: Who reports the row, as messages name it (a unit, or a reporting department).
    reporting_name: str

    class Meta:
        abstract = True

    def check_transition(self, status: str, *, reviewer: bool) -> None:
        """Refuse a change of status that `TRANSITIONS` does not list, or that it leaves to the
        standing office (`reviewer`) when someone else asks. An entry not yet saved starts from
        none."""
        current = None if self._state.adding else self.status
        steps = TRANSITIONS[current]
        if status not in steps:
            if status in (self.Status.APPROVED, self.Status.RETURNED):
                raise ValidationError(
                    _("Indicator %(code)s of %(unit)s is not waiting for review."),
                    code="not_submitted",
                    params={"code": self.indicator.code, "unit": self.reporting_name},
                )
            raise ValidationError(
                _("Indicator %(code)s of %(unit)s cannot go from “%(old)s” to “%(new)s”."),
                code="transition",
                params={
                    "code": self.indicator.code,
                    "unit": self.reporting_name,
                    "old": self.get_status_display(),
                    "new": self.Status(status).label,
                },
            )
        if steps[status] == REVIEWER and not reviewer:
            if current == self.Status.NOT_APPLICABLE:
                raise ValidationError(
                    _(
                        "The standing office has marked this indicator not applicable to "
                        "%(unit)s: values cannot be entered."
                    ),
                    code="not_applicable",
                    params={"unit": self.reporting_name},
                )
            raise PermissionDenied(
                _("Only the standing office takes indicator %(code)s of %(unit)s to “%(new)s”.")
                % {
                    "code": self.indicator.code,
                    "unit": self.reporting_name,
                    "new": self.Status(status).label,
                }
            )


class Measurement(Reviewed):
    """The value a unit reports for an indicator in a year, with its review status.

    Which fields are filled depends on the indicator's kind: `yes` for a document; `numerator` and
    `denominator`, or `value` (a percentage), for shares and rates; `value` and `previous` for a
    drop or an increase. `version` grows by one at every save (optimistic locking). The status
    changes only as `TRANSITIONS` allows.
    """

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
    #: The standard the figures were measured under (the indicator's `basis` when saved).
    basis = models.CharField(_("measured under"), max_length=200, blank=True)
    #: An estimate («ước tính», e.g. GRDP announced in late December) that the final figure will
    #: replace: said on the dashboard, the report and the frozen record.
    is_estimate = models.BooleanField(_("estimate"), default=False)
    #: Where the previous year's figure comes from, when typed (a report, a decision).
    previous_source = models.CharField(
        _("source of last year's figure"), max_length=300, blank=True
    )
    #: The published growth rate (%), where the indicator takes one instead of two levels.
    growth_rate = models.DecimalField(
        _("growth rate (%)"), max_digits=12, decimal_places=6, null=True, blank=True
    )
    note = models.TextField(_("note"), blank=True, max_length=4000)
    not_applicable_reason = models.TextField(_("why not applicable"), blank=True, max_length=4000)

    # Tables keep the names they had when values lived in the evidence app.
    history = HistoricalRecords(table_name="evidence_historicalmeasurement")

    class Meta:
        db_table = "evidence_measurement"
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
                condition=(~Q(status="not_applicable") & Q(not_applicable_reason=""))
                | (
                    Q(status="not_applicable")
                    & ~Q(not_applicable_reason="")
                    & Q(
                        yes__isnull=True,
                        numerator__isnull=True,
                        denominator__isnull=True,
                        value__isnull=True,
                        previous__isnull=True,
                        growth_rate__isnull=True,
                    )
                ),
                name="measurement_not_applicable_has_reason_and_no_value",
                violation_error_message=_(
                    "An indicator not applicable says why and holds no value; only it has a "
                    "reason for not applying."
                ),
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=["draft", "submitted", "returned", "approved", "not_applicable"]
                ),
                name="measurement_status_valid",
                violation_error_message=_(
                    "A reported value's status must be draft, submitted, returned, approved or "
                    "not applicable."
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
        """Every path that writes (forms, imports, admin, shell) meets the year lock here, and a
        new entry the unit's years (the years of a unit are never narrowed past its data)."""
        ensure_year_open(self.year)
        if self._state.adding:
            ensure_unit_exists(self.unit, self.year)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.year:
            ensure_year_open(self.year)

    @property
    def has_data(self) -> bool:
        figures = (
            self.yes,
            self.numerator,
            self.denominator,
            self.value,
            self.previous,
            self.growth_rate,
        )
        return any(field is not None for field in figures) or any(
            part.has_data for part in self.part_values.all()
        )

    @property
    def entered_parts(self) -> list["PartValue"]:
        """The figures of its parts that hold data, in the parts' order: what a person entered
        for an indicator made of several (prefetched with their parts where entries are read
        in bulk)."""
        return [part for part in self.part_values.all() if part.has_data]

    @property
    def is_not_applicable(self) -> bool:
        return self.status == self.Status.NOT_APPLICABLE

    @property
    def reporting_name(self) -> str:
        return self.unit.name


_S = Measurement.Status
#: The review statuses that count in an official result (what the committee signs), and in the
#: provisional picture before review ends.
OFFICIAL_STATUSES = frozenset({_S.APPROVED, _S.NOT_APPLICABLE})
PROVISIONAL_STATUSES = OFFICIAL_STATUSES | {_S.SUBMITTED}
#: Who may take a step: whoever may write the value (assignments/permissions.py), or only the
#: standing office.
OFFICER, REVIEWER = "officer", "reviewer"
#: Which status an entry may take from which, and who may take it (None: no entry yet). A draft,
#: a submitted, returned or approved entry is saved again as a draft or submitted (an approved one
#: goes back to review); only a submitted entry is approved or returned, by the standing office;
#: the standing office marks any entry not applicable, and only it takes one back from there. A
#: later state (an estimate replaced by a final figure) is a row more here and in its test.
TRANSITIONS: dict[str | None, dict[str, str]] = {
    None: {_S.DRAFT: OFFICER, _S.SUBMITTED: OFFICER, _S.NOT_APPLICABLE: REVIEWER},
    _S.DRAFT: {_S.DRAFT: OFFICER, _S.SUBMITTED: OFFICER, _S.NOT_APPLICABLE: REVIEWER},
    _S.SUBMITTED: {
        _S.DRAFT: OFFICER,
        _S.SUBMITTED: OFFICER,
        _S.APPROVED: REVIEWER,
        _S.RETURNED: REVIEWER,
        _S.NOT_APPLICABLE: REVIEWER,
    },
    _S.RETURNED: {_S.DRAFT: OFFICER, _S.SUBMITTED: OFFICER, _S.NOT_APPLICABLE: REVIEWER},
    _S.APPROVED: {_S.DRAFT: OFFICER, _S.SUBMITTED: OFFICER, _S.NOT_APPLICABLE: REVIEWER},
    _S.NOT_APPLICABLE: {
        _S.DRAFT: REVIEWER,
        _S.SUBMITTED: REVIEWER,
        _S.NOT_APPLICABLE: REVIEWER,
    },
}


class PartValue(models.Model):
    """The figures of one part of an indicator made of several (criteria.IndicatorPart), for the
    entry of that indicator: reviewed, versioned, locked and kept in history with the entry.
    `version` is the entry's version when the figures were written, so the history says what a
    part held at any version of the entry."""

    measurement = models.ForeignKey(
        Measurement, on_delete=models.CASCADE, related_name="part_values", verbose_name=_("entry")
    )
    part = models.ForeignKey(
        "criteria.IndicatorPart",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("indicator part"),
    )
    numerator = models.PositiveBigIntegerField(_("numerator"), null=True, blank=True)
    denominator = models.PositiveBigIntegerField(_("denominator"), null=True, blank=True)
    value = models.DecimalField(_("value"), max_digits=24, decimal_places=6, null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("part value")
        verbose_name_plural = _("part values")
        ordering = ["measurement", "part__position", "part__code"]
        constraints = [
            models.UniqueConstraint(fields=["measurement", "part"], name="one_value_per_part"),
            models.CheckConstraint(
                condition=Q(numerator__isnull=True)
                | Q(denominator__isnull=True)
                | Q(numerator__lte=models.F("denominator")),
                name="part_value_numerator_within_denominator",
            ),
            models.CheckConstraint(
                condition=Q(denominator__isnull=True) | Q(denominator__gt=0),
                name="part_value_denominator_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measurement} ({self.part.code})"

    def save(self, *args: object, **kwargs: object) -> None:
        """The year lock holds for a part's figures as for its entry's."""
        ensure_year_open(self.measurement.year)
        super().save(*args, **kwargs)

    @property
    def has_data(self) -> bool:
        return any(f is not None for f in (self.numerator, self.denominator, self.value))

    @property
    def figures_text(self) -> str:
        """The figures as entered, numbers written the active language's way: "950/1.000" or
        "89,9 %"."""
        shown = []
        if self.numerator is not None or self.denominator is not None:
            shown.append(
                f"{show_number(self.numerator) or '—'}/{show_number(self.denominator) or '—'}"
            )
        if self.value is not None:
            shown.append(f"{show_number(trim_decimal(self.value))} %")
        return "; ".join(shown)


class ReportedLine(Reviewed):
    """One reporting department's figures for an indicator counted from such lines (3.2.3: the
    pupils affected and the pupils in total, reported by each district office, the
    upper-secondary schools, the TT GDNN-GDTX and the units under the Sở): the unit's numerator
    and denominator are the sums of the lines that count. Each line is entered by its department
    (or by the division that compiles the indicator, on its behalf) and reviewed like a value."""

    indicator = models.ForeignKey(
        "criteria.Indicator",
        on_delete=models.PROTECT,
        related_name="reported_lines",
        verbose_name=_("indicator"),
    )
    unit = models.ForeignKey(
        "assignments.Unit",
        on_delete=models.PROTECT,
        related_name="reported_lines",
        verbose_name=_("unit"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    department = models.ForeignKey(
        "assignments.Department",
        on_delete=models.PROTECT,
        related_name="reported_lines",
        verbose_name=_("reporting department"),
    )
    numerator = models.PositiveBigIntegerField(_("numerator"))
    denominator = models.PositiveBigIntegerField(_("denominator"))
    note = models.TextField(_("note"), blank=True, max_length=4000)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reported line")
        verbose_name_plural = _("reported lines")
        ordering = ["year", "indicator", "department__position", "department__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "unit", "year", "department"],
                name="one_line_per_department",
            ),
            models.CheckConstraint(
                condition=Q(numerator__lte=models.F("denominator")) & Q(denominator__gt=0),
                name="reported_line_numerator_within_denominator",
                violation_error_message=_(
                    "The numerator may not exceed the denominator, which must be above 0."
                ),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "submitted", "returned", "approved"]),
                name="reported_line_status_valid",
                violation_error_message=_(
                    "A reported line's status must be draft, submitted, returned or approved."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(review_comment=""),
                name="reported_line_returned_says_why",
                violation_error_message=_("A returned value must say what to correct."),
            ),
            models.CheckConstraint(
                condition=Q(version__gte=1),
                name="reported_line_version_from_1",
                violation_error_message=_("A reported value's version starts at 1."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} — {self.department} — {self.year}"

    def save(self, *args: object, **kwargs: object) -> None:
        """The year lock and the unit's years hold for a line as for an entry."""
        ensure_year_open(self.year)
        if self._state.adding:
            ensure_unit_exists(self.unit, self.year)
        super().save(*args, **kwargs)

    @property
    def reporting_name(self) -> str:
        return self.department.name


class Rating(models.TextChoices):
    """A learning unit's rating as Thông tư 22/2020/TT-BGDĐT publishes it."""

    GOOD = "tot", "Tốt"
    FAIR = "kha", "Khá"
    AVERAGE = "trung_binh", "Trung bình"
    NOT_PASSED = "chua_dat", "Chưa đạt"
    NOT_RATED = "chua_danh_gia", "Chưa đánh giá"


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
    #: The rating Thông tư 22/2020 publishes (Tốt / Khá / Trung bình / Chưa đạt), or "Chưa đánh
    #: giá": an agency not rated yet, which stays in the denominator.
    rating = models.CharField(_("rating"), max_length=20, choices=Rating.choices, blank=True)
    rating_year = models.PositiveSmallIntegerField(_("year rated"), null=True, blank=True)
    decision_number = models.CharField(_("decision number"), max_length=100, blank=True)
    flag = models.BooleanField(_("yes/no"), null=True, blank=True)
    history = HistoricalRecords(table_name="evidence_historicallistitem")

    class Meta:
        db_table = "evidence_listitem"
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


class ValueComment(models.Model):
    """A message in an entry's thread between whoever enters the value and the standing office;
    a return's comment is one (issue 15.4). Never edited: the thread is a record."""

    measurement = models.ForeignKey(
        Measurement,
        on_delete=models.CASCADE,
        related_name="comments",
        verbose_name=_("reported value"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    text = models.TextField(_("message"), max_length=2000)
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        verbose_name = _("message about a value")
        verbose_name_plural = _("messages about values")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.measurement_id}: {self.text[:40]}"
