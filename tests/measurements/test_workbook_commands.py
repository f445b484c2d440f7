"""manage.py export_workbook and import_workbook, on the `world` and `personas` fixtures (the
world's criteria set is the only one, so it is the commands' default set).

An exported workbook has its title on row 1, the header on row 2, then 1.1.1 on row 3, 1.1.2 on 4,
2.1.1 on 5, 2.1.2 on 6 and 2.1.3 on 7.
"""

from collections.abc import Callable
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, ManagementUtility, call_command
from openpyxl import load_workbook

from criteria.models import EvaluationYear
from measurements.models import Measurement
from measurements.workbooks import HEADERS, read_workbook
from tests.conftest import YEAR

NOTE = "Số liệu của Sở Nội vụ, cập nhật 15/12"
ROW_OF = {"1.1.1": 3, "1.1.2": 4, "2.1.1": 5, "2.1.2": 6, "2.1.3": 7}


@pytest.fixture
def stored(world):
    """An approved 1.1.2 and a submitted 2.1.1 of the city: what a bad file must not touch."""
    Measurement.objects.create(
        indicator=world.indicator("1.1.2"),
        unit=world.city,
        year=YEAR,
        numerator=70,
        denominator=100,
        status="approved",
        note=NOTE,
    )
    Measurement.objects.create(
        indicator=world.indicator("2.1.1"),
        unit=world.city,
        year=YEAR,
        value=Decimal("1.8"),
        previous=Decimal("3.3"),
        status="submitted",
    )


def snapshot() -> list[tuple]:
    names = ["pk", "yes", "numerator", "denominator", "value", "previous", "note", "status"]
    return list(Measurement.objects.order_by("pk").values_list(*names, "version"))


def export(tmp_path: Path, unit: str = "HP") -> Path:
    path = tmp_path / f"so-lieu-{unit}.xlsx"
    call_command(
        "export_workbook", str(path), "--year", str(YEAR), "--unit", unit, stdout=StringIO()
    )
    return path


def edit(path: Path, change: Callable) -> Path:
    """Open the workbook, let `change(sheet)` alter it, save it back."""
    workbook = load_workbook(path)
    change(workbook["Số liệu"])
    workbook.save(path)
    return path


def fill(path: Path, cells: dict[str, dict[str, object]]) -> Path:
    """Set cells by indicator code and header name: {"1.1.2": {"Tử số": 7}}."""

    def change(sheet) -> None:
        for code, values in cells.items():
            for name, value in values.items():
                sheet.cell(row=ROW_OF[code], column=HEADERS.index(name) + 1).value = value

    return edit(path, change)


def run_import(path: Path, username: str, *flags: str) -> str:
    out = StringIO()
    call_command("import_workbook", str(path), "--user", username, *flags, stdout=out)
    return out.getvalue()


def test_export_writes_one_row_per_indicator_of_the_unit(tmp_path, stored):
    rows = read_workbook(export(tmp_path).read_bytes())

    assert [row.get("Mã chỉ báo") for row in rows] == list(ROW_OF)
    assert {row.get("Mã đơn vị") for row in rows} == {"HP"}
    assert (rows[1].get("Tử số"), rows[1].get("Ghi chú")) == (70, NOTE)


def test_export_of_an_unknown_unit_is_refused(tmp_path, world):
    with pytest.raises(CommandError, match="Không có đơn vị mã «HN»"):
        export(tmp_path, unit="HN")


def test_import_writes_the_filled_values_and_prints_the_summary(tmp_path, personas, stored):
    path = fill(export(tmp_path), {"1.1.1": {"Có/Không": "có", "Ghi chú": NOTE}})

    output = run_import(path, "thuongtruc")

    assert "Thêm mới: 1, Cập nhật: 0, Không thay đổi: 2, Bỏ qua (để trống): 2" in output
    assert Measurement.objects.get(indicator__code="1.1.1").note == NOTE


def test_dry_run_writes_nothing(tmp_path, personas, stored):
    path = fill(export(tmp_path), {"1.1.1": {"Có/Không": "Có"}, "1.1.2": {"Tử số": 75}})
    before = snapshot()

    output = run_import(path, "thuongtruc", "--dry-run")

    assert "Thêm mới: 1, Cập nhật: 1" in output
    assert "chưa ghi số liệu nào" in output
    assert snapshot() == before


def test_reimporting_an_untouched_export_is_a_no_op(tmp_path, personas, stored):
    before = snapshot()

    output = run_import(export(tmp_path), "thuongtruc")

    assert "Thêm mới: 0, Cập nhật: 0, Không thay đổi: 2, Bỏ qua (để trống): 3" in output
    assert snapshot() == before


def test_changed_approved_row_goes_back_to_submitted(tmp_path, personas, stored):
    path = fill(export(tmp_path), {"1.1.2": {"Tử số": "75"}})

    run_import(path, "vanphong")

    entry = Measurement.objects.get(indicator__code="1.1.2")
    assert (entry.numerator, entry.status, entry.version) == (75, "submitted", 2)


def test_import_is_recorded_in_the_history_under_the_given_user(tmp_path, personas, stored):
    path = fill(export(tmp_path), {"1.1.2": {"Tử số": 75}})

    run_import(path, "vanphong")

    record = Measurement.objects.get(indicator__code="1.1.2").history.first()
    assert record.history_user == personas["division"]


def test_approve_by_the_standing_office_approves(tmp_path, personas, stored):
    path = fill(export(tmp_path), {"1.1.2": {"Tử số": 75}})

    run_import(path, "thuongtruc", "--approve")

    entry = Measurement.objects.get(indicator__code="1.1.2")
    assert (entry.status, entry.reviewed_by) == ("approved", personas["standing_office"])


def test_approve_by_a_division_is_refused_and_nothing_is_written(tmp_path, personas, stored):
    path = fill(export(tmp_path), {"1.1.2": {"Tử số": 75}})
    before = snapshot()

    with pytest.raises(CommandError, match="Chỉ Cơ quan thường trực được duyệt"):
        run_import(path, "vanphong", "--approve")

    assert snapshot() == before


def test_unknown_user_is_refused(tmp_path, personas, stored):
    with pytest.raises(CommandError, match="Không có tài khoản «ai_do»"):
        run_import(export(tmp_path), "ai_do")


def set_cell(code: str, name: str, value: object) -> Callable:
    def change(sheet) -> None:
        sheet.cell(row=ROW_OF[code], column=HEADERS.index(name) + 1).value = value

    return change


def set_header(name: str, value: object) -> Callable:
    """Change the header cell of the column `name`."""

    def change(sheet) -> None:
        sheet.cell(row=2, column=HEADERS.index(name) + 1).value = value

    return change


def rename_sheet(sheet) -> None:
    sheet.title = "Sheet1"


def numerator_above_denominator(sheet) -> None:
    set_cell("1.1.2", "Tử số", 80)(sheet)
    set_cell("1.1.2", "Mẫu số", 50)(sheet)


def lock_year(sheet) -> None:
    sheet.cell(row=ROW_OF["1.1.1"], column=HEADERS.index("Có/Không") + 1).value = "Có"
    EvaluationYear.objects.filter(year=YEAR).update(state=EvaluationYear.State.LOCKED)


BAD_WORKBOOKS = {
    "wrong sheet": ("thuongtruc", rename_sheet, "Không có trang tính «Số liệu» trong tệp"),
    "missing header": (
        "thuongtruc",
        set_header("Mẫu số", None),
        "Thiếu cột «Mẫu số» ở dòng tiêu đề.",
    ),
    "duplicated header": (
        "thuongtruc",
        set_header("Ghi chú", "Tử số"),
        "Cột «Tử số» xuất hiện hai lần.",
    ),
    "unknown indicator": (
        "thuongtruc",
        set_cell("1.1.1", "Mã chỉ báo", "9.9.9"),
        "Dòng 3, chỉ báo 9.9.9: Không có chỉ báo này trong bộ tiêu chí.",
    ),
    "text in a number cell": (
        "thuongtruc",
        set_cell("1.1.2", "Tử số", "bảy mươi"),
        "Dòng 4, chỉ báo 1.1.2: Tử số: «bảy mươi» không phải là số.",
    ),
    "numerator above denominator": (
        "thuongtruc",
        numerator_above_denominator,
        "Dòng 4, chỉ báo 1.1.2: Tử số (80) không được lớn hơn mẫu số (50).",
    ),
    "unit the user may not write": (
        "vanphong",
        set_cell("2.1.1", "Giá trị", 1.7),
        "Dòng 5, chỉ báo 2.1.1: Bạn không được nhập số liệu chỉ báo 2.1.1 của Đơn vị HP.",
    ),
    "locked year": (
        "thuongtruc",
        lock_year,
        "Dòng 3, chỉ báo 1.1.1: Năm đánh giá 2022 đã khóa: không nhận thay đổi nào.",
    ),
    "formula cell": (
        "thuongtruc",
        set_cell("1.1.2", "Tử số", "=60+10"),
        "Dòng 4: ô «Tử số» chứa công thức; hãy nhập giá trị.",
    ),
}


@pytest.mark.parametrize(
    ("username", "change", "message"), BAD_WORKBOOKS.values(), ids=BAD_WORKBOOKS
)
def test_bad_workbook_is_refused_with_its_row_and_nothing_is_written(
    tmp_path, personas, stored, username, change, message
):
    path = edit(fill(export(tmp_path), {"1.1.2": {"Tử số": 75}}), change)
    before = snapshot()

    with pytest.raises(CommandError) as error:
        run_import(path, username)

    assert message in str(error.value)
    assert snapshot() == before


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda data: data[: len(data) // 2], "Tệp Excel bị hỏng hoặc tải lên chưa trọn vẹn"),
        (
            lambda data: "Mã đơn vị;Năm\nHP;2022".encode(),
            "Tệp không phải là tệp Excel .xlsx hợp lệ.",
        ),
    ],
    ids=["truncated file", "not a zip"],
)
def test_damaged_file_is_refused_and_nothing_is_written(
    tmp_path, personas, stored, damage, message
):
    path = export(tmp_path)
    path.write_bytes(damage(path.read_bytes()))
    before = snapshot()

    with pytest.raises(CommandError, match=message):
        run_import(path, "thuongtruc")

    assert snapshot() == before


def test_every_row_error_is_listed(tmp_path, personas, stored):
    path = fill(export(tmp_path), {"1.1.2": {"Tử số": "?"}, "2.1.3": {"Giá trị": "x"}})

    with pytest.raises(CommandError) as error:
        run_import(path, "thuongtruc")

    assert "Tệp có 2 lỗi, chưa ghi số liệu nào:" in str(error.value)
    assert "Dòng 7, chỉ báo 2.1.3: Giá trị: «x» không phải là số." in str(error.value)


def test_refusal_exits_with_status_1_and_no_traceback(
    tmp_path, personas, stored, capsys, monkeypatch
):
    path = fill(export(tmp_path), {"1.1.2": {"Tử số": "?"}})
    # run_from_argv closes every connection when done, which would end the test's transaction.
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)

    argv = ["manage.py", "import_workbook", str(path), "--user", "thuongtruc"]

    with pytest.raises(SystemExit) as exit_:
        ManagementUtility(argv).execute()

    stderr = capsys.readouterr().err
    assert exit_.value.code == 1
    assert "Dòng 4, chỉ báo 1.1.2: Tử số: «?» không phải là số." in stderr
    assert "Traceback" not in stderr
