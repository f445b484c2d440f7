"""The state of evidence per unit and indicator (evidence.selectors.evidence_state) and the
coverage matrix page: words and counts, links to the documents, and a query count that does not
grow with the number of districts and documents."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assignments.models import Unit
from evidence.models import Document, Explanation
from evidence.selectors import EMPTY_CELL, EvidenceCell, coverage_matrix, evidence_state
from tests.conftest import YEAR

COVERAGE_URL = reverse("evidence:coverage", args=[YEAR])


def add_document(world, personas, unit, codes=("1.1.1",), status="waiting", withdrawn=False):
    """A document row straight in the database (the file does not matter to coverage)."""
    document = Document.objects.create(
        unit=unit,
        year=YEAR,
        title=f"Minh chứng {unit.code}",
        status=status,
        created_by=personas["standing_office"],
        withdrawn_at=timezone.now() if withdrawn else None,
        withdrawn_by=personas["standing_office"] if withdrawn else None,
        withdrawal_reason="Tải nhầm" if withdrawn else "",
    )
    document.indicators.set([world.indicator(code) for code in codes])
    return document


def add_districts(world, count: int, start: int = 0) -> list[Unit]:
    return Unit.objects.bulk_create(
        Unit(code=f"HP-X{n}", name=f"Huyện {n}", kind="rural", parent=world.city, position=n + 10)
        for n in range(start, start + count)
    )


# The cell


@pytest.mark.parametrize(
    ("cell", "state"),
    [
        (EvidenceCell(), "none"),
        (EvidenceCell(has_explanation=True), "none"),
        (EvidenceCell(needs_more=1), "needs_more"),
        (EvidenceCell(waiting=1, needs_more=2), "waiting"),
        (EvidenceCell(approved=1, waiting=1, needs_more=1), "approved"),
    ],
)
def test_a_cells_state_says_whether_the_indicator_is_proven(cell, state):
    assert cell.state == state


# evidence_state


@pytest.mark.django_db
def test_evidence_state_counts_documents_by_status(world, personas):
    add_document(world, personas, world.district_a, status="approved")
    add_document(world, personas, world.district_a, status="waiting")
    add_document(world, personas, world.district_a, codes=("1.1.1", "2.1.3"), status="needs_more")
    cells = evidence_state(YEAR)
    a = world.district_a.pk
    assert cells[(a, world.indicator("1.1.1").pk)] == EvidenceCell(1, 1, 1, False)
    assert cells[(a, world.indicator("2.1.3").pk)].state == "needs_more"


@pytest.mark.django_db
def test_evidence_state_leaves_withdrawn_documents_out(world, personas):
    add_document(world, personas, world.district_a, status="approved", withdrawn=True)
    assert evidence_state(YEAR) == {}


@pytest.mark.django_db
def test_evidence_state_says_when_an_explanation_exists(world, personas):
    Explanation.objects.create(
        unit=world.district_b,
        year=YEAR,
        indicator=world.indicator("2.1.3"),
        text="Chưa có",
        author=personas["district_b"],
    )
    cell = evidence_state(YEAR)[(world.district_b.pk, world.indicator("2.1.3").pk)]
    assert (cell.state, cell.has_explanation) == ("none", True)


@pytest.mark.django_db
def test_evidence_state_keeps_to_the_given_units_and_year(world, personas):
    add_document(world, personas, world.district_a)
    add_document(world, personas, world.district_b)
    cells = evidence_state(YEAR, [world.district_b.pk])
    assert set(cells) == {(world.district_b.pk, world.indicator("1.1.1").pk)}
    assert evidence_state(YEAR + 1) == {}


@pytest.mark.django_db
def test_evidence_state_takes_two_queries_however_many_documents(
    world, personas, django_assert_num_queries
):
    for unit in add_districts(world, 20):
        add_document(world, personas, unit, codes=("1.1.1", "2.1.3"))
    with django_assert_num_queries(2):
        cells = evidence_state(YEAR)
    assert len(cells) == 40


@pytest.mark.django_db
def test_the_matrix_counts_each_row_and_column(world, personas):
    add_document(world, personas, world.district_a, status="approved")
    add_document(world, personas, world.district_b, codes=("2.1.3",), status="needs_more")
    matrix = coverage_matrix(world.criteria_set, YEAR)
    assert [i.code for i in matrix.indicators] == ["1.1.1", "2.1.3"]
    assert [row.unit for row in matrix.rows] == [world.district_a, world.district_b]
    assert matrix.rows[0].counts == {"approved": 1, "waiting": 0, "needs_more": 0, "none": 1}
    assert matrix.column_counts[1] == {"approved": 0, "waiting": 0, "needs_more": 1, "none": 1}
    assert matrix.totals == {"approved": 1, "waiting": 0, "needs_more": 1, "none": 2}


@pytest.mark.django_db
def test_an_empty_cell_reads_as_no_evidence(world):
    matrix = coverage_matrix(world.criteria_set, YEAR)
    assert matrix.rows[0].cells[0][1] == EMPTY_CELL


# The page


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client, world):
    response = client.get(COVERAGE_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_the_page_shows_districts_by_indicators_districts_report_on(client_for, world):
    html = client_for("committee").get(COVERAGE_URL).content.decode()
    assert "Đơn vị HP-A" in html
    assert "Đơn vị HP-B" in html
    assert ">1.1.1</th>" in html
    assert ">2.1.3</th>" in html
    assert ">1.1.2</th>" not in html  # the division's indicator: no district reports on it


@pytest.mark.django_db
def test_each_cell_says_its_state_in_words_and_links_to_the_documents(client_for, world, personas):
    add_document(world, personas, world.district_a, status="approved")
    html = client_for("standing_office").get(COVERAGE_URL).content.decode()
    link = reverse("evidence:document_list", args=[YEAR, "HP-A"]) + "?indicator=1.1.1"
    assert f'href="{link}#documents"' in html
    assert "table-success" in html
    assert "Đã duyệt (1)" in html
    assert "Chưa có minh chứng" in html


@pytest.mark.django_db
def test_a_district_office_sees_only_its_own_row(client_for, world):
    html = client_for("district_a").get(COVERAGE_URL).content.decode()
    assert "Đơn vị HP-A" in html
    assert "Đơn vị HP-B" not in html


@pytest.mark.django_db
def test_the_query_count_is_the_same_for_15_and_150_districts(
    client_for, world, personas, django_assert_num_queries
):
    client = client_for("committee")
    add_districts(world, 13)  # with HP-A and HP-B: 15
    for unit in Unit.objects.exclude(kind="city")[:5]:
        add_document(world, personas, unit, status="approved")
    with CaptureQueriesContext(connection) as fifteen:
        response = client.get(COVERAGE_URL)
    assert response.content.decode().count('scope="row"><a href') == 15
    for unit in add_districts(world, 135, start=13):
        add_document(world, personas, unit, codes=("1.1.1", "2.1.3"), status="waiting")
        add_document(world, personas, unit, codes=("2.1.3",), status="needs_more")
    with django_assert_num_queries(len(fifteen.captured_queries)):
        response = client.get(COVERAGE_URL)
    assert response.content.decode().count('scope="row"><a href') == 150
