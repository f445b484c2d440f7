"""Commune offices (issue 17): created in bulk from Excel, each bound to its commune and leading
every indicator of the commune sets; their people enter their own commune's values only."""

from io import BytesIO, StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook

from assignments.models import Assignment, Department, Membership, Unit
from assignments.offices import SHEET
from assignments.permissions import actor_for, can_see_unit, can_write_value
from criteria.models import EvaluationYear
from tests.conftest import _user
from tests.factories import make_criteria_set, make_criterion, make_indicator, make_standard

pytestmark = pytest.mark.django_db


@pytest.fixture
def communes(world):
    """Two wards of 2026 and a commune set of two indicators."""
    EvaluationYear.objects.create(year=2026)
    for code, name in (("P-AH", "Phường An Hải"), ("P-HB", "Phường Hồng Bàng")):
        Unit.objects.create(code=code, name=name, kind="ward", parent=world.city, valid_from=2026)
    criteria_set = make_criteria_set("xa-2026", level="commune", first_year=2026)
    criterion = make_criterion(make_standard(criteria_set, "1"), "1.1")
    return [
        make_indicator(criterion, "1.1.1", kind="document", threshold=None),
        make_indicator(criterion, "1.1.2", kind="share_at_least", threshold="60"),
    ]


def offices_file(tmp_path: Path, *rows: tuple) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append(("Mã phòng", "Tên phòng", "Mã xã/phường"))
    for row in rows:
        sheet.append(row)
    out = BytesIO()
    book.save(out)
    path = tmp_path / "phong.xlsx"
    path.write_bytes(out.getvalue())
    return path


def test_offices_are_created_each_leading_the_commune_sets_indicators(tmp_path, communes):
    path = offices_file(
        tmp_path,
        ("VHXH-AH", "Phòng Văn hóa - Xã hội phường An Hải", "P-AH"),
        ("VHXH-HB", "Phòng Văn hóa - Xã hội phường Hồng Bàng", "p-hb"),
    )
    out = StringIO()
    call_command("import_offices", str(path), stdout=out)
    assert out.getvalue() == "Đã tạo 2 phòng phụ trách xã/phường.\n"
    office = Department.objects.get(code="VHXH-AH")
    assert (office.kind, office.unit.code) == ("commune_office", "P-AH")
    assert sorted(
        Assignment.objects.filter(department=office).values_list("indicator__code", "role")
    ) == [("1.1.1", "lead"), ("1.1.2", "lead")]


def test_a_wrong_list_names_each_row_and_creates_nothing(tmp_path, communes, world):
    path = offices_file(
        tmp_path,
        ("VHXH-AH", "Phòng An Hải", "P-AH"),  # row 2: right
        ("VHXH-2", "Phòng Hai", "P-AH"),  # row 3: P-AH twice
        ("GDTX", "Phòng trùng mã", "P-HB"),  # row 4: a code the Sở's division has
        ("VHXH-4", None, "HP-A"),  # row 5: no name; a district, not a commune
        ("VHXH-5", "Phòng Năm", "X-9"),  # row 6: no such unit
    )
    with pytest.raises(CommandError) as raised:
        call_command("import_offices", str(path), stdout=StringIO())
    message = str(raised.value)
    for line in (
        "Dòng 3: Phường An Hải đã có phòng phụ trách.",
        "Dòng 4: mã GDTX đã có.",
        "Dòng 5: thiếu tên.",
        "Dòng 5: Đơn vị HP-A không phải là xã, phường hay đặc khu.",
        "Dòng 6: không có đơn vị nào mã «X-9».",
    ):
        assert line in message
    assert message.startswith("Tệp có 5 lỗi, chưa ghi gì:")
    assert not Department.objects.filter(kind="commune_office").exists()


def test_an_offices_people_enter_their_own_communes_values_only(tmp_path, communes):
    call_command(
        "import_offices",
        str(offices_file(tmp_path, ("VHXH-AH", "Phòng Văn hóa - Xã hội phường An Hải", "P-AH"))),
        stdout=StringIO(),
    )
    person = _user("vhxh.anhai", Department.objects.get(code="VHXH-AH"))
    actor = actor_for(person)
    own, other = Unit.objects.get(code="P-AH"), Unit.objects.get(code="P-HB")
    assert actor.is_unit_office
    assert actor.office_unit_id == own.pk
    assert can_write_value(actor, communes[0].pk, own)
    assert not can_write_value(actor, communes[0].pk, other)
    assert can_see_unit(actor, own)
    assert not can_see_unit(actor, other)
    assert Membership.objects.get(user=person).department.unit == own


def test_an_offices_page_of_another_commune_is_not_found(client, tmp_path, communes):
    call_command(
        "import_offices",
        str(offices_file(tmp_path, ("VHXH-AH", "Phòng Văn hóa - Xã hội phường An Hải", "P-AH"))),
        stdout=StringIO(),
    )
    client.force_login(_user("vhxh.anhai", Department.objects.get(code="VHXH-AH")))
    assert client.get("/data/2026/P-AH/").status_code == 200
    response = client.get("/data/2026/P-HB/")
    assert response.status_code == 404
    assert "Phường Hồng Bàng" not in response.content.decode()
    page = client.get("/my-work/").content.decode()
    assert "Phường An Hải" in page
    assert "/data/2026/P-AH/" in page


def test_the_standing_office_downloads_the_list_and_uploads_it_back(client_for, communes):
    client = client_for("standing_office")
    template = client.get("/administration/units/offices.xlsx")
    rows = list(load_workbook(BytesIO(template.content)).active.iter_rows(values_only=True))
    assert rows == [
        ("Mã phòng", "Tên phòng", "Mã xã/phường"),
        ("VHXH-P-AH", "Phòng Văn hóa - Xã hội Phường An Hải", "P-AH"),
        ("VHXH-P-HB", "Phòng Văn hóa - Xã hội Phường Hồng Bàng", "P-HB"),
    ]
    upload = SimpleUploadedFile("phong.xlsx", template.content)
    response = client.post("/administration/units/offices/", {"offices-file": upload}, follow=True)
    assert "Đã tạo 2 phòng phụ trách xã/phường" in response.content.decode()
    assert Department.objects.filter(kind="commune_office").count() == 2
    again = client.get("/administration/units/offices.xlsx")
    assert len(list(load_workbook(BytesIO(again.content)).active.iter_rows())) == 1


def test_a_wrong_offices_list_on_the_page_says_why_and_creates_nothing(
    client_for, tmp_path, communes
):
    client = client_for("standing_office")
    path = offices_file(tmp_path, ("VHXH-1", "Phòng Một", "HP-A"))
    upload = SimpleUploadedFile("phong.xlsx", path.read_bytes())
    response = client.post("/administration/units/offices/", {"offices-file": upload}, follow=True)
    assert "Dòng 2: Đơn vị HP-A không phải là xã, phường hay đặc khu." in response.content.decode()
    assert not Department.objects.filter(kind="commune_office").exists()
