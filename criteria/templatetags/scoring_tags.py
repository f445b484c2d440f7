"""Words and colours for scoring statuses and verdicts. Colour never stands alone: every badge
carries the word."""

from decimal import Decimal

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from common.numbers import show_number
from criteria.scoring import kind_facts

register = template.Library()

STATUS_LABELS = {
    "met": (_("Met"), "text-bg-success"),
    "not_met": (_("Not met"), "text-bg-danger"),
    "no_data": (_("No data"), "text-bg-secondary"),
    "not_applicable": (_("Not applicable"), "text-bg-light border"),
}
VERDICT_LABELS = {
    "recognized": (pgettext_lazy("verdict", "Recognised"), "text-bg-success"),
    "not_recognized": (pgettext_lazy("verdict", "Not recognised"), "text-bg-danger"),
    "incomplete": (pgettext_lazy("verdict", "Incomplete"), "text-bg-warning"),
}
ENTRY_LABELS = {
    "draft": (_("Draft"), "text-bg-light border"),
    "submitted": (_("Submitted"), "text-bg-info"),
    "returned": (_("Returned"), "text-bg-warning"),
    "approved": (_("Approved"), "text-bg-success"),
    "": (_("Not entered"), "text-bg-light border text-body-secondary"),
}


def badge_html(label: object, css: str) -> str:
    """`<span class="badge …">word</span>`, escaped. Built here rather than by an inclusion tag:
    a matrix of 150 districts draws 1,500 badges, and a template per badge cost 30 ms a page."""
    return format_html('<span class="badge {}">{}</span>\n', css, label)


def _badge(table: dict, key: object) -> str:
    key = getattr(key, "value", key) or ""
    label, css = table.get(key, (key, "text-bg-light"))
    return badge_html(label, css)


@register.simple_tag
def status_badge(status: object) -> str:
    """Đạt / Không đạt / Chưa có số liệu / Không áp dụng."""
    return _badge(STATUS_LABELS, status)


@register.simple_tag
def verdict_badge(verdict: object) -> str:
    """Đạt — đủ điều kiện công nhận / Không đạt / Chưa đủ dữ liệu."""
    return _badge(VERDICT_LABELS, verdict)


@register.simple_tag
def entry_badge(status: object) -> str:
    """Bản nháp / Đã gửi / Trả lại / Đã duyệt (or not entered yet)."""
    return _badge(ENTRY_LABELS, status)


@register.filter
def number(value: object) -> str:
    """A stored number the way the active language writes it ("1,5" or "1.5")."""
    return show_number(value) if isinstance(value, (Decimal, int)) else ""


@register.filter
def value_unit(indicator: object) -> str:
    """The unit of an indicator's reported value: a percentage for shares, rates and drops (a
    drop reports the rate itself), the unit of measure for an increase, none for a document."""
    facts = kind_facts(indicator.kind)
    if facts.value_in_percent:
        return "%"
    return indicator.unit_of_measure if "value" in facts.fields else ""
