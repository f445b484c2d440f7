"""Root URLs. No language prefix: the language comes from the session, cookie or browser. The
addresses are those the portal has always had (bookmarks keep working); each app's URL namespace
is its own name."""

from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("dashboard/", include("evaluation.urls")),
    path("criteria/", include("criteria.urls")),
    path("assignments/", include("assignments.urls")),
    path("evidence/", include("evidence.urls")),
    path("", include("measurements.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
