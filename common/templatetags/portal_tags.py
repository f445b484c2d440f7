"""Small template helpers shared by every app."""

from django import template

from common.charts import sparkline

register = template.Library()


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
