"""The systems that read the API (the Ministry's national roll-up, a provincial dashboard), each
with its token, and the log of every call — the only thing the API writes."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiClient(models.Model):
    """A system allowed to read the API. Its token is shown once, when issued or rotated; the
    portal keeps only its SHA-256 (a leaked database gives no token) and its first characters,
    to tell tokens apart. A revoked client reads nothing; its calls stay in the log."""

    name = models.CharField(_("system"), max_length=200, unique=True)
    token_prefix = models.CharField(_("token starts with"), max_length=8)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    rotated_at = models.DateTimeField(_("token replaced at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class ApiCall(models.Model):
    """One request to the API, answered or refused (a missing, unknown or revoked token has no
    client)."""

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    client = models.ForeignKey(
        ApiClient,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="calls",
        verbose_name=_("system"),
    )
    method = models.CharField(_("method"), max_length=10)
    path = models.CharField(_("address"), max_length=500)
    status = models.PositiveSmallIntegerField(_("status"))
    client_address = models.GenericIPAddressField(_("from"), null=True, blank=True)

    class Meta:
        verbose_name = _("API call")
        verbose_name_plural = _("API calls")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.method} {self.path} → {self.status}"
