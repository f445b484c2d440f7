"""Small template helpers shared by every app."""

from django import template

register = template.Library()


@register.filter
def person(user: object) -> str:
    """A user's full name, else their username, else a dash (no one recorded)."""
    if user is None:
        return "—"
    return user.get_full_name() or user.get_username()
