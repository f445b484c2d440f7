"""Evidence pages: a unit's documents, upload, detail (versions, replace, withdraw), download, the
standing office's review queue, explanations and the coverage matrix.

Thin: load through an access helper (404 for another district's anything), check the permission
(403 for what may be seen but not changed), validate with a form, call a service, redirect after
POST.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assignments.access import (
    get_city,
    get_criteria_set_for,
    get_indicator,
    get_staff_actor,
    get_unit_for_user,
)
from assignments.permissions import (
    can_attach_evidence,
    can_change_document,
    can_review_evidence,
)
from assignments.selectors import subdivision_set
from common.forms import CHOOSE_AGAIN
from common.templatetags.portal_tags import vietnamese_in
from criteria.selectors import latest_year, open_year, year_state
from evaluation import caching, versions

from . import selectors, services
from .access import get_document_for_user, get_version_for_user
from .filetypes import UploadRefused
from .forms import (
    DocumentUploadForm,
    ExplanationForm,
    ReplaceForm,
    RequestMoreForm,
    WithdrawForm,
)
from .models import Document
from .storage import accel_redirect_path
from .uploads import format_size, max_upload_bytes


def _error(request: HttpRequest, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


@login_required
def evidence_home(request: HttpRequest) -> HttpResponse:
    """Where "Evidence" leads: a district office to its district's documents, a division to the
    city's, the standing office and the committee to the coverage matrix."""
    actor = get_staff_actor(request)
    year = open_year() or latest_year()
    if year is None:
        messages.info(request, _("No evaluation year has been opened yet."))
        return redirect("measurements:my_work")
    if actor.is_unit_office:
        return redirect("evidence:document_list", year, actor.department.unit.code)
    if actor.department is not None and not actor.is_standing_office:
        return redirect("evidence:document_list", year, get_city().code)
    return redirect("evidence:coverage", year)


@login_required
def document_list(request: HttpRequest, year: int, unit_code: str) -> HttpResponse:
    """A unit's documents of a year with their status, and its indicators with their evidence;
    `?indicator=<code>` keeps the documents of one indicator."""
    actor = get_staff_actor(request)
    unit = get_unit_for_user(actor, unit_code, year)
    criteria_set = get_criteria_set_for(unit, year)
    code = request.GET.get("indicator")
    indicator = get_indicator(criteria_set, code) if code else None
    rows = selectors.indicator_rows(criteria_set, unit, year)
    writable = {
        row.indicator.pk for row in rows if can_attach_evidence(actor, row.indicator.pk, unit)
    }
    state = year_state(year)
    year_open = state == "open"
    return render(
        request,
        "evidence/list.html",
        {
            "unit": unit,
            "year": year,
            "year_state": state,
            "indicator": indicator,
            "documents": selectors.unit_documents(unit, year, indicator),
            "rows": rows,
            "writable": writable if year_open else set(),
            "can_upload": year_open
            and bool(selectors.attachable_indicators(actor, criteria_set, unit)),
            "can_review": can_review_evidence(actor),
        },
    )


@login_required
def document_upload(request: HttpRequest, year: int, unit_code: str) -> HttpResponse:
    """Choose the indicators, fill the metadata, attach the file."""
    actor = get_staff_actor(request)
    unit = get_unit_for_user(actor, unit_code, year)
    choices = selectors.attachable_indicators(actor, get_criteria_set_for(unit, year), unit)
    if not choices:
        raise PermissionDenied(
            vietnamese_in(_("You may not attach evidence for %(unit)s."), unit=unit)
        )
    form = DocumentUploadForm(
        request.POST or None, request.FILES or None, indicators=choices, district=not unit.is_city
    )
    if request.method == "POST" and form.is_valid():
        try:
            document = services.document_upload(
                actor=actor,
                user=request.user,
                unit=unit,
                year=year,
                indicators=list(form.cleaned_data["indicators"]),
                metadata=form.metadata(),
                file=form.cleaned_data["file"],
            )
        except ValidationError as error:
            form.add_error("file" if isinstance(error, UploadRefused) else None, error)
        else:
            messages.success(request, _("Uploaded. The evidence waits for review."))
            return redirect("evidence:document_detail", document.pk)
    return render(
        request,
        "evidence/upload.html",
        {
            "form": form,
            "unit": unit,
            "year": year,
            "year_state": year_state(year),
            "limit": format_size(max_upload_bytes()),
        },
    )


@login_required
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A document, its review, its versions (the current one first, the approved one marked), its
    history, and the forms to replace, withdraw or review it."""
    actor = get_staff_actor(request)
    document = get_document_for_user(actor, pk)
    indicators = list(document.indicators.order_by("criterion__standard__position", "code"))
    state = year_state(document.year)
    writable = state == "open" and not document.is_withdrawn
    return render(
        request,
        "evidence/detail.html",
        {
            "document": document,
            "indicators": indicators,
            "history": selectors.document_history(document),
            "year_state": state,
            "year": document.year,
            "can_change": writable
            and can_change_document(actor, document.unit, [i.pk for i in indicators]),
            "can_review": writable
            and can_review_evidence(actor)
            and document.status == Document.Status.WAITING,
            "replace_form": ReplaceForm(),
            "withdraw_form": WithdrawForm(),
            "request_more_form": RequestMoreForm(),
        },
    )


@login_required
@require_POST
def document_replace(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload a new version of a document; earlier versions are kept."""
    actor = get_staff_actor(request)
    document = get_document_for_user(actor, pk)
    form = ReplaceForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose the new file."))
        return redirect("evidence:document_detail", pk)
    try:
        version = services.document_replace(
            actor=actor, user=request.user, document=document, file=form.cleaned_data["file"]
        )
    except ValidationError as error:
        messages.error(request, " ".join([*error.messages, str(CHOOSE_AGAIN)]))
    else:
        messages.success(
            request,
            _("Version %(number)s uploaded; the earlier versions are kept. It waits for review.")
            % {"number": version.number},
        )
    return redirect("evidence:document_detail", pk)


@login_required
@require_POST
def document_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdraw a document, saying why: it is kept, marked withdrawn."""
    actor = get_staff_actor(request)
    document = get_document_for_user(actor, pk)
    form = WithdrawForm(request.POST)
    try:
        services.document_withdraw(
            actor=actor,
            user=request.user,
            document=document,
            reason=form.cleaned_data["reason"] if form.is_valid() else "",
        )
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, _("The document is withdrawn. It is kept for the record."))
    return redirect("evidence:document_detail", pk)


@login_required
def version_download(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """One version's file, as an attachment under its original name (RFC 5987 for Vietnamese)."""
    actor = get_staff_actor(request)
    version = get_version_for_user(actor, pk, number)
    return stored_file_download(version.file, version.original_name, version.content_type)


def stored_file_download(file: FieldFile, original_name: str, content_type: str) -> HttpResponse:
    """A file of the evidence storage as an attachment under its original name: sent by nginx
    when EVIDENCE_X_ACCEL_REDIRECT_PREFIX is set, else read here; a file gone from the storage
    is a 404, never a 500. The caller has checked who may read it."""
    prefix = settings.EVIDENCE_X_ACCEL_REDIRECT_PREFIX
    if prefix:  # nginx sends the file; this worker is free at once
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = accel_redirect_path(prefix, file.name)
        response["Content-Disposition"] = content_disposition_header(True, original_name)
    else:
        try:
            opened = file.open("rb")
        except FileNotFoundError as error:
            raise Http404("The file is not in the storage.") from error
        response = FileResponse(
            opened, as_attachment=True, filename=original_name, content_type=content_type
        )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def evidence_review(request: HttpRequest) -> HttpResponse:
    """The standing office's queue of documents waiting for review, oldest first."""
    actor = get_staff_actor(request)
    if not can_review_evidence(actor):
        raise PermissionDenied(_("Only the standing office reviews evidence."))
    return render(
        request,
        "evidence/review_queue.html",
        {
            "documents": selectors.evidence_review_queue(),
            "request_more_form": RequestMoreForm(),
        },
    )


def _version(raw: str | None) -> int | None:
    """The file version a page sends back; None when missing or not a number (never current)."""
    return int(raw) if raw and raw.isdigit() and len(raw) < 10 else None


def _after_review(request: HttpRequest, pk: int) -> HttpResponse:
    if request.POST.get("next") == "detail":
        return redirect("evidence:document_detail", pk)
    return redirect("evidence:evidence_review")


@login_required
@require_POST
def approve_document(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve one waiting document."""
    actor = get_staff_actor(request)
    document = get_document_for_user(actor, pk)
    try:
        services.document_approve(
            actor=actor,
            user=request.user,
            document=document,
            seen_version=_version(request.POST.get("seen")),
        )
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, vietnamese_in(_("«%(title)s» approved."), title=document.title))
    return _after_review(request, pk)


@login_required
@require_POST
def request_more_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask the unit for more, with a comment saying what is missing."""
    actor = get_staff_actor(request)
    document = get_document_for_user(actor, pk)
    form = RequestMoreForm(request.POST)
    try:
        services.document_request_more(
            actor=actor,
            user=request.user,
            document=document,
            comment=form.cleaned_data["comment"] if form.is_valid() else "",
            seen_version=_version(request.POST.get("seen")),
        )
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(
            request,
            vietnamese_in(
                _("More was asked of %(unit)s for «%(title)s»."),
                unit=document.unit.name,
                title=document.title,
            ),
        )
    return _after_review(request, pk)


@login_required
def explanation_edit(request: HttpRequest, year: int, unit_code: str, code: str) -> HttpResponse:
    """A unit's explanation of missing evidence for one indicator: read it, or write it."""
    actor = get_staff_actor(request)
    unit = get_unit_for_user(actor, unit_code, year)
    indicator = get_indicator(get_criteria_set_for(unit, year), code)
    explanation = selectors.unit_explanations(unit, year).get(indicator.pk)
    initial = {"text": explanation.text} if explanation else None
    form = ExplanationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.explanation_save(
                actor=actor,
                user=request.user,
                unit=unit,
                year=year,
                indicator=indicator,
                text=form.cleaned_data["text"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Explanation saved. Reviewers can read it."))
            url = reverse("evidence:document_list", args=[year, unit.code])
            return redirect(f"{url}#indicator-{indicator.code}")
    return render(
        request,
        "evidence/explanation.html",
        {
            "form": form,
            "unit": unit,
            "year": year,
            "indicator": indicator,
            "explanation": explanation,
            "year_state": year_state(year),
            "can_write": year_state(year) == "open"
            and can_attach_evidence(actor, indicator.pk, unit),
        },
    )


@login_required
def coverage(request: HttpRequest, year: int) -> HttpResponse:
    """Districts × indicators districts report on: what is proven and what is missing. A district
    office sees its own row only."""
    actor = get_staff_actor(request)
    unit_ids = [actor.office_unit_id] if actor.is_unit_office else None
    criteria_set = subdivision_set(year)
    if criteria_set is None:
        raise Http404("No criteria set applies to the city's units this year.")
    reviews = can_review_evidence(actor)

    def render_content() -> str:
        context = {
            "matrix": selectors.coverage_matrix(criteria_set, year, unit_ids),
            "year": year,
            "can_review": reviews,
        }
        return render_to_string("evidence/_coverage.html", context)

    # The documents read: every district's, or the office's own district's.
    scopes = [versions.every_unit(year)] if unit_ids is None else []
    scopes += versions.page_scopes(year, None if unit_ids is None else actor.office_unit_id)
    parts = (criteria_set.pk, year, tuple(unit_ids or ()), reviews)
    content = caching.rendered("coverage", parts, render_content, scopes=scopes)
    return render(request, "evidence/coverage.html", {"year": year, "content": content})
