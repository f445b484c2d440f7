"""A person's choice about notification e-mail moves to their account settings, where the portal
keeps everything else about an account; the choices already made move with it."""

from django.db import migrations


def move_choices(apps, schema_editor):
    EmailPreference = apps.get_model("notifications", "EmailPreference")
    AccountSettings = apps.get_model("assignments", "AccountSettings")
    for preference in EmailPreference.objects.filter(wants_email=False):
        AccountSettings.objects.update_or_create(
            user_id=preference.user_id, defaults={"wants_email": False}
        )


def move_choices_back(apps, schema_editor):
    EmailPreference = apps.get_model("notifications", "EmailPreference")
    AccountSettings = apps.get_model("assignments", "AccountSettings")
    for user_id in AccountSettings.objects.filter(wants_email=False).values_list(
        "user_id", flat=True
    ):
        EmailPreference.objects.update_or_create(user_id=user_id, defaults={"wants_email": False})


class Migration(migrations.Migration):
    dependencies = [
        ("assignments", "0008_account_settings_wants_email"),
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(move_choices, move_choices_back),
        migrations.DeleteModel(name="EmailPreference"),
    ]
