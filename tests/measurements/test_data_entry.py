"""Entering values: the form page per persona, "my work", and what a refusal leaves behind."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assignments.models import Assignment
from assignments.permissions import actor_for
from criteria.models import EvaluationYear, Indicator, ListSource
from evaluation.dashboard import baseline
from measurements import services
from measurements.models import Measurement
from tests.conftest import YEAR
from tests.factories import make_indicator

pytestmark = pytest.mark.django_db


def entry_url(unit: str, code: str, year: int = YEAR) -> str:
    return reverse("measurements:measurement", args=[year, unit, code])


def post_share(client, unit="HP", code="1.1.2", submit=False, version="", **fields):
    data = {"numerator": "56", "denominator": "80", "note": "", "version": version, **fields}
    if submit:
        data["submit"] = "1"
    return client.post(entry_url(unit, code), data)


def test_anonymous_is_sent_to_login(client, world):
    response = client.get(entry_url("HP", "1.1.2"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_assigned_division_sees_the_form_with_requirement(client_for):
    response = client_for("division").get(entry_url("HP", "1.1.2"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="numerator"' in html
    assert "Tối thiểu 70 %" in html
    assert "Gửi duyệt" in html


def test_assigned_division_saves_a_draft_and_sees_the_verdict(client_for, personas, world):
    response = post_share(client_for("division"))
    assert response.status_code == 302
    measurement = Measurement.objects.get()
    assert (measurement.numerator, measurement.denominator) == (56, 80)
    assert measurement.status == Measurement.Status.DRAFT
    assert measurement.updated_by == personas["division"]
    page = client_for("division").get(response["Location"]).content.decode()
    assert "56/80 = 70,00 % ≥ 70 % — Đạt" in page


def test_decimal_comma_and_point_are_both_accepted(client_for, world):
    client = client_for("standing_office")
    client.post(entry_url("HP", "2.1.1"), {"value": "1,8", "previous": "3.3", "version": ""})
    measurement = Measurement.objects.get()
    assert measurement.value == Decimal("1.8")
    assert measurement.previous == Decimal("3.3")


def test_submit_sets_submitted_with_who_and_when(client_for, personas, world):
    post_share(client_for("division"), submit=True)
    measurement = Measurement.objects.get()
    assert measurement.status == Measurement.Status.SUBMITTED
    assert measurement.submitted_by == personas["division"]
    assert measurement.submitted_at is not None


def test_unassigned_division_reads_but_cannot_write(client_for, world):
    client = client_for("other_division")
    page = client.get(entry_url("HP", "1.1.2")).content.decode()
    assert 'name="numerator"' not in page
    assert post_share(client).status_code == 403
    assert not Measurement.objects.exists()


def test_division_cannot_write_a_district_value(client_for, world):
    assert post_share(client_for("division"), unit="HP-A").status_code == 403
    assert not Measurement.objects.exists()


def test_district_office_writes_its_own_district(client_for, world):
    client = client_for("district_a")
    response = client.post(
        entry_url("HP-A", "2.1.3"), {"numerator": "9", "denominator": "20.000", "version": ""}
    )
    assert response.status_code == 302
    assert Measurement.objects.get().denominator == 20000


def test_district_office_cannot_see_another_district(client_for, world):
    client = client_for("district_a")
    assert client.get(entry_url("HP-B", "2.1.3")).status_code == 404
    response = client.post(entry_url("HP-B", "2.1.3"), {"numerator": "1", "denominator": "2"})
    assert response.status_code == 404
    assert client.get(reverse("measurements:unit_values", args=[YEAR, "HP-B"])).status_code == 404
    assert not Measurement.objects.exists()


def test_district_office_cannot_write_the_city_value(client_for, world):
    response = client_for("district_a").post(entry_url("HP", "1.1.1"), {"yes": "yes"})
    assert response.status_code == 403
    assert not Measurement.objects.exists()


def test_committee_reads_but_writes_nothing(client_for, world):
    client = client_for("committee")
    assert client.get(entry_url("HP", "1.1.2")).status_code == 200
    assert post_share(client).status_code == 403
    assert not Measurement.objects.exists()


def test_standing_office_writes_any_unit(client_for, world):
    response = client_for("standing_office").post(
        entry_url("HP-B", "2.1.3"), {"value": "0,04", "version": ""}
    )
    assert response.status_code == 302
    assert Measurement.objects.get().value == Decimal("0.04")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"numerator": "90", "denominator": "80"}, "không được lớn hơn"),
        ({"numerator": "11,5", "denominator": "80"}, "không phải là số nguyên"),
        ({"numerator": "abc", "denominator": "80"}, "không phải là số"),
        ({"numerator": "-1", "denominator": "80"}, "âm"),
        ({"numerator": "1", "denominator": "0"}, "Mẫu số phải lớn hơn 0"),
        ({"numerator": "", "denominator": "", "value": "120"}, "100"),
        ({"numerator": "5", "denominator": ""}, "Cần nhập cả tử số và mẫu số"),
    ],
)
def test_bad_input_shows_a_clear_error_and_writes_nothing(client_for, world, fields, message):
    response = post_share(client_for("division"), **fields)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Measurement.objects.exists()


def test_bad_input_keeps_what_was_typed(client_for, world):
    response = post_share(client_for("division"), numerator="90", note="Ghi chú của tôi")
    html = response.content.decode()
    assert 'value="90"' in html
    assert "Ghi chú của tôi" in html


def test_second_of_two_concurrent_edits_is_refused(client_for, world):
    client = client_for("division")
    post_share(client)  # version 1
    post_share(client, numerator="60", version="1")  # first editor saves: version 2
    response = post_share(client, numerator="70", version="1")  # second editor opened version 1
    assert response.status_code == 200
    assert "Người khác đã lưu số liệu này" in response.content.decode()
    measurement = Measurement.objects.get()
    assert (measurement.numerator, measurement.version) == (60, 2)


def test_a_new_entry_created_meanwhile_is_not_overwritten(client_for, world):
    client = client_for("division")
    post_share(client, numerator="60")
    response = post_share(client, numerator="70", version="")
    assert response.status_code == 200
    assert Measurement.objects.get().numerator == 60


def test_locked_year_refuses_the_form_with_a_message(client_for, world):
    post_share(client_for("division"))
    EvaluationYear.objects.filter(year=YEAR).update(state=EvaluationYear.State.LOCKED)
    response = post_share(client_for("division"), numerator="70", version="1")
    assert "khóa" in response.content.decode()
    assert Measurement.objects.get().numerator == 56


def test_locked_year_shows_the_values_without_a_form(client_for, world):
    post_share(client_for("division"))
    EvaluationYear.objects.filter(year=YEAR).update(state=EvaluationYear.State.LOCKED)
    html = client_for("division").get(entry_url("HP", "1.1.2")).content.decode()
    assert 'name="numerator"' not in html
    assert "đã khóa" in html


@pytest.mark.parametrize(("state", "offered"), [("open", True), ("locked", False)])
def test_a_units_values_offer_entry_and_the_workbook_only_while_the_year_is_open(
    client_for, world, state, offered
):
    post_share(client_for("division"))  # a value to change: «Sửa»
    EvaluationYear.objects.filter(year=YEAR).update(state=state)
    response = client_for("division").get(reverse("measurements:unit_values", args=[YEAR, "HP"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert (f'<a class="small" href="{entry_url("HP", "1.1.2")}">Sửa</a>' in html) is offered
    assert ("Tải mẫu Excel" in html) is offered
    assert (reverse("measurements:workbook_export", args=[YEAR, "HP"]) in html) is offered
    assert (reverse("measurements:import") in html) is offered


def test_my_work_without_an_open_year_offers_no_workbook(client_for, world):
    EvaluationYear.objects.filter(year=YEAR).update(state=EvaluationYear.State.LOCKED)
    html = client_for("division").get(reverse("measurements:my_work")).content.decode()
    assert "Chưa có năm đánh giá nào đang mở" in html
    assert reverse("measurements:import") not in html
    assert "Tải lên Excel" not in html
    assert "Tải mẫu Excel" not in html


def test_a_year_never_opened_refuses_writes(client_for, world):
    response = client_for("standing_office").post(
        entry_url("HP", "1.1.1", year=2030), {"yes": "yes", "version": ""}
    )
    assert "chưa mở" in response.content.decode()
    assert not Measurement.objects.exists()


def test_history_records_who_changed_what(client_for, personas, world):
    client = client_for("division")
    post_share(client)
    post_share(client, numerator="60", version="1", submit=True)
    records = list(Measurement.objects.get().history.order_by("history_date"))
    assert [r.numerator for r in records] == [56, 60]
    assert [r.status for r in records] == ["draft", "submitted"]
    assert {r.history_user for r in records} == {personas["division"]}


def test_the_page_shows_last_years_approved_value(client_for, world, personas):
    EvaluationYear.objects.create(year=YEAR - 1, state="open")
    Measurement.objects.create(
        indicator=world.indicator("2.1.2"),
        unit=world.city,
        year=YEAR - 1,
        value=Decimal("245000"),
        status="approved",
    )
    html = client_for("standing_office").get(entry_url("HP", "2.1.2")).content.decode()
    assert "245.000" in html


@pytest.mark.parametrize(
    ("code", "figures", "shown"),
    [
        ("1.1.2", {"numerator": 56, "denominator": 80}, "56/80"),
        ("1.1.1", {"yes": True}, "Có"),
    ],
)
def test_last_years_approved_entry_shows_for_every_kind(client_for, world, code, figures, shown):
    """Issue 15.7: a share given as two counts, a yes — not only a plain value."""
    EvaluationYear.objects.create(year=YEAR - 1, state="open")
    Measurement.objects.create(
        indicator=world.indicator(code),
        unit=world.city,
        year=YEAR - 1,
        status="approved",
        **figures,
    )
    html = client_for("standing_office").get(entry_url("HP", code)).content.decode()
    assert f'<span id="last-year">{shown}</span>' in html


def test_last_years_entry_not_yet_approved_is_not_shown(client_for, world):
    EvaluationYear.objects.create(year=YEAR - 1, state="open")
    Measurement.objects.create(
        indicator=world.indicator("1.1.2"),
        unit=world.city,
        year=YEAR - 1,
        status="submitted",
        numerator=56,
        denominator=80,
    )
    html = client_for("standing_office").get(entry_url("HP", "1.1.2")).content.decode()
    assert 'id="last-year"' not in html


def test_my_work_lists_the_divisions_indicators_for_the_open_year(client_for, world):
    html = client_for("division").get(reverse("measurements:my_work")).content.decode()
    assert 'id="row-1.1.2"' in html
    assert 'id="row-2.1.1"' not in html
    assert "Chưa nhập" in html


def test_my_work_of_a_district_office_is_its_own_district(client_for, world):
    html = client_for("district_a").get(reverse("measurements:my_work")).content.decode()
    assert 'id="row-1.1.1"' in html
    assert 'id="row-2.1.3"' in html
    assert reverse("measurements:measurement", args=[YEAR, "HP-A", "2.1.3"]) in html


def test_my_work_is_for_signed_in_staff(client, world):
    assert client.get(reverse("measurements:my_work")).status_code == 302


@pytest.mark.parametrize("indicators", [2, 20])
def test_my_work_costs_a_constant_number_of_queries(
    client_for, world, django_assert_max_num_queries, indicators
):
    criterion = world.indicator("1.1.2").criterion
    for i in range(3, 3 + indicators):
        indicator = make_indicator(criterion, f"1.1.{i}")
        Assignment.objects.create(indicator=indicator, department=world.division_dept, role="lead")
    client = client_for("division")
    with django_assert_max_num_queries(15):  # 14, and the round whose deadline it shows
        assert client.get(reverse("measurements:my_work")).status_code == 200


def test_last_years_rate_of_a_drop_is_shown_in_percent(client_for, world):
    EvaluationYear.objects.create(year=YEAR - 1, state="open")
    Measurement.objects.create(
        indicator=world.indicator("2.1.1"),
        unit=world.city,
        year=YEAR - 1,
        value=Decimal("3.3"),
        status="approved",
    )
    html = client_for("standing_office").get(entry_url("HP", "2.1.1")).content.decode()
    assert "3,3 %" in html
    assert "3,3 điểm %" not in html


def test_a_typed_share_scores_even_when_last_year_has_a_value(client_for, world):
    EvaluationYear.objects.create(year=YEAR - 1, state="open")
    for year in (YEAR - 1, YEAR):
        Measurement.objects.create(
            indicator=world.indicator("1.1.2"),
            unit=world.city,
            year=year,
            value=Decimal("66.5") if year == YEAR - 1 else Decimal("71.25"),
            status="approved",
        )
    html = client_for("division").get(entry_url("HP", "1.1.2")).content.decode()
    assert "71,25 % ≥ 70 % — Đạt" in html


def test_the_citys_share_of_recognised_districts_is_never_typed(client_for, world, personas):
    """Before: the entry page offered a form for it, and a typed value was saved."""
    Indicator.objects.filter(pk=world.indicator("1.1.2").pk).update(
        list_source=ListSource.DISTRICT_VERDICTS
    )
    client = client_for("standing_office")
    page = client.get(entry_url("HP", "1.1.2")).content.decode()
    assert "được tính từ các quyết định công nhận quận/huyện của Ban chỉ đạo" in page
    assert 'name="numerator"' not in page
    response = client.post(entry_url("HP", "1.1.2"), {"numerator": "11", "denominator": "15"})
    assert response.status_code in (200, 403)
    assert not Measurement.objects.exists()
    office = personas["standing_office"]
    with pytest.raises(ValidationError, match="quyết định công nhận quận/huyện"):
        services.measurement_save(
            actor=actor_for(office),
            user=office,
            indicator=Indicator.objects.get(pk=world.indicator("1.1.2").pk),  # as updated
            unit=world.city,
            year=YEAR,
            data=services.MeasurementData(numerator=11, denominator=15),
            expected_version=None,
            submit=False,
        )


def test_grdp_entered_as_its_published_growth_rate(client_for, world, personas):
    """2.1.2 of the test set is an increase in «tỷ đồng», made to take the published rate like
    3.1.1 of Hải Phòng. Last year's level is offered by the page: typing only the rate drops it.
    Before: the form took two levels only."""
    Indicator.objects.filter(pk=world.indicator("2.1.2").pk).update(accepts_growth_rate=True)
    EvaluationYear.objects.create(year=YEAR - 1, state="open")
    Measurement.objects.create(
        indicator=world.indicator("2.1.2"),
        unit=world.city,
        year=YEAR - 1,
        value=Decimal("277000"),
        status="approved",
    )
    client = client_for("standing_office")
    page = client.get(entry_url("HP", "2.1.2")).content.decode()
    assert "Hoặc tốc độ tăng trưởng đã công bố (%)" in page
    response = client.post(
        entry_url("HP", "2.1.2"), {"growth_rate": "12,32", "previous": "277.000", "version": ""}
    )
    assert response.status_code == 302
    entry = Measurement.objects.get(year=YEAR)
    assert (entry.growth_rate, entry.value, entry.previous) == (Decimal("12.32"), None, None)
    Measurement.objects.filter(pk=entry.pk).update(status="approved")
    evaluation = baseline(world.criteria_set, world.city, YEAR).evaluation
    result = next(r for r in evaluation.indicators if r.code == "2.1.2")
    assert (result.status.value, result.explanation) == (
        "met",
        "Tốc độ tăng trưởng đã công bố: 12,32 % — Đạt",
    )
    again = client.get(entry_url("HP", "2.1.2")).content.decode()
    assert 'value="12,32"' in again


def test_the_drop_form_says_it_counts_percentage_points(client_for, world):
    page = client_for("standing_office").get(entry_url("HP", "2.1.1")).content.decode()
    assert "«giảm 1,5» nghĩa là từ 3,3 % xuống 1,8 % hoặc thấp hơn" in page


def test_the_counts_say_what_they_count(client_for, world):
    """Before: «Tử số» and «Mẫu số» only; the plan's words now follow (issue 13.9)."""
    Indicator.objects.filter(pk=world.indicator("2.1.3").pk).update(
        numerator_label="Số học sinh bị bắt nạt, bạo lực học đường",
        denominator_label="Tổng số học sinh",
    )
    page = client_for("standing_office").get(entry_url("HP", "2.1.3")).content.decode()
    assert "Tử số: Số học sinh bị bắt nạt, bạo lực học đường" in page
    assert "Mẫu số: Tổng số học sinh" in page


POVERTY_STANDARD = "chuẩn nghèo đa chiều giai đoạn 2022–2025"


def poverty_rate_last_year(world, value: str, basis: str) -> None:
    """2.1.1 of the test set (a drop) made to state the poverty standard, with last year's
    approved rate measured under `basis`."""
    Indicator.objects.filter(pk=world.indicator("2.1.1").pk).update(basis=POVERTY_STANDARD)
    EvaluationYear.objects.create(year=YEAR - 1, state="open")
    Measurement.objects.create(
        indicator=world.indicator("2.1.1"),
        unit=world.city,
        year=YEAR - 1,
        value=Decimal(value),
        status="approved",
        basis=basis,
    )


def test_a_rate_with_a_stated_standard_needs_last_years_source(client_for, world):
    """2.1.1 of the test set is a drop, given the poverty standard: last year's rate of another
    standard is not offered, a typed one needs its source, and the entry records its standard."""
    standard = POVERTY_STANDARD
    poverty_rate_last_year(world, "3.3", "chuẩn nghèo giai đoạn 2016–2020")
    client = client_for("standing_office")
    page = client.get(entry_url("HP", "2.1.1")).content.decode()
    assert standard in page
    assert "Chưa có số liệu đo theo cùng chuẩn" in page
    refused = client.post(entry_url("HP", "2.1.1"), {"value": "1,8", "previous": "3,5"})
    assert refused.status_code == 200
    assert "Hãy ghi nguồn của số liệu năm trước đo theo" in refused.content.decode()
    assert not Measurement.objects.filter(year=YEAR).exists()
    source = "Báo cáo rà soát hộ nghèo cuối năm 2021"
    saved = client.post(
        entry_url("HP", "2.1.1"), {"value": "1,8", "previous": "3,5", "previous_source": source}
    )
    assert saved.status_code == 302
    entry = Measurement.objects.get(year=YEAR)
    assert (entry.previous, entry.previous_source, entry.basis) == (
        Decimal("3.5"),
        source,
        standard,
    )


def test_last_years_approved_figure_of_the_same_standard_needs_no_source(client_for, world):
    """The page offers last year's approved rate of the same standard: saving it as it is must
    not ask where it comes from (it is the portal's own)."""
    poverty_rate_last_year(world, "3.5", POVERTY_STANDARD)
    client = client_for("standing_office")
    assert 'value="3,5"' in client.get(entry_url("HP", "2.1.1")).content.decode()
    response = client.post(entry_url("HP", "2.1.1"), {"value": "1,8", "previous": "3,5"})
    assert response.status_code == 302
    assert Measurement.objects.get(year=YEAR).previous_source == ""


def test_a_published_growth_rate_is_never_a_fragile_pass(client_for, world):
    """Before: 12,32 % was compared with 1 % of last year's level (277.000) and called fragile."""
    Indicator.objects.filter(pk=world.indicator("2.1.2").pk).update(accepts_growth_rate=True)
    EvaluationYear.objects.create(year=YEAR - 1, state="open")
    for year, values in (
        (YEAR - 1, {"value": Decimal(277000)}),
        (YEAR, {"growth_rate": Decimal("12.32")}),
    ):
        Measurement.objects.create(
            indicator=world.indicator("2.1.2"),
            unit=world.city,
            year=year,
            status="approved",
            **values,
        )
    response = client_for("committee").get(reverse("evaluation:city", args=[YEAR]))
    line = next(line for line in response.context["data"].lines if line.indicator.code == "2.1.2")
    assert (line.result.status.value, line.fragile) == ("met", False)


def test_a_failed_save_leads_with_an_error_summary_linking_to_each_field(client_for, world):
    """A screen reader and a keyboard user start from the summary (issue 19.4): the title says
    «Lỗi:», the summary links to the field, the field says it is invalid; nothing is written."""
    response = post_share(client_for("division"), numerator="bảy", denominator="10")
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Lỗi: " in page
    summary = page[page.index('id="error-summary"') :]
    assert "data-focus-on-load" in page
    assert 'href="#id_numerator"' in summary
    numerator = page[page.index('name="numerator"') - 200 : page.index('name="numerator"') + 300]
    assert 'aria-invalid="true"' in numerator
    assert not Measurement.objects.exists()


def test_a_page_without_errors_has_no_summary(client_for, world):
    page = client_for("division").get(entry_url("HP", "1.1.2")).content.decode()
    assert 'id="error-summary"' not in page
    assert "<title>Lỗi" not in page


@pytest.mark.parametrize(
    ("persona", "unit", "code", "entered_by"),
    [
        ("other_division", "HP", "1.1.2", "Phòng VP (Chủ trì); Phòng GDTX (Phối hợp)."),
        ("committee", "HP", "1.1.1", "Phòng GDTX (Chủ trì)."),  # not the district offices
        ("district_a", "HP", "1.1.1", "Phòng GDTX (Chủ trì)."),  # assigned, for its district
        ("committee", "HP-A", "2.1.3", "Phòng PGD-A (Chủ trì)."),  # the district's own office
        ("division", "HP-B", "1.1.1", "Phòng PGD-B (Chủ trì)."),
    ],
)
def test_a_read_only_entry_page_says_who_enters_the_value(
    client_for, world, persona, unit, code, entered_by
):
    response = client_for(persona).get(entry_url(unit, code))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Gửi duyệt" not in html  # no form: read only
    said = html.split('id="entered-by">')[1].split("</p>")[0]
    assert "Đơn vị nhập số liệu:" in said
    assert " ".join(said.split()).endswith(entered_by)


def test_an_entry_page_with_its_form_does_not_say_who_enters(client_for, world):
    html = client_for("division").get(entry_url("HP", "1.1.2")).content.decode()
    assert 'name="numerator"' in html
    assert 'id="entered-by"' not in html


def test_the_citys_recognised_share_links_a_district_office_to_no_district_matrix(
    client_for, world
):
    """The district matrix is closed to a district office (403): its page does not link there."""
    Indicator.objects.filter(pk=world.indicator("1.1.2").pk).update(
        list_source=ListSource.DISTRICT_VERDICTS
    )
    districts = reverse("evaluation:districts", args=[YEAR])
    assert districts not in client_for("district_a").get(entry_url("HP", "1.1.2")).content.decode()
    assert districts in client_for("committee").get(entry_url("HP", "1.1.2")).content.decode()


def test_on_an_english_page_an_ambiguous_figure_is_refused_and_a_plain_one_taken(
    client_for, world, settings
):
    client = client_for("standing_office")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    refused = client.post(
        entry_url("HP", "2.1.1"), {"value": "1,800", "previous": "3.3", "version": ""}
    )
    page = refused.content.decode()
    assert "«1,800» reads differently in English and in Vietnamese: type 1.8 or 1800." in page
    assert not Measurement.objects.exists()
    saved = client.post(
        entry_url("HP", "2.1.1"), {"value": "1.8", "previous": "3.3", "version": ""}, follow=True
    )
    assert Measurement.objects.get().value == Decimal("1.8")
    assert (
        "Provisional result: Down 1.5 percentage points (3.3 % → 1.8 %), a drop of at least 1.5"
        " percentage points required — Met" in saved.content.decode()
    )
