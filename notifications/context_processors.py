from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .selectors import unread_count


def unread_notifications(request: HttpRequest) -> dict:
    """`unread_notifications` in every template: the signed-in person's unread count, read (one
    query) only by a page that shows it, per request — never part of any cached content."""

    def count() -> int:
        user = getattr(request, "user", None)
        return unread_count(user) if user is not None and user.is_authenticated else 0

    return {"unread_notifications": SimpleLazyObject(count)}
