from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management import BaseCommand, CommandError, CommandParser
from django.utils import translation

from assignments.services import criteria_set_adopt
from common.excel import MAX_UNCOMPRESSED_BYTES, TOO_LARGE
from criteria.importing import CriteriaSetPlan, criteria_set_plan_from_bytes


class Command(BaseCommand):
    help = (
        "Create a new criteria set from an Excel workbook (sheet «Bộ tiêu chí», see "
        "fixtures/criteria/mau-bo-tieu-chi.xlsx). Every row is checked first; nothing is written "
        "unless every row is valid, and an existing set is never changed. --dry-run checks only."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the .xlsx file to read")
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")

    def handle(self, *args: object, **options: object) -> None:
        translation.activate("vi")
        plan = criteria_set_plan_from_bytes(self._read(options["file"]))
        if not plan.is_valid:
            errors = plan.errors or ["Tệp chưa có bộ tiêu chí nào để nhập."]
            raise CommandError(_listing(f"Tệp có {len(errors)} lỗi, chưa ghi gì:", errors))
        self.stdout.write(f"Kiểm tra xong: {_summary(plan)}.")
        if options["dry_run"]:
            self.stdout.write("Chạy thử (--dry-run): chưa ghi gì.")
            return
        try:
            criteria_set = criteria_set_adopt(plan=plan)
        except ValidationError as error:
            raise CommandError(_listing("Chưa ghi gì:", error.messages)) from error
        self.stdout.write(f"Đã tạo bộ tiêu chí «{criteria_set.code}».")

    def _read(self, path: Path) -> bytes:
        try:
            if path.stat().st_size > MAX_UNCOMPRESSED_BYTES:
                raise CommandError(TOO_LARGE)
            return path.read_bytes()
        except OSError as error:
            raise CommandError(f"Không đọc được tệp {path}: {error.strerror or error}") from error


def _summary(plan: CriteriaSetPlan) -> str:
    counts = plan.counts
    return (
        f"bộ tiêu chí «{plan.metadata.code}» — {plan.metadata.name}: "
        f"{counts['standard']} tiêu chuẩn, {counts['criterion']} tiêu chí, "
        f"{counts['indicator']} chỉ báo"
    )


def _listing(heading: str, messages: list[str]) -> str:
    return "\n".join([heading, *(f"  - {message}" for message in messages)])
