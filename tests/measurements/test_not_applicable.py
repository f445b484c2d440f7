"""The standing office marks an indicator not applicable for a unit, with a reason."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assignments.permissions import actor_for
from criteria.models import EvaluationYear
from evaluation.dashboard import baseline
from measurements.models import Measurement
from measurements.services import (
    MeasurementData,
    measurement_clear_not_applicable,
    measurement_save,
)
from tests.conftest import YEAR

pytestmark = pytest.mark.django_db


def mark(client, unit="HP-B", code="2.1.3", reason="Huyện đảo, không có xã", version=""):
    url = reverse("measurements:not_applicable", args=[YEAR, unit, code])
    return client.post(url, {"reason": reason, "version": version})


def test_standing_office_marks_an_indicator_not_applicable(client_for, world, personas):
    assert mark(client_for("standing_office")).status_code == 302
    entry = Measurement.objects.get()
    assert entry.status == "not_applicable"
    assert entry.not_applicable_reason == "Huyện đảo, không có xã"
    assert entry.reviewed_by == personas["standing_office"]
    assert entry.history.first().history_user == personas["standing_office"]


def test_it_drops_out_of_the_verdict_with_its_reason(client_for, world):
    mark(client_for("standing_office"), unit="HP")
    evaluation = baseline(world.criteria_set, world.city, YEAR).evaluation
    result = next(r for r in evaluation.indicators if r.code == "2.1.3")
    assert result.status.value == "not_applicable"
    assert result.explanation == "Không áp dụng: Huyện đảo, không có xã"


def test_the_reason_shows_on_the_entry_page(client_for, world):
    client = client_for("standing_office")
    mark(client)
    html = client.get(
        reverse("measurements:measurement", args=[YEAR, "HP-B", "2.1.3"])
    ).content.decode()
    assert 'id="not-applicable"' in html
    assert "Huyện đảo, không có xã" in html


def test_a_reason_is_required(client_for, world):
    mark(client_for("standing_office"), reason="  ")
    assert not Measurement.objects.exists()


@pytest.mark.parametrize("persona", ["division", "district_b", "committee"])
def test_only_the_standing_office_marks_it(client_for, world, persona):
    assert mark(client_for(persona)).status_code == 403
    assert not Measurement.objects.exists()


def test_values_are_cleared_and_kept_in_history(client_for, world):
    client = client_for("standing_office")
    Measurement.objects.create(
        indicator=world.indicator("2.1.3"), unit=world.district_b, year=YEAR, value=Decimal("0.2")
    )
    mark(client, version="1")
    entry = Measurement.objects.get()
    assert entry.value is None
    assert entry.history.filter(value=Decimal("0.2")).exists()


def test_the_district_cannot_overwrite_a_not_applicable_entry(client_for, world):
    mark(client_for("standing_office"))
    url = reverse("measurements:measurement", args=[YEAR, "HP-B", "2.1.3"])
    response = client_for("district_b").post(url, {"value": "0,01", "version": "1"})
    assert "không áp dụng" in response.content.decode()
    assert Measurement.objects.get().status == "not_applicable"


def test_it_can_be_undone(client_for, world):
    client = client_for("standing_office")
    mark(client)
    url = reverse("measurements:not_applicable", args=[YEAR, "HP-B", "2.1.3"])
    client.post(url, {"clear": "1"})
    entry = Measurement.objects.get()
    assert entry.status == "draft"
    assert entry.not_applicable_reason == ""


def test_a_locked_year_refuses_it(client_for, world):
    EvaluationYear.objects.filter(year=YEAR).update(state="locked")
    mark(client_for("standing_office"))
    assert not Measurement.objects.exists()


def test_the_database_refuses_not_applicable_without_a_reason(world):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Measurement.objects.create(
            indicator=world.indicator("2.1.3"), unit=world.city, year=YEAR, status="not_applicable"
        )


def test_the_database_refuses_a_reason_for_an_entry_that_applies(world):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Measurement.objects.create(
            indicator=world.indicator("2.1.3"),
            unit=world.city,
            year=YEAR,
            not_applicable_reason="Huyện đảo",
        )


def test_the_entry_page_offers_to_mark_then_to_undo(client_for, world):
    client = client_for("standing_office")
    url = reverse("measurements:measurement", args=[YEAR, "HP-B", "2.1.3"])
    before = client.get(url).content.decode()
    assert '<textarea name="reason"' in before
    assert 'name="clear" value="False"' in before
    mark(client)
    after = client.get(url).content.decode()
    assert '<textarea name="reason"' not in after
    assert 'name="clear" value="True"' in after
    assert 'name="version" value="1"' in after


def test_only_the_standing_office_is_offered_the_mark(client_for, world):
    url = reverse("measurements:measurement", args=[YEAR, "HP-B", "2.1.3"])
    html = client_for("district_b").get(url).content.decode()
    assert reverse("measurements:not_applicable", args=[YEAR, "HP-B", "2.1.3"]) not in html


def test_undoing_is_refused_for_an_entry_that_applies_and_writes_nothing(world, personas):
    entry = Measurement.objects.create(
        indicator=world.indicator("1.1.2"),
        unit=world.city,
        year=YEAR,
        numerator=56,
        denominator=80,
        status="approved",
    )
    office = personas["standing_office"]
    with pytest.raises(ValidationError):
        measurement_clear_not_applicable(actor=actor_for(office), user=office, measurement=entry)
    entry.refresh_from_db()
    assert (entry.status, entry.numerator, entry.version) == ("approved", 56, 1)


# --- Issue 15.7: a status of its own everywhere, its reason in the history, no form under it ----


def entry_page(client, unit="HP-B", code="2.1.3") -> str:
    return client.get(reverse("measurements:measurement", args=[YEAR, unit, code])).content.decode()


def test_no_entry_form_stands_under_not_applicable_even_for_the_standing_office(client_for, world):
    client = client_for("standing_office")
    assert 'name="value"' in entry_page(client)
    mark(client)
    html = entry_page(client)
    assert 'name="value"' not in html
    assert 'name="numerator"' not in html
    assert 'name="clear" value="True"' in html  # «Áp dụng trở lại» is what it offers
    assert "Đơn vị nhập số liệu" not in html  # nor who would enter it


def test_the_reason_is_in_the_readable_history(client_for, world):
    client = client_for("standing_office")
    mark(client)
    html = entry_page(client)
    history = html[html.index('id="history"') :]
    assert "Lý do không áp dụng: — → Huyện đảo, không có xã" in history
    assert '<span class="badge text-bg-light border">Không áp dụng</span>' in history


def test_the_units_values_offer_no_edit_link_under_not_applicable(client_for, world):
    mark(client_for("standing_office"))
    html = (
        client_for("district_b")
        .get(reverse("measurements:unit_values", args=[YEAR, "HP-B"]))
        .content.decode()
    )
    row = html[html.index('id="row-2.1.3"') :].split("</tr>")[0]
    assert "Không áp dụng" in row
    assert reverse("measurements:measurement", args=[YEAR, "HP-B", "2.1.3"]) + '">Sửa' not in row


def test_progress_counts_not_applicable_on_its_own_never_as_approved(client_for, world):
    mark(client_for("standing_office"))
    response = client_for("committee").get(reverse("evaluation:progress", args=[YEAR]))
    office = next(r for r in response.context["departments"] if r.department.code == "PGD-B")
    assert [i.code for i in office.not_applicable] == ["2.1.3"]
    assert [i.code for i in office.approved] == []
    assert office.total == 2  # 1.1.1 missing, 2.1.3 not applicable
    assert '<th scope="col">Không áp dụng</th>' in response.content.decode()


def test_the_standing_office_cannot_write_values_under_not_applicable_either(world, personas):
    """Not even by a request no page offers: the indicator is made to apply again first."""
    standing = personas["standing_office"]
    indicator = world.indicator("2.1.3")
    unit = world.district_b
    Measurement.objects.create(
        indicator=indicator,
        unit=unit,
        year=YEAR,
        status="not_applicable",
        not_applicable_reason="Huyện đảo, không có xã",
        version=1,
    )
    with pytest.raises(ValidationError) as refused:
        measurement_save(
            actor=actor_for(standing),
            user=standing,
            indicator=indicator,
            unit=unit,
            year=YEAR,
            data=MeasurementData(value=Decimal("0.01")),
            expected_version=1,
            submit=True,
        )
    assert refused.value.messages == [
        "Cơ quan thường trực đã đánh dấu chỉ báo này không áp dụng cho Đơn vị HP-B: không nhập số "
        "liệu được."
    ]
    entry = Measurement.objects.get()
    assert (entry.status, entry.value, entry.version) == ("not_applicable", None, 1)
