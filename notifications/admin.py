from django.contrib import admin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["recipient", "kind", "created_at", "read_at"]
    list_filter = ["kind"]
    search_fields = ["recipient__username", "text"]
    readonly_fields = ["recipient", "kind", "text", "link", "created_at", "read_at", "key"]
