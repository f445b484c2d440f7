"""The labels of the figures a person enters (measurements/forms.py figure_label), read by the
entry form and the what-if sandbox alike — in English here, the language the code is written in."""

from decimal import Decimal

import pytest
from django.utils import translation

from criteria.models import Indicator
from measurements.forms import MeasurementForm, figure_label


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


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "field", "typed", "valid"),
    [
        ("1.1.2", "value", "66,5 %", True),  # a share's rate
        ("2.1.1", "value", "3,3%", True),  # a drop's rates
        ("2.1.1", "previous", "4,9 %", True),
        ("2.1.2", "value", "12 %", False),  # an increase's level, in tỷ đồng
        ("1.1.2", "numerator", "56%", False),  # a count
    ],
)
def test_a_percent_sign_is_read_where_the_figure_is_a_percentage(world, code, field, typed, valid):
    form = MeasurementForm({field: typed}, indicator=world.indicator(code))
    form.is_valid()
    assert (field not in form.errors) is valid


@pytest.mark.django_db
def test_a_growth_rate_may_be_negative_and_carry_a_percent_sign(world):
    indicator = world.indicator("2.1.2")
    indicator.accepts_growth_rate = True
    form = MeasurementForm({"growth_rate": "-1,2 %"}, indicator=indicator)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["growth_rate"] == Decimal("-1.2")


def test_a_marked_label_marks_the_indicators_own_vietnamese_wording_on_an_english_page():
    indicator = Indicator(kind="share_at_least", numerator_label="Số hộ gia đình")
    with translation.override("en"):
        marked = figure_label("numerator", indicator, marked=True)
    with translation.override("vi"):
        plain = figure_label("numerator", indicator, marked=True)
    assert marked == 'Numerator: <span lang="vi">Số hộ gia đình</span>'
    assert plain == "Tử số: Số hộ gia đình"
