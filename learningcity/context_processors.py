from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from assignments.permissions import actor_for


def actor(request: HttpRequest) -> dict:
    """`actor` in every template: what the signed-in person may do (read once, when used)."""
    return {"actor": SimpleLazyObject(lambda: actor_for(request.user))}
