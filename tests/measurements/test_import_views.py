"""The web pages of the Excel exchange: download the template, upload, preview, confirm."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from measurements.models import Measurement
from tests.conftest import YEAR
from tests.measurements.test_imports import entry, exported, filled, snapshot

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(client, content: bytes, name: str = "so-lieu.xlsx"):
    return client.post(
        reverse("measurements:import"), {"file": SimpleUploadedFile(name, content, XLSX)}
    )


def confirm(client, **data):
    return client.post(reverse("measurements:import_confirm"), data)


def test_template_download_has_one_row_per_indicator(client_for, world):
    response = client_for("division").get(
        reverse("measurements:workbook_export", args=[YEAR, "HP"])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    sheet = load_workbook(BytesIO(response.content))["Số liệu"]
    codes = [row[2] for row in sheet.iter_rows(min_row=3, values_only=True) if row[2]]
    assert codes == ["1.1.1", "1.1.2", "2.1.1", "2.1.2", "2.1.3"]


def test_another_districts_template_is_404(client_for, world):
    url = reverse("measurements:workbook_export", args=[YEAR, "HP-B"])
    assert client_for("district_a").get(url).status_code == 404


def test_upload_previews_and_writes_nothing(client_for, world):
    client = client_for("division")
    content = filled(exported(world), {"1.1.2": {"Tử số": 56, "Mẫu số": 80}})
    response = upload(client, content)
    assert response.status_code == 200
    assert 'id="import-preview"' in response.content.decode()
    assert not Measurement.objects.exists()


def test_confirm_writes_the_previewed_values_as_submitted(client_for, world, personas):
    client = client_for("division")
    upload(client, filled(exported(world), {"1.1.2": {"Tử số": 56, "Mẫu số": 80}}))
    response = confirm(client)
    assert response.status_code == 302
    measurement = Measurement.objects.get()
    assert (measurement.numerator, measurement.denominator) == (56, 80)
    assert measurement.status == Measurement.Status.SUBMITTED
    assert measurement.updated_by == personas["division"]


def test_standing_office_may_approve_on_import(client_for, world):
    client = client_for("standing_office")
    upload(client, filled(exported(world), {"1.1.2": {"Tử số": 75, "Mẫu số": 100}}))
    confirm(client, approve="on")
    assert Measurement.objects.get().status == Measurement.Status.APPROVED


def test_a_yes_without_evidence_is_not_approved_on_import(client_for, world):
    client = client_for("standing_office")
    upload(client, filled(exported(world), {"1.1.1": {"Có/Không": "Có"}}))
    response = client.post(reverse("measurements:import_confirm"), {"approve": "on"}, follow=True)
    assert "Chỉ báo 1.1.1 của Đơn vị HP ghi «Có»" in response.content.decode()
    assert not Measurement.objects.exists()


def test_bad_rows_are_listed_with_row_numbers_and_nothing_written(client_for, world):
    client = client_for("division")
    content = filled(exported(world), {"1.1.2": {"Tử số": 90, "Mẫu số": 80}})
    response = upload(client, content)
    html = response.content.decode()
    assert 'id="import-errors"' in html
    assert "Tệp chưa được nhập. Hãy sửa các dòng sau rồi tải lên lại:" in html
    assert "Dòng 4, chỉ báo 1.1.2" in html
    assert confirm(client).status_code == 302
    assert not Measurement.objects.exists()


def test_rejected_rows_take_the_focus_and_the_title_says_error(client_for, world):
    """Issue 19.4: after a refused import the list of rows to correct takes the focus."""
    client = client_for("division")
    html = upload(client, filled(exported(world), {"1.1.2": {"Tử số": 90, "Mẫu số": 80}}))
    html = html.content.decode()
    assert "<title>Lỗi: " in html
    errors = html[html.index('id="import-errors"') - 100 : html.index('id="import-errors"') + 100]
    assert 'tabindex="-1" data-focus-on-load' in errors
    assert not Measurement.objects.exists()


def test_a_preview_without_errors_is_not_titled_error(client_for, world):
    client = client_for("division")
    html = upload(client, filled(exported(world), {"1.1.2": {"Tử số": 56, "Mẫu số": 80}}))
    assert "<title>Lỗi" not in html.content.decode()
    assert "data-focus-on-load" not in html.content.decode()


def test_a_unit_the_user_may_not_write_is_refused(client_for, world):
    client = client_for("division")
    response = upload(client, filled(exported(world), {"2.1.1": {"Giá trị": "1,8"}}))
    assert "Dòng 5, chỉ báo 2.1.1" in response.content.decode()
    assert confirm(client).status_code == 302
    assert not Measurement.objects.exists()


def test_a_file_that_is_not_a_workbook_is_refused_clearly(client_for, world):
    response = upload(client_for("division"), b"MZ\x90\x00 not a workbook", "virus.xlsx")
    assert 'id="import-errors"' in response.content.decode()
    assert not Measurement.objects.exists()


def test_a_change_between_preview_and_confirm_is_refused(client_for, world):
    client = client_for("division")
    stored = entry(world, "1.1.2", numerator=1, denominator=2)
    upload(client, filled(exported(world), {"1.1.2": {"Tử số": 56, "Mẫu số": 80}}))
    Measurement.objects.filter(pk=stored.pk).update(numerator=2, version=5)
    before = snapshot()
    response = confirm(client)
    assert response.status_code == 302
    assert snapshot() == before


def test_confirm_without_a_preview_writes_nothing(client_for, world):
    response = confirm(client_for("division"))
    assert response["Location"] == reverse("measurements:import")
    assert not Measurement.objects.exists()


def test_anonymous_is_sent_to_login(client, world):
    assert client.get(reverse("measurements:import")).status_code == 302
