"""End to end: an exported workbook, filled and imported with --approve, is what `evaluate` sees;
a district is evaluated against its own criteria set."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from openpyxl import load_workbook

from assignments.models import Department, Membership, Unit
from assignments.permissions import STANDING_OFFICE_GROUP
from criteria.importing import criteria_set_import, criteria_set_plan_from_bytes
from criteria.selectors import criteria_set_for
from evaluation.dashboard import baseline

pytestmark = pytest.mark.django_db
DISTRICT_SET = (
    Path(settings.BASE_DIR) / "fixtures/criteria/bo-tieu-chi-quan-huyen-mau-minh-hoa.xlsx"
)


@pytest.fixture
def standing_office(db):
    call_command("loaddata", "haiphong_2022", verbosity=0)
    user = User.objects.create_user("thuongtruc")
    user.groups.add(Group.objects.get(name=STANDING_OFFICE_GROUP))
    Membership.objects.create(user=user, department=Department.objects.get(code="GDTX-CN-DH"))
    return user


def evaluate_json(*args: str) -> dict:
    out = StringIO()
    call_command("evaluate", "--year", "2022", "--format", "json", *args, stdout=out)
    return json.loads(out.getvalue())


def test_an_imported_and_approved_workbook_is_what_evaluate_sees(standing_office, tmp_path):
    exported = tmp_path / "so-lieu.xlsx"
    call_command(
        "export_workbook", str(exported), "--year", "2022", "--unit", "HP", stdout=StringIO()
    )
    book = load_workbook(exported)
    sheet = book["Số liệu"]
    header = [cell.value for cell in sheet[2]]
    for row in sheet.iter_rows(min_row=3):
        if row[header.index("Mã chỉ báo")].value == "3.1.4":
            row[header.index("Giá trị")].value = "66,5"
    filled = tmp_path / "da-dien.xlsx"
    book.save(filled)
    before = next(i for i in evaluate_json()["indicators"] if i["code"] == "3.1.4")
    assert before["status"] == "no_data"
    call_command(
        "import_workbook", str(filled), "--user", "thuongtruc", "--approve", stdout=StringIO()
    )
    row = next(i for i in evaluate_json()["indicators"] if i["code"] == "3.1.4")
    assert (row["status"], row["value"]) == ("met", "66.5")


def test_a_district_is_evaluated_against_its_own_set(standing_office):
    district_set = criteria_set_import(plan=criteria_set_plan_from_bytes(DISTRICT_SET.read_bytes()))
    hong_bang = Unit.objects.get(code="HP-HB")
    assert criteria_set_for(hong_bang.level, 2022) == district_set
    document = evaluate_json("--unit", "HP-HB")
    codes = [i["code"] for i in document["indicators"]]
    assert document["unit"] == "HP-HB"
    assert len(codes) == district_set_indicator_count(district_set)
    assert baseline(district_set, hong_bang, 2022).evaluation.verdict.value == document["verdict"]


def district_set_indicator_count(criteria_set) -> int:
    return sum(c.indicators.count() for s in criteria_set.standards.all() for c in s.criteria.all())
