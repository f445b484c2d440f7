"""The pilot's meetings, the recognition each unit receives at one (the committee's decision), the
frozen record of what it was decided on, and what the portal's official documents are headed and
signed with."""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from evidence.models import StoredFile
from evidence.storage import evidence_storage


class Meeting(models.Model):
    """A meeting of the pilot — the launch conference, the city evaluation council, the steering
    committee, the review conference — with its minutes (biên bản) typed in the portal."""

    class Kind(models.TextChoices):
        LAUNCH = "launch", _("Launch conference")
        COUNCIL = "council", _("City evaluation council meeting")
        COMMITTEE = "committee", _("Steering committee meeting")
        REVIEW = "review", _("Review conference")

    #: The meetings that recognise units (the others launch and review the plan).
    RECOGNISING = (Kind.COUNCIL, Kind.COMMITTEE)

    year = models.PositiveSmallIntegerField(_("evaluation year"))
    kind = models.CharField(_("meeting"), max_length=20, choices=Kind.choices)
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    chaired_by = models.CharField(_("chaired by"), max_length=300, blank=True)
    attendees = models.TextField(_("attendees"), max_length=4000, blank=True)
    agenda = models.TextField(_("agenda"), max_length=4000, blank=True)
    minutes = models.TextField(_("minutes"), max_length=20000, blank=True)
    plan_task = models.ForeignKey(
        "assignments.PlanTask",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("plan task it fulfils"),
        help_text=_("Recording the meeting marks this task done on the meeting's date."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-year", "held_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["launch", "council", "committee", "review"]),
                name="meeting_kind_valid",
                violation_error_message=_("Choose the kind of meeting from the list."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.held_on:%d/%m/%Y}"

    @property
    def recognises(self) -> bool:
        return self.kind in self.RECOGNISING

    @property
    def kind_in_sentence(self) -> str:
        """The kind as a sentence says it after a word («họp Ban chỉ đạo»): the first letter
        lowered, the names kept."""
        label = str(self.get_kind_display())
        return label[:1].lower() + label[1:]


class MeetingFile(StoredFile):
    """A file of a meeting's record: its minutes as signed (scanned, or the file the secretary
    wrote) or an attachment (the report heard, the list of attendees, a presentation)."""

    class Kind(models.TextChoices):
        MINUTES = "minutes", _("Signed minutes")
        ATTACHMENT = "attachment", _("Attachment")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="files", verbose_name=_("meeting")
    )
    #: The meeting's year (the year archive carries the file with it).
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind of file"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("meeting file")
        verbose_name_plural = _("meeting files")
        ordering = ["meeting", "kind", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["minutes", "attachment"]),
                name="meeting_file_kind_valid",
                violation_error_message=_("Choose the kind of file from the list."),
            ),
            models.CheckConstraint(
                condition=Exact(Length("sha256"), 64),
                name="meeting_file_sha256_64_chars",
                violation_error_message=_("A SHA-256 is 64 hexadecimal digits."),
            ),
            models.CheckConstraint(condition=models.Q(size__gt=0), name="meeting_file_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.meeting})"


class Member(models.Model):
    """A named member of the year's city evaluation council or steering committee, with their
    role, linked to their account when they have one."""

    class Body(models.TextChoices):
        COUNCIL = "council", _("City evaluation council")
        COMMITTEE = "committee", _("Steering committee")

    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair of the council")
        HEAD = "head", _("Head of the committee")
        DEPUTY = "deputy", _("Deputy head")
        SECRETARY = "secretary", _("Secretary")
        MEMBER = "member", _("Member")

    #: The roles each body has.
    ROLES = {
        Body.COUNCIL: (Role.CHAIR, Role.SECRETARY, Role.MEMBER),
        Body.COMMITTEE: (Role.HEAD, Role.DEPUTY, Role.MEMBER),
    }
    #: Who signs a body's minutes as its chair.
    CHAIRING = (Role.CHAIR, Role.HEAD)

    year = models.PositiveSmallIntegerField(_("evaluation year"))
    body = models.CharField(_("body"), max_length=20, choices=Body.choices)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    name = models.CharField(_("full name"), max_length=200)
    position = models.CharField(
        _("position and unit"),
        max_length=300,
        blank=True,
        help_text=_("As the decision that names the member writes it."),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("account"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["year", "body", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(body="council", role__in=["chair", "secretary", "member"])
                | models.Q(body="committee", role__in=["head", "deputy", "member"]),
                name="member_role_of_its_body",
                violation_error_message=_("Choose a role the body has."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()}, {self.get_body_display()} {self.year})"

    @property
    def attendee_line(self) -> str:
        """How a meeting's record lists the member among its attendees: «Nguyễn Văn A, Giám đốc
        Sở — Trưởng Ban» — stored, so in Vietnamese whoever records the meeting."""
        with translation.override("vi"):
            who = f"{self.name}, {self.position}" if self.position else self.name
            return f"{who} — {self.get_role_display()}"


class CommitteeDecision(models.Model):
    """The recognition of a unit for a year («công nhận» / «chưa công nhận»), recorded at the
    council or committee meeting that decided it."""

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
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.PROTECT,
        related_name="decisions",
        verbose_name=_("decided at"),
    )
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices)
    number = models.CharField(_("decision number"), max_length=100, blank=True)
    #: Under a set with levels (Thông tư 24 and 25/2023): the level recognised.
    level = models.PositiveSmallIntegerField(_("level recognised"), null=True, blank=True)
    #: The last day the recognition holds, from the set's validity (empty: it does not expire).
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
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

    @property
    def issued_document(self) -> "DecisionDocument | None":
        """The formal decision attached to the recognition, if one is."""
        return getattr(self, "document", None)


class DecisionDocument(StoredFile):
    """The formal decision issued on a recognition — its number, date, issuing body, signer and
    the signed file — attached to it. It does not change what is counted: the recognition
    does."""

    decision = models.OneToOneField(
        CommitteeDecision,
        on_delete=models.PROTECT,
        related_name="document",
        verbose_name=_("recognition"),
    )
    #: The recognition's year (the year archive carries the document with it).
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.CharField(_("decision number"), max_length=100)
    issued_on = models.DateField(_("issued on"))
    issuer = models.CharField(_("issued by"), max_length=300)
    signer = models.CharField(_("signed by"), max_length=200)
    file = models.FileField(_("signed file"), storage=evidence_storage, max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("decision document")
        verbose_name_plural = _("decision documents")
        constraints = [
            models.CheckConstraint(
                condition=Exact(Length("sha256"), 64),
                name="decision_document_sha256_64_chars",
                violation_error_message=_("A SHA-256 is 64 hexadecimal digits."),
            ),
            models.CheckConstraint(
                condition=models.Q(size__gt=0), name="decision_document_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.issued_on:%d/%m/%Y})"


class FrozenRecord(models.Model):
    """What a unit's recognition for a year was decided on, frozen when it was recorded
    (evaluation/records.py): `content` is the canonical JSON text, `sha256` its digest. Never
    changed or deleted; a correction is a new record that names the one it replaces."""

    unit = models.ForeignKey(
        "assignments.Unit",
        on_delete=models.PROTECT,
        related_name="frozen_records",
        verbose_name=_("unit"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    decision = models.ForeignKey(
        CommitteeDecision,
        on_delete=models.PROTECT,
        related_name="frozen_records",
        verbose_name=_("recognition"),
    )
    replaces = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("replaces"),
    )
    content = models.TextField(_("content"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    frozen_at = models.DateTimeField(_("frozen at"))
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("frozen by"),
    )

    class Meta:
        verbose_name = _("frozen record")
        verbose_name_plural = _("frozen records")
        ordering = ["-year", "unit__position", "-frozen_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Exact(Length("sha256"), 64),
                name="frozen_record_sha256_64_chars",
                violation_error_message=_("A SHA-256 is 64 hexadecimal digits."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} — {self.year} ({self.frozen_at:%d/%m/%Y %H:%M})"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValueError("A frozen record is never changed: record a correction instead.")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise ValueError("A frozen record is never deleted.")


#: How long a part of a report's narrative may be (a TextField's max_length binds forms only).
NARRATIVE_LENGTH = MaxLengthValidator(8000)


class ReportNarrative(models.Model):
    """What the writers of a unit's pilot report say beyond the figures (the Báo cáo kết quả
    thực hiện thí điểm, evaluation/documents.py): the results achieved, the shortcomings and
    their causes, the recommendations. Written in the portal so the generated report carries it;
    an empty part stays a note to complete in the editable file."""

    unit = models.ForeignKey(
        "assignments.Unit",
        on_delete=models.PROTECT,
        related_name="report_narratives",
        verbose_name=_("unit"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    results = models.TextField(_("results achieved"), blank=True, validators=[NARRATIVE_LENGTH])
    shortcomings = models.TextField(_("shortcomings"), blank=True, validators=[NARRATIVE_LENGTH])
    causes = models.TextField(_("causes"), blank=True, validators=[NARRATIVE_LENGTH])
    recommendations = models.TextField(
        _("recommendations"), blank=True, validators=[NARRATIVE_LENGTH]
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("updated by"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("report narrative")
        verbose_name_plural = _("report narratives")
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="one_narrative_per_unit_year"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} — {self.year}"


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
    name_in_text = models.CharField(
        _("issuing body as a sentence names it"),
        max_length=200,
        default="Sở Giáo dục và Đào tạo",
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
