"""Requests no browser sends, refused before any view runs."""

from collections.abc import Callable

from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse


class NulByteInRequest(SuspiciousOperation):
    """A NUL byte in the path or the query string (logged as django.security.NulByteInRequest)."""


class RejectNulBytesMiddleware:
    """Answer 400 to a path or query string holding a NUL byte (%00).

    PostgreSQL text cannot hold NUL, so a code like /criteria/%00/ made the lookup of the code
    fail with a 500 instead of a 404. Form fields need no such guard: Django's form fields refuse
    NUL themselves, with a message.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            raise NulByteInRequest("NUL byte in the request's path or query string.")
        return self.get_response(request)
