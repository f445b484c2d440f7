"""`manage.py import_criteria` and `manage.py export_criteria`."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from assignments.models import Assignment
from criteria.importing import criteria_set_plan_from_bytes
from criteria.models import CriteriaSet, Criterion, Indicator, Standard
from tests.criteria.sheets import edited, sample_bytes, sample_sheet, set_cell, set_metadata

pytestmark = pytest.mark.django_db

PROJECT = Path(__file__).parents[2]


def snapshot() -> list[int]:
    models = (CriteriaSet, Standard, Criterion, Indicator, Assignment)
    return [model.objects.count() for model in models]


def workbook(tmp_path: Path, content: bytes) -> Path:
    path = tmp_path / "bo-tieu-chi.xlsx"
    path.write_bytes(content)
    return path


def test_import_creates_the_set(tmp_path, capsys):
    call_command("import_criteria", str(workbook(tmp_path, sample_bytes())))

    assert CriteriaSet.objects.get().code == "quan-huyen-2025"
    assert "2 tiêu chuẩn, 3 tiêu chí, 5 chỉ báo" in capsys.readouterr().out


def test_dry_run_checks_and_writes_nothing(tmp_path, capsys):
    call_command("import_criteria", str(workbook(tmp_path, sample_bytes())), "--dry-run")

    assert snapshot() == [0, 0, 0, 0, 0]
    assert "Chạy thử (--dry-run): chưa ghi gì." in capsys.readouterr().out


def test_bad_workbook_lists_every_row_and_writes_nothing(tmp_path):
    content = edited(sample_bytes(), set_cell("1.1.2", "Ngưỡng", None))
    path = workbook(tmp_path, edited(content, set_cell("2.1.1", "Kiểu đánh giá", "?")))

    with pytest.raises(CommandError) as error:
        call_command("import_criteria", str(path))

    assert "Tệp có 2 lỗi, chưa ghi gì:" in str(error.value)
    assert "  - Dòng 17, mã 2.1.1: «?» không phải là kiểu đánh giá" in str(error.value)
    assert snapshot() == [0, 0, 0, 0, 0]


def test_damaged_file_is_refused(tmp_path):
    path = workbook(tmp_path, sample_bytes()[:500])

    with pytest.raises(CommandError, match="Tệp Excel bị hỏng"):
        call_command("import_criteria", str(path))


def test_missing_file_is_refused(tmp_path):
    with pytest.raises(CommandError, match="Không đọc được tệp"):
        call_command("import_criteria", str(tmp_path / "khong-co.xlsx"))


@pytest.mark.once
def test_refused_import_exits_with_status_1_and_no_traceback(tmp_path):
    path = workbook(tmp_path, edited(sample_bytes(), set_metadata("Cấp", "Tỉnh")))
    env = {**os.environ, "SECRET_KEY": "test-only", "DATABASE_URL": f"sqlite:///{tmp_path}/x"}

    result = subprocess.run(
        [sys.executable, "manage.py", "import_criteria", str(path)],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 1
    assert "Dòng 3, «Cấp»: «Tỉnh» không phải là cấp của bộ tiêu chí" in result.stderr
    assert "Traceback" not in result.stderr


def test_export_writes_the_workbook_the_set_was_imported_from(tmp_path):
    call_command("import_criteria", str(workbook(tmp_path, sample_bytes())))
    target = tmp_path / "xuat.xlsx"

    call_command("export_criteria", "quan-huyen-2025", str(target))
    CriteriaSet.objects.get().delete()

    assert criteria_set_plan_from_bytes(target.read_bytes()).sheet() == sample_sheet()


def test_export_of_an_unknown_set_is_refused(tmp_path):
    with pytest.raises(CommandError, match="Không có bộ tiêu chí mã «khong-co»"):
        call_command("export_criteria", "khong-co", str(tmp_path / "x.xlsx"))
