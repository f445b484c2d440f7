from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import EvaluationYear, Measurement


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
