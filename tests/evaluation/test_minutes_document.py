"""A meeting's minutes (biên bản) as a .docx in the form of Nghị định 30/2020/NĐ-CP, from its
record, linked from the meetings page."""

from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from docx import Document

from assignments.permissions import actor_for
from evaluation.documents import date_line
from evaluation.models import Meeting
from evaluation.services import decision_record, meeting_record
from tests.conftest import YEAR
from tests.evaluation.test_documents import texts

pytestmark = pytest.mark.django_db


@pytest.fixture
def committee_meeting(world, personas) -> Meeting:
    committee = personas["committee"]
    meeting = meeting_record(
        actor=actor_for(committee),
        user=committee,
        year=YEAR,
        data={
            "kind": "committee",
            "held_on": date(2022, 12, 20),
            "place": "UBND thành phố Hải Phòng",
            "chaired_by": "Trưởng Ban chỉ đạo",
            "attendees": "Các thành viên Ban chỉ đạo",
            "agenda": "Đánh giá kết quả thí điểm năm 2022.",
            "minutes": "Ban chỉ đạo nghe báo cáo.\nBan chỉ đạo thống nhất kết luận.",
            "plan_task": None,
        },
    )
    for unit, decision in ((world.district_a, "recognized"), (world.district_b, "not_recognized")):
        decision_record(
            actor=actor_for(committee),
            unit=unit,
            year=YEAR,
            user=committee,
            data={
                "meeting": meeting,
                "decision": decision,
                "number": "45/QĐ-BCĐ",
                "note": "",
                "exception_confirmed": True,
                "exception_reason": "Hội đồng đã xác minh tại chỗ",
            },
        )
    return meeting


def test_a_date_takes_the_decrees_leading_zeros():
    assert date_line("Hải Phòng", date(2022, 2, 5)) == "Hải Phòng, ngày 05 tháng 02 năm 2022"
    assert date_line("Hải Phòng", date(2022, 12, 20)) == "Hải Phòng, ngày 20 tháng 12 năm 2022"
    assert date_line("Hải Phòng", date(2023, 3, 1)) == "Hải Phòng, ngày 01 tháng 3 năm 2023"


def test_the_minutes_have_the_decrees_parts_in_order(client_for, committee_meeting):
    url = reverse("evaluation:meeting_minutes", args=[YEAR, committee_meeting.pk])
    response = client_for("division").get(url)
    assert response["Content-Disposition"] == (
        'attachment; filename="bien-ban-committee-2022-12-20.docx"'
    )
    lines = texts(Document(BytesIO(response.content)))
    expected_in_order = [
        "UBND THÀNH PHỐ HẢI PHÒNG",
        "BAN CHỈ ĐẠO PHỔ CẬP GIÁO DỤC – XÓA MÙ CHỮ - XÂY DỰNG XÃ HỘI HỌC TẬP - DẠY VÀ HỌC "
        "NGOẠI NGỮ THÀNH PHỐ",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số:      /BB-BCĐ",
        "Hải Phòng, ngày 20 tháng 12 năm 2022",
        "BIÊN BẢN",
        "Họp Ban chỉ đạo đánh giá, công nhận mức độ thực hiện tiêu chí thành phố học tập và "
        "quận/huyện học tập",
        "Thời gian: ngày 20 tháng 12 năm 2022.",
        "Địa điểm: UBND thành phố Hải Phòng.",
        "Chủ trì: Trưởng Ban chỉ đạo.",
        "NỘI DUNG",
        "Ban chỉ đạo nghe báo cáo.",
        "Ban chỉ đạo thống nhất kết luận.",
        "KẾT LUẬN",
        "Đơn vị HP-A",
        "Công nhận",
        "Đơn vị HP-B",
        "Chưa công nhận",
        "Biên bản được lập xong và thông qua trước những người dự họp./.",
        "THƯ KÝ",
        "CHỦ TỌA",
        "Nơi nhận:",
    ]
    positions = [lines.index(text) for text in expected_in_order]
    assert positions == sorted(positions)
    assert "Đơn vị HP-A được công nhận với lý do: Hội đồng đã xác minh tại chỗ" in lines


def test_minutes_not_yet_written_are_left_for_the_secretary(client_for, world, personas):
    meeting = Meeting.objects.create(
        year=YEAR, kind="launch", held_on=date(2022, 3, 25), recorded_by=personas["committee"]
    )
    url = reverse("evaluation:meeting_minutes", args=[YEAR, meeting.pk])
    lines = texts(Document(BytesIO(client_for("standing_office").get(url).content)))
    assert "SỞ GIÁO DỤC VÀ ĐÀO TẠO" in lines  # the Sở holds its conference
    assert "Số:      /BB-SGDĐT" in lines
    assert "(Ghi diễn biến cuộc họp, các ý kiến và kết luận trước khi trình ký.)" in lines
    assert "KẾT LUẬN" not in lines


def test_the_meetings_page_links_to_the_minutes(client_for, committee_meeting):
    html = client_for("committee").get(reverse("evaluation:meetings", args=[YEAR])).content
    url = reverse("evaluation:meeting_minutes", args=[YEAR, committee_meeting.pk])
    assert f'href="{url}"' in html.decode()


def download(client, name: str) -> list[str]:
    response = client.get(reverse(f"evaluation:{name}", args=[YEAR]))
    assert response.status_code == 200
    return texts(Document(BytesIO(response.content)))


def in_order(lines: list[str], expected: list[str]) -> bool:
    positions = [lines.index(text) for text in expected]
    return positions == sorted(positions)


def test_the_proposal_lists_the_units_recognised(client_for, committee_meeting):
    lines = download(client_for("standing_office"), "proposal_document")
    assert in_order(
        lines,
        [
            "SỞ GIÁO DỤC VÀ ĐÀO TẠO",
            "Số:      /TTr-SGDĐT",
            "TỜ TRÌNH",
            "Đề nghị công nhận quận/huyện học tập, thành phố học tập năm 2022",
            "Kính gửi: Ủy ban nhân dân thành phố Hải Phòng",
            "Đơn vị HP-A",
            "Ban chỉ đạo ngày 20/12/2022, số 45/QĐ-BCĐ",
            "Sở Giáo dục và Đào tạo kính trình Ủy ban nhân dân thành phố xem xét, quyết định./.",
            "GIÁM ĐỐC",
        ],
    )
    assert "Đơn vị HP-B" not in lines  # not recognised: not proposed


def test_the_draft_decision_is_the_peoples_committees_to_issue(client_for, committee_meeting):
    lines = download(client_for("committee"), "decision_draft_document")
    assert in_order(
        lines,
        [
            "DỰ THẢO",
            "ỦY BAN NHÂN DÂN THÀNH PHỐ HẢI PHÒNG",
            "Số:      /QĐ-UBND",
            "QUYẾT ĐỊNH",
            "Về việc công nhận quận/huyện học tập, thành phố học tập năm 2022",
            "CHỦ TỊCH ỦY BAN NHÂN DÂN THÀNH PHỐ HẢI PHÒNG",
            "QUYẾT ĐỊNH:",
            "Điều 1. Công nhận các đơn vị sau đạt danh hiệu quận/huyện học tập, thành phố học tập "
            "năm 2022:",
            "Đơn vị HP-A",
            "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.",
            "TM. ỦY BAN NHÂN DÂN",
            "CHỦ TỊCH",
        ],
    )
    assert "Đơn vị HP-B" not in lines


def test_the_minutes_stay_vietnamese_on_an_english_page(client_for, committee_meeting):
    client = client_for("committee")
    page = client.get(reverse("evaluation:meetings", args=[YEAR]), HTTP_ACCEPT_LANGUAGE="en")
    assert ": Recognised (No. " in page.content.decode()  # the page is English
    url = reverse("evaluation:meeting_minutes", args=[YEAR, committee_meeting.pk])
    lines = texts(Document(BytesIO(client.get(url, HTTP_ACCEPT_LANGUAGE="en").content)))
    assert "Công nhận" in lines
    assert "Chưa công nhận" in lines
    assert "Recognised" not in lines
