"""Forms for reported values. Fields read numbers with the one parser (common/numbers.py), so
"1,5", "1.5" and "1.234,5" mean what a Vietnamese officer means; which fields an indicator takes is
its kind's fact (criteria/scoring.py)."""

from decimal import Decimal

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Fieldset, Layout
from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common.forms import ChooseFileAgainMixin
from common.numbers import (
    NumberFormatError,
    parse_count,
    parse_decimal,
    parse_percent,
    show_number,
)
from common.templatetags.portal_tags import vietnamese, vietnamese_fields, vietnamese_in
from criteria.models import Indicator
from criteria.scoring import is_percentage, kind_facts

from .services import PART_FIGURES, LineData, MeasurementData, PartFigures

MAX_NOTE = 4000


class NumberField(forms.Field):
    """A decimal typed the Vietnamese or the English way, cleaned to a Decimal."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
    max_length = 40

    def __init__(self, *args: object, signed: bool = False, **kwargs: object) -> None:
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)
        #: A negative number is a figure here (a growth rate), not a typing slip.
        self.signed = signed
        #: A percentage: a "%" after the number is accepted (MeasurementForm sets it per kind).
        self.percent = False

    def widget_attrs(self, widget: forms.Widget) -> dict:
        return {**super().widget_attrs(widget), "maxlength": str(self.max_length)}

    def prepare_value(self, value: object) -> object:
        return show_number(value) if isinstance(value, (Decimal, int)) else value

    def to_python(self, value: object) -> Decimal | None:
        text = str(value).strip() if value is not None else ""
        if not text:
            return None
        if len(text) > self.max_length:
            raise forms.ValidationError(_("The number is too long."), code="too_long")
        try:
            number = self.parse(text)
        except NumberFormatError as error:
            raise forms.ValidationError(error.message, code="invalid_number") from error
        if number < 0 and not self.signed:
            raise forms.ValidationError(_("The number may not be negative."), code="negative")
        if abs(number) >= Decimal(10) ** 18:
            raise forms.ValidationError(_("The number is too large."), code="too_large")
        return number

    def parse(self, text: str) -> Decimal:
        number = parse_percent(text) if self.percent else parse_decimal(text)
        if number != number.quantize(Decimal("0.000001"), rounding="ROUND_DOWN"):
            raise NumberFormatError(
                gettext("«%(text)s» has too many decimals (at most 6).") % {"text": text}
            )
        return number


class CountField(NumberField):
    """A whole number: "11" or "11.0", never "11,5"."""

    widget = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})

    def parse(self, text: str) -> int:
        return parse_count(text)


YES_NO_CHOICES = [("", _("Not yet known")), ("yes", _("Yes")), ("no", _("No"))]

#: The figures a person enters, as forms label them before the indicator's kind says more.
FIGURE_LABELS = {
    "yes": _("Is there a document?"),
    "numerator": _("Numerator"),
    "denominator": _("Denominator"),
    "value": _("Value"),
    "previous": _("Previous year's value"),
}


def _plain(sentence: str, **names: object) -> str:
    return sentence % names


def figure_label(name: str, indicator: Indicator, *, marked: bool = False) -> str:
    """The label of one figure of an indicator, in the active language: a share's or a rate's
    value is its rate in %, a drop's two values are rates in %, an increase's are in its unit.
    `marked`: HTML for a page's label, the indicator's own Vietnamese words (its unit, the wording
    of its numerator or denominator) marked lang="vi" on a page in another language."""
    put = vietnamese_in if marked else _plain
    facts = kind_facts(indicator.kind)
    unit = indicator.unit_of_measure
    if name == "value" and facts.is_ratio:
        return gettext("Rate (%)")
    if name in ("value", "previous") and facts.value_in_percent:
        if name == "value":
            return gettext("This year's rate (%)")
        return gettext("Previous year's rate (%)")
    if name in ("value", "previous") and unit:
        if name == "value":
            return put(gettext("This year's value (%(unit)s)"), unit=unit)
        return put(gettext("Previous year's value (%(unit)s)"), unit=unit)
    if name == "yes" and indicator.kind == Indicator.Kind.ACTIVITY:
        return gettext("Was it carried out?")
    if name == "growth_rate":
        return gettext("Or the growth rate published (%)")
    if name == "numerator" and indicator.numerator_label:
        return put(f"{FIGURE_LABELS[name]}: %(wording)s", wording=indicator.numerator_label)
    if name == "denominator" and indicator.denominator_label:
        return put(f"{FIGURE_LABELS[name]}: %(wording)s", wording=indicator.denominator_label)
    return str(FIGURE_LABELS[name])


class MeasurementForm(forms.Form):
    """The value of one indicator for one unit and year: only the fields its kind needs."""

    yes = forms.ChoiceField(
        label=FIGURE_LABELS["yes"], choices=YES_NO_CHOICES, required=False, widget=forms.RadioSelect
    )
    numerator = CountField(label=FIGURE_LABELS["numerator"])
    denominator = CountField(label=FIGURE_LABELS["denominator"])
    value = NumberField(label=FIGURE_LABELS["value"])
    previous = NumberField(label=FIGURE_LABELS["previous"])
    growth_rate = NumberField(
        signed=True,
        label=_("Or the growth rate published (%)"),
        help_text=_(
            "Instead of the two levels: the growth rate the statistics office published, in %, "
            "at comparable prices (a decline is negative, e.g. -1.2)."
        ),
    )
    previous_source = forms.CharField(
        label=_("Source of last year's figure"),
        required=False,
        max_length=300,
        help_text=_("The report or decision it comes from."),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    is_estimate = forms.BooleanField(
        label=_("These figures are an estimate"),
        required=False,
        help_text=_("Untick it when the final figures replace them."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args: object, indicator: Indicator, **kwargs: object):
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        self.parts = indicator.part_list
        kept = () if self.parts else indicator.figures
        self._add_part_fields()
        for name in (*FIGURE_LABELS, "growth_rate"):
            if name in kept:
                self.fields[name].label = figure_label(name, indicator, marked=True)
            else:
                del self.fields[name]
        for name in kept:
            if is_percentage(indicator.kind, name):
                self.fields[name].percent = True
        if kind_facts(indicator.kind).is_ratio and "value" in self.fields:
            self.fields["value"].help_text = _(
                "Enter the numerator and the denominator, or the rate directly."
            )
        if not (indicator.basis and "previous" in kept):
            del self.fields["previous_source"]
        else:
            self.fields["previous_source"].help_text = vietnamese_in(
                gettext(
                    "The report or decision it comes from; the figure must be measured under "
                    "%(basis)s."
                ),
                basis=indicator.basis,
            )
        if indicator.kind == Indicator.Kind.DROP_AT_LEAST:
            self.fields["previous"].help_text = _(
                "The drop is in percentage points: «a drop of 1.5» means from 3.3 % to 1.8 % or "
                "lower, not 1.5 % of the rate. Enter last year's rate measured under the same "
                "standard as this year's."
            )
        vietnamese_fields(self, "note", "previous_source")
        self.helper = self._helper(kept)

    @staticmethod
    def part_field(part: object, name: str) -> str:
        """The form field of one figure of a part: "part-a-numerator"."""
        return f"part-{part.code}-{name}"

    def _add_part_fields(self) -> None:
        """Each part of an indicator made of several takes two counts, or its rate."""
        for part in self.parts:
            for name in PART_FIGURES:
                field = CountField() if name != "value" else NumberField()
                field.label = figure_label(name, self.indicator, marked=True)
                field.percent = name == "value"
                self.fields[self.part_field(part, name)] = field

    def _helper(self, kept: tuple[str, ...]) -> FormHelper:
        helper = FormHelper()
        helper.form_tag = False
        helper.disable_csrf = True
        numbers = [Div(Field(name), css_class="col-sm-4") for name in kept if name != "yes"]
        layout = [Field("yes")] if "yes" in kept else []
        if numbers:
            layout.append(Div(*numbers, css_class="row"))
        for part in self.parts:
            names = [self.part_field(part, name) for name in PART_FIGURES]
            layout.append(
                Fieldset(
                    format_html(
                        "{}) {} — {}", part.code, vietnamese(part.name), part.requirement_text
                    ),
                    Div(*[Div(Field(n), css_class="col-sm-4") for n in names], css_class="row"),
                )
            )
        if "previous_source" in self.fields:
            layout.append(Field("previous_source"))
        layout += [Field("is_estimate"), Field("note"), Field("version")]
        helper.layout = Layout(*layout)
        return helper

    def clean_yes(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.cleaned_data.get("yes") or "")

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("growth_rate") is not None and cleaned.get("value") is None:
            cleaned["previous"] = None  # last year's level, offered by the page, not typed
        if self.has_error("version"):
            # The version travels in a hidden field, whose own error no one would see: only a
            # damaged or forged page gets it wrong.
            self.add_error(
                None,
                _("The page is out of date or damaged: reload it, then enter the values again."),
            )
        return cleaned

    def measurement_data(self) -> MeasurementData:
        data = self.cleaned_data
        parts = {
            part.code: PartFigures(
                **{name: data.get(self.part_field(part, name)) for name in PART_FIGURES}
            )
            for part in self.parts
        }
        return MeasurementData(
            parts={code: figures for code, figures in parts.items() if figures.has_values},
            yes=data.get("yes"),
            numerator=data.get("numerator"),
            denominator=data.get("denominator"),
            value=data.get("value"),
            previous=data.get("previous"),
            growth_rate=data.get("growth_rate"),
            note=data.get("note", "").strip(),
            previous_source=data.get("previous_source", "").strip(),
            estimate=data["is_estimate"],
        )

    @classmethod
    def initial_for(cls, measurement: object, previous_default: Decimal | None) -> dict:
        """Initial values from the stored entry; a drop or an increase shows last year's value."""
        if measurement is None:
            return {"previous": previous_default, "version": None}
        yes = {True: "yes", False: "no"}.get(measurement.yes, "")
        parts = {
            cls.part_field(stored.part, name): getattr(stored, name)
            for stored in measurement.part_values.all()
            for name in PART_FIGURES
        }
        return {
            **parts,
            "yes": yes,
            "numerator": measurement.numerator,
            "denominator": measurement.denominator,
            "value": measurement.value,
            "previous": measurement.previous
            if measurement.previous is not None or measurement.growth_rate is not None
            else previous_default,
            "growth_rate": measurement.growth_rate,
            "previous_source": measurement.previous_source,
            "note": measurement.note,
            "is_estimate": measurement.is_estimate,
            "version": measurement.version,
        }


class ReturnForm(forms.Form):
    """The standing office's reason for returning an entry, and the version it read."""

    comment = forms.CharField(
        label=_("What must be corrected"),
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)


class WorkbookUploadForm(ChooseFileAgainMixin, forms.Form):
    """A filled "Số liệu" workbook (.xlsx) to check and preview before anything is written. Other
    uploads of a workbook (a list of accounts) take its shape with their own size and message."""

    MAX_BYTES = 5 * 1024 * 1024
    TOO_LARGE = _("The workbook is larger than 5 MB; a values workbook is far smaller.")

    file = forms.FileField(
        label=_("Excel workbook (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(self.TOO_LARGE, code="too_large")
        return upload


class NotApplicableForm(forms.Form):
    """The standing office's reason for marking an indicator not applicable to a unit, or — for
    an entry already marked — the undoing of it (`clear`)."""

    reason = forms.CharField(
        label=_("Why it does not apply"),
        required=False,
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control form-control-sm mb-2"}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    clear = forms.BooleanField(required=False, widget=forms.HiddenInput)

    @classmethod
    def for_entry(cls, measurement: object) -> "NotApplicableForm":
        """The form as the entry page offers it: to mark, or to undo a mark."""
        return cls(
            initial={
                "version": measurement.version if measurement else None,
                "clear": bool(measurement and measurement.is_not_applicable),
            }
        )

    @property
    def clears(self) -> bool:
        return bool(self.initial.get("clear"))

    def clean(self) -> dict:
        cleaned = super().clean()
        if not cleaned.get("clear") and not (cleaned.get("reason") or "").strip():
            raise forms.ValidationError(
                _("Say why the indicator does not apply to this unit."), code="reason_required"
            )
        return cleaned


class AgencyListForm(WorkbookUploadForm):
    """A workbook with the agencies and their learning-unit scores (sheet "Danh sách")."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)


class DistrictFlagsForm(forms.Form):
    """A yes/no per district, e.g. covered by free wifi."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args: object, districts: list, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.districts = districts
        for district in districts:
            self.fields[f"district-{district.pk}"] = forms.ChoiceField(
                label=vietnamese(district.name),
                choices=[("yes", _("Yes")), ("no", _("No"))],
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
            )

    def rows(self) -> list:
        return [(district, self[f"district-{district.pk}"]) for district in self.districts]

    def flags(self) -> dict[int, bool]:
        return {d.pk: self.cleaned_data[f"district-{d.pk}"] == "yes" for d in self.districts}


class ReportedLineForm(forms.Form):
    """A reporting department's line: the pupils affected and the pupils in total (3.2.3)."""

    numerator = CountField(required=True)
    denominator = CountField(required=True)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args: object, indicator: Indicator, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["numerator"].label = figure_label("numerator", indicator, marked=True)
        self.fields["denominator"].label = figure_label("denominator", indicator, marked=True)
        vietnamese_fields(self, "note")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Div(
                Div(Field("numerator"), css_class="col-sm-6"),
                Div(Field("denominator"), css_class="col-sm-6"),
                css_class="row",
            ),
            Field("note"),
            Field("version"),
        )

    def line_data(self) -> LineData:
        data = self.cleaned_data
        return LineData(data["numerator"], data["denominator"], data.get("note", "").strip())


class LineReviewForm(forms.Form):
    """The standing office's decision on a submitted line, as it saw it."""

    line = forms.IntegerField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    comment = forms.CharField(
        label=_("What must be corrected"),
        required=False,
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ValueCommentForm(forms.Form):
    """A message in an entry's thread."""

    text = forms.CharField(
        label=_("Message"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
        error_messages={"required": _("Write a message.")},
    )
