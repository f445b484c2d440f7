"""Reported values in the admin: shown with their lists and history, never changed here. Every
change of a value or its status goes through the portal's services (measurements/services.py),
where the year's lock, the permissions, the review and the transition table apply."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from common.admin import ReadOnlyAdminMixin

from .models import ListItem, Measurement


class ListItemInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ListItem
    extra = 0
    fields = ["position", "name", "district", "score", "flag"]
    readonly_fields = fields


@admin.register(Measurement)
class MeasurementAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["indicator", "unit", "year", "status", "updated_by", "updated_at", "version"]
    list_filter = ["year", "status", "unit"]
    list_select_related = ["indicator", "unit", "updated_by"]
    search_fields = ["indicator__code", "unit__name", "note"]
    inlines = [ListItemInline]
