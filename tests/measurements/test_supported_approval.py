"""A yes/no entry that says «yes» is approved only with a document attached or an explanation
recorded (issue 13.8): the committee signs the claim, not the tick. Before, «Có» was approved on
its own."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assignments.permissions import actor_for
from evidence import services as evidence_services
from evidence.models import Explanation
from evidence.services import DocumentMetadata
from measurements import services
from measurements.models import Measurement
from tests.conftest import YEAR
from tests.evidence.conftest import PDF, evidence_dir, raw_file  # noqa: F401 (a fixture)

# Uploads go to a temporary storage (the evidence tests' fixture).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("evidence_dir")]


def submitted(world, code: str, **values) -> Measurement:
    return Measurement.objects.create(
        indicator=world.indicator(code), unit=world.city, year=YEAR, status="submitted", **values
    )


def approve(personas, entry: Measurement) -> Measurement:
    office = personas["standing_office"]
    return services.measurement_approve(
        actor=actor_for(office), user=office, measurement=entry, seen_version=entry.version
    )


def attach(personas, world, code: str):
    office = personas["standing_office"]
    return evidence_services.document_upload(
        actor=actor_for(office),
        user=office,
        unit=world.city,
        year=YEAR,
        indicators=[world.indicator(code)],
        metadata=DocumentMetadata(title="Nghị quyết HĐND thành phố"),
        file=raw_file("nghi-quyet.pdf", PDF),
    )


def test_a_yes_alone_is_not_approved(world, personas):
    entry = submitted(world, "1.1.1", yes=True)
    version = entry.version
    with pytest.raises(ValidationError) as refusal:
        approve(personas, entry)
    assert refusal.value.messages == [
        "Chỉ báo 1.1.1 của Đơn vị HP ghi «Có»: hãy đính kèm minh chứng hoặc ghi giải trình trước "
        "khi duyệt."
    ]
    entry.refresh_from_db()
    assert (entry.status, entry.version) == ("submitted", version)


def test_a_yes_with_a_document_attached_is_approved(world, personas):
    attach(personas, world, "1.1.1")
    assert approve(personas, submitted(world, "1.1.1", yes=True)).status == "approved"


def test_a_yes_with_an_explanation_is_approved(world, personas):
    Explanation.objects.create(
        unit=world.city,
        year=YEAR,
        indicator=world.indicator("1.1.1"),
        text="Văn bản đang trình ký.",
        author=personas["division"],
    )
    assert approve(personas, submitted(world, "1.1.1", yes=True)).status == "approved"


def test_a_document_withdrawn_supports_nothing(world, personas):
    document = attach(personas, world, "1.1.1")
    office = personas["standing_office"]
    evidence_services.document_withdraw(
        actor=actor_for(office), user=office, document=document, reason="Nhầm tệp"
    )
    with pytest.raises(ValidationError):
        approve(personas, submitted(world, "1.1.1", yes=True))


def test_a_document_of_another_indicator_supports_nothing(world, personas):
    attach(personas, world, "1.1.2")
    with pytest.raises(ValidationError):
        approve(personas, submitted(world, "1.1.1", yes=True))


def test_a_no_and_a_share_need_nothing_attached(world, personas):
    assert approve(personas, submitted(world, "1.1.1", yes=False)).status == "approved"
    share = submitted(world, "2.1.3", numerator=1, denominator=2)
    assert approve(personas, share).status == "approved"


def test_several_at_once_are_refused_together_and_each_named(client_for, world, personas):
    entries = [submitted(world, "1.1.1", yes=True), submitted(world, "2.1.3", value=1)]
    data = {"ids": [e.pk for e in entries], **{f"seen-{e.pk}": e.version for e in entries}}
    response = client_for("standing_office").post(
        reverse("measurements:review_approve"), data, follow=True
    )
    assert "Chỉ báo 1.1.1 của Đơn vị HP ghi «Có»" in response.content.decode()
    assert set(Measurement.objects.values_list("status", flat=True)) == {"submitted"}
