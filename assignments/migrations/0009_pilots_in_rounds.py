from django.db import migrations, models


def pilots_to_rounds(apps, schema_editor):
    """The pilot flag was the unit's, for every year: each evaluation year that exists gets a
    district round naming the districts that were flagged (none when none was)."""
    Unit = apps.get_model("assignments", "Unit")
    EvaluationYear = apps.get_model("criteria", "EvaluationYear")
    Round = apps.get_model("criteria", "Round")
    pilots = list(Unit.objects.filter(is_pilot=True))
    if not pilots:
        return
    for year in EvaluationYear.objects.all():
        round_, _ = Round.objects.get_or_create(evaluation_year=year, level="district")
        for unit in pilots:
            unit.rounds.add(round_)


def rounds_to_pilots(apps, schema_editor):
    """Back: a district that was a pilot in any round is flagged."""
    Unit = apps.get_model("assignments", "Unit")
    Unit.objects.filter(rounds__level="district").update(is_pilot=True)


class Migration(migrations.Migration):
    dependencies = [
        ("assignments", "0008_account_settings_wants_email"),
        ("criteria", "0014_evaluation_round"),
    ]

    operations = [
        migrations.AddField(
            model_name="unit",
            name="rounds",
            field=models.ManyToManyField(
                blank=True,
                related_name="pilots",
                to="criteria.round",
                verbose_name="pilot in rounds",
            ),
        ),
        migrations.RunPython(pilots_to_rounds, rounds_to_pilots),
        migrations.RemoveField(model_name="unit", name="is_pilot"),
    ]
