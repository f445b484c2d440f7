"""The bell, the list of notifications, opening one, and the e-mail setting."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assignments.models import AccountSettings
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def make(user, text="Giá trị chỉ báo 2.1.3 đã bị trả lại", link="/my-work/", **kw):
    return Notification.objects.create(
        recipient=user,
        kind=Notification.Kind.VALUE_RETURNED,
        message="%(text)s",
        figures={"text": text},
        link=link,
        **kw,
    )


def test_the_bell_shows_the_persons_own_unread_count(client_for, personas):
    for _ in range(3):
        make(personas["district_a"])
    make(personas["district_b"])
    html = client_for("district_a").get(reverse("notifications:list")).content.decode()
    assert "Thông báo" in html
    assert '<span class="badge text-bg-danger" aria-hidden="true">3</span>' in html
    assert "(3 chưa đọc)" in html


def test_the_bell_shows_no_count_without_unread_notifications(client_for, personas):
    make(personas["district_b"])
    html = client_for("district_a").get(reverse("notifications:list")).content.decode()
    assert "chưa đọc)" not in html


def test_opening_a_notification_marks_it_read_and_goes_to_its_link(client_for, personas):
    notification = make(personas["district_a"])
    response = client_for("district_a").get(reverse("notifications:open", args=[notification.pk]))
    assert response.status_code == 302
    assert response["Location"] == "/my-work/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_opening_another_persons_notification_is_404(client_for, personas):
    notification = make(personas["district_b"])
    response = client_for("district_a").get(reverse("notifications:open", args=[notification.pk]))
    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_an_outside_link_is_not_followed(client_for, personas):
    notification = make(personas["district_a"], link="//evil.example/")
    response = client_for("district_a").get(reverse("notifications:open", args=[notification.pk]))
    assert response["Location"] == reverse("notifications:list")


def test_mark_all_read_marks_only_ones_own(client_for, personas):
    make(personas["district_a"])
    other = make(personas["district_b"])
    client_for("district_a").post(reverse("notifications:read_all"))
    assert not Notification.objects.filter(recipient=personas["district_a"], read_at=None)
    other.refresh_from_db()
    assert other.read_at is None


def test_a_person_turns_email_off_and_on(client_for, personas):
    client = client_for("district_a")
    client.post(reverse("notifications:email"), {"email": "off"})
    assert AccountSettings.objects.get(user=personas["district_a"]).wants_email is False
    client.post(reverse("notifications:email"), {"email": "on"})
    assert AccountSettings.objects.get(user=personas["district_a"]).wants_email is True


def test_the_list_is_newest_first(client_for, personas):
    make(personas["district_a"], text="Cũ hơn")
    make(personas["district_a"], text="Mới hơn")
    html = client_for("district_a").get(reverse("notifications:list")).content.decode()
    assert html.index("Mới hơn") < html.index("Cũ hơn")


def test_the_list_queries_stay_bounded(client_for, personas, django_assert_max_num_queries):
    for number in range(60):
        make(personas["district_a"], text=f"Thông báo số {number}")
    client = client_for("district_a")
    with django_assert_max_num_queries(10):  # 60 notifications cost what one does
        response = client.get(reverse("notifications:list"))
    assert response.status_code == 200


def test_a_page_with_the_bell_reads_the_count_once(client_for, personas):
    make(personas["district_a"])
    client = client_for("district_a")
    with CaptureQueriesContext(connection) as captured:
        html = client.get(reverse("assignments:overview")).content.decode()
    assert "(1 chưa đọc)" in html
    counts = [q for q in captured.captured_queries if "notifications_notification" in q["sql"]]
    assert len(counts) == 1


def test_a_notification_is_said_in_the_readers_language(client_for, personas, settings):
    Notification.objects.create(
        recipient=personas["district_a"],
        kind=Notification.Kind.VALUE_RETURNED,
        message=(
            "The value of indicator %(code)s of %(unit)s for %(year)s was returned: %(comment)s"
        ),
        figures={"code": "2.1.3", "unit": "Quận A", "year": "2022", "comment": "Thiếu quý IV"},
        link="/my-work/",
    )
    client = client_for("district_a")
    page = client.get(reverse("notifications:list")).content.decode()
    assert "Số liệu chỉ báo 2.1.3 của Quận A năm 2022 bị trả lại: Thiếu quý IV" in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("notifications:list")).content.decode()
    assert (
        'The value of indicator 2.1.3 of <span lang="vi">Quận A</span> for 2022 was returned: '
        '<span lang="vi">Thiếu quý IV</span>' in page
    )
