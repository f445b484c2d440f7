from pathlib import Path

from django.core.management import BaseCommand, CommandError, CommandParser

from evaluation.archive import BackupError, export_year


class Command(BaseCommand):
    help = (
        "Write one evaluation year to a zip archive: every reported value, list, committee "
        "decision, evidence document (with its versions' files and their SHA-256), explanation "
        "and the year's state, each with its history (format: docs/year-archive.md). For moving "
        "or archiving a year; the production backup is pg_dump plus the evidence storage."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True, help="the evaluation year")
        parser.add_argument("file", type=Path, help="the .zip file to write")

    def handle(self, *args: object, **options: object) -> None:
        path: Path = options["file"]
        try:
            summary = export_year(options["year"], path)
        except BackupError as error:
            raise CommandError("\n".join(error.messages)) from error
        except OSError as error:
            raise CommandError(f"Không ghi được tệp {path}: {error.strerror or error}") from error
        self.stdout.write(f"Đã xuất {summary} vào {path}.")
