from django.core.management import BaseCommand

from evidence.services import abandoned_files_clear


class Command(BaseCommand):
    help = (
        "Delete evidence files stored by an import that died before its rows were committed "
        "(a receipt is left behind: evidence.models.UncommittedFile). import_year runs it first "
        "too. Do not run it while an import_year is running."
    )

    def handle(self, *args: object, **options: object) -> None:
        count = abandoned_files_clear()
        self.stdout.write(f"Đã xóa {count} tệp minh chứng của lần nhập bị dừng giữa chừng.")
