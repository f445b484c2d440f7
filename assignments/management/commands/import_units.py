from pathlib import Path

from django.core.management import BaseCommand, CommandError, CommandParser
from django.utils import translation

from assignments.units import read_units, units_apply
from common.excel import WorkbookError, read_workbook_file


class Command(BaseCommand):
    help = (
        "Add or correct units and their successions from an Excel list (sheet «Đơn vị», see "
        "fixtures/units/). Every row is checked first; nothing is written unless every row is "
        "valid. A known code replaces what the portal holds of that unit; other units stay as "
        "they are. --dry-run checks only."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the .xlsx file to read")
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")

    def handle(self, *args: object, **options: object) -> None:
        translation.activate("vi")
        try:
            plan = read_units(read_workbook_file(options["file"]))
        except WorkbookError as error:
            lines = "\n".join(f"  - {message}" for message in error.messages)
            raise CommandError(
                f"Tệp có {len(error.messages)} lỗi, chưa ghi gì:\n{lines}"
            ) from error
        new = len(plan.new_codes)
        summary = f"{len(plan.rows)} đơn vị ({new} đơn vị mới, {len(plan.rows) - new} sửa)"
        if options["dry_run"]:
            self.stdout.write(f"Kiểm tra xong: {summary}. Chạy thử (--dry-run): chưa ghi gì.")
            return
        units_apply(plan)
        self.stdout.write(f"Đã ghi {summary}.")
