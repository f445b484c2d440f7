"""The council's and the committee's members (issue 14.3): named people with their roles, kept by
the standing office; the minutes are signed in their names."""

from datetime import date
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from docx import Document

from assignments.permissions import actor_for
from evaluation.models import Member
from evaluation.services import member_add
from tests.conftest import YEAR
from tests.evaluation.test_documents import texts
from tests.factories import make_meeting

pytestmark = pytest.mark.django_db


def add(personas, persona: str = "standing_office", **data) -> Member:
    user = personas[persona]
    return member_add(actor=actor_for(user), user=user, year=YEAR, data=data)


def test_the_standing_office_names_members_with_their_roles(client_for, personas):
    add(personas, body="committee", role="head", name="Nguyễn Văn A", position="Phó Chủ tịch UBND")
    add(personas, body="council", role="secretary", name="Trần Thị B", user=personas["division"])
    html = client_for("division").get(reverse("evaluation:members", args=[YEAR])).content.decode()
    table = html.split('id="members"')[1].split("</table>")[0]
    assert "Nguyễn Văn A" in table
    assert "Trưởng Ban" in table
    assert "vanphong" in table
    assert "Ghi thành viên" not in html  # the division reads; it names no one


def test_a_role_the_body_does_not_have_is_refused(personas):
    with pytest.raises(ValidationError, match="không có vai trò này"):
        add(personas, body="council", role="head", name="Nguyễn Văn A")
    assert not Member.objects.exists()


def test_the_committee_names_no_member(personas):
    with pytest.raises(PermissionDenied):
        add(personas, "committee", body="committee", role="member", name="Nguyễn Văn A")
    assert not Member.objects.exists()


def test_a_member_is_removed_and_the_history_keeps_them(client_for, personas):
    member = add(personas, body="committee", role="member", name="Lê Văn C")
    response = client_for("standing_office").post(
        reverse("evaluation:members", args=[YEAR]), {"remove": member.pk}
    )
    assert response.status_code == 302
    assert not Member.objects.exists()
    assert Member.history.filter(history_type="-").get().name == "Lê Văn C"


def test_the_minutes_are_signed_in_the_chairs_and_the_secretarys_names(client_for, world, personas):
    add(personas, body="council", role="chair", name="Nguyễn Văn A")
    add(personas, body="council", role="secretary", name="Trần Thị B")
    meeting = make_meeting(YEAR, personas["committee"], date(2022, 12, 15), kind="council")
    url = reverse("evaluation:meeting_minutes", args=[YEAR, meeting.pk])
    lines = texts(Document(BytesIO(client_for("committee").get(url).content)))
    signing = lines[lines.index("THƯ KÝ") :]
    assert signing[:4] == ["THƯ KÝ", "Trần Thị B", "CHỦ TỌA", "Nguyễn Văn A"]
