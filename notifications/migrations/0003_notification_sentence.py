"""A notification keeps its sentence as a message and figures, so that the page says it in the
reader's language. A notification written before says its Vietnamese text as it was written."""

from django.db import migrations, models
from django.utils import translation


def text_to_sentence(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    for notification in Notification.objects.all().only("pk", "text"):
        notification.message = "%(text)s"
        notification.figures = {"text": notification.text}
        notification.save(update_fields=["message", "figures"])


def sentence_to_text(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    with translation.override("vi"):
        for notification in Notification.objects.all().only("pk", "message", "figures"):
            notification.text = translation.gettext(notification.message) % notification.figures
            notification.save(update_fields=["text"])


class Migration(migrations.Migration):
    dependencies = [("notifications", "0002_email_preference_into_account_settings")]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="message",
            field=models.CharField(default="", max_length=300, verbose_name="message"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="notification",
            name="figures",
            field=models.JSONField(blank=True, default=dict, verbose_name="figures"),
        ),
        migrations.AlterField(
            model_name="notification",
            name="text",
            field=models.TextField(blank=True, default="", verbose_name="text"),
        ),
        migrations.RunPython(text_to_sentence, sentence_to_text),
        migrations.RemoveField(model_name="notification", name="text"),
    ]
