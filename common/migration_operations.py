"""Operations for migrations that move models between apps without touching their tables."""

from collections.abc import Iterable

from django.conf import settings
from django.db import migrations

#: What `move_content_types` needs in the migration state, for the migrations that call it.
CONTENT_TYPE_DEPENDENCIES = [
    ("contenttypes", "0002_remove_content_type_name"),
    ("auth", "0012_alter_user_first_name_max_length"),
    ("admin", "0003_logentry_add_action_flag_choices"),
]


def move_content_types(old_app: str, new_app: str, models: Iterable[str]) -> migrations.RunPython:
    """Give the content types of moved models their new app label, so that the permissions
    granted to groups and users and the admin's log entries (which point at a content type)
    follow the models. Where the new label exists already (the new code started before the
    migration ran), the old one's permissions, grants and log entries move onto it and the old
    one is deleted."""
    names = tuple(models)

    def relabel(apps, schema_editor, source: str, target: str) -> None:
        alias = schema_editor.connection.alias
        content_types = apps.get_model("contenttypes", "ContentType").objects.using(alias)
        for name in names:
            old = content_types.filter(app_label=source, model=name).first()
            if old is None:
                continue
            new = content_types.filter(app_label=target, model=name).first()
            if new is None:
                old.app_label = target
                old.save(update_fields=["app_label"])
            else:
                _merge(apps, alias, old, new)

    return migrations.RunPython(
        lambda apps, editor: relabel(apps, editor, old_app, new_app),
        lambda apps, editor: relabel(apps, editor, new_app, old_app),
    )


def _merge(apps, alias: str, old, new) -> None:
    """Move what points at the content type `old` onto `new`, then delete `old`."""
    permissions = apps.get_model("auth", "Permission").objects.using(alias)
    grants = (
        apps.get_model("auth", "Group").permissions.through.objects.using(alias),
        apps.get_model(settings.AUTH_USER_MODEL).user_permissions.through.objects.using(alias),
    )
    owner = ("group_id", "user_id")
    for permission in permissions.filter(content_type=old):
        twin = permissions.filter(content_type=new, codename=permission.codename).first()
        if twin is None:
            permission.content_type = new
            permission.save(update_fields=["content_type"])
            continue
        for through, field in zip(grants, owner, strict=True):
            holders = set(through.filter(permission=twin).values_list(field, flat=True))
            for grant in through.filter(permission=permission):
                if getattr(grant, field) not in holders:
                    through.create(**{field: getattr(grant, field), "permission": twin})
        permission.delete()
    apps.get_model("admin", "LogEntry").objects.using(alias).filter(content_type=old).update(
        content_type=new
    )
    old.delete()
