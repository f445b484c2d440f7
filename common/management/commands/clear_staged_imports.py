from django.core.management import BaseCommand

from common.staging import staged_imports_expire


class Command(BaseCommand):
    help = (
        "Delete the uploads staged for a preview that were not confirmed within two hours "
        "(common/staging.py): their files and their records. Run it from cron, e.g. hourly."
    )

    def handle(self, *args: object, **options: object) -> None:
        count = staged_imports_expire()
        self.stdout.write(f"Đã xoá {count} tệp nhập chờ xác nhận đã hết hạn.")
