"""Reads of evidence (evidence/selectors.py) not covered by the pages' tests: a document's
readable history (issue 15.4), with its lines written out by hand."""

from datetime import date

import pytest
from django.template import Context, Template
from django.utils import translation

from assignments.permissions import actor_for
from evidence import selectors, services
from evidence.services import DocumentMetadata
from tests.conftest import YEAR
from tests.evidence.conftest import PDF_V2, raw_file, seen

pytestmark = pytest.mark.django_db


def act(personas, persona):
    return {"actor": actor_for(personas[persona]), "user": personas[persona]}


@pytest.fixture
def reviewed_twice(personas, world):
    """District A uploads a plan; the standing office asks for the signed page; district A
    replaces the file; the standing office approves the new one."""
    document = services.document_upload(
        **act(personas, "district_a"),
        unit=world.district_a,
        year=YEAR,
        indicators=[world.indicator("1.1.1")],
        metadata=DocumentMetadata(
            title="Kế hoạch xây dựng quận học tập",
            number="254/KH-UBND",
            issue_date=date(2022, 3, 25),
        ),
        file=raw_file("ke-hoach.pdf"),
    )
    services.document_request_more(
        **act(personas, "standing_office"),
        document=document,
        comment="Thiếu trang có chữ ký",
        seen_version=seen(document),
    )
    services.document_replace(
        **act(personas, "district_a"), document=document, file=raw_file("ke-hoach-ky.pdf", PDF_V2)
    )
    services.document_approve(
        **act(personas, "standing_office"), document=document, seen_version=seen(document)
    )
    return document


def test_a_documents_history_says_who_changed_what_newest_first(reviewed_twice, personas):
    with translation.override("en"):
        history = selectors.document_history(reviewed_twice)
    office, district = personas["standing_office"], personas["district_a"]
    assert [(line.by, line.status_before, line.status_after) for line in history.lines] == [
        (office, "waiting", "approved"),
        (district, "needs_more", "waiting"),
        (office, "waiting", "needs_more"),
        (district, None, "waiting"),
    ]
    assert [[str(change) for change in line.changes] for line in history.lines] == [
        [],
        ["File: ke-hoach.pdf (version 1) → ke-hoach-ky.pdf (version 2)"],
        [],
        [
            "Title: — → Kế hoạch xây dựng quận học tập",
            "Document number: — → 254/KH-UBND",
            "Issue date: — → 25/03/2022",
            "File: — → ke-hoach.pdf (version 1)",
        ],
    ]
    assert [line.comment for line in history.lines] == ["", "", "Thiếu trang có chữ ký", ""]


def test_the_issue_date_reads_dd_mm_yyyy_in_vietnamese(reviewed_twice):
    with translation.override("vi"):
        first = selectors.document_history(reviewed_twice).lines[-1]
    assert "Ngày ban hành: — → 25/03/2022" in [str(change) for change in first.changes]


def test_the_current_version_comes_first_and_the_approved_one_is_known(reviewed_twice):
    history = selectors.document_history(reviewed_twice)
    assert [version.number for version in history.versions] == [2, 1]
    assert history.approved_version == 2


def test_a_replacement_after_approval_leaves_the_approved_version_marked(personas, make_document):
    document = make_document()
    services.document_approve(
        **act(personas, "standing_office"), document=document, seen_version=seen(document)
    )
    services.document_replace(
        **act(personas, "district_a"), document=document, file=raw_file("ban-moi.pdf", PDF_V2)
    )
    history = selectors.document_history(document)
    assert (history.approved_version, history.lines[0].status_after) == (1, "waiting")


def test_a_never_approved_document_marks_no_version(make_document):
    assert selectors.document_history(make_document()).approved_version is None


def test_a_withdrawal_is_a_line_with_its_reason(personas, make_document):
    document = make_document()
    services.document_withdraw(
        **act(personas, "district_a"), document=document, reason="Tải nhầm văn bản"
    )
    with translation.override("en"):
        line = selectors.document_history(document).lines[0]
    assert (line.by, line.status_before, line.status_after) == (
        personas["district_a"],
        "waiting",
        "withdrawn",
    )
    assert [str(change) for change in line.changes] == [
        "Reason for withdrawal: — → Tải nhầm văn bản"
    ]


def test_the_history_costs_two_queries(reviewed_twice, django_assert_num_queries):
    with django_assert_num_queries(2):
        selectors.document_history(reviewed_twice)


def test_a_change_reads_in_english_with_the_typed_reason_marked_vietnamese(personas, make_document):
    document = make_document()
    services.document_withdraw(
        **act(personas, "district_a"), document=document, reason="Tải nhầm văn bản"
    )
    page = Template("{% load portal_tags %}{% for c in changes %}{{ c|said }}{% endfor %}")
    with translation.override("en"):
        changes = selectors.document_history(document).lines[0].changes
        shown = page.render(Context({"changes": changes}))
    assert shown == 'Reason for withdrawal: — → <span lang="vi">Tải nhầm văn bản</span>'
