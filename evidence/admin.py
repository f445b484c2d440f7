from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Document, DocumentVersion, EvaluationYear, Explanation, Measurement


@admin.register(EvaluationYear)
class EvaluationYearAdmin(SimpleHistoryAdmin):
    list_display = ["year", "state"]
    list_editable = ["state"]


@admin.register(Measurement)
class MeasurementAdmin(SimpleHistoryAdmin):
    """Values are entered through the portal's forms; the admin shows them and their history.

    A locked year's entries are read-only here as everywhere (Measurement.clean/save refuse).
    """

    list_display = ["indicator", "unit", "year", "status", "updated_by", "updated_at", "version"]
    list_filter = ["year", "status", "unit"]
    list_select_related = ["indicator", "unit", "updated_by"]
    search_fields = ["indicator__code", "unit__name", "note"]
    readonly_fields = [
        "updated_by",
        "updated_at",
        "submitted_by",
        "submitted_at",
        "reviewed_by",
        "reviewed_at",
        "version",
    ]

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is not None and not _year_open(obj.year):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and not _year_open(obj.year):
            return False
        return super().has_delete_permission(request, obj)


def _year_open(year: int) -> bool:
    return EvaluationYear.objects.filter(year=year, state=EvaluationYear.State.OPEN).exists()


class DocumentVersionInline(admin.TabularInline):
    model = DocumentVersion
    extra = 0
    fields = ["number", "original_name", "size", "content_type", "sha256", "uploaded_by"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Document)
class DocumentAdmin(SimpleHistoryAdmin):
    """Evidence is uploaded, replaced, withdrawn and reviewed in the portal, where the file checks
    and the permissions apply; the admin shows it and its history and never deletes it."""

    list_display = ["title", "unit", "year", "status", "created_by", "created_at", "withdrawn_at"]
    list_filter = ["year", "status", "unit"]
    list_select_related = ["unit", "created_by"]
    search_fields = ["title", "number", "issuer"]
    inlines = [DocumentVersionInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Explanation)
class ExplanationAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "unit", "year", "author", "updated_at"]
    list_filter = ["year", "unit"]
    list_select_related = ["indicator", "unit", "author"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
