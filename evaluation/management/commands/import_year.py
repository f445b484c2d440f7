from pathlib import Path

from django.core.management import BaseCommand, CommandError, CommandParser

from evaluation.archive import BackupError, import_year


class Command(BaseCommand):
    help = (
        "Restore an evaluation year written by export_year into this database, all or nothing. "
        "The year must hold no data here, and the users, units and indicators the archive names "
        "must exist (create the accounts and load the catalogue first). Files go to the evidence "
        "storage; nothing is left behind when the import fails."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the .zip file written by export_year")

    def handle(self, *args: object, **options: object) -> None:
        path: Path = options["file"]
        try:
            summary = import_year(path)
        except BackupError as error:
            raise CommandError("\n".join(error.messages)) from error
        self.stdout.write(f"Đã nhập {summary} từ {path}.")
