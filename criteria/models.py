"""The criteria catalogue (criteria sets, their standards, criteria and indicators) and the
evaluation years they are applied in."""

import functools
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connections, models, router, transaction
from django.db.models import F, Q, QuerySet
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.numbers import trim_decimal

from .scoring import KINDS, Kind


class YearLockedError(ValidationError):
    """Raised by every write into a year that is not open for data entry."""


class EvaluationYear(models.Model):
    """A year of evaluation; only an open year accepts writes, a year without a row accepts none."""

    class State(models.TextChoices):
        OPEN = "open", _("open")
        LOCKED = "locked", _("locked")

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    # The table keeps the name it had when the year lived in the evidence app.
    history = HistoricalRecords(table_name="evidence_historicalevaluationyear")

    class Meta:
        db_table = "evidence_evaluationyear"
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
    def is_locked(self) -> bool:
        return self.state == self.State.LOCKED


def ensure_year_open(year: int) -> None:
    """Refuse a write into a year that is locked or was never opened.

    Called inside the write's transaction, it holds the year's row with a share lock until the
    transaction ends (PostgreSQL: `SELECT … FOR SHARE`; Django offers only update locks, which
    would serialise every save; SQLite serialises writers anyway), and locking a year takes the
    row for update (`evaluation_year_set_state`): a lock commits before a write or after it,
    never in between.
    """
    state = _year_state_for_write(year)
    if state == EvaluationYear.State.OPEN:
        return
    if state is None:
        message = _("The year %(year)s is not open for data entry.")
    else:
        message = _("The year %(year)s is locked: no change is accepted.")
    raise YearLockedError(message, code="year_locked", params={"year": year})


def _year_state_for_write(year: int) -> str | None:
    connection = connections[router.db_for_write(EvaluationYear)]
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT state FROM {connection.ops.quote_name(EvaluationYear._meta.db_table)} "
                "WHERE year = %s FOR SHARE",
                [year],
            )
            row = cursor.fetchone()
        return row[0] if row else None
    return EvaluationYear.objects.filter(year=year).values_list("state", flat=True).first()


def evaluation_year_set_state(*, year: EvaluationYear, state: str, user: object) -> EvaluationYear:
    """Open or lock a year, taking its row for update: a write in progress (which holds it with a
    share lock) finishes first, and every write after this commits sees the new state."""
    with transaction.atomic():
        locked = EvaluationYear.objects.select_for_update().get(pk=year.pk)
        locked.state = state
        locked._history_user = user
        locked.full_clean()
        locked.save()
    return locked


class CriteriaSet(models.Model):
    """A published set of standards for recognising a learning city or district."""

    class Level(models.TextChoices):
        CITY = "city", _("City")
        DISTRICT = "district", _("District")
        COMMUNE = "commune", _("Commune")

    class Rule(models.TextChoices):
        ALL_STANDARDS = "all_standards", _("Recognised when every standard is met")
        MIN_INDICATORS = (
            "min_indicators",
            _("Recognised when at least a number of indicators is met"),
        )
        LEVELS = "levels", _("Recognised at the levels the set defines")

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=300)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    recognition_rule = models.CharField(
        _("recognition rule"), max_length=30, choices=Rule.choices, default=Rule.ALL_STANDARDS
    )
    min_indicators_met = models.PositiveSmallIntegerField(
        _("indicators to meet"),
        null=True,
        blank=True,
        help_text=_("For the rule «at least a number of indicators»: how many."),
    )
    first_year = models.PositiveSmallIntegerField(
        _("first year"),
        null=True,
        blank=True,
        help_text=_("The first evaluation year the set applies to."),
    )
    last_year = models.PositiveSmallIntegerField(
        _("last year"),
        null=True,
        blank=True,
        help_text=_("The last evaluation year the set applies to; empty while it is in force."),
    )
    validity_years = models.PositiveSmallIntegerField(
        _("recognition valid for (years)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text=_(
            "How long a recognition against this set lasts, from the meeting that decided it "
            "(3 years under the Ministry's circulars 24 and 25 of 2023); empty: it does not expire."
        ),
    )
    is_example = models.BooleanField(
        _("example"),
        default=False,
        help_text=_(
            "An example set, to try the portal: its results are shown as examples and never "
            "count in an official result."
        ),
    )

    class Meta:
        verbose_name = _("criteria set")
        verbose_name_plural = _("criteria sets")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(recognition_rule="min_indicators", min_indicators_met__gte=1)
                | (~Q(recognition_rule="min_indicators") & Q(min_indicators_met__isnull=True)),
                name="criteria_set_rule_count",
                violation_error_message=_(
                    "The rule «at least a number of indicators» needs that number (1 or more); "
                    "the other rule takes none."
                ),
            ),
            models.CheckConstraint(
                condition=Q(first_year__isnull=True)
                | Q(last_year__isnull=True)
                | Q(first_year__lte=F("last_year")),
                name="criteria_set_years_in_order",
                violation_error_message=_("The first year cannot come after the last year."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_locked(self) -> bool:
        """Whether some evaluation year the set applies to is locked: then it is never edited.

        One query per call, so it belongs on pages about one set (the admin, a set's page);
        lists annotate `criteria.selectors.criteria_sets_overview()` instead.
        """
        return self.locked_years().exists()

    def locked_years(self) -> QuerySet[EvaluationYear]:
        """The locked evaluation years within the set's years (also for a set not yet saved)."""
        years = EvaluationYear.objects.filter(state=EvaluationYear.State.LOCKED)
        if self.first_year is not None:
            years = years.filter(year__gte=self.first_year)
        if self.last_year is not None:
            years = years.filter(year__lte=self.last_year)
        return years.order_by("year")


class RecognitionLevel(models.Model):
    """A level (mức độ) a set recognises at, under its rule «levels»: the indicators the level
    asks to be met beyond those of the levels below (criteria.scoring.LevelSpec)."""

    criteria_set = models.ForeignKey(
        CriteriaSet,
        on_delete=models.CASCADE,
        related_name="levels",
        verbose_name=_("criteria set"),
    )
    number = models.PositiveSmallIntegerField(
        _("level"), validators=[MinValueValidator(1), MaxValueValidator(9)]
    )
    indicators = models.ManyToManyField(
        "Indicator", related_name="levels", verbose_name=_("indicators to meet")
    )

    class Meta:
        verbose_name = _("recognition level")
        verbose_name_plural = _("recognition levels")
        ordering = ["criteria_set", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["criteria_set", "number"], name="one_level_number_per_set"
            ),
        ]

    def __str__(self) -> str:
        return gettext("Level %(number)s") % {"number": self.number}


class Standard(models.Model):
    """A standard (tiêu chuẩn), the first level of a criteria set."""

    criteria_set = models.ForeignKey(
        CriteriaSet,
        on_delete=models.CASCADE,
        related_name="standards",
        verbose_name=_("criteria set"),
    )
    code = models.CharField(_("code"), max_length=10)
    name = models.CharField(_("name"), max_length=500)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("standard")
        verbose_name_plural = _("standards")
        ordering = ["criteria_set", "position", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["criteria_set", "code"], name="standard_code_unique_in_set"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"


class Criterion(models.Model):
    """A criterion (tiêu chí) within a standard; its code begins with the standard's code."""

    standard = models.ForeignKey(
        Standard, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("standard")
    )
    code = models.CharField(_("code"), max_length=10)
    name = models.CharField(_("name"), max_length=500)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["standard", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["standard", "code"], name="criterion_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"

    def clean(self) -> None:
        if self.standard_id and not self.code.startswith(f"{self.standard.code}."):
            raise ValidationError(
                {"code": _("A criterion's code must begin with its standard's code and a dot.")}
            )


class ListSource(models.TextChoices):
    """Where a share indicator's numerator and denominator come from when not typed."""

    DISTRICT_VERDICTS = "district_verdicts", _("Districts recognised (their verdicts)")
    AGENCY_SCORES = "agency_scores", _("Agencies rated Khá or better (score ≥ 70)")
    DISTRICT_FLAGS = "district_flags", _("Districts with a yes")
    REPORTED_LINES = "reported_lines", _("The sum of the lines its reporting departments enter")


#: Lists stored with the entry they give numbers to (measurements.ListItem); the districts'
#: verdicts are not stored but counted live (evaluation/selectors.py).
STORED_LISTS = frozenset({ListSource.AGENCY_SCORES, ListSource.DISTRICT_FLAGS})


#: Each kind as people read it, in the active language (the order of `Kind`).
KIND_CHOICES = [(kind.value, _(facts.label)) for kind, facts in KINDS.items()]
_WITHOUT_THRESHOLD = [kind.value for kind, facts in KINDS.items() if not facts.takes_threshold]


def requirement_text(kind: str, threshold: Decimal | None) -> str:
    """A requirement in plain words, in the active language ("Tối thiểu 70 %"): an indicator's,
    or a part's (its indicator's kind, its own threshold)."""
    shown = number_format(trim_decimal(threshold)) if threshold is not None else None
    match kind:
        case Kind.DOCUMENT:
            return gettext("A document exists")
        case Kind.ACTIVITY:
            return gettext("Carried out")
        case Kind.INCREASE:
            return gettext("An increase on the previous year")
        case Kind.SHARE_AT_LEAST:
            return gettext("At least %(threshold)s %%") % {"threshold": shown}
        case Kind.RATE_BELOW:
            return gettext("Below %(threshold)s %%") % {"threshold": shown}
        case Kind.DROP_AT_LEAST:
            return gettext(
                "A drop of at least %(threshold)s percentage points on the previous year"
            ) % {"threshold": shown}
    return ""


class Indicator(models.Model):
    """An indicator (chỉ báo): what is measured, how it is judged, and its threshold."""

    ListSource = ListSource
    #: The one enum of kinds (criteria/scoring.py), which also states each kind's facts.
    Kind = Kind

    criterion = models.ForeignKey(
        Criterion, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("criterion")
    )
    code = models.CharField(_("code"), max_length=12)
    text = models.TextField(_("content"))
    guidance = models.TextField(_("evaluation guidance"), blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=KIND_CHOICES)
    threshold = models.DecimalField(
        _("threshold"),
        max_digits=7,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
        help_text=_(
            "A percentage for shares and rates, percentage points for a drop; "
            "empty for documents and increases."
        ),
    )
    unit_of_measure = models.CharField(_("unit of measure"), max_length=50, blank=True)
    #: The standard a figure is measured under, where one changes over time (the poverty rate:
    #: "chuẩn nghèo đa chiều giai đoạn 2022–2025"): last year's figure is compared with only
    #: when it was measured under the same one.
    basis = models.CharField(_("measured under"), max_length=200, blank=True)
    #: What a share's or a rate's two counts count, in the plan's words ("Số học sinh bị …" /
    #: "Tổng số học sinh"); empty: the plain «Tử số» / «Mẫu số».
    numerator_label = models.CharField(_("numerator counts"), max_length=200, blank=True)
    denominator_label = models.CharField(_("denominator counts"), max_length=200, blank=True)
    accepts_growth_rate = models.BooleanField(
        _("accepts the published growth rate"),
        default=False,
        help_text=_(
            "For an increase: the published growth rate (%) may be entered instead of the two "
            "levels (e.g. GRDP at comparable prices)."
        ),
    )
    list_source = models.CharField(
        _("share counted from a list"),
        max_length=20,
        choices=ListSource.choices,
        blank=True,
        help_text=_(
            "For a share: count it from a list instead of typed numbers (districts' verdicts, "
            "agencies' learning-unit scores, or a yes/no per district)."
        ),
    )
    list_label = models.CharField(
        _("what the list counts"),
        max_length=200,
        blank=True,
        help_text=_("Shown in the explanation, e.g. “quận/huyện được công nhận”."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["criterion__standard__position", "criterion__position", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["criterion", "code"], name="indicator_code_unique"),
            models.CheckConstraint(
                condition=Q(kind__in=_WITHOUT_THRESHOLD, threshold__isnull=True)
                | (~Q(kind__in=_WITHOUT_THRESHOLD) & Q(threshold__isnull=False)),
                name="indicator_threshold_matches_kind",
                violation_error_message=_(
                    "A document, an activity and an increase take no threshold; every other "
                    "kind needs one."
                ),
            ),
            models.CheckConstraint(
                condition=Q(threshold__isnull=True) | Q(threshold__gte=0, threshold__lte=100),
                name="indicator_threshold_within_0_100",
                violation_error_message=_("A threshold must lie between 0 and 100."),
            ),
            models.CheckConstraint(
                condition=Q(accepts_growth_rate=False) | Q(kind="increase"),
                name="indicator_growth_rate_only_for_an_increase",
                violation_error_message=_("Only an increase takes a growth rate."),
            ),
            models.CheckConstraint(
                condition=Q(list_source="")
                | Q(kind="share_at_least")
                | Q(list_source="reported_lines", kind="rate_below"),
                name="indicator_list_only_for_a_share",
                violation_error_message=_(
                    "Only a share can be counted from a list (a rate too, from reported lines)."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.text}"

    @property
    def has_stored_list(self) -> bool:
        """A share whose numbers come from a list entered with it (agencies, or districts)."""
        return self.list_source in STORED_LISTS

    @property
    def has_scored_list(self) -> bool:
        """A list of agencies with their learning-unit scores (uploaded from Excel)."""
        return self.list_source == ListSource.AGENCY_SCORES

    @property
    def counts_reported_lines(self) -> bool:
        """3.2.3: numerator and denominator are the sums of the lines its reporting departments
        enter (measurements.ReportedLine), each reviewed like a value; never typed as one."""
        return self.list_source == ListSource.REPORTED_LINES

    @property
    def counts_district_verdicts(self) -> bool:
        """2.1.2: the share of districts recognised, counted from their verdicts."""
        return self.list_source == ListSource.DISTRICT_VERDICTS

    @property
    def figures(self) -> tuple[str, ...]:
        """The figures a person enters for it: its kind's, and the published growth rate where
        the indicator takes one."""
        growth = ("growth_rate",) if self.accepts_growth_rate else ()
        return (*KINDS[Kind(self.kind)].fields, *growth)

    @property
    def requirement_text(self) -> str:
        """The requirement in plain words, in the active language ("Tối thiểu 70 %")."""
        return requirement_text(self.kind, self.threshold)

    @property
    def part_list(self) -> list["IndicatorPart"]:
        """Its parts in order (prefetched where indicators are read in bulk); an indicator not
        saved yet (a workbook's preview) has the parts the preview gave it."""
        if self.pk is None:
            return self.unsaved_parts
        return list(self.parts.all())

    @functools.cached_property
    def unsaved_parts(self) -> list["IndicatorPart"]:
        """The parts of an indicator not saved yet, for a preview."""
        return []

    def clean(self) -> None:
        errors = {}
        if self.criterion_id and not self.code.startswith(f"{self.criterion.code}."):
            errors["code"] = _(
                "An indicator's code must begin with its criterion's code and a dot."
            )
        if self.kind in Kind._value2member_map_:  # an unknown kind: clean_fields() says so
            needs_threshold = KINDS[Kind(self.kind)].takes_threshold
            if needs_threshold and self.threshold is None:
                errors["threshold"] = _("This kind of indicator needs a threshold.")
            if not needs_threshold and self.threshold is not None:
                errors["threshold"] = _(
                    "A document, an activity or an increase takes no threshold."
                )
        if errors:
            raise ValidationError(errors)


class IndicatorPart(models.Model):
    """One measure of an indicator made of several (3.1.5: solid waste collected and treated, and
    wastewater), measured like a share or a rate of the indicator's kind against its own
    threshold: the indicator is met only when every part is (criteria/scoring.py)."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="parts", verbose_name=_("indicator")
    )
    code = models.CharField(_("part code"), max_length=10)
    name = models.CharField(_("name"), max_length=300)
    threshold = models.DecimalField(
        _("threshold"),
        max_digits=7,
        decimal_places=4,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("indicator part")
        verbose_name_plural = _("indicator parts")
        ordering = ["indicator", "position", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "code"], name="indicator_part_code_unique"
            ),
            models.CheckConstraint(
                condition=Q(threshold__gte=0, threshold__lte=100),
                name="indicator_part_threshold_within_0_100",
                violation_error_message=_("A threshold must lie between 0 and 100."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} ({self.code}) {self.name}"

    @property
    def requirement_text(self) -> str:
        """The part's requirement in plain words ("Tối thiểu 90 %")."""
        return requirement_text(self.indicator.kind, self.threshold)

    def clean(self) -> None:
        if self.indicator_id and not KINDS[Kind(self.indicator.kind)].is_ratio:
            raise ValidationError(_("Only a share or a rate is made of parts."))
        if self.indicator_id and self.indicator.list_source:
            raise ValidationError(_("A share counted from a list is not made of parts."))


class Round(models.Model):
    """A round of evaluation (đợt đánh giá) of one year and level, with its calendar. The dates
    inform — the year's open or locked state stays the gate for entry — except the deadline: a
    first submission after it is marked late. The units taking part in a district round (the
    pilots) are named on the units (`assignments.Unit.pilot_rounds`)."""

    evaluation_year = models.ForeignKey(
        EvaluationYear,
        on_delete=models.PROTECT,
        related_name="rounds",
        verbose_name=_("evaluation year"),
    )
    level = models.CharField(_("level"), max_length=20, choices=CriteriaSet.Level.choices)
    entry_opens_on = models.DateField(_("data entry opens on"), null=True, blank=True)
    due_on = models.DateField(
        _("deadline for data"),
        null=True,
        blank=True,
        help_text=_(
            "Districts: the self-assessment deadline. City: the deadline for the divisions."
        ),
    )
    council_on = models.DateField(_("council meeting on"), null=True, blank=True)
    committee_on = models.DateField(_("committee meeting on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evaluation round")
        verbose_name_plural = _("evaluation rounds")
        ordering = ["-evaluation_year__year", "level"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation_year", "level"], name="one_round_per_year_and_level"
            ),
            models.CheckConstraint(
                condition=Q(level__in=["city", "district"]),
                name="round_level_valid",
                violation_error_message=_("A round is of the city or of the districts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.evaluation_year.year} — {self.get_level_display()}"

    @property
    def year(self) -> int:
        return self.evaluation_year.year
