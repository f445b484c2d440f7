"""Who does what: the overview and a department's page."""

import pytest
from django.urls import reverse

from tests.factories import make_catalogue

pytestmark = pytest.mark.django_db


def test_overview_lists_the_six_plan_tasks_with_timeframes(client, haiphong):
    response = client.get(reverse("assignments:overview"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Tổ chức Hội nghị triển khai Kế hoạch" in html
    assert "Trong quý I năm 2022" in html
    assert "31/12/2022" in html
    assert "Nhiệm vụ kế hoạch" in html


def test_overview_lists_every_department(client, haiphong):
    html = client.get(reverse("assignments:overview")).content.decode()
    assert "Văn phòng Sở GD&amp;ĐT" in html
    assert "Phòng GD&amp;ĐT huyện Bạch Long Vĩ" in html


def test_overview_counts_each_department_share_once(client, haiphong):
    departments = {
        d.code: d for d in client.get(reverse("assignments:overview")).context["departments"]
    }
    standing_office = departments["GDTX-CN-DH"]
    assert (standing_office.lead_count, standing_office.coordinate_count) == (16, 3)
    assert standing_office.task_count == 6
    assert departments["VP"].lead_count == 3


def test_department_page_lists_its_indicators_and_tasks(client, haiphong):
    response = client.get(reverse("assignments:department", args=["VP"]))
    html = response.content.decode()
    assert response.status_code == 200
    for code in ["2.2.1", "2.2.2", "2.2.4", "3.2.2"]:
        assert f">{code}<" in html
    assert "Thực hiện công tác tuyên truyền trên Website Sở GD&amp;ĐT" in html


def test_district_office_page_names_its_district(client, haiphong):
    html = client.get(reverse("assignments:department", args=["PGD-HB"])).content.decode()
    assert "Quận Hồng Bàng" in html
    assert ">3.2.3<" in html


def test_unknown_department_is_404(client, haiphong):
    assert client.get(reverse("assignments:department", args=["NOPE"])).status_code == 404


@pytest.mark.parametrize("indicators_per_criterion", [1, 5])
def test_pages_cost_a_constant_number_of_queries(
    client, django_assert_max_num_queries, indicators_per_criterion
):
    criteria_set = make_catalogue(indicators_per_criterion)
    with django_assert_max_num_queries(5):
        assert client.get(reverse("assignments:overview")).status_code == 200
    with django_assert_max_num_queries(5):
        url = reverse("assignments:department", args=[f"DIV-{criteria_set.code}"])
        assert client.get(url).status_code == 200


def test_task_1s_two_lead_bodies_are_two_departments(client, haiphong):
    """The plan writes «Văn phòng Sở Công đoàn ngành GD» in one phrase: the Office of the
    Department and the education trade union, each its own department (issue 13.9)."""
    response = client.get(reverse("assignments:overview"))
    task = next(t for t in response.context["tasks"] if t.number == 1)
    assert [d.code for d in task.lead_departments] == ["VP", "CDN-GD"]
    html = response.content.decode()
    assert (
        f'href="{reverse("assignments:department", args=["CDN-GD"])}">Công đoàn ngành giáo dục'
        in html
    )
    assert "Văn phòng Sở Công đoàn ngành GD" not in html
