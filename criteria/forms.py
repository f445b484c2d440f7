from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from common.forms import ChooseFileAgainMixin

from .models import CriteriaSet


class CriteriaWorkbookUploadForm(ChooseFileAgainMixin, forms.Form):
    """A criteria set workbook (.xlsx) to check and preview before anything is created."""

    #: A criteria set workbook is far smaller (the 20 indicators of 2022 take 15 KB).
    MAX_BYTES = 1024 * 1024

    file = forms.FileField(
        label=_("Excel workbook (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(
                _("The workbook is larger than 1 MB; a criteria set workbook is far smaller."),
                code="too_large",
            )
        return upload


class RecognitionRuleForm(forms.Form):
    """The recognition rule a set names: every standard met, or enough indicators."""

    # The rule «levels» comes with the levels a set defines (its workbook or the admin), not
    # from this choice.
    rule = forms.ChoiceField(
        label=_("Recognition rule"),
        choices=[c for c in CriteriaSet.Rule.choices if c[0] != CriteriaSet.Rule.LEVELS],
        widget=forms.RadioSelect,
    )
    # Its range (1 to the set's number of indicators) is the service's to say.
    min_indicators_met = forms.IntegerField(
        label=_("Indicators to meet (for the second rule)"), required=False
    )
