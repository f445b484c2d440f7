"""Writes of who does what."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from criteria.importing import CriteriaSetPlan, criteria_set_import
from criteria.models import CriteriaSet, Indicator

from .caching import CATALOGUE
from .models import Assignment, Department, Role
from .permissions import Actor, can_choose_recognition_rule

#: The wording of the assignment that makes each district office lead its own self-evaluation.
DISTRICT_ROLE_TEXT = "tự đánh giá"


#: The offices that evaluate their own unit against a set of each level.
OFFICE_OF_LEVEL = {
    CriteriaSet.Level.DISTRICT: Department.Kind.DISTRICT_OFFICE,
    CriteriaSet.Level.COMMUNE: Department.Kind.COMMUNE_OFFICE,
}


def offices_lead(level: str) -> bool:
    """Whether adopting a set of this level makes every office of that level lead its
    indicators: a district or a commune set (the offices evaluate their own units)."""
    return level in OFFICE_OF_LEVEL


def criteria_set_adopt(*, plan: CriteriaSetPlan) -> CriteriaSet:
    """Import a planned criteria set (criteria/importing.py) and say who does its work, all or
    nothing: for a district set, every district education office leads every indicator (role
    text "tự đánh giá"), which is what lets each office enter its own district's values; a city
    set's leads are assigned by the standing office afterwards. The import view, the
    `import_criteria` command and the demo data all import through here."""
    with transaction.atomic():
        criteria_set = criteria_set_import(plan=plan)
        if offices_lead(criteria_set.level):
            offices_lead_set(
                criteria_set, Department.objects.filter(kind=OFFICE_OF_LEVEL[criteria_set.level])
            )
    return criteria_set


def offices_lead_set(criteria_set: CriteriaSet, offices: Iterable[Department]) -> None:
    """Each office leads every indicator of the set (role text «tự đánh giá»)."""
    indicators = Indicator.objects.filter(criterion__standard__criteria_set=criteria_set)
    offices = list(offices)
    Assignment.objects.bulk_create(
        Assignment(
            indicator=indicator, department=office, role=Role.LEAD, role_text=DISTRICT_ROLE_TEXT
        )
        for indicator in indicators
        for office in offices
    )
    CATALOGUE.forget()  # bulk_create sends no signal


def criteria_set_rule_set(
    *, actor: Actor, criteria_set: CriteriaSet, rule: str, min_met: int | None
) -> CriteriaSet:
    """The standing office names the recognition rule of a set (the plan states none): every
    standard met, or at least `min_met` of its indicators. Not for a set a locked year uses: its
    verdicts are the ones the committee read."""
    if not can_choose_recognition_rule(actor):
        raise PermissionDenied(_("Only the standing office chooses a set's recognition rule."))
    with transaction.atomic():
        locked = CriteriaSet.objects.select_for_update().get(pk=criteria_set.pk)
        if locked.is_locked:
            raise ValidationError(
                _("A year using this set is locked: its recognition rule no longer changes."),
                code="locked",
            )
        total = Indicator.objects.filter(criterion__standard__criteria_set=locked).count()
        if rule == CriteriaSet.Rule.MIN_INDICATORS and not (min_met and 1 <= min_met <= total):
            raise ValidationError(
                {
                    "min_indicators_met": _(
                        "Say how many of the %(total)s indicators must be met (1 to %(total)s)."
                    )
                    % {"total": total}
                },
                code="min_met",
            )
        locked.recognition_rule = rule
        locked.min_indicators_met = min_met if rule == CriteriaSet.Rule.MIN_INDICATORS else None
        locked.full_clean()
        locked.save(update_fields=["recognition_rule", "min_indicators_met"])
    return locked
