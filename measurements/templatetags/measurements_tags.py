"""The review status of a reported value as a badge: the word is the status's own label
(measurements/models.py); colour never stands alone."""

from django import template
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common.numbers import show_number, trim_decimal
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


@register.filter
def figures(entry: Measurement | None) -> str:
    """An entry's figures as entered, whatever its kind, numbers written the active language's
    way: "Có", "56/80", "1,8", "5,2 %" (a growth rate), "a) 950/1.000; b) 89,9 %" (parts);
    "—" without any. Its parts' figures are read with their parts (prefetch them)."""
    if entry is None:
        return "—"
    shown = []
    if entry.yes is not None:
        shown.append(gettext("Yes") if entry.yes else gettext("No"))
    if entry.numerator is not None or entry.denominator is not None:
        shown.append(
            f"{show_number(entry.numerator) or '—'}/{show_number(entry.denominator) or '—'}"
        )
    if entry.value is not None:
        shown.append(show_number(trim_decimal(entry.value)))
    if entry.growth_rate is not None:
        shown.append(f"{show_number(trim_decimal(entry.growth_rate))} %")
    shown += [f"{part.part.code}) {part.figures_text}" for part in entry.entered_parts]
    return "; ".join(shown) or "—"
