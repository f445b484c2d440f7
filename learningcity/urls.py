"""Root URLs. No language prefix: the language comes from the session, cookie or browser."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="criteria:catalogue"), name="home"),
    path("criteria/", include("criteria.urls")),
    path("assignments/", include("assignments.urls")),
    path("", include("evidence.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
