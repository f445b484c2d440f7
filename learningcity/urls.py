"""Root URLs. No language prefix: the language comes from the session, cookie or browser."""

from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("dashboard/", include("learningcity.dashboard_urls")),
    path("criteria/", include("criteria.urls")),
    path("assignments/", include("assignments.urls")),
    path("", include("evidence.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
