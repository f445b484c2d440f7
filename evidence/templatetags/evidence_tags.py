"""Words and colours for the review state of evidence. Colour never stands alone: every badge and
every coverage cell carries the word."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from criteria.templatetags.scoring_tags import badge_html
from evidence.uploads import format_size

register = template.Library()

#: state → (word, badge classes, table-cell class)
EVIDENCE_LABELS = {
    "approved": (_("Approved"), "text-bg-success", "table-success"),
    "waiting": (_("Waiting"), "text-bg-info", "table-info"),
    "needs_more": (_("Needs more"), "text-bg-warning", "table-warning"),
    "none": (_("No evidence"), "text-bg-light border text-body-secondary", "text-body-secondary"),
    "withdrawn": (_("Withdrawn"), "text-bg-secondary", "table-secondary"),
}


def _label(state: object) -> tuple:
    key = getattr(state, "value", state) or "none"
    return EVIDENCE_LABELS.get(key, (key, "text-bg-light", ""))


@register.simple_tag
def evidence_badge(state: object) -> str:
    """Đã duyệt / Chờ duyệt / Yêu cầu bổ sung / Chưa có minh chứng / Đã rút."""
    label, css, _cell = _label(state)
    return badge_html(label, css)


@register.simple_tag
def evidence_cell(cell: object) -> str:
    """A unit's evidence for an indicator, in a dashboard line or a district-matrix cell: its
    state, how many documents, whether an explanation (giải trình) was recorded. Built here, not
    by an included template: the matrix of 150 districts draws 750 of them."""
    if not cell:
        return format_html("{}\n", evidence_badge("none"))
    html = evidence_badge(cell.state)
    if cell.documents:
        html += format_html(' <span class="small text-body-secondary">({})</span>', cell.documents)
    if cell.has_explanation:
        html += format_html('<div class="small">{}</div>', gettext("explanation recorded"))
    return format_html("{}\n", html)


@register.simple_tag
def document_state(document: object) -> str:
    """A document's state for a badge: "withdrawn" once withdrawn, else its review status."""
    return "withdrawn" if document.withdrawn_at else document.status


@register.filter
def evidence_cell_class(state: object) -> str:
    """The table-cell colour of a coverage state (the cell also carries the word)."""
    return _label(state)[2]


#: In a coverage cell, "none" reads short (the legend above the matrix gives the full words).
CELL_WORDS = {"none": _("None yet")}


@register.filter
def evidence_cell_label(state: object) -> str:
    """The word of a coverage cell: Đã duyệt / Chờ duyệt / Yêu cầu bổ sung / Chưa có."""
    key = getattr(state, "value", state) or "none"
    return CELL_WORDS.get(key) or _label(state)[0]


@register.filter
def file_size(size: int) -> str:
    """A file size in the active language: "25 MB", "1,2 MB", "830 byte"."""
    return format_size(size)
