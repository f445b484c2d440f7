"""The 2022 pilot's city set applies to 2021–2023 (issue 13.9).

2021 holds the previous year's values the 2022 evaluation compares with; Thông tư 25/2023 applies
from 12/02/2024, so from 2024 the city is evaluated against whatever set is loaded for those years
(none until one is): never silently against the pilot's. Only a set still without years is
changed (docs/catalogue-corrections.md).
"""

from django.db import migrations

SET = "hp-city-2022"


def pilot_years(apps, schema_editor):
    CriteriaSet = apps.get_model("criteria", "CriteriaSet")
    CriteriaSet.objects.filter(code=SET, first_year=None, last_year=None).update(
        first_year=2021, last_year=2023
    )


def open_ended(apps, schema_editor):
    CriteriaSet = apps.get_model("criteria", "CriteriaSet")
    CriteriaSet.objects.filter(code=SET, first_year=2021, last_year=2023).update(
        first_year=None, last_year=None
    )


class Migration(migrations.Migration):
    dependencies = [("criteria", "0008_growth_rate")]

    operations = [migrations.RunPython(pilot_years, open_ended)]
