from django.urls import path

from . import views

app_name = "criteria"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("<str:code>/", views.indicator_detail, name="indicator"),
]
