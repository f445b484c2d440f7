"""A meeting's record beyond its typed text (issue 14.3): the minutes as signed and the
attachments kept with it, and its attendees chosen from the year's council and committee."""

import hashlib
from datetime import date
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document

from assignments.permissions import actor_for
from evaluation.models import Meeting, MeetingFile, Member
from evaluation.services import meeting_file_attach
from tests.conftest import YEAR
from tests.evaluation.test_documents import texts
from tests.evidence.conftest import EXE, PDF
from tests.factories import make_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def evidence_dir(settings, tmp_path):
    location = tmp_path / "evidence-storage"
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": location, "base_url": None},
        },
    }
    return location


@pytest.fixture
def council(personas) -> Meeting:
    return make_meeting(YEAR, personas["committee"], date(2022, 12, 15), Meeting.Kind.COUNCIL)


def files_url(meeting: Meeting) -> str:
    return reverse("evaluation:meeting_files", args=[YEAR, meeting.pk])


def stored(evidence_dir) -> list:
    return [path for path in evidence_dir.rglob("*") if path.is_file()]


def test_the_signed_minutes_are_kept_and_every_reader_of_the_meetings_downloads_them(
    client_for, council, evidence_dir
):
    client = client_for("committee")
    response = client.post(
        files_url(council),
        {
            "kind": "minutes",
            "title": "Biên bản họp Hội đồng đã ký",
            "file": SimpleUploadedFile("bien-ban.pdf", PDF),
        },
    )
    assert response.status_code == 302
    kept = MeetingFile.objects.get()
    assert (kept.meeting, kept.year, kept.kind) == (council, YEAR, "minutes")
    assert kept.sha256 == hashlib.sha256(PDF).hexdigest()
    assert kept.original_name == "bien-ban.pdf"
    assert len(stored(evidence_dir)) == 1

    download = reverse("evaluation:meeting_file_download", args=[YEAR, council.pk, kept.pk])
    page = client_for("division").get(reverse("evaluation:meetings", args=[YEAR]))
    html = page.content.decode()
    assert f'href="{download}"' in html
    assert "Biên bản họp Hội đồng đã ký" in html
    assert f'href="{files_url(council)}"' not in html  # a division reads, keeps no files
    response = client_for("division").get(download)
    assert b"".join(response.streaming_content) == PDF
    assert 'filename="bien-ban.pdf"' in response["Content-Disposition"]
    assert client_for("district_a").get(download).status_code == 403


def test_an_attachment_without_a_title_takes_the_files_name(personas, council):
    committee = personas["committee"]
    kept = meeting_file_attach(
        actor=actor_for(committee),
        user=committee,
        meeting=council,
        kind="attachment",
        title="  ",
        file=SimpleUploadedFile("Báo cáo trình Hội đồng.pdf", PDF),
    )
    assert kept.title == "Báo cáo trình Hội đồng.pdf"


def test_a_program_is_refused_with_a_clear_message_and_nothing_is_kept(
    client_for, council, evidence_dir
):
    response = client_for("standing_office").post(
        files_url(council),
        {"kind": "attachment", "title": "", "file": SimpleUploadedFile("bien-ban.pdf", EXE)},
    )
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()
    assert not MeetingFile.objects.exists()
    assert stored(evidence_dir) == []


def test_a_file_kept_by_mistake_is_removed_and_its_history_says_so(
    client_for, personas, council, evidence_dir
):
    committee = personas["committee"]
    kept = meeting_file_attach(
        actor=actor_for(committee),
        user=committee,
        meeting=council,
        kind="attachment",
        title="Tải nhầm",
        file=SimpleUploadedFile("nham.pdf", PDF),
    )
    url = reverse("evaluation:meeting_file_remove", args=[YEAR, council.pk, kept.pk])
    assert client_for("division").post(url).status_code == 403
    assert MeetingFile.objects.exists()
    assert client_for("standing_office").post(url).status_code == 302
    assert not MeetingFile.objects.exists()
    removed = MeetingFile.history.get(history_type="-")
    assert (removed.title, removed.history_user) == ("Tải nhầm", personas["standing_office"])
    # The stored file stays, as every evidence file does: a backup's files copied after its
    # dump hold every file the dump names.
    assert [path.read_bytes() for path in stored(evidence_dir)] == [PDF]


# --- Attendees chosen from the year's members ----------------------------------------------------


@pytest.fixture
def members(personas) -> list[Member]:
    return [
        Member.objects.create(
            year=YEAR, body="council", role="chair", name="Nguyễn Văn A", position="Giám đốc Sở"
        ),
        Member.objects.create(year=YEAR, body="council", role="secretary", name="Trần Thị B"),
        Member.objects.create(year=YEAR, body="council", role="member", name="Lê Văn C"),
    ]


def test_the_members_present_are_ticked_and_listed_first_among_the_attendees(client_for, members):
    client = client_for("committee")
    form = client.get(reverse("evaluation:meeting_new", args=[YEAR])).content.decode()
    assert "Nguyễn Văn A" in form
    assert 'name="members_present"' in form
    response = client.post(
        reverse("evaluation:meeting_new", args=[YEAR]),
        {
            "kind": "council",
            "held_on": "15/12/2022",
            "members_present": [members[0].pk, members[1].pk],
            "attendees": (
                "Đại diện UBND quận Hồng Bàng\nNguyễn Văn A, Giám đốc Sở — Chủ tịch Hội đồng"
            ),
        },
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.attendees.splitlines() == [
        "Nguyễn Văn A, Giám đốc Sở — Chủ tịch Hội đồng",
        "Trần Thị B — Thư ký",
        "Đại diện UBND quận Hồng Bàng",  # typed; the member's line typed again is not repeated
    ]

    # Correcting the record ticks the members again and leaves only the others to type.
    edit = client.get(reverse("evaluation:meeting_edit", args=[YEAR, meeting.pk]))
    form = edit.context["form"]
    assert form.initial["members_present"] == [members[0].pk, members[1].pk]
    assert form.initial["attendees"] == "Đại diện UBND quận Hồng Bàng"

    minutes = client.get(reverse("evaluation:meeting_minutes", args=[YEAR, meeting.pk]))
    lines = texts(Document(BytesIO(minutes.content)))
    start = lines.index("Thành phần tham dự:")
    assert lines[start + 1 : start + 4] == [
        "- Nguyễn Văn A, Giám đốc Sở — Chủ tịch Hội đồng;",
        "- Trần Thị B — Thư ký;",
        "- Đại diện UBND quận Hồng Bàng.",
    ]


def test_without_members_the_attendees_are_typed(client_for):
    client = client_for("committee")
    form = client.get(reverse("evaluation:meeting_new", args=[YEAR])).content.decode()
    assert 'name="members_present"' not in form
    client.post(
        reverse("evaluation:meeting_new", args=[YEAR]),
        {"kind": "committee", "held_on": "20/12/2022", "attendees": "Các thành viên Ban chỉ đạo"},
    )
    assert Meeting.objects.get().attendees == "Các thành viên Ban chỉ đạo"


def test_the_meetings_page_reads_every_meetings_files_at_once(
    client_for, personas, django_assert_max_num_queries
):
    for day in (15, 16, 20):
        meeting = make_meeting(YEAR, personas["committee"], date(2022, 12, day))
        for number in range(3):
            MeetingFile.objects.create(
                meeting=meeting,
                year=YEAR,
                kind="attachment",
                title=f"Tài liệu {number}",
                file=f"evidence/{YEAR}/{day:030d}{number:02d}.pdf",
                original_name="tai-lieu.pdf",
                sha256="0" * 64,
                size=1,
                content_type="application/pdf",
                uploaded_by=personas["committee"],
            )
    client = client_for("division")
    client.get(reverse("evaluation:meetings", args=[YEAR]))  # the session and the caches warm
    # The session, the person and their rights, the notifications, the meetings with their
    # recognitions and their files: 10, however many meetings and files.
    with django_assert_max_num_queries(10):
        page = client.get(reverse("evaluation:meetings", args=[YEAR])).content.decode()
    assert page.count("Tài liệu 2") == 3


def test_a_division_reads_the_files_but_neither_keeps_nor_removes_one(client_for, council):
    client = client_for("division")
    refused = client.post(
        files_url(council),
        {"kind": "minutes", "title": "", "file": SimpleUploadedFile("bien-ban.pdf", PDF)},
    )
    assert refused.status_code == 403
    assert "Ban chỉ đạo hoặc Cơ quan thường trực" in refused.content.decode()
    assert not MeetingFile.objects.exists()


def test_an_unknown_kind_of_file_is_refused_and_nothing_is_kept(client_for, council, evidence_dir):
    response = client_for("committee").post(
        files_url(council),
        {"kind": "photo", "title": "", "file": SimpleUploadedFile("bien-ban.pdf", PDF)},
    )
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()
    assert not MeetingFile.objects.exists()
    assert stored(evidence_dir) == []


def test_a_member_of_another_year_cannot_be_ticked(client_for, members):
    other = Member.objects.create(year=YEAR - 1, body="council", role="member", name="Đỗ Văn D")
    response = client_for("committee").post(
        reverse("evaluation:meeting_new", args=[YEAR]),
        {"kind": "council", "held_on": "15/12/2022", "members_present": [other.pk]},
    )
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()
    assert not Meeting.objects.exists()
