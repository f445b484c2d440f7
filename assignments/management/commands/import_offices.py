from pathlib import Path

from django.core.management import BaseCommand, CommandParser
from django.utils import translation

from assignments.offices import offices_create, read_offices
from common.commands import read_list_file


class Command(BaseCommand):
    help = (
        "Create commune offices from an Excel list (sheet «Phòng phụ trách»: Mã phòng, Tên "
        "phòng, Mã xã/phường); each leads every indicator of the commune sets. Every row is "
        "checked first; nothing is written unless every row is valid. --dry-run checks only."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the .xlsx file to read")
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")

    def handle(self, *args: object, **options: object) -> None:
        translation.activate("vi")
        offices = read_list_file(options["file"], read_offices)
        if options["dry_run"]:
            self.stdout.write(
                f"Kiểm tra xong: {len(offices)} phòng. Chạy thử (--dry-run): chưa ghi gì."
            )
            return
        offices_create(offices)
        self.stdout.write(f"Đã tạo {len(offices)} phòng phụ trách xã/phường.")
