"""Forms for evidence. They read what people type; the file itself is checked by
evidence/uploads.py inside the services, so a refusal reads the same from every path."""

from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from common.forms import ChooseFileAgainMixin, DayMonthYearField
from common.templatetags.portal_tags import vietnamese, vietnamese_fields
from criteria.models import Indicator

from .filetypes import ACCEPT_ATTRIBUTE
from .models import Document
from .services import DocumentMetadata

MAX_TEXT = 4000


class IndicatorChoiceField(forms.ModelMultipleChoiceField):
    """Indicators as check boxes reading "1.2.1 — the indicator's text"."""

    def label_from_instance(self, indicator: Indicator) -> str:
        return format_html("{} — {}", indicator.code, vietnamese(indicator.text))


def _file_field(label: str = _("File")) -> forms.FileField:
    # Empty files reach the upload checks, which refuse them with the portal's own words.
    return forms.FileField(
        label=label,
        allow_empty_file=True,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
    )


class DocumentUploadForm(ChooseFileAgainMixin, forms.Form):
    """A new document: the indicators it proves, its metadata and its file."""

    indicators = IndicatorChoiceField(
        label=_("Indicators the document proves"),
        queryset=Indicator.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one indicator that the document proves.")},
    )
    title = forms.CharField(label=_("Title"), max_length=500)
    number = forms.CharField(
        label=_("Document number"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. 254/KH-UBND")}),
    )
    issue_date = DayMonthYearField(
        label=_("Issue date"),
        required=False,
        widget=forms.DateInput(
            format="%d/%m/%Y",
            attrs={"placeholder": _("dd/mm/yyyy"), "inputmode": "numeric", "autocomplete": "off"},
        ),
    )
    issuer = forms.CharField(label=_("Issuing body"), max_length=300, required=False)
    is_plan = forms.BooleanField(
        label=_("This is the district's plan (the People's Committee's plan for the pilot)"),
        required=False,
        help_text=_("Shown on the district's page and on the progress page."),
    )
    file = _file_field()

    def __init__(
        self, *args: object, indicators: list[Indicator], district: bool = False, **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)
        if not district:  # the city has no district plan
            del self.fields["is_plan"]
        self.fields["indicators"].queryset = Indicator.objects.filter(
            pk__in=[i.pk for i in indicators]
        ).order_by(*Indicator._meta.ordering)

    def metadata(self) -> DocumentMetadata:
        data = self.cleaned_data
        return DocumentMetadata(
            title=data["title"],
            number=data.get("number", ""),
            issue_date=data.get("issue_date"),
            issuer=data.get("issuer", ""),
            kind=Document.Kind.PLAN if data.get("is_plan") else Document.Kind.EVIDENCE,
        )


class ReplaceForm(ChooseFileAgainMixin, forms.Form):
    """A new file for a document."""

    file = _file_field(_("New file"))


class WithdrawForm(forms.Form):
    """Why a document is withdrawn."""

    reason = forms.CharField(
        label=_("Reason for withdrawal"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RequestMoreForm(forms.Form):
    """What the standing office asks the unit to add."""

    comment = forms.CharField(
        label=_("What is missing"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ExplanationForm(forms.Form):
    """A unit's explanation of missing evidence."""

    text = forms.CharField(
        label=_("Explanation"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        vietnamese_fields(self, "text")
