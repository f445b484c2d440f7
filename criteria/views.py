from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from . import selectors


def _criteria_set_or_404():
    criteria_set = selectors.default_criteria_set()
    if criteria_set is None:
        raise Http404("No criteria set has been loaded.")
    return criteria_set


def catalogue(request: HttpRequest) -> HttpResponse:
    """The public catalogue: standards → criteria → indicators with requirement and who leads."""
    criteria_set = _criteria_set_or_404()
    standards = selectors.catalogue_tree(criteria_set)
    return render(
        request, "criteria/catalogue.html", {"criteria_set": criteria_set, "standards": standards}
    )


def indicator_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One indicator: its text, guidance, requirement and the departments assigned to it."""
    criteria_set = _criteria_set_or_404()
    indicator = selectors.indicator_by_code(criteria_set, code)
    if indicator is None:
        raise Http404("No such indicator.")
    return render(
        request,
        "criteria/indicator_detail.html",
        {"criteria_set": criteria_set, "indicator": indicator},
    )
