from pathlib import Path

from django.core.management import BaseCommand, CommandError, CommandParser

from criteria.importing import criteria_set_rows
from criteria.selectors import criteria_set_by_code
from criteria.workbooks import build_criteria_workbook


class Command(BaseCommand):
    help = (
        "Write a criteria set to an Excel workbook (sheet «Bộ tiêu chí»): the same workbook "
        "import_criteria reads, so a set exported and imported under a new code is the same set."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", help="the criteria set's code, e.g. hp-city-2022")
        parser.add_argument("file", type=Path, help="the .xlsx file to write")

    def handle(self, *args: object, **options: object) -> None:
        criteria_set = criteria_set_by_code(options["code"])
        if criteria_set is None:
            raise CommandError(f"Không có bộ tiêu chí mã «{options['code']}».")
        content = build_criteria_workbook(criteria_set_rows(criteria_set))
        path: Path = options["file"]
        try:
            path.write_bytes(content)
        except OSError as error:
            raise CommandError(f"Không ghi được tệp {path}: {error.strerror or error}") from error
        self.stdout.write(f"Đã ghi bộ tiêu chí «{criteria_set.code}» vào {path}.")
