"""The catalogue pages list the parts of an indicator made of several (issue 13.4), each with
its requirement: the public catalogue, a set's page, an indicator's page, a workbook's preview."""

import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assignments.permissions import STANDING_OFFICE_GROUP
from criteria.models import CriteriaSet, Indicator, IndicatorPart
from criteria.workbooks import PART, ItemRow, build_criteria_workbook
from tests.criteria.sheets import sample_sheet
from tests.factories import make_catalogue, make_criteria_set

pytestmark = pytest.mark.django_db

SOLID = "Chất thải rắn trên địa bàn"
WATER = "Nước thải khu dân cư tập trung, cơ sở sản xuất - kinh doanh"


def row_of(html: str, code: str) -> str:
    return re.search(rf'<tr id="indicator-{re.escape(code)}">.*?</tr>', html, re.S).group(0)


def test_the_catalogue_lists_the_parts_of_3_1_5_with_their_requirements(client, haiphong):
    html = client.get(reverse("criteria:catalogue")).content.decode()

    row = row_of(html, "3.1.5")
    assert f"a) {SOLID} — Tối thiểu 90 %" in row
    assert f"b) {WATER} — Tối thiểu 90 %" in row
    assert 'id="indicator-3.1.5-part-a"' in row
    assert html.count('class="small mt-1 indicator-parts"') == 1  # no other indicator has parts


def test_the_catalogue_gives_the_parts_requirements_in_english_when_asked(client, haiphong):
    html = client.get(reverse("criteria:catalogue"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"a) {SOLID} — At least 90 %" in row_of(html, "3.1.5")


def test_the_set_page_lists_the_parts_under_their_indicator(client, haiphong):
    html = client.get(reverse("criteria:set", args=["hp-city-2022"])).content.decode()

    row = row_of(html, "3.1.5")
    assert f"a) {SOLID} — Tối thiểu 90 %" in row
    assert f"b) {WATER} — Tối thiểu 90 %" in row
    assert "indicator-parts" not in row_of(html, "3.1.4")


def test_the_indicator_page_lists_its_parts(client, haiphong):
    html = client.get(reverse("criteria:indicator", args=["3.1.5"])).content.decode()
    assert f"a) {SOLID} — Tối thiểu 90 %" in html
    assert f"b) {WATER} — Tối thiểu 90 %" in html
    page = client.get(reverse("criteria:indicator", args=["3.1.4"])).content.decode()
    assert "indicator-parts" not in page


@pytest.mark.parametrize("indicators_per_criterion", [1, 5])
def test_parts_cost_no_query_of_their_own_on_the_set_page(
    client, django_assert_max_num_queries, indicators_per_criterion
):
    criteria_set = make_catalogue(indicators_per_criterion, make_criteria_set("bo-phan"))
    for indicator in Indicator.objects.filter(criterion__standard__criteria_set=criteria_set):
        for position, code in enumerate("ab", start=1):
            IndicatorPart.objects.create(
                indicator=indicator, code=code, name=f"Phần {code}", threshold=90, position=position
            )

    with django_assert_max_num_queries(7):  # as without parts (test_sets_views.py)
        html = client.get(reverse("criteria:set", args=["bo-phan"])).content.decode()

    assert html.count("Phần b — Tối thiểu 90 %") == 6 * indicators_per_criterion


def test_a_workbooks_preview_lists_the_parts_it_would_create(client, haiphong):
    user = User.objects.create_user("thuongtruc.preview")
    user.groups.add(Group.objects.get_or_create(name=STANDING_OFFICE_GROUP)[0])
    client.force_login(user)
    sheet = sample_sheet()
    share = next(i for i, item in enumerate(sheet.items) if item.kind == "share_at_least")
    parts = (
        ItemRow(PART, "a", "Nam", threshold=Decimal(70)),
        ItemRow(PART, "b", "Nữ", threshold=Decimal("72.5")),
    )
    items = (*sheet.items[: share + 1], *parts, *sheet.items[share + 1 :])
    content = build_criteria_workbook(type(sheet)(sheet.metadata, items))

    file = SimpleUploadedFile("bo-tieu-chi.xlsx", content)
    response = client.post(reverse("criteria:set_import"), {"file": file})

    html = response.content.decode()
    assert 'id="import-preview"' in html
    assert "a) Nam — Tối thiểu 70 %" in html
    assert "b) Nữ — Tối thiểu 72,5 %" in html
    assert not CriteriaSet.objects.filter(code=sheet.metadata.code).exists()
