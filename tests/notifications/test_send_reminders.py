"""`manage.py send_reminders`: each reminder of a plan task once, on its day, run hourly."""

from datetime import date
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from assignments.models import PlanTask, PlanTaskAssignment, Role
from notifications.models import Notification
from notifications.services import due_reminder

pytestmark = pytest.mark.django_db


@pytest.fixture
def task(world, personas, settings):
    """Task 1, due 31/12/2022, led by district A's office; the standing office is told too."""
    settings.EMAIL_CONFIGURED = True
    for name in ("district_a", "standing_office"):
        personas[name].email = f"{name}@example.vn"
        personas[name].save()
    task = PlanTask.objects.create(number=1, content="Tổng kết năm", due_date=date(2022, 12, 31))
    PlanTaskAssignment.objects.create(task=task, department=world.office_a, role=Role.LEAD)
    return task


def run(today: str, capture) -> str:
    out = StringIO()
    with capture(execute=True):
        call_command("send_reminders", "--today", today, stdout=out)
    return out.getvalue()


def test_run_twice_sends_each_reminder_once(task, django_capture_on_commit_callbacks):
    assert run("24/12/2022", django_capture_on_commit_callbacks) == "2 reminder(s) created.\n"
    assert run("24/12/2022", django_capture_on_commit_callbacks) == "0 reminder(s) created.\n"
    assert run("25/12/2022", django_capture_on_commit_callbacks) == "0 reminder(s) created.\n"
    assert Notification.objects.count() == len(mail.outbox) == 2
    recipients = {tuple(message.to) for message in mail.outbox}
    assert recipients == {("district_a@example.vn",), ("standing_office@example.vn",)}
    assert run("30/12/2022", django_capture_on_commit_callbacks) == "2 reminder(s) created.\n"
    assert run("01/01/2023", django_capture_on_commit_callbacks) == "2 reminder(s) created.\n"
    assert run("01/01/2023", django_capture_on_commit_callbacks) == "0 reminder(s) created.\n"
    assert Notification.objects.count() == len(mail.outbox) == 6
    kinds = Notification.objects.filter(recipient__username="pgd_a").values_list("kind", flat=True)
    assert sorted(kinds) == ["task_due_1", "task_due_7", "task_overdue"]


def test_the_reminder_text_names_the_task_and_its_date(task, django_capture_on_commit_callbacks):
    run("24/12/2022", django_capture_on_commit_callbacks)
    notification = Notification.objects.filter(recipient__username="pgd_a").get()
    assert (
        notification.sentence.vietnamese()
        == "Nhiệm vụ kế hoạch 1 «Tổng kết năm» đến hạn ngày 31/12/2022, còn 7 ngày."
    )


def test_a_reminder_written_late_says_the_days_actually_left(
    task, django_capture_on_commit_callbacks
):
    """A timer that was off for three days: the first reminder says 4 days, not 7."""
    run("27/12/2022", django_capture_on_commit_callbacks)
    notification = Notification.objects.filter(recipient__username="pgd_a").get()
    assert notification.sentence.vietnamese().endswith("đến hạn ngày 31/12/2022, còn 4 ngày.")


def test_on_the_day_itself_the_reminder_says_today(task, django_capture_on_commit_callbacks):
    run("31/12/2022", django_capture_on_commit_callbacks)
    notification = Notification.objects.filter(recipient__username="pgd_a").get()
    assert (
        notification.sentence.vietnamese()
        == "Nhiệm vụ kế hoạch 1 «Tổng kết năm» đến hạn hôm nay, 31/12/2022."
    )


def test_a_done_task_gets_no_reminder(task, django_capture_on_commit_callbacks):
    task.completed_on = date(2022, 12, 20)
    task.save()
    assert run("30/12/2022", django_capture_on_commit_callbacks) == "0 reminder(s) created.\n"


@pytest.mark.parametrize(
    ("today", "kind"),
    [
        (date(2022, 12, 23), None),
        (date(2022, 12, 24), "task_due_7"),
        (date(2022, 12, 29), "task_due_7"),
        (date(2022, 12, 30), "task_due_1"),
        (date(2022, 12, 31), "task_due_1"),
        (date(2023, 1, 1), "task_overdue"),
        (date(2023, 1, 7), "task_overdue"),
        (date(2023, 1, 8), None),
    ],
)
def test_which_reminder_is_due_on_which_day(today, kind):
    task = PlanTask(number=1, content="x", due_date=date(2022, 12, 31))
    assert due_reminder(task, today) == kind
