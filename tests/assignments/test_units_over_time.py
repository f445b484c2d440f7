"""Units over time: two communes that existed until 2025 merge into one ward from 2026. Each
year's pages, counts and writes use the units of that year, and each year's data stays under the
units that existed then."""

from decimal import Decimal

import pytest
from django.core.files.base import ContentFile

from assignments.models import Unit, UnitNotInYearError
from assignments.permissions import actor_for
from assignments.selectors import subdivisions
from criteria.models import EvaluationYear
from evaluation.models import CommitteeDecision
from evaluation.selectors import recognition_outlook
from evaluation.services import decision_record
from evidence import services as evidence_services
from evidence.models import Document, Explanation
from evidence.services import DocumentMetadata
from measurements.models import Measurement
from measurements.selectors import approved_last_year
from tests.evidence.conftest import evidence_dir, minimal_pdf  # noqa: F401 (a fixture)
from tests.factories import make_meeting

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("evidence_dir")]


@pytest.fixture
def merged(world):
    """The world's districts dissolved after 2024; two communes until 2025 and the ward they
    became from 2026."""
    for year in (2024, 2025, 2026):
        EvaluationYear.objects.create(year=year)
    Unit.objects.filter(pk__in=[world.district_a.pk, world.district_b.pk]).update(valid_to=2024)
    first = Unit.objects.create(
        code="X-A", name="Xã An Hưng", kind="commune", parent=world.city, valid_to=2025, position=2
    )
    second = Unit.objects.create(
        code="X-B", name="Xã Đại Bản", kind="commune", parent=world.city, valid_to=2025, position=3
    )
    ward = Unit.objects.create(
        code="P-AH",
        name="Phường An Hải",
        kind="ward",
        parent=world.city,
        valid_from=2026,
        position=4,
    )
    first.successors.add(ward)
    second.successors.add(ward)
    return {"first": first, "second": second, "ward": ward}


def test_each_year_lists_the_units_that_existed_then(merged):
    def codes(year: int, level: str) -> list[str]:
        return [unit.code for unit in subdivisions(year, level)]

    assert codes(2024, "district") == ["HP-A", "HP-B"]
    assert codes(2024, "commune") == ["X-A", "X-B"]
    assert codes(2025, "district") == []
    assert codes(2025, "commune") == ["X-A", "X-B"]
    assert codes(2026, "commune") == ["P-AH"]
    assert [unit.code for unit in merged["ward"].predecessors.order_by("code")] == ["X-A", "X-B"]


def test_a_commune_under_a_district_is_not_one_of_the_citys_units(world, merged):
    Unit.objects.create(
        code="X-C", name="Xã dưới quận", kind="commune", parent=world.district_a, valid_to=2024
    )
    assert "X-C" not in [unit.code for unit in subdivisions(2024, "commune")]


def test_the_count_a_share_of_recognised_units_is_taken_over_follows_the_year(merged):
    """2.1.2's denominator: the city's units of that year — its two districts while it has
    districts (2024), then its two communes (2025), then the one ward they became (2026)."""
    assert recognition_outlook(2024).districts == 2
    assert recognition_outlook(2025).districts == 2
    assert recognition_outlook(2026).districts == 1


def test_each_years_values_stay_under_the_units_of_that_year(world, merged):
    indicator = world.indicator("2.1.2")  # an increase: compared with last year's value
    for unit in (merged["first"], merged["second"]):
        Measurement.objects.create(
            indicator=indicator, unit=unit, year=2025, value=Decimal("12"), status="approved"
        )
    Measurement.objects.create(indicator=indicator, unit=merged["ward"], year=2026, value=5)

    with pytest.raises(UnitNotInYearError, match="Xã An Hưng"):
        Measurement.objects.create(indicator=indicator, unit=merged["first"], year=2026, value=1)
    with pytest.raises(UnitNotInYearError, match="Phường An Hải"):
        Measurement.objects.create(indicator=indicator, unit=merged["ward"], year=2025, value=1)

    assert sorted(Measurement.objects.values_list("unit__code", "year")) == [
        ("P-AH", 2026),
        ("X-A", 2025),
        ("X-B", 2025),
    ]
    # Last year's value across the merge is not guessed: the ward has none of its own for 2025
    # (the communes' 12 and 12 are not summed), so a figure compared with last year is typed.
    assert approved_last_year([merged["ward"].pk], [2026]) == {}
    assert approved_last_year([merged["first"].pk], [2026]) == {
        (merged["first"].pk, 2026, indicator.pk): Decimal("12")
    }


def test_evidence_and_decisions_refuse_a_year_the_unit_did_not_exist_in(
    world, personas, merged, settings
):
    storage = settings.STORAGES["evidence"]["OPTIONS"]["location"]
    user = personas["standing_office"]
    with pytest.raises(UnitNotInYearError):
        evidence_services.document_upload(
            actor=actor_for(user),
            user=user,
            unit=merged["first"],
            year=2026,
            indicators=[world.indicator("1.1.1")],
            metadata=DocumentMetadata(title="Báo cáo năm 2026"),
            file=ContentFile(minimal_pdf("a"), name="bao-cao.pdf"),
        )
    with pytest.raises(UnitNotInYearError):
        evidence_services.explanation_save(
            actor=actor_for(user),
            user=user,
            unit=merged["ward"],
            year=2025,
            indicator=world.indicator("1.1.1"),
            text="Chưa có văn bản.",
        )
    committee = personas["committee"]
    with pytest.raises(UnitNotInYearError):
        decision_record(
            actor=actor_for(committee),
            unit=merged["ward"],
            year=2025,
            user=committee,
            data={"meeting": make_meeting(2025, committee), "decision": "recognized"},
        )
    assert not Document.objects.exists()
    assert not Explanation.objects.exists()
    assert not CommitteeDecision.objects.exists()
    assert not storage.exists() or not any(storage.rglob("*.*"))


def test_a_page_of_a_unit_in_a_year_it_did_not_exist_in_says_what_it_became(client_for, merged):
    client = client_for("standing_office")
    assert client.get("/dashboard/2025/X-A/").status_code == 200

    response = client.get("/dashboard/2026/X-A/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Xã An Hưng chỉ có đến năm 2025" in page
    assert 'href="/dashboard/2026/P-AH/"' in page
    assert "Phường An Hải" in page

    response = client.get("/dashboard/2024/P-AH/")
    assert response.status_code == 404
    page = response.content.decode()
    assert 'href="/dashboard/2024/X-A/"' in page
    assert 'href="/dashboard/2024/X-B/"' in page
    # The values page and the evidence page of such a unit-year are no more there.
    assert client.get("/data/2026/X-B/").status_code == 404


def test_a_district_office_keeps_reading_its_district_in_the_years_it_existed(
    client_for, world, merged
):
    client = client_for("district_a")
    assert client.get("/dashboard/2024/HP-A/").status_code == 200
    response = client.get("/dashboard/2026/HP-A/")
    assert response.status_code == 404
    # It became no unit here, and it may see no other unit: the page names none.
    assert "P-AH" not in response.content.decode()


def test_under_debug_the_page_says_the_same(client_for, merged, settings):
    """`make run` shows the portal's own 404 pages: this one too, not the generic one."""
    settings.DEBUG = True
    response = client_for("standing_office").get("/dashboard/2026/X-A/")
    assert response.status_code == 404
    assert 'href="/dashboard/2026/P-AH/"' in response.content.decode()


def test_a_dissolved_districts_office_has_nothing_to_enter_and_lands_on_its_last_year(
    client_for, world, merged
):
    """2026 is the newest open year: HP-A's office (HP-A ended with 2024) finds no entry to make
    there, and its dashboard is that of 2024."""
    client = client_for("district_a")
    page = client.get("/my-work/").content.decode()
    assert "Đơn vị HP-A chỉ có đến năm 2024: năm 2026 không có gì để nhập cho đơn vị này." in page
    assert 'href="/data/2024/HP-A/"' in page
    assert "/data/2026/HP-A/" not in page
    assert client.get("/dashboard/")["Location"] == "/dashboard/2024/HP-A/"
