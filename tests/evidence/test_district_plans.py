"""District plans (issue 14.2): each pilot district's office uploads its district's plan (Kế hoạch
của UBND quận/huyện) as a document of the "plan" kind; its district page and the progress page
show it."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assignments.permissions import actor_for
from evidence import services as evidence_services
from evidence.models import Document
from evidence.services import DocumentMetadata
from tests.conftest import YEAR
from tests.evidence.conftest import PDF, raw_file, upload
from tests.factories import make_pilots

pytestmark = pytest.mark.django_db

PLAN = "Kế hoạch xây dựng quận học tập năm 2022"


def test_the_district_office_uploads_its_plan_and_the_pages_show_it(client_for, world):
    make_pilots(YEAR, [world.district_a, world.district_b])
    office = client_for("district_a")
    response = office.post(
        reverse("evidence:document_upload", args=[YEAR, "HP-A"]),
        {
            "indicators": [world.indicator("1.1.1").pk],
            "title": PLAN,
            "number": "254/KH-UBND",
            "is_plan": "on",
            "file": upload(),
        },
    )
    assert response.status_code == 302
    plan = Document.objects.get()
    assert (plan.kind, plan.unit) == ("plan", world.district_a)
    page = office.get(reverse("evaluation:unit", args=[YEAR, "HP-A"])).content.decode()
    assert PLAN in page.split('id="district-plan"')[1].split("</p>")[0]
    progress = client_for("standing_office").get(reverse("evaluation:progress", args=[YEAR]))
    plans = progress.content.decode().split('id="pilot-plans"')[1].split("</section>")[0]
    assert PLAN in plans
    assert 'Đơn vị HP-B</span>: <span class="text-body-secondary">chưa tải lên' in plans


def test_another_district_reads_no_plan_list(client_for, world):
    make_pilots(YEAR, [world.district_a])
    html = client_for("district_b").get(reverse("evaluation:progress", args=[YEAR]))
    assert 'id="pilot-plans"' not in html.content.decode()


def test_the_city_has_no_district_plan(world, personas):
    office = personas["standing_office"]
    with pytest.raises(ValidationError, match="chỉ tải lên cho một quận/huyện"):
        evidence_services.document_upload(
            actor=actor_for(office),
            user=office,
            unit=world.city,
            year=YEAR,
            indicators=[world.indicator("1.1.1")],
            metadata=DocumentMetadata(title=PLAN, kind="plan"),
            file=raw_file("ke-hoach.pdf", PDF),
        )
    assert not Document.objects.exists()


def test_the_citys_upload_form_offers_no_plan(client_for, world):
    html = client_for("standing_office").get(reverse("evidence:document_upload", args=[YEAR, "HP"]))
    assert 'name="is_plan"' not in html.content.decode()
