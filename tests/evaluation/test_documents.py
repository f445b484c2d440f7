"""Official documents in the form of Nghị định 30/2020/NĐ-CP: the report to sign as .docx."""

from io import BytesIO

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from docx import Document
from docx.shared import Pt

from assignments.permissions import STANDING_OFFICE_GROUP
from evaluation.models import DocumentSettings
from tests.evaluation.test_report import haiphong_with_values  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db


def texts(document) -> list[str]:
    """Every non-empty paragraph of the document in reading order, tables included (row by
    row, cell by cell)."""
    found = []
    body = document.element.body
    for child in body.iterchildren():
        if child.tag.endswith("}p"):
            found.append(
                "".join(node.text or "" for node in child.iter() if node.tag.endswith("}t"))
            )
        elif child.tag.endswith("}tbl"):
            for cell in child.iter():
                if cell.tag.endswith("}p"):
                    found.append(
                        "".join(node.text or "" for node in cell.iter() if node.tag.endswith("}t"))
                    )
    return [text for text in found if text.strip()]


def download(client, year: int = 2022):
    response = client.get(reverse("evaluation:report_document", args=[year]))
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert response["Content-Disposition"] == 'attachment; filename="bao-cao-thi-diem-2022.docx"'
    return Document(BytesIO(response.content))


def test_the_report_has_the_decrees_parts_in_order(client, haiphong_with_values):  # noqa: F811
    lines = texts(download(client))
    expected_in_order = [
        "UBND THÀNH PHỐ HẢI PHÒNG",
        "SỞ GIÁO DỤC VÀ ĐÀO TẠO",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số:      /BC-SGDĐT",
        "Hải Phòng, ngày     tháng     năm 20   ",
        "BÁO CÁO",
        "Kết quả thực hiện thí điểm công nhận thành phố học tập năm 2022",
        "I. KẾT QUẢ THỰC HIỆN",
        "1. Kết quả đánh giá theo Bộ tiêu chí",
        "2. Những kết quả đạt được",
        "II. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN",
        "1. Tồn tại, hạn chế",
        "2. Nguyên nhân",
        "III. ĐỀ XUẤT, KIẾN NGHỊ",
        "Trên đây là báo cáo kết quả thực hiện thí điểm công nhận thành phố học tập năm 2022./.",
        "Nơi nhận:",
        "- UBND thành phố (để b/c);",
        "- Lưu: VT, GDTX-CN&ĐH.",
        "GIÁM ĐỐC",
    ]
    positions = [lines.index(text) for text in expected_in_order]
    assert positions == sorted(positions)


def test_the_results_table_lists_each_indicator_under_its_criterion(
    client,
    haiphong_with_values,  # noqa: F811
):
    lines = texts(download(client))
    header = lines.index("STT")
    assert lines[header : header + 5] == ["STT", "Chỉ báo", "Yêu cầu", "Kết quả", "Đánh giá"]
    criterion = next(i for i, text in enumerate(lines) if text.startswith("1.1. "))
    first_indicator = lines.index("1", criterion)
    assert lines[first_indicator + 3 : first_indicator + 5] == ["Có văn bản — Đạt", "Đạt"]
    assert (
        "7/10.000 (tổng báo cáo của 1 đơn vị) = 0,07 % không dưới 0,05 % — Không đạt (cao hơn yêu"
        " cầu 0,02 điểm phần trăm)" in lines
    )


def test_the_page_and_the_type_follow_the_decree(client, haiphong_with_values):  # noqa: F811
    document = download(client)
    section = document.sections[0]
    millimetres = [
        round(length.mm)
        for length in (
            section.page_width,
            section.page_height,
            section.top_margin,
            section.bottom_margin,
            section.left_margin,
            section.right_margin,
        )
    ]
    assert millimetres == [210, 297, 20, 20, 30, 15]
    normal = document.styles["Normal"].font
    assert (normal.name, normal.size) == ("Times New Roman", Pt(14))
    runs = {
        run.text: run
        for table in document.tables[:1]
        for cell in table._cells
        for paragraph in cell.paragraphs
        for run in paragraph.runs
    }
    national = runs["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]
    motto = runs["Độc lập - Tự do - Hạnh phúc"]
    assert (national.bold, national.font.size) == (True, Pt(12))
    assert (motto.bold, motto.underline, motto.font.size) == (True, True, Pt(14))


def test_the_report_page_links_to_the_document(client, haiphong_with_values):  # noqa: F811
    page = client.get(reverse("evaluation:report", args=[2022])).content.decode()
    assert f'href="{reverse("evaluation:report_document", args=[2022])}"' in page
    assert reverse("evaluation:document_settings") not in page  # the committee does not keep them


@pytest.fixture
def standing_office(client, haiphong_with_values, django_user_model):  # noqa: F811
    office = django_user_model.objects.create_user("thuongtruc")
    office.groups.add(Group.objects.get(name=STANDING_OFFICE_GROUP))
    client.force_login(office)
    return office


SETTINGS = {
    "parent_body": "UBND THÀNH PHỐ HẢI PHÒNG",
    "issuing_body": "BAN CHỈ ĐẠO XÂY DỰNG XÃ HỘI HỌC TẬP",
    "name_in_text": "Ban chỉ đạo xây dựng xã hội học tập",
    "short_name": "BCĐ",
    "place": "Hải Phòng",
    "on_behalf_of": "TM. BAN CHỈ ĐẠO",
    "signer_title": "TRƯỞNG BAN",
    "signer_name": "Nguyễn Văn A",
    "recipients": "- UBND thành phố (để b/c);\n- Lưu: VT.",
}


def test_the_standing_office_sets_who_issues_and_signs(client, standing_office):
    page = client.get(reverse("evaluation:report", args=[2022])).content.decode()
    assert f'href="{reverse("evaluation:document_settings")}"' in page
    response = client.post(reverse("evaluation:document_settings"), SETTINGS)
    assert response.status_code == 302
    kept = DocumentSettings.objects.get()
    assert (kept.issuing_body, kept.updated_by) == (SETTINGS["issuing_body"], standing_office)
    lines = texts(download(client))
    assert lines.index("BAN CHỈ ĐẠO XÂY DỰNG XÃ HỘI HỌC TẬP") < lines.index("Số:      /BC-BCĐ")
    signer = lines[lines.index("TM. BAN CHỈ ĐẠO") :]
    assert signer == ["TM. BAN CHỈ ĐẠO", "TRƯỞNG BAN", "Nguyễn Văn A"]


def test_a_settings_form_without_an_issuer_is_refused_and_nothing_is_saved(client, standing_office):
    response = client.post(
        reverse("evaluation:document_settings"), {**SETTINGS, "issuing_body": ""}
    )
    assert response.status_code == 200
    assert "<title>Lỗi: " in response.content.decode()
    assert "Trường này là bắt buộc" in response.content.decode()
    assert not DocumentSettings.objects.exists()


def test_only_the_standing_office_keeps_the_settings(client, haiphong_with_values):  # noqa: F811
    response = client.get(reverse("evaluation:document_settings"))
    assert response.status_code == 403
    assert "Chỉ Cơ quan thường trực được thiết lập văn bản." in response.content.decode()
    assert client.post(reverse("evaluation:document_settings"), SETTINGS).status_code == 403
    assert not DocumentSettings.objects.exists()


def test_the_settings_are_one_row_saved_again_in_place(client, standing_office):
    client.post(reverse("evaluation:document_settings"), SETTINGS)
    client.post(reverse("evaluation:document_settings"), {**SETTINGS, "signer_name": "Trần Thị B"})
    assert list(DocumentSettings.objects.values_list("pk", "signer_name")) == [(1, "Trần Thị B")]
