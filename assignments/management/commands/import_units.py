from pathlib import Path

from django.core.management import BaseCommand, CommandParser
from django.utils import translation

from assignments.units import read_units, units_apply
from common.commands import read_list_file


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
        plan = read_list_file(options["file"], read_units)
        new = len(plan.new_codes)
        summary = f"{len(plan.rows)} đơn vị ({new} đơn vị mới, {len(plan.rows) - new} sửa)"
        if options["dry_run"]:
            self.stdout.write(f"Kiểm tra xong: {summary}. Chạy thử (--dry-run): chưa ghi gì.")
            return
        units_apply(plan)
        self.stdout.write(f"Đã ghi {summary}.")
