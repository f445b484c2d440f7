"""Root URLs. No language prefix: the language comes from the session, cookie or browser. The
addresses are those the portal has always had (bookmarks keep working); each app's URL namespace
is its own name, and the administration pages (assignments.administration.urls) have theirs."""

from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from api.endpoints import api

from . import views

admin.site.site_header = _("Hai Phong Learning City — administration")
admin.site.site_title = _("Hai Phong Learning City")
admin.site.index_title = _("Administration")

handler404 = views.page_not_found

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("dashboard/", include("evaluation.urls")),
    path("criteria/", include("criteria.urls")),
    path("assignments/", include("assignments.urls")),
    path("evidence/", include("evidence.urls")),
    path("notifications/", include("notifications.urls")),
    path("", include("measurements.urls")),
    path("accounts/password_change/", views.PasswordChange.as_view(), name="password_change"),
    path("accounts/password_reset/", views.PasswordReset.as_view(), name="password_reset"),
    path(
        "accounts/reset/<uidb64>/<token>/",
        views.PasswordResetConfirm.as_view(),
        name="password_reset_confirm",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("administration/api/", include("api.urls")),
    path("administration/", include("assignments.administration.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]
