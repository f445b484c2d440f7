"""Forms of the dashboard: the what-if sandbox and the committee's decision."""

from django import forms
from django.utils.translation import gettext_lazy as _

from common.numbers import show_number
from criteria import scoring
from criteria.models import Indicator
from criteria.selectors import indicator_spec
from measurements.forms import YES_NO_CHOICES, figure_label

from .models import CommitteeDecision


class WhatIfForm(forms.Form):
    """Every indicator's values in one sandbox form; nothing it holds is ever saved.

    Numbers are read by the scoring service's own reader (common.numbers), so "1,5" and "1.5"
    mean the same here as in the data-entry forms and the Excel import.
    """

    def __init__(self, *args: object, indicators: list[Indicator], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        for indicator in indicators:
            for name in indicator.figures:
                self.fields[f"{indicator.code}-{name}"] = self._field(name, indicator)
            self.fields[f"{indicator.code}-na"] = forms.BooleanField(
                label=_("Not applicable"),
                required=False,
                widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
            )
            self.fields[f"{indicator.code}-reason"] = forms.CharField(
                label=_("Reason"),
                required=False,
                max_length=500,
                widget=forms.TextInput(
                    attrs={"class": "form-control form-control-sm", "placeholder": _("Reason")}
                ),
            )

    @staticmethod
    def _field(name: str, indicator: Indicator) -> forms.Field:
        label = figure_label(name, indicator)
        if name == "yes":
            return forms.ChoiceField(
                label=label,
                choices=YES_NO_CHOICES,
                required=False,
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )
        widget = forms.TextInput(
            attrs={"inputmode": "decimal", "size": 9, "class": "form-control form-control-sm"}
        )
        return forms.CharField(label=label, required=False, max_length=40, widget=widget)

    def rows(
        self,
    ) -> list[tuple[Indicator, list[forms.BoundField], forms.BoundField, forms.BoundField]]:
        """The bound fields of each indicator, for the template's table; a field that holds an
        error is drawn as invalid (Django adds its aria-invalid)."""
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
        return [
            (
                indicator,
                [self[f"{indicator.code}-{name}"] for name in indicator.figures],
                self[f"{indicator.code}-na"],
                self[f"{indicator.code}-reason"],
            )
            for indicator in self.indicators
        ]

    def clean(self) -> dict:
        cleaned = super().clean()
        self.scenario: dict[str, scoring.IndicatorInput] = {}
        for indicator in self.indicators:
            try:
                self.scenario[indicator.code] = scoring.input_from_mapping(
                    indicator_spec(indicator), self._mapping(indicator, cleaned)
                )
            except scoring.ScoringInputError as error:
                self.add_error(f"{indicator.code}-{indicator.figures[0]}", str(error))
        return cleaned

    @staticmethod
    def _mapping(indicator: Indicator, cleaned: dict) -> dict[str, object]:
        code = indicator.code
        if cleaned.get(f"{code}-na"):
            return {"not_applicable": True, "reason": cleaned.get(f"{code}-reason", "")}
        mapping: dict[str, object] = {}
        for name in indicator.figures:
            raw = cleaned.get(f"{code}-{name}")
            if name == "yes":
                mapping["yes"] = {"yes": True, "no": False}.get(raw or "")
            else:
                mapping[name] = raw or None
        return mapping

    @property
    def overrides(self) -> dict[str, scoring.IndicatorInput]:
        """The inputs of the indicators whose values the person changed (valid form only): what
        the scenario replaces, the rest staying as gathered (evaluation/selectors.py)."""
        changed = {name.rsplit("-", 1)[0] for name in self.changed_data}
        return {code: given for code, given in self.scenario.items() if code in changed}

    @classmethod
    def initial_from(cls, inputs: dict[str, scoring.IndicatorInput]) -> dict[str, object]:
        """Prefill from the inputs the official verdict counts, "not applicable" included."""
        initial: dict[str, object] = {}
        for code, given in inputs.items():
            initial[f"{code}-yes"] = {True: "yes", False: "no"}.get(given.yes, "")
            for name in ("numerator", "denominator", "value", "previous", "growth_rate"):
                number = getattr(given, name)
                initial[f"{code}-{name}"] = show_number(number) if number is not None else ""
            initial[f"{code}-na"] = given.not_applicable
            initial[f"{code}-reason"] = given.reason
        return initial


class DecisionForm(forms.ModelForm):
    """The committee's decision for a unit and year. When recognising the unit would go against
    what the portal knows of it (`exceptions`, from evaluation.selectors.recognition_exceptions),
    it asks for a confirmation and the committee's reason; the service requires both."""

    decision = forms.ChoiceField(
        label=_("Decision"), choices=CommitteeDecision.Decision.choices, widget=forms.RadioSelect
    )
    exception_confirmed = forms.BooleanField(
        label=_("The committee recognises it all the same"), required=False
    )

    class Meta:
        model = CommitteeDecision
        fields = ["meeting_date", "decision", "number", "note", "exception_reason"]
        widgets = {
            "meeting_date": forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}),
            "note": forms.Textarea(attrs={"rows": 3}),
            "exception_reason": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, exceptions: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not exceptions:
            del self.fields["exception_confirmed"]
            del self.fields["exception_reason"]
        elif self.instance.exception_reason:
            self.initial.setdefault("exception_confirmed", True)
