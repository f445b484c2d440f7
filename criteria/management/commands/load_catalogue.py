from django.core.management import BaseCommand, call_command

from criteria.models import CriteriaSet


class Command(BaseCommand):
    help = (
        "Load the Hải Phòng 2022 catalogue (fixture haiphong_2022) into an empty database. "
        "Does nothing when a criteria set exists, so pilot flags and edits made since are kept."
    )

    def handle(self, *args: object, **options: object) -> None:
        if CriteriaSet.objects.exists():
            self.stdout.write("The catalogue is already loaded; nothing changed.")
            return
        call_command("loaddata", "haiphong_2022", verbosity=options.get("verbosity", 1))
