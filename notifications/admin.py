from django.contrib import admin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["recipient", "kind", "created_at", "read_at"]
    list_filter = ["kind"]
    search_fields = ["recipient__username", "message"]
    readonly_fields = [
        "recipient",
        "kind",
        "message",
        "figures",
        "link",
        "created_at",
        "read_at",
        "key",
    ]
