from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("assignments", "0010_audit_round_changed"),
    ]

    operations = [
        migrations.RenameField(model_name="unit", old_name="rounds", new_name="pilot_rounds"),
    ]
