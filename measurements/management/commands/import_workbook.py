from pathlib import Path

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import BaseCommand, CommandError, CommandParser
from django.utils import translation

from assignments.permissions import Actor, actor_for, can_review
from common.excel import WorkbookError, read_workbook_file
from measurements.imports import ImportPlan, apply_import, plan_import
from measurements.workbooks import read_workbook


class Command(BaseCommand):
    help = (
        "Import reported values from an Excel workbook (sheet «Số liệu»), as the given user and "
        "with their permissions. Every row is checked first; nothing is written unless every row "
        "is valid. New and changed values are submitted for review (--approve: approved, for the "
        "standing office only). --dry-run checks and reports without writing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the .xlsx file to read")
        parser.add_argument("--user", required=True, help="the account the import is made as")
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")
        parser.add_argument("--approve", action="store_true", help="approve what is written")

    def handle(self, *args: object, **options: object) -> None:
        translation.activate("vi")
        user = self._user(options["user"])
        actor = actor_for(user)
        if options["approve"] and not can_review(actor):
            raise CommandError("Chỉ Cơ quan thường trực được duyệt số liệu (--approve).")
        try:
            rows = read_workbook(read_workbook_file(options["file"]))
        except WorkbookError as error:
            raise CommandError(self._listing("Không đọc được tệp:", error.messages)) from error
        plan = plan_import(actor=actor, rows=rows)
        self.stdout.write(f"Kiểm tra {len(rows)} dòng — {plan.summary()}.")
        if plan.errors:
            heading = f"Tệp có {len(plan.errors)} lỗi, chưa ghi số liệu nào:"
            raise CommandError(self._listing(heading, plan.errors))
        if options["dry_run"]:
            self.stdout.write("Chạy thử (--dry-run): chưa ghi số liệu nào.")
            return
        self._apply(actor, user, plan, options["approve"])

    def _user(self, username: str) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Không có tài khoản «{username}».")
        if not user.is_active:
            raise CommandError(f"Tài khoản «{username}» đã bị khóa.")
        return user

    def _apply(self, actor: Actor, user: User, plan: ImportPlan, approve: bool) -> None:
        try:
            result = apply_import(actor=actor, user=user, plan=plan, approve=approve)
        except (ValidationError, PermissionDenied) as error:
            messages = error.messages if isinstance(error, ValidationError) else [str(error)]
            raise CommandError(self._listing("Chưa ghi số liệu nào:", messages)) from error
        written = result["create"] + result["update"]
        if not written:
            self.stdout.write("Không có số liệu nào thay đổi: không ghi gì.")
            return
        status = "đã duyệt" if approve else "đã gửi, chờ duyệt"
        self.stdout.write(f"Đã ghi {written} chỉ báo ({status}) dưới tên {user.username}.")

    @staticmethod
    def _listing(heading: str, messages: list[str]) -> str:
        return "\n".join([heading, *(f"  - {message}" for message in messages)])
