"""Notifications of reviews: who receives them, in the portal and by e-mail."""

import pytest
from django.core import mail
from django.urls import reverse

from assignments.models import AccountSettings
from assignments.permissions import actor_for
from common.sentences import Sentence
from evidence import services as evidence_services
from measurements.models import Measurement
from notifications import services
from notifications.models import Notification
from tests.conftest import YEAR

pytestmark = pytest.mark.django_db


@pytest.fixture
def mail_on(settings):
    settings.EMAIL_CONFIGURED = True
    settings.PORTAL_URL = "https://hoctap.example"


@pytest.fixture
def submitted(world):
    """District A's 2.1.3, submitted: district A's office enters it."""
    return Measurement.objects.create(
        indicator=world.indicator("2.1.3"),
        unit=world.district_a,
        year=YEAR,
        numerator=1,
        denominator=3000,
        status=Measurement.Status.SUBMITTED,
    )


def return_entry(client, measurement, comment="Thiếu số liệu quý IV"):
    url = reverse("measurements:review_return", args=[measurement.pk])
    return client.post(url, {"comment": comment, "version": measurement.version})


def test_a_returned_value_notifies_the_district_office_in_the_portal_and_by_mail(
    client_for, personas, submitted, mail_on, django_capture_on_commit_callbacks
):
    office_a = personas["district_a"]
    office_a.email = "pgd.a@example.vn"
    office_a.save()
    with django_capture_on_commit_callbacks(execute=True):
        return_entry(client_for("standing_office"), submitted)
    (notification,) = Notification.objects.all()
    expected = "Số liệu chỉ báo 2.1.3 của Đơn vị HP-A năm 2022 bị trả lại: Thiếu số liệu quý IV"
    assert (notification.recipient, notification.sentence.vietnamese()) == (office_a, expected)
    assert notification.kind == Notification.Kind.VALUE_RETURNED
    assert notification.link == reverse("measurements:measurement", args=[YEAR, "HP-A", "2.1.3"])
    (message,) = mail.outbox
    assert message.to == ["pgd.a@example.vn"]
    assert message.subject == "Cổng Thành phố học tập: Số liệu bị trả lại"
    assert expected in message.body
    assert "https://hoctap.example/data/2022/HP-A/2.1.3/" in message.body


def test_a_person_who_turned_email_off_gets_the_portal_notification_only(
    client_for, personas, submitted, mail_on, django_capture_on_commit_callbacks
):
    office_a = personas["district_a"]
    office_a.email = "pgd.a@example.vn"
    office_a.save()
    AccountSettings.objects.create(user=office_a, wants_email=False)
    with django_capture_on_commit_callbacks(execute=True):
        return_entry(client_for("standing_office"), submitted)
    assert Notification.objects.get().recipient == office_a
    assert mail.outbox == []


def test_no_mail_when_mail_is_not_configured(
    client_for, personas, submitted, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_CONFIGURED = False
    personas["district_a"].email = "pgd.a@example.vn"
    personas["district_a"].save()
    with django_capture_on_commit_callbacks(execute=True):
        return_entry(client_for("standing_office"), submitted)
    assert Notification.objects.count() == 1
    assert mail.outbox == []


def test_an_approved_city_value_notifies_the_assigned_divisions(
    client_for, personas, world, mail_on
):
    entry = Measurement.objects.create(
        indicator=world.indicator("1.1.2"),
        unit=world.city,
        year=YEAR,
        numerator=56,
        denominator=80,
        status=Measurement.Status.SUBMITTED,
    )
    data = {"ids": [entry.pk], f"seen-{entry.pk}": entry.version}
    client_for("standing_office").post(reverse("measurements:review_approve"), data)
    recipients = set(Notification.objects.values_list("recipient__username", flat=True))
    # 1.1.2: VP leads, GDTX (the standing office's own department) coordinates.
    assert recipients == {"vanphong", "thuongtruc"}
    assert Notification.objects.first().kind == Notification.Kind.VALUE_APPROVED


def test_a_document_needing_more_notifies_its_uploader(make_document, personas):
    document = make_document("district_a", title="Báo cáo tổng kết")
    standing = personas["standing_office"]
    evidence_services.document_request_more(
        actor=actor_for(standing),
        user=standing,
        document=document,
        comment="Thiếu chữ ký",
        seen_version=1,
    )
    notification = Notification.objects.get()
    assert notification.recipient == personas["district_a"]
    assert notification.sentence.vietnamese() == (
        "Minh chứng «Báo cáo tổng kết» của Đơn vị HP-A năm 2022 được yêu cầu bổ sung: Thiếu chữ ký"
    )
    assert notification.link == reverse("evidence:document_detail", args=[document.pk])


def test_a_failing_mail_server_leaves_the_notification_and_no_error(
    settings, personas, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    """The notification is saved and shows in the portal; the failure is logged."""
    settings.EMAIL_CONFIGURED = True
    recipient = personas["division"]
    recipient.email = "vanphong@example.vn"
    recipient.save()

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr("notifications.services.send_mail", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(
            recipients=[recipient], kind="value_approved", sentence=Sentence("Approved"), link="/"
        )
    assert Notification.objects.filter(recipient=recipient).count() == 1
    assert "the e-mail could not be sent" in caplog.text
