from pathlib import Path

from django.core.management import BaseCommand, CommandError, CommandParser

from evaluation.archive import BackupError, import_year


class Command(BaseCommand):
    help = (
        "Restore an evaluation year written by export_year into this database, all or nothing. "
        "The archive must be signed with YEAR_ARCHIVE_KEY (or a key of YEAR_ARCHIVE_OLD_KEYS); "
        "the year must be absent here (it is created with the archive's state) or open and "
        "empty; the users, units and indicators the archive names must exist (create the "
        "accounts and load the catalogue first). Files go to the evidence storage under new "
        "names; nothing is left behind when the import fails. Run one import at a time."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the .zip file written by export_year")
        parser.add_argument(
            "--trust-unsigned",
            action="store_true",
            help="import an archive without a valid signature (you vouch for where it came from)",
        )

    def handle(self, *args: object, **options: object) -> None:
        path: Path = options["file"]
        try:
            summary = import_year(path, trust_unsigned=options["trust_unsigned"])
        except BackupError as error:
            raise CommandError("\n".join(error.messages)) from error
        if options["trust_unsigned"]:
            self.stdout.write("Không kiểm chữ ký của tệp xuất (--trust-unsigned).")
        self.stdout.write(f"Đã nhập {summary} từ {path}.")
