from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from assignments.permissions import actor_for
from assignments.selectors import city


def actor(request: HttpRequest) -> dict:
    """`actor` in every template: what the signed-in person may do (read once, when used)."""
    return {"actor": SimpleLazyObject(lambda: actor_for(request.user))}


def city_unit(request: HttpRequest) -> dict:
    """`city` in every template: the city unit, read only by a page that uses it."""
    return {"city": SimpleLazyObject(city)}
