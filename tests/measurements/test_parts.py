"""3.1.5 of the shipped set in two parts (issue 13.4), end to end: the entry page, the service,
the values workbook, the official result and `evaluate --format json`. Figures worked by hand."""

import json
import re
from decimal import Decimal
from io import BytesIO, StringIO

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from assignments.models import Department, Membership, Unit
from assignments.permissions import STANDING_OFFICE_GROUP, actor_for
from criteria import scoring
from criteria.models import CriteriaSet, Indicator
from criteria.selectors import indicator_spec
from evaluation.selectors import Basis, unit_year_inputs
from measurements.imports import apply_import, export_rows, plan_import
from measurements.models import Measurement, PartValue
from measurements.services import (
    MeasurementData,
    PartFigures,
    StaleReviewError,
    measurement_approve,
    measurement_save,
)
from measurements.workbooks import HEADERS, build_workbook, read_workbook

pytestmark = pytest.mark.django_db

YEAR = 2022
SOLID = "Chất thải rắn trên địa bàn"
WATER = "Nước thải khu dân cư tập trung, cơ sở sản xuất - kinh doanh"


@pytest.fixture
def office(haiphong) -> User:
    """A member of the standing office, which compiles 3.1.5 (and reviews)."""
    user = User.objects.create_user("thuongtruc.parts")
    Membership.objects.create(user=user, department=Department.objects.get(code="GDTX-CN-DH"))
    user.groups.add(Group.objects.get_or_create(name=STANDING_OFFICE_GROUP)[0])
    return user


def waste() -> Indicator:
    return Indicator.objects.prefetch_related("parts").get(
        code="3.1.5", criterion__standard__criteria_set__code="hp-city-2022"
    )


def city() -> Unit:
    return Unit.objects.get(code="HP")


def save(user: User, parts: dict[str, PartFigures], *, version=None, submit=False):
    return measurement_save(
        actor=actor_for(user),
        user=user,
        indicator=waste(),
        unit=city(),
        year=YEAR,
        data=MeasurementData(parts=parts),
        expected_version=version,
        submit=submit,
    )


def result_as_entered() -> scoring.IndicatorResult:
    indicator = waste()
    inputs = unit_year_inputs(city(), YEAR, [indicator], basis=Basis.AS_ENTERED)
    return scoring.score_indicator(indicator_spec(indicator), inputs.input_for(indicator))


# --- The service -------------------------------------------------------------------------------


def test_95_and_89_9_percent_saved_are_not_met(office):
    save(office, {"a": PartFigures(value=Decimal(95)), "b": PartFigures(value=Decimal("89.9"))})

    result = result_as_entered()
    assert result.status is scoring.Status.NOT_MET
    assert [(p.code, p.status) for p in result.parts] == [
        ("a", scoring.Status.MET),
        ("b", scoring.Status.NOT_MET),
    ]
    entry = Measurement.objects.get()
    assert (entry.numerator, entry.denominator, entry.value) == (None, None, None)
    assert sorted(PartValue.objects.values_list("part__code", "value")) == [
        ("a", Decimal(95)),
        ("b", Decimal("89.9")),
    ]


def test_a_part_left_empty_has_no_data_and_is_kept_empty(office):
    save(office, {"a": PartFigures(numerator=950, denominator=1000)})

    result = result_as_entered()
    assert result.status is scoring.Status.NO_DATA
    assert result.parts[0].explanation == "950/1.000 = 95,00 % ≥ 90 % — Đạt"
    assert list(PartValue.objects.values_list("part__code", flat=True)) == ["a"]


def test_each_save_stamps_the_parts_it_changes_with_the_entry_version(office):
    first = save(office, {"a": PartFigures(value=Decimal(95)), "b": PartFigures(value=Decimal(80))})
    save(
        office,
        {"a": PartFigures(value=Decimal(95)), "b": PartFigures(value=Decimal(91))},
        version=first.version,
    )

    stamped = dict(PartValue.objects.values_list("part__code", "version"))
    assert stamped == {"a": 1, "b": 2}  # a unchanged since version 1; b rewritten at 2
    assert PartValue.history.filter(part__code="b").count() == 2


def test_bad_part_figures_are_refused_and_nothing_is_written(office):
    with pytest.raises(Exception, match="Phần b: Tử số \\(5\\) không được lớn hơn mẫu số \\(4\\)"):
        save(
            office,
            {"a": PartFigures(value=Decimal(95)), "b": PartFigures(numerator=5, denominator=4)},
        )
    assert not Measurement.objects.exists()
    assert not PartValue.objects.exists()


def test_figures_for_the_whole_indicator_are_refused(office):
    with pytest.raises(Exception, match="nhập số liệu của từng phần"):
        measurement_save(
            actor=actor_for(office),
            user=office,
            indicator=waste(),
            unit=city(),
            year=YEAR,
            data=MeasurementData(value=Decimal(95)),
            expected_version=None,
            submit=False,
        )
    assert not Measurement.objects.exists()


# --- The entry page ----------------------------------------------------------------------------


def entry_url() -> str:
    return reverse("measurements:measurement", args=[YEAR, "HP", "3.1.5"])


def test_the_entry_page_asks_for_each_part_with_its_requirement(client, office):
    client.force_login(office)
    page = client.get(entry_url()).content.decode()

    assert f"a) {SOLID} — Tối thiểu 90 %" in page
    assert f"b) {WATER} — Tối thiểu 90 %" in page
    assert 'name="part-a-numerator"' in page
    assert 'name="part-b-value"' in page
    assert 'name="numerator"' not in page  # no figure for the indicator as a whole


def test_the_entry_page_saves_both_parts(client, office):
    client.force_login(office)
    response = client.post(
        entry_url(),
        {"part-a-value": "95", "part-b-numerator": "899", "part-b-denominator": "1.000"},
    )
    assert response.status_code == 302
    assert sorted(
        PartValue.objects.values_list("part__code", "numerator", "denominator", "value")
    ) == [
        ("a", None, None, Decimal(95)),
        ("b", 899, 1000, None),
    ]
    page = client.get(entry_url()).content.decode()
    assert f"b) {WATER}: 899/1.000 = 89,90 % &lt; 90 % — Không đạt" in page
    assert "Phần b chưa đạt — Không đạt" in page
    assert 'value="899"' in page


def test_the_entry_page_refuses_a_bad_part_and_keeps_what_was_typed(client, office):
    client.force_login(office)
    response = client.post(
        entry_url(), {"part-a-value": "95", "part-b-numerator": "5", "part-b-denominator": "4"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Phần b: Tử số (5) không được lớn hơn mẫu số (4)" in page
    assert 'value="95"' in page
    assert not Measurement.objects.exists()


# --- The pages that list entries ---------------------------------------------------------------


def part_figures(html: str, row_start: str) -> str:
    """The «figures entered» block of the row that starts with `row_start`."""
    row = html[html.index(row_start) :]
    row = row[: row.index("</tr>")]
    found = re.search(r'<div class="small part-figures.*?</div>', row, re.S)
    return found.group(0) if found else ""


def test_the_review_queue_shows_each_parts_figures(client, office):
    save(
        office,
        {
            "a": PartFigures(numerator=950, denominator=1000),
            "b": PartFigures(value=Decimal("89.9")),
        },
        submit=True,
    )
    client.force_login(office)
    html = client.get(reverse("measurements:review")).content.decode()

    figures = part_figures(html, 'href="/data/2022/HP/3.1.5/"')
    assert f"a) {SOLID}: 950/1.000" in figures
    assert f"b) {WATER}: 89,9 %" in figures
    assert "Phần b chưa đạt — Không đạt" in html


def test_the_unit_values_page_shows_the_parts_entered_and_only_those(client, office):
    first = save(office, {"a": PartFigures(value=Decimal(95)), "b": PartFigures(value=Decimal(91))})
    save(office, {"a": PartFigures(numerator=899, denominator=1000)}, version=first.version)
    client.force_login(office)
    html = client.get(reverse("measurements:unit_values", args=[YEAR, "HP"])).content.decode()

    figures = part_figures(html, 'id="row-3.1.5"')
    assert f"a) {SOLID}: 899/1.000" in figures
    assert "b)" not in figures  # emptied by the second save: its row holds no figure
    assert part_figures(html, 'id="row-3.1.4"') == ""  # an indicator without parts


@pytest.mark.parametrize("units", [1, 4])
def test_the_queue_with_parts_costs_a_constant_number_of_queries(
    client, office, django_assert_max_num_queries, units
):
    """3.1.5 submitted for the city alone, or for the city and three districts."""
    for unit in Unit.objects.order_by("position", "code")[:units]:
        measurement_save(
            actor=actor_for(office),
            user=office,
            indicator=waste(),
            unit=unit,
            year=YEAR,
            data=MeasurementData(
                parts={"a": PartFigures(value=Decimal(95)), "b": PartFigures(value=Decimal("89.9"))}
            ),
            expected_version=None,
            submit=True,
        )
    client.force_login(office)

    with django_assert_max_num_queries(14):  # as test_review.py
        html = client.get(reverse("measurements:review")).content.decode()

    assert html.count(f"<li>b) {WATER}: 89,9 %</li>") == units


# --- The values workbook -----------------------------------------------------------------------


PART_COLUMNS = ("part__code", "numerator", "denominator", "value")


def exported() -> bytes:
    criteria_set = CriteriaSet.objects.get(code="hp-city-2022")
    return build_workbook(export_rows(criteria_set=criteria_set, unit=city(), year=YEAR))


def workbook_rows(data: bytes) -> dict[tuple[str, str], int]:
    """(indicator code, part code) → the row number in the exported sheet."""
    sheet = load_workbook(BytesIO(data))["Số liệu"]
    code, part = HEADERS.index("Mã chỉ báo") + 1, HEADERS.index("Mã phần") + 1
    return {
        (sheet.cell(row=r, column=code).value, sheet.cell(row=r, column=part).value or ""): r
        for r in range(3, sheet.max_row + 1)
    }


def with_cells(data: bytes, cells: dict[int, dict[str, object]]) -> bytes:
    workbook = load_workbook(BytesIO(data))
    sheet = workbook["Số liệu"]
    for number, values in cells.items():
        for name, value in values.items():
            sheet.cell(row=number, column=HEADERS.index(name) + 1).value = value
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def plan(user: User, data: bytes):
    criteria_set = CriteriaSet.objects.get(code="hp-city-2022")
    return plan_import(actor=actor_for(user), rows=read_workbook(data), criteria_set=criteria_set)


def test_the_export_has_one_row_per_part_keyed_by_its_code(office):
    save(office, {"a": PartFigures(value=Decimal(95))})
    data = exported()
    rows = workbook_rows(data)
    assert ("3.1.5", "a") in rows
    assert ("3.1.5", "b") in rows
    assert ("3.1.5", "") not in rows
    assert rows[("3.1.5", "b")] == rows[("3.1.5", "a")] + 1
    sheet = load_workbook(BytesIO(data))["Số liệu"]
    solid = rows[("3.1.5", "a")]
    assert sheet.cell(row=solid, column=HEADERS.index("Giá trị") + 1).value == 95
    assert sheet.cell(row=solid, column=HEADERS.index("Nội dung") + 1).value.endswith(f"a) {SOLID}")
    assert sheet.cell(row=solid, column=HEADERS.index("Yêu cầu") + 1).value == "Tối thiểu 90 %"


def test_an_untouched_export_reimports_as_unchanged(office):
    save(office, {"a": PartFigures(value=Decimal(95)), "b": PartFigures(value=Decimal("89.9"))})
    checked = plan(office, exported())
    assert checked.errors == []
    (row,) = [r for r in checked.rows if r.indicator.code == "3.1.5"]
    assert row.action == "unchanged"


def test_the_preview_says_which_parts_figures_change(office):
    """Issue 15.7: part b typed over from 89,9 to 91; part a as stored."""
    save(office, {"a": PartFigures(value=Decimal(95)), "b": PartFigures(value=Decimal("89.9"))})
    data = exported()
    data = with_cells(data, {workbook_rows(data)[("3.1.5", "b")]: {"Giá trị": 91}})
    (row,) = [r for r in plan(office, data).rows if r.indicator.code == "3.1.5"]
    assert [str(change) for change in row.changes] == ["b) giá trị: 89,9 → 91"]
    assert (row.status_before, row.status_after) == ("draft", "submitted")


def test_part_rows_import_as_one_entry(office):
    data = exported()
    rows = workbook_rows(data)
    data = with_cells(
        data,
        {
            rows[("3.1.5", "a")]: {"Tử số": 950, "Mẫu số": 1000, "Ghi chú": "Báo cáo Sở TN&MT"},
            rows[("3.1.5", "b")]: {"Giá trị": "89,9"},
        },
    )
    checked = plan(office, data)
    assert checked.errors == []
    apply_import(actor=actor_for(office), user=office, plan=checked)

    entry = Measurement.objects.get()
    assert (entry.status, entry.note) == ("submitted", "Báo cáo Sở TN&MT")
    assert sorted(
        PartValue.objects.values_list("part__code", "numerator", "denominator", "value")
    ) == [
        ("a", 950, 1000, None),
        ("b", None, None, Decimal("89.9")),
    ]
    assert result_as_entered().status is scoring.Status.NOT_MET


def test_a_workbook_with_one_part_keeps_the_other_as_stored(office):
    save(office, {"a": PartFigures(value=Decimal(95)), "b": PartFigures(value=Decimal(91))})
    data = exported()
    rows = workbook_rows(data)
    only_a = [
        r
        for r in read_workbook(with_cells(data, {rows[("3.1.5", "a")]: {"Giá trị": 96}}))
        if not (r.get("Mã chỉ báo") == "3.1.5" and r.get("Mã phần") == "b")
    ]
    criteria_set = CriteriaSet.objects.get(code="hp-city-2022")
    checked = plan_import(actor=actor_for(office), rows=only_a, criteria_set=criteria_set)
    assert checked.errors == []
    apply_import(actor=actor_for(office), user=office, plan=checked)
    assert dict(PartValue.objects.values_list("part__code", "value")) == {
        "a": Decimal(96),
        "b": Decimal(91),
    }


@pytest.mark.parametrize(
    ("part", "cells", "message"),
    [
        ("", {"Giá trị": 95}, "Chỉ báo gồm nhiều phần: ghi «Mã phần» (a, b), mỗi phần một dòng."),
        ("c", {"Giá trị": 95}, "Mã phần: không có phần «c» (chỉ có a, b)."),
        ("a", {"Giá trị": 101}, "Phần a: Tỷ lệ (%) không được lớn hơn 100 % (đã nhập 101 %)."),
        (
            "a",
            {"Có/Không": "Có"},
            "Một phần chỉ nhận tử số và mẫu số, hoặc tỷ lệ; không nhận «Có/Không».",
        ),
        (  # an entry of parts is marked an estimate on its form, never half by a row
            "a",
            {"Giá trị": 95, "Ước tính": "Có"},
            "Một phần chỉ nhận tử số và mẫu số, hoặc tỷ lệ; không nhận «Ước tính».",
        ),
    ],
)
def test_bad_part_rows_are_refused_with_their_row_and_nothing_is_written(
    office, part, cells, message
):
    data = exported()
    number = workbook_rows(data)[("3.1.5", "a")]
    checked = plan(office, with_cells(data, {number: {"Mã phần": part, **cells}}))
    assert f"Dòng {number}, chỉ báo 3.1.5: {message}" in checked.errors
    assert not Measurement.objects.exists()


def test_a_part_given_twice_is_refused(office):
    data = exported()
    rows = workbook_rows(data)
    checked = plan(
        office, with_cells(data, {rows[("3.1.5", "b")]: {"Mã phần": "a", "Giá trị": 95}})
    )
    a, b = rows[("3.1.5", "a")], rows[("3.1.5", "b")]
    assert (
        f"Dòng {b}, chỉ báo 3.1.5: Trùng đơn vị, năm, chỉ báo và phần với dòng {a}."
        in checked.errors
    )


def test_a_part_code_on_an_indicator_without_parts_is_refused(office):
    data = exported()
    number = workbook_rows(data)[("3.1.4", "")]
    checked = plan(office, with_cells(data, {number: {"Mã phần": "a", "Giá trị": 70}}))
    assert (
        f"Dòng {number}, chỉ báo 3.1.4: Chỉ báo này không gồm nhiều phần: để trống «Mã phần»."
        in checked.errors
    )


# --- The official result and the JSON contract -------------------------------------------------


def test_evaluate_json_carries_the_parts_of_the_approved_entry(office):
    entry = save(
        office,
        {"a": PartFigures(numerator=95, denominator=100), "b": PartFigures(value=Decimal("89.9"))},
        submit=True,
    )
    Measurement.objects.filter(pk=entry.pk).update(status="approved")
    out = StringIO()
    call_command("evaluate", "--year", YEAR, "--format", "json", stdout=out)
    (indicator,) = [i for i in json.loads(out.getvalue())["indicators"] if i["code"] == "3.1.5"]

    assert indicator["status"] == "not_met"
    assert [(p["code"], p["name"], p["status"], p["value"]) for p in indicator["parts"]] == [
        ("a", SOLID, "met", "95"),
        ("b", WATER, "not_met", "89.9"),
    ]
    assert indicator["parts"][0]["explanation"] == "95/100 = 95,00 % ≥ 90 % — Đạt"


def test_approving_an_entry_whose_part_changed_since_names_the_change(office):
    """The reviewer read version 1 (b: 80 %); the officer then typed 91 % for b (version 2): the
    approval is refused and says what changed, part by part."""
    first = save(
        office,
        {"a": PartFigures(value=Decimal(95)), "b": PartFigures(value=Decimal(80))},
        submit=True,
    )
    save(
        office,
        {"a": PartFigures(value=Decimal(95)), "b": PartFigures(value=Decimal(91))},
        version=first.version,
        submit=True,
    )
    with pytest.raises(StaleReviewError) as refused:
        measurement_approve(
            actor=actor_for(office), user=office, measurement=first, seen_version=first.version
        )
    assert "b) giá trị: 80 → 91" in refused.value.messages[0]
    assert "a) " not in refused.value.messages[0]
    assert Measurement.objects.get().status == "submitted"
