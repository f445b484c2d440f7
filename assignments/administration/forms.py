"""The forms of the administration pages: they check what is typed; the writes are
`assignments.administration.services`."""

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.models import User
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext_lazy as _

from common.forms import DayMonthYearField
from common.templatetags.portal_tags import page_is_vietnamese
from criteria.models import CriteriaSet
from measurements.forms import WorkbookUploadForm

from ..models import Department, Unit
from ..permissions import GROUPS
from ..selectors import subdivisions
from ..templatetags.assignments_tags import group_label


class _VietnameseOptions:
    """Each option of a choice of names (departments, units) is marked Vietnamese on a page in
    another language (WCAG 3.1.2); the empty choice is the page's own language."""

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        if value not in (None, "") and not page_is_vietnamese():
            option["attrs"]["lang"] = "vi"
        return option


class _NamesSelect(_VietnameseOptions, forms.Select):
    """A choice of one name."""


class _NamesSelectMultiple(_VietnameseOptions, forms.SelectMultiple):
    """A choice of several names."""


class _GroupsMixin:
    """The group names offered as checkboxes, marked Vietnamese on a page in another language
    (the labels are drawn when the form is made, in the request's language)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["groups"].choices = [(name, group_label(name)) for name in GROUPS]


def _departments() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        widget=_NamesSelect,
        label=_("Department"),
        queryset=Department.objects.select_related("unit").order_by("position", "code"),
        required=False,
        empty_label=_("— no department —"),
        help_text=_("A person works for one department; it decides what they may enter."),
    )


def _groups() -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=_("Groups"),
        choices=[(name, name) for name in GROUPS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class _NewPassword(forms.Form):
    """A temporary password typed twice, under the portal's password validators."""

    password1 = forms.CharField(
        label=_("Temporary password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("The person must change it at their first login."),
    )
    password2 = forms.CharField(
        label=_("The temporary password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def account_for_validation(self) -> User:
        raise NotImplementedError

    def clean_password2(self) -> str:
        first, second = self.cleaned_data.get("password1"), self.cleaned_data["password2"]
        if first and first != second:
            raise forms.ValidationError(_("The two passwords differ."), code="password_mismatch")
        return second

    def _post_clean(self) -> None:
        super()._post_clean()
        password = self.cleaned_data.get("password2")
        if password:
            try:
                password_validation.validate_password(password, self.account_for_validation())
            except forms.ValidationError as error:
                self.add_error("password1", error)


class AccountCreateForm(_GroupsMixin, _NewPassword):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_("Letters, digits and . @ + - _ only, e.g. pgd.hongbang."),
    )
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"), required=False)
    department = _departments()
    groups = _groups()

    field_order = ["username", "full_name", "email", "department", "groups"]

    def clean_username(self) -> str:
        # As create_user will store it (NFKC: a full-width "ｖａｎｐｈｏｎｇ" is "vanphong").
        username = User.normalize_username(self.cleaned_data["username"])
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(
                _("An account with this username already exists."), code="username_taken"
            )
        return username

    def account_for_validation(self) -> User:
        return User(
            username=self.cleaned_data.get("username", ""),
            first_name=self.cleaned_data.get("full_name", ""),
            email=self.cleaned_data.get("email", ""),
        )


class AccountChangeForm(_GroupsMixin, forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"), required=False)
    department = _departments()
    groups = _groups()
    is_active = forms.BooleanField(
        label=_("May log in"),
        required=False,
        help_text=_("Untick to deactivate the account; its history stays."),
    )


class TemporaryPasswordForm(_NewPassword):
    def __init__(self, *args, account: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.account = account

    def account_for_validation(self) -> User:
        return self.account


_DAY = forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"})


class RoundForm(forms.Form):
    """A round's calendar and, for the districts' round, its pilot districts."""

    entry_opens_on = DayMonthYearField(label=_("Data entry opens on"), required=False, widget=_DAY)
    due_on = DayMonthYearField(label=_("Deadline for data"), required=False, widget=_DAY)
    council_on = DayMonthYearField(label=_("Council meeting on"), required=False, widget=_DAY)
    committee_on = DayMonthYearField(label=_("Committee meeting on"), required=False, widget=_DAY)
    districts = forms.ModelMultipleChoiceField(
        label=_("Pilot districts"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args: object, level: str, year: int, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if level == CriteriaSet.Level.DISTRICT:
            self.fields["districts"].queryset = subdivisions(year, CriteriaSet.Level.DISTRICT)
            self.fields["due_on"].help_text = _("The districts' self-assessment deadline.")
        else:
            self.fields["due_on"].help_text = _("The deadline for the divisions of the Department.")
            del self.fields["districts"]


class YearOpenForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)


class YearReopenForm(forms.Form):
    reason = forms.CharField(
        error_messages={"required": _("Say why the locked year is reopened.")},
        label=_("Why the year is reopened"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the administration log, with your name and the time."),
    )


class TaskDoneForm(forms.Form):
    completed_on = DayMonthYearField(label=_("Done on"), help_text=_("dd/mm/yyyy"))
    proof = forms.CharField(
        error_messages={"required": _("Name the report or minutes that prove the task done.")},
        label=_("Proof"),
        max_length=300,
        help_text=_("The report or minutes that prove it: number, date, issuer."),
    )


class TaskReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the task is open again"),
        max_length=1000,
        error_messages={"required": _("Say why the task is open again.")},
    )


class OwnPasswordForm(PasswordChangeForm):
    """Django's password change, refusing the old password as the new one (a temporary password
    kept would stay known to the administrator who set it)."""

    def clean(self) -> dict:
        cleaned = super().clean()
        password = cleaned.get("new_password2")
        if password and self.user.check_password(password):
            self.add_error(
                "new_password2",
                forms.ValidationError(
                    _("Choose a password different from the one you have now."),
                    code="password_same",
                ),
            )
        return cleaned


class AccountsUploadForm(WorkbookUploadForm):
    """A filled list of accounts (.xlsx), checked whole before any account is made."""

    MAX_BYTES = 2 * 1024 * 1024
    TOO_LARGE = _("The workbook is larger than 2 MB; a list of accounts is far smaller.")


class UnitsUploadForm(WorkbookUploadForm):
    """A list of units (.xlsx), checked whole before any unit is written."""

    MAX_BYTES = 2 * 1024 * 1024
    TOO_LARGE = _("The workbook is larger than 2 MB; a list of units is far smaller.")


class UnitForm(forms.Form):
    """One unit as the standing office corrects it: its name, kind, parent, years and what it
    became. The checks that involve other units are those of an Excel list (assignments.units)."""

    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Unit.Kind.choices)
    parent = forms.ModelChoiceField(
        label=_("Parent unit"), queryset=Unit.objects.none(), required=False, widget=_NamesSelect
    )
    valid_from = forms.IntegerField(
        label=_("First year"),
        min_value=1900,
        max_value=2100,
        required=False,
        help_text=_("Empty: the unit exists from the start."),
    )
    valid_to = forms.IntegerField(
        label=_("Last year"),
        min_value=1900,
        max_value=2100,
        required=False,
        help_text=_("Empty while the unit exists."),
    )
    successors = forms.ModelMultipleChoiceField(
        label=_("Became"),
        queryset=Unit.objects.none(),
        required=False,
        widget=_NamesSelectMultiple(attrs={"size": 8}),
        help_text=_(
            "The unit or units it became from the year after its last (hold Ctrl to choose "
            "several)."
        ),
    )
    position = forms.IntegerField(label=_("Position"), min_value=0, max_value=32767)

    def __init__(self, *args: object, unit: Unit, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        others = Unit.objects.exclude(pk=unit.pk).order_by("position", "code")
        self.fields["parent"].queryset = others
        # A successor exists from a year: a unit without a first year succeeds nothing.
        self.fields["successors"].queryset = others.filter(valid_from__isnull=False)
