"""What every form of the portal that takes a file, or a date, shares."""

import datetime
import re
from calendar import monthrange

from django import forms
from django.utils.translation import gettext_lazy as _

#: Said under the file input of a form sent back with an error: a browser never fills a file
#: input back in, so the person must choose the file again (whatever the error was about).
CHOOSE_AGAIN = _("Choose the file again: a page sent back with an error no longer holds it.")


class ChooseFileAgainMixin:
    """A form with a file input that is sent back with any error — its own fields' or one a view
    adds after a service refused the file — asks, under each file input, to choose the file
    again."""

    def full_clean(self) -> None:
        self._cleaning = True
        try:
            super().full_clean()
        finally:
            self._cleaning = False
        self._ask_for_the_files_again()

    def add_error(self, field: str | None, error: object) -> None:
        super().add_error(field, error)
        if not getattr(self, "_cleaning", False):
            self._ask_for_the_files_again()

    def _ask_for_the_files_again(self) -> None:
        if not self.is_bound or not self._errors:
            return
        for name, field in self.fields.items():
            if isinstance(field, forms.FileField) and not self.has_error(name, "choose_again"):
                super().add_error(name, forms.ValidationError(CHOOSE_AGAIN, code="choose_again"))


_DAY_MONTH_YEAR = re.compile(r"\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*")
_YEAR_MONTH_DAY = re.compile(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*")


class DayMonthYearField(forms.DateField):
    """A date typed dd/mm/yyyy (or with "-" or "."; yyyy-mm-dd too): a day the calendar does not
    have — 31/02/2022, 29/02/2023, 31/04/2022 — is refused as such, not as a wrong shape."""

    default_error_messages = {
        "invalid": _("Write the date as dd/mm/yyyy, e.g. 25/03/2022."),
        "no_such_day": _("%(date)s does not exist: %(month)s/%(year)s has %(days)s days."),
        "no_such_month": _("%(date)s does not exist: a year has 12 months."),
    }

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("input_formats", ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"])
        super().__init__(**kwargs)

    def to_python(self, value: object) -> datetime.date | None:
        if isinstance(value, str):
            self._check_the_calendar(value)
        return super().to_python(value)

    def _check_the_calendar(self, value: str) -> None:
        """Refuse a day or a month the calendar does not have, naming it."""
        if shape := _DAY_MONTH_YEAR.fullmatch(value):
            day, month, year = (int(part) for part in shape.groups())
        elif shape := _YEAR_MONTH_DAY.fullmatch(value):
            year, month, day = (int(part) for part in shape.groups())
        else:
            return  # another shape: Django's own reading says what is wrong
        if year < 1:
            return  # year 0: not a date of any shape
        typed = value.strip()
        if not 1 <= month <= 12:
            raise forms.ValidationError(
                self.error_messages["no_such_month"], code="no_such_month", params={"date": typed}
            )
        days = monthrange(year, month)[1]
        if not 1 <= day <= days:
            raise forms.ValidationError(
                self.error_messages["no_such_day"],
                code="no_such_day",
                params={"date": typed, "month": f"{month:02d}", "year": year, "days": days},
            )
