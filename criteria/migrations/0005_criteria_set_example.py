from django.db import migrations, models

#: The district set shipped as an example (fixtures/criteria/bo-tieu-chi-quan-huyen-mau-minh-hoa.xlsx),
#: loaded by `make run` and by anyone who tried the import with it.
SHIPPED_EXAMPLE = "quan-huyen-mau-minh-hoa"


def mark_the_shipped_example(apps, schema_editor):
    CriteriaSet = apps.get_model("criteria", "CriteriaSet")
    CriteriaSet.objects.filter(code=SHIPPED_EXAMPLE).update(is_example=True)


class Migration(migrations.Migration):
    dependencies = [
        ("criteria", "0004_evaluationyear_moved_here"),
    ]

    operations = [
        migrations.AddField(
            model_name="criteriaset",
            name="is_example",
            field=models.BooleanField(
                default=False,
                help_text=(
                    "An example set, to try the portal: its results are shown as examples and "
                    "never count in an official result."
                ),
                verbose_name="example",
            ),
        ),
        migrations.RunPython(mark_the_shipped_example, migrations.RunPython.noop),
    ]
