"""The public catalogue and the criteria sets: list, one set, Excel export, and the standing
office's import (upload → every row checked → preview → confirm). Thin: load, call a selector
or a service, render or redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assignments import caching
from assignments.permissions import Actor, actor_for, can_choose_recognition_rule
from assignments.selectors import indicator_by_code
from assignments.services import criteria_set_rule_set, offices_lead
from common.staging import (
    discard_staged_upload,
    stage_upload,
    staged_import_content,
    staged_upload,
)
from common.templatetags.portal_tags import vietnamese_in
from evaluation.selectors import superseded_by
from evaluation.services import criteria_set_adopt_checked

from . import importing, selectors, workbooks
from .forms import CriteriaWorkbookUploadForm, RecognitionRuleForm
from .labels import recognition_rule_text
from .models import CriteriaSet

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: The session's key for the staged upload's id, and the staged upload's kind.
IMPORT_SESSION_KEY = "criteria_set_import"
STAGED_KIND = "criteria_set"


def _criteria_set_or_404():
    criteria_set = selectors.default_criteria_set()
    if criteria_set is None:
        raise Http404("No criteria set has been loaded.")
    return criteria_set


def get_criteria_set(code: str) -> CriteriaSet:
    """A set by its code (sets are public, like the catalogue); 404 when there is none."""
    criteria_set = selectors.criteria_set_by_code(code)
    if criteria_set is None:
        raise Http404("No such criteria set.")
    return criteria_set


def require_set_loader(request: HttpRequest) -> Actor:
    """Loading criteria sets is the standing office's work (403 for other staff)."""
    actor = actor_for(request.user)
    if not actor.is_standing_office:
        raise PermissionDenied(_("Only the standing office loads criteria sets."))
    return actor


def catalogue(request: HttpRequest) -> HttpResponse:
    """The public catalogue: standards → criteria → indicators with requirement and who leads."""

    def content() -> str:
        criteria_set = _criteria_set_or_404()  # the set shown is part of the content kept
        tree = selectors.tree_of(caching.catalogue_tree(criteria_set))
        context = {"criteria_set": criteria_set, "tree": tree}
        return render_to_string("criteria/_catalogue.html", context)

    context = {"content": caching.catalogue_content(content)}
    return render(request, "criteria/catalogue.html", context)


def indicator_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One indicator: its text, guidance, requirement and the departments assigned to it."""
    criteria_set = _criteria_set_or_404()
    indicator = indicator_by_code(criteria_set, code)
    if indicator is None:
        raise Http404("No such indicator.")
    return render(
        request,
        "criteria/indicator_detail.html",
        {"criteria_set": criteria_set, "indicator": indicator},
    )


def criteria_sets(request: HttpRequest) -> HttpResponse:
    """Every criteria set: level, legal basis, years, locked or not, how many indicators."""
    return render(
        request,
        "criteria/sets.html",
        {
            "criteria_sets": selectors.criteria_sets_overview(),
            "can_import": actor_for(request.user).is_standing_office,
        },
    )


def criteria_set_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One set's standards, criteria and indicators, read like the catalogue, with the
    recognition rule it names (the standing office may change it while no year is locked)."""
    criteria_set = get_criteria_set(code)
    return _set_page(request, criteria_set, None)


def _set_page(
    request: HttpRequest, criteria_set: CriteriaSet, form: RecognitionRuleForm | None
) -> HttpResponse:
    tree = selectors.tree_of(caching.catalogue_tree(criteria_set))
    may_choose = (
        request.user.is_authenticated
        and can_choose_recognition_rule(actor_for(request.user))
        and not criteria_set.is_locked
    )
    if may_choose and form is None:
        form = RecognitionRuleForm(
            initial={
                "rule": criteria_set.recognition_rule,
                "min_indicators_met": criteria_set.min_indicators_met,
            }
        )
    total = sum(len(indicators) for _s, criteria in tree for _c, indicators in criteria)
    return render(
        request,
        "criteria/set_detail.html",
        {
            "criteria_set": criteria_set,
            "tree": tree,
            "is_locked": criteria_set.is_locked,
            "rule_text": recognition_rule_text(
                criteria_set.recognition_rule, criteria_set.min_indicators_met, total
            ),
            "rule_form": form if may_choose else None,
        },
    )


@login_required
def criteria_set_rule(request: HttpRequest, code: str) -> HttpResponse:
    """The standing office names the set's recognition rule (a GET — a reloaded address after
    a refused change — goes back to the set's page)."""
    if request.method != "POST":
        return redirect("criteria:set", code)
    actor = actor_for(request.user)
    if not can_choose_recognition_rule(actor):
        raise PermissionDenied(_("Only the standing office chooses a set's recognition rule."))
    criteria_set = get_criteria_set(code)
    form = RecognitionRuleForm(request.POST)
    if form.is_valid():
        try:
            criteria_set_rule_set(
                actor=actor,
                criteria_set=criteria_set,
                rule=form.cleaned_data["rule"],
                min_met=form.cleaned_data["min_indicators_met"],
            )
        except ValidationError as error:
            if getattr(error, "code", None) == "locked":  # the page no longer offers the form
                messages.error(request, error.messages[0])
                return redirect("criteria:set", criteria_set.code)
            form.add_error(None, error)
        else:
            messages.success(request, _("The recognition rule has been recorded."))
            return redirect("criteria:set", criteria_set.code)
    return _set_page(request, criteria_set, form)


def criteria_set_workbook(request: HttpRequest, code: str) -> HttpResponse:
    """The set as the Excel workbook it can be imported from."""
    criteria_set = get_criteria_set(code)
    content = workbooks.build_criteria_workbook(importing.criteria_set_rows(criteria_set))
    return _xlsx(content, f"bo-tieu-chi-{criteria_set.code}.xlsx")


def criteria_set_template(request: HttpRequest) -> HttpResponse:
    """The blank template: the metadata labels, the header row, one example row per level."""
    return _xlsx(workbooks.build_criteria_workbook(workbooks.TEMPLATE), "mau-bo-tieu-chi.xlsx")


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def criteria_set_upload(request: HttpRequest) -> HttpResponse:
    """Upload a workbook: every row is checked and the set previewed; nothing is written yet."""
    require_set_loader(request)
    form = CriteriaWorkbookUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        content = form.cleaned_data["file"].read()
        plan = importing.criteria_set_plan_from_bytes(content, user=request.user)
        return _preview(request, form, plan, content)
    return _preview(request, form, None, b"")


def _preview(
    request: HttpRequest,
    form: CriteriaWorkbookUploadForm,
    plan: importing.CriteriaSetPlan | None,
    content: bytes,
) -> HttpResponse:
    """The import page with the workbook's preview: a valid plan is staged with the list of what
    it would take over as the person sees it now, so that the confirmation can tell whether the
    list changed since."""
    superseded = []
    if plan and plan.is_valid:
        metadata = plan.metadata
        superseded = superseded_by(
            level=metadata.level, first_year=metadata.first_year, last_year=metadata.last_year
        )
        stage_upload(
            request.session,
            IMPORT_SESSION_KEY,
            owner=request.user,
            kind=STAGED_KIND,
            content=content,
            seen=[entry.as_seen() for entry in superseded],
        )
    elif plan:
        discard_staged_upload(request.session, IMPORT_SESSION_KEY, owner=request.user)
    return render(
        request,
        "criteria/set_import.html",
        {
            "form": form,
            "plan": plan,
            "superseded": superseded,
            "offices_lead": bool(plan and plan.metadata and offices_lead(plan.metadata.level)),
        },
    )


@login_required
@require_POST
def criteria_set_upload_confirm(request: HttpRequest) -> HttpResponse:
    """Create the previewed set, checked again: all of it, or nothing. When it takes over years
    holding another set's data, only if the person ticked that they read the list, and the list
    is still what they read; otherwise the preview comes back with the list as it is now."""
    require_set_loader(request)
    upload = staged_upload(
        request.session, IMPORT_SESSION_KEY, owner=request.user, kind=STAGED_KIND
    )
    content = staged_import_content(upload) if upload else None
    if content is None:
        messages.error(request, _("Upload the workbook again: the preview has expired."))
        return redirect("criteria:set_import")
    plan = importing.criteria_set_plan_from_bytes(content, user=request.user)
    if plan.is_valid:  # else the preview lists the rows that became wrong (a code taken since)
        read = not upload.seen or "superseded_read" in request.POST
        try:
            criteria_set = criteria_set_adopt_checked(plan=plan, seen=upload.seen if read else None)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            discard_staged_upload(request.session, IMPORT_SESSION_KEY, owner=request.user)
            messages.success(
                request,
                vietnamese_in(_("Criteria set created: %(name)s."), name=criteria_set.name),
            )
            return redirect("criteria:set", criteria_set.code)
    return _preview(request, CriteriaWorkbookUploadForm(), plan, content)
