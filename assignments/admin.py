from django.contrib import admin

from .models import (
    Assignment,
    AuditEntry,
    Department,
    Membership,
    PlanTask,
    PlanTaskAssignment,
    Unit,
)


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind"]
    list_filter = ["kind"]
    #: The pilots of a round are chosen on the portal's round page, where the change is logged.
    exclude = ["pilot_rounds"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "unit"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]
    list_select_related = ["unit"]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["indicator", "department", "role", "role_text"]
    list_filter = ["role", "department"]
    list_select_related = ["indicator", "department"]
    autocomplete_fields = ["department"]


class PlanTaskAssignmentInline(admin.TabularInline):
    model = PlanTaskAssignment
    extra = 0


@admin.register(PlanTask)
class PlanTaskAdmin(admin.ModelAdmin):
    list_display = ["number", "content", "timeframe", "due_date", "completed_on"]
    inlines = [PlanTaskAssignmentInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "department"]
    list_select_related = ["user", "department"]
    autocomplete_fields = ["department"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The administration log, read-only: it is written by the portal's administration pages."""

    list_display = ["at", "user", "action", "subject", "reason"]
    list_filter = ["action"]
    list_select_related = ["user"]
    search_fields = ["subject", "reason"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
