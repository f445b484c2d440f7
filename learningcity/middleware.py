"""Requests no browser sends, refused before any view runs; a temporary password changed first;
a visitor sent to log in told why; under DEBUG, the portal's own page for an address not found."""

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser, User
from django.contrib.sessions.backends.base import SessionBase
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from django.views.defaults import page_not_found

from api.models import ApiClient
from api.services import call_record
from assignments.access import UnitNotInYear
from assignments.administration.services import MUST_CHANGE_PASSWORD
from assignments.permissions import actor_in_session

from . import views
from .client_address import client_address

#: Where the read API answers (learningcity/urls.py).
API_PREFIX = "/api/"


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


class RightsInSessionMiddleware:
    """The signed-in person's rights read from their session while current
    (assignments.permissions.actor_in_session), when a page first asks for them: a page asks the
    database nothing about who they are beyond their session and their account."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            user = request.user  # lazy: the account is read only if something asks
            request.user = SimpleLazyObject(lambda: _with_rights(user, request.session))
        return self.get_response(request)


def _with_rights(user: User | AnonymousUser, session: SessionBase) -> User | AnonymousUser:
    if user.is_authenticated:
        user._actor = SimpleLazyObject(lambda: actor_in_session(user, session))
    return user


class TemporaryPasswordMiddleware:
    """A person whose password an administrator set goes to the password change page first:
    every other page redirects there until they have chosen their own (the log-out, the language
    switch and static files stay open). The flag is in the session, set at login, so this costs
    no query."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Without a session cookie there is no session to read (and /healthz stays untouched).
        signed_in = settings.SESSION_COOKIE_NAME in request.COOKIES
        if signed_in and request.session.get(MUST_CHANGE_PASSWORD):
            change = reverse("password_change")
            allowed = (change, reverse("logout"), reverse("set_language"))
            if request.path not in allowed and not request.path.startswith(settings.STATIC_URL):
                return redirect(change)
        return self.get_response(request)


#: What a visitor sent to log in by a page reads on the login page.
LOGIN_NEEDED = _("That page is for signed-in staff: log in to open it.")


class LoginNeededMiddleware:
    """A visitor whom a page sends to log in (`login_required`) reads on the login page why: that
    page is for signed-in staff. The menu's own «Đăng nhập» link (also with `?next=`) is not a
    redirect, so it says nothing. Stands below the message middleware: the message is stored
    with the redirect."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code == 302
            and response.get("Location", "").startswith(f"{resolve_url(settings.LOGIN_URL)}?")
            and not request.user.is_authenticated
        ):
            messages.info(request, LOGIN_NEEDED)
        return response


class PortalNotFoundMiddleware:
    """Under DEBUG (`make run`), an address that is not found shows the portal's own 404 page, as
    in production, instead of Django's technical page listing every URL pattern: the pilot's
    users try the portal that way. Without DEBUG, Django already uses the portal's page (403
    pages are the portal's in both cases)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # Under DEBUG every 404 is Django's technical page: the portal returns none of its own.
        if settings.DEBUG and response.status_code == 404 and not hasattr(response, "unit_year"):
            return page_not_found(request, exception=None)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """A unit asked for in a year it did not exist in: the page that says so, as without
        DEBUG (learningcity.views.page_not_found)."""
        if settings.DEBUG and isinstance(exception, UnitNotInYear):
            response = views.page_not_found(request, exception)
            response.unit_year = (exception.unit.code, exception.year)
            return response
        return None


class ApiCallLogMiddleware:
    """Every request to the read API (`/api/`) is logged — the system that made it (none for a
    missing, unknown or revoked token), what it asked, the answer's status and where it came
    from: the only thing the API writes. Other paths pass untouched."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith(API_PREFIX):
            auth = getattr(request, "auth", None)
            call_record(
                client=auth if isinstance(auth, ApiClient) else None,
                method=request.method or "",
                path=request.get_full_path(),
                status=response.status_code,
                address=client_address(request),
            )
        return response
