"""The administrators' pages for the read API: the systems with a token, each one's calls,
issuing, rotating and revoking a token. A token is shown once, on the page that made it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assignments.permissions import actor_for, can_manage_api_clients

from . import services
from .forms import ClientIssueForm, ClientRevokeForm
from .models import ApiCall, ApiClient

#: How many of the latest calls the page lists.
LATEST_CALLS = 50


def _allowed(request: HttpRequest) -> None:
    if not can_manage_api_clients(actor_for(request.user)):
        raise PermissionDenied(_("This page is for the portal's administrators."))


@login_required
def clients(request: HttpRequest) -> HttpResponse:
    """Every system with a token (its calls counted), the latest calls, and a new system."""
    _allowed(request)
    form = ClientIssueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            client, token = services.client_issue(by=request.user, name=form.cleaned_data["name"])
        except ValidationError as error:
            form.add_error("name", error)
        else:
            return _token_page(request, client, token)
    listed = ApiClient.objects.annotate(call_count=Count("calls"), last_call=Max("calls__at"))
    return render(
        request,
        "api/clients.html",
        {
            "clients": listed.order_by("name"),
            "calls": ApiCall.objects.select_related("client")[:LATEST_CALLS],
            "form": form,
            "revoke_form": ClientRevokeForm(),
        },
    )


def _token_page(request: HttpRequest, client: ApiClient, token: str) -> HttpResponse:
    response = render(request, "api/token.html", {"client": client, "token": token})
    response["Cache-Control"] = "no-store"  # the token is shown once, never kept by a cache
    return response


@login_required
@require_POST
def client_rotate(request: HttpRequest, pk: int) -> HttpResponse:
    _allowed(request)
    client = get_object_or_404(ApiClient, pk=pk)
    try:
        token = services.client_rotate(by=request.user, client=client)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("api_clients:clients")
    return _token_page(request, client, token)


@login_required
@require_POST
def client_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    _allowed(request)
    client = get_object_or_404(ApiClient, pk=pk)
    form = ClientRevokeForm(request.POST)
    if form.is_valid():
        services.client_revoke(by=request.user, client=client, reason=form.cleaned_data["reason"])
        messages.success(request, _("The token of «%(name)s» is revoked.") % {"name": client.name})
    else:
        messages.error(request, _("Say why the token is revoked."))
    return redirect("api_clients:clients")
