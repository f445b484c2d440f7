"""Who may do what. Every rule of access lives here and follows from membership and assignments.

- The standing office (group "Cơ quan thường trực", and superusers) writes and reviews everything.
- A division or unit of the Sở writes the city's values of the indicators it is assigned (lead or
  coordinating).
- A district education office writes its own district's values of the indicators it is assigned,
  and sees no other district's data.
- Evidence (minh chứng) follows the same lines: a district office attaches its own district's,
  a division the city's, each for its assigned indicators; the standing office reviews it.
- The steering committee (group "Ban chỉ đạo") reads everything and writes no data.
- Every staff member (`Actor.is_staff_member`) reads the dashboards and reports
  (assignments.access.get_staff_actor); only the committee and the standing office decide; a
  district office does not compare the districts (the district matrix).
- «Việc của tôi» is a department member's work; the committee and the administrators in no
  department have none.
- Administrators (group "Quản trị hệ thống") manage accounts and memberships, and unlock logins,
  from the portal's administration pages (and Django's admin); they and the standing office open
  and lock evaluation years and choose the pilot districts.

Nothing here compares names. The `Actor` is read once per request so that pages listing many
rows ask no further question of the database, and kept in the person's session with the rights'
version (`actor_in_session`): a request whose version is current reads no membership, group or
assignment at all; any change to those (or to an account, a department, a unit or a group)
replaces the version when it commits, and every session rebuilds its rights on its next request.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser, Group, User
from django.contrib.sessions.backends.base import SessionBase
from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy

from common.caching import Generation

from .models import UNIT_OFFICES, Assignment, Department, Membership, Unit

STANDING_OFFICE_GROUP = "Cơ quan thường trực"
STEERING_COMMITTEE_GROUP = "Ban chỉ đạo"
ADMINISTRATORS_GROUP = "Quản trị hệ thống"
GROUPS = (STANDING_OFFICE_GROUP, STEERING_COMMITTEE_GROUP, ADMINISTRATORS_GROUP)
#: What each group is called in the page's language (its name, which the database and the
#: accounts workbook use, stays Vietnamese).
GROUP_LABELS = {
    STANDING_OFFICE_GROUP: gettext_lazy("Standing office"),
    STEERING_COMMITTEE_GROUP: gettext_lazy("Steering committee"),
    ADMINISTRATORS_GROUP: gettext_lazy("System administration"),
}


@dataclass(frozen=True)
class Actor:
    """What a signed-in person is allowed to be: their department, groups and assignments."""

    user_id: int | None
    department: Department | None
    is_standing_office: bool
    is_committee: bool
    is_administrator: bool
    assigned_indicator_ids: frozenset[int]

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    @property
    def office_unit_id(self) -> int | None:
        """The unit a district education office or a commune office serves (None for everyone
        else)."""
        if self.department and self.department.kind in UNIT_OFFICES:
            return self.department.unit_id
        return None

    @property
    def is_unit_office(self) -> bool:
        return self.office_unit_id is not None

    @property
    def is_staff_member(self) -> bool:
        """Anyone who works in the portal: a department member, the committee or the office."""
        return self.department is not None or self.is_standing_office or self.is_committee


ANONYMOUS = Actor(None, None, False, False, False, frozenset())


def actor_for(user: User | AnonymousUser) -> Actor:
    """The Actor for a user, cached on the user object for the rest of the request (in a
    request, learningcity.middleware puts there the one its session keeps)."""
    if not user.is_authenticated:
        return ANONYMOUS
    cached = getattr(user, "_actor", None)
    if cached is not None:
        return cached
    user._actor = _read_actor(user)
    return user._actor


def _read_actor(user: User) -> Actor:
    """The Actor as the database says (three queries)."""
    membership = Membership.objects.filter(user=user).select_related("department__unit").first()
    department = membership.department if membership else None
    groups = set(user.groups.values_list("name", flat=True))
    assigned = (
        frozenset(
            Assignment.objects.filter(department=department).values_list("indicator_id", flat=True)
        )
        if department
        else frozenset()
    )
    return Actor(
        user_id=user.pk,
        department=department,
        is_standing_office=user.is_superuser or STANDING_OFFICE_GROUP in groups,
        is_committee=STEERING_COMMITTEE_GROUP in groups,
        is_administrator=user.is_superuser or ADMINISTRATORS_GROUP in groups,
        assigned_indicator_ids=assigned,
    )


#: The rights' version: replaced when memberships, groups, assignments, accounts, departments or
#: units change (`connect_signals`).
RIGHTS = Generation("assignments:rights")
#: Where a session keeps its person's rights.
SESSION_KEY = "_rights"


def actor_in_session(user: User, session: SessionBase) -> Actor:
    """The Actor for a signed-in person, from their session when it holds the rights of the
    current version, else read from the database and kept there. Without a shared cache
    (dummy://) there is no version to trust: read every time."""
    if isinstance(caches["default"], DummyCache):
        return _read_actor(user)
    version = RIGHTS.current()
    kept = session.get(SESSION_KEY)
    if version is not None and kept and kept.get("version") == version and kept["user"] == user.pk:
        return _actor_kept(kept)
    actor = _read_actor(user)
    if version is not None:
        session[SESSION_KEY] = _kept(actor, version)
    return actor


def _row(instance: Department | Unit | None) -> dict[str, Any] | None:
    if instance is None:
        return None
    return {
        field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields
    }


def _kept(actor: Actor, version: str) -> dict[str, Any]:
    """The Actor as a session keeps it (JSON): the department and its unit as their columns."""
    department = actor.department
    return {
        "version": version,
        "user": actor.user_id,
        "department": _row(department),
        "unit": _row(department.unit) if department and department.unit_id else None,
        "standing_office": actor.is_standing_office,
        "committee": actor.is_committee,
        "administrator": actor.is_administrator,
        "assigned": sorted(actor.assigned_indicator_ids),
    }


def _actor_kept(kept: dict[str, Any]) -> Actor:
    department = Department(**kept["department"]) if kept["department"] else None
    if department is not None and kept["unit"]:
        department.unit = Unit(**kept["unit"])
    return Actor(
        user_id=kept["user"],
        department=department,
        is_standing_office=kept["standing_office"],
        is_committee=kept["committee"],
        is_administrator=kept["administrator"],
        assigned_indicator_ids=frozenset(kept["assigned"]),
    )


def _rights_changed(sender: type, **kwargs: Any) -> None:
    if sender is User and kwargs.get("update_fields") == frozenset({"last_login"}):
        return  # a login changes nobody's rights
    RIGHTS.forget()


def connect_signals() -> None:
    """Called once by AssignmentsConfig.ready()."""
    for model in (Membership, Assignment, Department, Unit, Group, User):
        for signal in (post_save, post_delete):
            signal.connect(_rights_changed, sender=model, dispatch_uid=f"rights:{model.__name__}")
    m2m_changed.connect(_rights_changed, sender=User.groups.through, dispatch_uid="rights:groups")


def can_see_unit(actor: Actor, unit: Unit) -> bool:
    """Whether the actor may know about a unit's data at all (otherwise: 404).

    Staff of the Sở and the committee see every unit; a district office sees its own district and
    the city, never another district.
    """
    if not actor.is_staff_member:
        return False
    if actor.is_unit_office:
        return unit.pk == actor.office_unit_id or unit.is_city
    return True


def can_write_value(actor: Actor, indicator_id: int, unit: Unit) -> bool:
    """Whether the actor may enter or change a unit's value of an indicator."""
    if actor.is_standing_office:
        return True
    if indicator_id not in actor.assigned_indicator_ids:
        return False
    if actor.is_unit_office:
        return unit.pk == actor.office_unit_id
    return unit.is_city


def can_edit_entry(
    actor: Actor,
    indicator_id: int,
    unit: Unit,
    *,
    year_open: bool,
    not_applicable: bool,
    from_list: bool,
) -> bool:
    """Whether the entry form is offered: the actor writes the value, the year is open, the
    indicator is not marked not applicable (the standing office first makes it apply again, then
    values are entered: no form stands under «Không áp dụng»), and the share is not counted from a
    stored list (its numbers come from the list page)."""
    return (
        can_write_value(actor, indicator_id, unit)
        and year_open
        and not not_applicable
        and not from_list
    )


def can_write_line(actor: Actor, indicator_id: int, unit: Unit, department: Department) -> bool:
    """Whether the actor may enter or change a department's reported line of a unit's indicator
    (3.2.3 of the city): a member of that department, assigned to it; a division of the Sở
    assigned to the indicator, which compiles it (on the reporters' behalf); or the standing
    office — never for a unit the actor may not see."""
    if not can_see_unit(actor, unit):
        return False
    if actor.is_standing_office:
        return True
    if indicator_id not in actor.assigned_indicator_ids or actor.department is None:
        return False
    return actor.department.pk == department.pk or actor.department.kind == Department.Kind.DIVISION


def can_see_other_reporters(actor: Actor) -> bool:
    """Whether the actor sees every department's reported line (and who has not reported): not
    a district office, which sees its own line and the sums only — never another district's."""
    return actor.is_staff_member and not actor.is_unit_office


def has_own_work(actor: Actor) -> bool:
    """Whether the person has work of their own ("Việc của tôi"): a member of a department, which
    is assigned indicators to enter. The committee and the administrators, in no department, read
    and administer; they enter nothing of their own."""
    return actor.department is not None


def can_compare_districts(actor: Actor) -> bool:
    """Whether the actor reads the districts side by side (the district matrix): every staff
    member but a district office, which sees its own district only."""
    return actor.is_staff_member and not actor.is_unit_office


def can_manage_accounts(actor: Actor) -> bool:
    """Accounts, memberships, groups and login lockouts are the administrators' work."""
    return actor.is_administrator


def can_manage_account(user: User, account: User) -> bool:
    """Whether a person may change an account: an administrator may, except a superuser's, which
    only a superuser changes (a temporary password set on it would make its setter superuser)."""
    return can_manage_accounts(actor_for(user)) and (user.is_superuser or not account.is_superuser)


def can_run_the_pilot(actor: Actor) -> bool:
    """Opening, locking and reopening evaluation years, choosing the pilot districts, marking the
    plan's tasks done: the standing office's work, which the administrators may also do."""
    return actor.is_standing_office or actor.is_administrator


def can_manage_api_clients(actor: Actor) -> bool:
    """Issuing, rotating and revoking the tokens other systems read the API with: the
    administrators' work, as accounts are."""
    return actor.is_administrator


def can_correct_units(actor: Actor) -> bool:
    """Adding and correcting units, their years and what they became (a merge, a split): the
    standing office's work, which the administrators may also do."""
    return actor.is_standing_office or actor.is_administrator


def can_administer(actor: Actor) -> bool:
    """Whether the administration pages open at all (each page asks for its own right)."""
    return can_manage_accounts(actor) or can_run_the_pilot(actor)


def can_discuss_value(actor: Actor, indicator_id: int, unit: Unit) -> bool:
    """Writing in an entry's thread: whoever enters the value, and the standing office."""
    return can_write_value(actor, indicator_id, unit) or can_review(actor)


def can_review(actor: Actor) -> bool:
    """Approving or returning reported values and evidence is the standing office's work."""
    return actor.is_standing_office


def can_choose_recognition_rule(actor: Actor) -> bool:
    """Naming a criteria set's recognition rule is the standing office's work."""
    return can_review(actor)


def can_attach_evidence(actor: Actor, indicator_id: int, unit: Unit) -> bool:
    """Whether the actor may upload, replace or withdraw a unit's evidence of an indicator, or
    record the unit's explanation (giải trình) of missing evidence.

    The standing office: every unit and indicator. A district education office: its own district,
    for the indicators its office is assigned. A division or another unit of the Sở: the city's
    evidence, for the indicators it leads or coordinates. The committee: nothing. The same rule
    as entering the values: whoever reports a value proves it.
    """
    return can_write_value(actor, indicator_id, unit)


def can_change_document(actor: Actor, unit: Unit, indicator_ids: Iterable[int]) -> bool:
    """Replacing or withdrawing a document: the actor may attach evidence for every indicator the
    document supports (a document shared with another department's indicator is not theirs alone).
    """
    ids = list(indicator_ids)
    if actor.is_standing_office:
        return True
    return bool(ids) and all(can_attach_evidence(actor, pk, unit) for pk in ids)


def can_review_evidence(actor: Actor) -> bool:
    """Approving evidence, or asking for more, is the standing office's work."""
    return actor.is_standing_office


def progress_departments(actor: Actor) -> list[int] | None:
    """The departments whose progress the actor may read: a district office its own only (the
    other offices' statuses are other districts' data); everyone else every one (None)."""
    if actor.is_unit_office:
        return [actor.department.pk]
    return None


def can_record_decision(actor: Actor) -> bool:
    """The pilot's meetings and the recognitions decided at them (the committee's decisions) are
    recorded by a committee member or the standing office, its secretariat."""
    return actor.is_committee or actor.is_standing_office


def can_write_report(actor: Actor, unit: Unit) -> bool:
    """Writing a unit's pilot report (its results, shortcomings, causes and recommendations): the
    standing office for every unit, a district office for its own district, which issues it."""
    return actor.is_standing_office or (actor.is_unit_office and actor.office_unit_id == unit.pk)
