"""The standing office's units page: every unit with its years and successors, one year's
units, the list as Excel and back, one unit corrected — each change in the administration log."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from assignments.models import AuditEntry, Unit
from assignments.units import COLUMNS, read_units
from criteria.models import EvaluationYear
from measurements.models import Measurement

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def merged(world):
    """The world's HP-A ended with 2024 and became the ward P-AH from 2025."""
    for year in (2024, 2025):
        EvaluationYear.objects.get_or_create(year=year)
    Unit.objects.filter(pk=world.district_a.pk).update(valid_to=2024)
    ward = Unit.objects.create(
        code="P-AH", name="Phường An Hải", kind="ward", parent=world.city, valid_from=2025
    )
    Unit.objects.get(pk=world.district_a.pk).successors.add(ward)
    return ward


@pytest.mark.parametrize("persona", ["standing_office", "administrator"])
def test_the_units_page_shows_each_units_years_and_what_it_became(client_for, merged, persona):
    page = client_for(persona).get(reverse("administration:units")).content.decode()
    row = page[page.index('id="unit-HP-A"') : page.index("</tr>", page.index('id="unit-HP-A"'))]
    assert "…–2024" in row
    assert "Phường An Hải" in row
    ward = page[page.index('id="unit-P-AH"') : page.index("</tr>", page.index('id="unit-P-AH"'))]
    assert "2025–" in ward
    assert "Phường" in ward


def test_one_years_units_are_those_that_existed_then(client_for, merged):
    client = client_for("standing_office")
    page = client.get(reverse("administration:units") + "?year=2025").content.decode()
    assert 'id="unit-P-AH"' in page
    assert 'id="unit-HP-B"' in page
    assert 'id="unit-HP-A"' not in page
    page = client.get(reverse("administration:units") + "?year=2024").content.decode()
    assert 'id="unit-HP-A"' in page
    assert 'id="unit-P-AH"' not in page


@pytest.mark.parametrize("persona", ["division", "district_a", "committee"])
def test_no_one_else_opens_or_changes_the_units(client_for, merged, persona):
    client = client_for(persona)
    for url in (
        reverse("administration:units"),
        reverse("administration:units_workbook"),
        reverse("administration:unit", args=["P-AH"]),
    ):
        response = client.get(url)
        assert response.status_code == 403
        assert "Phường An Hải" not in response.content.decode()
    client.post(reverse("administration:unit", args=["P-AH"]), {"name": "Đổi tên"})
    assert Unit.objects.get(code="P-AH").name == "Phường An Hải"


def test_the_list_downloads_and_uploads_back_unchanged(client_for, merged):
    client = client_for("standing_office")
    response = client.get(reverse("administration:units_workbook"))
    assert response["Content-Type"] == XLSX
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == COLUMNS
    assert ("HP-A", "Đơn vị HP-A", "quận", "HP", None, 2024, "P-AH", 0) in rows
    assert ("P-AH", "Phường An Hải", "phường", "HP", 2025, None, None, 0) in rows
    assert len(read_units(response.content).rows) == 4
    upload = SimpleUploadedFile("don-vi.xlsx", response.content, content_type=XLSX)
    response = client.post(reverse("administration:units"), {"file": upload}, follow=True)
    assert "4 đơn vị, 0 thay đổi" in response.content.decode()
    assert not AuditEntry.objects.exists()


def test_a_wrong_list_writes_nothing_and_lists_its_rows(client_for, merged):
    client = client_for("standing_office")
    content = client.get(reverse("administration:units_workbook")).content
    book = load_workbook(BytesIO(content))
    sheet = book.active
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == "P-AH":
            row[4].value = 2026  # no longer the year after HP-A's last
    out = BytesIO()
    book.save(out)
    upload = SimpleUploadedFile("don-vi.xlsx", out.getvalue(), content_type=XLSX)
    page = client.post(reverse("administration:units"), {"file": upload}).content.decode()
    assert "Chưa ghi đơn vị nào" in page
    assert "P-AH phải có từ năm 2025, năm sau năm cuối của HP-A" in page
    assert Unit.objects.get(code="P-AH").valid_from == 2025
    assert not AuditEntry.objects.exists()


def test_one_unit_is_corrected_and_the_change_logged(client_for, world, merged):
    client = client_for("standing_office")
    page = client.get(reverse("administration:unit", args=["P-AH"])).content.decode()
    assert "Đơn vị HP-A" in page  # what it succeeds
    response = client.post(
        reverse("administration:unit", args=["P-AH"]),
        {
            "name": "Phường An Hải mới",
            "kind": "ward",
            "parent": world.city.pk,
            "valid_from": 2025,
            "valid_to": "",
            "position": 7,
        },
    )
    assert response["Location"] == reverse("administration:units")
    ward = Unit.objects.get(code="P-AH")
    assert (ward.name, ward.position) == ("Phường An Hải mới", 7)
    entry = AuditEntry.objects.get()
    assert entry.action == "units_changed"
    assert {(change["field"], change["old"], change["new"]) for change in entry.changes} == {
        ("P-AH — name", "Phường An Hải", "Phường An Hải mới"),
        ("P-AH — position", 0, 7),
    }


def test_a_correction_that_breaks_a_succession_is_refused_with_a_reason(client_for, world, merged):
    client = client_for("standing_office")
    response = client.post(
        reverse("administration:unit", args=["P-AH"]),
        {
            "name": "Phường An Hải",
            "kind": "ward",
            "parent": world.city.pk,
            "valid_from": 2026,
            "position": 0,
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "P-AH kế tiếp HP-A, đơn vị chỉ có đến năm 2024: phải có từ năm 2025" in page
    assert "Dòng" not in page
    assert Unit.objects.get(code="P-AH").valid_from == 2025


def test_a_correction_cannot_leave_out_a_year_of_the_units_data(client_for, world, merged):
    Measurement.objects.create(
        indicator=world.indicator("2.1.3"), unit=world.district_b, year=2024, value=1
    )
    client = client_for("standing_office")
    response = client.post(
        reverse("administration:unit", args=["HP-B"]),
        {
            "name": "Đơn vị HP-B",
            "kind": "rural",
            "parent": world.city.pk,
            "valid_to": 2023,
            "position": 0,
        },
    )
    assert "HP-B có số liệu từ năm 2024 đến năm 2024" in response.content.decode()
    assert Unit.objects.get(code="HP-B").valid_to is None
