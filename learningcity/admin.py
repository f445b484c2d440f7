from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import CommitteeDecision


@admin.register(CommitteeDecision)
class CommitteeDecisionAdmin(SimpleHistoryAdmin):
    list_display = ["unit", "year", "decision", "meeting_date", "number", "recorded_by"]
    list_filter = ["year", "decision"]
    list_select_related = ["unit", "recorded_by"]
