from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssignmentsConfig(AppConfig):
    name = "assignments"
    verbose_name = _("Assignments")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from . import caching, permissions
        from .administration import services as administration

        caching.connect_signals()
        permissions.connect_signals()
        user_logged_in.connect(
            administration.note_temporary_password, dispatch_uid="note_temporary_password"
        )
