"""Evidence pages (evidence/views.py): lists, upload, detail, replace, withdraw, download,
review and explanations, per persona. 404 for another district's anything, 403 for what may be
seen but not changed, login for anonymous visitors."""

import hashlib
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils.timezone import localtime

from assignments.permissions import actor_for
from criteria.models import EvaluationYear
from evidence import services as evidence_services
from evidence.models import Document, DocumentVersion, Explanation
from tests.common.test_forms import CHOOSE_AGAIN_VI
from tests.conftest import YEAR
from tests.evidence.conftest import EXE, PDF, PDF_V2, raw_file, stored_files, upload

pytestmark = pytest.mark.django_db


def list_url(unit: str = "HP-A", year: int = YEAR) -> str:
    return reverse("evidence:document_list", args=[year, unit])


def upload_url(unit: str = "HP-A", year: int = YEAR) -> str:
    return reverse("evidence:document_upload", args=[year, unit])


def detail_url(document: Document) -> str:
    return reverse("evidence:document_detail", args=[document.pk])


def download_url(document: Document, number: int = 1) -> str:
    return reverse("evidence:version_download", args=[document.pk, number])


def post_upload(client, world, unit="HP-A", codes=("1.1.1",), file=None, **fields):
    data = {
        "indicators": [world.indicator(code).pk for code in codes],
        "title": "Kế hoạch xây dựng quận học tập",
        "number": "254/KH-UBND",
        "issue_date": "25/03/2022",
        "issuer": "UBND quận",
        "file": file or upload(),
        **fields,
    }
    return client.post(upload_url(unit), data)


def body(response) -> bytes:
    """A download's bytes; reading to the end makes the test client close the stored file.

    (Calling response.close() again would send request_finished, which closes the database
    connection: on PostgreSQL the rest of the test would then fail.)"""
    return b"".join(response.streaming_content)


def when(record) -> str:
    """A history record's time as the page writes it (Vietnamese, local time)."""
    return localtime(record.history_date).strftime("%d/%m/%Y %H:%M")


def lock_year():
    EvaluationYear.objects.filter(year=YEAR).update(state=EvaluationYear.State.LOCKED)


# Anonymous visitors and the nav


@pytest.mark.parametrize("name", ["evidence_home", "evidence_review"])
def test_anonymous_is_sent_to_login(client, world, name):
    response = client.get(reverse(f"evidence:{name}"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_anonymous_cannot_download(client, make_document):
    response = client.get(download_url(make_document()))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_staff_see_the_evidence_entry_in_the_menu(client_for):
    html = client_for("district_a").get(list_url()).content.decode()
    assert reverse("evidence:evidence_home") in html
    assert ">Minh chứng</a>" in html


def test_district_office_is_led_to_its_own_district(client_for):
    response = client_for("district_a").get(reverse("evidence:evidence_home"))
    assert response["Location"] == list_url("HP-A")


def test_division_is_led_to_the_city(client_for):
    response = client_for("division").get(reverse("evidence:evidence_home"))
    assert response["Location"] == list_url("HP")


def test_standing_office_is_led_to_the_coverage_matrix(client_for):
    response = client_for("standing_office").get(reverse("evidence:evidence_home"))
    assert response["Location"] == reverse("evidence:coverage", args=[YEAR])


# District A never sees district B


def test_district_office_cannot_list_another_districts_documents(client_for, world, make_document):
    make_document("district_b", unit=world.district_b, title="Văn bản của quận B")
    response = client_for("district_a").get(list_url("HP-B"))
    assert response.status_code == 404
    assert "Văn bản của quận B" not in response.content.decode()


def test_district_office_cannot_see_another_districts_document(client_for, world, make_document):
    document = make_document("district_b", unit=world.district_b)
    response = client_for("district_a").get(detail_url(document))
    assert response.status_code == 404
    assert "Kế hoạch" not in response.content.decode()


def test_district_office_cannot_download_another_districts_file(client_for, world, make_document):
    document = make_document("district_b", unit=world.district_b)
    response = client_for("district_a").get(download_url(document))
    assert response.status_code == 404
    assert PDF not in response.content


def test_district_office_cannot_upload_for_another_district(client_for, world, evidence_dir):
    client = client_for("district_a")
    assert client.get(upload_url("HP-B")).status_code == 404
    assert post_upload(client, world, unit="HP-B").status_code == 404
    assert not Document.objects.exists()
    assert stored_files(evidence_dir) == []


def test_district_office_cannot_replace_another_districts_file(
    client_for, world, make_document, evidence_dir
):
    document = make_document("district_b", unit=world.district_b)
    response = client_for("district_a").post(
        reverse("evidence:document_replace", args=[document.pk]), {"file": upload("v2.pdf", PDF_V2)}
    )
    assert response.status_code == 404
    assert document.versions.count() == 1
    assert len(stored_files(evidence_dir)) == 1


def test_district_office_cannot_withdraw_another_districts_document(
    client_for, world, make_document
):
    document = make_document("district_b", unit=world.district_b)
    response = client_for("district_a").post(
        reverse("evidence:document_withdraw", args=[document.pk]), {"reason": "x"}
    )
    assert response.status_code == 404
    assert Document.objects.get().withdrawn_at is None


def test_district_office_cannot_read_another_districts_explanation(client_for, world):
    url = reverse("evidence:explanation", args=[YEAR, "HP-B", "2.1.3"])
    assert client_for("district_a").get(url).status_code == 404


# The list


def test_district_office_lists_its_documents_with_status_badges(client_for, make_document):
    make_document(title="Nghị quyết về xây dựng xã hội học tập")
    html = client_for("district_a").get(list_url()).content.decode()
    assert "Nghị quyết về xây dựng xã hội học tập" in html
    assert "Chờ duyệt" in html
    assert "Tải lên minh chứng" in html


def test_the_list_filters_by_indicator(client_for, make_document):
    make_document(title="Văn bản chỉ báo 1.1.1", codes=("1.1.1",))
    make_document(title="Văn bản chỉ báo 2.1.3", codes=("2.1.3",))
    html = client_for("district_a").get(list_url() + "?indicator=2.1.3").content.decode()
    assert "Văn bản chỉ báo 2.1.3" in html
    assert "Văn bản chỉ báo 1.1.1" not in html


def test_the_committee_reads_a_list_without_an_upload_button(client_for, make_document):
    make_document()
    response = client_for("committee").get(list_url())
    assert response.status_code == 200
    assert "Tải lên minh chứng" not in response.content.decode()


def test_the_list_costs_the_same_queries_for_one_or_many_documents(
    client_for, make_document, django_assert_max_num_queries
):
    client = client_for("district_a")
    make_document()
    client.get(list_url())
    with django_assert_max_num_queries(18) as few:
        client.get(list_url())
    for index in range(8):
        make_document(title=f"Văn bản {index}", codes=("1.1.1", "2.1.3"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(list_url())


# Upload


def test_the_upload_page_offers_only_the_indicators_one_may_attach(client_for, world):
    html = client_for("district_a").get(upload_url()).content.decode()
    assert f'value="{world.indicator("1.1.1").pk}"' in html
    assert f'value="{world.indicator("2.1.3").pk}"' in html
    assert f'value="{world.indicator("1.1.2").pk}"' not in html


def test_district_office_uploads_with_a_dd_mm_yyyy_date(client_for, world, personas, evidence_dir):
    response = post_upload(client_for("district_a"), world)
    document = Document.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail_url(document)
    assert document.issue_date.isoformat() == "2022-03-25"
    assert document.created_by == personas["district_a"]
    assert [p.read_bytes() for p in stored_files(evidence_dir)] == [PDF]


def test_a_date_in_another_shape_is_refused_clearly(client_for, world):
    response = post_upload(client_for("district_a"), world, issue_date="March 25")
    assert response.status_code == 200
    assert "dd/mm/yyyy" in response.content.decode()
    assert not Document.objects.exists()


def test_a_renamed_executable_is_refused_on_the_page_and_nothing_stored(
    client_for, world, evidence_dir
):
    response = post_upload(client_for("district_a"), world, file=upload("bao-cao.pdf", EXE))
    assert response.status_code == 200
    assert "là chương trình, không phải văn bản" in response.content.decode()
    assert not DocumentVersion.objects.exists()
    assert stored_files(evidence_dir) == []


def test_an_empty_file_is_refused_on_the_page(client_for, world, evidence_dir):
    response = post_upload(client_for("district_a"), world, file=upload("bao-cao.pdf", b""))
    assert "Tệp rỗng" in response.content.decode()
    assert not Document.objects.exists()
    assert stored_files(evidence_dir) == []


def test_an_oversize_file_is_refused_on_the_page(client_for, world, evidence_dir, settings):
    settings.EVIDENCE_MAX_UPLOAD_BYTES = 3 * 1024 * 1024
    big = upload("bao-cao.pdf", PDF + b"0" * (3 * 1024 * 1024))
    response = post_upload(client_for("district_a"), world, file=big)
    assert "Tệp vượt quá giới hạn 3 MB." in response.content.decode()
    assert not Document.objects.exists()
    assert stored_files(evidence_dir) == []


def test_etc_passwd_as_a_file_name_is_refused_on_the_page(client_for, world, evidence_dir):
    response = post_upload(client_for("district_a"), world, file=upload("../../etc/passwd", PDF))
    assert "«passwd»" in response.content.decode()
    assert not Document.objects.exists()
    assert stored_files(evidence_dir) == []


def test_a_double_extension_is_refused_on_the_page(client_for, world, evidence_dir):
    response = post_upload(client_for("district_a"), world, file=upload("bao-cao.pdf.exe", PDF))
    assert "«bao-cao.pdf.exe»" in response.content.decode()
    assert not Document.objects.exists()
    assert stored_files(evidence_dir) == []


def test_a_refused_file_keeps_what_was_typed(client_for, world):
    response = post_upload(client_for("district_a"), world, file=upload("x.pdf", EXE))
    assert 'value="254/KH-UBND"' in response.content.decode()


def test_a_refused_file_asks_to_choose_the_file_again(client_for, world):
    """Issue 15.7: the browser has dropped the file; the page says to choose it again."""
    response = post_upload(client_for("district_a"), world, file=upload("x.pdf", EXE))
    assert response.context["form"].has_error("file", "choose_again")
    assert CHOOSE_AGAIN_VI in response.content.decode()


def test_an_upload_refused_for_its_date_asks_to_choose_the_file_again(client_for, world):
    response = post_upload(client_for("district_a"), world, issue_date="31/02/2022")
    form = response.context["form"]
    assert form.has_error("issue_date", "no_such_day")
    assert form.has_error("file", "choose_again")
    assert CHOOSE_AGAIN_VI in response.content.decode()


def test_a_refused_replacement_asks_to_choose_the_file_again(client_for, make_document):
    document = make_document()
    response = client_for("district_a").post(
        reverse("evidence:document_replace", args=[document.pk]),
        {"file": upload("v2.pdf", EXE)},
        follow=True,
    )
    assert CHOOSE_AGAIN_VI in response.content.decode()


def test_unassigned_division_may_not_open_the_upload_page(client_for, world):
    client = client_for("other_division")
    assert client.get(upload_url("HP")).status_code == 403
    assert post_upload(client, world, unit="HP", codes=("1.1.2",)).status_code == 403
    assert not Document.objects.exists()


def test_division_cannot_choose_an_indicator_it_does_not_hold(client_for, world):
    response = post_upload(client_for("division"), world, unit="HP", codes=("1.1.1",))
    assert response.status_code == 200
    assert not Document.objects.exists()


def test_committee_may_not_upload(client_for, world):
    assert client_for("committee").get(upload_url("HP")).status_code == 403


def test_a_locked_year_refuses_an_upload_with_a_message(client_for, world, evidence_dir):
    lock_year()
    client = client_for("district_a")
    assert "đã khóa" in client.get(upload_url()).content.decode()
    response = post_upload(client, world)
    assert "đã khóa" in response.content.decode()
    assert not Document.objects.exists()
    assert stored_files(evidence_dir) == []


# Detail, replace, withdraw, download


def test_the_detail_shows_every_version_with_its_hash(client_for, make_document, personas):
    document = make_document()
    html = client_for("standing_office").get(detail_url(document)).content.decode()
    assert hashlib.sha256(PDF).hexdigest() in html
    assert "ke-hoach.pdf" in html
    assert personas["district_a"].first_name in html


def test_the_detail_lists_the_current_version_first_and_marks_the_approved_one(
    client_for, make_document
):
    """Issue 15.7: version 1 approved, version 2 waiting: 2 comes first, 1 carries «Đã duyệt»."""
    document = make_document()
    office = client_for("standing_office")
    office.post(reverse("evidence:review_document", args=[document.pk]), {"seen": "1"})
    client_for("district_a").post(
        reverse("evidence:document_replace", args=[document.pk]), {"file": upload("v2.pdf", PDF_V2)}
    )
    html = office.get(detail_url(document)).content.decode()
    table = html[html.index('id="version-2"') : html.index("</tbody>")]
    current, approved = table.split('id="version-1"')
    assert 'id="current-version"' in current
    assert 'id="approved-version"' not in current
    assert 'id="approved-version"><span class="badge text-bg-success">Đã duyệt' in approved
    assert 'id="current-version"' not in approved


def test_the_detail_shows_the_history_with_who_when_and_old_to_new(
    client_for, make_document, personas
):
    """Issue 15.4: each change newest first, with its state change, fields and comment."""
    document = make_document()
    office = client_for("standing_office")
    office.post(
        reverse("evidence:request_more", args=[document.pk]),
        {"comment": "Thiếu trang có chữ ký", "seen": "1"},
    )
    html = office.get(detail_url(document)).content.decode()
    history = html[html.index('id="history"') :]
    asked, uploaded = document.history.order_by("-history_date", "-history_id")
    assert history.index(f"{when(asked)} — thuongtruc:") < history.index(
        f"{when(uploaded)} — pgd_a:"
    )
    assert 'Chờ duyệt</span>\n → <span class="badge text-bg-warning">Yêu cầu bổ sung' in history
    assert "Nhận xét của người duyệt: «Thiếu trang có chữ ký»" in history
    assert "Số hiệu văn bản: — → 254/KH-UBND" in history
    assert "Tệp: — → ke-hoach.pdf (" in history


def test_replacing_through_the_page_adds_a_version(client_for, make_document):
    document = make_document()
    response = client_for("district_a").post(
        reverse("evidence:document_replace", args=[document.pk]), {"file": upload("v2.pdf", PDF_V2)}
    )
    assert response.status_code == 302
    assert [v.original_name for v in document.versions.order_by("number")] == [
        "ke-hoach.pdf",
        "v2.pdf",
    ]


def test_a_refused_replacement_says_why(client_for, make_document):
    document = make_document()
    response = client_for("district_a").post(
        reverse("evidence:document_replace", args=[document.pk]),
        {"file": upload("v2.pdf", EXE)},
        follow=True,
    )
    assert "là chương trình" in response.content.decode()
    assert document.versions.count() == 1


def test_division_may_see_but_not_replace_a_districts_document(client_for, make_document):
    document = make_document()
    client = client_for("division")
    assert client.get(detail_url(document)).status_code == 200
    response = client.post(
        reverse("evidence:document_replace", args=[document.pk]), {"file": upload("v2.pdf", PDF_V2)}
    )
    assert response.status_code == 403
    assert document.versions.count() == 1


def test_withdrawing_through_the_page_keeps_the_document(client_for, make_document):
    document = make_document()
    response = client_for("district_a").post(
        reverse("evidence:document_withdraw", args=[document.pk]),
        {"reason": "Tải nhầm"},
        follow=True,
    )
    assert "Đã rút" in response.content.decode()
    assert Document.objects.get().withdrawal_reason == "Tải nhầm"


def test_a_vietnamese_file_name_downloads_with_an_rfc_5987_header(client_for, make_document):
    document = make_document(name="Biên bản họp Ban chỉ đạo.pdf")
    response = client_for("district_a").get(download_url(document))
    disposition = response["Content-Disposition"]
    assert response.status_code == 200
    assert disposition.startswith("attachment;")
    assert f"filename*=utf-8''{quote('Biên bản họp Ban chỉ đạo.pdf')}" in disposition
    assert body(response) == PDF


def test_a_download_declares_the_detected_type_and_forbids_sniffing(client_for, make_document):
    response = client_for("committee").get(download_url(make_document()))
    assert body(response) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_every_version_stays_downloadable(client_for, make_document):
    document = make_document()
    client = client_for("district_a")
    client.post(
        reverse("evidence:document_replace", args=[document.pk]), {"file": upload("v2.pdf", PDF_V2)}
    )
    assert body(client.get(download_url(document, 1))) == PDF
    assert body(client.get(download_url(document, 2))) == PDF_V2


def test_an_unknown_version_is_not_found(client_for, make_document):
    assert client_for("district_a").get(download_url(make_document(), 9)).status_code == 404


def test_files_have_no_public_url(client, make_document):
    version = make_document().versions.get()
    response = client.get("/media/" + version.file.name)
    assert response.status_code == 404


# Review


def test_the_review_queue_lists_waiting_documents(client_for, make_document):
    make_document(title="Kế hoạch chờ duyệt")
    html = client_for("standing_office").get(reverse("evidence:evidence_review")).content.decode()
    assert "Kế hoạch chờ duyệt" in html
    assert "Yêu cầu bổ sung" in html


@pytest.mark.parametrize("persona", ["district_a", "division", "committee"])
def test_only_the_standing_office_opens_the_review_queue(client_for, world, persona):
    assert client_for(persona).get(reverse("evidence:evidence_review")).status_code == 403


def test_standing_office_approves_from_the_queue(client_for, make_document):
    document = make_document()
    response = client_for("standing_office").post(
        reverse("evidence:review_document", args=[document.pk]), {"seen": 1}
    )
    assert response["Location"] == reverse("evidence:evidence_review")
    assert Document.objects.get().status == Document.Status.APPROVED


def test_district_office_cannot_approve_its_own_document(client_for, make_document):
    document = make_document()
    response = client_for("district_a").post(
        reverse("evidence:review_document", args=[document.pk])
    )
    assert response.status_code == 403
    assert Document.objects.get().status == Document.Status.WAITING


def test_asking_for_more_without_a_comment_is_refused_with_a_message(client_for, make_document):
    document = make_document()
    response = client_for("standing_office").post(
        reverse("evidence:request_more", args=[document.pk]), {"comment": ""}, follow=True
    )
    assert "cần có ý kiến" in response.content.decode()
    assert Document.objects.get().status == Document.Status.WAITING


def test_the_district_reads_what_more_is_asked(client_for, make_document):
    document = make_document()
    client_for("standing_office").post(
        reverse("evidence:request_more", args=[document.pk]),
        {"comment": "Bổ sung bản có chữ ký", "next": "detail", "seen": 1},
    )
    html = client_for("district_a").get(list_url()).content.decode()
    assert "Bổ sung bản có chữ ký" in html
    assert Document.objects.get().status == Document.Status.NEEDS_MORE


def test_a_locked_year_refuses_a_review_with_a_message(client_for, make_document):
    document = make_document()
    lock_year()
    response = client_for("standing_office").post(
        reverse("evidence:review_document", args=[document.pk]), follow=True
    )
    assert "đã khóa" in response.content.decode()
    assert Document.objects.get().status == Document.Status.WAITING


# Explanations


def explanation_url(unit: str = "HP-A", code: str = "2.1.3") -> str:
    return reverse("evidence:explanation", args=[YEAR, unit, code])


def test_district_office_writes_an_explanation_that_reviewers_read(client_for, personas):
    response = client_for("district_a").post(
        explanation_url(), {"text": "Quận chưa có trung tâm học tập cộng đồng."}
    )
    assert response.status_code == 302
    assert Explanation.objects.get().author == personas["district_a"]
    html = client_for("standing_office").get(list_url()).content.decode()
    assert "Quận chưa có trung tâm học tập cộng đồng." in html


def test_committee_reads_but_cannot_write_an_explanation(client_for, world):
    client = client_for("committee")
    assert client.get(explanation_url()).status_code == 200
    assert client.post(explanation_url(), {"text": "x"}).status_code == 403
    assert not Explanation.objects.exists()


def test_a_locked_year_refuses_an_explanation(client_for, world):
    lock_year()
    response = client_for("standing_office").post(explanation_url(), {"text": "x"})
    assert "đã khóa" in response.content.decode()
    assert not Explanation.objects.exists()


def test_district_office_cannot_ask_for_more_even_without_a_comment(client_for, make_document):
    document = make_document()
    response = client_for("district_a").post(
        reverse("evidence:request_more", args=[document.pk]), {"comment": ""}
    )
    assert response.status_code == 403
    assert Document.objects.get().status == Document.Status.WAITING


# Reviews bound to the file the reviewer read


def test_approving_a_document_replaced_since_the_page_was_opened_is_refused(
    client_for, make_document
):
    document = make_document()
    queue = client_for("standing_office").get(reverse("evidence:evidence_review")).content
    assert 'name="seen" value="1"' in queue.decode()
    evidence_services.document_replace(
        actor=actor_for(document.created_by),
        user=document.created_by,
        document=document,
        file=raw_file("ban-ky.pdf", PDF_V2),
    )

    response = client_for("standing_office").post(
        reverse("evidence:review_document", args=[document.pk]), {"seen": 1}, follow=True
    )

    assert Document.objects.get().status == Document.Status.WAITING
    html = response.content.decode()
    assert "ban-ky.pdf" in html
    assert "phiên bản 2" in html


def test_asking_for_more_of_a_replaced_document_is_refused(client_for, make_document):
    document = make_document()
    evidence_services.document_replace(
        actor=actor_for(document.created_by),
        user=document.created_by,
        document=document,
        file=raw_file("ban-ky.pdf", PDF_V2),
    )
    client_for("standing_office").post(
        reverse("evidence:request_more", args=[document.pk]), {"comment": "Thiếu dấu", "seen": 1}
    )
    document = Document.objects.get()
    assert (document.status, document.review_comment) == (Document.Status.WAITING, "")
