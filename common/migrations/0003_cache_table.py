"""The database cache table (settings.CACHES: the default when CACHE_URL is unset), created by
`migrate` so that a fresh install caches without a step of its own. Nothing is done for another
backend (Redis, dummy://); `createcachetable` leaves an existing table as it is."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("common", "0002_workbook_reading")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
