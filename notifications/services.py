"""Writes of notifications: `notify` creates them and sends their e-mail after the commit."""

import logging
from collections.abc import Iterable
from datetime import date, timedelta
from smtplib import SMTPException

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext_noop

from assignments.models import AccountSettings, PlanTask, Unit
from common.sentences import Sentence
from criteria.models import Indicator

from .models import Notification
from .selectors import task_recipients, value_recipients

logger = logging.getLogger(__name__)


def notify(
    *,
    recipients: Iterable[User],
    kind: str,
    sentence: Sentence,
    link: str,
    key: str = "",
) -> list[Notification]:
    """Create one notification per recipient and, after the commit, e-mail it to each one who has
    an address and wants e-mail, when the portal's mail is configured (`EMAIL_CONFIGURED`).

    With a `key` (reminders), a recipient who already has a notification with that key gets
    nothing: the same reminder is never created, nor sent, twice."""
    created = []
    for recipient in recipients:
        if key:
            if Notification.objects.filter(recipient=recipient, key=key).exists():
                continue
            try:
                with transaction.atomic():  # a concurrent run may have created it meanwhile
                    notification = Notification.objects.create(
                        recipient=recipient, kind=kind, link=link, key=key, **_stored(sentence)
                    )
            except IntegrityError:
                continue
        else:
            notification = Notification.objects.create(
                recipient=recipient, kind=kind, link=link, **_stored(sentence)
            )
        created.append(notification)
    if created and settings.EMAIL_CONFIGURED:
        opted_out = set(
            AccountSettings.objects.filter(
                user__in=[n.recipient_id for n in created], wants_email=False
            ).values_list("user_id", flat=True)
        )
        mails = [n for n in created if n.recipient.email and n.recipient_id not in opted_out]
        if mails:
            transaction.on_commit(lambda: _send(mails))
    return created


def _stored(sentence: Sentence) -> dict[str, object]:
    """A notification's sentence as its row keeps it: figures of text only (a year is written as
    text, never as a number the page would group as "2.022")."""
    if not all(isinstance(value, str) for value in sentence.figures.values()):
        raise TypeError("A notification's figures are texts.")
    return {"message": sentence.message, "figures": dict(sentence.figures)}


def _send(notifications: list[Notification]) -> None:
    """One e-mail per notification, in Vietnamese (the notification's own language). A mail
    server that fails is logged, never turned into an error page: the notification itself is
    already saved and shows in the portal."""
    with translation.override("vi"):
        for notification in notifications:
            context = {"notification": notification, "portal_url": settings.PORTAL_URL}
            subject = render_to_string("notifications/email_subject.txt", context)
            body = render_to_string("notifications/email_body.txt", context)
            try:
                send_mail(
                    " ".join(subject.split()),
                    body,
                    settings.DEFAULT_FROM_EMAIL,
                    [notification.recipient.email],
                )
            except (OSError, SMTPException):
                logger.exception("Notification %s: the e-mail could not be sent.", notification.pk)


def notify_value_reviewed(
    *, indicator: Indicator, unit: Unit, year: int, approved: bool, comment: str = ""
) -> list[Notification]:
    """Tell the departments that enter this value that it was approved, or returned (with the
    reviewer's comment)."""
    params = {"code": indicator.code, "unit": unit.name, "year": str(year), "comment": comment}
    if approved:
        kind = Notification.Kind.VALUE_APPROVED
        message = gettext_noop(
            "The value of indicator %(code)s of %(unit)s for %(year)s was approved."
        )
    else:
        kind = Notification.Kind.VALUE_RETURNED
        message = gettext_noop(
            "The value of indicator %(code)s of %(unit)s for %(year)s was returned: %(comment)s"
        )
    link = reverse(
        "measurements:measurement",
        kwargs={"year": year, "unit_code": unit.code, "code": indicator.code},
    )
    return notify(
        recipients=value_recipients(indicator, unit),
        kind=kind,
        sentence=Sentence(message, params),
        link=link,
    )


def notify_document_reviewed(
    *,
    document_id: int,
    title: str,
    unit: Unit,
    year: int,
    uploader: User,
    approved: bool,
    comment: str = "",
) -> list[Notification]:
    """Tell the person who uploaded a document that it was approved, or that more is needed."""
    params = {"title": title, "unit": unit.name, "year": str(year), "comment": comment}
    if approved:
        kind = Notification.Kind.DOCUMENT_APPROVED
        message = gettext_noop("The document «%(title)s» of %(unit)s for %(year)s was approved.")
    else:
        kind = Notification.Kind.DOCUMENT_NEEDS_MORE
        message = gettext_noop(
            "The document «%(title)s» of %(unit)s for %(year)s needs more: %(comment)s"
        )
    link = reverse("evidence:document_detail", kwargs={"pk": document_id})
    recipients = [uploader] if uploader.is_active else []
    return notify(recipients=recipients, kind=kind, sentence=Sentence(message, params), link=link)


#: How many days after the due date the overdue reminder may still go out (a missed hourly run
#: is caught up; a task long overdue when the portal starts reminding is not announced again).
OVERDUE_WINDOW = 7


def _reminder(kind: str, task: PlanTask, today: date) -> Sentence:
    """The reminder's sentence, with the days actually left on the day it is written (a run that
    caught up a missed day says so)."""
    days = (task.due_date - today).days
    params = {
        "number": str(task.number),
        "content": task.content,
        "date": date_format(task.due_date, "SHORT_DATE_FORMAT"),
        "days": str(days),
    }
    if kind == Notification.Kind.TASK_DUE_7:
        message = gettext_noop(
            "Plan task %(number)s «%(content)s» is due on %(date)s, in %(days)s days."
        )
    elif kind == Notification.Kind.TASK_DUE_1 and days == 0:
        message = gettext_noop("Plan task %(number)s «%(content)s» is due today, %(date)s.")
    elif kind == Notification.Kind.TASK_DUE_1:
        message = gettext_noop("Plan task %(number)s «%(content)s» is due tomorrow, %(date)s.")
    else:
        message = gettext_noop(
            "Plan task %(number)s «%(content)s» was due on %(date)s and is not done."
        )
    return Sentence(message, params)


def due_reminder(task: PlanTask, today: date) -> str | None:
    """The reminder of an open task whose day has come, the latest of them, or None.

    Days left until the due date: 7 to 2 → due in 7 days; 1 or 0 (the eve, the day) → due
    tomorrow; −1 to −OVERDUE_WINDOW → overdue. A run that missed a day still sends the reminder
    of the window it falls in; a window skipped entirely is not sent late."""
    if task.due_date is None or task.completed_on is not None:
        return None
    days_left = (task.due_date - today).days
    if -OVERDUE_WINDOW <= days_left <= -1:
        return Notification.Kind.TASK_OVERDUE
    if 0 <= days_left <= 1:
        return Notification.Kind.TASK_DUE_1
    if 2 <= days_left <= 7:
        return Notification.Kind.TASK_DUE_7
    return None


def reminders_send(*, today: date | None = None) -> int:
    """Create (and e-mail) the plan-task reminders whose day has come; never one twice. Safe to
    run every hour. Returns how many notifications were created."""
    today = today or timezone.localdate()
    tasks = PlanTask.objects.filter(
        completed_on__isnull=True,
        due_date__lte=today + timedelta(days=7),
        due_date__gte=today - timedelta(days=OVERDUE_WINDOW),
    )
    created = 0
    link = reverse("assignments:overview") + "#plan-tasks"
    for task in tasks.order_by("number"):
        kind = due_reminder(task, today)
        if kind is None:
            continue
        sentence = _reminder(kind, task, today)
        key = f"task-{task.pk}-{kind}-{task.due_date.isoformat()}"
        with transaction.atomic():
            created += len(
                notify(
                    recipients=task_recipients(task),
                    kind=kind,
                    sentence=sentence,
                    link=link,
                    key=key,
                )
            )
    return created


def notification_open(*, notification: Notification) -> Notification:
    """Mark a notification read (the first time it is opened)."""
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user: User) -> int:
    """Mark every unread notification of the person read; returns how many."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
