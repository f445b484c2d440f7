"""Who does what: units, departments, their assignments and the plan's tasks."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from criteria.models import CriteriaSet


class UnitQuerySet(models.QuerySet):
    def existing_in(self, year: int) -> "UnitQuerySet":
        """The units that exist in an evaluation year (see `Unit.exists_in`)."""
        return self.filter(
            models.Q(valid_from__isnull=True) | models.Q(valid_from__lte=year),
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=year),
        )


class Unit(models.Model):
    """An administrative unit that is evaluated: the city, one of its districts (until the
    two-level local government of 1 July 2025) or one of its communes, wards and special zones.

    A unit exists from its first evaluation year to its last; what it became (one unit for a
    merge, several for a split) are its successors. Its data stays under it, in the years it
    existed: a successor starts with none, and a figure it compares with last year's is typed,
    never summed from its predecessors.
    """

    class Kind(models.TextChoices):
        CITY = "city", _("City")
        URBAN_DISTRICT = "urban", _("Urban district")
        RURAL_DISTRICT = "rural", _("Rural district")
        WARD = "ward", _("Ward")
        COMMUNE = "commune", _("Commune")
        SPECIAL_ZONE = "special_zone", _("Special zone")

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent unit"),
    )
    valid_from = models.PositiveSmallIntegerField(
        _("first year"),
        null=True,
        blank=True,
        help_text=_("The first evaluation year the unit exists in; empty: from the start."),
    )
    valid_to = models.PositiveSmallIntegerField(
        _("last year"),
        null=True,
        blank=True,
        help_text=_("The last evaluation year the unit exists in; empty while it exists."),
    )
    successors = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="predecessors",
        verbose_name=_("became"),
        help_text=_(
            "The unit or units it became (a merge, a split), from the year after its last."
        ),
    )
    #: The rounds the unit takes part in as a pilot (a district round names its pilots).
    pilot_rounds = models.ManyToManyField(
        "criteria.Round", blank=True, related_name="pilots", verbose_name=_("pilot in rounds")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["position", "code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_from__isnull=True)
                | models.Q(valid_to__isnull=True)
                | models.Q(valid_from__lte=models.F("valid_to")),
                name="unit_years_in_order",
                violation_error_message=_("A unit's first year cannot come after its last."),
            ),
            models.CheckConstraint(
                condition=models.Q(
                    kind__in=["city", "urban", "rural", "ward", "commune", "special_zone"]
                ),
                name="unit_kind_valid",
                violation_error_message=_("Unknown kind of unit."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_city(self) -> bool:
        return self.kind == self.Kind.CITY

    @property
    def level(self) -> str:
        """The level of the criteria sets the unit is evaluated against (`CriteriaSet.Level`)."""
        return LEVEL_OF_KIND[self.kind]

    def exists_in(self, year: int) -> bool:
        """Whether the unit exists in an evaluation year: within its first and last years."""
        return (self.valid_from is None or self.valid_from <= year) and (
            self.valid_to is None or year <= self.valid_to
        )


LEVEL_OF_KIND = {
    Unit.Kind.CITY: CriteriaSet.Level.CITY,
    Unit.Kind.URBAN_DISTRICT: CriteriaSet.Level.DISTRICT,
    Unit.Kind.RURAL_DISTRICT: CriteriaSet.Level.DISTRICT,
    Unit.Kind.WARD: CriteriaSet.Level.COMMUNE,
    Unit.Kind.COMMUNE: CriteriaSet.Level.COMMUNE,
    Unit.Kind.SPECIAL_ZONE: CriteriaSet.Level.COMMUNE,
}


class UnitNotInYearError(ValidationError):
    """Raised by every write of a unit's data into a year the unit did not exist in."""


def ensure_unit_exists(unit: Unit, year: int) -> None:
    """Refuse a write of a unit's data into a year outside the unit's years: a district's data
    stays in the years it existed, a new ward's starts with its first year."""
    if not unit.exists_in(year):
        raise UnitNotInYearError(
            _("%(unit)s does not exist in %(year)s: its data belongs to the years it existed."),
            code="unit_not_in_year",
            params={"unit": unit.name, "year": year},
        )


class Department(models.Model):
    """A division or unit that carries out tasks; a district education office names its district."""

    class Kind(models.TextChoices):
        DIVISION = "division", _("Division of the Department")
        UNION = "union", _("Trade union")
        DISTRICT_OFFICE = "district_office", _("District education office")
        COMMUNE_OFFICE = "commune_office", _("Commune office")
        INSTITUTION = "institution", _("School, university or centre")

    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    unit = models.OneToOneField(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="education_office",
        verbose_name=_("unit served"),
        help_text=_(
            "Only for a district education office or a commune office: the unit it serves."
        ),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["position", "name"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind__in=["district_office", "commune_office"])
                    & models.Q(unit__isnull=False)
                )
                | (
                    ~models.Q(kind__in=["district_office", "commune_office"])
                    & models.Q(unit__isnull=True)
                ),
                name="department_unit_only_for_unit_office",
                violation_error_message=_(
                    "A district education office names its district, a commune office its "
                    "commune; other departments name none."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name


#: The departments bound to one unit, whose people enter that unit's data only: a district's
#: education office (the 2022 pilot), a commune's office (from the 2025 reorganisation).
UNIT_OFFICES = (Department.Kind.DISTRICT_OFFICE, Department.Kind.COMMUNE_OFFICE)


class Role(models.TextChoices):
    """Whether a department leads (chủ trì) a piece of work or coordinates (phối hợp) it."""

    LEAD = "lead", _("Lead")
    COORDINATE = "coordinate", _("Coordinating")


class Assignment(models.Model):
    """A department's part in an indicator, with the plan's own wording of that part."""

    indicator = models.ForeignKey(
        "criteria.Indicator",
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("indicator"),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("department"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    role_text = models.CharField(
        _("wording in the plan"),
        max_length=200,
        blank=True,
        help_text=_("The plan's verb for this part, verbatim, e.g. “tham mưu, tổng hợp”."),
    )

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["indicator", "role", "department__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "department"], name="assignment_unique_per_department"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} — {self.department} ({self.get_role_display()})"


class PlanTask(models.Model):
    """One of the tasks of the plan's first appendix table."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    content = models.TextField(_("content"))
    lead_text = models.CharField(_("lead (as written in the plan)"), max_length=300, blank=True)
    coordinating_text = models.CharField(
        _("coordinating (as written in the plan)"), max_length=300, blank=True
    )
    timeframe = models.CharField(_("timeframe"), max_length=100, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    completed_on = models.DateField(
        _("completed on"),
        null=True,
        blank=True,
        help_text=_("Set by the standing office when the task is done; empty while it is open."),
    )
    completion_proof = models.CharField(
        _("proof of completion"),
        max_length=300,
        blank=True,
        help_text=_("The report or minutes that prove the task done: its number, date and issuer."),
    )
    departments = models.ManyToManyField(
        Department,
        through="PlanTaskAssignment",
        related_name="plan_tasks",
        verbose_name=_("departments"),
    )

    class Meta:
        verbose_name = _("plan task")
        verbose_name_plural = _("plan tasks")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.content}"

    def departments_in(self, role: str) -> list[Department]:
        """The departments taking the task in a role (from the prefetched roles, leads first):
        the plan writes two lead bodies in one phrase; they are two departments."""
        return [entry.department for entry in self.roles.all() if entry.role == role]

    @property
    def lead_departments(self) -> list[Department]:
        return self.departments_in(Role.LEAD)

    @property
    def coordinating_departments(self) -> list[Department]:
        return self.departments_in(Role.COORDINATE)

    def is_overdue(self, today: date) -> bool:
        """Past its due date and not completed (a task without a due date is never overdue)."""
        return self.completed_on is None and self.due_date is not None and self.due_date < today


class PlanTaskAssignment(models.Model):
    """A department's part in a plan task: lead or coordinating."""

    task = models.ForeignKey(
        PlanTask, on_delete=models.CASCADE, related_name="roles", verbose_name=_("plan task")
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.CASCADE,
        related_name="plan_task_roles",
        verbose_name=_("department"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("plan task assignment")
        verbose_name_plural = _("plan task assignments")
        ordering = ["task", "role", "department__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "department"], name="plan_task_assignment_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task.number} — {self.department} ({self.get_role_display()})"


class Membership(models.Model):
    """Binds a person to the one department they work for."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="membership",
        verbose_name=_("user"),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("department"),
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} — {self.department}"


class AccountSettings(models.Model):
    """What the portal keeps about an account beyond Django's user: whether its password is a
    temporary one, set by an administrator, that must be changed at the next login, and whether the
    person wants their notifications by e-mail. Without a row: neither temporary, and e-mail on."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="account_settings",
        verbose_name=_("user"),
    )
    must_change_password = models.BooleanField(_("must change the password"), default=False)
    wants_email = models.BooleanField(_("notifications by e-mail"), default=True)

    class Meta:
        verbose_name = _("account settings")
        verbose_name_plural = _("account settings")

    def __str__(self) -> str:
        return str(self.user)


class AuditEntry(models.Model):
    """One change to how the portal is run — an account, a membership, a pilot flag, a year's
    state — with who made it, when, what changed and, where one is asked, why. Written by the
    services of `assignments.administration.services`, read on the administration log; never edited.

    `changes` is a list of {"field", "old", "new"}: the field's name (its label is the display's,
    in the reader's language), the values as they read (names, which stay Vietnamese; True/False;
    a year's state)."""

    class Action(models.TextChoices):
        ACCOUNT_CREATED = "account_created", _("Account created")
        ACCOUNT_CHANGED = "account_changed", _("Account changed")
        PASSWORD_SET = "password_set", _("Temporary password set")
        ACCOUNT_UNLOCKED = "account_unlocked", _("Login unlocked")
        PILOT_CHANGED = "pilot_changed", _("Pilot districts changed")
        ROUND_CHANGED = "round_changed", _("Round calendar changed")
        YEAR_OPENED = "year_opened", _("Year opened")
        YEAR_LOCKED = "year_locked", _("Year locked")
        YEAR_REOPENED = "year_reopened", _("Locked year reopened")
        TASK_DONE = "task_done", _("Plan task done")
        TASK_REOPENED = "task_reopened", _("Plan task reopened")
        UNITS_CHANGED = "units_changed", _("Units changed")
        API_TOKEN_ISSUED = "api_token_issued", _("API token issued")
        API_TOKEN_ROTATED = "api_token_rotated", _("API token replaced")
        API_TOKEN_REVOKED = "api_token_revoked", _("API token revoked")

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("by"),
    )
    action = models.CharField(_("action"), max_length=30, choices=Action.choices)
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("account"),
        help_text=_("The account the change is about, if it is about one."),
    )
    subject = models.CharField(_("subject"), max_length=300)
    changes = models.JSONField(_("changes"), default=list, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("administration log entry")
        verbose_name_plural = _("administration log")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.get_action_display()} {self.subject}"


class PasswordResetRequest(models.Model):
    """One request of a password reset e-mail: kept a day, to hold each address and each client to
    a few requests an hour (in the database, so the limit holds without a shared cache)."""

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    address = models.CharField(_("e-mail address"), max_length=254, db_index=True)
    client = models.CharField(_("client address"), max_length=45, blank=True, db_index=True)

    class Meta:
        verbose_name = _("password reset request")
        verbose_name_plural = _("password reset requests")

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.address}"
