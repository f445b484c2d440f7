"""Data entry, "my work" and the review queue. Thin: load through an access helper, validate with a
form, call a service, redirect after POST."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assignments.access import (
    get_city,
    get_criteria_set_for,
    get_indicator,
    get_staff_actor,
    get_unit_for_user,
)
from assignments.models import Unit
from assignments.permissions import (
    Actor,
    can_discuss_value,
    can_edit_entry,
    can_review,
    can_see_other_reporters,
    can_write_line,
    can_write_value,
)
from assignments.selectors import entered_by, in_the_round, subdivisions
from common.excel import WorkbookError
from common.reading import read_for
from common.staging import (
    discard_staged_upload,
    stage_upload,
    staged_import_content,
    staged_upload,
)
from common.templatetags.portal_tags import vietnamese_in
from criteria.models import CriteriaSet, Indicator, ensure_year_open
from criteria.scoring import kind_facts
from criteria.selectors import criteria_set_for, indicators_of, open_year, rounds_of, year_state
from evaluation import caching
from evaluation.selectors import (
    WorkRow,
    entry_result,
    review_rows,
    work_rows,
)
from evaluation.versions import page_scopes

from . import imports, lists, services, workbooks
from .access import get_measurement_for_user
from .forms import (
    AgencyListForm,
    DistrictFlagsForm,
    LineReviewForm,
    MeasurementForm,
    NotApplicableForm,
    ReportedLineForm,
    ReturnForm,
    ValueCommentForm,
    WorkbookUploadForm,
    figure_label,
)
from .models import Measurement, Rating, ReportedLine
from .selectors import (
    LineRow,
    approved_entry_last_year,
    counted_from_district_verdicts,
    entry_for,
    lines_picture,
    lines_to_report,
    lines_waiting,
    readable_history,
)

#: The session's key for the staged upload's id, and the staged upload's kind.
IMPORT_SESSION_KEY = "workbook_import"
STAGED_KIND = "values"


@login_required
def my_work(request: HttpRequest) -> HttpResponse:
    """The indicators a person's department is assigned, for the open year, with their status:
    the same for every member of the department on the same day (deadlines count the days)."""
    actor = get_staff_actor(request)
    year, department, reviews = open_year(), actor.department, can_review(actor)

    def render_content() -> str:
        rows, unit, reports, city, ended = [], None, [], get_city(), None
        if year is not None and department is not None:
            unit = department.unit if actor.is_unit_office else city
        if unit is not None and not unit.exists_in(year):
            # A district dissolved before the open year: nothing to enter; its years stay.
            unit, ended = None, unit
        elif unit is not None:
            criteria_set = criteria_set_for(unit.level, year)
            if criteria_set is not None:
                indicators = indicators_of(criteria_set, actor.assigned_indicator_ids)
                rows = work_rows(indicators, unit, year)
            city_set = criteria_set_for(city.level, year)
            if actor.is_unit_office and city_set is not None:
                reports = lines_to_report(department, actor.assigned_indicator_ids, city_set, year)
        context = {
            "year": year,
            "rows": rows,
            "unit": unit,
            "city": city,
            "reports": reports,
            "can_review": reviews,
            "ended": ended,
            "round": rounds_of(year).get(unit.level) if unit else None,
            "in_the_round": unit is None or in_the_round(unit, year),
        }
        # With the request, for the menu's context; what it shows depends on the person only
        # through their department and the right to review, both in the key.
        return render_to_string("measurements/_my_work.html", context, request=request)

    scopes = []
    if year is not None:
        scopes = page_scopes(year, department.unit_id if actor.is_unit_office else None)
    parts = (year, getattr(department, "pk", None), reviews, timezone.localdate().isoformat())
    content = caching.rendered("my_work", parts, render_content, scopes=scopes)
    return render(request, "measurements/my_work.html", {"content": content})


@login_required
def unit_values(request: HttpRequest, year: int, unit_code: str) -> HttpResponse:
    """Every indicator of one unit in one year, with entries and what they score; the entry
    links and the Excel exchange only while the year is open."""
    actor = get_staff_actor(request)
    unit = get_unit_for_user(actor, unit_code, year)
    criteria_set = get_criteria_set_for(unit, year)
    rows = work_rows(indicators_of(criteria_set), unit, year)
    state = year_state(year)
    return render(
        request,
        "measurements/unit_values.html",
        {
            "year": year,
            "unit": unit,
            "rows": rows,
            "year_state": state,
            "writable": {
                r.indicator.pk
                for r in rows
                if state == "open" and can_write_value(actor, r.indicator.pk, unit)
            },
        },
    )


@login_required
def measurement_edit(request: HttpRequest, year: int, unit_code: str, code: str) -> HttpResponse:
    """One indicator of one unit in one year: the form, the requirement, last year, the verdict."""
    actor = get_staff_actor(request)
    unit = get_unit_for_user(actor, unit_code, year)
    indicator = get_indicator(get_criteria_set_for(unit, year), code)
    prefetch_related_objects([indicator], "parts")  # the form, the checks and the save read them
    form = None
    if request.method == "POST":
        if not can_write_value(actor, indicator.pk, unit):
            raise PermissionDenied(_("You may not enter values of this indicator for this unit."))
        form = MeasurementForm(request.POST, indicator=indicator)
        if form.is_valid():
            try:
                saved = services.measurement_save(
                    actor=actor,
                    user=request.user,
                    indicator=indicator,
                    unit=unit,
                    year=year,
                    data=form.measurement_data(),
                    expected_version=form.cleaned_data["version"],
                    submit="submit" in request.POST,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                _saved_message(request, saved)
                return redirect(request.path)
    # What the page shows beside the form is read only when it is shown.
    row = work_rows([indicator], unit, year)[0]
    if form is None:
        initial = MeasurementForm.initial_for(row.measurement, row.last_year)
        form = MeasurementForm(initial=initial, indicator=indicator)
    context = _entry_page(actor, row, unit, year, year_state(year))
    return render(request, "measurements/measurement_form.html", {**context, "form": form})


def _entry_page(actor: Actor, row: WorkRow, unit: Unit, year: int, state: str | None) -> dict:
    """What the entry page shows beside its form, and what it offers the person."""
    indicator = row.indicator
    counted = counted_from_district_verdicts(indicator, unit)
    can_write = (
        not counted
        and not indicator.counts_reported_lines
        and can_edit_entry(
            actor,
            indicator.pk,
            unit,
            year_open=state == "open",
            not_applicable=row.measurement is not None and row.measurement.is_not_applicable,
            from_list=indicator.has_stored_list,
        )
    )
    offers_not_applicable = can_review(actor) and state == "open"
    # A page the person may only read says who enters the value (a typed one: not a sum of lines
    # or of the committee's recognitions, which say where their figures come from).
    typed = not counted and not indicator.counts_reported_lines
    history = readable_history(row.measurement) if row.measurement else []
    # Last year's approved value is read with the entries when it is a plain value (what a drop
    # or an increase compares with); an entry of any other kind shows its figures.
    last_year_entry = (
        approved_entry_last_year(indicator, unit, year) if row.last_year is None else None
    )
    return {
        "row": row,
        "indicator": indicator,
        "unit": unit,
        "year": year,
        "can_write": can_write,
        "entered_by": entered_by(indicator, unit) if typed and not can_write else None,
        "takes_yes": "yes" in kind_facts(indicator.kind).fields,
        "yes_label": figure_label("yes", indicator, marked=True),
        "numerator_label": figure_label("numerator", indicator, marked=True),
        "denominator_label": figure_label("denominator", indicator, marked=True),
        "counted_from_verdicts": counted,
        "not_applicable_form": NotApplicableForm.for_entry(row.measurement)
        if offers_not_applicable
        else None,
        "year_state": state,
        "history": history,
        "last_year_entry": last_year_entry,
        "comments": row.measurement.comments.select_related("author") if row.measurement else [],
        "comment_form": ValueCommentForm()
        if row.measurement and state == "open" and can_discuss_value(actor, indicator.pk, unit)
        else None,
    }


def _saved_message(request: HttpRequest, measurement: Measurement) -> None:
    result = entry_result(measurement)
    verdict = str(result.sentence) if result else _("no value yet")
    if measurement.status == Measurement.Status.SUBMITTED:
        text = _("Submitted for review. Provisional result: %(verdict)s") % {"verdict": verdict}
    else:
        text = _("Draft saved. Provisional result: %(verdict)s") % {"verdict": verdict}
    messages.success(request, text)


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    """The standing office's queue of submitted entries."""
    actor = get_staff_actor(request)
    if not can_review(actor):
        raise PermissionDenied(_("Only the standing office reviews reported values."))
    rows = review_rows()
    return render(
        request,
        "measurements/review_queue.html",
        {"rows": rows, "return_form": ReturnForm(), "lines_waiting": lines_waiting()},
    )


@login_required
@require_POST
def review_approve(request: HttpRequest) -> HttpResponse:
    """Approve the ticked entries, each as the page showed it (`seen-<id>`: its version), all or
    none; every entry changed since is named with what changed."""
    actor = get_staff_actor(request)
    try:
        ids = [int(pk) for pk in request.POST.getlist("ids")]
    except ValueError as error:
        raise Http404("Bad entry id.") from error
    if not ids:
        messages.warning(request, _("Tick at least one entry to approve."))
        return redirect("measurements:review")
    seen = {pk: _version(request.POST.get(f"seen-{pk}")) for pk in ids}
    try:
        count = services.measurements_approve(actor=actor, user=request.user, seen=seen)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("%(count)d entries approved.") % {"count": count})
    return redirect("measurements:review")


@login_required
@require_POST
def review_return(request: HttpRequest, pk: int) -> HttpResponse:
    """Return one entry to its officer with a comment."""
    actor = get_staff_actor(request)
    measurement = get_measurement_for_user(actor, pk)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say what must be corrected: a returned entry needs a comment."))
        return redirect("measurements:review")
    try:
        services.measurement_return(
            actor=actor,
            user=request.user,
            measurement=measurement,
            comment=form.cleaned_data["comment"],
            seen_version=form.cleaned_data["version"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            vietnamese_in(
                _("Indicator %(code)s of %(unit)s returned with your comment."),
                code=measurement.indicator.code,
                unit=measurement.unit.name,
            ),
        )
    return redirect("measurements:review")


def _version(raw: str | None) -> int | None:
    """A version sent back by a page; None when missing or not a number (then never current)."""
    return int(raw) if raw and raw.isdigit() and len(raw) < 10 else None


@login_required
def workbook_export(request: HttpRequest, year: int, unit_code: str) -> HttpResponse:
    """ "Tải mẫu Excel": one row per indicator of a unit and year that the person enters,
    prefilled with current values (the others are left out: the template is for entering them)."""
    actor = get_staff_actor(request)
    unit = get_unit_for_user(actor, unit_code, year)
    criteria_set = get_criteria_set_for(unit, year)
    own = {i.code for i in indicators_of(criteria_set) if can_write_value(actor, i.pk, unit)}
    rows = [
        row
        for row in imports.export_rows(criteria_set=criteria_set, unit=unit, year=year)
        if row.indicator_code in own
    ]
    response = HttpResponse(
        workbooks.build_workbook(rows),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="so-lieu-{unit.code}-{year}.xlsx"'
    return response


@login_required
def workbook_import(request: HttpRequest) -> HttpResponse:
    """Upload a filled workbook: every row is checked and previewed; nothing is written yet. A
    valid workbook is staged (common/staging.py) for the confirmation."""
    actor = get_staff_actor(request)
    form = WorkbookUploadForm(request.POST or None, request.FILES or None)
    plan = None
    if request.method == "POST" and form.is_valid():
        content = form.cleaned_data["file"].read()
        plan = _plan(actor, request.user, content)
        if plan.is_valid:
            stage_upload(
                request.session,
                IMPORT_SESSION_KEY,
                owner=request.user,
                kind=STAGED_KIND,
                content=content,
                seen=_versions(plan),
            )
        else:
            discard_staged_upload(request.session, IMPORT_SESSION_KEY, owner=request.user)
    return render(
        request,
        "measurements/import.html",
        {"form": form, "plan": plan, "can_approve": can_review(actor)},
    )


@login_required
@require_POST
def workbook_import_confirm(request: HttpRequest) -> HttpResponse:
    """Write the previewed workbook: all of it, or nothing when anything changed meanwhile."""
    actor = get_staff_actor(request)
    upload = staged_upload(
        request.session, IMPORT_SESSION_KEY, owner=request.user, kind=STAGED_KIND
    )
    content = staged_import_content(upload) if upload else None
    if content is None:
        messages.error(request, _("Upload the workbook again: the preview has expired."))
        return redirect("measurements:import")
    plan = _plan(actor, request.user, content)
    if not plan.is_valid or _versions(plan) != upload.seen:
        messages.error(
            request,
            _("The values changed after your preview. Nothing was written: upload it again."),
        )
        return redirect("measurements:import")
    try:
        counts = imports.apply_import(
            actor=actor, user=request.user, plan=plan, approve="approve" in request.POST
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("measurements:import")
    discard_staged_upload(request.session, IMPORT_SESSION_KEY, owner=request.user)
    if not any(row.writes for row in plan.rows):
        messages.info(request, _("Nothing changed: the workbook holds the values already stored."))
        return redirect("measurements:my_work")
    messages.success(request, _("Workbook imported: %(summary)s.") % {"summary": plan.summary()})
    if counts.get("approved"):
        messages.info(request, _("%(count)d entries approved.") % {"count": counts["approved"]})
    return redirect("measurements:my_work")


def _plan(actor, user, content: bytes) -> imports.ImportPlan:
    try:
        rows = read_for(user, workbooks.read_workbook, content)
    except WorkbookError as error:
        return imports.ImportPlan(errors=list(error.messages), refused=True)
    return imports.plan_import(actor=actor, rows=rows)


def _versions(plan: imports.ImportPlan) -> list:
    """What the preview saw of each entry it will write, to detect a change before confirming."""
    return [
        [row.unit.code, row.year, row.indicator.code, row.expected_version]
        for row in plan.rows
        if row.writes
    ]


@login_required
@require_POST
def not_applicable(request: HttpRequest, year: int, unit_code: str, code: str) -> HttpResponse:
    """The standing office marks the indicator not applicable for the unit (or undoes it)."""
    actor = get_staff_actor(request)
    unit = get_unit_for_user(actor, unit_code, year)
    indicator = get_indicator(get_criteria_set_for(unit, year), code)
    form = NotApplicableForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the indicator does not apply to this unit."))
        return redirect("measurements:measurement", year=year, unit_code=unit.code, code=code)
    try:
        if form.cleaned_data["clear"]:
            entry = entry_for(indicator, unit, year)
            if entry is None or not entry.is_not_applicable:
                raise Http404("Nothing to undo.")
            services.measurement_clear_not_applicable(
                actor=actor, user=request.user, measurement=entry
            )
            messages.success(request, _("The indicator applies to this unit again."))
        else:
            services.measurement_mark_not_applicable(
                actor=actor,
                user=request.user,
                indicator=indicator,
                unit=unit,
                year=year,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            )
            messages.success(request, _("Marked not applicable; it drops out of the verdict."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("measurements:measurement", year=year, unit_code=unit.code, code=code)


@login_required
@require_POST
def value_comment(request: HttpRequest, year: int, unit_code: str, code: str) -> HttpResponse:
    """A message in the entry's thread (issue 15.4); back to the entry page, at the thread."""
    actor = get_staff_actor(request)
    unit = get_unit_for_user(actor, unit_code, year)
    indicator = get_indicator(get_criteria_set_for(unit, year), code)
    entry = entry_for(indicator, unit, year)
    if entry is None:
        raise Http404("No entry to write about.")
    form = ValueCommentForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors["text"])
        services.value_comment_add(
            actor=actor, user=request.user, measurement=entry, text=form.cleaned_data["text"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your message is in the thread."))
    url = reverse("measurements:measurement", args=[year, unit.code, code])
    return redirect(f"{url}#comments")


@login_required
def share_list(request: HttpRequest, year: int, unit_code: str, code: str) -> HttpResponse:
    """The list a share is counted from (agencies' scores, or a yes/no per district): read it,
    and — for who may write the indicator — replace it; saving submits the share it gives."""
    actor = get_staff_actor(request)
    unit = get_unit_for_user(actor, unit_code, year)
    indicator = get_indicator(get_criteria_set_for(unit, year), code)
    if not indicator.has_stored_list:
        raise Http404("This indicator is not counted from a stored list.")
    entry = entry_for(indicator, unit, year)
    can_write = can_edit_entry(
        actor,
        indicator.pk,
        unit,
        year_open=year_state(year) == "open",
        not_applicable=entry is not None and entry.is_not_applicable,
        from_list=False,  # this page is where the list's figures are entered
    )
    district_units = list(subdivisions(year, CriteriaSet.Level.DISTRICT))
    form = _list_form(request, indicator, entry, district_units)
    if request.method == "POST":
        if not can_write:
            raise PermissionDenied(_("You may not enter values of this indicator for this unit."))
        if form.is_valid():
            try:
                lists.list_save(
                    actor=actor,
                    user=request.user,
                    indicator=indicator,
                    unit=unit,
                    year=year,
                    items=_list_items(request.user, form, indicator, district_units),
                    expected_version=form.cleaned_data["version"],
                )
            except WorkbookError as error:  # the uploaded file's own faults: said at the file
                form.add_error("file", list(error.messages))
            except ValidationError as error:
                form.add_error(None, list(error.messages))
            else:
                messages.success(
                    request, _("The list is saved and its share submitted for review.")
                )
                return redirect(request.path)
    items = [
        (item, lists.is_counted(indicator.list_source, item))
        for item in (entry.list_items.all() if entry else [])
    ]
    return render(
        request,
        "measurements/share_list.html",
        {
            "indicator": indicator,
            "unit": unit,
            "year": year,
            "entry": entry,
            "items": items,
            "form": form,
            "good_score": lists.GOOD_SCORE,
            "sheet": lists.AGENCY_SHEET,
            "columns": lists.AGENCY_COLUMNS,
            "ratings": Rating,
            "can_write": can_write,
            "year_state": year_state(year),
        },
    )


def _list_form(request: HttpRequest, indicator, entry, district_units):
    data = request.POST if request.method == "POST" else None
    initial = {"version": entry.version if entry else None}
    if indicator.has_scored_list:
        return AgencyListForm(data, request.FILES or None, initial=initial)
    if entry is not None:
        for item in entry.list_items.all():
            if item.district_id:
                initial[f"district-{item.district_id}"] = "yes" if item.flag else "no"
    return DistrictFlagsForm(data, initial=initial, districts=district_units)


def _list_items(user, form, indicator, district_units) -> list[lists.ItemData]:
    if indicator.has_scored_list:
        return read_for(user, lists.read_agency_list, form.cleaned_data["file"].read())
    flags = form.flags()
    return [lists.ItemData(d.name, flag=flags[d.pk], district=d) for d in district_units]


@login_required
def share_list_workbook(request: HttpRequest, year: int, unit_code: str, code: str) -> HttpResponse:
    """ "Tải mẫu danh sách": the agency list as it stands, to fill in and upload again."""
    actor = get_staff_actor(request)
    unit = get_unit_for_user(actor, unit_code, year)
    indicator = get_indicator(get_criteria_set_for(unit, year), code)
    if not indicator.has_scored_list:
        raise Http404("No agency list for this indicator.")
    entry = entry_for(indicator, unit, year)
    items = list(entry.list_items.all()) if entry else []
    response = HttpResponse(
        lists.build_agency_workbook(items),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="danh-sach-{code}-{unit.code}-{year}.xlsx"'
    )
    return response


@login_required
def reported_lines(request: HttpRequest, year: int, unit_code: str, code: str) -> HttpResponse:
    """The lines an indicator is summed from (3.2.3): every reporting department's line with its
    status, who has not reported, the sums; a department's line entered (`?department=`), and
    submitted lines approved or returned by the standing office."""
    actor = get_staff_actor(request)
    unit = get_unit_for_user(actor, unit_code, year)
    indicator = get_indicator(get_criteria_set_for(unit, year), code)
    if not indicator.counts_reported_lines:
        raise Http404("This indicator is not counted from reported lines.")
    year_open = year_state(year) == "open"
    picture = lines_picture(indicator, unit, year)
    if not can_see_other_reporters(actor):  # a district office: its own line and the sums
        picture = picture.only(actor.department)
    writable = [
        row
        for row in picture.rows
        if year_open and can_write_line(actor, indicator.pk, unit, row.department)
    ]
    chosen = _chosen_line_row(request, writable)
    form = None
    if chosen is not None:
        data = request.POST if request.method == "POST" and "review" not in request.POST else None
        line = chosen.line
        initial = {
            "numerator": line.numerator if line else None,
            "denominator": line.denominator if line else None,
            "note": line.note if line else "",
            "version": line.version if line else None,
        }
        form = ReportedLineForm(data, initial=initial, indicator=indicator)
    if request.method == "POST":
        if not year_open:
            try:
                ensure_year_open(year)  # says why: locked, or not opened
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            return redirect(request.path)
        if "review" in request.POST:
            return _review_line(request, actor, indicator, unit, year)
        if chosen is None or form is None:
            raise PermissionDenied(_("You may not enter this line."))
        if form.is_valid():
            try:
                saved = services.reported_line_save(
                    actor=actor,
                    user=request.user,
                    indicator=indicator,
                    unit=unit,
                    year=year,
                    department=chosen.department,
                    data=form.line_data(),
                    expected_version=form.cleaned_data["version"],
                    submit="submit" in request.POST,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                text = (
                    _("The line of %(department)s is submitted for review.")
                    if saved.status == Measurement.Status.SUBMITTED
                    else _("The line of %(department)s is saved as a draft.")
                )
                messages.success(request, vietnamese_in(text, department=chosen.department.name))
                return redirect(request.path)
    return render(
        request,
        "measurements/reported_lines.html",
        {
            "indicator": indicator,
            "unit": unit,
            "year": year,
            "year_state": year_state(year),
            "picture": picture,
            "writable": {row.department.pk for row in writable},
            "chosen": chosen,
            "form": form,
            "reviewer": can_review(actor) and year_open,
        },
    )


def _chosen_line_row(request: HttpRequest, writable: list[LineRow]) -> LineRow | None:
    """The row whose line is being entered: the one asked for, or the actor's only one."""
    code = request.POST.get("department") or request.GET.get("department")
    if code:
        return next((row for row in writable if row.department.code == code), None)
    return writable[0] if len(writable) == 1 else None


def _review_line(
    request: HttpRequest, actor: Actor, indicator: Indicator, unit: Unit, year: int
) -> HttpResponse:
    form = LineReviewForm(request.POST)
    if not form.is_valid():
        raise Http404("Bad review form.")
    line = (
        ReportedLine.objects.filter(
            pk=form.cleaned_data["line"], indicator=indicator, unit=unit, year=year
        )
        .select_related("department")
        .first()
    )
    if line is None:
        raise Http404("No such line.")
    decision = request.POST["review"]
    if decision not in ("approve", "return"):
        raise Http404("Unknown review decision.")
    approve = decision == "approve"
    try:
        services.reported_line_review(
            actor=actor,
            user=request.user,
            line=line,
            approve=approve,
            seen_version=form.cleaned_data["version"],
            comment=form.cleaned_data["comment"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        text = (
            _("The line of %(department)s is approved.")
            if approve
            else _("The line of %(department)s is returned.")
        )
        messages.success(request, vietnamese_in(text, department=line.department.name))
    return redirect(request.path)
