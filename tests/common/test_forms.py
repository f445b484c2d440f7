"""What the forms that take a file or a date share (common/forms.py): a form sent back with an
error asks to choose its file again; a day the calendar does not have is named as such."""

from datetime import date

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from common.forms import ChooseFileAgainMixin, DayMonthYearField

#: The Vietnamese a page shows when it asks for the file again, written here by hand.
CHOOSE_AGAIN_VI = "Hãy chọn lại tệp: trang báo lỗi không giữ lại tệp đã chọn."


def no_such_day(typed: str, month: str, year: int, days: int) -> str:
    """The Vietnamese refusal of a day the month does not have."""
    return f"Không có ngày {typed}: tháng {month}/{year} có {days} ngày."


def no_such_month(typed: str) -> str:
    """The Vietnamese refusal of a thirteenth month."""
    return f"Không có ngày {typed}: một năm có 12 tháng."


def not_a_date() -> str:
    """The Vietnamese refusal of a date in another shape."""
    return "Nhập ngày theo dạng dd/mm/yyyy, ví dụ 25/03/2022."


class UploadForm(ChooseFileAgainMixin, forms.Form):
    title = forms.CharField()
    file = forms.FileField()


def upload() -> dict:
    return {"file": SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.7")}


def test_a_form_sent_back_for_another_field_asks_for_its_file_again():
    form = UploadForm({"title": ""}, upload())
    assert not form.is_valid()
    assert form.has_error("title", "required")
    assert form.errors["file"] == [CHOOSE_AGAIN_VI]


def test_a_refused_file_says_why_first_then_asks_for_it_again():
    form = UploadForm({"title": "Kế hoạch"}, {})
    assert not form.is_valid()
    assert [error.code for error in form.errors.as_data()["file"]] == ["required", "choose_again"]


def test_an_error_a_view_adds_after_validation_asks_for_the_file_again():
    form = UploadForm({"title": "Kế hoạch"}, upload())
    assert form.is_valid()
    form.add_error(None, "Tệp là chương trình, không phải văn bản.")
    assert form.errors["file"] == [CHOOSE_AGAIN_VI]
    form.add_error("title", "Trùng tên")
    assert form.errors["file"] == [CHOOSE_AGAIN_VI]  # said once


def test_a_valid_form_asks_nothing():
    form = UploadForm({"title": "Kế hoạch"}, upload())
    assert form.is_valid()
    assert "file" not in form.errors


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("25/03/2022", date(2022, 3, 25)),
        ("25.03.2022", date(2022, 3, 25)),
        ("29/02/2024", date(2024, 2, 29)),
        ("2022-03-25", date(2022, 3, 25)),
    ],
)
def test_real_days_are_read(typed, expected):
    assert DayMonthYearField().clean(typed) == expected


@pytest.mark.parametrize(
    ("typed", "month", "year", "days"),
    [
        ("31/02/2022", "02", 2022, 28),
        ("29/02/2023", "02", 2023, 28),
        ("31/04/2022", "04", 2022, 30),
        ("00/01/2022", "01", 2022, 31),
        ("2022-02-30", "02", 2022, 28),
    ],
)
def test_a_day_the_month_does_not_have_is_named(typed, month, year, days):
    with pytest.raises(forms.ValidationError) as refused:
        DayMonthYearField().clean(typed)
    assert refused.value.code == "no_such_day"
    with translation.override("vi"):
        assert refused.value.messages == [no_such_day(typed, month, year, days)]


def test_a_thirteenth_month_is_named():
    with pytest.raises(forms.ValidationError) as refused:
        DayMonthYearField().clean("01/13/2022")
    assert refused.value.code == "no_such_month"


def test_another_shape_is_asked_for_as_dd_mm_yyyy():
    with pytest.raises(forms.ValidationError) as refused:
        DayMonthYearField().clean("March 25")
    assert refused.value.code == "invalid"
