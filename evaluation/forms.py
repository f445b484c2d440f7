"""Forms of the dashboard: the what-if sandbox and the committee's decision."""

import json
from collections.abc import Sequence
from dataclasses import dataclass

from django import forms
from django.contrib.auth.models import User
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from assignments.models import PlanTask
from common.forms import ChooseFileAgainMixin, DayMonthYearField
from common.numbers import show_number
from common.templatetags.portal_tags import vietnamese, vietnamese_fields, vietnamese_in
from criteria import scoring
from criteria.models import Indicator, IndicatorPart
from criteria.selectors import indicator_spec
from evidence.filetypes import ACCEPT_ATTRIBUTE
from measurements.forms import YES_NO_CHOICES, figure_label
from measurements.services import PART_FIGURES

from . import documents
from .models import (
    CommitteeDecision,
    DocumentSettings,
    Meeting,
    MeetingFile,
    Member,
    ReportNarrative,
)
from .services import (
    DOCUMENT_SETTINGS_FIELDS,
    MEETING_FIELDS,
    MEMBER_FIELDS,
    NARRATIVE_FIELDS,
)


@dataclass(frozen=True)
class WhatIfRow:
    """One indicator's line of the sandbox table: its own figures, or — for an indicator made of
    several parts — each part with its figures (and then no figure of its own)."""

    indicator: Indicator
    fields: list[forms.BoundField]
    parts: list[tuple[IndicatorPart, list[forms.BoundField]]]
    na: forms.BoundField
    reason: forms.BoundField


class WhatIfForm(forms.Form):
    """Every indicator's values in one sandbox form; nothing it holds is ever saved.

    Numbers are read by the scoring service's own reader (common.numbers), so "1,5" and "1.5"
    mean the same here as in the data-entry forms and the Excel import. An indicator made of
    parts (3.1.5) takes each part's two counts or rate instead of figures of its own.
    """

    def __init__(self, *args: object, indicators: list[Indicator], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        #: Field name → the code of the indicator it belongs to (what `overrides` replaces).
        self._codes: dict[str, str] = {}
        for indicator in indicators:
            for name in self._own_figures(indicator):
                self._add(f"{indicator.code}-{name}", indicator, self._field(name, indicator))
            for part in indicator.part_list:
                for name in PART_FIGURES:
                    field = self._field(name, indicator)
                    self._add(self.part_field(indicator.code, part.code, name), indicator, field)
            not_applicable = forms.BooleanField(
                label=_("Not applicable"),
                required=False,
                widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
            )
            self._add(f"{indicator.code}-na", indicator, not_applicable)
            reason = forms.CharField(
                label=_("Reason"),
                required=False,
                max_length=500,
                widget=forms.TextInput(
                    attrs={"class": "form-control form-control-sm", "placeholder": _("Reason")}
                ),
            )
            self._add(f"{indicator.code}-reason", indicator, reason)
        vietnamese_fields(self, *(f"{indicator.code}-reason" for indicator in indicators))

    def _add(self, name: str, indicator: Indicator, field: forms.Field) -> None:
        self.fields[name] = field
        self._codes[name] = indicator.code

    @staticmethod
    def part_field(indicator_code: str, part_code: str, name: str) -> str:
        """The field of one figure of one part: "3.1.5-part-a-numerator"."""
        return f"{indicator_code}-part-{part_code}-{name}"

    @staticmethod
    def _own_figures(indicator: Indicator) -> tuple[str, ...]:
        """The figures of the indicator itself: none for one made of parts."""
        return () if indicator.part_list else indicator.figures

    @staticmethod
    def _field(name: str, indicator: Indicator) -> forms.Field:
        label = figure_label(name, indicator, marked=True)
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

    def rows(self) -> list[WhatIfRow]:
        """The bound fields of each indicator, for the template's table; a field that holds an
        error is drawn as invalid (Django adds its aria-invalid)."""
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
        return [
            WhatIfRow(
                indicator=indicator,
                fields=[self[f"{indicator.code}-{name}"] for name in self._own_figures(indicator)],
                parts=[
                    (
                        part,
                        [
                            self[self.part_field(indicator.code, part.code, name)]
                            for name in PART_FIGURES
                        ],
                    )
                    for part in indicator.part_list
                ],
                na=self[f"{indicator.code}-na"],
                reason=self[f"{indicator.code}-reason"],
            )
            for indicator in self.indicators
        ]

    def clean(self) -> dict:
        cleaned = super().clean()
        self.scenario: dict[str, scoring.IndicatorInput] = {}
        for indicator in self.indicators:
            spec = indicator_spec(indicator)
            mapping = self._mapping(indicator, cleaned)
            try:
                self.scenario[indicator.code] = scoring.input_from_mapping(spec, mapping)
            except scoring.ScoringInputError as error:
                self.add_error(self._error_field(indicator, spec, mapping), str(error))
        return cleaned

    def _mapping(self, indicator: Indicator, cleaned: dict) -> dict[str, object]:
        code = indicator.code
        if cleaned.get(f"{code}-na"):
            return {"not_applicable": True, "reason": cleaned.get(f"{code}-reason", "")}
        mapping: dict[str, object] = {}
        for name in self._own_figures(indicator):
            raw = cleaned.get(f"{code}-{name}")
            if name == "yes":
                mapping["yes"] = {"yes": True, "no": False}.get(raw or "")
            else:
                mapping[name] = raw or None
        if indicator.part_list:
            mapping["parts"] = {
                part.code: {
                    name: cleaned.get(self.part_field(indicator.code, part.code, name)) or None
                    for name in PART_FIGURES
                }
                for part in indicator.part_list
            }
        return mapping

    def _error_field(
        self, indicator: Indicator, spec: scoring.IndicatorSpec, mapping: dict[str, object]
    ) -> str:
        """Where an indicator's error is shown: in the part it is about (the message names the
        part), on the figure at fault (`_figure_at_fault`); the reason of an indicator marked not
        applicable without one."""
        code = indicator.code
        if mapping.get("not_applicable"):
            return f"{code}-reason"
        parts = mapping.get("parts") or {}
        for part in spec.parts:
            given = parts.get(part.code, {})
            try:
                scoring.input_from_mapping(spec.part_spec(part), given)
            except scoring.ScoringInputError:
                fields = {name: self.part_field(code, part.code, name) for name in PART_FIGURES}
                return self._figure_at_fault(spec.part_spec(part), given, fields)
        if spec.parts:
            return self.part_field(code, spec.parts[0].code, PART_FIGURES[0])
        fields = {name: f"{code}-{name}" for name in self._own_figures(indicator)}
        return self._figure_at_fault(spec, mapping, fields)

    #: A partner that makes a count valid in any ratio, to check the other count on its own: a
    #: numerator over a denominator no count reaches, a denominator under a numerator of 0.
    _ALONE = {"numerator": ("denominator", "1" + "0" * 30), "denominator": ("numerator", "0")}

    def _figure_at_fault(
        self, spec: scoring.IndicatorSpec, mapping: dict[str, object], fields: dict[str, str]
    ) -> str:
        """The field of the figure an error is about: the first refused on its own (not a number,
        negative, more than 100 %…); else — figures that disagree, a count without its partner —
        the first the person changed, or the first left empty beside one given; else the first."""
        for name, field_name in fields.items():
            raw = mapping.get(name)
            if raw in (None, ""):
                continue
            alone = {name: raw}
            partner = self._ALONE.get(name)
            if partner and partner[0] in fields:
                alone[partner[0]] = partner[1]
            try:
                scoring.input_from_mapping(spec, alone)
            except scoring.ScoringInputError:
                return field_name
        changed = [field_name for field_name in fields.values() if field_name in self.changed_data]
        if changed:
            return changed[0]
        given = any(mapping.get(name) not in (None, "") for name in fields)
        empty = [
            field_name for name, field_name in fields.items() if mapping.get(name) in (None, "")
        ]
        if given and empty:
            return empty[0]
        return next(iter(fields.values()))

    def as_sent(self) -> str:
        """What was typed, as JSON: the page sends it back with the next try (`LAST`), so that a
        try with an invalid value still shows the results of this one."""
        return json.dumps(
            {name: self.data[name] for name in self.fields if self.data.get(name)},
            ensure_ascii=False,
            separators=(",", ":"),
        )

    @classmethod
    def earlier(cls, sent: str | None, **kwargs: object) -> "WhatIfForm | None":
        """The valid try a page sent back (`as_sent`), bound again; None when it sent none, or
        something else (the form checks it again like any try)."""
        try:
            data = json.loads(sent) if sent else None
        except ValueError:
            return None
        if not isinstance(data, dict) or not all(
            isinstance(key, str) and isinstance(value, str) for key, value in data.items()
        ):
            return None
        form = cls(data, **kwargs)
        return form if form.is_valid() else None

    @property
    def overrides(self) -> dict[str, scoring.IndicatorInput]:
        """The inputs of the indicators whose values the person changed (valid form only): what
        the scenario replaces, the rest staying as gathered (evaluation/selectors.py)."""
        changed = {self._codes[name] for name in self.changed_data}
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
            for part, figures in given.parts.items():
                for name in PART_FIGURES:
                    number = getattr(figures, name)
                    shown = show_number(number) if number is not None else ""
                    initial[cls.part_field(code, part, name)] = shown
            initial[f"{code}-na"] = given.not_applicable
            initial[f"{code}-reason"] = given.reason
        return initial


class DecisionForm(forms.ModelForm):
    """The recognition of a unit for a year, at one of the year's council or committee meetings.
    When recognising the unit would go against what the portal knows of it (`exceptions`, from
    evaluation.selectors.recognition_exceptions), it asks for a confirmation and the committee's
    reason; the service requires both."""

    decision = forms.ChoiceField(
        label=_("Decision"), choices=CommitteeDecision.Decision.choices, widget=forms.RadioSelect
    )
    exception_confirmed = forms.BooleanField(
        label=_("The committee recognises it all the same"), required=False
    )

    class Meta:
        model = CommitteeDecision
        fields = ["meeting", "decision", "level", "number", "note", "exception_reason"]
        widgets = {
            "note": forms.Textarea(attrs={"rows": 3}),
            "exception_reason": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(
        self, *args, year: int, exceptions: list[str], levels: Sequence[int] = (), **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        if levels:  # a set with levels: the committee names the level it recognises
            self.fields["level"] = forms.TypedChoiceField(
                label=_("Level recognised"),
                choices=[("", "—")]
                + [(number, _("Level %(number)s") % {"number": number}) for number in levels],
                coerce=int,
                empty_value=None,
                required=False,
                help_text=_("For a recognition: the highest level the unit reaches."),
            )
        else:
            del self.fields["level"]
        meeting = self.fields["meeting"]
        meeting.queryset = Meeting.objects.filter(year=year, kind__in=Meeting.RECOGNISING)
        meeting.empty_label = None
        meeting.help_text = _("The council or committee meeting of the year that decided it.")
        if not exceptions:
            del self.fields["exception_confirmed"]
            del self.fields["exception_reason"]
        elif self.instance.exception_reason:
            self.initial.setdefault("exception_confirmed", True)
        vietnamese_fields(self, "number", "note", "exception_reason")


class DecisionDocumentForm(ChooseFileAgainMixin, forms.Form):
    """The formal decision issued on a recognition: its number, date, issuer, signer and the
    signed file (checked by the evidence upload checks in the service)."""

    number = forms.CharField(
        label=_("Decision number"),
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": documents.DECISION_NUMBER_EXAMPLE}),
    )
    issued_on = DayMonthYearField(
        label=_("Issued on"), widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"})
    )
    issuer = forms.CharField(label=_("Issued by"), max_length=300)
    signer = forms.CharField(label=_("Signed by"), max_length=200)
    file = forms.FileField(
        label=_("Signed file"),
        allow_empty_file=True,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        vietnamese_fields(self, "number", "issuer", "signer")


class MemberForm(forms.ModelForm):
    """A member named to the council or the committee: body, role, name, position, account."""

    class Meta:
        model = Member
        fields = MEMBER_FIELDS

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        account = self.fields["user"]
        account.queryset = User.objects.filter(is_active=True).order_by("username")
        account.help_text = _("Empty when the member has no account in the portal.")
        vietnamese_fields(self, "name", "position")


class PlanTaskChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: PlanTask) -> str:
        return f"{obj.number}. {obj.content}"


class MemberChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Member) -> str:
        return format_html(
            "{} — {}, {}", vietnamese(obj.name), obj.get_role_display(), obj.get_body_display()
        )


class MeetingForm(forms.ModelForm):
    """A meeting that was held: when, where, who, what, and its minutes. The members of the
    year's bodies are ticked, the other attendees typed; the record keeps them as one list
    (services.attendees_text), which a correction splits back."""

    members_present = MemberChoiceField(
        label=_("Members present"),
        queryset=Member.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    field_order = [
        *MEETING_FIELDS[: MEETING_FIELDS.index("attendees")],
        "members_present",
        *MEETING_FIELDS[MEETING_FIELDS.index("attendees") :],
    ]

    class Meta:
        model = Meeting
        fields = MEETING_FIELDS
        field_classes = {"held_on": DayMonthYearField, "plan_task": PlanTaskChoiceField}
        widgets = {
            "held_on": forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}),
            "attendees": forms.Textarea(attrs={"rows": 3}),
            "agenda": forms.Textarea(attrs={"rows": 3}),
            "minutes": forms.Textarea(attrs={"rows": 10}),
        }

    def __init__(self, *args: object, year: int, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["plan_task"].queryset = PlanTask.objects.order_by("number")
        members = Member.objects.filter(year=year).order_by("body", "pk")
        named = list(members)
        if not named:  # nobody named yet: the attendees are typed
            del self.fields["members_present"]
        else:
            self.fields["members_present"].queryset = members
            self.fields["attendees"].label = _("Other attendees")
            self.fields["attendees"].help_text = _(
                "One per line: guests, the districts' representatives."
            )
            # A member renamed since keeps the old line among the others (the record says
            # who attended as they were named then).
            lines = [line.strip() for line in self.instance.attendees.splitlines()]
            present = [m for m in named if m.attendee_line in lines]
            said = {m.attendee_line for m in present}
            self.initial["members_present"] = [m.pk for m in present]
            self.initial["attendees"] = "\n".join(
                line for line in lines if line and line not in said
            )
        # The plan's tasks are quoted as the plan writes them.
        vietnamese_fields(
            self, "place", "chaired_by", "attendees", "agenda", "minutes", "plan_task"
        )


class MeetingFileForm(ChooseFileAgainMixin, forms.Form):
    """A file kept with a meeting: its signed minutes or an attachment (checked by the evidence
    upload checks in the service)."""

    kind = forms.ChoiceField(
        label=_("Kind of file"),
        choices=MeetingFile.Kind.choices,
        initial=MeetingFile.Kind.MINUTES,
        widget=forms.RadioSelect,
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=300,
        required=False,
        help_text=_("Empty: the file's name."),
    )
    file = forms.FileField(
        label=_("File"),
        allow_empty_file=True,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        vietnamese_fields(self, "title")


class DocumentSettingsForm(forms.ModelForm):
    """Who issues and signs the official documents; the texts stay Vietnamese on any page."""

    class Meta:
        model = DocumentSettings
        fields = DOCUMENT_SETTINGS_FIELDS
        widgets = {"recipients": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        vietnamese_fields(self, *self.Meta.fields)
        # Help that quotes the documents' own Vietnamese words, marked as such on other pages.
        self.fields["short_name"].help_text = vietnamese_in(
            gettext("As in «%(example)s»."), example=documents.NUMBER_EXAMPLE
        )
        self.fields["on_behalf_of"].help_text = vietnamese_in(
            gettext("E.g. «%(example)s»; empty when the head signs in their own name."),
            example=documents.ON_BEHALF_EXAMPLE,
        )
        self.fields["recipients"].help_text = vietnamese_in(
            gettext("One per line, as the «%(heading)s» list prints them."),
            heading=documents.RECIPIENTS_HEADING,
        )


class NarrativeForm(forms.ModelForm):
    """What a report says beyond its figures; written in Vietnamese, as the report is."""

    class Meta:
        model = ReportNarrative
        fields = NARRATIVE_FIELDS
        widgets = {name: forms.Textarea(attrs={"rows": 5}) for name in NARRATIVE_FIELDS}
        help_texts = {
            "results": _("What the year achieved, beyond the table of results."),
            "shortcomings": _("What fell short."),
            "causes": _("Why, the objective causes and the subjective ones."),
            "recommendations": _("What the writers propose, and to whom."),
        }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        vietnamese_fields(self, *self.Meta.fields)
