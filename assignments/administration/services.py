"""Running the portal from its own pages: accounts and their memberships, unlocking a login, the
pilot districts, opening and locking evaluation years. Every change is written here, with an
`AuditEntry` saying who made it, when, what changed and, for reopening a locked year, why.

Input is validated by the forms (a username's shape, a password under the validators); these
services keep the rules that hold whatever the caller: a locked year reopens only with a reason,
an administrator cannot take away their own access.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from criteria.models import EvaluationYear, evaluation_year_set_state

from ..models import AccountSettings, AuditEntry, Department, Membership, Unit
from ..permissions import ADMINISTRATORS_GROUP, GROUPS

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
    """A new account with a temporary password, to be changed at its first login."""
    user = User.objects.create_user(username, email=email, password=password, first_name=full_name)
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
    keeps_access = is_active and ADMINISTRATORS_GROUP in groups
    if user.pk == by.pk and not user.is_superuser and not keeps_access:
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


def account_unlock(*, by: User, user: User) -> int:
    """End a login lockout now (django-axes' reset for the username); the count of failed
    attempts cleared. Recorded even when none was left, so the log shows the request."""
    with transaction.atomic():
        cleared = axes_reset(username=user.username)
        _record(by, Action.ACCOUNT_UNLOCKED, _account_subject(user), account=user)
    return cleared


def must_change_password(user: User) -> bool:
    return AccountSettings.objects.filter(user=user, must_change_password=True).exists()


def password_changed(user: User) -> None:
    """The person chose their own password: it is no longer a temporary one."""
    AccountSettings.objects.filter(user=user).update(must_change_password=False)


# --- Pilot districts -------------------------------------------------------------------------


@transaction.atomic
def pilots_set(*, by: User, pilot_ids: Iterable[int]) -> list[dict]:
    """Make exactly these districts the pilot districts; recorded district by district."""
    wanted = set(pilot_ids)
    changes = []
    for district in Unit.objects.select_for_update().exclude(kind=Unit.Kind.CITY):
        is_pilot = district.pk in wanted
        if district.is_pilot != is_pilot:
            changes.append(_change(district.name, district.is_pilot, is_pilot))
            district.is_pilot = is_pilot
            district.save(update_fields=["is_pilot"])
    if changes:
        _record(by, Action.PILOT_CHANGED, _("Pilot districts"), changes)
    return changes


# --- Evaluation years ------------------------------------------------------------------------


@transaction.atomic
def year_open(*, by: User, year: int) -> EvaluationYear:
    """Open a new evaluation year for data entry."""
    if EvaluationYear.objects.filter(year=year).exists():
        raise ValidationError(
            _("The year %(year)s already exists."), code="year_exists", params={"year": year}
        )
    opened = EvaluationYear(year=year, state=EvaluationYear.State.OPEN)
    opened._history_user = by
    opened.full_clean()
    opened.save()
    _record(by, Action.YEAR_OPENED, str(year))
    return opened


@transaction.atomic
def year_lock(*, by: User, year: EvaluationYear) -> EvaluationYear:
    """Lock an open year: from now on nothing of it changes."""
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


def log_entries() -> QuerySet[AuditEntry]:
    return AuditEntry.objects.select_related("user")


def note_temporary_password(sender, request, user, **kwargs) -> None:
    """At login (`user_logged_in`): a temporary password sends the person to change it first
    (learningcity.middleware.TemporaryPasswordMiddleware reads the session's flag)."""
    if request is not None and must_change_password(user):
        request.session[MUST_CHANGE_PASSWORD] = True
