"""Checks of an uploaded evidence file, before anything is stored: its name, size and content.

Only an allowlist of document types is accepted (evidence/filetypes.py), recognised by their
content — magic bytes, then a deeper look (evidence/inspection.py: a PDF parses, an image decodes,
a document package has no foreign part) — and by an extension that agrees with it. Each refusal
raises `UploadRefused` (a ValidationError) with a message a district officer understands; nothing
is written anywhere while checking. The whole file is read in chunks (to compute its SHA-256 and
size, and again by the deeper look): never into memory at once.

The uploader's file name is only displayed: it is reduced to its last component and the file is
stored under a generated name (`stored_name`).
"""

import hashlib
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.files import File
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .filetypes import (
    ALLOWED_LIST,
    ALLOWED_TYPES,
    CHUNK_SIZE,
    DOC,
    DOCX,
    EXECUTABLE_MAGICS,
    FORBIDDEN_CATEGORIES,
    JPEG,
    JPEG_MAGIC,
    ODS,
    ODT,
    OLE2_MAGIC,
    PDF,
    PNG,
    PNG_MAGIC,
    TYPE_NAMES,
    XLS,
    ZIP_MAGIC,
    UploadRefused,
)
from .inspection import inspect

MB = 1024 * 1024
MAX_NAME_LENGTH = 255


@dataclass(frozen=True)
class CheckedUpload:
    """What the checks learned of an accepted file."""

    original_name: str
    extension: str
    content_type: str
    sha256: str
    size: int


def max_upload_bytes() -> int:
    return settings.EVIDENCE_MAX_UPLOAD_BYTES


def format_size(size: int) -> str:
    """A size as people read it: "25 MB" for whole megabytes, else Django's localized format."""
    if size >= MB and size % MB == 0:
        return f"{size // MB} MB"
    return filesizeformat(size)


def clean_name(name: str | None) -> tuple[str, str]:
    """The name to display (last path component, NFC) and its lower-case extension.

    Refuses a missing name, control or invisible characters, and an extension not on the list
    (including a double extension such as "bao-cao.pdf.exe": only the last part counts).
    """
    if name and any(unicodedata.category(char) in FORBIDDEN_CATEGORIES for char in name):
        raise UploadRefused(
            _("The file name contains control characters: rename the file and upload it again."),
            code="name_control_characters",
        )
    display = unicodedata.normalize("NFC", (name or "").replace("\\", "/")).rsplit("/", 1)[-1]
    display = display.strip()
    if display in {"", ".", ".."}:
        raise UploadRefused(_("The file has no name."), code="name_missing")
    stem, dot, extension = display.rpartition(".")
    extension = f".{extension.lower()}" if dot and stem else ""
    if extension not in ALLOWED_TYPES:
        if extension:
            message = _(
                "«%(name)s» is a %(extension)s file, which is not accepted. "
                "Accepted types: %(allowed)s."
            )
        else:
            message = _("«%(name)s» has no known extension. Accepted types: %(allowed)s.")
        raise UploadRefused(
            message,
            code="extension_not_allowed",
            params={"name": display, "extension": extension, "allowed": ALLOWED_LIST},
        )
    if len(display) > MAX_NAME_LENGTH:
        display = stem[: MAX_NAME_LENGTH - len(extension)] + extension
    return display, extension


def check_size(file: File) -> None:
    """Refuse an empty file or one above settings.EVIDENCE_MAX_UPLOAD_BYTES (by its declared size;
    `digest` checks the bytes actually read)."""
    if not file.size:
        raise UploadRefused(_("The file is empty."), code="empty")
    if file.size > max_upload_bytes():
        raise _too_large()


def _too_large() -> UploadRefused:
    return UploadRefused(
        _("The file is larger than the %(limit)s limit."),
        code="too_large",
        params={"limit": format_size(max_upload_bytes())},
    )


def _head(file: File, length: int = 16) -> bytes:
    file.seek(0)
    head = file.read(length)
    file.seek(0)
    return head


def _zip_names(file: File) -> list[str]:
    file.seek(0)
    with zipfile.ZipFile(file) as archive:
        return archive.namelist()


def _opendocument_mimetype(file: File) -> str:
    """The `mimetype` member of an OpenDocument file, which the format requires to come first."""
    file.seek(0)
    with zipfile.ZipFile(file) as archive:
        first = archive.infolist()[0]
        if first.filename != "mimetype":
            return ""
        with archive.open(first) as member:
            return member.read(100).decode("ascii", "replace").strip()


def _content_matches(file: File, content_type: str, head: bytes) -> bool:
    if content_type == PDF:
        return head.startswith(b"%PDF-")
    if content_type in (DOC, XLS):
        return head.startswith(OLE2_MAGIC)
    if content_type == JPEG:
        return head.startswith(JPEG_MAGIC)
    if content_type == PNG:
        return head.startswith(PNG_MAGIC)
    if not head.startswith(ZIP_MAGIC):
        return False
    try:
        if content_type in (ODT, ODS):
            return _opendocument_mimetype(file) == content_type
        names = _zip_names(file)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, IndexError):
        return False
    finally:
        file.seek(0)
    folder = "word/" if content_type == DOCX else "xl/"
    return "[Content_Types].xml" in names and any(n.startswith(folder) for n in names)


def check_content(file: File, name: str, extension: str) -> str:
    """The detected content type, when the content is of the type the extension names — by its
    first bytes, then all through (evidence/inspection.py)."""
    head = _head(file)
    if head.startswith(EXECUTABLE_MAGICS):
        raise UploadRefused(
            _("«%(name)s» is a program, not a document: it is not accepted."),
            code="executable",
            params={"name": name},
        )
    content_type = ALLOWED_TYPES[extension]
    if not _content_matches(file, content_type, head):
        raise UploadRefused(
            _(
                "The content of «%(name)s» is not %(type)s, as its extension says: the file may "
                "be damaged or renamed. Accepted types: %(allowed)s."
            ),
            code="content_mismatch",
            params={"name": name, "type": TYPE_NAMES[content_type], "allowed": ALLOWED_LIST},
        )
    inspect(file, name, content_type)
    return content_type


def digest(file: File) -> tuple[str, int]:
    """SHA-256 (hex) and size of the file, read in chunks; refuses an empty or oversize file."""
    sha256 = hashlib.sha256()
    size = 0
    limit = max_upload_bytes()
    for chunk in file.chunks(CHUNK_SIZE):
        size += len(chunk)
        if size > limit:
            raise _too_large()
        sha256.update(chunk)
    file.seek(0)
    if size == 0:
        raise UploadRefused(_("The file is empty."), code="empty")
    return sha256.hexdigest(), size


def check_upload(file: File, name: str | None = None) -> CheckedUpload:
    """Every check, cheapest first; `name` defaults to the file's own (the uploader's) name."""
    original_name, extension = clean_name(file.name if name is None else name)
    check_size(file)
    content_type = check_content(file, original_name, extension)
    sha256, size = digest(file)
    return CheckedUpload(original_name, extension, content_type, sha256, size)


def stored_name(year: int, extension: str) -> str:
    """A generated storage name: nothing of the uploader's name reaches the storage."""
    if extension not in ALLOWED_TYPES:
        raise ValueError(f"Not an accepted extension: {extension!r}")
    return f"evidence/{year}/{uuid.uuid4().hex}{extension}"
