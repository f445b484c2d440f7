"""The access matrix: every URL of the portal × every persona, with the status each must get.

The list of URLs is not written by hand: it is read from the URL configuration (Django's resolver,
walked recursively), and `test_every_url_has_a_row_in_the_matrix` fails when a named pattern has no
row in MATRIX — so a new view cannot ship without someone deciding who may open it. Only three
things are left out, each for the reason given in SKIPPED.

Each row of MATRIX is one URL and one method, with the status expected for each persona, in the
column order of PERSONAS. `LOGIN` means a redirect to the login page; other redirects are 302.
The URL's arguments come from KWARGS (built from the scene: district A's document, a submitted
entry of district A…), the POST data from POST_DATA. A refused POST (403, 404, 405, or a visitor
sent to log in) must leave the database and the evidence storage exactly as they were.

Who is who (tests/conftest.py): district A's office writes HP-A's 1.1.1 and 2.1.3; the division
writes the city's 1.1.2 only; the other division writes nothing; the committee reads everything and
writes no data but its decision; the administrator is a superuser (the standing office's rights).
Most rows name district A's unit (HP-A), so district B's office shows the 404 it must get for
anything of another district.
"""

import copy
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, include, path, reverse

from api.models import ApiClient
from assignments.models import PlanTask
from assignments.permissions import actor_for
from criteria.models import Indicator, ListSource
from evaluation.models import CommitteeDecision, FrozenRecord, Meeting, MeetingFile
from evaluation.services import decision_document_attach, decision_record, meeting_file_attach
from evidence import services as evidence_services
from evidence.models import Document
from evidence.services import DocumentMetadata
from learningcity.views import home
from measurements.models import Measurement
from notifications.models import Notification
from tests.conftest import YEAR
from tests.evidence.conftest import PDF, PDF_V2, raw_file
from tests.factories import assign, make_indicator, make_meeting
from tests.snapshots import database_snapshot

PERSONAS = (
    "anonymous",
    "standing_office",
    "division",
    "other_division",
    "district_a",
    "district_b",
    "committee",
    "administrator",
)
LOGIN = "login"  # a redirect to the login page
GET, POST = "GET", "POST"

#: What the matrix does not list, and why.
SKIPPED = {
    # Django's own admin: hundreds of generated URLs behind its is_staff check, tested once below
    # (test_the_admin_lets_in_only_the_administrator).
    "namespace": "admin",
    # Django's language switch: public by design, it writes only the visitor's language cookie.
    "name": "set_language",
    # Static files are served by WhiteNoise, not by a view (a DEBUG server may add a pattern).
    "route_prefix": settings.STATIC_URL.lstrip("/"),
}

# fmt: off
MATRIX: list[tuple] = [
    # name                             method  anon   so   div  oth   dA   dB  bcd  adm
    ("home",                            GET,    302,  302,  302, 302, 302, 302, 302, 302),
    ("healthz",                         GET,    200,  200,  200, 200, 200, 200, 200, 200),
    # The catalogue and who does what are public.
    ("criteria:catalogue",              GET,    200,  200,  200, 200, 200, 200, 200, 200),
    ("criteria:indicator",              GET,    200,  200,  200, 200, 200, 200, 200, 200),
    ("criteria:sets",                   GET,    200,  200,  200, 200, 200, 200, 200, 200),
    ("criteria:set",                    GET,    200,  200,  200, 200, 200, 200, 200, 200),
    ("criteria:set_workbook",           GET,    200,  200,  200, 200, 200, 200, 200, 200),
    ("criteria:set_template",           GET,    200,  200,  200, 200, 200, 200, 200, 200),
    # Loading a criteria set is the standing office's work; an empty upload is a form error.
    ("criteria:set_import",             GET,  LOGIN,  200,  403, 403, 403, 403, 403, 200),
    ("criteria:set_import",             POST, LOGIN,  200,  403, 403, 403, 403, 403, 200),
    ("criteria:set_import_confirm",     GET,  LOGIN,  405,  405, 405, 405, 405, 405, 405),
    # Confirming without a preview only redirects back to the upload.
    ("criteria:set_import_confirm",     POST, LOGIN,  302,  403, 403, 403, 403, 403, 302),
    # The recognition rule of a set is the standing office's choice.
    ("criteria:set_rule",               GET,  LOGIN,  302,  302, 302, 302, 302, 302, 302),
    ("criteria:set_rule",               POST, LOGIN,  302,  403, 403, 403, 403, 403, 302),
    ("assignments:overview",            GET,    200,  200,  200, 200, 200, 200, 200, 200),
    ("assignments:department",          GET,    200,  200,  200, 200, 200, 200, 200, 200),
    # Dashboards: every staff member reads them; a district office sees no other district.
    ("evaluation:index",                 GET,  LOGIN,  302,  302, 302, 302, 302, 302, 302),
    ("evaluation:city",                  GET,  LOGIN,  200,  200, 200, 200, 200, 200, 200),
    # The districts matrix compares districts: not for a single district's office (403).
    ("evaluation:districts",             GET,  LOGIN,  200,  200, 200, 403, 403, 200, 200),
    ("evaluation:progress",              GET,  LOGIN,  200,  200, 200, 200, 200, 200, 200),
    ("evaluation:what_if",               GET,  LOGIN,  200,  200, 200, 200, 200, 200, 200),
    # A what-if saves nothing, so every reader may try one (200: the scenario, not a write).
    ("evaluation:what_if",               POST, LOGIN,  200,  200, 200, 200, 200, 200, 200),
    ("evaluation:report",                GET,  LOGIN,  200,  200, 200, 200, 200, 200, 200),
    ("evaluation:report_workbook",       GET,  LOGIN,  200,  200, 200, 200, 200, 200, 200),
    ("evaluation:report_document",       GET,  LOGIN,  200,  200, 200, 200, 200, 200, 200),
    ("evaluation:report_print",          GET,  LOGIN,  200,  200, 200, 200, 200, 200, 200),
    # A report's text: the standing office for any unit, a district's office for its own.
    ("evaluation:narrative",             GET,  LOGIN,  200,  403, 403, 200, 404, 403, 200),
    ("evaluation:narrative",             POST, LOGIN,  302,  403, 403, 302, 404, 403, 302),
    # Both list every district's result: not for a single district's office.
    ("evaluation:proposal_document",     GET,  LOGIN,  200,  200, 200, 403, 403, 200, 200),
    ("evaluation:decision_draft_document", GET, LOGIN, 200,  200, 200, 403, 403, 200, 200),
    ("evaluation:proposal_print",        GET,  LOGIN,  200,  200, 200, 403, 403, 200, 200),
    ("evaluation:decision_draft_print",  GET,  LOGIN,  200,  200, 200, 403, 403, 200, 200),
    # Who issues and signs the documents: kept by the standing office.
    ("evaluation:document_settings",     GET,  LOGIN,  200,  403, 403, 403, 403, 403, 200),
    ("evaluation:document_settings",     POST, LOGIN,  302,  403, 403, 403, 403, 403, 302),
    ("evaluation:unit",                  GET,  LOGIN,  200,  200, 200, 200, 404, 200, 200),
    ("evaluation:trends",                GET,  LOGIN,  200,  200, 200, 200, 404, 200, 200),
    # The committee records its decision; the standing office may record it for them.
    # A district's report to sign needs a district set for the year, which this scene has not:
    # 404 for every reader (who may download it is tested in tests/evaluation/test_documents.py).
    ("evaluation:district_report_document", GET, LOGIN, 404,  404, 404, 404, 404, 404, 404),
    ("evaluation:district_report_print", GET,  LOGIN,  404,  404, 404, 404, 404, 404, 404),
    ("evaluation:decision",              GET,  LOGIN,  200,  403, 403, 403, 404, 200, 200),
    ("evaluation:decision",              POST, LOGIN,  302,  403, 403, 403, 404, 302, 302),
    ("evaluation:decision_document",     GET,  LOGIN,  200,  403, 403, 403, 404, 200, 200),
    ("evaluation:decision_document",     POST, LOGIN,  302,  403, 403, 403, 404, 302, 302),
    ("evaluation:decision_document_download", GET, LOGIN, 200, 200, 200, 200, 404, 200, 200),
    # The pilot's meetings: read by whoever compares districts, recorded by those who decide.
    ("evaluation:meetings",              GET,  LOGIN,  200,  200, 200, 403, 403, 200, 200),
    # Their members: read like the meetings, named and removed by the standing office.
    ("evaluation:members",               GET,  LOGIN,  200,  200, 200, 403, 403, 200, 200),
    ("evaluation:members",               POST, LOGIN,  302,  403, 403, 403, 403, 403, 302),
    ("evaluation:meeting_new",           GET,  LOGIN,  200,  403, 403, 403, 403, 200, 200),
    ("evaluation:meeting_new",           POST, LOGIN,  302,  403, 403, 403, 403, 302, 302),
    ("evaluation:meeting_edit",          GET,  LOGIN,  200,  403, 403, 403, 403, 200, 200),
    ("evaluation:meeting_edit",          POST, LOGIN,  302,  403, 403, 403, 403, 302, 302),
    ("evaluation:meeting_minutes",       GET,  LOGIN,  200,  200, 200, 403, 403, 200, 200),
    ("evaluation:meeting_minutes_print", GET,  LOGIN,  200,  200, 200, 403, 403, 200, 200),
    # A meeting's files: kept by those who record the meetings, read like the meetings.
    ("evaluation:meeting_files",         GET,  LOGIN,  200,  403, 403, 403, 403, 200, 200),
    ("evaluation:meeting_files",         POST, LOGIN,  302,  403, 403, 403, 403, 302, 302),
    ("evaluation:meeting_file_download", GET,  LOGIN,  200,  200, 200, 403, 403, 200, 200),
    ("evaluation:meeting_file_remove",   GET,  LOGIN,  405,  405, 405, 405, 405, 405, 405),
    ("evaluation:meeting_file_remove",   POST, LOGIN,  302,  403, 403, 403, 403, 302, 302),
    # District A's frozen record: whoever reads its dashboard; B's office may not know it exists.
    ("evaluation:record",                GET,  LOGIN,  200,  200, 200, 200, 404, 200, 200),
    ("evaluation:record_download",       GET,  LOGIN,  200,  200, 200, 200, 404, 200, 200),
    # Data entry: everyone sees the values; only the assigned office writes them.
    ("measurements:my_work",                GET,  LOGIN,  200,  200, 200, 200, 200, 200, 200),
    ("measurements:unit_values",            GET,  LOGIN,  200,  200, 200, 200, 404, 200, 200),
    ("measurements:workbook_export",        GET,  LOGIN,  200,  200, 200, 200, 404, 200, 200),
    ("measurements:measurement",            GET,  LOGIN,  200,  200, 200, 200, 404, 200, 200),
    ("measurements:measurement",            POST, LOGIN,  302,  403, 403, 302, 404, 403, 302),
    # A share counted from a list (1.1.2 here, agencies' scores): the list page of district A.
    ("measurements:share_list",             GET,  LOGIN,  200,  200, 200, 200, 404, 200, 200),
    ("measurements:share_list",             POST, LOGIN,  200,  403, 403, 403, 404, 403, 200),
    ("measurements:share_list_workbook",    GET,  LOGIN,  200,  200, 200, 200, 404, 200, 200),
    # The lines 2.1.4 of the city is summed from (3.2.3's kind): every reader sees them; the
    # line of district A's office is entered by that office or the standing office.
    ("measurements:reported_lines",         GET,  LOGIN,  200,  200, 200, 200, 200, 200, 200),
    ("measurements:reported_lines",         POST, LOGIN,  302,  403, 403, 302, 403, 403, 302),
    # The entry's thread: whoever enters the value (district A's office) and the standing office.
    ("measurements:value_comment",          GET,  LOGIN,  405,  405, 405, 405, 405, 405, 405),
    ("measurements:value_comment",          POST, LOGIN,  302,  403, 403, 302, 404, 403, 302),
    ("measurements:not_applicable",         GET,  LOGIN,  405,  405, 405, 405, 405, 405, 405),
    ("measurements:not_applicable",         POST, LOGIN,  302,  403, 403, 403, 404, 403, 302),
    # Import: the page is everyone's; each row is checked against the uploader's rights. An
    # empty upload is a form error (200), and confirming without a preview only redirects.
    ("measurements:import",                 GET,  LOGIN,  200,  200, 200, 200, 200, 200, 200),
    ("measurements:import",                 POST, LOGIN,  200,  200, 200, 200, 200, 200, 200),
    ("measurements:import_confirm",         GET,  LOGIN,  405,  405, 405, 405, 405, 405, 405),
    ("measurements:import_confirm",         POST, LOGIN,  302,  302, 302, 302, 302, 302, 302),
    # Review of values: the standing office's work.
    ("measurements:review",                 GET,  LOGIN,  200,  403, 403, 403, 403, 403, 200),
    ("measurements:review_approve",         GET,  LOGIN,  405,  405, 405, 405, 405, 405, 405),
    ("measurements:review_approve",         POST, LOGIN,  302,  403, 403, 403, 403, 403, 302),
    ("measurements:review_return",          POST, LOGIN,  302,  403, 403, 403, 404, 403, 302),
    # Evidence: district A's document; B's office may not know it exists.
    ("evidence:evidence_home",          GET,  LOGIN,  302,  302, 302, 302, 302, 302, 302),
    # A district office sees its own row of the coverage matrix (200, filtered).
    ("evidence:coverage",               GET,  LOGIN,  200,  200, 200, 200, 200, 200, 200),
    ("evidence:evidence_review",        GET,  LOGIN,  200,  403, 403, 403, 403, 403, 200),
    ("evidence:document_list",          GET,  LOGIN,  200,  200, 200, 200, 404, 200, 200),
    # Upload: 403 as soon as the person may attach nothing for the unit (the division attaches
    # the city's evidence only).
    ("evidence:document_upload",        GET,  LOGIN,  200,  403, 403, 200, 404, 403, 200),
    ("evidence:document_upload",        POST, LOGIN,  302,  403, 403, 302, 404, 403, 302),
    ("evidence:explanation",            GET,  LOGIN,  200,  200, 200, 200, 404, 200, 200),
    ("evidence:explanation",            POST, LOGIN,  302,  403, 403, 302, 404, 403, 302),
    ("evidence:document_detail",        GET,  LOGIN,  200,  200, 200, 200, 404, 200, 200),
    ("evidence:document_replace",       GET,  LOGIN,  405,  405, 405, 405, 405, 405, 405),
    ("evidence:document_replace",       POST, LOGIN,  302,  403, 403, 302, 404, 403, 302),
    ("evidence:document_withdraw",      POST, LOGIN,  302,  403, 403, 302, 404, 403, 302),
    ("evidence:version_download",       GET,  LOGIN,  200,  200, 200, 200, 404, 200, 200),
    ("evidence:review_document",        POST, LOGIN,  302,  403, 403, 403, 404, 403, 302),
    ("evidence:request_more",           POST, LOGIN,  302,  403, 403, 403, 404, 403, 302),
    # Administration: accounts are the administrators'; years and pilot districts the standing
    # office's too (adm is a superuser: both). Reopening an open year is a form error (200).
    ("administration:index",            GET,  LOGIN,  200,  403, 403, 403, 403, 403, 200),
    ("administration:log",              GET,  LOGIN,  200,  403, 403, 403, 403, 403, 200),
    ("administration:tasks",            GET,  LOGIN,  200,  403, 403, 403, 403, 403, 200),
    ("administration:task",             GET,  LOGIN,  200,  403, 403, 403, 403, 403, 200),
    ("administration:task",             POST, LOGIN,  302,  403, 403, 403, 403, 403, 302),
    ("administration:accounts",         GET,  LOGIN,  403,  403, 403, 403, 403, 403, 200),
    ("administration:account_create",   GET,  LOGIN,  403,  403, 403, 403, 403, 403, 200),
    ("administration:account_create",   POST, LOGIN,  403,  403, 403, 403, 403, 403, 302),
    # An upload without a file is a form error (200).
    ("administration:accounts_import",  GET,  LOGIN,  403,  403, 403, 403, 403, 403, 200),
    ("administration:accounts_import",  POST, LOGIN,  403,  403, 403, 403, 403, 403, 200),
    ("administration:accounts_template", GET, LOGIN,  403,  403, 403, 403, 403, 403, 200),
    ("administration:account",          GET,  LOGIN,  403,  403, 403, 403, 403, 403, 200),
    ("administration:account",          POST, LOGIN,  403,  403, 403, 403, 403, 403, 302),
    ("administration:account_password", GET,  LOGIN,  405,  405, 405, 405, 405, 405, 405),
    ("administration:account_password", POST, LOGIN,  403,  403, 403, 403, 403, 403, 302),
    ("administration:account_unlock",   GET,  LOGIN,  405,  405, 405, 405, 405, 405, 405),
    ("administration:account_unlock",   POST, LOGIN,  403,  403, 403, 403, 403, 403, 302),
    ("administration:round",            GET,  LOGIN,  200,  403, 403, 403, 403, 403, 200),
    ("administration:round",            POST, LOGIN,  302,  403, 403, 403, 403, 403, 302),
    ("administration:units",            GET,  LOGIN,  200,  403, 403, 403, 403, 403, 200),
    ("administration:units",            POST, LOGIN,  200,  403, 403, 403, 403, 403, 200),
    ("administration:units_workbook",   GET,  LOGIN,  200,  403, 403, 403, 403, 403, 200),
    ("administration:offices_import",   GET,  LOGIN,  405,  405, 405, 405, 405, 405, 405),
    ("administration:offices_import",   POST, LOGIN,  302,  403, 403, 403, 403, 403, 302),
    ("administration:offices_template", GET,  LOGIN,  200,  403, 403, 403, 403, 403, 200),
    ("administration:unit",             GET,  LOGIN,  200,  403, 403, 403, 403, 403, 200),
    ("administration:unit",             POST, LOGIN,  302,  403, 403, 403, 403, 403, 302),
    ("administration:years",            GET,  LOGIN,  200,  403, 403, 403, 403, 403, 200),
    # The read API answers a system's token only: a person's session is no token (401), and
    # nothing but GET is answered (405). Its description and docs page are public.
    ("api_v1:api-root",                 GET,  404,    404,  404, 404, 404, 404, 404, 404),
    ("api_v1:criteria_sets",            GET,  401,    401,  401, 401, 401, 401, 401, 401),
    ("api_v1:criteria_sets",            POST, 405,    405,  405, 405, 405, 405, 405, 405),
    ("api_v1:criteria_set",             GET,  401,    401,  401, 401, 401, 401, 401, 401),
    ("api_v1:units",                    GET,  401,    401,  401, 401, 401, 401, 401, 401),
    ("api_v1:units",                    POST, 405,    405,  405, 405, 405, 405, 405, 405),
    ("api_v1:results",                  GET,  401,    401,  401, 401, 401, 401, 401, 401),
    ("api_v1:results",                  POST, 405,    405,  405, 405, 405, 405, 405, 405),
    ("api_v1:recognitions",             GET,  401,    401,  401, 401, 401, 401, 401, 401),
    ("api_v1:records",                  GET,  401,    401,  401, 401, 401, 401, 401, 401),
    ("api_v1:openapi-json",             GET,  200,    200,  200, 200, 200, 200, 200, 200),
    ("api_v1:openapi-view",             GET,  200,    200,  200, 200, 200, 200, 200, 200),
    ("api_clients:clients",             GET,  LOGIN,  403,  403, 403, 403, 403, 403, 200),
    ("api_clients:clients",             POST, LOGIN,  403,  403, 403, 403, 403, 403, 200),
    ("api_clients:rotate",              GET,  LOGIN,  405,  405, 405, 405, 405, 405, 405),
    ("api_clients:rotate",              POST, LOGIN,  403,  403, 403, 403, 403, 403, 200),
    ("api_clients:revoke",              GET,  LOGIN,  405,  405, 405, 405, 405, 405, 405),
    ("api_clients:revoke",              POST, LOGIN,  403,  403, 403, 403, 403, 403, 302),
    ("administration:years",            POST, LOGIN,  302,  403, 403, 403, 403, 403, 302),
    ("administration:year_lock",        GET,  LOGIN,  200,  403, 403, 403, 403, 403, 200),
    ("administration:year_lock",        POST, LOGIN,  302,  403, 403, 403, 403, 403, 302),
    ("administration:year_reopen",      GET,  LOGIN,  200,  403, 403, 403, 403, 403, 200),
    ("administration:year_reopen",      POST, LOGIN,  200,  403, 403, 403, 403, 403, 200),
    # Accounts (django.contrib.auth): open to everyone; changing a password needs a login.
    ("login",                           GET,    200,  200,  200, 200, 200, 200, 200, 200),
    ("login",                           POST,   200,  200,  200, 200, 200, 200, 200, 200),
    # Logging out is POST only since Django 5 (a link cannot log anyone out).
    ("logout",                          GET,    405,  405,  405, 405, 405, 405, 405, 405),
    ("logout",                          POST,   302,  302,  302, 302, 302, 302, 302, 302),
    ("password_change",                 GET,  LOGIN,  200,  200, 200, 200, 200, 200, 200),
    ("password_change_done",            GET,  LOGIN,  200,  200, 200, 200, 200, 200, 200),
    ("password_reset",                  GET,    200,  200,  200, 200, 200, 200, 200, 200),
    ("password_reset_done",             GET,    200,  200,  200, 200, 200, 200, 200, 200),
    # A forged reset link: the page says the link is invalid (200), nothing else.
    ("password_reset_confirm",          GET,    200,  200,  200, 200, 200, 200, 200, 200),
    ("password_reset_complete",         GET,    200,  200,  200, 200, 200, 200, 200, 200),
    # Notifications: each person's own; district A's office opens its notification, nobody else.
    ("notifications:list",              GET,  LOGIN,  200,  200, 200, 200, 200, 200, 200),
    ("notifications:open",              GET,  LOGIN,  404,  404, 404, 302, 404, 404, 404),
    ("notifications:read_all",          GET,  LOGIN,  405,  405, 405, 405, 405, 405, 405),
    ("notifications:read_all",          POST, LOGIN,  302,  302, 302, 302, 302, 302, 302),
    ("notifications:email",             GET,  LOGIN,  405,  405, 405, 405, 405, 405, 405),
    ("notifications:email",             POST, LOGIN,  302,  302, 302, 302, 302, 302, 302),
]
# fmt: on


@dataclass
class Scene:
    """What the URLs of the matrix point at."""

    world: object
    document: Document  # district A's, for 1.1.1, one version
    measurement: Measurement  # district A's 2.1.3, submitted
    notification: Notification  # district A's office's
    meeting: Meeting  # the committee's, 20/12/2022
    record: FrozenRecord  # frozen when district A's recognition was recorded
    meeting_file: MeetingFile  # the meeting's signed minutes


def _meeting_file(scene: Scene) -> dict:
    return {"year": YEAR, "pk": scene.meeting.pk, "file_pk": scene.meeting_file.pk}


def _year_unit(scene: Scene) -> dict:
    return {"year": YEAR, "unit_code": "HP-A"}


def _account(scene: Scene) -> int:
    """The division's account, which the administrator manages."""
    return User.objects.get(username="vanphong").pk


def _document(scene: Scene) -> dict:
    return {"pk": scene.document.pk}


def _api_client(scene: Scene) -> int:
    """A system with a token, which the administrator manages."""
    client, _ = ApiClient.objects.get_or_create(
        name="Bộ GD&ĐT",
        defaults={
            "token_prefix": "abcdefgh",
            "token_hash": "0" * 64,
            "created_by": User.objects.get(username="quantri"),
        },
    )
    return client.pk


KWARGS = {
    "criteria:indicator": lambda s: {"code": "1.1.2"},
    "criteria:set": lambda s: {"code": s.world.criteria_set.code},
    "criteria:set_workbook": lambda s: {"code": s.world.criteria_set.code},
    "criteria:set_rule": lambda s: {"code": s.world.criteria_set.code},
    "assignments:department": lambda s: {"code": "VP"},
    "evaluation:city": lambda s: {"year": YEAR},
    "evaluation:districts": lambda s: {"year": YEAR},
    "evaluation:progress": lambda s: {"year": YEAR},
    "evaluation:what_if": lambda s: {"year": YEAR},
    "evaluation:report": lambda s: {"year": YEAR},
    "evaluation:report_workbook": lambda s: {"year": YEAR},
    "evaluation:report_document": lambda s: {"year": YEAR},
    "evaluation:report_print": lambda s: {"year": YEAR},
    "evaluation:narrative": _year_unit,
    "evaluation:proposal_print": lambda s: {"year": YEAR},
    "evaluation:decision_draft_print": lambda s: {"year": YEAR},
    "evaluation:meeting_minutes_print": lambda s: {"year": YEAR, "pk": s.meeting.pk},
    "evaluation:meeting_files": lambda s: {"year": YEAR, "pk": s.meeting.pk},
    "evaluation:meeting_file_download": _meeting_file,
    "evaluation:meeting_file_remove": _meeting_file,
    "evaluation:district_report_print": _year_unit,
    "evaluation:proposal_document": lambda s: {"year": YEAR},
    "evaluation:decision_draft_document": lambda s: {"year": YEAR},
    "evaluation:unit": _year_unit,
    "evaluation:trends": _year_unit,
    "evaluation:decision": _year_unit,
    "evaluation:decision_document": _year_unit,
    "evaluation:decision_document_download": _year_unit,
    "evaluation:meetings": lambda s: {"year": YEAR},
    "evaluation:members": lambda s: {"year": YEAR},
    "evaluation:meeting_new": lambda s: {"year": YEAR},
    "evaluation:meeting_edit": lambda s: {"year": YEAR, "pk": s.meeting.pk},
    "evaluation:meeting_minutes": lambda s: {"year": YEAR, "pk": s.meeting.pk},
    "evaluation:record": lambda s: {**_year_unit(s), "pk": s.record.pk},
    "evaluation:record_download": lambda s: {**_year_unit(s), "pk": s.record.pk},
    "evaluation:district_report_document": _year_unit,
    "measurements:unit_values": _year_unit,
    "measurements:workbook_export": _year_unit,
    "measurements:measurement": lambda s: {**_year_unit(s), "code": "2.1.3"},
    "measurements:not_applicable": lambda s: {**_year_unit(s), "code": "2.1.3"},
    "measurements:value_comment": lambda s: {**_year_unit(s), "code": "2.1.3"},
    "measurements:share_list": lambda s: {**_year_unit(s), "code": "1.1.2"},
    "measurements:reported_lines": lambda s: {"year": YEAR, "unit_code": "HP", "code": "2.1.4"},
    "measurements:share_list_workbook": lambda s: {**_year_unit(s), "code": "1.1.2"},
    "measurements:review_return": lambda s: {"pk": s.measurement.pk},
    "evidence:coverage": lambda s: {"year": YEAR},
    "evidence:document_list": _year_unit,
    "evidence:document_upload": _year_unit,
    "evidence:explanation": lambda s: {**_year_unit(s), "code": "1.1.1"},
    "evidence:document_detail": _document,
    "evidence:document_replace": _document,
    "evidence:document_withdraw": _document,
    "evidence:version_download": lambda s: {"pk": s.document.pk, "number": 1},
    "evidence:review_document": _document,
    "evidence:request_more": _document,
    "notifications:open": lambda s: {"pk": s.notification.pk},
    "password_reset_confirm": lambda s: {"uidb64": "MQ", "token": "forged-token"},
    "administration:account": lambda s: {"pk": _account(s)},
    "administration:account_password": lambda s: {"pk": _account(s)},
    "administration:account_unlock": lambda s: {"pk": _account(s)},
    "administration:year_lock": lambda s: {"year": YEAR},
    "administration:round": lambda s: {"year": YEAR, "level": "district"},
    "administration:task": lambda s: {"number": 1},
    "administration:unit": lambda s: {"code": "HP-B"},
    "api_v1:criteria_set": lambda s: {"code": "hp-test"},
    "api_v1:units": lambda s: {"year": YEAR},
    "api_v1:results": lambda s: {"year": YEAR, "code": "HP-A"},
    "api_v1:recognitions": lambda s: {"year": YEAR},
    "api_v1:records": lambda s: {"year": YEAR},
    "api_clients:rotate": lambda s: {"pk": _api_client(s)},
    "api_clients:revoke": lambda s: {"pk": _api_client(s)},
    "administration:year_reopen": lambda s: {"year": YEAR},
}

#: What each POST sends: what the allowed persona needs to succeed, so a refusal is a real one.
POST_DATA = {
    "criteria:set_rule": lambda s: {"rule": "min_indicators", "min_indicators_met": "2"},
    "evaluation:meeting_new": lambda s: {"kind": "council", "held_on": "15/12/2022"},
    "evaluation:narrative": lambda s: {"results": "Hoàn thành kế hoạch năm"},
    "evaluation:meeting_files": lambda s: {
        "kind": "attachment",
        "title": "Báo cáo trình Hội đồng",
        "file": SimpleUploadedFile("bao-cao.pdf", PDF),
    },
    "evaluation:members": lambda s: {"body": "council", "role": "chair", "name": "Nguyễn Văn A"},
    "evaluation:decision_document": lambda s: {
        "number": "1234/QĐ-UBND",
        "issued_on": "28/12/2022",
        "issuer": "UBND thành phố Hải Phòng",
        "signer": "Nguyễn Văn A",
        "file": SimpleUploadedFile("quyet-dinh.pdf", PDF),
    },
    "evaluation:meeting_edit": lambda s: {"kind": "committee", "held_on": "20/12/2022"},
    "evaluation:decision": lambda s: {
        "meeting": s.meeting.pk,
        "decision": CommitteeDecision.Decision.RECOGNIZED,
        "number": "12/QĐ-BCĐ",
        # HP-A is no pilot and has no district set: the reason a recognition then needs.
        "exception_confirmed": "on",
        "exception_reason": "Kết luận của Hội đồng đánh giá thành phố",
    },
    "measurements:measurement": lambda s: {
        "numerator": "1",
        "denominator": "4000",
        "version": s.measurement.version,
    },
    "measurements:reported_lines": lambda s: {
        "department": "PGD-A",
        "numerator": "1",
        "denominator": "4000",
        "submit": "",
    },
    "measurements:value_comment": lambda s: {"text": "Đã bổ sung số liệu"},
    "measurements:not_applicable": lambda s: {
        "reason": "Không có xã",
        "version": s.measurement.version,
    },
    "measurements:review_approve": lambda s: {
        "ids": [s.measurement.pk],
        f"seen-{s.measurement.pk}": s.measurement.version,
    },
    "measurements:review_return": lambda s: {
        "comment": "Bổ sung văn bản",
        "version": s.measurement.version,
    },
    "evidence:document_upload": lambda s: {
        "indicators": [s.world.indicator("1.1.1").pk],
        "title": "Báo cáo tổng kết",
        "file": SimpleUploadedFile("bao-cao.pdf", PDF),
    },
    "evidence:explanation": lambda s: {"text": "Văn bản đang chờ ký."},
    "evidence:document_replace": lambda s: {"file": SimpleUploadedFile("ban-2.pdf", PDF_V2)},
    "evidence:document_withdraw": lambda s: {"reason": "Tải nhầm tệp"},
    "evidence:request_more": lambda s: {"comment": "Thiếu chữ ký", "seen": 1},
    "evidence:review_document": lambda s: {"seen": 1},
    "notifications:email": lambda s: {"email": "off"},
    "api_clients:clients": lambda s: {"name": "Hệ thống tổng hợp của Bộ"},
    "api_clients:revoke": lambda s: {"reason": "Hệ thống ngừng hoạt động"},
    "administration:unit": lambda s: {
        "name": "Đơn vị HP-B",
        "kind": "rural",
        "parent": s.world.city.pk,
        "valid_to": "2030",
        "position": "2",
    },
    "evaluation:document_settings": lambda s: {
        "parent_body": "UBND THÀNH PHỐ HẢI PHÒNG",
        "issuing_body": "SỞ GIÁO DỤC VÀ ĐÀO TẠO",
        "name_in_text": "Sở Giáo dục và Đào tạo",
        "short_name": "SGDĐT",
        "place": "Hải Phòng",
        "signer_title": "GIÁM ĐỐC",
        "recipients": "- Lưu: VT.",
    },
    "administration:account_create": lambda s: {
        "username": "nguoi.moi",
        "full_name": "Người Mới",
        "password1": "Tam-thoi-2026!",
        "password2": "Tam-thoi-2026!",
    },
    "administration:account": lambda s: {"full_name": "Trần Văn Minh", "is_active": "on"},
    "administration:account_password": lambda s: {
        "password1": "Tam-thoi-2026!",
        "password2": "Tam-thoi-2026!",
    },
    "administration:round": lambda s: {"districts": [s.world.district_a.pk]},
    "administration:years": lambda s: {"year": "2031"},
    "administration:task": lambda s: {
        "done": "",
        "completed_on": "20/12/2022",
        "proof": "Báo cáo số 45/BC-SGDĐT ngày 20/12/2022",
    },
    "administration:year_reopen": lambda s: {"reason": "Sửa số liệu theo kết luận"},
}


def url_patterns(resolver: URLResolver | None = None, namespace: str = "", prefix: str = ""):
    """(qualified name, route) of every pattern, walking included URLconfs recursively."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from url_patterns(pattern, inner, route)
        elif isinstance(pattern, URLPattern):
            name = pattern.name or f"<unnamed {route}>"
            yield (f"{namespace}:{name}" if namespace else name), route


def is_skipped(name: str, route: str) -> bool:
    return (
        name.split(":")[0] == SKIPPED["namespace"]
        or name == SKIPPED["name"]
        or (bool(SKIPPED["route_prefix"]) and route.startswith(SKIPPED["route_prefix"]))
    )


def checked_urls(resolver: URLResolver | None = None) -> set[str]:
    return {name for name, route in url_patterns(resolver) if not is_skipped(name, route)}


def missing_rows(resolver: URLResolver | None = None) -> list[str]:
    return sorted(checked_urls(resolver) - {row[0] for row in MATRIX})


def test_every_url_has_a_row_in_the_matrix():
    missing = missing_rows()
    assert not missing, (
        "URL patterns without a row in tests/test_access_matrix.py MATRIX (decide who may open "
        f"them): {missing}"
    )


class _WithNewPages:
    """The portal's URLs plus pages nobody has given a row yet, nested as an app would add them."""

    urlpatterns = [
        path("", include("learningcity.urls")),
        path("criteria/sets/", include(([path("<str:code>/", home, name="set_new")], "criteria"))),
        path("x/", include([path("", home)])),
    ]


def test_a_new_page_without_a_row_is_caught_even_when_nested_or_unnamed():
    missing = missing_rows(get_resolver(_WithNewPages))
    assert missing == ["<unnamed x/>", "criteria:set_new"]


def test_the_matrix_names_no_url_that_is_gone():
    assert not sorted({row[0] for row in MATRIX} - checked_urls())


def test_every_row_has_a_status_per_persona_and_its_arguments():
    resolver = get_resolver()
    for row in MATRIX:
        assert len(row) == 2 + len(PERSONAS), row
        assert row[1] in (GET, POST), row
    rows = [(row[0], row[1]) for row in MATRIX]
    assert len(rows) == len(set(rows)), "a URL and method listed twice"
    for name, route in url_patterns(resolver):
        if not is_skipped(name, route) and "<" in route:
            assert name in KWARGS, f"{name} takes arguments: add them to KWARGS"


def _storages(location: Path) -> dict:
    return {
        **settings.STORAGES,
        "evidence": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": location, "base_url": None},
        },
    }


@pytest.fixture(scope="module")
def _shared_scene(_shared_world, tmp_path_factory, django_db_blocker) -> tuple[Scene, Path]:
    """The scene, built once for the module inside its shared world's transaction (rolled back
    after the module; each test's writes roll back after the test); its evidence files in a
    directory of the module."""
    world, personas = _shared_world
    location = tmp_path_factory.mktemp("evidence-storage")
    with django_db_blocker.unblock(), override_settings(STORAGES=_storages(location)):
        document = evidence_services.document_upload(
            actor=actor_for(personas["district_a"]),
            user=personas["district_a"],
            unit=world.district_a,
            year=YEAR,
            indicators=[world.indicator("1.1.1")],
            metadata=DocumentMetadata(title="Kế hoạch xây dựng quận học tập"),
            file=raw_file("ke-hoach.pdf", PDF),
        )
        Indicator.objects.filter(pk=world.indicator("1.1.2").pk).update(
            list_source=ListSource.AGENCY_SCORES
        )
        summed = make_indicator(
            world.indicator("2.1.3").criterion,
            "2.1.4",
            kind="rate_below",
            threshold="0.05",
            list_source=ListSource.REPORTED_LINES,
        )
        for office in (world.office_a, world.office_b):
            assign(summed, office)
        PlanTask.objects.create(number=1, content="Tổng kết năm học", due_date=date(2022, 12, 31))
        measurement = Measurement.objects.create(
            indicator=world.indicator("2.1.3"),
            unit=world.district_a,
            year=YEAR,
            numerator=1,
            denominator=3000,
            status=Measurement.Status.SUBMITTED,
        )
        notification = Notification.objects.create(
            recipient=personas["district_a"],
            kind=Notification.Kind.VALUE_RETURNED,
            message="The value of indicator %(code)s was returned: %(comment)s",
            figures={"code": "2.1.3", "comment": "Thiếu số liệu"},
            link=reverse("measurements:measurement", args=[YEAR, "HP-A", "2.1.3"]),
        )
        meeting = make_meeting(YEAR, personas["committee"])
        decision = decision_record(
            actor=actor_for(personas["committee"]),
            unit=world.district_a,
            year=YEAR,
            user=personas["committee"],
            data={
                "meeting": meeting,
                "decision": "not_recognized",
                "number": "",
                "note": "Chưa đủ minh chứng",
            },
        )
        record = FrozenRecord.objects.get(decision=decision)
        decision_document_attach(
            actor=actor_for(personas["committee"]),
            user=personas["committee"],
            decision=decision,
            data={
                "number": "1234/QĐ-UBND",
                "issued_on": date(2022, 12, 28),
                "issuer": "UBND thành phố Hải Phòng",
                "signer": "Nguyễn Văn A",
            },
            file=raw_file("quyet-dinh.pdf", PDF),
        )
        meeting_file = meeting_file_attach(
            actor=actor_for(personas["committee"]),
            user=personas["committee"],
            meeting=meeting,
            kind="minutes",
            title="Biên bản đã ký",
            file=raw_file("bien-ban.pdf", PDF),
        )
    scene = Scene(world, document, measurement, notification, meeting, record, meeting_file)
    return scene, location


@pytest.fixture
def evidence_storage(settings, _shared_scene) -> Path:
    """Evidence files go to the module's directory (tests never write into the project)."""
    location = _shared_scene[1]
    settings.STORAGES = _storages(location)
    return location


@pytest.fixture
def scene(world, personas, evidence_storage, _shared_scene) -> Scene:
    return copy.deepcopy(_shared_scene[0])


def _cases() -> list:
    return [
        pytest.param(row[0], row[1], persona, status, id=f"{row[0]}-{row[1]}-{persona}")
        for row in MATRIX
        for persona, status in zip(PERSONAS, row[2:], strict=True)
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "method", "persona", "expected"), _cases())
def test_access(client_for, scene, evidence_storage, name, method, persona, expected):
    url = reverse(name, kwargs=KWARGS[name](scene) if name in KWARGS else None)
    client = client_for(persona)
    refused = method == POST and (expected == LOGIN or expected >= 400)
    before = database_snapshot(evidence_storage) if refused else None
    if method == GET:
        response = client.get(url)
    else:
        response = client.post(url, POST_DATA[name](scene) if name in POST_DATA else {})
    if response.streaming:  # a download: reading it to the end closes its file
        b"".join(response.streaming_content)
    if expected == LOGIN:
        assert response.status_code == 302, response
        assert response["Location"].startswith(reverse("login") + "?next=")
    else:
        assert response.status_code == expected, response
    if refused:
        assert database_snapshot(evidence_storage) == before, "a refused POST wrote something"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "expected"), [("anonymous", 302), ("division", 302), ("administrator", 200)]
)
def test_the_admin_lets_in_only_the_administrator(client_for, persona, expected):
    response = client_for(persona).get(reverse("admin:index"))
    assert response.status_code == expected
    if expected == 302:  # the admin's own login page: a division's member is not staff
        assert response["Location"].startswith(reverse("admin:login"))


#: Pages that list several units, offices or their statuses: district A's office may open them,
#: and must find nothing of district B there (its name, its code, its office).
SCOPED_PAGES = (
    "evaluation:progress",
    "evaluation:city",
    "evidence:coverage",
    "measurements:my_work",
    "measurements:unit_values",
    "evidence:document_list",
)


@pytest.mark.django_db
@pytest.mark.parametrize("name", SCOPED_PAGES)
def test_a_district_office_reads_nothing_of_another_district(client_for, scene, name):
    url = reverse(name, kwargs=KWARGS[name](scene) if name in KWARGS else None)
    response = client_for("district_a").get(url)
    html = response.content.decode()
    assert response.status_code == 200
    district_b, office_b = scene.world.district_b, scene.world.office_b
    assert [
        text for text in (district_b.code, district_b.name, office_b.name) if text in html
    ] == []


@pytest.mark.django_db
def test_a_district_office_reads_its_own_line_of_progress(client_for, scene):
    html = client_for("district_a").get(reverse("evaluation:progress", args=[YEAR])).content
    rows = html.decode().split("<tbody>")[1].split("</tbody>")[0]
    assert rows.count("<tr>") == 1
    assert scene.world.office_a.name in rows


#: The most queries each page runs, whoever reads it, in this scene (the second request: the
#: session exists). Absolute ceilings, the baseline a change must keep or lower (NetBox's way):
#: counts that grow with the data are tested at 15 and 150 districts elsewhere.
QUERY_CEILINGS = {
    "healthz": 1,
    "criteria:catalogue": 13,
    "criteria:indicator": 11,
    "criteria:sets": 7,
    "criteria:set": 14,
    "criteria:set_workbook": 6,
    "criteria:set_template": 1,
    "criteria:set_import": 6,
    "assignments:overview": 9,
    "assignments:department": 9,
    "evaluation:city": 27,
    "evaluation:districts": 23,
    "evaluation:progress": 21,
    "evaluation:what_if": 17,
    "evaluation:report": 23,
    "evaluation:report_workbook": 21,
    "evaluation:report_document": 23,
    "evaluation:report_print": 24,
    "evaluation:narrative": 8,
    "evaluation:proposal_document": 8,
    "evaluation:decision_draft_document": 8,
    "evaluation:proposal_print": 9,
    "evaluation:decision_draft_print": 9,
    "evaluation:document_settings": 7,
    "evaluation:unit": 14,
    "evaluation:trends": 12,
    "evaluation:decision": 14,
    "evaluation:decision_document": 8,
    "evaluation:decision_document_download": 7,
    "evaluation:meetings": 10,
    "evaluation:members": 9,
    "evaluation:meeting_new": 8,
    "evaluation:meeting_edit": 9,
    "evaluation:meeting_minutes": 10,
    "evaluation:meeting_minutes_print": 11,
    "evaluation:meeting_files": 8,
    "evaluation:meeting_file_download": 6,
    "evaluation:record": 9,
    "evaluation:record_download": 7,
    "measurements:my_work": 21,
    "measurements:unit_values": 16,
    "measurements:workbook_export": 15,
    "measurements:measurement": 20,
    "measurements:share_list": 14,
    "measurements:share_list_workbook": 10,
    "measurements:reported_lines": 13,
    "measurements:import": 6,
    "measurements:review": 13,
    "evidence:coverage": 14,
    "evidence:evidence_review": 9,
    "evidence:document_list": 18,
    "evidence:document_upload": 12,
    "evidence:explanation": 13,
    "evidence:document_detail": 13,
    "evidence:version_download": 6,
    "administration:index": 7,
    "administration:log": 7,
    "administration:tasks": 8,
    "administration:task": 7,
    "administration:accounts": 8,
    "administration:account_create": 6,
    "administration:accounts_import": 5,
    "administration:accounts_template": 5,
    "administration:account": 12,
    "administration:round": 9,
    "administration:units": 9,
    "administration:units_workbook": 7,
    "administration:unit": 11,
    "administration:offices_template": 7,
    "administration:years": 8,
    "api_v1:openapi-json": 2,
    "api_v1:openapi-view": 2,
    "api_clients:clients": 7,
    "administration:year_lock": 9,
    "administration:year_reopen": 7,
    "login": 6,
    "password_change": 6,
    "password_change_done": 6,
    "password_reset": 6,
    "password_reset_done": 6,
    "password_reset_confirm": 7,
    "password_reset_complete": 6,
    "notifications:list": 9,
}


def test_every_page_read_in_the_matrix_has_a_query_ceiling():
    read = {row[0] for row in MATRIX if row[1] == GET and 200 in row[3:]}
    assert read == set(QUERY_CEILINGS)


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(QUERY_CEILINGS))
def test_no_page_runs_more_queries_than_its_ceiling(
    client_for, scene, evidence_storage, django_assert_max_num_queries, name
):
    row = next(row for row in MATRIX if row[0] == name and row[1] == GET)
    url = reverse(name, kwargs=KWARGS[name](scene) if name in KWARGS else None)
    for persona, status in zip(PERSONAS[1:], row[3:], strict=True):
        if status != 200:
            continue
        client = client_for(persona)
        client.get(url)
        with django_assert_max_num_queries(QUERY_CEILINGS[name]):
            response = client.get(url)
            if response.streaming:
                b"".join(response.streaming_content)
        assert response.status_code == 200
