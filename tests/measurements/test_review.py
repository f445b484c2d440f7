"""The standing office's review: approve, return with a comment, approve several at once."""

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from criteria.models import EvaluationYear
from evidence.models import Explanation
from measurements.models import Measurement
from tests.conftest import YEAR

pytestmark = pytest.mark.django_db


def submit(client, numerator="56", version=""):
    url = reverse("measurements:measurement", args=[YEAR, "HP", "1.1.2"])
    data = {"numerator": numerator, "denominator": "80", "version": version, "submit": "1"}
    return client.post(url, data)


def return_with(client, measurement, comment):
    """As the queue's return form posts it: the comment and the version the page showed."""
    url = reverse("measurements:review_return", args=[measurement.pk])
    return client.post(url, {"comment": comment, "version": measurement.version})


def approve(client, *measurements):
    """As the queue posts it: the ticked entries, each with the version the page showed."""
    data = {"ids": [m.pk for m in measurements]}
    data |= {f"seen-{m.pk}": m.version for m in measurements}
    return client.post(reverse("measurements:review_approve"), data)


def test_submit_return_resubmit_approve(client, client_for, personas):
    submit(client_for("division"))
    measurement = Measurement.objects.get()
    return_with(client_for("standing_office"), measurement, "Thiếu văn bản của Sở Nội vụ")
    measurement.refresh_from_db()
    assert measurement.status == Measurement.Status.RETURNED
    my_work = client_for("division").get(reverse("measurements:my_work")).content.decode()
    assert "Thiếu văn bản của Sở Nội vụ" in my_work
    submit(client_for("division"), numerator="57", version=str(measurement.version))
    measurement.refresh_from_db()  # the standing office opens the queue again
    approve(client_for("standing_office"), measurement)
    measurement.refresh_from_db()
    assert (measurement.status, measurement.numerator) == (Measurement.Status.APPROVED, 57)
    assert measurement.reviewed_by == personas["standing_office"]


def test_queue_lists_submitted_entries_with_their_verdict(client_for):
    submit(client_for("division"))
    html = client_for("standing_office").get(reverse("measurements:review")).content.decode()
    assert "56/80 = 70,00 % ≥ 70 % — Đạt" in html
    assert "vanphong" in html


@pytest.mark.parametrize("persona", ["division", "district_a", "committee", "other_division"])
def test_only_the_standing_office_opens_the_queue(client_for, persona):
    assert client_for(persona).get(reverse("measurements:review")).status_code == 403


def test_anonymous_is_sent_to_login_from_the_queue(client, world):
    assert client.get(reverse("measurements:review")).status_code == 302


@pytest.mark.parametrize("persona", ["division", "committee", "district_a"])
def test_others_cannot_approve(client_for, persona):
    submit(client_for("division"))
    measurement = Measurement.objects.get()
    assert approve(client_for(persona), measurement).status_code == 403
    measurement.refresh_from_db()
    assert measurement.status == Measurement.Status.SUBMITTED


def test_district_office_cannot_return_another_districts_entry(client_for, world):
    entry = Measurement.objects.create(
        indicator=world.indicator("2.1.3"), unit=world.district_b, year=YEAR, status="submitted"
    )
    assert return_with(client_for("district_a"), entry, "x").status_code == 404
    entry.refresh_from_db()
    assert entry.status == "submitted"


def test_a_return_needs_a_comment(client_for):
    submit(client_for("division"))
    measurement = Measurement.objects.get()
    response = return_with(client_for("standing_office"), measurement, "   ")
    assert response.status_code == 302
    measurement.refresh_from_db()
    assert measurement.status == Measurement.Status.SUBMITTED


def test_several_entries_are_approved_at_once(client_for, world, personas):
    Explanation.objects.create(  # 1.1.1 says «yes»: it is approved with an explanation
        unit=world.city,
        year=YEAR,
        indicator=world.indicator("1.1.1"),
        text="Nghị quyết đang chờ số hoá.",
        author=personas["division"],
    )
    entries = [
        Measurement.objects.create(
            indicator=world.indicator(code),
            unit=world.city,
            year=YEAR,
            status="submitted",
            yes=True,
        )
        for code in ("1.1.1",)
    ] + [
        Measurement.objects.create(
            indicator=world.indicator("2.1.3"), unit=unit, year=YEAR, status="submitted", value=1
        )
        for unit in (world.district_a, world.district_b)
    ]
    approve(client_for("standing_office"), *entries)
    assert set(Measurement.objects.values_list("status", flat=True)) == {"approved"}


def test_bulk_approval_is_all_or_nothing(client_for, world):
    waiting = Measurement.objects.create(
        indicator=world.indicator("1.1.1"), unit=world.city, year=YEAR, status="submitted", yes=True
    )
    draft = Measurement.objects.create(
        indicator=world.indicator("2.1.3"), unit=world.city, year=YEAR, status="draft", value=1
    )
    response = approve(client_for("standing_office"), waiting, draft)
    assert response.status_code == 302
    assert Measurement.objects.get(pk=waiting.pk).status == "submitted"
    assert Measurement.objects.get(pk=draft.pk).status == "draft"


def test_locked_year_refuses_approval_and_return(client_for):
    submit(client_for("division"))
    measurement = Measurement.objects.get()
    EvaluationYear.objects.filter(year=YEAR).update(state="locked")
    approve(client_for("standing_office"), measurement)
    return_with(client_for("standing_office"), measurement, "Sai số liệu")
    measurement.refresh_from_db()
    assert measurement.status == Measurement.Status.SUBMITTED
    assert measurement.review_comment == ""


@pytest.mark.parametrize("years", [1, 3])
def test_the_queue_costs_a_constant_number_of_queries(
    client_for, world, django_assert_max_num_queries, years
):
    """3 entries of one year, or 18 of three years and two indicators: the same ceiling."""
    for year in range(YEAR, YEAR + years):
        EvaluationYear.objects.get_or_create(year=year)
        for unit in (world.city, world.district_a, world.district_b):
            for code in ("2.1.3", "2.1.1")[: 1 if years == 1 else 2]:
                Measurement.objects.create(
                    indicator=world.indicator(code),
                    unit=unit,
                    year=year,
                    status="submitted",
                    value=1,
                )
            Measurement.objects.create(  # a «yes»: its documents and explanations are read too
                indicator=world.indicator("1.1.1"),
                unit=unit,
                year=year,
                status="submitted",
                yes=True,
            )
    client = client_for("standing_office")
    with django_assert_max_num_queries(15):  # parts, their figures, lines waiting; the bell
        response = client.get(reverse("measurements:review"))
    assert len(response.context["rows"]) == (6 if years == 1 else 27)


def test_the_queue_says_which_yes_cannot_be_approved_yet(client_for, world, personas):
    for unit in (world.city, world.district_a):
        Measurement.objects.create(
            indicator=world.indicator("1.1.1"), unit=unit, year=YEAR, status="submitted", yes=True
        )
    Explanation.objects.create(
        unit=world.city,
        year=YEAR,
        indicator=world.indicator("1.1.1"),
        text="Văn bản đang trình ký.",
        author=personas["division"],
    )
    response = client_for("standing_office").get(reverse("measurements:review"))
    lacking = {m.unit.code: lacks for m, _result, lacks in response.context["rows"]}
    assert lacking == {"HP": False, "HP-A": True}
    assert response.content.decode().count("Chưa có minh chứng hoặc giải trình") == 1


def test_the_queue_scores_a_drop_with_last_years_approved_value(client_for, world):
    EvaluationYear.objects.create(year=YEAR - 1, state="open")
    Measurement.objects.create(
        indicator=world.indicator("2.1.1"),
        unit=world.city,
        year=YEAR - 1,
        value=Decimal("3.3"),
        status="approved",
    )
    Measurement.objects.create(
        indicator=world.indicator("2.1.1"),
        unit=world.city,
        year=YEAR,
        value=Decimal("1.8"),
        status="submitted",
    )
    html = client_for("standing_office").get(reverse("measurements:review")).content.decode()
    assert "Giảm 1,5 điểm % (3,3 % → 1,8 %)" in html


# --- Approvals bound to the version the reviewer saw --------------------------------------------


def test_approving_an_entry_changed_since_the_page_was_opened_is_refused_saying_what_changed(
    client_for,
):
    submit(client_for("division"))
    seen = Measurement.objects.get()  # the standing office opens the queue
    submit(client_for("division"), numerator="50", version=str(seen.version))  # then it changes

    response = approve(client_for("standing_office"), seen)

    entry = Measurement.objects.get()
    assert (entry.status, entry.numerator) == ("submitted", 50)
    [refusal] = [str(m) for m in get_messages(response.wsgi_request) if "→" in str(m)]
    assert "1.1.2" in refusal
    assert "tử số: 56 → 50" in refusal


def test_of_several_entries_none_is_approved_when_one_changed(client_for, world):
    submit(client_for("division"))
    office = client_for("standing_office")
    url = reverse("measurements:measurement", args=[YEAR, "HP-A", "2.1.3"])
    office.post(url, {"value": "0,01", "version": "", "submit": "1"})
    share, rate = Measurement.objects.order_by("indicator__code")
    submit(client_for("division"), numerator="57", version=str(share.version))

    approve(client_for("standing_office"), share, rate)

    assert set(Measurement.objects.values_list("status", flat=True)) == {"submitted"}


def test_returning_an_entry_changed_since_is_refused(client_for):
    submit(client_for("division"))
    seen = Measurement.objects.get()
    submit(client_for("division"), numerator="50", version=str(seen.version))

    return_with(client_for("standing_office"), seen, "Thiếu văn bản")

    entry = Measurement.objects.get()
    assert (entry.status, entry.review_comment) == ("submitted", "")


def test_a_page_that_sends_no_version_approves_nothing(client_for):
    submit(client_for("division"))
    entry = Measurement.objects.get()
    client_for("standing_office").post(reverse("measurements:review_approve"), {"ids": [entry.pk]})
    assert Measurement.objects.get().status == "submitted"


def test_the_queue_sends_the_version_it_shows(client_for):
    submit(client_for("division"))
    entry = Measurement.objects.get()
    html = client_for("standing_office").get(reverse("measurements:review")).content.decode()
    assert f'name="seen-{entry.pk}" value="{entry.version}"' in html
    assert f'name="version" value="{entry.version}"' in html


def test_the_history_says_what_changed_who_changed_it_and_the_comment(client_for, personas):
    """Issue 15.4: each save, newest first, with its status change and old → new figures."""
    submit(client_for("division"))
    measurement = Measurement.objects.get()
    return_with(client_for("standing_office"), measurement, "Thiếu văn bản của Sở Nội vụ")
    measurement.refresh_from_db()
    submit(client_for("division"), numerator="57", version=str(measurement.version))
    page = client_for("division").get(
        reverse("measurements:measurement", args=[YEAR, "HP", "1.1.2"])
    )
    lines = page.context["history"]
    office, division = personas["standing_office"], personas["division"]
    assert [(line.by, line.status_before, line.status_after) for line in lines] == [
        (division, "returned", "submitted"),
        (office, "submitted", "returned"),
        (division, None, "submitted"),
    ]
    assert [str(change) for change in lines[0].changes] == ["Tử số: 56 → 57"]
    assert lines[1].changes == []
    assert lines[1].comment == "Thiếu văn bản của Sở Nội vụ"
    assert [str(change) for change in lines[2].changes] == ["Tử số: — → 56", "Mẫu số: — → 80"]
    history = page.content.decode()
    history = history[history.index('id="history"') :]
    assert "Tử số: 56 → 57" in history
    assert "Nhận xét của người duyệt: «Thiếu văn bản của Sở Nội vụ»" in history


def test_a_return_opens_the_thread_and_both_sides_write_in_it(client_for, personas):
    """Issue 15.4: the return's comment is the first message; the office answers."""
    submit(client_for("division"))
    measurement = Measurement.objects.get()
    return_with(client_for("standing_office"), measurement, "Thiếu văn bản của Sở Nội vụ")
    url = reverse("measurements:value_comment", args=[YEAR, "HP", "1.1.2"])
    client_for("division").post(url, {"text": "Đã bổ sung văn bản số 12/SNV"})
    thread = [(c.author, c.text) for c in measurement.comments.all()]
    assert thread == [
        (personas["standing_office"], "Thiếu văn bản của Sở Nội vụ"),
        (personas["division"], "Đã bổ sung văn bản số 12/SNV"),
    ]
    page = (
        client_for("standing_office")
        .get(reverse("measurements:measurement", args=[YEAR, "HP", "1.1.2"]))
        .content.decode()
    )
    comments = page[page.index('id="comments"') : page.index('id="history"')]
    assert comments.index("Thiếu văn bản") < comments.index("Đã bổ sung văn bản số 12/SNV")


@pytest.mark.parametrize(
    ("persona", "text", "message"),
    [
        ("division", "   ", "Hãy viết nội dung tin nhắn."),
        ("committee", "Ban chỉ đạo hỏi", "Bạn không được viết"),
        ("other_division", "Không phải việc của tôi", "Bạn không được viết"),
    ],
)
def test_a_message_that_is_empty_or_not_yours_is_refused(client_for, persona, text, message):
    submit(client_for("division"))
    url = reverse("measurements:value_comment", args=[YEAR, "HP", "1.1.2"])
    response = client_for(persona).post(url, {"text": text}, follow=True)
    assert message in response.content.decode()
    assert not Measurement.objects.get().comments.exists()
