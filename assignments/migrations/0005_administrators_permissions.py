"""The administrators' group gets what Django's admin needs for their work (issue 15.1). Before
this the group had no permission at all: its /admin/ showed nothing. Accounts, memberships,
groups, lockouts and units are changed on the portal's administration pages (which log every
change and never touch a superuser), so the admin only shows them; departments, which those pages
do not edit yet, are added and changed there."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ADMINISTRATORS = "Quản trị hệ thống"
PERMISSIONS = (
    ("auth", "user", ("view",)),
    ("auth", "group", ("view",)),
    ("assignments", "membership", ("view",)),
    ("assignments", "department", ("view", "add", "change")),
    ("assignments", "unit", ("view",)),
    ("assignments", "auditentry", ("view",)),
    ("axes", "accessattempt", ("view",)),
)


def _granted(apps):
    Permission = apps.get_model("auth", "Permission")
    for app_label, model, actions in PERMISSIONS:
        codenames = [f"{action}_{model}" for action in actions]
        yield from Permission.objects.filter(
            content_type__app_label=app_label, codename__in=codenames
        )


def grant(apps, schema_editor):
    # Permissions are made after all migrations (post_migrate); make them now on a new database.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    group, _ = Group.objects.get_or_create(name=ADMINISTRATORS)
    group.permissions.add(*_granted(apps))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    group = Group.objects.filter(name=ADMINISTRATORS).first()
    if group is not None:
        group.permissions.remove(*_granted(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("assignments", "0004_account_settings_audit"),
        ("axes", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
