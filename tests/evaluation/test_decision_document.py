"""The formal decision issued on a recognition (issue 14.3): attached with its number, date,
issuer, signer and the signed file; it changes nothing that is counted."""

import hashlib
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assignments.permissions import actor_for
from evaluation.models import DecisionDocument
from evaluation.selectors import decisions_by_unit
from evaluation.services import decision_document_attach, decision_record
from tests.conftest import YEAR
from tests.evidence.conftest import EXE, PDF, PDF_V2
from tests.factories import make_meeting

pytestmark = pytest.mark.django_db

DATA = {
    "number": "1234/QĐ-UBND",
    "issued_on": date(2022, 12, 28),
    "issuer": "UBND thành phố Hải Phòng",
    "signer": "Nguyễn Văn A",
}


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
def recognition(world, personas):
    committee = personas["committee"]
    return decision_record(
        actor=actor_for(committee),
        unit=world.city,
        year=YEAR,
        user=committee,
        data={
            "meeting": make_meeting(YEAR, committee),
            "decision": "recognized",
            "number": "",
            "note": "",
        },
    )


def upload(content: bytes = PDF, name: str = "quyet-dinh.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def test_a_decision_document_is_attached_with_its_signed_file(personas, recognition):
    counted = decisions_by_unit(YEAR)
    document = decision_document_attach(
        actor=actor_for(personas["committee"]),
        user=personas["committee"],
        decision=recognition,
        data=DATA,
        file=upload(),
    )
    assert (document.number, document.issued_on, document.signer) == (
        "1234/QĐ-UBND",
        date(2022, 12, 28),
        "Nguyễn Văn A",
    )
    assert document.sha256 == hashlib.sha256(PDF).hexdigest()
    with document.file.open("rb") as stored:
        assert stored.read() == PDF
    assert decisions_by_unit(YEAR) == counted  # what is counted does not change


def test_a_new_file_replaces_the_document_and_its_history_keeps_the_first(personas, recognition):
    actor, user = actor_for(personas["committee"]), personas["committee"]
    first = decision_document_attach(
        actor=actor, user=user, decision=recognition, data=DATA, file=upload()
    )
    second = decision_document_attach(
        actor=actor, user=user, decision=recognition, data=DATA, file=upload(PDF_V2)
    )
    assert first.pk == second.pk
    assert second.sha256 == hashlib.sha256(PDF_V2).hexdigest()
    assert [h.sha256 for h in second.history.order_by("history_id")] == [
        hashlib.sha256(PDF).hexdigest(),
        hashlib.sha256(PDF_V2).hexdigest(),
    ]


def test_a_program_is_refused_and_nothing_is_written(client_for, recognition, evidence_dir):
    url = reverse("evaluation:decision_document", args=[YEAR, "HP"])
    response = client_for("committee").post(
        url, {**DATA, "issued_on": "28/12/2022", "file": upload(EXE, "quyet-dinh.pdf")}
    )
    assert response.status_code == 200
    assert "Hãy chọn lại tệp" in response.content.decode()
    assert not DecisionDocument.objects.exists()
    assert not [path for path in evidence_dir.rglob("*") if path.is_file()]


def test_a_division_attaches_no_decision(personas, recognition):
    with pytest.raises(PermissionDenied):
        decision_document_attach(
            actor=actor_for(personas["division"]),
            user=personas["division"],
            decision=recognition,
            data=DATA,
            file=upload(),
        )
    assert not DecisionDocument.objects.exists()


def test_the_dashboard_names_the_decision_and_links_its_file(client_for, personas, recognition):
    client_for("committee").post(
        reverse("evaluation:decision_document", args=[YEAR, "HP"]),
        {**DATA, "issued_on": "28/12/2022", "file": upload()},
    )
    html = client_for("district_a").get(reverse("evaluation:city", args=[YEAR])).content.decode()
    line = html.split('id="decision-document"')[1].split("</div>")[0]
    assert "số 1234/QĐ-UBND ngày 28/12/2022 của UBND thành phố Hải Phòng" in line
    download = reverse("evaluation:decision_document_download", args=[YEAR, "HP"])
    assert f'href="{download}"' in line
    response = client_for("district_a").get(download)
    assert b"".join(response.streaming_content) == PDF
