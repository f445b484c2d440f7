from django.urls import path

from . import document_views as documents
from . import views

app_name = "evidence"

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
        "data/<int:year>/<str:unit_code>/<str:code>/not-applicable/",
        views.not_applicable,
        name="not_applicable",
    ),
    path("review/", views.review_queue, name="review"),
    path("review/approve/", views.review_approve, name="review_approve"),
    path("review/<int:pk>/return/", views.review_return, name="review_return"),
    # Evidence (minh chứng): documents, review, explanations, coverage.
    path("evidence/", documents.evidence_home, name="evidence_home"),
    path("evidence/coverage/<int:year>/", documents.coverage, name="coverage"),
    path("evidence/review/", documents.evidence_review, name="evidence_review"),
    path("evidence/<int:year>/<str:unit_code>/", documents.document_list, name="document_list"),
    path(
        "evidence/<int:year>/<str:unit_code>/upload/",
        documents.document_upload,
        name="document_upload",
    ),
    path(
        "evidence/<int:year>/<str:unit_code>/explanations/<str:code>/",
        documents.explanation_edit,
        name="explanation",
    ),
    path("evidence/documents/<int:pk>/", documents.document_detail, name="document_detail"),
    path(
        "evidence/documents/<int:pk>/replace/",
        documents.document_replace,
        name="document_replace",
    ),
    path(
        "evidence/documents/<int:pk>/withdraw/",
        documents.document_withdraw,
        name="document_withdraw",
    ),
    path(
        "evidence/documents/<int:pk>/versions/<int:number>/download/",
        documents.version_download,
        name="version_download",
    ),
    path("evidence/documents/<int:pk>/approve/", documents.review_approve, name="review_document"),
    path(
        "evidence/documents/<int:pk>/request-more/",
        documents.review_request_more,
        name="request_more",
    ),
]
