"""Evidence (minh chứng) under /evidence/: documents, review, explanations, coverage."""

from django.urls import path

from . import views

app_name = "evidence"

urlpatterns = [
    path("", views.evidence_home, name="evidence_home"),
    path("coverage/<int:year>/", views.coverage, name="coverage"),
    path("review/", views.evidence_review, name="evidence_review"),
    path("<int:year>/<str:unit_code>/", views.document_list, name="document_list"),
    path(
        "<int:year>/<str:unit_code>/upload/",
        views.document_upload,
        name="document_upload",
    ),
    path(
        "<int:year>/<str:unit_code>/explanations/<str:code>/",
        views.explanation_edit,
        name="explanation",
    ),
    path("documents/<int:pk>/", views.document_detail, name="document_detail"),
    path(
        "documents/<int:pk>/replace/",
        views.document_replace,
        name="document_replace",
    ),
    path(
        "documents/<int:pk>/withdraw/",
        views.document_withdraw,
        name="document_withdraw",
    ),
    path(
        "documents/<int:pk>/versions/<int:number>/download/",
        views.version_download,
        name="version_download",
    ),
    path("documents/<int:pk>/approve/", views.approve_document, name="review_document"),
    path(
        "documents/<int:pk>/request-more/",
        views.request_more_evidence,
        name="request_more",
    ),
]
