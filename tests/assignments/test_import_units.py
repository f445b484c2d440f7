"""`import_units FILE.xlsx`: units and their successions from Excel, all or nothing, each problem
with its row number; the shipped example on top of the 2022 catalogue."""

from io import BytesIO, StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from assignments.models import Unit
from assignments.selectors import subdivisions
from assignments.units import COLUMNS, SHEET
from criteria.models import EvaluationYear, Indicator
from measurements.models import Measurement
from tests.factories import make_catalogue

pytestmark = pytest.mark.django_db
EXAMPLE = Path(__file__).parents[2] / "fixtures" / "units" / "don-vi-2025-vi-du.xlsx"


def workbook(tmp_path: Path, *rows: tuple, header: tuple = COLUMNS) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = BytesIO()
    book.save(out)
    path = tmp_path / "don-vi.xlsx"
    path.write_bytes(out.getvalue())
    return path


def run(path: Path, *args: str) -> str:
    out = StringIO()
    call_command("import_units", str(path), *args, stdout=out)
    return out.getvalue()


def snapshot() -> list[tuple]:
    return sorted(
        (unit.code, unit.name, unit.kind, unit.parent_id, unit.valid_from, unit.valid_to)
        for unit in Unit.objects.all()
    )


def test_a_list_adds_units_with_their_years_parents_and_successors(tmp_path):
    path = workbook(
        tmp_path,
        ("HP", "Thành phố Hải Phòng", "Thành phố", None, None, None, None, 0),
        ("X-A", "Xã An Hưng", "Xã", "HP", None, 2025, "P-AH", 2),
        ("X-B", "Xã Đại Bản", "xã", "HP", None, 2025, "P-AH", 3),
        ("P-AH", "Phường An Hải", "Phường", "HP", 2026, None, None, 4),
        ("DK-CH", "Đặc khu Cát Hải", "Đặc khu", "HP", "2025", None, None, None),
    )
    assert run(path) == "Đã ghi 5 đơn vị (5 đơn vị mới, 0 sửa).\n"
    ward = Unit.objects.get(code="P-AH")
    assert (ward.kind, ward.parent.code) == ("ward", "HP")
    assert (ward.valid_from, ward.valid_to) == (2026, None)
    assert sorted(ward.predecessors.values_list("code", flat=True)) == ["X-A", "X-B"]
    assert Unit.objects.get(code="X-B").kind == "commune"
    assert Unit.objects.get(code="DK-CH").valid_from == 2025
    assert [unit.code for unit in subdivisions(2026, "commune")] == ["DK-CH", "P-AH"]


def test_a_known_code_is_corrected_and_a_dry_run_writes_nothing(tmp_path):
    city = Unit.objects.create(code="HP", name="TP Hải Phòng", kind="city")
    Unit.objects.create(code="HP-HB", name="Quận Hồng Bàng", kind="urban", parent=city)
    path = workbook(tmp_path, ("hp-hb", "Quận Hồng Bàng", "Quận", "HP", None, 2024, None, 1))
    before = snapshot()
    assert "Chạy thử" in run(path, "--dry-run")
    assert snapshot() == before
    assert run(path) == "Đã ghi 1 đơn vị (0 đơn vị mới, 1 sửa).\n"
    assert Unit.objects.get(code="HP-HB").valid_to == 2024  # the stored code, whatever the case
    assert Unit.objects.count() == 2


def test_every_problem_is_listed_with_its_row_and_nothing_is_written(tmp_path):
    Unit.objects.create(code="HP", name="Thành phố Hải Phòng", kind="city")
    path = workbook(
        tmp_path,
        (None, "Không mã", "Xã", "HP", None, None, None, None),  # row 2
        ("X-1", None, "Thôn", "HP", None, None, None, None),  # row 3
        ("X-2", "Xã Hai", "Xã", "HP", "năm ngoái", 1800, None, None),  # row 4
        ("X-3", "Xã Ba", "Xã", "HP", 2026, 2025, None, None),  # row 5
        ("X-3", "Xã Ba lần nữa", "Xã", "HP", None, None, None, None),  # row 6
        ("X-4", "Xã Bốn", "Xã", "HN", None, 2025, "P-9", None),  # row 7
        ("X-5", "Xã Năm", "Xã", "HP", None, None, "X-6", None),  # row 8
        ("X-6", "Xã Sáu", "Xã", "HP", None, 2025, "X-7", "đầu"),  # row 9
        ("X-7", "Xã Bảy", "Xã", "HP", None, 2025, "X-8", None),  # row 10
        ("X-8", "Phường Tám", "Phường", "HP", 2027, None, None, None),  # row 11
        ("C-1", "Vòng một", "Xã", "C-2", None, None, None, None),  # row 12
        ("C-2", "Vòng hai", "Xã", "C-1", None, None, None, None),  # row 13
    )
    with pytest.raises(CommandError) as raised:
        run(path)
    message = str(raised.value)
    expected = [
        "Dòng 2: chưa có mã.",
        "Dòng 3: thiếu tên.",
        "Dòng 3: «Thôn» không phải là loại đơn vị; hãy ghi một trong các loại: thành phố, "
        "tỉnh, quận, huyện, thị xã, phường, xã, đặc khu.",
        "Dòng 4: «năm ngoái» ở cột «Từ năm» không phải là một năm (từ 1900 đến 2100).",
        "Dòng 4: «1800» ở cột «Đến năm» không phải là một năm (từ 1900 đến 2100).",
        "Dòng 5: năm đầu 2026 sau năm cuối 2025.",
        "Dòng 6: mã X-3 đã có ở dòng 5.",
        "Dòng 7: không có đơn vị nào mã «HN».",
        "Dòng 7: không có đơn vị nào mã «P-9».",
        "Dòng 8: đơn vị đã trở thành đơn vị khác phải có năm cuối («Đến năm»).",
        "Dòng 9: «đầu» ở cột «Thứ tự» không phải là một số nguyên từ 0.",
        "Dòng 10: X-8 phải có từ năm 2026, năm sau năm cuối của X-7 (cột «Từ năm» của X-8).",
    ]
    for line in expected:
        assert line in message
    # In the order of the rows, whichever check found each problem.
    assert [message.index(line) for line in expected] == sorted(
        message.index(line) for line in expected
    )
    assert message.startswith("Tệp có 12 lỗi, chưa ghi gì:")
    assert list(Unit.objects.values_list("code", flat=True)) == ["HP"]


def test_a_cycle_of_parents_is_refused(tmp_path):
    path = workbook(
        tmp_path,
        ("C-1", "Vòng một", "Xã", "C-2", None, None, None, None),
        ("C-2", "Vòng hai", "Xã", "C-1", None, None, None, None),
    )
    with pytest.raises(CommandError, match="Dòng 2: các đơn vị cấp trên của C-1 quay lại chính nó"):
        run(path)
    assert not Unit.objects.exists()


def test_a_units_years_cannot_leave_out_a_year_of_its_data(tmp_path):
    """A district's 2022 values belong to 2022: its last year cannot become 2021."""
    EvaluationYear.objects.create(year=2022)
    indicator = Indicator.objects.filter(criterion__standard__criteria_set=make_catalogue())[0]
    district = Unit.objects.create(code="HP-A", name="Đơn vị HP-A", kind="urban")
    Measurement.objects.create(indicator=indicator, unit=district, year=2022, value=1)
    path = workbook(tmp_path, ("HP-A", "Đơn vị HP-A", "Quận", None, None, 2021, None, None))
    with pytest.raises(CommandError, match="Dòng 2: HP-A có số liệu từ năm 2022 đến năm 2022"):
        run(path)
    assert Unit.objects.get(code="HP-A").valid_to is None


def test_a_file_that_is_not_a_list_of_units_says_so(tmp_path):
    path = workbook(tmp_path, ("x",), header=("Cột lạ",))
    with pytest.raises(CommandError, match="chưa ghi gì"):
        run(path)
    missing = tmp_path / "khong-co.xlsx"
    with pytest.raises(CommandError, match="Không đọc được tệp"):
        run(missing)


def test_the_shipped_example_keeps_2022_on_its_districts_and_gives_2026_its_wards(haiphong):
    before = [(unit.code, unit.name) for unit in subdivisions(2022, "district")]
    assert len(before) == 15
    assert "16 đơn vị mới" in run(EXAMPLE)
    assert [(unit.code, unit.name) for unit in subdivisions(2022, "district")] == before
    assert [(unit.code, unit.name) for unit in subdivisions(2024, "district")] == before
    wards = [unit.name for unit in subdivisions(2026, "commune")]
    assert len(wards) == 16
    assert wards[0] == "Phường Hồng Bàng"
    assert wards[-1] == "Đặc khu Bạch Long Vĩ"
    split = Unit.objects.get(code="HP-TN").successors.order_by("code")
    assert [unit.name for unit in split] == ["Phường Thiên Hương", "Phường Thủy Nguyên"]
    assert list(subdivisions(2026, "district")) == []
    assert Unit.objects.get(code="HP").valid_to is None  # the city continues across 2025
