"""Forged identifiers: another unit's code in the URL, another district's document id, another year,
a locked year, an indicator of another criteria set, a version number from the future, fields the
form does not have. Another district's anything is a 404 (it may not know it exists), what may be
seen but not changed a 403 with the reason in Vietnamese, a year that takes no writes the form again
with its message; and nothing is written."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assignments.permissions import actor_for
from evaluation.models import CommitteeDecision
from evidence import services as evidence_services
from evidence.models import Document
from evidence.services import DocumentMetadata
from measurements.models import Measurement
from tests.conftest import YEAR
from tests.evidence.conftest import PDF, raw_file
from tests.factories import make_meeting
from tests.hostile.conftest import foreign_indicator, lock_year, page

pytestmark = pytest.mark.django_db

NOT_FOUND = "Không tìm thấy trang"


def entry_url(unit: str = "HP-A", code: str = "2.1.3", year: int = YEAR) -> str:
    return reverse("measurements:measurement", args=[year, unit, code])


def post_entry(client, url: str, **fields):
    return client.post(url, {"numerator": "1", "denominator": "4000", "version": "", **fields})


def document_of(world, personas, unit, codes=("1.1.1",), persona="standing_office") -> Document:
    return evidence_services.document_upload(
        actor=actor_for(personas[persona]),
        user=personas[persona],
        unit=unit,
        year=YEAR,
        indicators=[world.indicator(code) for code in codes],
        metadata=DocumentMetadata(title="Nghị quyết"),
        file=raw_file("nghi-quyet.pdf", PDF),
    )


# --- Another unit ------------------------------------------------------------------------------


def test_another_districts_code_in_the_url_is_a_404(client_for, world, unchanged):
    with unchanged():
        response = post_entry(client_for("district_a"), entry_url("HP-B"))
    assert response.status_code == 404
    assert NOT_FOUND in page(response)


def test_an_indicator_the_office_is_not_assigned_is_a_403_with_the_reason(
    client_for, world, unchanged
):
    with unchanged():
        response = post_entry(client_for("district_a"), entry_url("HP-A", "1.1.2"))
    assert response.status_code == 403
    assert "Bạn không được nhập số liệu chỉ báo này cho đơn vị này." in page(response)


def test_an_upload_into_another_district_is_a_404(client_for, world, unchanged):
    with unchanged():
        response = client_for("district_a").post(
            reverse("evidence:document_upload", args=[YEAR, "HP-B"]),
            {
                "indicators": [world.indicator("1.1.1").pk],
                "title": "Kế hoạch",
                "file": SimpleUploadedFile("ke-hoach.pdf", PDF),
            },
        )
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("evidence:document_replace", {"file": SimpleUploadedFile("b.pdf", PDF)}),
        ("evidence:document_withdraw", {"reason": "Tải nhầm"}),
        ("evidence:review_document", {}),
    ],
)
def test_another_districts_document_id_is_a_404(
    client_for, world, personas, unchanged, action, data
):
    document = document_of(world, personas, world.district_b)
    with unchanged():
        response = client_for("district_a").post(reverse(action, args=[document.pk]), data)
    assert response.status_code == 404


def test_a_document_shared_with_another_departments_indicator_cannot_be_withdrawn(
    client_for, world, personas, unchanged
):
    document = document_of(world, personas, world.district_a, codes=("1.1.1", "2.1.1"))
    with unchanged():
        response = client_for("district_a").post(
            reverse("evidence:document_withdraw", args=[document.pk]), {"reason": "Tải nhầm"}
        )
    assert response.status_code == 403
    assert "Bạn không có quyền thay đổi minh chứng này." in page(response)


def test_another_districts_explanation_is_a_404(client_for, world, unchanged):
    with unchanged():
        response = client_for("district_a").post(
            reverse("evidence:explanation", args=[YEAR, "HP-B", "1.1.1"]), {"text": "Giải trình"}
        )
    assert response.status_code == 404


# --- Another year ------------------------------------------------------------------------------


def test_a_year_never_opened_is_refused_with_its_message(client_for, world, unchanged):
    with unchanged():
        response = post_entry(client_for("district_a"), entry_url(year=2031))
    assert response.status_code == 200
    assert "Năm 2031 chưa mở để nhập số liệu." in page(response)


def test_a_locked_year_is_refused_with_its_message(client_for, world, unchanged):
    lock_year()
    with unchanged():
        response = post_entry(client_for("district_a"), entry_url())
    assert response.status_code == 200
    assert f"Năm đánh giá {YEAR} đã khóa: không nhận thay đổi nào." in page(response)


def test_a_year_beyond_any_database_integer_is_refused(client_for, world, unchanged):
    with unchanged():
        response = post_entry(client_for("district_a"), entry_url(year=10**20))
    assert response.status_code == 200
    assert "chưa mở để nhập số liệu" in page(response)


def test_returning_an_entry_of_a_locked_year_is_refused(client_for, world, unchanged):
    entry = Measurement.objects.create(
        indicator=world.indicator("2.1.3"), unit=world.district_a, year=YEAR, status="submitted"
    )
    lock_year()
    with unchanged():
        response = client_for("standing_office").post(
            reverse("measurements:review_return", args=[entry.pk]),
            {"comment": "Sửa lại"},
            follow=True,
        )
    assert f"Năm đánh giá {YEAR} đã khóa" in page(response)


# --- Other catalogue, other versions -----------------------------------------------------------


def test_an_indicator_of_another_criteria_set_in_the_url_is_a_404(client_for, world, unchanged):
    foreign_indicator()
    with unchanged():
        response = post_entry(client_for("standing_office"), entry_url("HP-A", "9.1.1"))
    assert response.status_code == 404


def test_a_version_number_from_the_future_is_refused_as_a_concurrent_edit(
    client_for, world, unchanged
):
    with unchanged():
        response = post_entry(client_for("district_a"), entry_url(), version="999")
    assert "Người khác đã lưu số liệu này sau khi bạn mở trang." in page(response)


@pytest.mark.parametrize("version", ["-1", "abc", "1e3"])
def test_a_version_that_is_not_a_version_is_refused_visibly(client_for, world, unchanged, version):
    with unchanged():
        response = post_entry(client_for("district_a"), entry_url(), version=version)
    assert "Trang đã cũ hoặc bị hỏng: hãy tải lại trang rồi nhập lại số liệu." in page(response)


def test_downloading_a_version_from_the_future_is_a_404(client_for, world, personas):
    document = document_of(world, personas, world.district_a)
    url = reverse("evidence:version_download", args=[document.pk, 2])
    assert client_for("district_a").get(url).status_code == 404


# --- Fields the form does not have -------------------------------------------------------------


def test_a_forged_status_and_author_on_an_entry_are_ignored(client_for, world, personas):
    post_entry(
        client_for("district_a"),
        entry_url(),
        status="approved",
        reviewed_by=str(personas["standing_office"].pk),
        unit="HP-B",
        year="2021",
    )
    entry = Measurement.objects.get()
    assert (entry.status, entry.reviewed_by, entry.unit.code, entry.year) == (
        "draft",
        None,
        "HP-A",
        YEAR,
    )
    assert entry.updated_by == personas["district_a"]


def test_a_forged_unit_and_recorder_on_a_decision_are_ignored(client_for, world, personas):
    meeting = make_meeting(YEAR, personas["committee"])
    client_for("committee").post(
        reverse("evaluation:decision", args=[YEAR, "HP"]),
        {
            "meeting": meeting.pk,
            "decision": "recognized",
            "unit": str(world.district_b.pk),
            "recorded_by": str(personas["standing_office"].pk),
            "year": "2021",
        },
    )
    decision = CommitteeDecision.objects.get()
    assert (decision.unit, decision.year) == (world.city, YEAR)
    assert decision.recorded_by == personas["committee"]
