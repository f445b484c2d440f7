"""The list pages: an agency list uploaded from Excel, a yes/no per district."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assignments.permissions import actor_for
from criteria.models import ListSource
from measurements.imports import plan_import
from measurements.models import ListItem, Measurement
from tests.conftest import YEAR
from tests.measurements.test_imports import row
from tests.measurements.test_lists import workbook

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def agency_list(world):
    indicator = world.indicator("1.1.2")
    indicator.list_source = ListSource.AGENCY_SCORES
    indicator.list_label = "cơ quan, đơn vị xếp loại Khá trở lên"
    indicator.save()
    return reverse("measurements:share_list", args=[YEAR, "HP", "1.1.2"])


def upload(client, url, rows, version=""):
    content = workbook(rows)
    return client.post(
        url, {"file": SimpleUploadedFile("ds.xlsx", content, XLSX), "version": version}
    )


def test_division_uploads_the_agency_list(client_for, agency_list):
    client = client_for("division")
    rows = [("Sở A", 69.9), ("Sở B", 70), ("Sở C", "84,9"), ("Sở D", 85)]
    response = upload(client, agency_list, rows)
    assert response.status_code == 302
    entry = Measurement.objects.get()
    assert (entry.numerator, entry.denominator, entry.status) == (3, 4, "submitted")
    html = client.get(agency_list).content.decode()
    assert "3/4 cơ quan, đơn vị xếp loại Khá trở lên" in html


def test_a_bad_score_is_refused_and_nothing_written(client_for, agency_list):
    response = upload(client_for("division"), agency_list, [("Sở A", 80), ("Sở B", 120)])
    assert "Dòng 2: điểm phải là số từ 0 đến 100." in response.content.decode()
    assert not Measurement.objects.exists()
    assert not ListItem.objects.exists()


def test_a_file_that_is_not_a_workbook_is_said_at_the_file_field(client_for, agency_list):
    """Issue 19.4: the summary links to the file field, which is invalid and says why."""
    response = client_for("division").post(
        agency_list, {"file": SimpleUploadedFile("ds.xlsx", b"not a workbook", XLSX)}
    )
    html = response.content.decode()
    assert "<title>Lỗi: " in html
    summary = html[
        html.index('id="error-summary"') : html.index("</div>", html.index('id="error-summary"'))
    ]
    assert '<a href="#id_file">' in summary
    assert "không phải là tệp Excel .xlsx hợp lệ" in summary
    field = html[html.index('name="file"') : html.index('name="file"') + 300]
    assert 'aria-invalid="true" aria-describedby="id_file_error"' in field
    assert 'id="id_file_error">Tệp không phải là tệp Excel .xlsx hợp lệ.' in html
    assert not Measurement.objects.exists()
    assert not ListItem.objects.exists()


def test_an_unassigned_division_cannot_upload(client_for, agency_list):
    assert upload(client_for("other_division"), agency_list, [("Sở A", 80)]).status_code == 403
    assert not ListItem.objects.exists()


def test_the_entry_form_sends_to_the_list(client_for, agency_list):
    url = reverse("measurements:measurement", args=[YEAR, "HP", "1.1.2"])
    html = client_for("division").get(url).content.decode()
    assert 'id="from-list"' in html
    assert 'name="numerator"' not in html


def test_the_list_template_downloads(client_for, agency_list):
    upload(client_for("division"), agency_list, [("Sở A", 80)])
    url = reverse("measurements:share_list_workbook", args=[YEAR, "HP", "1.1.2"])
    response = client_for("division").get(url)
    assert response["Content-Type"] == XLSX


def test_district_flags_are_entered_per_district(client_for, world):
    indicator = world.indicator("1.1.2")
    indicator.list_source = ListSource.DISTRICT_FLAGS
    indicator.list_label = "quận/huyện được phủ sóng wifi miễn phí"
    indicator.save()
    url = reverse("measurements:share_list", args=[YEAR, "HP", "1.1.2"])
    data = {f"district-{world.district_a.pk}": "yes", f"district-{world.district_b.pk}": "no"}
    assert client_for("division").post(url, data).status_code == 302
    entry = Measurement.objects.get()
    assert (entry.numerator, entry.denominator) == (1, 2)
    assert list(ListItem.objects.values_list("flag", flat=True)) == [True, False]


def test_a_typed_indicator_has_no_list_page(client_for, world):
    url = reverse("measurements:share_list", args=[YEAR, "HP", "1.1.2"])
    assert client_for("division").get(url).status_code == 404


def test_scores_are_kept_exactly(client_for, agency_list):
    upload(client_for("division"), agency_list, [("Sở A", "69,95")])
    assert ListItem.objects.get().score == Decimal("69.95")


def test_typed_numbers_cannot_overwrite_a_share_counted_from_a_list(client_for, agency_list):
    client = client_for("division")
    upload(client, agency_list, [("Sở A", 80), ("Sở B", 60)])
    url = reverse("measurements:measurement", args=[YEAR, "HP", "1.1.2"])
    response = client.post(url, {"numerator": "2", "denominator": "2", "version": "1"})
    assert "được tính từ danh sách" in response.content.decode()
    assert (Measurement.objects.get().numerator, ListItem.objects.count()) == (1, 2)


def test_an_import_cannot_overwrite_a_share_counted_from_a_list(world, personas, agency_list):
    plan = plan_import(
        actor=actor_for(personas["division"]),
        rows=[row("1.1.2", **{"Tử số": 2, "Mẫu số": 2})],
    )
    assert plan.errors == [
        "Dòng 4, chỉ báo 1.1.2: tỷ lệ này được tính từ danh sách; hãy sửa danh sách trên cổng, "
        "không sửa tử số, mẫu số."
    ]


def test_no_list_form_stands_under_not_applicable(client_for, world, agency_list):
    Measurement.objects.create(
        indicator=world.indicator("1.1.2"),
        unit=world.city,
        year=YEAR,
        status="not_applicable",
        not_applicable_reason="Thành phố chưa có cơ quan xếp loại",
        version=1,
    )
    client = client_for("division")
    page = client.get(agency_list).content.decode()
    assert 'type="file"' not in page
    response = upload(client, agency_list, [("Sở A", 80)], version="1")
    assert response.status_code == 403
    assert Measurement.objects.get().status == "not_applicable"
    assert not ListItem.objects.exists()
