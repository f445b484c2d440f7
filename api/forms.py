from django import forms
from django.utils.translation import gettext_lazy as _


class ClientIssueForm(forms.Form):
    name = forms.CharField(
        label=_("System"),
        max_length=200,
        help_text=_("Who reads the API with this token, e.g. the Ministry's national roll-up."),
    )


class ClientRevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the token is revoked"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept in the administration log, with your name and the time."),
    )
