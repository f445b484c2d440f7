"""Small template helpers shared by every app."""

from datetime import date

from django import template
from django.conf import settings
from django.utils import timezone, translation
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from common.charts import sparkline
from common.sentences import Sentence

register = template.Library()


@register.simple_tag
def days_to(day: date | None, deadline: bool = True) -> str:
    """How far a date is, as a badge: «còn 5 ngày», «hạn là hôm nay», «quá hạn 2 ngày» for a
    deadline; for a meeting (`deadline=False`), the days left only while it is ahead (nothing
    without a date)."""
    if day is None:
        return ""
    days = (day - timezone.localdate()).days
    if not deadline and days < 0:
        return ""
    if days > 0:
        css = "text-bg-info" if days > 7 else "text-bg-warning"
        text = translation.ngettext("%(days)s day left", "%(days)s days left", days) % {
            "days": days
        }
    elif days == 0:
        css = "text-bg-warning"
        text = translation.gettext("due today") if deadline else translation.gettext("today")
    else:
        css = "text-bg-danger"
        text = translation.ngettext("%(days)s day overdue", "%(days)s days overdue", -days) % {
            "days": -days
        }
    return format_html('<span class="badge {}">{}</span>', css, text)


@register.filter
def person(user: object) -> str:
    """A user's full name, else their username, else a dash (no one recorded)."""
    if user is None:
        return "—"
    return user.get_full_name() or user.get_username()


@register.simple_tag
def trend_chart(points: object, label: str = "") -> str:
    """An inline SVG sparkline of (year, value) points (common.charts)."""
    return sparkline(points, label=label)


@register.filter
def get_item(mapping: dict, key: object) -> object:
    """mapping[key] in a template (None when absent)."""
    return mapping.get(key)


@register.filter
def minutes(duration: object) -> int:
    """A timedelta in whole minutes (rounded up), for messages such as the login lockout."""
    seconds = duration.total_seconds() if duration else 0
    return int(-(-seconds // 60))


def page_is_vietnamese() -> bool:
    return translation.get_language() == settings.LANGUAGE_CODE


@register.filter
def vietnamese(text: object) -> object:
    """Text that stays Vietnamese whatever the interface's language — the catalogue's texts, the
    names of units, departments and people, the record's explanations, what people typed — wrapped
    in ``<span lang="vi">`` on a page in another language, so that a screen reader reads it as
    Vietnamese (WCAG 3.1.2). On a Vietnamese page it is returned as it is. Inline text only: a
    block (a paragraph, a list) takes ``{% vietnamese_lang %}`` on its own element."""
    if text in (None, "") or page_is_vietnamese():
        return text
    return format_html('<span lang="vi">{}</span>', text)


@register.simple_tag
def vietnamese_lang() -> str:
    """``lang="vi"`` for an element whose content stays Vietnamese, on a page in another language
    (see ``vietnamese``); nothing on a Vietnamese page."""
    return "" if page_is_vietnamese() else mark_safe(' lang="vi"')


@register.filter
def said(sentence: Sentence | None) -> str:
    """A `common.sentences.Sentence` in the page's language, the Vietnamese names it quotes
    marked ``lang="vi"`` on a page in another language (a template would otherwise show its
    plain text)."""
    if sentence is None:
        return ""
    return conditional_escape(sentence)


def vietnamese_in(sentence: str, **names: object) -> str:
    """An interface sentence (translated, with ``%(name)s`` placeholders) that names Vietnamese
    data, for what Python words and a template cannot mark: a form's label, a message. On a page
    in another language, HTML in which each name is marked (see ``vietnamese``); on a Vietnamese
    page the plain ``sentence % names``, as it always was."""
    if page_is_vietnamese():
        return sentence % names
    marked = {key: vietnamese(value) for key, value in names.items()}
    return mark_safe(conditional_escape(sentence) % marked)


def vietnamese_fields(form: object, *names: str) -> None:
    """The fields of a form that show a stored Vietnamese text for editing (a note, a reason):
    their control takes ``lang="vi"`` on a page in another language, as the text does where it is
    shown (see ``vietnamese``); nothing changes on a Vietnamese page."""
    if page_is_vietnamese():
        return
    for name in names:
        if name in form.fields:
            form.fields[name].widget.attrs["lang"] = "vi"
