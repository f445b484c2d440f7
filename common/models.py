"""No domain models live here: only what any app's upload needs between two requests."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _

from .storage import staging_storage


class StagedImport(models.Model):
    """An uploaded workbook kept in storage between its preview and its confirmation, for its
    owner only and until it expires; the session holds only its id (common/staging.py)."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    kind = models.CharField(_("kind"), max_length=30)
    file = models.FileField(_("file"), storage=staging_storage, max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    #: What the preview saw of the rows it would write (their versions), to detect a change
    #: before the confirmation writes anything.
    seen = models.JSONField(_("what the preview saw"), default=list, blank=True)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))

    class Meta:
        verbose_name = _("staged import")
        verbose_name_plural = _("staged imports")
        indexes = [models.Index(fields=["expires_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Exact(Length("sha256"), 64), name="staged_import_sha256_64_chars"
            ),
            models.CheckConstraint(condition=~Q(file=""), name="staged_import_has_file"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} — {self.owner} — {self.created_at:%d/%m/%Y %H:%M}"


class WorkbookReading(models.Model):
    """A workbook being read for a person. Each person has at most one in flight, whichever
    worker or server their requests reach: the row is the lock (common/reading.py)."""

    reader = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
        verbose_name=_("read for"),
    )
    started_at = models.DateTimeField(_("started at"))

    class Meta:
        verbose_name = _("workbook being read")
        verbose_name_plural = _("workbooks being read")

    def __str__(self) -> str:
        return f"{self.reader} — {self.started_at:%d/%m/%Y %H:%M:%S}"
