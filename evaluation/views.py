"""The December dashboard, the district matrix, progress, trends, the what-if, the committee's
decision and report: thin views over evaluation.dashboard and evaluation.selectors."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assignments.access import (
    get_city,
    get_criteria_set_for,
    get_staff_actor,
    get_unit_for_user,
)
from assignments.models import Unit
from assignments.permissions import (
    Actor,
    actor_for,
    can_compare_districts,
    can_record_decision,
    can_run_the_pilot,
    can_see_other_reporters,
    can_write_report,
    progress_departments,
)
from assignments.selectors import (
    city_subdivisions,
    level_of,
    pilot_ids,
    subdivision_set,
    subdivisions,
)
from criteria.models import CriteriaSet, EvaluationYear
from criteria.selectors import (
    district_criteria_set,
    evaluation_set_for,
    latest_year,
    level_specs,
    rounds_of,
    year_state,
)
from evidence.filetypes import UploadRefused
from evidence.selectors import district_plans
from evidence.views import stored_file_download

from . import caching, dashboard, documents, records, reports, services
from .forms import (
    DecisionDocumentForm,
    DecisionForm,
    DocumentSettingsForm,
    MeetingFileForm,
    MeetingForm,
    MemberForm,
    NarrativeForm,
    WhatIfForm,
)
from .models import (
    CommitteeDecision,
    DecisionDocument,
    DocumentSettings,
    FrozenRecord,
    Meeting,
    MeetingFile,
    Member,
)
from .selectors import (
    body_signers,
    decision_for,
    document_settings,
    expiring_recognitions,
    files_of_meeting,
    recognised_units,
    recognition_exceptions,
    recognized_against_data,
    report_narrative,
    year_meetings,
    year_members,
)
from .versions import page_scopes


def _district_set(year: int) -> CriteriaSet:
    criteria_set = subdivision_set(year)
    if criteria_set is None:
        raise Http404("No criteria set applies to the districts this year.")
    return criteria_set


def _check_year(year: int) -> int:
    if not 2000 <= year <= 2100:
        raise Http404("No such year.")
    return year


def _provisional(request: HttpRequest) -> bool:
    return request.GET.get("basis") == "provisional"


@login_required
def dashboard_index(request: HttpRequest) -> HttpResponse:
    """`/dashboard/`: the latest evaluation year's dashboard: a district office's own district's
    (of its last year, for a district dissolved since), everyone else's the city's."""
    actor = get_staff_actor(request)
    year = latest_year() or timezone.localdate().year
    if actor.is_unit_office:
        district = actor.department.unit
        if district.valid_to is not None and district.valid_to < year:
            year = district.valid_to  # a dissolved district's last year
        return redirect("evaluation:unit", year=year, unit_code=district.code)
    return redirect("evaluation:city", year=year)


@login_required
def city_dashboard(request: HttpRequest, year: int) -> HttpResponse:
    """The city's verdict and tree for a year."""
    get_staff_actor(request)
    return _unit_page(request, get_city(), _check_year(year))


@login_required
def unit_dashboard(request: HttpRequest, year: int, unit_code: str) -> HttpResponse:
    """One district's (or the city's) verdict and tree; another district's office gets a 404."""
    actor = get_staff_actor(request)
    unit = get_unit_for_user(actor, unit_code, year)
    return _unit_page(request, unit, _check_year(year))


def _unit_page(request: HttpRequest, unit: Unit, year: int) -> HttpResponse:
    """A unit's verdict against a set of its own level; a district whose year has no district
    set gets the page without one (never a verdict on the city's indicators). Its content is the
    same for every reader with the same rights on the same day (the calendar counts the days)."""
    actor = actor_for(request.user)
    provisional, problems_only = _provisional(request), request.GET.get("problems") == "1"
    may_compare, sees_reporters = can_compare_districts(actor), can_see_other_reporters(actor)
    can_decide, writes_report = can_record_decision(actor), can_write_report(actor, unit)
    today = timezone.localdate()

    def render_content() -> str:
        # The set is found here, not in the key: the catalogue is part of what a key's versions
        # cover, and a page read back from the cache reads no catalogue row.
        criteria_set = evaluation_set_for(unit.level, year)
        if criteria_set is None and unit.is_city:
            raise Http404("No criteria set applies to the city this year.")
        data = criteria_set and caching.unit_dashboard(
            criteria_set, unit, year, provisional=provisional
        )
        decision = decision_for(unit, year)
        frozen = records.current_record(unit, year)
        official = data and not data.provisional
        if unit.is_city:
            document_url = reverse("evaluation:report_document", args=[year])
        else:
            document_url = reverse("evaluation:district_report_document", args=[year, unit.code])
        context = {
            "data": data,
            "document_url": document_url if data else "",
            "print_url": _report_print_url(unit, year),
            "can_write_report": writes_report,
            "criteria_set": criteria_set,
            "year": year,
            "unit": unit,
            "problems_only": problems_only,
            "may_compare": may_compare,
            "sees_reporters": sees_reporters,
            "decision": decision,
            "recognized_against_data": recognized_against_data(
                decision, data.evaluation.verdict if data else None
            ),
            "can_decide": can_decide,
            # Rounds name district pilots, each with its district plan: districts only.
            "in_pilot_rounds": unit.level == CriteriaSet.Level.DISTRICT,
            "is_pilot": unit.pk in pilot_ids(year),
            "plan": None if unit.is_city else district_plans(year, [unit.pk]).get(unit.pk),
            "round": rounds_of(year).get(unit.level),
            "live": year_state(year) == EvaluationYear.State.OPEN,
            "record": frozen,
            "record_differences": (
                records.differences(frozen, data.evaluation) if frozen and official else None
            ),
        }
        # Rendered with the request, as the page's other templates are, for the menu's tabs;
        # what it shows depends on the person only through the rights in the key.
        return render_to_string("evaluation/_unit_content.html", context, request=request)

    rights = (may_compare, sees_reporters, can_decide, writes_report)
    parts = (unit.pk, year, provisional, problems_only, *rights, today.isoformat())
    content = caching.rendered("unit", parts, render_content, scopes=page_scopes(year, unit.pk))
    expiring = expiring_recognitions(today) if unit.is_city else []
    return render(
        request,
        "evaluation/unit.html",
        {"unit": unit, "year": year, "content": content, "expiring": expiring},
    )


@login_required
def district_matrix(request: HttpRequest, year: int) -> HttpResponse:
    """Districts × the indicators districts report on; not for a single district's office."""
    actor = get_staff_actor(request)
    if not can_compare_districts(actor):
        raise PermissionDenied(_("A district office sees its own district only."))
    year = _check_year(year)
    provisional, can_decide = _provisional(request), can_record_decision(actor)

    def content() -> str:
        matrix = caching.district_matrix(_district_set(year), year, provisional=provisional)
        # Each distinct cell is rendered once, not once per district and indicator: the page
        # grows with the districts by its bytes only.
        cells = {}
        for looks in {cell.looks for row in matrix.rows for cell in row.cells}:
            status, evidence = looks.split(":")
            cells[looks] = render_to_string(
                "evaluation/_matrix_cell.html", {"status": status, "evidence": evidence}
            )
        context = {"matrix": matrix, "year": year, "can_decide": can_decide, "cells": cells}
        return render_to_string("evaluation/_districts.html", context)

    parts = (year, provisional, can_decide)
    return render(
        request,
        "evaluation/districts.html",
        {
            "year": year,
            "of_communes": level_of(city_subdivisions(year)) == CriteriaSet.Level.COMMUNE,
            "content": caching.rendered("districts", parts, content, scopes=page_scopes(year)),
        },
    )


@login_required
def progress(request: HttpRequest, year: int) -> HttpResponse:
    """Per department: data approved / submitted / missing; the plan's tasks, overdue marked. A
    district office reads its own office's line only."""
    actor = get_staff_actor(request)
    year = _check_year(year)
    departments, compares = progress_departments(actor), can_compare_districts(actor)
    today = timezone.localdate()

    def render_content() -> str:
        context = {
            "year": year,
            "departments": dashboard.department_progress(
                get_criteria_set_for(get_city(), year),
                district_criteria_set(year),
                year,
                departments=departments,
            ),
            "tasks": dashboard.plan_task_lines(today),
            "rounds": rounds_of(year),
            "live": year_state(year) == EvaluationYear.State.OPEN,
            "pilot_plans": _pilot_plans(year) if compares else None,
        }
        # With the request, for the menu's tabs; what it shows depends on the person only
        # through the rights in the key.
        return render_to_string("evaluation/_progress.html", context, request=request)

    parts = (year, tuple(departments or ()), compares, today.isoformat())
    content = caching.rendered("progress", parts, render_content, scopes=page_scopes(year))
    return render(request, "evaluation/progress.html", {"year": year, "content": content})


def _pilot_plans(year: int) -> list[tuple[Unit, object]]:
    """Each pilot district of the year with its plan (None: not uploaded yet)."""
    pilots = pilot_ids(year)
    plans = district_plans(year, pilots)
    return [
        (district, plans.get(district.pk))
        for district in subdivisions(year, CriteriaSet.Level.DISTRICT)
        if district.pk in pilots
    ]


@login_required
def trends(request: HttpRequest, year: int, unit_code: str) -> HttpResponse:
    """Year over year: each numeric indicator's approved figures with a small chart."""
    actor = get_staff_actor(request)
    unit = get_unit_for_user(actor, unit_code, year)
    year = _check_year(year)
    lines = dashboard.year_over_year(get_criteria_set_for(unit, year), unit, year)
    return render(request, "evaluation/trends.html", {"lines": lines, "unit": unit, "year": year})


@login_required
def what_if(request: HttpRequest, year: int) -> HttpResponse:
    """A sandbox: change any value and see which indicators, criteria and the verdict flip.

    Starts from the official picture; nothing is saved, whatever is submitted. A try with an
    invalid value marks it and keeps showing the results of the last valid try (sent back by the
    page), or the official ones before any.
    """
    get_staff_actor(request)
    city, year = get_city(), _check_year(year)
    base = dashboard.baseline(get_criteria_set_for(city, year), city, year)
    scenario = changes = None
    options = {"initial": WhatIfForm.initial_from(base.by_code), "indicators": base.indicators}
    form = WhatIfForm(request.POST or None, **options)
    shown = form if form.is_valid() else WhatIfForm.earlier(request.POST.get("last"), **options)
    if shown is not None:
        scenario = base.scenario(shown.overrides)  # as `manage.py evaluate --what-if` scores it
        changes = dashboard.flips(base.evaluation, scenario)
    return render(
        request,
        "evaluation/what_if.html",
        {
            "year": year,
            "form": form,
            "last": shown.as_sent() if shown is not None else "",
            "kept": shown is not None and shown is not form,
            "before": base.evaluation,
            "after": scenario,
            "changes": changes,
            "results": {r.code: r for r in (scenario or base.evaluation).indicators},
        },
    )


@login_required
def decision(request: HttpRequest, year: int, unit_code: str) -> HttpResponse:
    """A committee member records the meeting date, the decision and a note for a unit-year."""
    actor = get_staff_actor(request)
    unit = get_unit_for_user(actor, unit_code, year)
    if not can_record_decision(actor):
        raise PermissionDenied(_("Only the steering committee records its decision."))
    year = _check_year(year)
    existing = decision_for(unit, year)
    exceptions = recognition_exceptions(unit, year)
    criteria_set = evaluation_set_for(unit.level, year)
    levels = [spec.number for spec in level_specs(criteria_set)] if criteria_set else []
    form = DecisionForm(
        request.POST or None,
        instance=existing,
        year=year,
        exceptions=exceptions,
        levels=levels,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_record(
                actor=actor,
                unit=unit,
                year=year,
                user=request.user,
                data=form.cleaned_data,
                instance=existing,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The committee decision has been recorded, and what it was decided on frozen."),
            )
            return redirect("evaluation:unit", year=year, unit_code=unit.code)
    return render(
        request,
        "evaluation/decision.html",
        {
            "form": form,
            "unit": unit,
            "year": year,
            "exceptions": exceptions,
            "has_meeting": form.fields["meeting"].queryset.exists(),
        },
    )


@login_required
def decision_document(request: HttpRequest, year: int, unit_code: str) -> HttpResponse:
    """Attach the formal decision issued on a unit-year's recognition (or replace it)."""
    actor = get_staff_actor(request)
    unit = get_unit_for_user(actor, unit_code, year)
    services.check_records_meetings(actor)
    decision = decision_for(unit, _check_year(year))
    if decision is None:
        raise Http404("No recognition recorded for this unit and year.")
    current = decision.issued_document
    initial = {
        name: getattr(current, name) for name in services.DECISION_DOCUMENT_FIELDS if current
    }
    form = DecisionDocumentForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_document_attach(
                actor=actor,
                user=request.user,
                decision=decision,
                data=form.cleaned_data,
                file=form.cleaned_data["file"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The decision document is attached."))
            return redirect("evaluation:unit", year=year, unit_code=unit.code)
    return render(
        request,
        "evaluation/decision_document.html",
        {"form": form, "unit": unit, "year": year, "decision": decision, "current": current},
    )


@login_required
def narrative(request: HttpRequest, year: int, unit_code: str) -> HttpResponse:
    """What a unit's pilot report says beyond its figures, written by whoever issues it (the
    standing office for the city, a district's office or the standing office for a district)."""
    actor = get_staff_actor(request)
    unit = get_unit_for_user(actor, unit_code, year)
    year = _check_year(year)
    services.check_writes_report(actor, unit)
    form = NarrativeForm(request.POST or None, instance=report_narrative(unit, year))
    if request.method == "POST" and form.is_valid():
        try:
            services.narrative_save(
                actor=actor, user=request.user, unit=unit, year=year, data=form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The report's text has been saved."))
            return redirect("evaluation:narrative", year=year, unit_code=unit.code)
    return render(
        request,
        "evaluation/narrative.html",
        {"form": form, "unit": unit, "year": year, "print_url": _report_print_url(unit, year)},
    )


def _report_print_url(unit: Unit, year: int) -> str:
    """The print page of a unit's report: the city's, or a district's own."""
    if unit.is_city:
        return reverse("evaluation:report_print", args=[year])
    return reverse("evaluation:district_report_print", args=[year, unit.code])


@login_required
def decision_document_download(request: HttpRequest, year: int, unit_code: str) -> HttpResponse:
    """The signed decision, for whoever reads the unit's dashboard."""
    unit = get_unit_for_user(get_staff_actor(request), unit_code, year)
    document = get_object_or_404(DecisionDocument, decision__unit=unit, year=_check_year(year))
    return stored_file_download(document.file, document.original_name, document.content_type)


def _comparing_districts(request: HttpRequest) -> Actor:
    """The signed-in person, who reads the districts side by side (a district office: 403)."""
    actor = get_staff_actor(request)
    if not can_compare_districts(actor):
        raise PermissionDenied(_("A district office sees its own district only."))
    return actor


@login_required
def meetings(request: HttpRequest, year: int) -> HttpResponse:
    """The year's meetings with their minutes and the recognitions decided at each; read by
    everyone who reads the districts side by side."""
    actor = _comparing_districts(request)
    year = _check_year(year)
    return render(
        request,
        "evaluation/meetings.html",
        {
            "year": year,
            "meetings": year_meetings(year),
            "can_record": can_record_decision(actor),
        },
    )


@login_required
def meeting_files(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    """The files kept with a meeting's record — its signed minutes, its attachments — added and
    removed by those who record the meetings."""
    actor = get_staff_actor(request)
    services.check_records_meetings(actor)
    meeting = get_object_or_404(Meeting, pk=pk, year=_check_year(year))
    form = MeetingFileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_file_attach(
                actor=actor,
                user=request.user,
                meeting=meeting,
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
                file=form.cleaned_data["file"],
            )
        except ValidationError as error:
            form.add_error("file" if isinstance(error, UploadRefused) else None, error)
        else:
            messages.success(request, _("The file is kept with the meeting's record."))
            return redirect("evaluation:meeting_files", year=year, pk=meeting.pk)
    return render(
        request,
        "evaluation/meeting_files.html",
        {
            "form": form,
            "year": year,
            "meeting": meeting,
            "files": files_of_meeting(meeting),
        },
    )


@login_required
def meeting_file_download(request: HttpRequest, year: int, pk: int, file_pk: int) -> HttpResponse:
    """A meeting's file, for whoever reads the meetings."""
    _comparing_districts(request)
    kept = get_object_or_404(MeetingFile, pk=file_pk, meeting_id=pk, year=_check_year(year))
    return stored_file_download(kept.file, kept.original_name, kept.content_type)


@login_required
@require_POST
def meeting_file_remove(request: HttpRequest, year: int, pk: int, file_pk: int) -> HttpResponse:
    """Remove a file kept with a meeting by mistake; its history says what it was and who
    removed it."""
    actor = get_staff_actor(request)
    kept = get_object_or_404(MeetingFile, pk=file_pk, meeting_id=pk, year=_check_year(year))
    services.meeting_file_remove(actor=actor, user=request.user, meeting_file=kept)
    messages.success(request, _("The file is removed from the meeting's record."))
    return redirect("evaluation:meeting_files", year=year, pk=pk)


@login_required
def members(request: HttpRequest, year: int) -> HttpResponse:
    """The year's council and committee members; the standing office names and removes them."""
    actor = _comparing_districts(request)
    year = _check_year(year)
    keeps = can_run_the_pilot(actor)
    form = MemberForm(request.POST or None) if keeps else None
    if request.method == "POST":
        if not keeps:
            raise PermissionDenied(_("Only the standing office keeps the members of the bodies."))
        if "remove" in request.POST:
            member = get_object_or_404(Member, pk=request.POST.get("remove"), year=year)
            services.member_remove(actor=actor, user=request.user, member=member)
            messages.success(request, _("%(name)s is no longer a member.") % {"name": member.name})
            return redirect("evaluation:members", year=year)
        if form.is_valid():
            try:
                services.member_add(
                    actor=actor, user=request.user, year=year, data=form.cleaned_data
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The member is named."))
                return redirect("evaluation:members", year=year)
    return render(
        request,
        "evaluation/members.html",
        {"year": year, "members": year_members(year), "form": form},
    )


@login_required
def meeting_edit(request: HttpRequest, year: int, pk: int | None = None) -> HttpResponse:
    """Record a meeting that was held, or correct its record."""
    actor = get_staff_actor(request)
    services.check_records_meetings(actor)
    year = _check_year(year)
    existing = get_object_or_404(Meeting, pk=pk, year=year) if pk is not None else None
    form = MeetingForm(request.POST or None, instance=existing, year=year)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_record(
                actor=actor,
                user=request.user,
                year=year,
                data=form.cleaned_data,
                instance=existing,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The meeting has been recorded."))
            return redirect(f"{reverse('evaluation:meetings', args=[year])}#meeting-{meeting.pk}")
    return render(
        request, "evaluation/meeting_form.html", {"form": form, "year": year, "meeting": existing}
    )


@login_required
def meeting_minutes_document(
    request: HttpRequest, year: int, pk: int, printed: bool = False
) -> HttpResponse:
    """A meeting's minutes (biên bản) from its record, as an editable .docx or a print page."""
    _comparing_districts(request)
    meeting = get_object_or_404(Meeting, pk=pk, year=_check_year(year))
    kept = document_settings()
    chair, secretary = body_signers(meeting.year, meeting.kind) if meeting.recognises else ("", "")
    document = documents.meeting_minutes(
        kind=meeting.kind,
        held_on=meeting.held_on,
        place=meeting.place,
        chaired_by=meeting.chaired_by,
        attendees=meeting.attendees,
        agenda=meeting.agenda,
        minutes=meeting.minutes,
        recognitions=[
            documents.DecidedRecognition(
                unit=decision.unit.name,
                recognised=decision.decision == CommitteeDecision.Decision.RECOGNIZED,
                number=decision.number,
                reason=decision.exception_reason,
            )
            for decision in meeting.decisions.select_related("unit").order_by("unit__position")
        ],
        letterhead=_letterhead(kept),
        recipients=documents.MINUTES_RECIPIENTS,
        chair=chair,
        secretary=secretary,
    )
    name = f"bien-ban-{meeting.kind}-{meeting.held_on:%Y-%m-%d}.docx"
    return _official(request, document, name, printed, "meeting_minutes", year, pk)


def _get_record(request: HttpRequest, year: int, unit_code: str, pk: int) -> FrozenRecord:
    """A frozen record of a unit the person may see (another district's: 404)."""
    unit = get_unit_for_user(get_staff_actor(request), unit_code, year)
    return get_object_or_404(
        FrozenRecord.objects.select_related("unit", "frozen_by", "replaces", "decision"),
        pk=pk,
        unit=unit,
        year=_check_year(year),
    )


@login_required
def record(request: HttpRequest, year: int, unit_code: str, pk: int) -> HttpResponse:
    """A frozen record, read-only, as everyone who reads the unit's dashboard may see it."""
    frozen = _get_record(request, year, unit_code, pk)
    content = records.content_of(frozen)
    return render(
        request,
        "evaluation/record.html",
        {
            "record": frozen,
            "content": content,
            "decision_label": CommitteeDecision.Decision(content["recognition"]["decision"]).label,
            "meeting_label": Meeting.Kind(content["meeting"]["kind"]).label,
            "held_on": date.fromisoformat(content["meeting"]["held_on"]),
            "estimated": {v["code"] for v in content.get("values", []) if v.get("estimate")},
            "replaced_by": FrozenRecord.objects.filter(replaces=frozen).first(),
            "year": year,
            "unit": frozen.unit,
        },
    )


@login_required
def record_download(request: HttpRequest, year: int, unit_code: str, pk: int) -> HttpResponse:
    """The record exactly as it was hashed: its SHA-256 is the file's."""
    frozen = _get_record(request, year, unit_code, pk)
    response = HttpResponse(frozen.content.encode("utf-8"), content_type="application/json")
    name = f"ho-so-{frozen.unit.code}-{frozen.year}-{frozen.pk}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _city_report(request: HttpRequest, year: int) -> reports.Report:
    city, year = get_city(), _check_year(year)
    criteria_set = get_criteria_set_for(city, year)
    data = caching.unit_dashboard(criteria_set, city, year, provisional=_provisional(request))
    return reports.build_report(data, decision_for(city, year), criteria_set)


@login_required
def report(request: HttpRequest, year: int) -> HttpResponse:
    """The report as a print-ready page (the browser's "Save as PDF" gives the signed copy)."""
    actor = get_staff_actor(request)
    city = get_city()
    return render(
        request,
        "evaluation/report.html",
        {
            "report": _city_report(request, year),
            "year": year,
            "provisional": _provisional(request),
            "city_code": city.code,
            "can_write_report": can_write_report(actor, city),
        },
    )


@login_required
def report_workbook(request: HttpRequest, year: int) -> HttpResponse:
    """The report as an Excel workbook."""
    get_staff_actor(request)
    kept = document_settings()
    content = reports.report_workbook(_city_report(request, year), kept.place, _signature(kept))
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="bao-cao-ket-qua-danh-gia-{year}.xlsx"'
    return response


@login_required
def report_document(request: HttpRequest, year: int, printed: bool = False) -> HttpResponse:
    """The city's report in the form of Nghị định 30/2020/NĐ-CP, issued and signed as the
    standing office keeps it, with the narrative it wrote: an editable .docx or a print page."""
    get_staff_actor(request)
    kept = document_settings()
    document = documents.pilot_report(
        _city_report(request, year),
        letterhead=_letterhead(kept),
        signature=_signature(kept),
        recipients=kept.recipient_lines,
        year=year,
        narrative=_narrative(get_city(), year),
    )
    return _official(
        request, document, f"bao-cao-thi-diem-{year}.docx", printed, "report_document", year
    )


@login_required
def district_report_document(
    request: HttpRequest, year: int, unit_code: str, printed: bool = False
) -> HttpResponse:
    """A district's own report, issued by its education office, as an editable .docx or a print
    page (another district's office gets a 404, as for its dashboard)."""
    unit = get_unit_for_user(get_staff_actor(request), unit_code, year)
    year = _check_year(year)
    criteria_set = evaluation_set_for(unit.level, year)
    if unit.is_city or criteria_set is None:
        raise Http404("A district's report needs a district criteria set for the year.")
    data = caching.unit_dashboard(criteria_set, unit, year, provisional=_provisional(request))
    document = documents.pilot_report(
        reports.build_report(data, decision_for(unit, year), criteria_set),
        letterhead=documents.district_letterhead(unit.name),
        signature=documents.DISTRICT_SIGNATURE,
        recipients=documents.district_recipients(unit.name),
        year=year,
        subject=documents.district_subject(unit.name),
        narrative=_narrative(unit, year),
    )
    name = f"bao-cao-thi-diem-{unit.code}-{year}.docx"
    return _official(request, document, name, printed, "district_report_document", year, unit.code)


def _proposed_units(year: int) -> list[documents.ProposedUnit]:
    return [
        documents.ProposedUnit.of(
            decision.unit.name,
            results=results,
            meeting_kind=decision.meeting.kind,
            held_on=decision.meeting.held_on,
            number=decision.number,
        )
        for decision, results in recognised_units(year)
    ]


@login_required
def proposal_document(request: HttpRequest, year: int, printed: bool = False) -> HttpResponse:
    """Tờ trình đề nghị công nhận: the year's recognised units proposed to the People's
    Committee, issued and signed as the standing office keeps the documents; it lists every
    district, so not for a single district's office."""
    _comparing_districts(request)
    year = _check_year(year)
    kept = document_settings()
    document = documents.recognition_proposal(
        _proposed_units(year), letterhead=_letterhead(kept), signature=_signature(kept), year=year
    )
    name = f"to-trinh-cong-nhan-{year}.docx"
    return _official(request, document, name, printed, "proposal_document", year)


@login_required
def decision_draft_document(request: HttpRequest, year: int, printed: bool = False) -> HttpResponse:
    """Dự thảo Quyết định công nhận: the People's Committee's decision to issue, drafted."""
    _comparing_districts(request)
    year = _check_year(year)
    document = documents.recognition_decision_draft(
        _proposed_units(year), letterhead=_letterhead(document_settings()), year=year
    )
    name = f"du-thao-quyet-dinh-{year}.docx"
    return _official(request, document, name, printed, "decision_draft_document", year)


def _letterhead(kept: DocumentSettings) -> documents.Letterhead:
    return documents.Letterhead(
        parent_body=kept.parent_body,
        issuing_body=kept.issuing_body,
        short_name=kept.short_name,
        place=kept.place,
        name_in_text=kept.name_in_text,
    )


def _official(
    request: HttpRequest,
    document: documents.OfficialDocument,
    filename: str,
    printed: bool,
    url_name: str,
    *args: object,
) -> HttpResponse:
    """An official document as the editable .docx `url_name` serves, or as its print page (the
    same parts, for the browser's Print), which links to the .docx."""
    if not printed:
        return _docx(documents.official_document(document), filename)
    docx_url = reverse(f"evaluation:{url_name}", args=args)
    if request.GET.urlencode():
        docx_url = f"{docx_url}?{request.GET.urlencode()}"
    words = {
        "draft": documents.DRAFT_MARK,
        "national_title": documents.NATIONAL_TITLE,
        "motto": documents.MOTTO,
        "recipients": documents.RECIPIENTS_HEADING,
    }
    return render(
        request,
        "evaluation/official_document.html",
        {"document": document, "docx_url": docx_url, "words": words},
    )


def _narrative(unit: Unit, year: int) -> documents.Narrative:
    written = report_narrative(unit, year)
    if written is None:
        return documents.Narrative()
    return documents.Narrative(
        **{name: getattr(written, name) for name in services.NARRATIVE_FIELDS}
    )


def _docx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _signature(kept: DocumentSettings) -> reports.Signature:
    return reports.Signature(
        title=kept.signer_title, name=kept.signer_name, on_behalf_of=kept.on_behalf_of
    )


@login_required
def document_settings_edit(request: HttpRequest) -> HttpResponse:
    """Who issues and signs the official documents: kept by the standing office."""
    actor = get_staff_actor(request)
    if not can_run_the_pilot(actor):
        raise PermissionDenied(_("Only the standing office keeps the documents' settings."))
    form = DocumentSettingsForm(request.POST or None, instance=document_settings())
    if request.method == "POST" and form.is_valid():
        services.document_settings_save(actor=actor, user=request.user, data=form.cleaned_data)
        messages.success(request, _("The documents' settings have been saved."))
        return redirect("evaluation:document_settings")
    return render(request, "evaluation/document_settings.html", {"form": form})
