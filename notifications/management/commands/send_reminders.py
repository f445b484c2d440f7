from datetime import datetime

from django.core.management.base import BaseCommand, CommandError

from notifications.services import reminders_send


class Command(BaseCommand):
    help = (
        "Create (and e-mail) the reminders of open plan tasks whose day has come: due in 7 days, "
        "due tomorrow, overdue. Never sends one twice: run it every hour from cron or a timer."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--today", help="the day to act as today, dd/mm/yyyy (for testing)")

    def handle(self, *args, today: str | None = None, **options) -> None:
        day = None
        if today:
            try:
                day = datetime.strptime(today, "%d/%m/%Y").date()
            except ValueError as error:
                raise CommandError("--today must be a date dd/mm/yyyy") from error
        created = reminders_send(today=day)
        self.stdout.write(f"{created} reminder(s) created.")
