"""Writes of evidence (evidence/evidence_services.py): who may attach what, what a refusal leaves
behind (nothing), versions, withdrawal, review, explanations and the year lock."""

import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from assignments.permissions import actor_for
from criteria.models import EvaluationYear, YearLockedError
from evidence import services
from evidence.filetypes import UploadRefused
from evidence.models import Document, DocumentVersion, Explanation
from evidence.services import DocumentMetadata
from tests.conftest import YEAR
from tests.evidence.conftest import EXE, PDF, PDF_V2, raw_file, seen, stored_files

pytestmark = pytest.mark.django_db


def upload_as(personas, world, persona, *, unit=None, codes=("1.1.1",), file=None):
    return services.document_upload(
        actor=actor_for(personas[persona]),
        user=personas[persona],
        unit=unit or world.district_a,
        year=YEAR,
        indicators=[world.indicator(code) for code in codes],
        metadata=DocumentMetadata(title="Kế hoạch", number="254/KH-UBND"),
        file=file or raw_file("ke-hoach.pdf"),
    )


def act(personas, persona):
    return {"actor": actor_for(personas[persona]), "user": personas[persona]}


def lock_year():
    EvaluationYear.objects.filter(year=YEAR).update(state=EvaluationYear.State.LOCKED)


# Uploading


def test_district_office_uploads_for_its_own_district(personas, world, evidence_dir):
    document = upload_as(personas, world, "district_a", codes=("1.1.1", "2.1.3"))
    version = document.versions.get()
    assert document.status == Document.Status.WAITING
    assert {i.code for i in document.indicators.all()} == {"1.1.1", "2.1.3"}
    assert version.sha256 == hashlib.sha256(PDF).hexdigest()
    assert (version.size, version.content_type) == (len(PDF), "application/pdf")
    assert (evidence_dir / version.file.name).read_bytes() == PDF


def test_the_stored_name_is_generated_and_the_original_kept(personas, world, evidence_dir):
    document = upload_as(personas, world, "district_a", file=raw_file("Biên bản họp.pdf"))
    version = document.versions.get()
    assert version.original_name == "Biên bản họp.pdf"
    assert version.file.name.startswith(f"evidence/{YEAR}/")
    assert "Biên" not in version.file.name


def test_a_path_in_the_name_never_reaches_the_storage(personas, world, evidence_dir):
    document = upload_as(personas, world, "district_a", file=raw_file("../../etc/cron.d/x.pdf"))
    assert document.versions.get().original_name == "x.pdf"
    assert [p.parent for p in stored_files(evidence_dir)] == [evidence_dir / "evidence" / "2022"]


def test_district_office_cannot_upload_for_another_district(personas, world, evidence_dir):
    with pytest.raises(PermissionDenied):
        upload_as(personas, world, "district_a", unit=world.district_b)
    assert not Document.objects.exists()
    assert stored_files(evidence_dir) == []


def test_district_office_cannot_upload_for_an_indicator_it_is_not_assigned(personas, world):
    with pytest.raises(PermissionDenied):
        upload_as(personas, world, "district_a", codes=("1.1.2",))
    assert not Document.objects.exists()


def test_division_attaches_city_evidence_for_its_assigned_indicator(personas, world):
    document = upload_as(personas, world, "division", unit=world.city, codes=("1.1.2",))
    assert document.unit == world.city


def test_unassigned_division_cannot_attach_to_an_indicator_it_does_not_hold(personas, world):
    with pytest.raises(PermissionDenied):
        upload_as(personas, world, "other_division", unit=world.city, codes=("1.1.2",))
    assert not Document.objects.exists()


def test_division_cannot_attach_evidence_for_a_district(personas, world):
    with pytest.raises(PermissionDenied):
        upload_as(personas, world, "division", unit=world.district_a, codes=("1.1.2",))
    assert not Document.objects.exists()


def test_committee_writes_no_evidence(personas, world):
    with pytest.raises(PermissionDenied):
        upload_as(personas, world, "committee", unit=world.city, codes=("1.1.2",))
    assert not Document.objects.exists()


def test_standing_office_may_attach_for_any_unit(personas, world):
    document = upload_as(
        personas, world, "standing_office", unit=world.district_b, codes=("2.1.1",)
    )
    assert document.unit == world.district_b


def test_a_document_needs_an_indicator(personas, world):
    with pytest.raises(ValidationError, match="ít nhất một chỉ báo"):
        upload_as(personas, world, "district_a", codes=())
    assert not Document.objects.exists()


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (raw_file("bao-cao.pdf", EXE), "là chương trình"),
        (raw_file("bao-cao.pdf", b""), "Tệp rỗng"),
        (raw_file("../../etc/passwd", PDF), "«passwd»"),
        (raw_file("bao\x00cao.pdf", PDF), "ký tự điều khiển"),
        (raw_file("bao-cao.pdf.exe", PDF), ".exe"),
    ],
    ids=["renamed-executable", "empty", "etc-passwd", "nul-byte", "double-extension"],
)
def test_a_refused_file_leaves_nothing_stored(personas, world, evidence_dir, file, message):
    with pytest.raises(UploadRefused, match=message):
        upload_as(personas, world, "district_a", file=file)
    assert not Document.objects.exists()
    assert not DocumentVersion.objects.exists()
    assert stored_files(evidence_dir) == []


def test_an_oversize_file_leaves_nothing_stored(personas, world, evidence_dir, settings):
    settings.EVIDENCE_MAX_UPLOAD_BYTES = 50
    with pytest.raises(UploadRefused, match="vượt quá giới hạn"):
        upload_as(personas, world, "district_a", file=raw_file("bao-cao.pdf", PDF))
    assert not Document.objects.exists()
    assert stored_files(evidence_dir) == []


def test_a_failed_database_write_removes_the_stored_file(
    personas, world, evidence_dir, monkeypatch
):
    def fail(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "_add_version", fail)
    with pytest.raises(RuntimeError):
        upload_as(personas, world, "district_a")
    assert not Document.objects.exists()
    assert stored_files(evidence_dir) == []


# Replacing and withdrawing


def test_a_replaced_file_keeps_its_earlier_version_and_both_hashes(
    personas, world, make_document, evidence_dir
):
    document = make_document()
    services.document_replace(
        **act(personas, "district_a"), document=document, file=raw_file("v2.pdf", PDF_V2)
    )
    versions = list(document.versions.order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert [v.sha256 for v in versions] == [
        hashlib.sha256(PDF).hexdigest(),
        hashlib.sha256(PDF_V2).hexdigest(),
    ]
    assert sorted(p.read_bytes() for p in stored_files(evidence_dir)) == sorted([PDF, PDF_V2])


def test_replacing_sends_the_document_back_to_review(personas, world, make_document):
    document = make_document()
    services.document_request_more(
        **act(personas, "standing_office"),
        document=document,
        seen_version=seen(document),
        comment="Thiếu chữ ký",
    )
    services.document_replace(
        **act(personas, "district_a"), document=document, file=raw_file("v2.pdf", PDF_V2)
    )
    assert Document.objects.get().status == Document.Status.WAITING


def test_district_office_cannot_replace_another_districts_document(personas, world, make_document):
    document = make_document("district_b", unit=world.district_b)
    with pytest.raises(PermissionDenied):
        services.document_replace(
            **act(personas, "district_a"), document=document, file=raw_file("v2.pdf", PDF_V2)
        )
    assert document.versions.count() == 1


def test_a_refused_replacement_keeps_the_document_as_it_was(
    personas, world, make_document, evidence_dir
):
    document = make_document()
    with pytest.raises(UploadRefused):
        services.document_replace(
            **act(personas, "district_a"), document=document, file=raw_file("x.pdf", EXE)
        )
    assert document.versions.count() == 1
    assert len(stored_files(evidence_dir)) == 1


def test_withdrawal_keeps_the_row_and_records_who_and_why(personas, world, make_document):
    document = make_document()
    services.document_withdraw(
        **act(personas, "district_a"), document=document, reason="Tải nhầm văn bản"
    )
    document = Document.objects.get()
    assert document.withdrawn_at is not None
    assert document.withdrawn_by == personas["district_a"]
    assert document.withdrawal_reason == "Tải nhầm văn bản"
    assert document.versions.count() == 1


def test_withdrawal_needs_a_reason(personas, world, make_document):
    document = make_document()
    with pytest.raises(ValidationError, match="lý do"):
        services.document_withdraw(**act(personas, "district_a"), document=document, reason=" ")
    assert Document.objects.get().withdrawn_at is None


def test_a_withdrawn_document_can_no_longer_be_replaced(personas, world, make_document):
    document = make_document()
    services.document_withdraw(**act(personas, "district_a"), document=document, reason="Nhầm")
    with pytest.raises(ValidationError, match="đã được rút"):
        services.document_replace(
            **act(personas, "district_a"), document=document, file=raw_file("v2.pdf", PDF_V2)
        )
    assert document.versions.count() == 1


def test_a_document_shared_with_an_unassigned_indicator_is_not_the_district_offices(
    personas, world, make_document
):
    document = make_document("standing_office", codes=("1.1.1", "2.1.1"))
    with pytest.raises(PermissionDenied):
        services.document_withdraw(**act(personas, "district_a"), document=document, reason="x")
    assert Document.objects.get().withdrawn_at is None


def test_history_records_each_change_and_who_made_it(personas, world, make_document):
    document = make_document()
    services.document_approve(
        **act(personas, "standing_office"), document=document, seen_version=seen(document)
    )
    records = list(document.history.order_by("history_date"))
    assert [r.status for r in records] == ["waiting", "approved"]
    assert [r.history_user for r in records] == [
        personas["district_a"],
        personas["standing_office"],
    ]


# Review


def test_standing_office_approves_a_waiting_document(personas, world, make_document):
    document = make_document()
    services.document_approve(
        **act(personas, "standing_office"), document=document, seen_version=seen(document)
    )
    document = Document.objects.get()
    assert document.status == Document.Status.APPROVED
    assert document.reviewed_by == personas["standing_office"]
    assert document.reviewed_at is not None


def test_standing_office_asks_for_more_with_a_comment(personas, world, make_document):
    document = make_document()
    services.document_request_more(
        **act(personas, "standing_office"),
        document=document,
        seen_version=seen(document),
        comment="Bổ sung bản có dấu",
    )
    document = Document.objects.get()
    assert document.status == Document.Status.NEEDS_MORE
    assert document.review_comment == "Bổ sung bản có dấu"


def test_asking_for_more_needs_a_comment(personas, world, make_document):
    document = make_document()
    with pytest.raises(ValidationError, match="cần có ý kiến"):
        services.document_request_more(
            **act(personas, "standing_office"),
            document=document,
            seen_version=seen(document),
            comment="  ",
        )
    assert Document.objects.get().status == Document.Status.WAITING


@pytest.mark.parametrize("persona", ["district_a", "division", "committee"])
def test_only_the_standing_office_reviews_evidence(personas, world, make_document, persona):
    document = make_document()
    with pytest.raises(PermissionDenied):
        services.document_approve(
            **act(personas, persona), document=document, seen_version=seen(document)
        )
    assert Document.objects.get().status == Document.Status.WAITING


def test_a_reviewed_document_is_not_reviewed_again(personas, world, make_document):
    document = make_document()
    services.document_approve(
        **act(personas, "standing_office"), document=document, seen_version=seen(document)
    )
    with pytest.raises(ValidationError, match="không chờ duyệt"):
        services.document_request_more(
            **act(personas, "standing_office"),
            document=document,
            seen_version=seen(document),
            comment="x",
        )
    assert Document.objects.get().status == Document.Status.APPROVED


# Explanations


def test_district_office_records_then_changes_an_explanation(personas, world):
    common = {**act(personas, "district_a"), "unit": world.district_a, "year": YEAR}
    services.explanation_save(**common, indicator=world.indicator("2.1.3"), text="Chưa có số liệu")
    services.explanation_save(**common, indicator=world.indicator("2.1.3"), text="Đang tổng hợp")
    explanation = Explanation.objects.get()
    assert explanation.text == "Đang tổng hợp"
    assert explanation.author == personas["district_a"]


def test_district_office_cannot_explain_for_another_district(personas, world):
    with pytest.raises(PermissionDenied):
        services.explanation_save(
            **act(personas, "district_a"),
            unit=world.district_b,
            year=YEAR,
            indicator=world.indicator("2.1.3"),
            text="x",
        )
    assert not Explanation.objects.exists()


# The year lock


def _replace(personas, world, document):
    services.document_replace(
        **act(personas, "district_a"), document=document, file=raw_file("v2.pdf", PDF_V2)
    )


def _withdraw(personas, world, document):
    services.document_withdraw(**act(personas, "district_a"), document=document, reason="x")


def _approve(personas, world, document):
    services.document_approve(
        **act(personas, "standing_office"), document=document, seen_version=seen(document)
    )


def _request_more(personas, world, document):
    services.document_request_more(
        **act(personas, "standing_office"),
        document=document,
        seen_version=seen(document),
        comment="x",
    )


def _explain(personas, world, document):
    services.explanation_save(
        **act(personas, "district_a"),
        unit=world.district_a,
        year=YEAR,
        indicator=world.indicator("1.1.1"),
        text="x",
    )


def _upload(personas, world, document):
    upload_as(personas, world, "district_a", file=raw_file("moi.pdf", PDF_V2))


@pytest.mark.parametrize("write", [_upload, _replace, _withdraw, _approve, _request_more, _explain])
def test_a_locked_year_refuses_every_write(personas, world, make_document, evidence_dir, write):
    document = make_document()
    lock_year()
    with pytest.raises(YearLockedError, match="đã khóa"):
        write(personas, world, document)
    document = Document.objects.get()
    assert (document.status, document.withdrawn_at) == (Document.Status.WAITING, None)
    assert DocumentVersion.objects.count() == 1
    assert not Explanation.objects.exists()
    assert len(stored_files(evidence_dir)) == 1


def test_a_year_never_opened_refuses_uploads(personas, world, evidence_dir):
    with pytest.raises(YearLockedError, match="chưa mở"):
        services.document_upload(
            **act(personas, "district_a"),
            unit=world.district_a,
            year=2030,
            indicators=[world.indicator("1.1.1")],
            metadata=DocumentMetadata(title="x"),
            file=raw_file("x.pdf"),
        )
    assert stored_files(evidence_dir) == []


# The year's lock, checked again inside the write


def test_an_upload_that_ends_after_the_year_is_locked_is_refused_and_stores_nothing(
    personas, world, evidence_dir, monkeypatch
):
    check_upload = services.uploads.check_upload

    def slow_check(file):  # the year is locked while the file is being read
        EvaluationYear.objects.filter(year=YEAR).update(state=EvaluationYear.State.LOCKED)
        return check_upload(file)

    monkeypatch.setattr(services.uploads, "check_upload", slow_check)
    with pytest.raises(ValidationError, match="đã khóa"):
        services.document_upload(
            **act(personas, "district_a"),
            unit=world.district_a,
            year=YEAR,
            indicators=[world.indicator("1.1.1")],
            metadata=DocumentMetadata(title="Kế hoạch"),
            file=raw_file("ke-hoach.pdf", PDF),
        )
    assert not Document.objects.exists()
    assert stored_files(evidence_dir) == []
