"""What the import commands share: a list read from a file, or every problem it has."""

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from django.core.management import CommandError
from django.utils.translation import gettext

from .excel import WorkbookError, read_workbook_file

T = TypeVar("T")


def read_list_file(path: Path, read: Callable[[bytes], T]) -> T:
    """The file at `path` as `read` makes it out; a CommandError listing each of its problems
    otherwise (nothing is written: the command stops before)."""
    try:
        return read(read_workbook_file(path))
    except WorkbookError as error:
        heading = gettext("The file has %(count)s problems; nothing was written:") % {
            "count": len(error.messages)
        }
        lines = "\n".join(f"  - {message}" for message in error.messages)
        raise CommandError(f"{heading}\n{lines}") from error
