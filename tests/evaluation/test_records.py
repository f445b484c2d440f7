"""The frozen record (issue 14.4): recording a recognition freezes, from the database, what it was
decided on; the record verifies later, a correction names the record it replaces, and the
dashboard says where live data now differs."""

import hashlib
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from assignments.permissions import actor_for
from evaluation.models import CommitteeDecision, FrozenRecord
from evaluation.records import verify
from evaluation.services import decision_record
from evidence import services as evidence_services
from evidence.services import DocumentMetadata
from measurements.models import Measurement
from tests.conftest import YEAR
from tests.evidence.conftest import PDF, PDF_V2, raw_file
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


def upload(world, personas, title: str, content: bytes):
    office = personas["standing_office"]
    return evidence_services.document_upload(
        actor=actor_for(office),
        user=office,
        unit=world.city,
        year=YEAR,
        indicators=[world.indicator("1.1.1")],
        metadata=DocumentMetadata(title=title, number="12/NQ-HĐND"),
        file=raw_file("nghi-quyet.pdf", content),
    )


@pytest.fixture
def city_year(world, personas):
    """The city's 2022: 1.1.2 approved at 56/80 (70 %, met exactly), 2.1.3 a draft, one
    document current and one withdrawn."""
    Measurement.objects.create(
        indicator=world.indicator("1.1.2"),
        unit=world.city,
        year=YEAR,
        numerator=56,
        denominator=80,
        status=Measurement.Status.APPROVED,
    )
    Measurement.objects.create(
        indicator=world.indicator("2.1.3"),
        unit=world.city,
        year=YEAR,
        numerator=1,
        denominator=3000,
        status=Measurement.Status.DRAFT,
    )
    kept = upload(world, personas, "Nghị quyết về xây dựng xã hội học tập", PDF)
    withdrawn = upload(world, personas, "Bản nháp", PDF_V2)
    evidence_services.document_withdraw(
        actor=actor_for(personas["standing_office"]),
        user=personas["standing_office"],
        document=withdrawn,
        reason="Nộp nhầm",
    )
    return kept


def recognise(world, personas, decision: str = "not_recognized", note: str = ""):
    committee = personas["committee"]
    existing = CommitteeDecision.objects.filter(unit=world.city, year=YEAR).first()
    return decision_record(
        instance=existing,
        actor=actor_for(committee),
        unit=world.city,
        year=YEAR,
        user=committee,
        data={
            "meeting": make_meeting(YEAR, committee),
            "decision": decision,
            "number": "45/QĐ-BCĐ",
            "note": note,
        },
    )


def test_recording_a_recognition_freezes_what_it_was_decided_on(world, personas, city_year):
    decision = recognise(world, personas, note="Chưa đủ số liệu")

    record = FrozenRecord.objects.get()
    content = json.loads(record.content)
    assert (record.decision, record.unit, record.year, record.replaces) == (
        decision,
        world.city,
        YEAR,
        None,
    )
    # The approved value and its status; the draft of 2.1.3 is left out.
    assert content["values"] == [
        {
            "code": "1.1.2",
            "status": "approved",
            "estimate": False,
            "input": {"numerator": "56", "denominator": "80"},
        }
    ]
    results = {result["code"]: result for result in content["results"]["indicators"]}
    assert results["1.1.2"]["status"] == "met"
    assert results["1.1.2"]["explanation"] == "56/80 = 70,00 % ≥ 70 % — Đạt"
    assert results["2.1.3"]["status"] == "no_data"
    # The current document with its file's hash; the withdrawn one is left out.
    assert [(e["title"], e["sha256"]) for e in content["evidence"]] == [
        ("Nghị quyết về xây dựng xã hội học tập", hashlib.sha256(PDF).hexdigest())
    ]
    assert content["recognition"]["note"] == "Chưa đủ số liệu"
    assert (content["meeting"]["kind"], content["meeting"]["held_on"]) == (
        "committee",
        "2022-12-20",
    )
    assert content["criteria_set"]["code"] == "hp-test"
    assert len(content["criteria_set"]["sha256"]) == 64


def test_the_record_is_hashed_over_its_canonical_serialisation(world, personas, city_year):
    recognise(world, personas)
    record = FrozenRecord.objects.get()
    canonical = json.dumps(
        json.loads(record.content), ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )
    assert record.content == canonical
    assert record.sha256 == hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def test_a_correction_is_a_new_record_naming_the_one_it_replaces(world, personas, city_year):
    recognise(world, personas)
    first = FrozenRecord.objects.get()
    recognise(world, personas, decision="recognized", note="Sau khi xác minh")

    second = FrozenRecord.objects.exclude(pk=first.pk).get()
    assert second.replaces == first
    assert FrozenRecord.objects.get(pk=first.pk).content == first.content
    assert json.loads(second.content)["recognition"]["decision"] == "recognized"


def test_a_record_is_never_changed_nor_deleted(world, personas, city_year):
    recognise(world, personas)
    record = FrozenRecord.objects.get()
    record.content = "{}"
    with pytest.raises(ValueError, match="never changed"):
        record.save()
    with pytest.raises(ValueError, match="never deleted"):
        record.delete()
    assert FrozenRecord.objects.get().content != "{}"


def test_later_edits_leave_the_record_and_the_dashboard_names_the_difference(
    client_for, world, personas, city_year
):
    recognise(world, personas)
    record = FrozenRecord.objects.get()
    Measurement.objects.filter(indicator__code="1.1.2").update(numerator=50)  # 62,5 % < 70 %

    assert FrozenRecord.objects.get().content == record.content
    assert verify(record).ok
    html = client_for("committee").get(reverse("evaluation:city", args=[YEAR])).content.decode()
    assert "Hồ sơ đã chốt ngày" in html
    differences = html.split('id="record-differences"')[1].split("</div>")[0]
    assert "1.1.2" in differences
    assert "56/80 = 70,00 % ≥ 70 % — Đạt" in differences
    assert "50/80 = 62,50 %" in differences


def test_the_dashboard_says_when_live_data_still_matches(client_for, world, personas, city_year):
    recognise(world, personas)
    html = client_for("committee").get(reverse("evaluation:city", args=[YEAR])).content.decode()
    assert 'id="record-matches"' in html
    assert 'id="record-differences"' not in html


def test_the_download_is_the_record_exactly_as_hashed(client_for, world, personas, city_year):
    recognise(world, personas)
    record = FrozenRecord.objects.get()
    url = reverse("evaluation:record_download", args=[YEAR, "HP", record.pk])
    response = client_for("district_a").get(url)
    assert hashlib.sha256(response.content).hexdigest() == record.sha256
    assert "attachment" in response["Content-Disposition"]


def test_the_record_page_shows_it_read_only(client_for, world, personas, city_year):
    recognise(world, personas)
    record = FrozenRecord.objects.get()
    html = (
        client_for("division")
        .get(reverse("evaluation:record", args=[YEAR, "HP", record.pk]))
        .content.decode()
    )
    assert record.sha256 in html
    assert "Nghị quyết về xây dựng xã hội học tập" in html
    assert "Bản nháp" not in html
    assert "<form" not in html.split('id="record-status"')[1]


def verify_command(*args: str) -> str:
    out = io.StringIO()
    call_command("verify_record", *args, stdout=out)
    return out.getvalue()


def test_verify_record_rehashes_the_record_and_its_files(world, personas, city_year):
    recognise(world, personas)
    record = FrozenRecord.objects.get()
    assert f"khớp (SHA-256 {record.sha256})" in verify_command()


def test_verify_record_finds_an_edited_record(world, personas, city_year):
    recognise(world, personas)
    record = FrozenRecord.objects.get()
    FrozenRecord.objects.filter(pk=record.pk).update(
        content=record.content.replace('"numerator":"56"', '"numerator":"57"')
    )
    with pytest.raises(CommandError, match="1 hồ sơ không khớp"):
        verify_command("--record", str(record.pk))


def test_verify_record_finds_an_edited_evidence_file(world, personas, city_year, evidence_dir):
    recognise(world, personas)
    stored = city_year.versions.get().file
    (evidence_dir / stored.name).write_bytes(PDF_V2)
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("verify_record", "--year", str(YEAR), stdout=out)
    assert f"tệp «{stored.name}» không còn khớp SHA-256" in out.getvalue()


def test_another_districts_office_does_not_learn_a_district_record_exists(
    client_for, world, personas
):
    committee = personas["committee"]
    decision = decision_record(
        actor=actor_for(committee),
        unit=world.district_a,
        year=YEAR,
        user=committee,
        data={
            "meeting": make_meeting(YEAR, committee),
            "decision": "not_recognized",
            "number": "",
            "note": "Chưa đủ minh chứng",
        },
    )
    record = FrozenRecord.objects.get(decision=decision)
    for name in ("evaluation:record", "evaluation:record_download"):
        url = reverse(name, args=[YEAR, "HP-A", record.pk])
        response = client_for("district_b").get(url)
        assert response.status_code == 404
        assert record.sha256 not in response.content.decode()
        assert "Chưa đủ minh chứng" not in response.content.decode()
        assert client_for("district_a").get(url).status_code == 200
