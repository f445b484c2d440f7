"""The two views of the project itself: where `/` leads, and the health check."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from assignments.permissions import actor_for
from criteria.selectors import latest_year


def healthz(request: HttpRequest) -> HttpResponse:
    """`/healthz`: "ok" while the process serves requests, for load balancers and the benchmark's
    ceiling. Public, and touches neither the session nor the database."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


def home(request: HttpRequest) -> HttpResponse:
    """`/`: a department's people land on their work, the committee on the current year's
    dashboard, visitors on the public catalogue."""
    if not request.user.is_authenticated:
        return redirect("criteria:catalogue")
    actor = actor_for(request.user)
    if actor.department is not None and not actor.is_committee:
        return redirect("measurements:my_work")
    year = latest_year() or timezone.localdate().year
    return redirect("evaluation:city", year=year)
