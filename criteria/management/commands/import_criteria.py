from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management import BaseCommand, CommandError, CommandParser
from django.utils import translation

from common.excel import WorkbookError, read_workbook_file
from criteria.importing import CriteriaSetPlan, criteria_set_plan_from_bytes
from evaluation.selectors import superseded_by
from evaluation.services import criteria_set_adopt_checked


class Command(BaseCommand):
    help = (
        "Create a new criteria set from an Excel workbook (sheet «Bộ tiêu chí», see "
        "fixtures/criteria/mau-bo-tieu-chi.xlsx). Every row is checked first; nothing is written "
        "unless every row is valid, and an existing set is never changed. A set that would take "
        "over years holding another set's data lists what would stop counting and is created "
        "only with --accept-superseded. --dry-run checks only."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the .xlsx file to read")
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")
        parser.add_argument(
            "--accept-superseded",
            action="store_true",
            help="create the set even though the data listed would stop counting",
        )

    def handle(self, *args: object, **options: object) -> None:
        translation.activate("vi")
        plan = criteria_set_plan_from_bytes(self._read(options["file"]))
        if not plan.is_valid:
            errors = plan.errors or ["Tệp chưa có bộ tiêu chí nào để nhập."]
            raise CommandError(_listing(f"Tệp có {len(errors)} lỗi, chưa ghi gì:", errors))
        self.stdout.write(f"Kiểm tra xong: {_summary(plan)}.")
        metadata = plan.metadata
        superseded = superseded_by(
            level=metadata.level, first_year=metadata.first_year, last_year=metadata.last_year
        )
        if superseded:
            heading = "Bộ này sẽ thay bộ đang dùng; các dữ liệu sau sẽ không còn được tính:"
            self.stdout.write(_listing(heading, [str(entry) for entry in superseded]))
        if options["dry_run"]:
            self.stdout.write("Chạy thử (--dry-run): chưa ghi gì.")
            return
        if superseded and not options["accept_superseded"]:
            raise CommandError(
                "Chưa ghi gì: đọc danh sách trên, rồi chạy lại với --accept-superseded nếu đồng "
                "ý để các dữ liệu đó không còn được tính (không sao chép sang bộ mới)."
            )
        try:
            criteria_set = criteria_set_adopt_checked(
                plan=plan, seen=[entry.as_seen() for entry in superseded]
            )
        except ValidationError as error:
            raise CommandError(_listing("Chưa ghi gì:", error.messages)) from error
        self.stdout.write(f"Đã tạo bộ tiêu chí «{criteria_set.code}».")

    def _read(self, path: Path) -> bytes:
        try:
            return read_workbook_file(path)
        except WorkbookError as error:
            raise CommandError(" ".join(error.messages)) from error


def _summary(plan: CriteriaSetPlan) -> str:
    counts = plan.counts
    return (
        f"bộ tiêu chí «{plan.metadata.code}» — {plan.metadata.name}: "
        f"{counts['standard']} tiêu chuẩn, {counts['criterion']} tiêu chí, "
        f"{counts['indicator']} chỉ báo"
    )


def _listing(heading: str, messages: list[str]) -> str:
    return "\n".join([heading, *(f"  - {message}" for message in messages)])
