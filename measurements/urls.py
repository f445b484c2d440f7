from django.urls import path

from . import views

app_name = "measurements"

urlpatterns = [
    path("my-work/", views.my_work, name="my_work"),
    path("data/import/", views.workbook_import, name="import"),
    path("data/import/confirm/", views.workbook_import_confirm, name="import_confirm"),
    path("data/<int:year>/<str:unit_code>/", views.unit_values, name="unit_values"),
    path(
        "data/<int:year>/<str:unit_code>/workbook.xlsx",
        views.workbook_export,
        name="workbook_export",
    ),
    path(
        "data/<int:year>/<str:unit_code>/<str:code>/",
        views.measurement_edit,
        name="measurement",
    ),
    path(
        "data/<int:year>/<str:unit_code>/<str:code>/list/",
        views.share_list,
        name="share_list",
    ),
    path(
        "data/<int:year>/<str:unit_code>/<str:code>/list.xlsx",
        views.share_list_workbook,
        name="share_list_workbook",
    ),
    path(
        "data/<int:year>/<str:unit_code>/<str:code>/lines/",
        views.reported_lines,
        name="reported_lines",
    ),
    path(
        "data/<int:year>/<str:unit_code>/<str:code>/messages/",
        views.value_comment,
        name="value_comment",
    ),
    path(
        "data/<int:year>/<str:unit_code>/<str:code>/not-applicable/",
        views.not_applicable,
        name="not_applicable",
    ),
    path("review/", views.review_queue, name="review"),
    path("review/approve/", views.review_approve, name="review_approve"),
    path("review/<int:pk>/return/", views.review_return, name="review_return"),
]
