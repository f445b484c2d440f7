"""Writes of who does what."""

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


def offices_lead(level: str) -> bool:
    """Whether adopting a set of this level makes every district education office lead its
    indicators: a district set (the offices evaluate their own districts)."""
    return level == CriteriaSet.Level.DISTRICT


def criteria_set_adopt(*, plan: CriteriaSetPlan) -> CriteriaSet:
    """Import a planned criteria set (criteria/importing.py) and say who does its work, all or
    nothing: for a district set, every district education office leads every indicator (role
    text "tự đánh giá"), which is what lets each office enter its own district's values; a city
    set's leads are assigned by the standing office afterwards. The import view, the
    `import_criteria` command and the demo data all import through here."""
    with transaction.atomic():
        criteria_set = criteria_set_import(plan=plan)
        if offices_lead(criteria_set.level):
            _district_offices_lead(criteria_set)
    return criteria_set


def _district_offices_lead(criteria_set: CriteriaSet) -> None:
    indicators = Indicator.objects.filter(criterion__standard__criteria_set=criteria_set)
    offices = list(Department.objects.filter(kind=Department.Kind.DISTRICT_OFFICE))
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
