from django.core.cache import cache
from django.core.management import BaseCommand


class Command(BaseCommand):
    help = (
        "Empty the shared cache: the pages' rendered content, the dashboards' data, the catalogue "
        "and the rights' version (each is rebuilt on its next read; sessions and frozen records "
        "are kept in the database and never in it). Safe at any time, e.g. after restoring a "
        "database backup under a running portal."
    )

    def handle(self, *args: object, **options: object) -> None:
        cache.clear()
        self.stdout.write("Đã xóa bộ nhớ đệm dùng chung; các trang sẽ được dựng lại khi mở.")
