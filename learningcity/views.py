"""The views of the project itself: where `/` leads, the health check, the password change."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import defaults

from assignments.access import UnitNotInYear
from assignments.administration import services as administration
from assignments.administration.forms import OwnPasswordForm
from assignments.permissions import actor_for, can_see_unit, has_own_work
from criteria.selectors import latest_year

from .client_address import client_address


def healthz(request: HttpRequest) -> HttpResponse:
    """`/healthz`: "ok" while the process serves requests, for load balancers and the benchmark's
    ceiling. Public, and touches neither the session nor the database."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


def home(request: HttpRequest) -> HttpResponse:
    """`/`: a department's people land on their work, the committee on the current year's
    dashboard, an administrator in no department on the administration, visitors — and other
    accounts in no department, which may read only what visitors read — on the catalogue."""
    actor = actor_for(request.user)
    if actor.is_administrator and not actor.is_staff_member:
        return redirect("administration:index")
    if not actor.is_staff_member:
        return redirect("criteria:catalogue")
    if has_own_work(actor) and not actor.is_committee:
        return redirect("measurements:my_work")
    year = latest_year() or timezone.localdate().year
    return redirect("evaluation:city", year=year)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's 404 page; for a unit asked for in a year it did not exist in, the page says which
    years it had and links each unit it became, or came from, in that year."""
    if not isinstance(exception, UnitNotInYear):
        return defaults.page_not_found(request, exception)
    unit, year = exception.unit, exception.year
    after = unit.valid_to is not None and year > unit.valid_to
    related = (unit.successors if after else unit.predecessors).order_by("position", "code")
    context = {
        "unit": unit,
        "year": year,
        "after": after,
        "related": [
            other
            for other in related
            if other.exists_in(year) and can_see_unit(actor_for(request.user), other)
        ],
    }
    return render(request, "unit_not_in_year.html", context, status=404)


class PasswordChange(auth_views.PasswordChangeView):
    """Django's password change, which also ends a temporary password's hold on the account."""

    form_class = OwnPasswordForm
    success_url = reverse_lazy("home")

    def get_context_data(self, **kwargs):
        temporary = bool(self.request.session.get(administration.MUST_CHANGE_PASSWORD))
        return {**super().get_context_data(**kwargs), "temporary": temporary}

    def form_valid(self, form):
        response = super().form_valid(form)
        administration.password_changed(self.request.user)
        self.request.session.pop(administration.MUST_CHANGE_PASSWORD, None)
        messages.success(self.request, _("Your password is changed."))
        return response


class PasswordReset(auth_views.PasswordResetView):
    """«Quên mật khẩu»: Django's reset e-mail in the portal's Vietnamese templates, a few requests
    an hour per address and per client; where mail is not configured the page says to ask the
    administrator and sends nothing."""

    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "mail_configured": settings.EMAIL_CONFIGURED}

    def post(self, request, *args, **kwargs):
        if not settings.EMAIL_CONFIGURED:
            return self.get(request, *args, **kwargs)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        within = administration.password_reset_request(
            address=form.cleaned_data["email"], client=client_address(self.request)
        )
        if not within:
            form.add_error(
                None,
                _("Too many requests for a new password: wait an hour, or ask the administrator."),
            )
            return self.form_invalid(form)
        return super().form_valid(form)


class PasswordResetConfirm(auth_views.PasswordResetConfirmView):
    """The link of the reset e-mail: a password the person chose ends a temporary one's hold."""

    def form_valid(self, form):
        response = super().form_valid(form)
        administration.password_changed(form.user)
        return response
