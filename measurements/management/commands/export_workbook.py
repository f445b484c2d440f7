from pathlib import Path

from django.core.management import BaseCommand, CommandError, CommandParser
from django.utils import translation

from assignments.models import Unit
from assignments.selectors import city
from criteria.selectors import criteria_set_for, latest_year
from measurements.imports import export_rows
from measurements.workbooks import build_workbook


class Command(BaseCommand):
    help = (
        "Write a unit's reported values of a year to an Excel workbook (sheet «Số liệu»), one row "
        "per indicator of the criteria set the unit is evaluated against that year, ready to be "
        "filled in and imported back."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the .xlsx file to write")
        parser.add_argument("--year", type=int, help="default: the latest evaluation year")
        parser.add_argument("--unit", help="unit code (default: the city)")

    def handle(self, *args: object, **options: object) -> None:
        translation.activate("vi")
        year = options["year"] or latest_year()
        if year is None:
            raise CommandError("Chưa có năm đánh giá nào: hãy chỉ rõ --year.")
        code = options["unit"]
        unit = Unit.objects.filter(code=code).first() if code else city()
        if unit is None:
            raise CommandError(
                f"Không có đơn vị mã «{code}»." if code else "Chưa có đơn vị thành phố nào."
            )
        criteria_set = criteria_set_for(unit.level, year)
        if criteria_set is None:
            raise CommandError(
                f"Không có bộ tiêu chí nào áp dụng cho {unit.name} năm {year} "
                "(python manage.py load_catalogue, hoặc import_criteria)."
            )
        rows = export_rows(criteria_set=criteria_set, unit=unit, year=year)
        path: Path = options["file"]
        try:
            path.write_bytes(build_workbook(rows))
        except OSError as error:
            raise CommandError(f"Không ghi được tệp {path}: {error.strerror or error}") from error
        self.stdout.write(f"Đã ghi {len(rows)} chỉ báo của {unit.name}, năm {year} vào {path}.")
