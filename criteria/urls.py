from django.urls import path

from . import views

app_name = "criteria"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    # Before "<str:code>/", which would otherwise take "sets" for an indicator's code.
    path("sets/", views.criteria_sets, name="sets"),
    path("sets/import/", views.criteria_set_upload, name="set_import"),
    path("sets/import/confirm/", views.criteria_set_upload_confirm, name="set_import_confirm"),
    path("sets/template.xlsx", views.criteria_set_template, name="set_template"),
    path("sets/<slug:code>/", views.criteria_set_detail, name="set"),
    path("sets/<slug:code>/workbook.xlsx", views.criteria_set_workbook, name="set_workbook"),
    path("sets/<slug:code>/rule/", views.criteria_set_rule, name="set_rule"),
    path("<str:code>/", views.indicator_detail, name="indicator"),
]
