from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from . import selectors
from .models import Department


def overview(request: HttpRequest) -> HttpResponse:
    """Who does what: every department with its share of the work, and the plan's tasks."""
    departments = selectors.departments_with_counts()
    return render(
        request,
        "assignments/overview.html",
        {"departments": departments, "tasks": selectors.plan_tasks()},
    )


def department_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One department: the indicators it is assigned and the plan tasks it takes part in."""
    department = get_object_or_404(Department.objects.select_related("unit"), code=code)
    return render(
        request,
        "assignments/department_detail.html",
        {
            "department": department,
            "assignments": selectors.department_assignments(department),
            "task_roles": selectors.department_plan_tasks(department),
        },
    )
