"""The steering committee's decision, the one record the December meeting produces, and what the
portal's official documents are headed and signed with."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class CommitteeDecision(models.Model):
    """The steering committee's recognition decision for a unit and year."""

    class Decision(models.TextChoices):
        RECOGNIZED = "recognized", _("Recognised")
        NOT_RECOGNIZED = "not_recognized", _("Not recognised")

    unit = models.ForeignKey(
        "assignments.Unit",
        on_delete=models.PROTECT,
        related_name="decisions",
        verbose_name=_("unit"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    meeting_date = models.DateField(_("meeting date"))
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices)
    number = models.CharField(_("decision number"), max_length=100, blank=True)
    note = models.TextField(_("note"), blank=True, max_length=4000)
    #: Why the committee recognised a district that is not a pilot or whose computed verdict is
    #: not «Đạt» (evaluation.selectors.recognition_exceptions); empty otherwise.
    exception_reason = models.TextField(
        _("reason for recognising against the data"), blank=True, max_length=2000
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)
    # The tables keep the names they had when the decision lived in the project package.
    history = HistoricalRecords(table_name="learningcity_historicalcommitteedecision")

    class Meta:
        db_table = "learningcity_committeedecision"
        verbose_name = _("committee decision")
        verbose_name_plural = _("committee decisions")
        ordering = ["-year", "unit__position"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="one_decision_per_unit_year"),
            models.CheckConstraint(
                condition=models.Q(decision__in=["recognized", "not_recognized"]),
                name="committee_decision_valid",
                violation_error_message=_(
                    "The committee's decision is recognised or not recognised."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} — {self.year}: {self.get_decision_display()}"


class DocumentSettings(models.Model):
    """Who issues the portal's official documents and who signs them (evaluation/documents.py):
    kept by the standing office, one row. Until it is saved the documents use the plan's own
    header (Sở GD&ĐT Hải Phòng, signed by its director)."""

    parent_body = models.CharField(
        _("body above the issuer"), max_length=200, default="UBND THÀNH PHỐ HẢI PHÒNG"
    )
    issuing_body = models.CharField(
        _("issuing body"), max_length=200, default="SỞ GIÁO DỤC VÀ ĐÀO TẠO"
    )
    short_name = models.CharField(
        _("issuer's short name in the number"),
        max_length=30,
        default="SGDĐT",
    )
    place = models.CharField(_("place before the date"), max_length=100, default="Hải Phòng")
    on_behalf_of = models.CharField(
        _("signing on behalf of"),
        max_length=200,
        blank=True,
    )
    signer_title = models.CharField(_("signer's title"), max_length=200, default="GIÁM ĐỐC")
    signer_name = models.CharField(
        _("signer's name"),
        max_length=200,
        blank=True,
        help_text=_("Empty: the name is written by hand."),
    )
    recipients = models.TextField(
        _("recipients"),
        max_length=2000,
        default=(
            "- UBND thành phố (để b/c);\n- Bộ Giáo dục và Đào tạo (để b/c);\n- Lưu: VT, GDTX-CN&ĐH."
        ),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("updated by"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    #: The one row there is.
    SINGLE = 1

    class Meta:
        verbose_name = _("document settings")
        verbose_name_plural = _("document settings")
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="document_settings_one_row"),
        ]

    def __str__(self) -> str:
        return self.issuing_body

    @property
    def recipient_lines(self) -> list[str]:
        return [line.strip() for line in self.recipients.splitlines() if line.strip()]
