"""What the admin may do with records that are written only through the portal's services."""

from django.http import HttpRequest


class ReadOnlyAdminMixin:
    """Shown, never added, changed or deleted from the admin: the services that write these
    records check the year's lock, the permissions and the review, and the admin would not."""

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
