"""The pilot's meetings (issue 14.3): recorded once held, with their minutes; recording one closes
the plan task it fulfils; a recognition is decided at a council or committee meeting of its year."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from assignments.models import PlanTask
from assignments.permissions import actor_for
from evaluation.models import CommitteeDecision, Meeting
from evaluation.services import decision_record, meeting_record
from tests.conftest import YEAR
from tests.factories import make_meeting

pytestmark = pytest.mark.django_db

COMMITTEE = {
    "kind": Meeting.Kind.COMMITTEE,
    "held_on": date(2022, 12, 20),
    "place": "UBND thành phố",
    "chaired_by": "Trưởng Ban chỉ đạo",
    "attendees": "Các thành viên Ban chỉ đạo",
    "agenda": "Đánh giá kết quả thí điểm",
    "minutes": "Ban chỉ đạo thống nhất công nhận.",
}


@pytest.fixture
def task_4(world):
    return PlanTask.objects.create(
        number=4, content="Tổ chức Cuộc họp Ban chỉ đạo", due_date=date(2022, 12, 31)
    )


def record(personas, persona: str = "committee", **data):
    user = personas[persona]
    return meeting_record(
        actor=actor_for(user), user=user, year=YEAR, data={**COMMITTEE, "plan_task": None, **data}
    )


def test_recording_the_committee_meeting_closes_the_task_it_fulfils(personas, task_4):
    record(personas, plan_task=task_4)

    task_4.refresh_from_db()
    assert task_4.completed_on == date(2022, 12, 20)
    assert task_4.completion_proof == "Biên bản họp Ban chỉ đạo ngày 20/12/2022"
    assert not task_4.is_overdue(date(2023, 1, 5))


def test_the_progress_page_no_longer_says_the_task_is_overdue(client_for, personas, task_4):
    url = reverse("evaluation:progress", args=[YEAR])
    before = client_for("standing_office").get(url).content.decode()
    record(personas, plan_task=task_4)
    after = client_for("standing_office").get(url).content.decode()
    assert "Quá hạn" in before
    assert "Quá hạn" not in after
    assert "Biên bản họp Ban chỉ đạo ngày 20/12/2022" in after


def test_a_task_already_done_keeps_its_own_proof(personas, task_4):
    PlanTask.objects.filter(pk=task_4.pk).update(
        completed_on=date(2022, 12, 18), completion_proof="Thông báo số 9/TB-BCĐ"
    )
    record(personas, plan_task=task_4)
    task_4.refresh_from_db()
    assert (task_4.completed_on, task_4.completion_proof) == (
        date(2022, 12, 18),
        "Thông báo số 9/TB-BCĐ",
    )


def test_a_meeting_not_yet_held_is_refused_and_nothing_is_written(personas, task_4):
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError, match="Chỉ ghi cuộc họp sau khi đã họp"):
        record(personas, held_on=tomorrow, plan_task=task_4)
    assert not Meeting.objects.exists()
    task_4.refresh_from_db()
    assert task_4.completed_on is None


def test_a_division_records_no_meeting(personas):
    with pytest.raises(PermissionDenied):
        record(personas, "division")
    assert not Meeting.objects.exists()


def test_the_meetings_page_shows_the_minutes_and_the_recognitions(client_for, world, personas):
    meeting = record(personas)
    committee = personas["committee"]
    decision_record(
        actor=actor_for(committee),
        unit=world.city,
        year=YEAR,
        user=committee,
        data={"meeting": meeting, "decision": "recognized", "number": "45/QĐ-BCĐ", "note": ""},
    )
    html = client_for("division").get(reverse("evaluation:meetings", args=[YEAR])).content.decode()
    section = html.split(f'id="meeting-{meeting.pk}"')[1].split("</section>")[0]
    assert "Ban chỉ đạo thống nhất công nhận." in section
    assert "45/QĐ-BCĐ" in section
    assert "Sửa biên bản" not in section  # the division reads; it does not record


def test_a_district_office_does_not_read_the_meetings(client_for, personas):
    record(personas)
    response = client_for("district_a").get(reverse("evaluation:meetings", args=[YEAR]))
    assert response.status_code == 403
    assert "Ban chỉ đạo thống nhất công nhận." not in response.content.decode()


def test_the_meeting_form_records_a_council_meeting(client_for, world):
    response = client_for("standing_office").post(
        reverse("evaluation:meeting_new", args=[YEAR]),
        {"kind": "council", "held_on": "15/12/2022", "place": "Sở GD&ĐT"},
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert (meeting.kind, meeting.held_on, meeting.place) == (
        "council",
        date(2022, 12, 15),
        "Sở GD&ĐT",
    )


@pytest.mark.parametrize(
    ("kind", "year"),
    [(Meeting.Kind.LAUNCH, YEAR), (Meeting.Kind.REVIEW, YEAR), (Meeting.Kind.COMMITTEE, YEAR - 1)],
)
def test_a_recognition_is_decided_only_at_a_council_or_committee_meeting_of_its_year(
    world, personas, kind, year
):
    committee = personas["committee"]
    meeting = make_meeting(year, committee, kind=kind)
    with pytest.raises(ValidationError, match="cuộc họp của Hội đồng hoặc Ban chỉ đạo năm 2022"):
        decision_record(
            actor=actor_for(committee),
            unit=world.city,
            year=YEAR,
            user=committee,
            data={"meeting": meeting, "decision": "recognized", "number": "", "note": ""},
        )
    assert not CommitteeDecision.objects.exists()


def test_a_meeting_that_decided_recognitions_stays_one_that_recognises(world, personas):
    meeting = record(personas)
    committee = personas["committee"]
    decision_record(
        actor=actor_for(committee),
        unit=world.city,
        year=YEAR,
        user=committee,
        data={"meeting": meeting, "decision": "recognized", "number": "", "note": ""},
    )
    with pytest.raises(ValidationError, match="Cuộc họp này đã quyết định công nhận"):
        meeting_record(
            actor=actor_for(committee),
            user=committee,
            year=YEAR,
            data={**COMMITTEE, "kind": Meeting.Kind.REVIEW},
            instance=meeting,
        )
    assert Meeting.objects.get().kind == "committee"
