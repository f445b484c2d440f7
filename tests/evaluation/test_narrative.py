"""A report's text beyond its figures (results, shortcomings, causes, recommendations), written
in the portal and carried by the report to sign; the official documents' print pages."""

import re
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from docx import Document

from assignments.permissions import actor_for
from evaluation.documents import TO_WRITE
from evaluation.models import ReportNarrative
from evaluation.services import narrative_save
from tests.conftest import YEAR
from tests.evaluation.test_documents import texts
from tests.evaluation.test_minutes_document import committee_meeting  # noqa: F401 - a fixture
from tests.factories import make_criteria_set, make_criterion, make_indicator, make_standard

pytestmark = pytest.mark.django_db

WRITTEN = {
    "results": "Các quận, huyện đã ban hành kế hoạch.\nTỷ lệ người học tăng so với năm trước.",
    "shortcomings": "Một số chỉ báo chưa có minh chứng đầy đủ.",
    "causes": "",
    "recommendations": "Đề nghị Bộ Giáo dục và Đào tạo hướng dẫn cách tính chỉ báo 3.2.3.",
}


def narrative_url(unit_code: str = "HP") -> str:
    return reverse("evaluation:narrative", args=[YEAR, unit_code])


def report_lines(client) -> list[str]:
    response = client.get(reverse("evaluation:report_document", args=[YEAR]))
    return texts(Document(BytesIO(response.content)))


def visible_text(html: str) -> str:
    """The document's words on its print page, tags removed and spaces joined, to read the parts
    in order."""
    document = html[html.index("<article") : html.index("</article>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", document))


def test_the_standing_office_writes_the_citys_report_and_the_document_carries_it(client_for):
    client = client_for("standing_office")
    response = client.post(narrative_url(), WRITTEN)
    assert response.status_code == 302
    lines = report_lines(client)
    expected_in_order = [
        "2. Những kết quả đạt được",
        "Các quận, huyện đã ban hành kế hoạch.",
        "Tỷ lệ người học tăng so với năm trước.",
        "II. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN",
        "1. Tồn tại, hạn chế",
        "Một số chỉ báo chưa có minh chứng đầy đủ.",
        "2. Nguyên nhân",
        TO_WRITE,  # the causes were left empty: still to write before signing
        "III. ĐỀ XUẤT, KIẾN NGHỊ",
        "Đề nghị Bộ Giáo dục và Đào tạo hướng dẫn cách tính chỉ báo 3.2.3.",
    ]
    start = lines.index("2. Những kết quả đạt được")
    assert lines[start : start + len(expected_in_order)] == expected_in_order
    assert lines.count(TO_WRITE) == 1


def test_until_it_is_written_every_part_is_a_note_to_write(client_for):
    lines = report_lines(client_for("committee"))
    assert lines.count(TO_WRITE) == 4


def test_a_second_save_replaces_the_text_and_history_keeps_the_first(client_for, world):
    client = client_for("standing_office")
    client.post(narrative_url(), WRITTEN)
    client.post(narrative_url(), {**WRITTEN, "results": "Hoàn thành kế hoạch năm."})
    narrative = ReportNarrative.objects.get(unit=world.city, year=YEAR)
    assert narrative.results == "Hoàn thành kế hoạch năm."
    assert [h.results for h in narrative.history.order_by("history_date")] == [
        WRITTEN["results"],
        "Hoàn thành kế hoạch năm.",
    ]
    page = client.get(narrative_url()).content.decode()
    assert "Hoàn thành kế hoạch năm." in page


def test_a_text_too_long_is_refused_and_nothing_is_saved(client_for):
    client = client_for("standing_office")
    response = client.post(narrative_url(), {**WRITTEN, "shortcomings": "x" * 8001})
    assert response.status_code == 200
    assert "8000" in response.content.decode()
    assert not ReportNarrative.objects.exists()


def test_a_district_office_writes_its_own_districts_report_only(client_for, world):
    client = client_for("district_a")
    assert client.post(narrative_url("HP-A"), WRITTEN).status_code == 302
    assert ReportNarrative.objects.get().unit == world.district_a
    assert client.get(narrative_url("HP-B")).status_code == 404
    refused = client.post(narrative_url("HP"), WRITTEN)
    assert refused.status_code == 403
    assert "viết báo cáo này" in refused.content.decode()
    assert ReportNarrative.objects.count() == 1


def test_the_committee_reads_the_report_but_does_not_write_it(client_for):
    client = client_for("committee")
    page = client.get(reverse("evaluation:city", args=[YEAR])).content.decode()
    assert reverse("evaluation:report_print", args=[YEAR]) in page
    assert narrative_url() not in page
    refused = client.post(narrative_url(), WRITTEN)
    assert refused.status_code == 403
    assert "viết báo cáo này" in refused.content.decode()
    assert not ReportNarrative.objects.exists()
    office_page = client_for("standing_office").get(reverse("evaluation:city", args=[YEAR]))
    assert narrative_url() in office_page.content.decode()


def test_the_reports_print_page_has_the_decrees_parts_in_order_and_links_the_docx(client_for):
    client = client_for("standing_office")
    client.post(narrative_url(), WRITTEN)
    response = client.get(reverse("evaluation:report_print", args=[YEAR]))
    html = response.content.decode()
    assert f'href="{reverse("evaluation:report_document", args=[YEAR])}"' in html
    text = visible_text(html)
    expected_in_order = [
        "UBND THÀNH PHỐ HẢI PHÒNG",
        "SỞ GIÁO DỤC VÀ ĐÀO TẠO",
        "Số: /BC-SGDĐT",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Hải Phòng, ngày tháng năm 20",
        "BÁO CÁO",
        f"Kết quả thực hiện thí điểm công nhận thành phố học tập năm {YEAR}",
        "I. KẾT QUẢ THỰC HIỆN",
        "Tỷ lệ người học tăng so với năm trước.",
        "III. ĐỀ XUẤT, KIẾN NGHỊ",
        f"Trên đây là báo cáo kết quả thực hiện thí điểm công nhận thành phố học tập năm {YEAR}./.",
        "Nơi nhận:",
        "- UBND thành phố (để b/c);",
        "GIÁM ĐỐC",
    ]
    positions = [text.index(part) for part in expected_in_order]
    assert positions == sorted(positions)


def test_the_minutes_proposal_and_draft_decision_have_print_pages(
    client_for,
    committee_meeting,  # noqa: F811
):
    client = client_for("committee")
    meetings = client.get(reverse("evaluation:meetings", args=[YEAR])).content.decode()
    minutes_print = reverse("evaluation:meeting_minutes_print", args=[YEAR, committee_meeting.pk])
    for url in (
        minutes_print,
        reverse("evaluation:proposal_print", args=[YEAR]),
        reverse("evaluation:decision_draft_print", args=[YEAR]),
    ):
        assert f'href="{url}"' in meetings
    minutes = visible_text(client.get(minutes_print).content.decode())
    expected_in_order = [
        "BIÊN BẢN",
        "Ban chỉ đạo nghe báo cáo.",
        "KẾT LUẬN",
        "THƯ KÝ",
        "CHỦ TỌA",
        "Nơi nhận:",
    ]
    positions = [minutes.index(part) for part in expected_in_order]
    assert positions == sorted(positions)
    draft = visible_text(
        client.get(reverse("evaluation:decision_draft_print", args=[YEAR])).content.decode()
    )
    assert draft.index("DỰ THẢO") < draft.index("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    proposal = visible_text(
        client.get(reverse("evaluation:proposal_print", args=[YEAR])).content.decode()
    )
    assert "TỜ TRÌNH" in proposal
    assert committee_meeting.decisions.get(decision="recognized").unit.name in proposal


def test_the_service_refuses_a_text_too_long_or_a_year_that_is_not_there(world, personas):
    office = personas["standing_office"]
    with pytest.raises(ValidationError) as too_long:
        narrative_save(
            actor=actor_for(office),
            user=office,
            unit=world.city,
            year=YEAR,
            data={"causes": "x" * 8001},
        )
    assert "causes" in too_long.value.message_dict
    with pytest.raises(ValidationError, match="2031"):
        narrative_save(
            actor=actor_for(office), user=office, unit=world.city, year=2031, data=WRITTEN
        )
    assert not ReportNarrative.objects.exists()


def test_a_district_office_reads_its_own_report_as_it_prints_with_its_text(client_for, world):
    district_set = make_criteria_set("quan-huyen", level="district")
    make_indicator(
        make_criterion(make_standard(district_set)), "1.1.1", kind="document", threshold=None
    )
    client = client_for("district_a")
    client.post(narrative_url("HP-A"), {"recommendations": "Đề nghị UBND quận bố trí kinh phí."})
    url = reverse("evaluation:district_report_print", args=[YEAR, "HP-A"])
    page = client.get(url).content.decode()
    text = visible_text(page)
    assert "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO" in text
    assert text.index("III. ĐỀ XUẤT, KIẾN NGHỊ") < text.index("Đề nghị UBND quận bố trí kinh phí.")
    docx_url = reverse("evaluation:district_report_document", args=[YEAR, "HP-A"])
    assert f'href="{docx_url}"' in page
    dashboard = client.get(reverse("evaluation:unit", args=[YEAR, "HP-A"])).content.decode()
    assert f'href="{url}' in dashboard
    assert narrative_url("HP-A") in dashboard
    assert client_for("district_b").get(url).status_code == 404
