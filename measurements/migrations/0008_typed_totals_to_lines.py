"""The city's 3.2.3 of the shipped set is now the sum of reported lines (criteria/0013): a total
already typed becomes the line of the division that compiles it (CCTT), with its figures, note
and review status, so every result stays as it was; the typed entry goes (its history stays).
A typed rate without its two counts cannot become a line: it stays, and no longer counts.
Reversed, each unit-year's lines are summed back into one typed entry."""

from django.db import migrations

SET = "hp-city-2022"
CARRIED = (
    "numerator",
    "denominator",
    "note",
    "status",
    "review_comment",
    "updated_by_id",
    "submitted_by_id",
    "submitted_at",
    "reviewed_by_id",
    "reviewed_at",
)


def _bullying(apps):
    Indicator = apps.get_model("criteria", "Indicator")
    return Indicator.objects.filter(criterion__standard__criteria_set__code=SET, code="3.2.3")


def typed_totals_to_lines(apps, schema_editor):
    Measurement = apps.get_model("measurements", "Measurement")
    ReportedLine = apps.get_model("measurements", "ReportedLine")
    Department = apps.get_model("assignments", "Department")
    for indicator in _bullying(apps):
        compiler = (
            Department.objects.filter(assignments__indicator=indicator, kind="division")
            .order_by("position", "name")
            .first()
        )
        if compiler is None:
            continue
        for entry in Measurement.objects.filter(
            indicator=indicator, numerator__isnull=False, denominator__isnull=False
        ).exclude(status="not_applicable"):
            ReportedLine.objects.create(
                indicator=indicator,
                unit_id=entry.unit_id,
                year=entry.year,
                department=compiler,
                version=1,
                **{name: getattr(entry, name) for name in CARRIED},
            )
            entry.delete()


def lines_to_typed_totals(apps, schema_editor):
    Measurement = apps.get_model("measurements", "Measurement")
    ReportedLine = apps.get_model("measurements", "ReportedLine")
    for indicator in _bullying(apps):
        keys = set(ReportedLine.objects.filter(indicator=indicator).values_list("unit_id", "year"))
        for unit_id, year in keys:
            lines = list(
                ReportedLine.objects.filter(indicator=indicator, unit_id=unit_id, year=year)
            )
            approved = all(line.status == "approved" for line in lines)
            Measurement.objects.update_or_create(
                indicator=indicator,
                unit_id=unit_id,
                year=year,
                defaults={
                    "numerator": sum(line.numerator for line in lines),
                    "denominator": sum(line.denominator for line in lines),
                    "status": "approved" if approved else "submitted",
                },
            )
        ReportedLine.objects.filter(indicator=indicator).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("measurements", "0007_reported_lines"),
        ("criteria", "0013_reported_lines_source"),
        ("assignments", "0003_plantask_completed_on"),
    ]

    operations = [
        migrations.RunPython(typed_totals_to_lines, lines_to_typed_totals),
    ]
