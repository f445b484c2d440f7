"""One workbook read at a time per person.

Reading a workbook is bounded (common/excel.py), but two or three bounded reads at once from one
person could still hold every worker. A `WorkbookReading` row per person is the lock: created in
its own transaction before the read, deleted after it; a second upload meanwhile is refused with a
message, on any worker and any server, since the database is what they share. A row left by a
worker killed mid-read is taken over once it is older than any read can last.
"""

from collections.abc import Callable
from datetime import timedelta
from typing import TypeVar

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .excel import WorkbookError
from .models import WorkbookReading

T = TypeVar("T")

#: Longer than any bounded read (common.excel.READ_SECONDS) and its planning can take.
ABANDONED_AFTER = timedelta(minutes=1)


def read_for(user: User, read: Callable[[bytes], T], data: bytes) -> T:
    """`read(data)` for a person who has no other workbook being read; a WorkbookError saying so
    when they have."""
    started_at = timezone.now()
    abandoned = started_at - ABANDONED_AFTER
    WorkbookReading.objects.filter(reader=user, started_at__lt=abandoned).delete()
    try:
        with transaction.atomic():
            WorkbookReading.objects.create(reader=user, started_at=started_at)
    except IntegrityError as error:
        raise WorkbookError(
            [_("Another file of yours is being read. Wait a few seconds, then upload again.")]
        ) from error
    try:
        return read(data)
    finally:
        WorkbookReading.objects.filter(reader=user, started_at=started_at).delete()
