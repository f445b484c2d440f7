"""One year carried through, service by service (issue 14, "Must show"): the round opened with its
pilots, a pilot self-assesses, a late entry is marked (a district outside the pilot is not), the
council meets with its members present and its signed minutes kept and the committee meets (task
4 closed), the districts then the city are recognised (records frozen), a decision document is
attached, the documents are generated (the report with the standing office's narrative); then a
live value changes, the frozen record still verifies and the dashboard flags the difference."""

import hashlib
import json
from datetime import date, timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document

from assignments.administration.services import round_save
from assignments.models import PlanTask
from assignments.permissions import actor_for
from criteria.models import EvaluationYear, ListSource
from evaluation.models import CommitteeDecision, FrozenRecord
from evaluation.records import verify
from evaluation.services import (
    decision_document_attach,
    decision_record,
    meeting_file_attach,
    meeting_record,
    member_add,
    narrative_save,
)
from evidence.services import DocumentMetadata, document_upload
from measurements import services
from measurements.models import Measurement
from measurements.services import MeasurementData
from tests.conftest import YEAR
from tests.evaluation.test_documents import texts
from tests.evidence.conftest import PDF, PDF_V2, raw_file
from tests.factories import (
    assign,
    make_criteria_set,
    make_criterion,
    make_indicator,
    make_standard,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


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
def year_to_carry(world):
    """The districts' own set (one document indicator per office) and, in the city's set, the
    share of districts recognised (≥ 50 %), counted from their recognitions."""
    district_set = make_criteria_set("quan-huyen", level="district")
    criterion = make_criterion(make_standard(district_set))
    plan = make_indicator(criterion, "1.1.1", kind="document", threshold=None)
    network = make_indicator(criterion, "1.1.2", kind="document", threshold=None)
    for office in (world.office_a, world.office_b):
        assign(plan, office)
        assign(network, office)
    make_indicator(
        world.indicator("2.1.1").criterion,
        "2.1.4",
        threshold="50",
        list_source=ListSource.DISTRICT_VERDICTS,
    )
    PlanTask.objects.create(
        number=4, content="Tổ chức Cuộc họp Ban chỉ đạo", due_date=date(YEAR, 12, 31)
    )
    return {"plan": plan, "network": network}


def enter(person, unit, indicator, data, *, document: bytes | None = None):
    """The person submits a value, with a document supporting it."""
    actor = actor_for(person)
    if document is not None:
        document_upload(
            actor=actor,
            user=person,
            unit=unit,
            year=YEAR,
            indicators=[indicator],
            metadata=DocumentMetadata(title=f"Minh chứng {indicator.code}"),
            file=raw_file("minh-chung.pdf", document),
        )
    entry = Measurement.objects.filter(indicator=indicator, unit=unit, year=YEAR).first()
    return services.measurement_save(
        actor=actor,
        user=person,
        indicator=indicator,
        unit=unit,
        year=YEAR,
        data=data,
        expected_version=entry.version if entry else None,
        submit=True,
    )


def approve(office, entry):
    return services.measurement_approve(
        actor=actor_for(office), user=office, measurement=entry, seen_version=entry.version
    )


def test_a_year_carried_through_from_its_round_to_its_frozen_records(
    client_for, world, personas, year_to_carry
):
    office, committee = personas["standing_office"], personas["committee"]
    district_a, plan, network = (
        personas["district_a"],
        year_to_carry["plan"],
        year_to_carry["network"],
    )
    evaluation_year = EvaluationYear.objects.get(year=YEAR)

    # The round opened with its pilot, its deadline ahead.
    calendar = {"entry_opens_on": TODAY - timedelta(days=30), "due_on": TODAY + timedelta(days=5)}
    round_save(
        by=office,
        year=evaluation_year,
        level="district",
        calendar=calendar,
        pilot_ids=[world.district_a.pk],
    )

    # The pilot self-assesses in time; after the deadline, its second entry is marked late.
    on_time = approve(
        office, enter(district_a, world.district_a, plan, MeasurementData(yes=True), document=PDF)
    )
    round_save(
        by=office,
        year=evaluation_year,
        level="district",
        calendar={**calendar, "due_on": TODAY - timedelta(days=1)},
        pilot_ids=[world.district_a.pk],
    )
    late = enter(district_a, world.district_a, network, MeasurementData(yes=True), document=PDF_V2)
    assert (on_time.submitted_late, late.submitted_late) == (False, True)
    approve(office, late)
    # District B is no pilot: it may enter its values, and no deadline binds it.
    voluntary = enter(personas["district_b"], world.district_b, plan, MeasurementData(yes=False))
    assert voluntary.submitted_late is False

    # The city's own value, entered by the division and approved.
    approve(
        office,
        enter(
            personas["division"],
            world.city,
            world.indicator("1.1.2"),
            MeasurementData(numerator=56, denominator=80),
            document=PDF,
        ),
    )

    # The council, named by the standing office, meets: its members present are ticked, its
    # minutes typed, then kept as signed; it recognises the pilot, not the district outside it.
    chair, secretary = (
        member_add(
            actor=actor_for(office),
            user=office,
            year=YEAR,
            data={"body": "council", "role": role, "name": name, "position": ""},
        )
        for role, name in (("chair", "Nguyễn Văn A"), ("secretary", "Trần Thị B"))
    )
    council = meeting_record(
        actor=actor_for(office),
        user=office,
        year=YEAR,
        data={
            "kind": "council",
            "held_on": TODAY - timedelta(days=1),
            "members_present": [chair, secretary],
            "attendees": "Đại diện Phòng GD&ĐT các quận, huyện",
            "minutes": "Hội đồng thống nhất đề nghị công nhận Đơn vị HP-A.",
        },
    )
    signed_minutes = meeting_file_attach(
        actor=actor_for(office),
        user=office,
        meeting=council,
        kind="minutes",
        title="Biên bản họp Hội đồng (đã ký)",
        file=raw_file("bien-ban.pdf", PDF_V2),
    )
    assert council.attendees.splitlines() == [
        "Nguyễn Văn A — Chủ tịch Hội đồng",
        "Trần Thị B — Thư ký",
        "Đại diện Phòng GD&ĐT các quận, huyện",
    ]
    for unit, decision in ((world.district_a, "recognized"), (world.district_b, "not_recognized")):
        decision_record(
            actor=actor_for(committee),
            unit=unit,
            year=YEAR,
            user=committee,
            data={"meeting": council, "decision": decision, "number": "12/QĐ-HĐĐG", "note": ""},
        )

    # The committee meets: task 4 is done; the city is recognised on the districts' recognitions.
    meeting = meeting_record(
        actor=actor_for(committee),
        user=committee,
        year=YEAR,
        data={"kind": "committee", "held_on": TODAY, "plan_task": PlanTask.objects.get(number=4)},
    )
    decision_record(
        actor=actor_for(committee),
        unit=world.city,
        year=YEAR,
        user=committee,
        data={"meeting": meeting, "decision": "not_recognized", "number": "45/QĐ-BCĐ", "note": ""},
    )
    # The People's Committee's decision, once issued, is attached to the district's recognition.
    attached = decision_document_attach(
        actor=actor_for(office),
        user=office,
        decision=CommitteeDecision.objects.get(unit=world.district_a),
        data={
            "number": "1234/QĐ-UBND",
            "issued_on": TODAY,
            "issuer": "UBND thành phố Hải Phòng",
            "signer": "Nguyễn Văn A",
        },
        file=raw_file("quyet-dinh.pdf", PDF),
    )
    assert attached.sha256 == hashlib.sha256(PDF).hexdigest()
    task = PlanTask.objects.get(number=4)
    assert task.completed_on == TODAY
    assert not task.is_overdue(TODAY + timedelta(days=400))

    # Three records frozen, each verifying; the city's counted 1 of 2 districts recognised.
    records = {record.unit.code: record for record in FrozenRecord.objects.select_related("unit")}
    assert set(records) == {"HP-A", "HP-B", "HP"}
    assert all(verify(record).ok for record in records.values())
    district_record = json.loads(records["HP-A"].content)
    assert [(v["code"], v["status"]) for v in district_record["values"]] == [
        ("1.1.1", "approved"),
        ("1.1.2", "approved"),
    ]
    assert district_record["results"]["verdict"] == "recognized"
    assert [e["sha256"] for e in district_record["evidence"]] == [
        hashlib.sha256(PDF).hexdigest(),
        hashlib.sha256(PDF_V2).hexdigest(),
    ]
    city_results = {
        r["code"]: r for r in json.loads(records["HP"].content)["results"]["indicators"]
    }
    assert city_results["2.1.4"]["explanation"] == (
        "1/2 quận/huyện được công nhận = 50,00 % ≥ 50 % — Đạt"
    )
    assert city_results["1.1.2"]["explanation"] == "56/80 = 70,00 % ≥ 70 % — Đạt"

    # The documents: the report to sign, with the standing office's narrative, and the minutes,
    # each linked from the portal with its print page; the signed minutes kept with the meeting.
    narrative_save(
        actor=actor_for(office),
        user=office,
        unit=world.city,
        year=YEAR,
        data={"recommendations": "Đề nghị nhân rộng mô hình sau thí điểm."},
    )
    client = client_for("committee")
    dashboard = client.get(reverse("evaluation:city", args=[YEAR])).content.decode()
    assert f'href="{reverse("evaluation:report_print", args=[YEAR])}' in dashboard
    report = texts(
        Document(BytesIO(client.get(reverse("evaluation:report_document", args=[YEAR])).content))
    )
    assert "BÁO CÁO" in report
    assert report.index("III. ĐỀ XUẤT, KIẾN NGHỊ") + 1 == report.index(
        "Đề nghị nhân rộng mô hình sau thí điểm."
    )
    meetings_page = client.get(reverse("evaluation:meetings", args=[YEAR])).content.decode()
    minutes_url = reverse("evaluation:meeting_minutes", args=[YEAR, meeting.pk])
    assert f'href="{minutes_url}"' in meetings_page
    assert reverse("evaluation:meeting_minutes_print", args=[YEAR, meeting.pk]) in meetings_page
    signed_url = reverse(
        "evaluation:meeting_file_download", args=[YEAR, council.pk, signed_minutes.pk]
    )
    assert f'href="{signed_url}"' in meetings_page
    minutes = Document(BytesIO(client.get(minutes_url).content))
    assert "BIÊN BẢN" in texts(minutes)
    council_minutes = texts(
        Document(
            BytesIO(
                client.get(reverse("evaluation:meeting_minutes", args=[YEAR, council.pk])).content
            )
        )
    )
    assert "- Nguyễn Văn A — Chủ tịch Hội đồng;" in council_minutes
    for name, kind in (
        ("proposal_document", "TỜ TRÌNH"),
        ("decision_draft_document", "QUYẾT ĐỊNH"),
    ):
        lines = texts(
            Document(BytesIO(client.get(reverse(f"evaluation:{name}", args=[YEAR])).content))
        )
        assert kind in lines
        assert "Đơn vị HP-A" in lines  # recognised, so proposed
        assert "Đơn vị HP-B" not in lines

    # A live value changes: the record stays and verifies; the dashboard names the difference.
    before = records["HP"].content
    # The division corrects the approved figure; the standing office approves it again.
    approve(
        office,
        enter(
            personas["division"],
            world.city,
            world.indicator("1.1.2"),
            MeasurementData(numerator=50, denominator=80),
        ),
    )
    city_record = FrozenRecord.objects.get(unit=world.city)
    assert city_record.content == before
    assert verify(city_record).ok
    dashboard = client.get(reverse("evaluation:city", args=[YEAR])).content.decode()
    flagged = dashboard.split('id="record-differences"')[1].split("</div>")[0]
    assert "1.1.2" in flagged
    assert "50/80 = 62,50 %" in flagged
