"""Hostile values in the portal's forms: data entry, the what-if sandbox, the committee's decision,
explanations and the review. Numbers that are not figures, absurd or negative numbers, overlong
text, markup. Each comes back as the form with a Vietnamese message (or a redirect carrying it),
never a 500, and writes nothing; markup that is accepted as text is shown escaped."""

from io import BytesIO

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from openpyxl import load_workbook

from evaluation.models import CommitteeDecision, Meeting
from evidence.models import Explanation
from measurements.models import Measurement
from tests.common.test_forms import no_such_day, no_such_month, not_a_date
from tests.conftest import YEAR
from tests.factories import make_meeting
from tests.hostile.conftest import escaped_not_raw, page

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("xss")</script>'


def entry_url(code: str = "1.1.2", unit: str = "HP") -> str:
    return reverse("measurements:measurement", args=[YEAR, unit, code])


def post_entry(client, code: str = "1.1.2", unit: str = "HP", **fields):
    return client.post(entry_url(code, unit), {"version": "", **fields})


def refused_entry(client, unchanged, code: str = "1.1.2", **fields) -> str:
    with unchanged():
        response = post_entry(client, code, **fields)
    assert response.status_code == 200
    return page(response)


# --- Data entry --------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["NaN", "Infinity", "-Infinity", "1e309", "sNaN", "1_000", "٣"])
def test_a_number_that_is_not_a_figure_is_refused(client_for, world, unchanged, text):
    html = refused_entry(client_for("division"), unchanged, value=text)
    assert f"«{text}» không phải là số." in html


def test_a_negative_number_is_refused(client_for, world, unchanged):
    html = refused_entry(client_for("division"), unchanged, numerator="-5", denominator="80")
    assert "Số không được âm." in html


@pytest.mark.parametrize("text", ["1" + "0" * 30, "1.000.000.000.000.000.000.000.000.000"])
def test_an_absurd_number_is_refused(client_for, world, unchanged, text):
    html = refused_entry(client_for("division"), unchanged, numerator="1", denominator=text)
    assert "Số quá lớn." in html


def test_a_number_longer_than_the_field_is_refused(client_for, world, unchanged):
    html = refused_entry(client_for("division"), unchanged, value="1" * 41)
    assert "Số quá dài." in html


def test_too_many_decimals_are_refused(client_for, world, unchanged):
    html = refused_entry(client_for("division"), unchanged, value="70,1234567")
    assert "«70,1234567» có quá nhiều chữ số thập phân (tối đa 6 chữ số)." in html


def test_a_numerator_above_the_denominator_is_refused(client_for, world, unchanged):
    html = refused_entry(client_for("division"), unchanged, numerator="90", denominator="80")
    assert "Chỉ báo 1.1.2" in html
    assert "Tử số" in html


def test_a_zero_denominator_is_refused(client_for, world, unchanged):
    html = refused_entry(client_for("division"), unchanged, numerator="0", denominator="0")
    assert "Mẫu số" in html


def test_a_note_beyond_4000_characters_is_refused(client_for, world, unchanged):
    html = refused_entry(
        client_for("division"), unchanged, numerator="56", denominator="80", note="x" * 4001
    )
    assert "Giá trị này chỉ có tối đa 4000 kí tự (hiện có 4001)" in html


def test_a_nul_byte_in_a_note_is_refused_in_vietnamese(client_for, world, unchanged):
    html = refused_entry(
        client_for("division"), unchanged, numerator="56", denominator="80", note="a\x00b"
    )
    assert "Không được chứa ký tự NUL" in html


def test_a_yes_no_answer_outside_the_choices_is_refused(client_for, world, unchanged):
    with unchanged():
        response = client_for("standing_office").post(
            entry_url("1.1.1"), {"yes": "maybe", "version": ""}
        )
    assert "Hãy chọn một lựa chọn hợp lệ. maybe không phải" in page(response)


def test_markup_in_a_note_is_shown_escaped(client_for, world):
    post_entry(client_for("division"), numerator="56", denominator="80", note=SCRIPT, submit="1")
    assert Measurement.objects.get().note == SCRIPT
    assert escaped_not_raw(page(client_for("division").get(entry_url())), SCRIPT)
    assert escaped_not_raw(
        page(client_for("standing_office").get(reverse("measurements:review"))), SCRIPT
    )


# --- The what-if sandbox -----------------------------------------------------------------------


def what_if(client, unchanged, **values) -> str:
    with unchanged():
        response = client.post(reverse("evaluation:what_if", args=[YEAR]), values)
    assert response.status_code == 200
    return page(response)


@pytest.mark.parametrize("text", ["NaN", "Infinity", "1e309"])
def test_what_if_refuses_numbers_that_are_not_figures(client_for, world, unchanged, text):
    html = what_if(client_for("committee"), unchanged, **{"2.1.2-value": text})
    assert f"«{text}» không phải là số." in html


def test_what_if_takes_oversized_values_without_failing(client_for, world, unchanged):
    huge = "9" * 40
    html = what_if(
        client_for("committee"),
        unchanged,
        **{"1.1.2-numerator": huge, "1.1.2-denominator": huge, "2.1.2-value": huge},
    )
    assert "Kết quả" in html


def test_what_if_refuses_a_value_longer_than_its_field(client_for, world, unchanged):
    html = what_if(client_for("committee"), unchanged, **{"2.1.2-value": "9" * 41})
    assert "Giá trị này chỉ có tối đa 40 kí tự (hiện có 41)" in html


def test_what_if_shows_why_a_reason_is_refused(client_for, world, unchanged):
    html = what_if(
        client_for("committee"), unchanged, **{"2.1.3-na": "on", "2.1.3-reason": "x" * 501}
    )
    assert "Giá trị này chỉ có tối đa 500 kí tự (hiện có 501)" in html


def test_what_if_echoes_markup_escaped(client_for, world, unchanged):
    html = what_if(client_for("committee"), unchanged, **{"2.1.2-value": SCRIPT[:40]})
    assert escaped_not_raw(html, SCRIPT[:40])


# --- The committee's decision ------------------------------------------------------------------


def decision_url(unit: str = "HP") -> str:
    return reverse("evaluation:decision", args=[YEAR, unit])


@pytest.fixture
def meeting(world, personas):
    """The committee's meeting the decisions below are taken at."""
    return make_meeting(YEAR, personas["committee"])


def post_decision(client, **fields):
    meeting = Meeting.objects.get(year=YEAR)
    data = {"meeting": meeting.pk, "decision": "recognized", "number": "12/QĐ-BCĐ"}
    return client.post(decision_url(), {**data, **fields})


@pytest.mark.parametrize(
    ("date", "message"),
    [
        ("32/13/2022", lambda: no_such_month("32/13/2022")),
        ("2022-02-30", lambda: no_such_day("2022-02-30", "02", 2022, 28)),
        ("hôm qua", not_a_date),
    ],
)
def test_an_impossible_meeting_date_is_refused(client_for, world, unchanged, date, message):
    """A day the calendar lacks is named as such (issue 15.7); another shape is asked for."""
    with unchanged():
        response = client_for("committee").post(
            reverse("evaluation:meeting_new", args=[YEAR]), {"kind": "council", "held_on": date}
        )
    assert message() in page(response)


def test_a_decision_outside_the_choices_is_refused(client_for, world, unchanged, meeting):
    with unchanged():
        response = post_decision(client_for("committee"), decision="recognized_by_me")
    assert "Hãy chọn một lựa chọn hợp lệ." in page(response)


def test_a_decision_note_beyond_4000_characters_is_refused(client_for, world, unchanged, meeting):
    with unchanged():
        response = post_decision(client_for("committee"), note="x" * 4001)
    assert "Giá trị này chỉ có tối đa 4000 kí tự (hiện có 4001)" in page(response)


def test_markup_in_a_decision_is_shown_escaped_on_the_dashboard_and_the_report(
    client_for, world, meeting
):
    client = client_for("committee")
    post_decision(client, number=SCRIPT[:100], note=SCRIPT)
    assert CommitteeDecision.objects.get().note == SCRIPT
    for url in (
        reverse("evaluation:city", args=[YEAR]),
        reverse("evaluation:report", args=[YEAR]),
    ):
        assert escaped_not_raw(page(client.get(url)), SCRIPT), url


def test_control_characters_in_a_decision_do_not_break_the_excel_report(client_for, world, meeting):
    client = client_for("committee")
    post_decision(client, number="12\x0b/QĐ", note="Họp\x01 ngày =1+1\x1f")
    response = client.get(reverse("evaluation:report_workbook", args=[YEAR]))
    assert response.status_code == 200
    cells = [
        cell
        for row in load_workbook(BytesIO(response.content)).active.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and "Quyết định" in cell.value
    ]
    assert [cell.data_type for cell in cells] == ["s"]
    assert "Họp ngày =1+1" in cells[0].value


# --- Explanations and the review ---------------------------------------------------------------


def explanation_url(unit: str = "HP-A", code: str = "1.1.1") -> str:
    return reverse("evidence:explanation", args=[YEAR, unit, code])


def test_an_explanation_beyond_4000_characters_is_refused(client_for, world, unchanged):
    with unchanged():
        response = client_for("district_a").post(explanation_url(), {"text": "x" * 4001})
    assert "Giá trị này chỉ có tối đa 4000 kí tự (hiện có 4001)" in page(response)


def test_a_blank_explanation_is_refused(client_for, world, unchanged):
    with unchanged():
        response = client_for("district_a").post(explanation_url(), {"text": " \n\t "})
    assert "Trường này là bắt buộc." in page(response)


def test_markup_in_an_explanation_is_shown_escaped(client_for, world):
    client_for("district_a").post(explanation_url(), {"text": SCRIPT})
    assert Explanation.objects.get().text == SCRIPT
    committee = client_for("committee")
    for url in (explanation_url(), reverse("evidence:document_list", args=[YEAR, "HP-A"])):
        assert escaped_not_raw(page(committee.get(url)), SCRIPT), url


def test_approving_ids_that_are_not_numbers_is_refused(client_for, world, unchanged):
    with unchanged():
        response = client_for("standing_office").post(
            reverse("measurements:review_approve"), {"ids": ["1 OR 1=1"]}
        )
    assert response.status_code == 404


def test_approving_entries_that_do_not_exist_says_so(client_for, world, unchanged):
    client = client_for("standing_office")
    with unchanged():
        response = client.post(reverse("measurements:review_approve"), {"ids": ["987654"]})
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Một số số liệu đã chọn không còn tồn tại."
    ]


def test_a_return_comment_beyond_4000_characters_writes_nothing(client_for, world, unchanged):
    entry = Measurement.objects.create(
        indicator=world.indicator("1.1.2"), unit=world.city, year=YEAR, status="submitted"
    )
    with unchanged():
        response = client_for("standing_office").post(
            reverse("measurements:review_return", args=[entry.pk]), {"comment": "x" * 4001}
        )
    assert response.status_code == 302
    assert get_messages(response.wsgi_request)
