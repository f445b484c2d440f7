"""The Hải Phòng 2022 fixture against the plan's own text (fixtures/source/)."""

import unicodedata
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from assignments.models import Assignment, Department, PlanTask, Unit
from criteria.models import CriteriaSet, Criterion, Indicator, IndicatorPart, Round, Standard

SEED = (Path(__file__).parents[2] / "fixtures/source/ke-hoach-thi-diem-2022.txt").read_text(
    encoding="utf-8"
)

EXPECTED_KINDS = {
    "1.1.1": ("document", None),
    "1.1.2": ("document", None),
    "1.2.1": ("document", None),
    "1.2.2": ("document", None),
    "1.2.3": ("document", None),
    "2.1.1": ("share_at_least", "70"),
    "2.1.2": ("share_at_least", "70"),
    "2.2.1": ("share_at_least", "70"),
    "2.2.2": ("share_at_least", "70"),
    "2.2.3": ("share_at_least", "70"),
    "2.2.4": ("share_at_least", "70"),
    "3.1.1": ("increase", None),
    "3.1.2": ("drop_at_least", "1.5"),
    "3.1.3": ("increase", None),
    "3.1.4": ("share_at_least", "66"),
    "3.1.5": ("share_at_least", "90"),
    "3.2.1": ("activity", None),  # «Có tổ chức các sự kiện…»: events held (issue 13.8)
    "3.2.2": ("activity", None),  # «Có các hoạt động giao lưu…»: activities held
    "3.2.3": ("rate_below", "0.05"),
    "3.2.4": ("share_at_least", "50"),
}

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _catalogue(haiphong):
    """Every test reads the catalogue as loaded."""


def test_fixture_loads_the_whole_catalogue():
    assert CriteriaSet.objects.count() == 1
    assert Standard.objects.count() == 3
    assert Criterion.objects.count() == 6
    assert Indicator.objects.count() == 20
    assert Unit.objects.count() == 16
    assert PlanTask.objects.count() == 6


def test_every_indicator_text_and_guidance_occurs_in_the_seed():
    for indicator in Indicator.objects.all():
        assert f"{indicator.code}. {indicator.text}" in SEED, indicator.code
        assert indicator.guidance in SEED, indicator.code


def test_3_1_5_has_the_two_measures_the_plan_names_each_at_90_percent():
    """The plan's one sentence names solid waste and wastewater: each part's name is a phrase of
    the indicator's text (its first letter capitalised), and each must reach 90 %."""
    parts = list(IndicatorPart.objects.order_by("position"))
    assert [(p.indicator.code, p.code, p.threshold) for p in parts] == [
        ("3.1.5", "a", Decimal(90)),
        ("3.1.5", "b", Decimal(90)),
    ]
    text = parts[0].indicator.text
    assert parts[0].name == "Chất thải rắn trên địa bàn"
    assert parts[1].name == "Nước thải khu dân cư tập trung, cơ sở sản xuất - kinh doanh"
    for part in parts:
        assert part.name[0].lower() + part.name[1:] in text[0].lower() + text[1:], part.code


def test_standard_and_criterion_names_occur_in_the_seed():
    for name in [*Standard.objects.values_list("name", flat=True)]:
        assert name in SEED
    for criterion in Criterion.objects.all():
        assert f"{criterion.code}. {criterion.name}" in SEED


def test_every_indicator_has_its_kind_and_threshold():
    found = {
        i.code: (i.kind, None if i.threshold is None else i.threshold)
        for i in Indicator.objects.all()
    }
    expected = {
        code: (kind, None if t is None else Decimal(t))
        for code, (kind, t) in EXPECTED_KINDS.items()
    }
    assert found == expected


def test_all_text_is_nfc():
    for indicator in Indicator.objects.all():
        assert unicodedata.is_normalized("NFC", indicator.text)
    for department in Department.objects.all():
        assert unicodedata.is_normalized("NFC", department.name)


def test_city_and_fifteen_districts_with_stable_codes():
    city = Unit.objects.get(code="HP")
    assert city.kind == Unit.Kind.CITY
    districts = Unit.objects.filter(parent=city)
    assert districts.count() == 15
    assert Counter(districts.values_list("kind", flat=True)) == {"urban": 7, "rural": 8}
    assert Unit.objects.get(code="HP-HB").name == "Quận Hồng Bàng"
    assert not Round.objects.exists(), "the plan does not name the pilots"


def test_each_district_has_its_own_education_office():
    offices = Department.objects.filter(kind=Department.Kind.DISTRICT_OFFICE)
    assert offices.count() == 15
    assert set(offices.values_list("unit__parent__code", flat=True)) == {"HP"}


def test_every_assignment_row_of_the_seed():
    assert Assignment.objects.count() == 107
    per_indicator = Counter(Assignment.objects.values_list("indicator__code", flat=True))
    # A cell naming "Phòng GD&ĐT quận/huyện" gives one row per district office.
    assert per_indicator["1.2.1"] == 16
    assert per_indicator["2.1.2"] == 16
    assert per_indicator["3.2.3"] == 19
    assert per_indicator["2.2.1"] == 3


def test_role_follows_the_plan_wording():
    coordinating = set(
        Assignment.objects.filter(role="coordinate").values_list(
            "indicator__code", "department__code"
        )
    )
    assert coordinating == {
        ("2.2.1", "GDTX-CN-DH"),
        ("2.2.1", "CDN-GD"),
        ("2.2.2", "GDTX-CN-DH"),
        ("2.2.4", "GDTX-CN-DH"),
        ("3.1.3", "DHHP"),
        ("3.2.2", "VP"),
    }
    assert all(a.role_text for a in Assignment.objects.all())


def test_role_wording_is_verbatim_from_the_seed():
    for assignment in Assignment.objects.all():
        assert assignment.role_text in SEED


def test_plan_tasks_match_the_first_appendix_table():
    tasks = {t.number: t for t in PlanTask.objects.prefetch_related("roles__department")}
    for task in tasks.values():
        assert task.content in SEED
    assert tasks[3].timeframe == "Trong quý I năm 2022"
    assert tasks[4].due_date.isoformat() == "2022-12-31"
    assert tasks[2].due_date is None
    leads_of_first = {r.department.code for r in tasks[1].roles.all() if r.role == "lead"}
    assert leads_of_first == {"VP", "CDN-GD"}
