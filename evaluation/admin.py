from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from common.admin import ReadOnlyAdminMixin

from .models import CommitteeDecision, FrozenRecord, Meeting


@admin.register(CommitteeDecision)
class CommitteeDecisionAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    """Decisions are recorded by the committee in the portal (evaluation/services.py)."""

    list_display = ["unit", "year", "decision", "meeting", "number", "recorded_by"]
    list_filter = ["year", "decision"]
    list_select_related = ["unit", "recorded_by", "meeting"]


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    """Meetings are recorded in the portal (evaluation/services.py)."""

    list_display = ["held_on", "kind", "year", "place", "recorded_by"]
    list_filter = ["year", "kind"]
    list_select_related = ["recorded_by"]


@admin.register(FrozenRecord)
class FrozenRecordAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Records are frozen by the portal when a recognition is recorded; never changed."""

    list_display = ["unit", "year", "frozen_at", "sha256", "replaces"]
    list_filter = ["year"]
    list_select_related = ["unit", "replaces"]
