"""The labels of the figures a person enters (measurements/forms.py figure_label), read by the
entry form and the what-if sandbox alike — in English here, the language the code is written in."""

import pytest
from django.utils import translation

from criteria.models import Indicator
from measurements.forms import figure_label


@pytest.mark.parametrize(
    ("kind", "unit", "name", "label"),
    [
        ("document", "", "yes", "Is there a document?"),
        ("share_at_least", "", "numerator", "Numerator"),
        ("share_at_least", "", "value", "Rate (%)"),
        ("rate_below", "", "value", "Rate (%)"),
        ("drop_at_least", "", "value", "This year's rate (%)"),
        ("drop_at_least", "", "previous", "Previous year's rate (%)"),
        ("increase", "tỷ đồng", "value", "This year's value (tỷ đồng)"),
        ("increase", "tỷ đồng", "previous", "Previous year's value (tỷ đồng)"),
        ("increase", "", "value", "Value"),
    ],
)
def test_each_figure_is_labelled_by_its_kind(kind, unit, name, label):
    with translation.override("en"):
        assert figure_label(name, Indicator(kind=kind, unit_of_measure=unit)) == label
