from pathlib import Path

from django.core.management import BaseCommand, CommandError, CommandParser
from django.utils import translation

from assignments.offices import offices_create, read_offices
from common.excel import WorkbookError, read_workbook_file


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
        try:
            offices = read_offices(read_workbook_file(options["file"]))
        except WorkbookError as error:
            lines = "\n".join(f"  - {message}" for message in error.messages)
            raise CommandError(
                f"Tệp có {len(error.messages)} lỗi, chưa ghi gì:\n{lines}"
            ) from error
        if options["dry_run"]:
            self.stdout.write(
                f"Kiểm tra xong: {len(offices)} phòng. Chạy thử (--dry-run): chưa ghi gì."
            )
            return
        offices_create(offices)
        self.stdout.write(f"Đã tạo {len(offices)} phòng phụ trách xã/phường.")
