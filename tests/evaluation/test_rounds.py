"""A year's rounds (issue 14.1): the calendar shown where work is done («còn 5 ngày», «quá hạn 2
ngày»), a first submission after the deadline marked late (a resubmission after a return is not),
and the pilot districts named by the districts' round."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assignments.permissions import actor_for
from criteria.models import EvaluationYear, Round
from measurements import services
from measurements.models import Measurement
from measurements.services import MeasurementData
from tests.conftest import YEAR
from tests.factories import make_pilots

pytestmark = pytest.mark.django_db


def set_round(level: str, **dates) -> Round:
    return Round.objects.update_or_create(
        evaluation_year=EvaluationYear.objects.get(year=YEAR), level=level, defaults=dates
    )[0]


def days_from_today(days: int) -> date:
    return timezone.localdate() + timedelta(days=days)


def submit(personas, world, persona: str = "district_a", *, submit: bool = True) -> Measurement:
    entry = Measurement.objects.filter(indicator__code="2.1.3", unit=world.district_a).first()
    return services.measurement_save(
        actor=actor_for(personas[persona]),
        user=personas[persona],
        indicator=world.indicator("2.1.3"),
        unit=world.district_a,
        year=YEAR,
        data=MeasurementData(numerator=1, denominator=3000),
        expected_version=entry.version if entry else None,
        submit=submit,
    )


def test_a_first_submission_after_the_deadline_is_marked_late(world, personas):
    set_round("district", due_on=days_from_today(-2))
    assert submit(personas, world).submitted_late is True


def test_a_submission_before_the_deadline_is_not_late(world, personas):
    set_round("district", due_on=days_from_today(5))
    set_round("city", due_on=days_from_today(-5))  # the city's deadline is not the districts'
    assert submit(personas, world).submitted_late is False


def test_a_draft_after_the_deadline_is_not_late_until_it_is_submitted(world, personas):
    set_round("district", due_on=days_from_today(-1))
    assert submit(personas, world, submit=False).submitted_late is False
    assert submit(personas, world).submitted_late is True


def test_a_resubmission_after_a_return_is_not_marked_late(world, personas):
    set_round("district", due_on=days_from_today(3))
    entry = submit(personas, world)
    services.measurement_return(
        actor=actor_for(personas["standing_office"]),
        user=personas["standing_office"],
        measurement=entry,
        comment="Thiếu mẫu số",
        seen_version=entry.version,
    )
    Round.objects.filter(level="district").update(due_on=days_from_today(-3))
    assert submit(personas, world).submitted_late is False


def test_my_work_says_how_many_days_are_left(client_for, world):
    set_round("district", due_on=days_from_today(5))
    html = client_for("district_a").get(reverse("measurements:my_work")).content.decode()
    deadline = html.split('id="deadline"')[1].split("</span>\n")[0]
    assert days_from_today(5).strftime("%d/%m/%Y") in deadline
    assert "còn 5 ngày" in deadline


def test_my_work_says_how_long_the_deadline_is_past(client_for, world):
    set_round("city", due_on=days_from_today(-2))
    html = client_for("division").get(reverse("measurements:my_work")).content.decode()
    assert "quá hạn 2 ngày" in html.split('id="deadline"')[1]


def test_progress_and_the_dashboard_show_the_calendar(client_for, world):
    set_round("district", due_on=days_from_today(0), committee_on=days_from_today(10))
    set_round("city", due_on=days_from_today(1))
    client = client_for("standing_office")
    progress = client.get(reverse("evaluation:progress", args=[YEAR])).content.decode()
    districts = progress.split('id="calendar-district"')[1].split("</section>")[0]
    assert "Hạn tự đánh giá" in districts
    assert "hạn là hôm nay" in districts
    assert "còn 10 ngày" in districts
    assert "còn 1 ngày" in progress.split('id="calendar-city"')[1].split("</section>")[0]
    unit = client.get(reverse("evaluation:unit", args=[YEAR, "HP-A"])).content.decode()
    assert "hạn là hôm nay" in unit.split('id="calendar-district"')[1].split("</section>")[0]


def test_a_meeting_behind_us_is_not_overdue(client_for, world):
    set_round("district", council_on=days_from_today(-3), committee_on=days_from_today(2))
    html = client_for("standing_office").get(reverse("evaluation:progress", args=[YEAR]))
    calendar = html.content.decode().split('id="calendar-district"')[1].split("</section>")[0]
    assert "quá hạn" not in calendar
    assert "còn 2 ngày" in calendar


def test_a_locked_years_calendar_gives_dates_without_counting_days(client_for, world):
    set_round("district", due_on=date(2022, 11, 25))
    EvaluationYear.objects.filter(year=YEAR).update(state="locked")
    html = client_for("standing_office").get(reverse("evaluation:progress", args=[YEAR]))
    calendar = html.content.decode().split('id="calendar-district"')[1].split("</section>")[0]
    assert "25/11/2022" in calendar
    assert "quá hạn" not in calendar


def test_the_round_names_the_pilots_the_others_are_shown_not_in_the_pilot(client_for, world):
    make_pilots(YEAR, [world.district_a])
    client = client_for("standing_office")
    pilot = client.get(reverse("evaluation:unit", args=[YEAR, "HP-A"])).content.decode()
    other = client.get(reverse("evaluation:unit", args=[YEAR, "HP-B"])).content.decode()
    assert "thí điểm</span>" in pilot.split("<h1")[1].split("</h1>")[0]
    assert "không thí điểm" not in pilot.split("<h1")[1].split("</h1>")[0]
    assert "không thí điểm" in other.split("<h1")[1].split("</h1>")[0]


def test_a_district_outside_the_pilot_has_no_deadline_and_is_never_late(
    client_for, world, personas
):
    set_round("district", due_on=days_from_today(-2))
    make_pilots(YEAR, [world.district_b])
    assert submit(personas, world).submitted_late is False  # district A's, not a pilot
    html = client_for("district_a").get(reverse("measurements:my_work")).content.decode()
    assert 'id="deadline"' not in html
    assert "không bắt buộc" in html.split('id="not-pilot"')[1].split("</p>")[0]
    pilot = client_for("district_b").get(reverse("measurements:my_work")).content.decode()
    assert "quá hạn 2 ngày" in pilot.split('id="deadline"')[1]
    assert 'id="not-pilot"' not in pilot


def test_a_pilot_of_one_year_is_not_a_pilot_of_the_next(client_for, world):
    make_pilots(YEAR, [world.district_a])
    EvaluationYear.objects.create(year=YEAR + 1)
    html = (
        client_for("standing_office")
        .get(reverse("evaluation:unit", args=[YEAR + 1, "HP-A"]))
        .content.decode()
    )
    assert "không thí điểm" in html.split("<h1")[1].split("</h1>")[0]


def test_the_review_queue_marks_a_late_submission(client_for, world, personas):
    set_round("district", due_on=days_from_today(-1))
    submit(personas, world)
    html = client_for("standing_office").get(reverse("measurements:review")).content.decode()
    assert 'class="badge text-bg-danger submitted-late">nộp muộn' in html
