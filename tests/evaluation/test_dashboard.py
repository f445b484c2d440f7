"""The December dashboard: the verdict, the tree, the switches, and who may open it."""

import json
import re
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.signals import template_rendered
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assignments.models import Assignment, Department, PlanTask, Unit
from assignments.permissions import ADMINISTRATORS_GROUP
from criteria.models import EvaluationYear, Indicator
from measurements.models import Measurement
from tests.conftest import YEAR, _user
from tests.factories import (
    make_criteria_set,
    make_criterion,
    make_department,
    make_indicator,
    make_standard,
    make_unit,
)

pytestmark = pytest.mark.django_db


def entry(world, code, unit=None, status="approved", year=YEAR, **values):
    return Measurement.objects.create(
        indicator=world.indicator(code), unit=unit or world.city, year=year, status=status, **values
    )


def city_url(year=YEAR, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("evaluation:city", args=[year]) + (f"?{query}" if query else "")


def statuses_on_page(response) -> dict[str, str]:
    data = response.context["data"]
    return {line.indicator.code: line.result.status.value for line in data.lines}


def test_anonymous_is_sent_to_login(client, world):
    response = client.get(city_url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_root_sends_staff_to_the_latest_years_dashboard(client_for, world):
    response = client_for("committee").get("/")
    assert response["Location"] == reverse("evaluation:city", args=[YEAR])


def test_root_sends_visitors_to_the_public_catalogue(client, world):
    assert client.get("/")["Location"] == reverse("criteria:catalogue")


def test_dashboard_shows_verdict_and_met_count(client_for, world):
    entry(world, "1.1.1", yes=True)
    entry(world, "1.1.2", numerator=55, denominator=80)
    html = client_for("committee").get(city_url()).content.decode()
    assert "Không đạt" in html
    assert "1/5 chỉ báo đạt" in html
    assert "55/80 = 68,75 % &lt; 70 % — Không đạt" in html
    assert "Còn thiếu 1,25 điểm %" in html


def test_status_has_words_not_only_colour(client_for, world):
    entry(world, "1.1.1", yes=True)
    html = client_for("committee").get(city_url()).content.decode()
    assert '<span class="badge text-bg-success">Đạt</span>' in html
    assert '<span class="badge text-bg-secondary">Chưa có số liệu</span>' in html


def test_dashboard_equals_the_evaluate_command(client_for, world):
    entry(world, "1.1.1", yes=True)
    entry(world, "1.1.2", numerator=56, denominator=80)
    entry(world, "2.1.1", value=Decimal("1.8"), previous=Decimal("3.3"))
    entry(world, "2.1.3", value=Decimal("0.06"), status="submitted")
    out = StringIO()
    call_command("evaluate", "--year", str(YEAR), "--format", "json", stdout=out)
    command = json.loads(out.getvalue())
    response = client_for("committee").get(city_url())
    assert response.context["data"].evaluation.verdict.value == command["verdict"]
    assert statuses_on_page(response) == {i["code"]: i["status"] for i in command["indicators"]}


def test_provisional_differs_from_official_exactly_by_the_submitted_values(client_for, world):
    entry(world, "1.1.1", yes=True)
    entry(world, "1.1.2", numerator=56, denominator=80, status="submitted")
    entry(world, "2.1.3", value=Decimal("0.01"), status="draft")
    client = client_for("committee")
    official = statuses_on_page(client.get(city_url()))
    provisional = statuses_on_page(client.get(city_url(basis="provisional")))
    changed = {code for code in official if official[code] != provisional[code]}
    assert changed == {"1.1.2"}
    assert provisional["1.1.2"] == "met"


def test_a_submitted_value_is_marked_not_counted_until_approved(client_for, world):
    entry(world, "1.1.2", numerator=56, denominator=80, status="submitted")
    html = client_for("committee").get(city_url()).content.decode()
    assert "chưa tính đến khi được duyệt" in html


def test_only_problems_filter_hides_met_indicators(client_for, world):
    entry(world, "1.1.1", yes=True)
    response = client_for("committee").get(city_url(problems=1))
    html = response.content.decode()
    assert 'id="indicator-1.1.1"' not in html
    assert 'id="indicator-1.1.2"' in html


def criterion_2_1_comfortably_met(world):
    entry(world, "2.1.1", value=Decimal("0.5"), previous=Decimal("3.3"))
    entry(world, "2.1.2", value=Decimal(300000), previous=Decimal(245000))
    entry(world, "2.1.3", value=Decimal("0.01"))


def test_only_problems_hides_the_criteria_and_standards_without_one(client_for, world):
    """Issue 15.7: 1.1.2 has no data (criterion 1.1 stays); all of 2.1 is met (it goes)."""
    entry(world, "1.1.1", yes=True)
    criterion_2_1_comfortably_met(world)
    html = client_for("committee").get(city_url(problems=1)).content.decode()
    assert 'id="criterion-1.1"' in html
    assert 'id="indicator-1.1.2"' in html
    assert 'id="criterion-2.1"' not in html
    assert 'id="standard-2"' not in html
    assert 'id="no-problem"' not in html
    every = client_for("committee").get(city_url()).content.decode()
    assert 'id="criterion-2.1"' in every


def test_only_problems_says_so_when_there_is_none(client_for, world):
    entry(world, "1.1.1", yes=True)
    entry(world, "1.1.2", numerator=70, denominator=80)
    criterion_2_1_comfortably_met(world)
    html = client_for("committee").get(city_url(problems=1)).content.decode()
    assert 'id="no-problem"' in html
    assert 'id="standard-1"' not in html


def test_a_fragile_pass_is_flagged(client_for, world):
    entry(world, "1.1.2", numerator=57, denominator=80)  # 71,25 %: 1,25 points above
    html = client_for("committee").get(city_url()).content.decode()
    assert "Đạt sát yêu cầu" in html


def test_lead_department_is_shown(client_for, world):
    html = client_for("committee").get(city_url()).content.decode()
    assert "Phòng VP" in html


@pytest.mark.parametrize("persona", ["division", "other_division", "district_a", "committee"])
def test_staff_read_the_dashboard(client_for, persona):
    assert client_for(persona).get(city_url()).status_code == 200


def test_division_sees_the_dashboard_read_only(client_for, world):
    html = client_for("division").get(city_url()).content.decode()
    assert "<form" not in html.split('id="main"')[1]
    assert reverse("evaluation:decision", args=[YEAR, "HP"]) not in html


def test_district_office_sees_its_own_district_not_another(client_for, world):
    client = client_for("district_a")
    assert client.get(reverse("evaluation:unit", args=[YEAR, "HP-A"])).status_code == 200
    assert client.get(reverse("evaluation:unit", args=[YEAR, "HP-B"])).status_code == 404


def test_a_user_without_department_gets_403(client, world, django_user_model):
    client.force_login(django_user_model.objects.create_user("lonely"))
    assert client.get(city_url()).status_code == 403


def test_an_absurd_year_is_404(client_for, world):
    assert client_for("committee").get(city_url(year=1900)).status_code == 404


def add_districts(world, count: int, prefix: str) -> None:
    """More districts, each with its office assigned to the district indicators and values."""
    indicators = [world.indicator("1.1.1"), world.indicator("2.1.3")]
    for n in range(count):
        unit = make_unit(f"HP-{prefix}{n}", "rural", parent=world.city)
        office = make_department(f"PGD-{prefix}{n}", Department.Kind.DISTRICT_OFFICE, unit=unit)
        for indicator in indicators:
            Assignment.objects.create(indicator=indicator, department=office, role="lead")
        Measurement.objects.create(
            indicator=indicators[1], unit=unit, year=YEAR, status="approved", value=Decimal("0.04")
        )


@pytest.mark.parametrize(
    "url_name",
    ["evaluation:city", "evaluation:districts", "evaluation:report", "evaluation:progress"],
)
def test_pages_cost_the_same_queries_for_15_and_150_districts(
    client_for, world, django_assert_num_queries, url_name
):
    client = client_for("committee")
    url = reverse(url_name, args=[YEAR])
    add_districts(world, 13, "S")
    client.get(url)  # warm caches (sessions, content types)
    with CaptureQueriesContext(connection) as fifteen:
        assert client.get(url).status_code == 200
    add_districts(world, 150 - Unit.objects.exclude(kind="city").count(), "L")
    with django_assert_num_queries(len(fifteen.captured_queries)):
        assert client.get(url).status_code == 200


def test_district_matrix_shows_each_district_and_indicator(client_for, world):
    entry(world, "2.1.3", unit=world.district_a, value=Decimal("0.04"))
    response = client_for("committee").get(reverse("evaluation:districts", args=[YEAR]))
    html = response.content.decode()
    assert 'id="district-HP-A"' in html
    assert 'id="district-HP-B"' in html
    matrix = response.context["matrix"]
    assert [i.code for i in matrix.indicators] == ["1.1.1", "2.1.3"]
    row_a = next(row for row in matrix.rows if row.unit.code == "HP-A")
    assert row_a.cells[1].result.status.value == "met"


def test_the_matrix_renders_each_distinct_cell_once_however_many_districts(client_for, world):
    """150 districts × 2 indicators are 300 cells; they show two statuses and two evidence
    states, so the cell is rendered a handful of times and each district's row repeats it."""
    add_districts(world, 148, "L")
    rendered = []

    def count(sender, template, context, **kwargs):
        if template.name == "evaluation/_matrix_cell.html":
            rendered.append(template.name)

    template_rendered.connect(count)
    try:
        response = client_for("committee").get(reverse("evaluation:districts", args=[YEAR]))
    finally:
        template_rendered.disconnect(count)
    html = response.content.decode()
    # Two looks in all: 1.1.1 without data everywhere, 2.1.3 met or without data; no evidence.
    assert len(rendered) == 2
    cells = html.split('id="district-HP-L147"')[1].split("</tr>")[0]
    assert cells.count('<td class="text-center small">') == 2
    assert "Đạt" in cells  # 2.1.3: 0,04 % below the 0,05 % threshold


def test_district_office_may_not_open_the_matrix(client_for, world):
    assert (
        client_for("district_a").get(reverse("evaluation:districts", args=[YEAR])).status_code
        == 403
    )


def test_progress_shows_departments_and_overdue_tasks(client_for, world):
    PlanTask.objects.create(number=3, content="Hội nghị triển khai", due_date=date(2022, 3, 31))
    PlanTask.objects.create(
        number=4,
        content="Họp Ban chỉ đạo",
        due_date=date(2022, 12, 31),
        completed_on=date(2022, 12, 20),
    )
    entry(world, "1.1.2", numerator=1, denominator=2, status="submitted")
    response = client_for("committee").get(reverse("evaluation:progress", args=[YEAR]))
    html = response.content.decode()
    assert 'id="task-3" class="table-danger"' not in html  # rows carry the class before the id
    assert '<tr class="table-danger" id="task-3">' in html
    assert '<tr id="task-4">' in html
    vp = next(r for r in response.context["departments"] if r.department.code == "VP")
    assert [i.code for i in vp.submitted] == ["1.1.2"]


def test_year_over_year_shows_both_years_and_a_chart(client_for, world):
    last_year = EvaluationYear.objects.create(year=YEAR - 1, state="open")
    entry(world, "2.1.2", year=YEAR - 1, value=Decimal(245000), previous=Decimal(200000))
    last_year.state = "locked"
    last_year.save()
    entry(world, "2.1.2", value=Decimal(277000))
    html = (
        client_for("committee")
        .get(reverse("evaluation:trends", args=[YEAR, "HP"]))
        .content.decode()
    )
    assert 'id="trend-2.1.2"' in html
    assert "245.000" in html
    assert "277.000" in html
    assert "<polyline" in html


def test_indicator_codes_of_the_dashboard_are_the_catalogues(client_for, world):
    response = client_for("committee").get(city_url())
    codes = [line.indicator.code for line in response.context["data"].lines]
    assert codes == list(Indicator.objects.order_by("code").values_list("code", flat=True))


def test_a_trend_never_rounds_a_passing_rate_up_to_its_ceiling(client_for, world):
    last_year = EvaluationYear.objects.create(year=YEAR - 1, state="open")
    entry(world, "2.1.3", year=YEAR - 1, numerator=120, denominator=205000)
    entry(world, "2.1.3", numerator=95, denominator=210000)  # 0,04523… %, below 0,05 %
    last_year.state = "locked"
    last_year.save()
    response = client_for("committee").get(reverse("evaluation:trends", args=[YEAR, "HP"]))
    line = next(line for line in response.context["lines"] if line.indicator.code == "2.1.3")
    assert line.this_year == Decimal("0.045")
    assert "0,045 %" in response.content.decode()


def test_progress_counts_a_district_office_in_the_districts_own_set(client_for, world):
    district_set = make_criteria_set("quan-huyen", level="district")
    criterion = make_criterion(make_standard(district_set, "1"), "1.1")
    own = make_indicator(criterion, "1.1.1", kind="document", threshold=None)
    Assignment.objects.create(indicator=own, department=world.office_a, role="lead")
    Measurement.objects.create(
        indicator=own, unit=world.district_a, year=YEAR, status="approved", yes=True
    )
    response = client_for("committee").get(reverse("evaluation:progress", args=[YEAR]))
    office = next(r for r in response.context["departments"] if r.department.code == "PGD-A")
    assert [i.pk for i in office.approved] == [own.pk]
    assert office.total == 1


def test_root_sends_a_department_member_to_their_work(client_for, world):
    assert client_for("division").get("/")["Location"] == reverse("measurements:my_work")


def test_root_sends_the_committee_to_the_latest_year(client_for, world):
    assert client_for("committee").get("/")["Location"] == reverse("evaluation:city", args=[YEAR])


@pytest.mark.parametrize(
    ("group", "landing"),
    [(None, "criteria:catalogue"), (ADMINISTRATORS_GROUP, "administration:index")],
)
def test_an_account_in_no_department_lands_where_it_may_read(client, world, group, landing):
    """An account in no department (an administrator who is not a superuser, or one not yet
    given a department): `/` and every link of its menu open, none answers «not a member of any
    department»."""
    client.force_login(_user("khong.phong", group=group))
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == reverse(landing)
    html = response.content.decode()
    menu = html[html.index('<ul class="navbar-nav') : html.index("</ul>", html.index("navbar-nav"))]
    assert reverse("measurements:my_work") not in menu
    assert reverse("evidence:evidence_home") not in menu
    for href in re.findall(r'href="(/[^"]*)"', menu):
        assert client.get(href).status_code == 200, href


def test_the_dashboard_index_opens_the_latest_year(client_for, world):
    response = client_for("division").get(reverse("evaluation:index"))
    assert response["Location"] == reverse("evaluation:city", args=[YEAR])


def test_the_dashboard_index_opens_a_district_offices_own_district(client_for, world):
    response = client_for("district_a").get(reverse("evaluation:index"), follow=True)
    assert response.redirect_chain == [(reverse("evaluation:unit", args=[YEAR, "HP-A"]), 302)]
    assert response.status_code == 200
    assert response.context["unit"] == world.district_a
    assert "Kết quả đánh giá Đơn vị HP-A, năm 2022" in response.content.decode()


@pytest.mark.parametrize(("persona", "linked"), [("district_a", False), ("committee", True)])
def test_the_city_page_links_to_the_district_matrix_for_those_who_open_it(
    client_for, world, persona, linked
):
    """1.1.2 counted from the districts' recognitions: «the list behind it» is the matrix, which
    a district office may not open (403), so its page shows no link there."""
    Indicator.objects.filter(pk=world.indicator("1.1.2").pk).update(list_source="district_verdicts")
    html = client_for(persona).get(city_url()).content.decode()
    assert ("Danh sách chi tiết" in html) is linked
    assert (reverse("evaluation:districts", args=[YEAR]) in html) is linked


# --- The list behind a share ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "unit", "with_entry", "page"),
    [
        ("district_verdicts", "city", False, "districts"),
        ("district_verdicts", "district_a", True, ""),
        ("agency_scores", "city", True, "list"),
        ("district_flags", "district_a", True, "list"),
        ("agency_scores", "city", False, ""),
        ("", "city", True, ""),
    ],
)
def test_a_share_links_to_the_list_behind_it_where_there_is_one(
    client_for, world, source, unit, with_entry, page
):
    target = getattr(world, unit)
    if target.is_city:
        indicator = world.indicator("1.1.2")
    else:  # a district's page scores it against a district set of its own
        district_set = make_criteria_set("quan-huyen", level="district")
        indicator = make_indicator(make_criterion(make_standard(district_set)), "1.1.2")
    Indicator.objects.filter(pk=indicator.pk).update(list_source=source)
    if with_entry:
        Measurement.objects.create(
            indicator=indicator,
            unit=target,
            year=YEAR,
            status="approved",
            numerator=1,
            denominator=2,
        )
    url = reverse("evaluation:unit", args=[YEAR, target.code])
    response = client_for("standing_office").get(url)
    line = next(line for line in response.context["data"].lines if line.indicator.code == "1.1.2")
    assert line.list_page == page
    assert ("Danh sách chi tiết" in response.content.decode()) == bool(page)


def test_an_english_dashboard_marks_the_vietnamese_names_and_a_vietnamese_one_does_not(
    client_for, world
):
    client = client_for("committee")
    english = client.get(city_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    vietnamese = client.get(city_url(), HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert 'Evaluation of <span lang="vi">Đơn vị HP</span>, 2022' in english
    # a department's name is data; the district offices' collapsed entry is interface text
    assert '<span lang="vi">Phòng GDTX</span>; District education offices (2)' in english
    assert "Đơn vị HP" in vietnamese
    assert '<span lang="vi">' not in vietnamese
