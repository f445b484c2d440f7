from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from common.admin import ReadOnlyAdminMixin

from .models import Document, DocumentVersion, Explanation


class DocumentVersionInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = DocumentVersion
    extra = 0
    fields = ["number", "original_name", "size", "content_type", "sha256", "uploaded_by"]
    readonly_fields = fields


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    """Evidence is uploaded, replaced, withdrawn and reviewed in the portal, where the file checks
    and the permissions apply; the admin shows it and its history and never deletes it."""

    list_display = ["title", "unit", "year", "status", "created_by", "created_at", "withdrawn_at"]
    list_filter = ["year", "status", "unit"]
    list_select_related = ["unit", "created_by"]
    search_fields = ["title", "number", "issuer"]
    inlines = [DocumentVersionInline]


@admin.register(Explanation)
class ExplanationAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["indicator", "unit", "year", "author", "updated_at"]
    list_filter = ["year", "unit"]
    list_select_related = ["indicator", "unit", "author"]
