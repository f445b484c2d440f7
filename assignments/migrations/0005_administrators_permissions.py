"""The administrators' group gets what Django's admin needs for their work (issue 15.1): accounts
and their groups, memberships, departments, units, login lockouts and the administration log.
Before this the group had no permission at all: its /admin/ showed nothing."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ADMINISTRATORS = "Quản trị hệ thống"
PERMISSIONS = (
    ("auth", "user", ("view", "add", "change")),
    ("auth", "group", ("view",)),
    ("assignments", "membership", ("view", "add", "change", "delete")),
    ("assignments", "department", ("view", "add", "change")),
    ("assignments", "unit", ("view", "change")),
    ("assignments", "auditentry", ("view",)),
    ("axes", "accessattempt", ("view", "delete")),
)


def grant(apps, schema_editor):
    # Permissions are made after all migrations (post_migrate); make them now on a new database.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=ADMINISTRATORS)
    for app_label, model, actions in PERMISSIONS:
        codenames = [f"{action}_{model}" for action in actions]
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    group = Group.objects.filter(name=ADMINISTRATORS).first()
    if group is not None:
        group.permissions.clear()


class Migration(migrations.Migration):
    dependencies = [
        ("assignments", "0004_account_settings_audit"),
        ("axes", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
