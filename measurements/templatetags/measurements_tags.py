"""The review status of a reported value as a badge: the word is the status's own label
(measurements/models.py); colour never stands alone."""

from django import template
from django.utils.translation import gettext_lazy as _

from criteria.templatetags.scoring_tags import badge_html
from measurements.models import Measurement

register = template.Library()

Status = Measurement.Status
ENTRY_COLOURS = {
    Status.DRAFT: "text-bg-light border",
    Status.SUBMITTED: "text-bg-info",
    Status.RETURNED: "text-bg-warning",
    Status.APPROVED: "text-bg-success",
    Status.NOT_APPLICABLE: "text-bg-light border",
}
NOT_ENTERED = _("Not entered")


@register.simple_tag
def entry_badge(status: object) -> str:
    """Bản nháp / Đã gửi / Trả lại / Đã duyệt / Không áp dụng, or "Chưa nhập" without an entry."""
    if not status:
        return badge_html(NOT_ENTERED, "text-bg-light border text-body-secondary")
    status = Status(getattr(status, "value", status))
    return badge_html(status.label, ENTRY_COLOURS[status])
