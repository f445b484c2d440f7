"""Operations for migrations that move models between apps without touching their tables."""

from collections.abc import Iterable

from django.db import migrations


def move_content_types(old_app: str, new_app: str, models: Iterable[str]) -> migrations.RunPython:
    """Give the content types of moved models their new app label, so that the permissions
    granted to groups and the admin's log entries (both point at a content type) follow the
    models. A content type already present under the new label is left as it is."""
    names = tuple(models)

    def relabel(apps, schema_editor, source: str, target: str) -> None:
        content_types = apps.get_model("contenttypes", "ContentType").objects.using(
            schema_editor.connection.alias
        )
        for name in names:
            if not content_types.filter(app_label=target, model=name).exists():
                content_types.filter(app_label=source, model=name).update(app_label=target)

    return migrations.RunPython(
        lambda apps, editor: relabel(apps, editor, old_app, new_app),
        lambda apps, editor: relabel(apps, editor, new_app, old_app),
    )
