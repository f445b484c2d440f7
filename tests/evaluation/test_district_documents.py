"""A district's own report to sign, issued by its education office (evaluation/documents.py)."""

from io import BytesIO

import pytest
from django.urls import reverse
from docx import Document

from assignments.models import Assignment
from evaluation import documents
from measurements.models import Measurement
from tests.conftest import YEAR
from tests.evaluation.test_documents import texts
from tests.factories import make_criteria_set, make_criterion, make_indicator, make_standard

pytestmark = pytest.mark.django_db


@pytest.fixture
def district_set(world):
    """A districts' set for the year with one indicator district A's office has answered."""
    district_set = make_criteria_set("quan-huyen", level="district")
    criterion = make_criterion(make_standard(district_set, "1"), "1.1")
    own = make_indicator(criterion, "1.1.1", kind="document", threshold=None)
    Assignment.objects.create(indicator=own, department=world.office_a, role="lead")
    Measurement.objects.create(
        indicator=own, unit=world.district_a, year=YEAR, status="approved", yes=True
    )
    return district_set


def test_a_district_gets_its_own_report_from_its_education_office(client_for, world, district_set):
    client = client_for("district_a")
    page = client.get(reverse("evaluation:unit", args=[YEAR, "HP-A"])).content.decode()
    url = reverse("evaluation:district_report_document", args=[YEAR, "HP-A"])
    assert f'href="{url}"' in page
    response = client.get(url)
    assert response["Content-Disposition"] == (
        f'attachment; filename="bao-cao-thi-diem-HP-A-{YEAR}.docx"'
    )
    lines = texts(Document(BytesIO(response.content)))
    name = world.district_a.name
    expected_in_order = [
        f"UBND {name.upper()}",
        "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO",
        "Số:      /BC-PGDĐT",
        "BÁO CÁO",
        f"Kết quả thực hiện thí điểm công nhận quận/huyện học tập của {name} năm {YEAR}",
        "Có văn bản — Đạt",
        f"- UBND {name} (để b/c);",
        "TRƯỞNG PHÒNG",
    ]
    positions = [lines.index(text) for text in expected_in_order]
    assert positions == sorted(positions)


def test_another_districts_office_cannot_download_its_report(client_for, world, district_set):
    url = reverse("evaluation:district_report_document", args=[YEAR, "HP-A"])
    response = client_for("district_b").get(url)
    assert response.status_code == 404
    assert "docx" not in response["Content-Type"]


def test_the_place_of_a_districts_report_leaves_out_its_kind():
    assert documents.district_letterhead("Quận Hồng Bàng").place == "Hồng Bàng"
    assert documents.district_letterhead("Huyện Bạch Long Vĩ").place == "Bạch Long Vĩ"
    assert documents.district_letterhead("Quận Hồng Bàng").parent_body == "UBND Quận Hồng Bàng"
