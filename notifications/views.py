from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assignments.administration.services import notification_email_set

from . import services
from .models import Notification
from .selectors import notifications_of, wants_email

PAGE_SIZE = 50


def get_notification_for_user(user, pk: int) -> Notification:
    """The person's own notification; 404 for anyone else's (they may not know it exists)."""
    return get_object_or_404(Notification, pk=pk, recipient=user)


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(notifications_of(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/list.html",
        {"page": page, "wants_email": wants_email(request.user)},
    )


@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    notification = get_notification_for_user(request.user, pk)
    services.notification_open(notification=notification)
    link = notification.link
    if not url_has_allowed_host_and_scheme(link, allowed_hosts=None) or not link.startswith("/"):
        link = "notifications:list"
    return redirect(link)


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    services.notifications_mark_all_read(user=request.user)
    return redirect("notifications:list")


@login_required
@require_POST
def email_preference(request: HttpRequest) -> HttpResponse:
    on = request.POST.get("email") == "on"
    notification_email_set(user=request.user, wants_email=on)
    if on:
        messages.success(request, _("You will receive notifications by e-mail."))
    else:
        messages.success(request, _("You will no longer receive notifications by e-mail."))
    return redirect("notifications:list")
