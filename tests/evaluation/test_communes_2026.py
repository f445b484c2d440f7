"""A 2026 year on the communes (issue 17): the shipped example units (the 15 districts end with
2024, 16 wards, communes and special zones from 2025) and the example commune set with its two
levels, on top of the 2022 catalogue."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from assignments.models import Department, Unit
from assignments.permissions import STANDING_OFFICE_GROUP
from assignments.selectors import city_subdivisions
from criteria.models import EvaluationYear, Indicator
from measurements.models import Measurement
from tests.conftest import _user

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parents[2] / "fixtures"
#: Each example unit's approved 2026 figures: documents and activities met or not, shares as
#: (numerator, denominator).
FIGURES = {
    # Every level-1 indicator met, 1.2.1 (level 2) not: level 1.
    "HP-P-HB": {"1.1.1": True, "1.1.2": True, "1.2.1": False, "2.1.1": (65, 100),
                "2.1.2": (60, 100), "2.2.1": True, "2.2.2": (55, 100)},
    # Everything met: level 2.
    "HP-P-NQ": {"1.1.1": True, "1.1.2": True, "1.2.1": True, "2.1.1": (61, 100),
                "2.1.2": (50, 100), "2.2.1": True, "2.2.2": (50, 100)},
    # 2.1.1 at 59 % (< 60 %): no level, not recognised.
    "HP-X-AL": {"1.1.1": True, "1.1.2": True, "1.2.1": True, "2.1.1": (59, 100),
                "2.1.2": (80, 100), "2.2.1": True, "2.2.2": (80, 100)},
}  # fmt: skip


@pytest.fixture
def year_2026(haiphong):
    out = StringIO()
    call_command("import_units", str(FIXTURES / "units/don-vi-2025-vi-du.xlsx"), stdout=out)
    criteria = FIXTURES / "criteria/bo-tieu-chi-xa-phuong-mau-minh-hoa.xlsx"
    call_command("import_criteria", str(criteria), stdout=out)
    EvaluationYear.objects.create(year=2026)
    indicators = {
        indicator.code: indicator
        for indicator in Indicator.objects.filter(
            criterion__standard__criteria_set__code="xa-phuong-mau-minh-hoa"
        )
    }
    for code, figures in FIGURES.items():
        unit = Unit.objects.get(code=code)
        for indicator_code, figure in figures.items():
            fields = (
                {"yes": figure}
                if isinstance(figure, bool)
                else {"numerator": figure[0], "denominator": figure[1]}
            )
            Measurement.objects.create(
                indicator=indicators[indicator_code],
                unit=unit,
                year=2026,
                status="approved",
                **fields,
            )


def evaluated(unit: str) -> dict:
    out = StringIO()
    call_command("evaluate", "--year=2026", f"--unit={unit}", "--format=json", stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.parametrize(
    ("unit", "verdict", "level", "met"),
    [
        ("HP-P-HB", "recognized", 1, 6),
        ("HP-P-NQ", "recognized", 2, 7),
        ("HP-X-AL", "not_recognized", None, 6),
        ("HP-DK-CH", "incomplete", None, 0),
    ],
)
def test_each_example_commune_reaches_its_level(year_2026, unit, verdict, level, met):
    document = evaluated(unit)
    assert (document["verdict"], document["level"], document["met_count"]) == (verdict, level, met)
    assert document["criteria_set"] == {"code": "xa-phuong-mau-minh-hoa", "example": True}


def test_2026_is_divided_into_the_communes_and_2022_into_the_districts(year_2026):
    assert len(city_subdivisions(2026)) == 16
    assert {unit.kind for unit in city_subdivisions(2026)} == {"ward", "commune", "special_zone"}
    assert [unit.code for unit in city_subdivisions(2022)][:2] == ["HP-HB", "HP-NQ"]
    assert len(city_subdivisions(2022)) == 15


def test_2026s_matrix_shows_the_communes_levels(client, year_2026):
    office = Department.objects.filter(kind="division").first()
    client.force_login(_user("thuongtruc", office, STANDING_OFFICE_GROUP))
    page = client.get("/dashboard/2026/districts/").content.decode()
    rows = page[page.index("<tbody") : page.index("</tbody>")].split("</tr>")
    assert len([row for row in rows if "<th" in row or "<td" in row]) >= 16
    assert "Đạt mức độ 1" in next(row for row in rows if "Phường Hồng Bàng" in row)
    assert "Đạt mức độ 2" in next(row for row in rows if "Phường Ngô Quyền" in row)
    assert "Không đạt" in next(row for row in rows if "Xã An Lão" in row)
    assert "Quận Hồng Bàng" not in page
    assert '<h1 class="h3">Các xã, phường, đặc khu, năm 2026</h1>' in page
    assert "2/16 xã, phường, đặc khu được Ban chỉ đạo công nhận" not in page  # none decided
    assert "0/16 xã, phường, đặc khu được Ban chỉ đạo công nhận" in page
    assert "thí điểm" not in page[page.index("<tbody") : page.index("</tbody>")]


def test_2026s_evidence_coverage_lists_the_communes(client, year_2026):
    office = Department.objects.filter(kind="division").first()
    client.force_login(_user("thuongtruc", office, STANDING_OFFICE_GROUP))
    page = client.get("/evidence/coverage/2026/").content.decode()
    assert "Minh chứng của từng xã, phường, đặc khu" in page
    table = page[page.index("<thead") : page.index("</table>")]
    assert "Xã/phường" in table
    assert "Phường Hồng Bàng" in table
    assert "Quận Hồng Bàng" not in table
