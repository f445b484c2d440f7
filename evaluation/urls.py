from django.urls import path

from . import views

app_name = "evaluation"

#: An official document's print page, beside its .docx.
PRINT = {"printed": True}

urlpatterns = [
    path("", views.dashboard_index, name="index"),
    path("<int:year>/", views.city_dashboard, name="city"),
    path("<int:year>/districts/", views.district_matrix, name="districts"),
    path("<int:year>/progress/", views.progress, name="progress"),
    path("<int:year>/what-if/", views.what_if, name="what_if"),
    path("<int:year>/report/", views.report, name="report"),
    path("<int:year>/report.xlsx", views.report_workbook, name="report_workbook"),
    path("<int:year>/report.docx", views.report_document, name="report_document"),
    path("<int:year>/report/document/", views.report_document, PRINT, name="report_print"),
    path("<int:year>/proposal.docx", views.proposal_document, name="proposal_document"),
    path("<int:year>/proposal/", views.proposal_document, PRINT, name="proposal_print"),
    path(
        "<int:year>/decision-draft.docx",
        views.decision_draft_document,
        name="decision_draft_document",
    ),
    path(
        "<int:year>/decision-draft/",
        views.decision_draft_document,
        PRINT,
        name="decision_draft_print",
    ),
    path("documents/", views.document_settings_edit, name="document_settings"),
    path("<int:year>/meetings/", views.meetings, name="meetings"),
    path("<int:year>/members/", views.members, name="members"),
    path("<int:year>/meetings/new/", views.meeting_edit, name="meeting_new"),
    path("<int:year>/meetings/<int:pk>/", views.meeting_edit, name="meeting_edit"),
    path(
        "<int:year>/meetings/<int:pk>/minutes.docx",
        views.meeting_minutes_document,
        name="meeting_minutes",
    ),
    path("<int:year>/meetings/<int:pk>/files/", views.meeting_files, name="meeting_files"),
    path(
        "<int:year>/meetings/<int:pk>/files/<int:file_pk>",
        views.meeting_file_download,
        name="meeting_file_download",
    ),
    path(
        "<int:year>/meetings/<int:pk>/files/<int:file_pk>/remove/",
        views.meeting_file_remove,
        name="meeting_file_remove",
    ),
    path(
        "<int:year>/meetings/<int:pk>/minutes/",
        views.meeting_minutes_document,
        PRINT,
        name="meeting_minutes_print",
    ),
    path("<int:year>/<str:unit_code>/", views.unit_dashboard, name="unit"),
    path("<int:year>/<str:unit_code>/trends/", views.trends, name="trends"),
    path("<int:year>/<str:unit_code>/decision/", views.decision, name="decision"),
    path(
        "<int:year>/<str:unit_code>/decision/document/",
        views.decision_document,
        name="decision_document",
    ),
    path(
        "<int:year>/<str:unit_code>/decision/document/file",
        views.decision_document_download,
        name="decision_document_download",
    ),
    path("<int:year>/<str:unit_code>/records/<int:pk>/", views.record, name="record"),
    path(
        "<int:year>/<str:unit_code>/records/<int:pk>.json",
        views.record_download,
        name="record_download",
    ),
    path(
        "<int:year>/<str:unit_code>/report.docx",
        views.district_report_document,
        name="district_report_document",
    ),
    path(
        "<int:year>/<str:unit_code>/report/",
        views.district_report_document,
        PRINT,
        name="district_report_print",
    ),
    path(
        "<int:year>/<str:unit_code>/report/narrative/",
        views.narrative,
        name="narrative",
    ),
]
