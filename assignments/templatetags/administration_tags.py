"""How an entry of the administration log reads: one change, in the reader's language."""

import re
from datetime import date

from django import template
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.templatetags.portal_tags import vietnamese
from criteria.models import EvaluationYear

register = template.Library()

#: The fields an AuditEntry's changes name; any other field is a district (pilot changes).
FIELD_LABELS = {
    "full_name": gettext_lazy("Full name"),
    "email": gettext_lazy("E-mail"),
    "is_active": gettext_lazy("May log in"),
    "department": gettext_lazy("Department"),
    "groups": gettext_lazy("Groups"),
    "state": gettext_lazy("State"),
    "completed_on": gettext_lazy("Done on"),
    "completion_proof": gettext_lazy("Proof"),
}
STATES = dict(EvaluationYear.State.choices)
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _value(value: object) -> object:
    if value is None or value == "":
        return "—"
    if value is True:
        return _("Yes")
    if value is False:
        return _("No")
    if value in STATES:
        return STATES[value]
    if isinstance(value, str) and ISO_DATE.fullmatch(value):
        return date_format(date.fromisoformat(value), "SHORT_DATE_FORMAT")
    return vietnamese(value)


@register.simple_tag
def audit_change(change: dict) -> str:
    """«Department: — → Phòng GD&ĐT quận Hồng Bàng»; a pilot change names the district."""
    field = change["field"]
    label = FIELD_LABELS.get(field) or vietnamese(field)
    return format_html("{}: {} → {}", label, _value(change["old"]), _value(change["new"]))
