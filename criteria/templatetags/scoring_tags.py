"""Words and colours for scoring statuses and verdicts. Colour never stands alone: every badge
carries the word."""

from decimal import Decimal

from django import template
from django.utils.html import format_html

from common.numbers import show_number
from criteria.labels import STATUS_LABELS, VERDICT_LABELS, verdict_text
from criteria.scoring import kind_facts

register = template.Library()

#: Colours of the badges (the word comes from criteria/labels.py: colour never stands alone).
STATUS_COLOURS = {
    "met": "text-bg-success",
    "not_met": "text-bg-danger",
    "no_data": "text-bg-secondary",
    "not_applicable": "text-bg-light border",
}
VERDICT_COLOURS = {
    "recognized": "text-bg-success",
    "not_recognized": "text-bg-danger",
    "incomplete": "text-bg-warning",
}


def badge_html(label: object, css: str) -> str:
    """`<span class="badge …">word</span>`, escaped. Built here rather than by an inclusion tag:
    a matrix of 150 districts draws 1,500 badges, and a template per badge cost 30 ms a page."""
    return format_html('<span class="badge {}">{}</span>\n', css, label)


def _badge(labels: dict, colours: dict, key: object) -> str:
    key = getattr(key, "value", key) or ""
    return badge_html(labels.get(key, key), colours.get(key, "text-bg-light"))


@register.simple_tag
def status_badge(status: object) -> str:
    """Đạt / Không đạt / Chưa có số liệu / Không áp dụng."""
    return _badge(STATUS_LABELS, STATUS_COLOURS, status)


@register.simple_tag
def verdict_badge(verdict: object, level: int | None = None) -> str:
    """Đạt — đủ điều kiện công nhận / Không đạt / Chưa đủ dữ liệu; under the rule «levels», the
    level reached (Đạt mức độ 1)."""
    if level is None:
        return _badge(VERDICT_LABELS, VERDICT_COLOURS, verdict)
    key = getattr(verdict, "value", verdict)
    return badge_html(verdict_text(key, level), VERDICT_COLOURS.get(key, "text-bg-light"))


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
