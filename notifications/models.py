from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from common.sentences import Sentence


class Notification(models.Model):
    """One message to one person: something they should act on or know about.

    `message` (English, translated when shown) and `figures` are the sentence written when the
    notification is created, like the audit log: it says what was true then (a task's due date
    may move later). The page says it in the reader's language, the e-mail in Vietnamese.
    """

    class Kind(models.TextChoices):
        VALUE_RETURNED = "value_returned", _("Value returned")
        VALUE_APPROVED = "value_approved", _("Value approved")
        DOCUMENT_APPROVED = "document_approved", _("Document approved")
        DOCUMENT_NEEDS_MORE = "document_needs_more", _("Document needs more")
        TASK_DUE_7 = "task_due_7", _("Plan task due in 7 days")
        TASK_DUE_1 = "task_due_1", _("Plan task due tomorrow")
        TASK_OVERDUE = "task_overdue", _("Plan task overdue")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    message = models.CharField(_("message"), max_length=300)
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    link = models.CharField(_("link"), max_length=300)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    key = models.CharField(
        _("key"),
        max_length=100,
        blank=True,
        help_text=_("Set for reminders: one notification per recipient and key, ever."),
    )

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key"],
                condition=~models.Q(key=""),
                name="notification_unique_key_per_recipient",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient} — {self.get_kind_display()}"

    @property
    def sentence(self) -> Sentence:
        return Sentence(self.message, self.figures)
