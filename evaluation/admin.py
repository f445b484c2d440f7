from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from common.admin import ReadOnlyAdminMixin

from .models import CommitteeDecision


@admin.register(CommitteeDecision)
class CommitteeDecisionAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    """Decisions are recorded by the committee in the portal (evaluation/services.py)."""

    list_display = ["unit", "year", "decision", "meeting_date", "number", "recorded_by"]
    list_filter = ["year", "decision"]
    list_select_related = ["unit", "recorded_by"]
