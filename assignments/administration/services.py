"""Running the portal from its own pages: accounts and their memberships, unlocking a login,
opening and locking evaluation years, each year's rounds with their calendar and pilot districts,
plan tasks done, units and their successions. Every change is written
here, with an `AuditEntry` saying who made it, when, what changed and, where a reason is asked
(reopening a locked year or a done task), why.

Input is validated by the forms (a username's shape, a password under the validators); these
services keep the rules that hold whatever the caller: a locked year reopens only with a reason,
an administrator cannot take away their own access.
"""

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import pairwise
from typing import TYPE_CHECKING

from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from criteria.models import CriteriaSet, EvaluationYear, Round, evaluation_year_set_state

from ..models import (
    AccountSettings,
    AuditEntry,
    Department,
    Membership,
    PasswordResetRequest,
    PlanTask,
    Unit,
)
from ..permissions import ADMINISTRATORS_GROUP, GROUPS
from ..selectors import subdivisions
from ..units import UnitsPlan, units_apply

if TYPE_CHECKING:
    from .workbook import NewAccount

Action = AuditEntry.Action
#: The session key that holds a person on the password change page (set at login, read by
#: learningcity.middleware.TemporaryPasswordMiddleware, removed by the change).
MUST_CHANGE_PASSWORD = "must_change_password"


def _record(
    by: User, action: str, subject: str, changes=(), reason: str = "", account: User | None = None
) -> AuditEntry:
    return AuditEntry.objects.create(
        user=by,
        action=action,
        subject=subject,
        changes=list(changes),
        reason=reason,
        account=account,
    )


def _change(field: str, old: object, new: object) -> dict:
    return {"field": field, "old": old, "new": new}


def _account_subject(user: User) -> str:
    name = user.get_full_name()
    return f"{user.username} ({name})" if name else user.username


# --- Accounts --------------------------------------------------------------------------------


@dataclass(frozen=True)
class AccountRow:
    """One account as the administration lists it."""

    user: User
    department: Department | None
    groups: list[str]
    locked_until: datetime | None
    must_change_password: bool


def accounts() -> list[AccountRow]:
    """Every account with its department, groups and whether its login is locked out now (three
    queries whatever the number of accounts)."""
    users = list(
        User.objects.select_related("membership__department", "account_settings")
        .prefetch_related("groups")
        .order_by("username")
    )
    locks = locked_out_until()
    rows = []
    for user in users:
        membership = getattr(user, "membership", None)
        account_settings = getattr(user, "account_settings", None)
        rows.append(
            AccountRow(
                user=user,
                department=membership.department if membership else None,
                groups=sorted(group.name for group in user.groups.all()),
                locked_until=locks.get(user.username),
                must_change_password=bool(
                    account_settings and account_settings.must_change_password
                ),
            )
        )
    return rows


def locked_out_until(username: str | None = None) -> dict[str, datetime]:
    """Username → when its login lockout ends, for the usernames locked out now (django-axes:
    `AXES_FAILURE_LIMIT` failures within `AXES_COOLOFF_TIME`, from any client)."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    attempts: QuerySet = AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=since
    )
    if username is not None:
        attempts = attempts.filter(username=username)
    latest = attempts.values("username").annotate(last=Max("attempt_time"))
    return {row["username"]: row["last"] + settings.AXES_COOLOFF_TIME for row in latest}


def _set_groups(user: User, names: Iterable[str]) -> None:
    """The account's groups; an administrator also opens Django's admin (`is_staff`)."""
    wanted = [name for name in GROUPS if name in set(names)]
    user.groups.set([Group.objects.get_or_create(name=name)[0] for name in wanted])
    is_staff = user.is_superuser or ADMINISTRATORS_GROUP in wanted
    if user.is_staff != is_staff:
        user.is_staff = is_staff
        user.save(update_fields=["is_staff"])


def _set_department(user: User, department: Department | None) -> None:
    if department is None:
        Membership.objects.filter(user=user).delete()
    else:
        Membership.objects.update_or_create(user=user, defaults={"department": department})


def _require_temporary(user: User) -> None:
    AccountSettings.objects.update_or_create(user=user, defaults={"must_change_password": True})


@transaction.atomic
def account_create(
    *,
    by: User,
    username: str,
    full_name: str,
    email: str,
    department: Department | None,
    groups: Iterable[str],
    password: str,
) -> User:
    """A new account with a temporary password, to be changed at its first login. A username
    taken meanwhile (by another administrator's request) is refused, not a server error."""
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                username, email=email, password=password, first_name=full_name
            )
    except IntegrityError as error:
        raise ValidationError(
            _("An account with this username already exists."), code="username_taken"
        ) from error
    _set_department(user, department)
    _set_groups(user, groups)
    _require_temporary(user)
    _record(
        by,
        Action.ACCOUNT_CREATED,
        _account_subject(user),
        [
            _change("department", None, department.name if department else None),
            _change("groups", None, ", ".join(sorted(groups)) or None),
            _change("email", None, email or None),
        ],
        account=user,
    )
    return user


def temporary_password(user: User) -> str:
    """A random temporary password that the portal's validators accept for this account: twelve
    letters and digits, none easily confused (0/O, 1/l/I), in groups of four."""
    alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    while True:
        letters = "".join(secrets.choice(alphabet) for _ in range(12))
        password = "-".join(letters[start : start + 4] for start in (0, 4, 8))
        try:
            password_validation.validate_password(password, user)
        except ValidationError:
            continue
        return password


@transaction.atomic
def accounts_create_many(*, by: User, accounts: Iterable["NewAccount"]) -> list[tuple[User, str]]:
    """Every account of a checked list (assignments.administration.workbook), each with its own
    random temporary password — all or none. The passwords are returned to be shown once."""
    created = []
    for account in accounts:
        provisional = User(
            username=account.username, first_name=account.full_name, email=account.email
        )
        password = temporary_password(provisional)
        user = account_create(
            by=by,
            username=account.username,
            full_name=account.full_name,
            email=account.email,
            department=account.department,
            groups=account.groups,
            password=password,
        )
        created.append((user, password))
    return created


@transaction.atomic
def account_update(
    *,
    by: User,
    user: User,
    full_name: str,
    email: str,
    department: Department | None,
    groups: Iterable[str],
    is_active: bool,
) -> list[dict]:
    """Change an account's name, e-mail, department, groups or whether it may log in; recorded
    field by field. An administrator may not deactivate their own account or leave the
    administrators' group (the portal would be left without anyone to run it)."""
    groups = sorted(set(groups))
    keeps_access = is_active and (user.is_superuser or ADMINISTRATORS_GROUP in groups)
    if user.pk == by.pk and not keeps_access:
        raise ValidationError(
            _("You cannot deactivate your own account or leave the administrators' group."),
            code="own_access",
        )
    membership = Membership.objects.filter(user=user).select_related("department").first()
    old_department = membership.department if membership else None
    old_groups = sorted(user.groups.values_list("name", flat=True))
    changes = []
    for field, old, new in (
        ("full_name", user.first_name, full_name),
        ("email", user.email, email),
        ("is_active", user.is_active, is_active),
        (
            "department",
            old_department.name if old_department else None,
            department.name if department else None,
        ),
        ("groups", ", ".join(old_groups) or None, ", ".join(groups) or None),
    ):
        if old != new:
            changes.append(_change(field, old, new))
    if not changes:
        return []
    user.first_name, user.email, user.is_active = full_name, email, is_active
    user.save(update_fields=["first_name", "email", "is_active"])
    _set_department(user, department)
    _set_groups(user, groups)
    _record(by, Action.ACCOUNT_CHANGED, _account_subject(user), changes, account=user)
    return changes


@transaction.atomic
def account_set_temporary_password(*, by: User, user: User, password: str) -> None:
    """A new temporary password (validated by the form), to be changed at the next login."""
    user.set_password(password)
    user.save(update_fields=["password"])
    _require_temporary(user)
    _record(by, Action.PASSWORD_SET, _account_subject(user), account=user)


def account_unlock(*, by: User, user: User) -> None:
    """End a login lockout now (django-axes' reset for the username), clearing the failed
    attempts. Recorded even when none was left, so the log shows the request."""
    with transaction.atomic():
        axes_reset(username=user.username)
        _record(by, Action.ACCOUNT_UNLOCKED, _account_subject(user), account=user)


def notification_email_set(*, user: User, wants_email: bool) -> AccountSettings:
    """A person turns their notification e-mail on or off (their own choice, not logged)."""
    account_settings, _created = AccountSettings.objects.update_or_create(
        user=user, defaults={"wants_email": wants_email}
    )
    return account_settings


def must_change_password(user: User) -> bool:
    return AccountSettings.objects.filter(user=user, must_change_password=True).exists()


def password_reset_request(*, address: str, client: str | None) -> bool:
    """Record a request for a password reset e-mail; whether it is within the hour's limits for
    the address and for the client (settings.PASSWORD_RESETS_PER_ADDRESS / _PER_CLIENT). A request
    over a limit is recorded too, so that hammering never opens the gate again. The limits hold
    whether or not the address belongs to an account (which the page never tells)."""
    now = timezone.now()
    address = address.strip().casefold()
    with transaction.atomic():
        PasswordResetRequest.objects.filter(at__lt=now - timedelta(days=1)).delete()
        recent = PasswordResetRequest.objects.filter(at__gte=now - timedelta(hours=1))
        within = recent.filter(address=address).count() < settings.PASSWORD_RESETS_PER_ADDRESS
        if client:
            within = within and (
                recent.filter(client=client).count() < settings.PASSWORD_RESETS_PER_CLIENT
            )
        PasswordResetRequest.objects.create(address=address, client=client or "")
    return within


def password_changed(user: User) -> None:
    """The person chose their own password: it is no longer a temporary one."""
    AccountSettings.objects.filter(user=user).update(must_change_password=False)


# --- Rounds and their pilot districts ------------------------------------------------------

#: A round's calendar, in the order its dates follow one another.
ROUND_CALENDAR = ("entry_opens_on", "due_on", "council_on", "committee_on")


@transaction.atomic
def round_save(
    *,
    by: User,
    year: EvaluationYear,
    level: str,
    calendar: dict[str, date | None],
    pilot_ids: Iterable[int] | None = None,
) -> list[dict]:
    """Set a year's round of a level (created the first time): its calendar and, for the
    districts' round, exactly these pilot districts. Each change is logged; the dates must
    follow one another in the calendar's order."""
    if year.is_locked:
        raise ValidationError(
            _("The year %(year)s is locked: its rounds stay as they were.") % {"year": year.year},
            code="year_locked",
        )
    given = [(name, calendar.get(name)) for name in ROUND_CALENDAR]
    dated = [(name, day) for name, day in given if day is not None]
    for (earlier, first), (later, second) in pairwise(dated):
        if second < first:
            field = Round._meta.get_field
            raise ValidationError(
                {
                    later: _("%(later)s comes before %(earlier)s.")
                    % {
                        "later": capfirst(field(later).verbose_name),
                        "earlier": field(earlier).verbose_name,
                    }
                },
                code="calendar_order",
            )
    round_, _created = Round.objects.select_for_update().get_or_create(
        evaluation_year=year, level=level
    )
    changes = [
        _change(
            str(Round._meta.get_field(name).verbose_name), _iso(getattr(round_, name)), _iso(day)
        )
        for name, day in given
        if getattr(round_, name) != day
    ]
    for name, day in given:
        setattr(round_, name, day)
    round_.full_clean()
    round_.save()
    subject = _("Round %(year)s, %(level)s") % {
        "year": year.year,
        "level": round_.get_level_display().lower(),
    }
    if changes:
        _record(by, Action.ROUND_CHANGED, subject, changes)
    pilot_changes = []
    if pilot_ids is not None and level == CriteriaSet.Level.DISTRICT:
        wanted = set(pilot_ids)
        current = set(round_.pilots.values_list("pk", flat=True))
        for district in subdivisions(year.year, CriteriaSet.Level.DISTRICT).filter(
            pk__in=wanted ^ current
        ):
            pilot_changes.append(
                _change(district.name, district.pk in current, district.pk in wanted)
            )
        round_.pilots.set(subdivisions(year.year, CriteriaSet.Level.DISTRICT).filter(pk__in=wanted))
        if pilot_changes:
            _record(by, Action.PILOT_CHANGED, subject, pilot_changes)
    return changes + pilot_changes


# --- Evaluation years ------------------------------------------------------------------------


@transaction.atomic
def year_open(*, by: User, year: int) -> EvaluationYear:
    """Open a new evaluation year for data entry (a year opened meanwhile is refused)."""
    exists = ValidationError(
        _("The year %(year)s already exists."), code="year_exists", params={"year": year}
    )
    if EvaluationYear.objects.filter(year=year).exists():
        raise exists
    opened = EvaluationYear(year=year, state=EvaluationYear.State.OPEN)
    opened._history_user = by
    try:
        with transaction.atomic():
            opened.save()
    except IntegrityError as error:
        raise exists from error
    _record(by, Action.YEAR_OPENED, str(year))
    return opened


@transaction.atomic
def year_lock(*, by: User, year: EvaluationYear) -> EvaluationYear:
    """Lock an open year: from now on nothing of it changes. The state is read again under the
    row's lock, so a second click locks (and logs) nothing more."""
    year = EvaluationYear.objects.select_for_update().get(pk=year.pk)
    if year.state == EvaluationYear.State.LOCKED:
        raise ValidationError(
            _("The year %(year)s is already locked."),
            code="already_locked",
            params={"year": year.year},
        )
    locked = evaluation_year_set_state(year=year, state=EvaluationYear.State.LOCKED, user=by)
    _record(by, Action.YEAR_LOCKED, str(year.year), [_change("state", "open", "locked")])
    return locked


@transaction.atomic
def year_reopen(*, by: User, year: EvaluationYear, reason: str) -> EvaluationYear:
    """Reopen a locked year, which must say why (the log keeps the reason)."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why the locked year is reopened."), code="reason_required")
    year = EvaluationYear.objects.select_for_update().get(pk=year.pk)
    if year.state != EvaluationYear.State.LOCKED:
        raise ValidationError(
            _("The year %(year)s is not locked."), code="not_locked", params={"year": year.year}
        )
    reopened = evaluation_year_set_state(year=year, state=EvaluationYear.State.OPEN, user=by)
    _record(
        by,
        Action.YEAR_REOPENED,
        str(year.year),
        [_change("state", "locked", "open")],
        reason=reason,
    )
    return reopened


# --- Plan tasks ------------------------------------------------------------------------------


@transaction.atomic
def task_done(*, by: User, task: PlanTask, completed_on: date, proof: str) -> PlanTask:
    """Mark a plan task done on a date, with the report or minutes that prove it (no longer
    «Quá hạn» on the progress page). Marking it again corrects the date or the proof."""
    proof = proof.strip()
    if not proof:
        raise ValidationError(
            _("Name the report or minutes that prove the task done."), code="proof_required"
        )
    if completed_on > timezone.localdate():
        raise ValidationError(_("A task cannot be done on a future date."), code="future_date")
    changes = [
        _change(field, old, new)
        for field, old, new in (
            ("completed_on", _iso(task.completed_on), completed_on.isoformat()),
            ("completion_proof", task.completion_proof or None, proof),
        )
        if old != new
    ]
    task.completed_on, task.completion_proof = completed_on, proof
    task.save(update_fields=["completed_on", "completion_proof"])
    if changes:
        _record(by, Action.TASK_DONE, _task_subject(task), changes)
    return task


@transaction.atomic
def task_reopen(*, by: User, task: PlanTask, reason: str) -> PlanTask:
    """A task marked done by mistake is open again; the reason is kept."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why the task is open again."), code="reason_required")
    changes = [
        _change("completed_on", _iso(task.completed_on), None),
        _change("completion_proof", task.completion_proof or None, None),
    ]
    task.completed_on, task.completion_proof = None, ""
    task.save(update_fields=["completed_on", "completion_proof"])
    _record(by, Action.TASK_REOPENED, _task_subject(task), changes, reason=reason)
    return task


def _unit_facts(units: Iterable[Unit]) -> dict[str, dict[str, object]]:
    """What the log compares of each unit (successors and parent as codes)."""
    return {
        unit.code: {
            "name": unit.name,
            "kind": unit.kind,
            "parent": unit.parent.code if unit.parent_id else None,
            "valid_from": unit.valid_from,
            "valid_to": unit.valid_to,
            "successors": sorted(successor.code for successor in unit.successors.all()),
            "position": unit.position,
        }
        for unit in units
    }


def units_save(*, by: User, plan: UnitsPlan) -> list[dict]:
    """Write a checked list of units (from an Excel list or one unit's page) and log each field
    it changes, a new unit's as changed from nothing."""

    def facts() -> dict[str, dict[str, object]]:
        units = Unit.objects.filter(code__in=plan.codes).select_related("parent")
        return _unit_facts(units.prefetch_related("successors"))

    with transaction.atomic():
        before = facts()
        units_apply(plan)
        after = facts()
        changes = [
            _change(f"{code} — {field}", before.get(code, {}).get(field), value)
            for code, fields in after.items()
            for field, value in fields.items()
            if before.get(code, {}).get(field) != value
        ]
        if changes:
            _record(by, Action.UNITS_CHANGED, _("Administrative units"), changes)
    return changes


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _task_subject(task: PlanTask) -> str:
    content = task.content if len(task.content) <= 120 else task.content[:119] + "…"
    return f"{task.number}. {content}"


def log_entries() -> QuerySet[AuditEntry]:
    return AuditEntry.objects.select_related("user")


def note_temporary_password(sender, request, user, **kwargs) -> None:
    """At login (`user_logged_in`): a temporary password sends the person to change it first
    (learningcity.middleware.TemporaryPasswordMiddleware reads the session's flag)."""
    if request is not None and must_change_password(user):
        request.session[MUST_CHANGE_PASSWORD] = True
