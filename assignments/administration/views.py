"""The administration pages: accounts (the administrators); evaluation years, pilot districts and
plan tasks (the standing office and the administrators); the log of every such change."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.excel import WorkbookError
from criteria.models import CriteriaSet, EvaluationYear, Round
from criteria.selectors import latest_year
from evidence.models import Document
from evidence.selectors import year_document_counts
from measurements.models import Measurement
from measurements.selectors import year_status_counts

from ..models import Department, Membership, PlanTask, Unit
from ..offices import build_offices_template, offices_create, read_offices
from ..permissions import (
    Actor,
    actor_for,
    can_administer,
    can_correct_units,
    can_manage_account,
    can_manage_accounts,
    can_run_the_pilot,
)
from ..selectors import plan_tasks
from ..units import UnitRow, build_units_workbook, plan_units, read_units, rows_of
from . import services as administration
from . import workbook
from .forms import (
    AccountChangeForm,
    AccountCreateForm,
    AccountsUploadForm,
    RoundForm,
    TaskDoneForm,
    TaskReopenForm,
    TemporaryPasswordForm,
    UnitForm,
    UnitsUploadForm,
    YearOpenForm,
    YearReopenForm,
)
from .workbook import build_template, read_accounts


def _account(request: HttpRequest, pk: int) -> User:
    """The account a page changes; 403 for one the person may not change (a superuser's)."""
    account = get_object_or_404(User, pk=pk)
    if not can_manage_account(request.user, account):
        raise PermissionDenied(_("Only a superuser may change a superuser's account."))
    return account


def _allowed(request: HttpRequest, rule: Callable[[Actor], bool]) -> Actor:
    """The signed-in person, if the rule lets them open the page; 403 otherwise."""
    actor = actor_for(request.user)
    if not rule(actor):
        raise PermissionDenied(_("This page is for the portal's administrators."))
    return actor


@login_required
def index(request: HttpRequest) -> HttpResponse:
    actor = _allowed(request, can_administer)
    return render(
        request,
        "assignments/administration/index.html",
        {
            "can_manage_accounts": can_manage_accounts(actor),
            "can_run_the_pilot": can_run_the_pilot(actor),
            "can_correct_units": can_correct_units(actor),
            "recent": administration.log_entries()[:10],
        },
    )


# --- Accounts --------------------------------------------------------------------------------


@login_required
def account_list(request: HttpRequest) -> HttpResponse:
    _allowed(request, can_manage_accounts)
    return render(
        request,
        "assignments/administration/accounts.html",
        {"rows": administration.accounts()},
    )


@login_required
def account_create(request: HttpRequest) -> HttpResponse:
    _allowed(request, can_manage_accounts)
    form = AccountCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = administration.account_create(
                by=request.user,
                username=data["username"],
                full_name=data["full_name"],
                email=data["email"],
                department=data["department"],
                groups=data["groups"],
                password=data["password1"],
            )
        except ValidationError as error:
            form.add_error("username", error)
            return render(request, "assignments/administration/account_create.html", {"form": form})
        messages.success(
            request,
            _("The account %(username)s is created. Give the person the temporary password.")
            % {"username": user.username},
        )
        return redirect("administration:account", pk=user.pk)
    return render(request, "assignments/administration/account_create.html", {"form": form})


@login_required
def accounts_import(request: HttpRequest) -> HttpResponse:
    """Many accounts from an Excel list: every row checked, then all made at once, each with its
    own temporary password, shown once on the answer page; one wrong row makes none."""
    _allowed(request, can_manage_accounts)
    form = AccountsUploadForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            accounts = read_accounts(form.cleaned_data["file"].read())
        except WorkbookError as error:
            errors = error.messages
        else:
            try:
                created = administration.accounts_create_many(by=request.user, accounts=accounts)
            except ValidationError as error:  # a username taken meanwhile
                errors = error.messages
            else:
                return render(
                    request,
                    "assignments/administration/accounts_created.html",
                    {"created": created},
                )
    return render(
        request,
        "assignments/administration/accounts_import.html",
        {
            "form": form,
            "list_errors": errors,
            "sheet": workbook.SHEET,
            "codes_sheet": workbook.CODES_SHEET,
            "columns": workbook.COLUMNS,
        },
    )


@login_required
def accounts_template(request: HttpRequest) -> HttpResponse:
    _allowed(request, can_manage_accounts)
    response = HttpResponse(
        build_template(Department.objects.order_by("position", "code")),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="tai-khoan.xlsx"'
    return response


@login_required
def account_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One account: its details and groups (changed here), a temporary password, an unlock."""
    _allowed(request, can_manage_accounts)
    account = _account(request, pk)
    form = AccountChangeForm(request.POST or None, initial=_as_it_is(account))
    if request.method == "POST" and form.is_valid():
        try:
            changes = administration.account_update(
                by=request.user, user=account, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if changes:
                messages.success(request, _("The account is saved."))
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("administration:account", pk=account.pk)
    return _account_page(request, account, form, TemporaryPasswordForm(account=account))


def _as_it_is(account: User) -> dict:
    """The account's details as the change form starts from them."""
    membership = Membership.objects.filter(user=account).first()
    return {
        "full_name": account.first_name,
        "email": account.email,
        "department": membership.department_id if membership else None,
        "groups": list(account.groups.values_list("name", flat=True)),
        "is_active": account.is_active,
    }


def _account_page(request, account, form, password_form) -> HttpResponse:
    return render(
        request,
        "assignments/administration/account.html",
        {
            "account": account,
            "form": form,
            "password_form": password_form,
            "locked_until": administration.locked_out_until(account.username).get(account.username),
            "must_change_password": administration.must_change_password(account),
            "entries": administration.log_entries().filter(account=account)[:20],
        },
    )


@login_required
@require_POST
def account_password(request: HttpRequest, pk: int) -> HttpResponse:
    _allowed(request, can_manage_accounts)
    account = _account(request, pk)
    password_form = TemporaryPasswordForm(request.POST, account=account)
    if password_form.is_valid():
        administration.account_set_temporary_password(
            by=request.user, user=account, password=password_form.cleaned_data["password1"]
        )
        messages.success(
            request, _("The temporary password is set; it must be changed at the next login.")
        )
        return redirect("administration:account", pk=account.pk)
    form = AccountChangeForm(initial=_as_it_is(account))
    return _account_page(request, account, form, password_form)


@login_required
@require_POST
def account_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    _allowed(request, can_manage_accounts)
    account = _account(request, pk)
    administration.account_unlock(by=request.user, user=account)
    messages.success(request, _("%(username)s may log in again.") % {"username": account.username})
    return redirect("administration:account", pk=account.pk)


# --- Pilot districts and years ---------------------------------------------------------------


@login_required
def round_edit(request: HttpRequest, year: int, level: str) -> HttpResponse:
    """A year's round of a level: its calendar, and the districts' round's pilot districts."""
    _allowed(request, can_run_the_pilot)
    evaluation_year = get_object_or_404(EvaluationYear, year=year)
    if level not in (CriteriaSet.Level.CITY, CriteriaSet.Level.DISTRICT):
        raise Http404("No such level.")
    current = Round.objects.filter(evaluation_year=evaluation_year, level=level).first()
    initial = {name: getattr(current, name, None) for name in administration.ROUND_CALENDAR}
    initial["districts"] = list(current.pilots.all()) if current else []
    form = RoundForm(request.POST or None, initial=initial, level=level, year=year)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            changed = administration.round_save(
                by=request.user,
                year=evaluation_year,
                level=level,
                calendar={name: data[name] for name in administration.ROUND_CALENDAR},
                pilot_ids=[d.pk for d in data["districts"]] if "districts" in data else None,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if changed:
                messages.success(request, _("The round is saved."))
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("administration:years")
    return render(
        request,
        "assignments/administration/round.html",
        {
            "form": form,
            "year": year,
            "level_label": CriteriaSet.Level(level).label,
            "is_district": level == CriteriaSet.Level.DISTRICT,
        },
    )


@login_required
def years(request: HttpRequest) -> HttpResponse:
    _allowed(request, can_run_the_pilot)
    form = YearOpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            administration.year_open(by=request.user, year=form.cleaned_data["year"])
        except ValidationError as error:
            form.add_error("year", error)
        else:
            messages.success(
                request,
                _("The year %(year)s is open for data entry.")
                % {"year": form.cleaned_data["year"]},
            )
            return redirect("administration:years")
    return render(
        request,
        "assignments/administration/years.html",
        {
            "years": [
                (year, {round_.level: round_ for round_ in year.rounds.all()})
                for year in EvaluationYear.objects.prefetch_related("rounds__pilots")
            ],
            "form": form,
        },
    )


@login_required
def year_lock(request: HttpRequest, year: int) -> HttpResponse:
    """GET: what a lock freezes, with the year's figures; POST: lock it."""
    _allowed(request, can_run_the_pilot)
    evaluation_year = get_object_or_404(EvaluationYear, year=year)
    if request.method == "POST":
        try:
            administration.year_lock(by=request.user, year=evaluation_year)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The year %(year)s is locked.") % {"year": year})
        return redirect("administration:years")
    if evaluation_year.is_locked:
        messages.info(request, _("The year %(year)s is already locked.") % {"year": year})
        return redirect("administration:years")
    values = year_status_counts(year)
    documents = year_document_counts(year)
    return render(
        request,
        "assignments/administration/year_lock.html",
        {
            "year": evaluation_year,
            "values": [
                (label, values.get(status, 0)) for status, label in Measurement.Status.choices
            ],
            "documents": [
                (label, documents.get(status, 0)) for status, label in Document.Status.choices
            ],
        },
    )


@login_required
def year_reopen(request: HttpRequest, year: int) -> HttpResponse:
    _allowed(request, can_run_the_pilot)
    evaluation_year = get_object_or_404(EvaluationYear, year=year)
    form = YearReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            administration.year_reopen(
                by=request.user, year=evaluation_year, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The year %(year)s is open again.") % {"year": year})
            return redirect("administration:years")
    return render(
        request,
        "assignments/administration/year_reopen.html",
        {"year": evaluation_year, "form": form},
    )


@login_required
def tasks(request: HttpRequest) -> HttpResponse:
    """The plan's tasks: each open one can be marked done, with its date and proof."""
    _allowed(request, can_run_the_pilot)
    return render(
        request,
        "assignments/administration/tasks.html",
        {"tasks": plan_tasks(), "today": timezone.localdate()},
    )


@login_required
def task(request: HttpRequest, number: int) -> HttpResponse:
    """One task: mark it done (or correct its date or proof), or open it again with a reason."""
    _allowed(request, can_run_the_pilot)
    plan_task = get_object_or_404(PlanTask, number=number)
    reopening = "reopen" in request.POST
    done_form = TaskDoneForm(
        request.POST if request.method == "POST" and not reopening else None,
        initial={"completed_on": plan_task.completed_on, "proof": plan_task.completion_proof},
    )
    reopen_form = TaskReopenForm(request.POST if reopening else None)
    form = reopen_form if reopening else done_form
    if request.method == "POST" and form.is_valid():
        try:
            if reopening:
                administration.task_reopen(
                    by=request.user, task=plan_task, reason=form.cleaned_data["reason"]
                )
            else:
                administration.task_done(
                    by=request.user,
                    task=plan_task,
                    completed_on=form.cleaned_data["completed_on"],
                    proof=form.cleaned_data["proof"],
                )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Task %(number)s is saved.") % {"number": number})
            return redirect("administration:tasks")
    return render(
        request,
        "assignments/administration/task.html",
        {"task": plan_task, "form": done_form, "reopen_form": reopen_form},
    )


@login_required
def log(request: HttpRequest) -> HttpResponse:
    _allowed(request, can_administer)
    return render(
        request,
        "assignments/administration/log.html",
        {"entries": administration.log_entries()[:500]},
    )


# --- Units over time ---------------------------------------------------------------------------


@login_required
def units(request: HttpRequest) -> HttpResponse:
    """Every unit with its years and what it became (or those of one year: `?year=`), the list
    as Excel, and a corrected list to upload: every row checked, then all written at once."""
    _allowed(request, can_correct_units)
    form = UnitsUploadForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            plan = read_units(form.cleaned_data["file"].read())
        except WorkbookError as error:
            errors = error.messages
        else:
            changes = administration.units_save(by=request.user, plan=plan)
            messages.success(
                request,
                _("The list is saved: %(count)s units, %(changes)s changes.")
                % {"count": len(plan.rows), "changes": len(changes)},
            )
            return redirect("administration:units")
    year = _year_asked(request)
    listed = Unit.objects.select_related("parent").prefetch_related("successors")
    if year is not None:
        listed = listed.existing_in(year)
    return render(
        request,
        "assignments/administration/units.html",
        {
            "units": listed.order_by("position", "code"),
            "year": year,
            "years": EvaluationYear.objects.order_by("-year").values_list("year", flat=True),
            "form": form,
            "offices_form": UnitsUploadForm(prefix="offices"),
            "list_errors": errors,
        },
    )


@login_required
@require_POST
def offices_import(request: HttpRequest) -> HttpResponse:
    """Commune offices from an Excel list: every row checked, then all made at once."""
    _allowed(request, can_correct_units)
    form = UnitsUploadForm(request.POST, request.FILES, prefix="offices")
    errors: list[str] = []
    if form.is_valid():
        try:
            offices = read_offices(form.cleaned_data["file"].read())
        except WorkbookError as error:
            errors = error.messages
        else:
            offices_create(offices)
            messages.success(
                request,
                _("%(count)s commune offices are created; make their people's accounts next.")
                % {"count": len(offices)},
            )
            return redirect("administration:units")
    else:
        errors = [message for messages_ in form.errors.values() for message in messages_]
    messages.error(request, " ".join(errors))
    return redirect("administration:units")


@login_required
def offices_template(request: HttpRequest) -> HttpResponse:
    """The commune offices' list to fill in: every commune of the latest year without one."""
    _allowed(request, can_correct_units)
    communes = [
        unit
        for unit in Unit.objects.existing_in(latest_year() or timezone.localdate().year)
        .filter(education_office__isnull=True)
        .order_by("position", "code")
        if unit.level == CriteriaSet.Level.COMMUNE
    ]
    response = HttpResponse(
        build_offices_template(communes),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="phong-phu-trach-xa-phuong.xlsx"'
    return response


def _year_asked(request: HttpRequest) -> int | None:
    text = request.GET.get("year", "")
    return int(text) if text.isdigit() and 1900 <= int(text) <= 2100 else None


@login_required
def units_workbook(request: HttpRequest) -> HttpResponse:
    """Every unit as the Excel list the upload reads: download, correct, upload again."""
    _allowed(request, can_correct_units)
    stored = Unit.objects.select_related("parent").prefetch_related("successors")
    response = HttpResponse(
        build_units_workbook(rows_of(stored.order_by("position", "code"))),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="don-vi.xlsx"'
    return response


@login_required
def unit(request: HttpRequest, code: str) -> HttpResponse:
    """One unit corrected: checked as a row of an Excel list would be, then saved and logged."""
    _allowed(request, can_correct_units)
    stored = get_object_or_404(Unit.objects.select_related("parent"), code=code)
    initial = {
        "name": stored.name,
        "kind": stored.kind,
        "parent": stored.parent_id,
        "valid_from": stored.valid_from,
        "valid_to": stored.valid_to,
        "successors": list(stored.successors.values_list("pk", flat=True)),
        "position": stored.position,
    }
    form = UnitForm(request.POST or None, initial=initial, unit=stored)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        row = UnitRow(
            row=0,
            code=stored.code,
            name=data["name"],
            kind=data["kind"],
            parent=data["parent"].code if data["parent"] else None,
            valid_from=data["valid_from"],
            valid_to=data["valid_to"],
            successors=tuple(successor.code for successor in data["successors"]),
            position=data["position"],
        )
        try:
            plan = plan_units([row])
        except WorkbookError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            if administration.units_save(by=request.user, plan=plan):
                messages.success(request, _("%(unit)s is saved.") % {"unit": data["name"]})
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("administration:units")
    return render(
        request,
        "assignments/administration/unit.html",
        {"unit": stored, "form": form, "predecessors": stored.predecessors.order_by("code")},
    )
