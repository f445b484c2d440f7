"""The views of the project itself: where `/` leads, the health check, the password change."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _

from assignments.administration import services as administration
from assignments.administration.forms import OwnPasswordForm
from assignments.permissions import actor_for
from criteria.selectors import latest_year


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
    if actor.department is not None and not actor.is_committee:
        return redirect("measurements:my_work")
    year = latest_year() or timezone.localdate().year
    return redirect("evaluation:city", year=year)


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
