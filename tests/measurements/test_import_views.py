"""The web pages of the Excel exchange: download the template, upload, preview, confirm."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from measurements.forms import WorkbookUploadForm
from measurements.models import Measurement
from tests.common.test_forms import CHOOSE_AGAIN_VI
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


@pytest.mark.parametrize(
    ("persona", "unit", "codes"),
    [
        ("standing_office", "HP", ["1.1.1", "1.1.2", "2.1.1", "2.1.2", "2.1.3"]),
        ("division", "HP", ["1.1.2"]),  # its own indicator only (issue 15.7)
        ("district_a", "HP-A", ["1.1.1", "2.1.3"]),
        ("committee", "HP", []),  # enters nothing: the page offers it no template
    ],
)
def test_the_template_holds_one_row_per_indicator_the_person_enters(
    client_for, world, persona, unit, codes
):
    response = client_for(persona).get(reverse("measurements:workbook_export", args=[YEAR, unit]))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    sheet = load_workbook(BytesIO(response.content))["Số liệu"]
    assert [row[2] for row in sheet.iter_rows(min_row=3, values_only=True) if row[2]] == codes


def test_one_who_enters_none_of_a_units_values_is_offered_no_template(client_for, world):
    html = (
        client_for("committee")
        .get(reverse("measurements:unit_values", args=[YEAR, "HP"]))
        .content.decode()
    )
    assert reverse("measurements:workbook_export", args=[YEAR, "HP"]) not in html


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


def test_the_preview_shows_old_to_new_and_the_status_each_row_gets(client_for, world):
    """Issue 15.7: an approved 50/80 typed over with 56 goes back to review; a new 2.1.3 is
    submitted; an untouched row changes nothing."""
    entry(world, "1.1.2", status="approved", numerator=50, denominator=80)
    client = client_for("standing_office")
    content = filled(exported(world), {"1.1.2": {"Tử số": 56}, "2.1.3": {"Giá trị": "0,04"}})
    response = upload(client, content)
    rows = {row.indicator.code: row for row in response.context["plan"].rows}
    assert [str(change) for change in rows["1.1.2"].changes] == ["Tử số: 50 → 56"]
    assert (rows["1.1.2"].status_before, rows["1.1.2"].status_after) == ("approved", "submitted")
    assert [str(change) for change in rows["2.1.3"].changes] == ["Giá trị: — → 0,04"]
    assert (rows["2.1.3"].status_before, rows["2.1.3"].status_after) == ("", "submitted")
    html = response.content.decode()
    updated = html[html.index(f'id="import-row-{rows["1.1.2"].number}"') :].split("</tr>")[0]
    assert "<li>Tử số: 50 → 56</li>" in updated
    assert 'text-bg-success">Đã duyệt</span>\n → <span class="badge text-bg-info">Đã gửi' in updated
    created = html[html.index(f'id="import-row-{rows["2.1.3"].number}"') :].split("</tr>")[0]
    assert "<li>Giá trị: — → 0,04</li>" in created
    assert 'Chưa nhập</span>\n → <span class="badge text-bg-info">Đã gửi' in created


def test_the_preview_of_a_row_that_writes_nothing_keeps_its_status(client_for, world):
    entry(world, "1.1.2", status="approved", numerator=50, denominator=80)
    response = upload(client_for("division"), exported(world))
    [row] = [r for r in response.context["plan"].rows if r.indicator.code == "1.1.2"]
    assert (row.action, row.changes, row.status_after) == ("unchanged", [], "approved")


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


def test_a_workbook_refused_by_the_form_asks_to_choose_the_file_again(
    client_for, world, monkeypatch
):
    """Issue 15.7: a browser never fills a file input back in."""
    monkeypatch.setattr(WorkbookUploadForm, "MAX_BYTES", 100)
    response = upload(client_for("division"), exported(world))
    assert response.context["form"].has_error("file", "too_large")
    assert response.context["form"].has_error("file", "choose_again")
    assert CHOOSE_AGAIN_VI in response.content.decode()
