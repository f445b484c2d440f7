"""Hostile evidence uploads on /evidence/<year>/<unit>/upload/ and on a document's replace action:
programs in disguise, empty files, tricky names, oversized metadata, forged choices. Each is refused
with a Vietnamese message (the form again, 200, or a redirect with the message) and nothing is
stored — no row and no file."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assignments.permissions import actor_for
from evidence import services as evidence_services
from evidence.models import Document, DocumentVersion
from evidence.services import DocumentMetadata
from tests.common.test_forms import no_such_day
from tests.conftest import YEAR
from tests.evidence.conftest import EXE, PDF, PNG, raw_file
from tests.hostile.conftest import escaped_not_raw, foreign_indicator, lock_year, page

pytestmark = pytest.mark.django_db


def post_upload(client, world, *, file=None, unit="HP-A", year=YEAR, **fields):
    data = {
        "indicators": [world.indicator("1.1.1").pk],
        "title": "Kế hoạch xây dựng quận học tập",
        "number": "254/KH-UBND",
        "issue_date": "25/03/2022",
        "file": file or SimpleUploadedFile("ke-hoach.pdf", PDF),
        **fields,
    }
    return client.post(reverse("evidence:document_upload", args=[year, unit]), data)


def refused(client, world, unchanged, **kwargs) -> str:
    """Post an upload that must be refused: the form comes back (200) and nothing is stored."""
    with unchanged():
        response = post_upload(client, world, **kwargs)
    assert response.status_code == 200
    return page(response)


# --- The file ----------------------------------------------------------------------------------


def test_a_renamed_executable_is_refused(client_for, world, unchanged):
    html = refused(
        client_for("district_a"), world, unchanged, file=SimpleUploadedFile("bao-cao.pdf", EXE)
    )
    assert "Tệp «bao-cao.pdf» là chương trình, không phải văn bản" in html


def test_a_zero_byte_file_is_refused(client_for, world, unchanged):
    html = refused(
        client_for("district_a"), world, unchanged, file=SimpleUploadedFile("bao-cao.pdf", b"")
    )
    assert "Tệp rỗng (không có nội dung)." in html


def test_a_double_extension_is_refused_by_its_last_part(client_for, world, unchanged):
    file = SimpleUploadedFile("bao-cao.pdf.exe", PDF)
    html = refused(client_for("district_a"), world, unchanged, file=file)
    assert "Tệp «bao-cao.pdf.exe» có đuôi .exe, loại tệp này không được nhận." in html


def test_an_image_renamed_to_pdf_is_refused(client_for, world, unchanged):
    html = refused(
        client_for("district_a"), world, unchanged, file=SimpleUploadedFile("bao-cao.pdf", PNG)
    )
    assert "Nội dung tệp «bao-cao.pdf» không phải PDF như đuôi tệp cho biết" in html


def test_a_file_above_the_limit_is_refused_with_the_limit(client_for, world, unchanged, settings):
    settings.EVIDENCE_MAX_UPLOAD_BYTES = 1024
    file = SimpleUploadedFile("bao-cao.pdf", PDF + b"0" * 2048)
    html = refused(client_for("district_a"), world, unchanged, file=file)
    assert "Tệp vượt quá giới hạn 1,0" in html


def test_an_upload_without_a_file_is_refused(client_for, world, unchanged):
    with unchanged():
        response = client_for("district_a").post(
            reverse("evidence:document_upload", args=[YEAR, "HP-A"]),
            {"indicators": [world.indicator("1.1.1").pk], "title": "Kế hoạch"},
        )
    assert "Trường này là bắt buộc." in page(response)


# --- The file's name ---------------------------------------------------------------------------


def test_path_traversal_in_the_name_never_reaches_the_storage(
    client_for, world, evidence_dir, tmp_path
):
    file = SimpleUploadedFile("../../../../etc/cron.d/ke-hoach.pdf", PDF)
    response = post_upload(client_for("district_a"), world, file=file)
    assert response.status_code == 302
    version = DocumentVersion.objects.get()
    assert version.original_name == "ke-hoach.pdf"
    assert version.file.name.startswith(f"evidence/{YEAR}/")
    assert ".." not in version.file.name
    assert [p.parent for p in evidence_dir.rglob("*.pdf")] == [evidence_dir / "evidence" / "2022"]


@pytest.mark.parametrize(
    "name",
    ["..\\..\\windows\\system32\\ke-hoach.pdf", "/etc/passwd/ke-hoach.pdf", "./././ke-hoach.pdf"],
)
def test_a_path_in_the_name_given_to_the_service_is_reduced_to_its_last_part(world, personas, name):
    document = evidence_services.document_upload(
        actor=actor_for(personas["district_a"]),
        user=personas["district_a"],
        unit=world.district_a,
        year=YEAR,
        indicators=[world.indicator("1.1.1")],
        metadata=DocumentMetadata(title="Kế hoạch"),
        file=raw_file(name, PDF),
    )
    assert document.versions.get().original_name == "ke-hoach.pdf"


@pytest.mark.parametrize(
    "name", ["ke-hoach\x00.exe.pdf", "ke\x00hoach.pdf", "bao-cao\u202efdp.exe", "a\nb.pdf"]
)
def test_control_characters_in_the_name_are_refused(world, personas, unchanged, name):
    with unchanged(), pytest.raises(evidence_services.uploads.UploadRefused) as refusal:
        evidence_services.document_upload(
            actor=actor_for(personas["district_a"]),
            user=personas["district_a"],
            unit=world.district_a,
            year=YEAR,
            indicators=[world.indicator("1.1.1")],
            metadata=DocumentMetadata(title="Kế hoạch"),
            file=raw_file(name, PDF),
        )
    assert refusal.value.messages == [
        "Tên tệp chứa ký tự điều khiển: hãy đổi tên tệp rồi tải lên lại."
    ]


@pytest.mark.parametrize(
    ("name", "shown"),
    [("ke-hoach\x00.exe.pdf", "ke-hoach.exe.pdf"), ("bao-cao\u202efdp.pdf", "bao-caofdp.pdf")],
)
def test_invisible_characters_sent_by_a_browser_are_dropped_before_the_checks(
    client_for, world, name, shown
):
    # Django's upload parser keeps only printable characters of a file name, so the NUL byte (or
    # the right-to-left override) never reaches a check, a page or the storage.
    response = post_upload(client_for("district_a"), world, file=SimpleUploadedFile(name, PDF))
    assert response.status_code == 302
    version = DocumentVersion.objects.get()
    assert version.original_name == shown
    assert version.file.name.endswith(".pdf")


def test_a_program_hidden_behind_a_right_to_left_override_stays_refused(
    client_for, world, unchanged
):
    file = SimpleUploadedFile("bao-cao\u202efdp.exe", EXE)
    html = refused(client_for("district_a"), world, unchanged, file=file)
    assert "có đuôi .exe, loại tệp này không được nhận" in html


# --- The metadata ------------------------------------------------------------------------------

SCRIPT = '<script>alert("xss")</script>'


def test_markup_in_a_title_is_stored_and_shown_escaped_everywhere(client_for, world):
    title = f"Kế hoạch {SCRIPT}"
    post_upload(client_for("district_a"), world, title=title)
    document = Document.objects.get()
    assert document.title == title
    office = client_for("standing_office")
    for url in (
        reverse("evidence:document_detail", args=[document.pk]),
        reverse("evidence:document_list", args=[YEAR, "HP-A"]),
        reverse("evidence:evidence_review"),
    ):
        assert escaped_not_raw(page(office.get(url)), SCRIPT), url


@pytest.mark.parametrize(
    ("field", "length", "limit"), [("title", 501, 500), ("number", 101, 100), ("issuer", 301, 300)]
)
def test_an_overlong_field_is_refused(client_for, world, unchanged, field, length, limit):
    html = refused(client_for("district_a"), world, unchanged, **{field: "x" * length})
    assert f"Giá trị này chỉ có tối đa {limit} kí tự (hiện có {length})" in html


def test_an_impossible_issue_date_is_refused_as_a_day_that_does_not_exist(
    client_for, world, unchanged
):
    html = refused(client_for("district_a"), world, unchanged, issue_date="31/02/2022")
    assert no_such_day("31/02/2022", "02", 2022, 28) in html


# --- Forged choices ----------------------------------------------------------------------------


def test_an_indicator_of_another_criteria_set_is_not_a_choice(client_for, world, unchanged):
    foreign = foreign_indicator()
    html = refused(client_for("district_a"), world, unchanged, indicators=[foreign.pk])
    assert "Hãy chọn một lựa chọn hợp lệ." in html


def test_an_indicator_the_office_is_not_assigned_is_not_a_choice(client_for, world, unchanged):
    forged = [world.indicator("1.1.1").pk, world.indicator("1.1.2").pk]
    html = refused(client_for("district_a"), world, unchanged, indicators=forged)
    assert "Hãy chọn một lựa chọn hợp lệ." in html


def test_an_indicator_id_that_is_not_a_number_is_refused_in_vietnamese(
    client_for, world, unchanged
):
    html = refused(client_for("district_a"), world, unchanged, indicators=["1 OR 1=1"])
    assert "«1 OR 1=1» không phải là lựa chọn hợp lệ." in html
    assert "is not a valid value" not in html


def test_a_forged_status_is_ignored(client_for, world):
    post_upload(client_for("district_a"), world, status="approved", created_by="1")
    assert Document.objects.get().status == Document.Status.WAITING


def test_an_upload_into_a_locked_year_is_refused(client_for, world, unchanged):
    lock_year()
    html = refused(client_for("district_a"), world, unchanged)
    assert f"Năm đánh giá {YEAR} đã khóa: chỉ xem, không thay đổi được minh chứng." in html


def test_an_upload_into_a_year_never_opened_is_refused(client_for, world, unchanged):
    html = refused(client_for("district_a"), world, unchanged, year=2031)
    assert "Năm đánh giá 2031 chưa mở: chưa thể thêm minh chứng." in html


# --- Replacing a file --------------------------------------------------------------------------


def test_replacing_with_an_executable_is_refused(client_for, document, unchanged):
    with unchanged():
        response = client_for("district_a").post(
            reverse("evidence:document_replace", args=[document.pk]),
            {"file": SimpleUploadedFile("ban-2.pdf", EXE)},
            follow=True,
        )
    assert "là chương trình, không phải văn bản" in page(response)


def test_replacing_a_withdrawn_document_is_refused(client_for, document, personas, unchanged):
    evidence_services.document_withdraw(
        actor=actor_for(personas["district_a"]),
        user=personas["district_a"],
        document=document,
        reason="Tải nhầm",
    )
    with unchanged():
        response = client_for("district_a").post(
            reverse("evidence:document_replace", args=[document.pk]),
            {"file": SimpleUploadedFile("ban-2.pdf", PDF)},
            follow=True,
        )
    assert "«Kế hoạch xây dựng quận học tập» đã được rút: không thể thay đổi" in page(response)
