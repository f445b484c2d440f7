"""The words for scoring results in the active language, one table each: read by the badges of
every page (criteria/templatetags/scoring_tags.py), the committee's Excel report (in Vietnamese)
and `manage.py evaluate`."""

from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from .models import CriteriaSet
from .scoring import Status, Verdict

#: An indicator's, a criterion's or a standard's status: Đạt / Không đạt / Chưa có số liệu / …
STATUS_LABELS = {
    Status.MET.value: _("Met"),
    Status.NOT_MET.value: _("Not met"),
    Status.NO_DATA.value: _("No data"),
    Status.NOT_APPLICABLE.value: _("Not applicable"),
}
#: The recognition verdict: Đạt — đủ điều kiện công nhận / Không đạt / Chưa đủ dữ liệu.
VERDICT_LABELS = {
    Verdict.RECOGNIZED.value: pgettext_lazy("verdict", "Recognised"),
    Verdict.NOT_RECOGNIZED.value: pgettext_lazy("verdict", "Not recognised"),
    Verdict.INCOMPLETE.value: pgettext_lazy("verdict", "Incomplete"),
}


def verdict_text(verdict: str, level: int | None) -> str:
    """The verdict in words; under the rule «levels», the level reached: «Đạt mức độ 1»."""
    if level is not None:
        return gettext("Met: level %(level)s") % {"level": level}
    return str(VERDICT_LABELS[verdict])


def recognition_rule_text(rule: str, min_met: int | None, total: int) -> str:
    """The roll-up rule a criteria set names, in a sentence: the plan states none, so the
    dashboard says that this one is the portal's, chosen for the set."""
    if rule == CriteriaSet.Rule.LEVELS:
        return gettext(
            "Recognised at level 1 when its indicators are met, at a higher level when that "
            "level's indicators and those of every level below are met."
        )
    if rule == CriteriaSet.Rule.MIN_INDICATORS:
        return gettext(
            "Recognised when at least %(count)s of the %(total)s indicators are met."
        ) % {"count": min_met, "total": total}
    return gettext("Recognised when every standard is met.")
