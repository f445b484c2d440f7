"""The words for scoring results in the active language, one table each: read by the badges of
every page (criteria/templatetags/scoring_tags.py), the committee's Excel report (in Vietnamese)
and `manage.py evaluate`."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

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
