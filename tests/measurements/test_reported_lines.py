"""An indicator summed from the lines its reporting departments enter (issue 13.5, 3.2.3): five
reporters, one of them missing; each line reviewed like a value; the city's figures are the sums
of the lines that count. Figures worked by hand in each test."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from assignments.models import Department
from assignments.permissions import actor_for
from common.excel import WorkbookRow
from criteria import scoring
from criteria.models import EvaluationYear, Indicator, ListSource
from criteria.selectors import indicator_spec
from evaluation.dashboard import department_progress
from evaluation.selectors import Basis, unit_year_inputs
from measurements.imports import plan_import
from measurements.models import Measurement, ReportedLine
from measurements.selectors import lines_picture
from measurements.services import (
    LineData,
    MeasurementData,
    StaleReviewError,
    measurement_save,
    reported_line_review,
    reported_line_save,
)
from measurements.workbooks import HEADERS
from tests.conftest import YEAR
from tests.factories import assign, make_department, make_indicator

pytestmark = pytest.mark.django_db


@pytest.fixture
def bullying(world, personas):
    """2.1.4, a rate below 0,05 % summed from lines: the two district offices, the
    upper-secondary schools, the centres and the units under the Sở report; the other division
    (CCTT) compiles."""
    indicator = make_indicator(
        world.indicator("2.1.3").criterion,
        "2.1.4",
        kind="rate_below",
        threshold="0.05",
        list_source=ListSource.REPORTED_LINES,
    )
    schools = make_department("THPT", "institution")
    centres = make_department("TT-GDNN", "institution")
    units = make_department("DV-SO", "institution")
    for department in (world.office_a, world.office_b, schools, centres, units):
        assign(indicator, department)
    assign(indicator, world.other_division_dept)  # CCTT compiles
    return indicator


def departments(*codes: str) -> list[Department]:
    return [Department.objects.get(code=code) for code in codes]


def enter(user, indicator, unit, department, numerator, denominator, *, submit=True):
    line = ReportedLine.objects.filter(indicator=indicator, department=department).first()
    return reported_line_save(
        actor=actor_for(user),
        user=user,
        indicator=indicator,
        unit=unit,
        year=YEAR,
        department=department,
        data=LineData(numerator, denominator),
        expected_version=line.version if line else None,
        submit=submit,
    )


def approve(office, line):
    return reported_line_review(
        actor=actor_for(office), user=office, line=line, approve=True, seen_version=line.version
    )


@pytest.fixture
def four_of_five(world, personas, bullying):
    """Offices A and B and the schools approved, the centres submitted, the units missing."""
    office = personas["standing_office"]
    a, b, schools, centres = departments("PGD-A", "PGD-B", "THPT", "TT-GDNN")
    for department, numerator, denominator in ((a, 3, 20000), (b, 2, 15000), (schools, 4, 40000)):
        approve(office, enter(office, bullying, world.city, department, numerator, denominator))
    enter(office, bullying, world.city, centres, 60, 10000)
    return bullying


def scored(world, indicator, basis):
    inputs = unit_year_inputs(
        world.city, YEAR, list(Indicator.objects.filter(pk=indicator.pk)), basis=basis
    )
    return scoring.score_indicator(indicator_spec(indicator), inputs.input_for(indicator))


def test_the_official_rate_sums_the_approved_lines_of_the_reporters_who_reported(
    world, four_of_five
):
    # 3 + 2 + 4 = 9 pupils of 20.000 + 15.000 + 40.000 = 75.000: 0,012 % < 0,05 %.
    result = scored(world, four_of_five, Basis.OFFICIAL)
    assert result.status is scoring.Status.MET
    assert result.value == Decimal("0.012")
    assert result.explanation == ("9/75.000 (tổng báo cáo của 3 đơn vị) = 0,012 % < 0,05 % — Đạt")


def test_the_provisional_rate_counts_the_submitted_line_too(world, four_of_five):
    # 9 + 60 = 69 pupils of 75.000 + 10.000 = 85.000: 0,0812 % — not below 0,05 %.
    result = scored(world, four_of_five, Basis.PROVISIONAL)
    assert result.status is scoring.Status.NOT_MET
    assert result.explanation.startswith("69/85.000 (tổng báo cáo của 4 đơn vị) = 0,08 %")


def test_the_picture_names_the_reporter_that_has_not_reported(world, four_of_five):
    picture = lines_picture(four_of_five, world.city, YEAR)
    assert [d.code for d in picture.missing] == ["DV-SO"]
    assert (picture.reported, picture.reporters) == (4, 5)
    assert (picture.official.numerator, picture.official.denominator) == (9, 75000)
    assert (picture.provisional.numerator, picture.provisional.denominator) == (69, 85000)


def test_without_any_line_the_indicator_has_no_data(world, bullying):
    assert scored(world, bullying, Basis.OFFICIAL).status is scoring.Status.NO_DATA


def test_a_typed_total_is_refused(world, personas, bullying):
    office = personas["standing_office"]
    with pytest.raises(ValidationError) as refused:
        measurement_save(
            actor=actor_for(office),
            user=office,
            indicator=bullying,
            unit=world.city,
            year=YEAR,
            data=MeasurementData(numerator=1, denominator=100),
            expected_version=None,
            submit=True,
        )
    assert refused.value.code == "from_lines"
    assert not Measurement.objects.exists()


# --- Who enters which line ---------------------------------------------------------------------


def test_a_reporter_enters_its_own_line_and_no_other(world, personas, bullying):
    office_a = personas["district_a"]
    a, b = departments("PGD-A", "PGD-B")
    line = enter(office_a, bullying, world.city, a, 3, 20000)
    assert (line.department, line.status, line.submitted_by) == (a, "submitted", office_a)
    with pytest.raises(PermissionDenied):
        enter(office_a, bullying, world.city, b, 2, 15000)
    assert ReportedLine.objects.count() == 1


def test_the_compiling_division_enters_a_line_on_a_reporters_behalf(world, personas, bullying):
    (units,) = departments("DV-SO")
    line = enter(personas["other_division"], bullying, world.city, units, 1, 5000)
    assert line.department == units


def test_a_division_not_assigned_enters_no_line(world, personas, bullying):
    (units,) = departments("DV-SO")
    with pytest.raises(PermissionDenied):
        enter(personas["division"], bullying, world.city, units, 1, 5000)


def test_a_department_not_assigned_has_no_line(world, personas, bullying):
    with pytest.raises(ValidationError) as refused:
        enter(personas["standing_office"], bullying, world.city, world.division_dept, 1, 5000)
    assert refused.value.code == "not_a_reporter"
    assert not ReportedLine.objects.exists()


def test_more_pupils_affected_than_pupils_is_refused_and_nothing_written(world, personas, bullying):
    (a,) = departments("PGD-A")
    with pytest.raises(ValidationError, match=r"Tử số \(5\) không được lớn hơn mẫu số \(4\)"):
        enter(personas["district_a"], bullying, world.city, a, 5, 4)
    assert not ReportedLine.objects.exists()


def test_a_locked_year_takes_no_line(world, personas, bullying):
    EvaluationYear.objects.filter(year=YEAR).update(state=EvaluationYear.State.LOCKED)
    (a,) = departments("PGD-A")
    with pytest.raises(ValidationError):
        enter(personas["district_a"], bullying, world.city, a, 3, 20000)
    assert not ReportedLine.objects.exists()


# --- Review ------------------------------------------------------------------------------------


def test_a_line_changed_after_the_reviewer_read_it_is_not_approved(world, personas, bullying):
    (a,) = departments("PGD-A")
    seen = enter(personas["district_a"], bullying, world.city, a, 3, 20000)
    enter(personas["district_a"], bullying, world.city, a, 4, 20000)
    with pytest.raises(StaleReviewError):
        approve(personas["standing_office"], seen)
    assert ReportedLine.objects.get().status == "submitted"


def test_a_returned_line_says_why_and_only_the_standing_office_reviews(world, personas, bullying):
    (a,) = departments("PGD-A")
    line = enter(personas["district_a"], bullying, world.city, a, 3, 20000)
    with pytest.raises(PermissionDenied):
        approve(personas["district_a"], line)
    office = personas["standing_office"]
    with pytest.raises(ValidationError, match="cần có ý kiến"):
        reported_line_review(
            actor=actor_for(office), user=office, line=line, approve=False, seen_version=2
        )
    returned = reported_line_review(
        actor=actor_for(office),
        user=office,
        line=line,
        approve=False,
        seen_version=line.version,
        comment="Thiếu số liệu trường THCS",
    )
    assert (returned.status, returned.review_comment) == ("returned", "Thiếu số liệu trường THCS")
    assert ReportedLine.history.filter(status="returned").count() == 1


# --- Progress: nobody approved for what it has not reported ------------------------------------


def test_progress_shows_each_reporter_its_own_line_and_the_compiler_the_least_advanced(
    world, four_of_five
):
    progress = {
        row.department.code: row for row in department_progress(world.criteria_set, None, YEAR)
    }

    def bucket(code: str) -> str:
        row = progress[code]
        for name in ("approved", "submitted", "missing"):
            if four_of_five in getattr(row, name):
                return name
        return "absent"

    assert bucket("PGD-A") == "approved"
    assert bucket("THPT") == "approved"
    assert bucket("TT-GDNN") == "submitted"
    assert bucket("DV-SO") == "missing"  # never shown approved for the city's sum
    assert bucket("CCTT") == "missing"  # one reporter has not reported


# --- The pages ---------------------------------------------------------------------------------


def lines_url() -> str:
    return reverse("measurements:reported_lines", args=[YEAR, "HP", "2.1.4"])


def test_the_standing_office_sees_every_line_and_who_has_not_reported(
    world, client_for, four_of_five
):
    page = client_for("standing_office").get(lines_url()).content.decode()
    assert "9/75.000" in page  # official sum
    assert "69/85.000" in page  # provisional sum
    assert "4/5" in page
    assert 'id="missing-reporters"' in page
    assert "Phòng DV-SO" in page
    assert 'id="line-PGD-B"' in page


def test_a_district_office_sees_its_own_line_and_the_sums_only(world, client_for, four_of_five):
    page = client_for("district_a").get(lines_url()).content.decode()
    assert 'id="line-PGD-A"' in page
    assert "9/75.000" in page
    assert "4/5" in page
    assert "Phòng PGD-B" not in page
    assert 'id="missing-reporters"' not in page


def test_a_reporter_submits_its_line_from_the_page(world, client_for, bullying):
    response = client_for("district_a").post(
        lines_url(), {"numerator": "3", "denominator": "20.000", "submit": ""}
    )
    assert response.status_code == 302
    line = ReportedLine.objects.get()
    assert (line.department.code, line.numerator, line.denominator, line.status) == (
        "PGD-A",
        3,
        20000,
        "submitted",
    )


def test_a_bad_line_on_the_page_shows_the_error_and_writes_nothing(world, client_for, bullying):
    response = client_for("district_a").post(
        lines_url(), {"numerator": "5", "denominator": "4", "submit": ""}
    )
    assert response.status_code == 200
    assert "Tử số (5) không được lớn hơn mẫu số (4)" in response.content.decode()
    assert not ReportedLine.objects.exists()


def test_the_standing_office_approves_a_line_from_the_page(world, client_for, four_of_five):
    centres = ReportedLine.objects.get(department__code="TT-GDNN")
    response = client_for("standing_office").post(
        lines_url(), {"review": "approve", "line": centres.pk, "version": centres.version}
    )
    assert response.status_code == 302
    assert ReportedLine.objects.get(pk=centres.pk).status == "approved"


def test_the_city_dashboard_says_who_has_not_reported(world, client_for, four_of_five):
    page = client_for("committee").get(reverse("evaluation:city", args=[YEAR])).content.decode()
    assert "4/5 đơn vị đã báo cáo" in page
    assert "Phòng DV-SO" in page


def test_a_values_workbook_row_with_a_total_is_refused_at_the_preview(world, personas, bullying):
    cells = dict.fromkeys(HEADERS)
    cells.update({"Mã đơn vị": "HP", "Năm": YEAR, "Mã chỉ báo": "2.1.4", "Tử số": 3})
    cells["Mẫu số"] = 20000
    plan = plan_import(
        actor=actor_for(personas["standing_office"]),
        rows=[WorkbookRow(8, cells)],
        criteria_set=world.criteria_set,
    )
    assert plan.errors == [
        "Dòng 8, chỉ báo 2.1.4: tỷ lệ này là tổng các dòng báo cáo của các đơn vị; hãy nhập dòng "
        "báo cáo trên cổng, không nhập tử số, mẫu số tổng (để trống dòng này)."
    ]
    assert not Measurement.objects.exists()


def test_the_entry_page_shows_the_sum_of_the_lines_as_entered_and_links_to_them(
    world, client_for, four_of_five
):
    # Every line as it stands: 3 + 2 + 4 + 60 = 69 of 85.000 pupils.
    url = reverse("measurements:measurement", args=[YEAR, "HP", "2.1.4"])
    page = client_for("district_a").get(url).content.decode()
    assert "69/85.000 (tổng báo cáo của 4 đơn vị)" in page
    assert lines_url() in page
    assert 'name="numerator"' not in page  # no total to type


# --- What the review asks of the pages, and what the service refuses ----------------------------


def test_the_review_queue_links_to_the_lines_waiting(world, client_for, four_of_five):
    page = client_for("standing_office").get(reverse("measurements:review")).content.decode()
    assert 'id="lines-waiting"' in page
    assert lines_url() in page
    assert "Chỉ báo 2.1.4 — Đơn vị HP, 2022" in page


def test_a_review_posted_by_someone_else_is_refused_and_changes_nothing(
    world, client_for, four_of_five
):
    centres = ReportedLine.objects.get(department__code="TT-GDNN")
    response = client_for("district_a").post(
        lines_url(), {"review": "approve", "line": centres.pk, "version": centres.version}
    )
    assert response.status_code == 403
    assert ReportedLine.objects.get(pk=centres.pk).status == "submitted"
    assert ReportedLine.objects.get(pk=centres.pk).version == centres.version


def test_a_review_in_a_locked_year_says_so_and_changes_nothing(world, client_for, four_of_five):
    centres = ReportedLine.objects.get(department__code="TT-GDNN")
    EvaluationYear.objects.filter(year=YEAR).update(state=EvaluationYear.State.LOCKED)
    client = client_for("standing_office")
    response = client.post(
        lines_url(),
        {"review": "approve", "line": centres.pk, "version": centres.version},
        follow=True,
    )
    assert "đã khóa" in response.content.decode()
    assert ReportedLine.objects.get(pk=centres.pk).status == "submitted"


def test_a_district_office_enters_no_line_of_another_districts_unit(world, personas, bullying):
    (a,) = departments("PGD-A")
    with pytest.raises(PermissionDenied):
        enter(personas["district_a"], bullying, world.district_b, a, 3, 20000)
    assert not ReportedLine.objects.exists()


def test_an_indicator_marked_not_applicable_takes_no_line_and_scores_not_applicable(
    world, personas, client_for, four_of_five
):
    Measurement.objects.create(
        indicator=four_of_five,
        unit=world.city,
        year=YEAR,
        status="not_applicable",
        not_applicable_reason="Không có học sinh",
    )
    (units,) = departments("DV-SO")
    with pytest.raises(ValidationError) as refused:
        enter(personas["standing_office"], four_of_five, world.city, units, 1, 5000)
    assert refused.value.code == "not_applicable"
    assert not ReportedLine.objects.filter(department=units).exists()
    assert scored(world, four_of_five, Basis.OFFICIAL).status is scoring.Status.NOT_APPLICABLE
    url = reverse("measurements:measurement", args=[YEAR, "HP", "2.1.4"])
    assert "Không áp dụng: Không có học sinh" in client_for("committee").get(url).content.decode()


def test_the_city_dashboard_hides_who_has_not_reported_from_a_district_office(
    world, client_for, four_of_five
):
    page = client_for("district_a").get(reverse("evaluation:city", args=[YEAR])).content.decode()
    assert "4/5 đơn vị đã báo cáo" in page
    assert "đơn vị chưa báo cáo" not in page  # the names of the missing reporters
    committee = client_for("committee").get(reverse("evaluation:city", args=[YEAR]))
    assert "1 đơn vị chưa báo cáo" in committee.content.decode()


def test_my_work_lists_a_district_offices_own_line_of_the_citys_indicator(
    world, personas, client_for, bullying
):
    page = client_for("district_a").get(reverse("measurements:my_work")).content.decode()
    assert 'id="lines-to-report"' in page
    assert lines_url() in page
    assert "Chưa báo cáo" in page
    (a,) = departments("PGD-A")
    enter(personas["standing_office"], bullying, world.city, a, 3, 20000)
    page = client_for("district_a").get(reverse("measurements:my_work")).content.decode()
    section = page[page.index('id="lines-to-report"') :]
    assert "Đã gửi" in section
    assert "Chưa báo cáo" not in section
