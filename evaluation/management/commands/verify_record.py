from django.core.management import BaseCommand, CommandError, CommandParser
from django.utils import translation

from evaluation.models import FrozenRecord
from evaluation.records import verify


class Command(BaseCommand):
    help = (
        "Verify frozen records: re-hash each record's content and every evidence file it names. "
        "Without arguments, every record; --record ID one; --year and --unit those of a year or "
        "a unit. Exits with an error when anything does not match."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--record", type=int, help="the id of one record")
        parser.add_argument("--year", type=int)
        parser.add_argument("--unit", help="unit code")

    def handle(self, *args: object, **options: object) -> None:
        translation.activate("vi")
        records = FrozenRecord.objects.select_related("unit").order_by("year", "unit__code", "pk")
        if options["record"] is not None:
            records = records.filter(pk=options["record"])
        if options["year"] is not None:
            records = records.filter(year=options["year"])
        if options["unit"]:
            records = records.filter(unit__code=options["unit"])
        if not records.exists():
            raise CommandError("Không có hồ sơ đã chốt nào khớp điều kiện.")
        failed = 0
        for record in records:
            result = verify(record)
            name = f"Hồ sơ #{record.pk} — {record.unit.name}, năm {record.year}"
            if result.ok:
                self.stdout.write(f"{name}: khớp (SHA-256 {record.sha256}).")
                continue
            failed += 1
            problems = [] if result.record_ok else ["nội dung hồ sơ không khớp SHA-256 đã ghi"]
            problems += [problem.vietnamese() for problem in result.file_problems]
            self.stdout.write(f"{name}: KHÔNG KHỚP — {'; '.join(problems)}.")
        if failed:
            raise CommandError(f"{failed} hồ sơ không khớp.")
