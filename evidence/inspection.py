"""Deeper checks of an evidence file whose magic bytes already match its extension: that it is
what it says all the way through, not only in its first bytes.

- A **PDF** must parse (pypdf, lenient as viewers are: scanners write imperfect files) and have
  between one and `MAX_PDF_PAGES` pages, walked within `PDF_SECONDS`. Incremental updates (a
  signature added after the first `%%EOF`) are normal; a web page or a zip carried along is not.
- An **image** must decode: a JPEG's whole entropy-coded data at an eighth of its size (Pillow's
  draft mode: little memory however large the photo), a PNG's whole compressed data streamed
  through zlib, after Pillow checked every chunk's CRC. Pillow's decompression-bomb guard stays
  on, and more than `MAX_IMAGE_PIXELS` is refused.
- An **Office or OpenDocument** file must be a package of its type — its main part there, its
  manifest well-formed, no encrypted member, not inflating beyond `MAX_PACKAGE_BYTES` — with no
  foreign part: no program, web page or script among its members (by name or by content), no
  macros. An SVG picture in the media folder (Office inserts icons so) is accepted when nothing
  in it would run.
- An old **Word or Excel** file (.doc, .xls) must be a compound file (olefile) holding its main
  stream (`WordDocument`; `Workbook` or `Book`) and no macros (a `Macros` or `_VBA_PROJECT_CUR`
  storage): macros in old Office files are how most office malware arrives. Its text is not
  searched for markup: a document may quote a web page, and it is never shown as one.
- No accepted type may carry a web page (`<html`, `<script`…) or be readable as a zip at the same
  time (a polyglot), except the packages that are zips.

Each refusal is an `UploadRefused` naming the file and what to do; nothing is written.
"""

from __future__ import annotations

import io
import re
import struct
import warnings
import zipfile
import zlib
from time import monotonic
from typing import Any

from defusedxml import ElementTree
from django.core.files import File
from django.utils.translation import gettext as _

from .filetypes import (
    CHUNK_SIZE,
    DOC,
    DOCX,
    EXECUTABLE_MAGICS,
    JPEG,
    ODS,
    ODT,
    PDF,
    PNG,
    TYPE_NAMES,
    XLS,
    XLSX,
    UploadRefused,
)

MAX_PDF_PAGES = 2_000
PDF_SECONDS = 3.0
MAX_IMAGE_PIXELS = 150_000_000
MAX_PACKAGE_MEMBERS = 5_000
MAX_PACKAGE_BYTES = 250 * 1024 * 1024
HEAD = 1024
#: A zip's end record (22 bytes) and its comment (at most 65,535) close the file.
ZIP_END_REACH = 22 + 65_535

#: The start of a web page, in any case: what a browser would render or run.
WEB_PAGE = re.compile(rb"<(?:!doctype\s+html|html[\s>]|script[\s>/]|body[\s>]|iframe[\s>])", re.I)
#: Member names a document package never needs: programs, scripts, web pages, shortcuts.
FOREIGN_EXTENSIONS = frozenset(
    [
        ".exe",
        ".dll",
        ".com",
        ".scr",
        ".msi",
        ".bat",
        ".cmd",
        ".ps1",
        ".vbs",
        ".vbe",
        ".js",
        ".jse",
        ".wsf",
        ".wsh",
        ".hta",
        ".jar",
        ".sh",
        ".py",
        ".php",
        ".html",
        ".htm",
        ".xhtml",
        ".mht",
        ".mhtml",
        ".svg",
        ".lnk",
        ".url",
        ".reg",
        ".cpl",
        ".chm",
    ]
)
#: Where Office and OpenDocument keep inserted pictures, icons included (which may be SVG).
PICTURE_FOLDERS = ("word/media/", "xl/media/", "ppt/media/", "pictures/")
#: What makes an SVG picture run something in a browser: a script, an event handler, a link to one.
SVG_SCRIPT = re.compile(rb"<script|javascript:|\son[a-z]+\s*=|<foreignobject", re.I)
#: The part each package must have.
MAIN_PARTS = {
    DOCX: "word/document.xml",
    XLSX: "xl/workbook.xml",
    ODT: "content.xml",
    ODS: "content.xml",
}
#: The stream each old Office file must have (Excel 5 named it "Book").
OLE_MAIN_STREAMS = {DOC: ("worddocument",), XLS: ("workbook", "book")}
#: Where old Office files keep macros (VBA projects), in lower case.
OLE_MACRO_STORAGES = frozenset(["macros", "_vba_project_cur", "_vba_project", "vba"])


def inspect(file: File, name: str, content_type: str) -> None:
    """Refuse a file of `content_type` (its magic bytes checked) that is not one all through."""
    if content_type in MAIN_PARTS:
        _inspect_package(file, name, content_type)
    elif content_type in OLE_MAIN_STREAMS:
        _inspect_compound_file(file, name, content_type)
    else:
        _refuse_carried_content(file, name, content_type)
        if content_type == PDF:
            _inspect_pdf(file, name)
        elif content_type in (JPEG, PNG):
            _inspect_image(file, name, content_type)
    file.seek(0)


# --- Anything carried along -----------------------------------------------------------------------


def _refuse_carried_content(file: File, name: str, content_type: str) -> None:
    """A web page anywhere in the file, or a zip readable from its end: a polyglot."""
    file.seek(0)
    tail = b""
    while chunk := file.read(CHUNK_SIZE):
        if WEB_PAGE.search(tail[-32:] + chunk):
            raise _carried(name, content_type)
        tail = (tail + chunk)[-ZIP_END_REACH:]
    if zipfile.is_zipfile(io.BytesIO(tail)):  # it looks for the end record only
        raise _carried(name, content_type)


def _carried(name: str, content_type: str) -> UploadRefused:
    return UploadRefused(
        _(
            "«%(name)s» carries a web page or an archive inside it besides the %(type)s: it is "
            "not accepted. Save the document again (or scan it again) and upload it."
        ),
        code="carried_content",
        params={"name": name, "type": TYPE_NAMES[content_type]},
    )


# --- PDF ------------------------------------------------------------------------------------------


def _inspect_pdf(file: File, name: str) -> None:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

    deadline = monotonic() + PDF_SECONDS
    file.seek(0)
    try:
        reader = PdfReader(file, strict=False)
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except DependencyError:  # AES without a crypto library: the structure was read
                return
            if not opened:
                raise _pdf_password(name)
        pages = reader.pages
        count = len(pages)
        if not 0 < count <= MAX_PDF_PAGES:
            raise _pdf_pages(name) if count else _pdf_unreadable(name)
        for index in range(count):
            pages[index].mediabox  # noqa: B018 — each page's dictionary, read
            if monotonic() > deadline:
                raise UploadRefused(
                    _(
                        "Reading «%(name)s» took too long: save it again (for example with "
                        "“Print to PDF”) and upload it."
                    ),
                    code="pdf_too_slow",
                    params={"name": name},
                )
    except UploadRefused:
        raise
    except FileNotDecryptedError as error:
        raise _pdf_password(name) from error
    except (PdfReadError, ValueError, TypeError, KeyError, AttributeError, IndexError) as error:
        raise _pdf_unreadable(name) from error
    except (RecursionError, OSError, zlib.error) as error:
        raise _pdf_unreadable(name) from error


def _pdf_unreadable(name: str) -> UploadRefused:
    return UploadRefused(
        _(
            "«%(name)s» is not a readable PDF: it may be damaged. Save or scan it again and "
            "upload it."
        ),
        code="pdf_unreadable",
        params={"name": name},
    )


def _pdf_pages(name: str) -> UploadRefused:
    return UploadRefused(
        _("«%(name)s» has more than %(limit)s pages: split it into several files."),
        code="pdf_too_many_pages",
        params={"name": name, "limit": MAX_PDF_PAGES},
    )


def _pdf_password(name: str) -> UploadRefused:
    return UploadRefused(
        _("«%(name)s» needs a password to open: upload a copy without a password."),
        code="pdf_password",
        params={"name": name},
    )


# --- Images ---------------------------------------------------------------------------------------


def _inspect_image(file: File, name: str, content_type: str) -> None:
    from PIL import Image

    pillow_format = "JPEG" if content_type == JPEG else "PNG"
    file.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(file, formats=[pillow_format]) as image:
                width, height = image.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise _image_too_large(name)
                if content_type == JPEG:
                    image.draft(image.mode, (max(1, width // 8), max(1, height // 8)))
                    image.load()
                else:
                    image.verify()
                    details = (width, height, image.info.get("interlace", 0))
        if content_type == PNG and not _png_data_decodes(file, *details, _png_header(file)):
            raise _image_unreadable(name, content_type)
    except UploadRefused:
        raise
    except Image.DecompressionBombError as error:
        raise _image_too_large(name) from error
    except (OSError, SyntaxError, ValueError, struct.error, zlib.error, EOFError) as error:
        raise _image_unreadable(name, content_type) from error


def _png_header(file: File) -> tuple[int, int]:
    """Bit depth and colour type, from IHDR (the chunk right after the signature)."""
    file.seek(8 + 8 + 8)
    bit_depth, colour_type = file.read(2)
    return bit_depth, colour_type


#: Samples per pixel of each PNG colour type (grey, RGB, palette, grey+alpha, RGBA).
_PNG_SAMPLES = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}


def _png_data_decodes(
    file: File, width: int, height: int, interlaced: int, header: tuple[int, int]
) -> bool:
    """The IDAT chunks inflate, as a stream never held whole, to a complete zlib stream — of
    exactly the size the header announces when the image is not interlaced."""
    bit_depth, colour_type = header
    row = 1 + (width * _PNG_SAMPLES.get(colour_type, 4) * bit_depth + 7) // 8
    inflater, inflated = zlib.decompressobj(), 0
    file.seek(8)
    while len(chunk_header := file.read(8)) == 8:
        length, kind = struct.unpack(">I4s", chunk_header)
        if kind == b"IEND":
            return inflater.eof and (interlaced or inflated == row * height)
        if kind != b"IDAT":
            file.seek(length + 4, 1)
            continue
        remaining = length
        while remaining:
            data = file.read(min(CHUNK_SIZE, remaining))
            if not data:
                return False
            remaining -= len(data)
            while data:
                inflated += len(inflater.decompress(data, CHUNK_SIZE))
                data = inflater.unconsumed_tail
        file.seek(4, 1)  # its CRC, checked by Pillow's verify()
    return False


def _image_unreadable(name: str, content_type: str) -> UploadRefused:
    return UploadRefused(
        _(
            "«%(name)s» is not a readable %(type)s image: it may be damaged or cut short. Save "
            "or take it again and upload it."
        ),
        code="image_unreadable",
        params={"name": name, "type": TYPE_NAMES[content_type]},
    )


def _image_too_large(name: str) -> UploadRefused:
    return UploadRefused(
        _("«%(name)s» has more than %(limit)s megapixels: save a smaller copy and upload it."),
        code="image_too_large",
        params={"name": name, "limit": MAX_IMAGE_PIXELS // 1_000_000},
    )


# --- Office and OpenDocument packages -------------------------------------------------------------


def _inspect_package(file: File, name: str, content_type: str) -> None:
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as package:
            members = package.infolist()
            _check_members(members, name, content_type)
            names = {member.filename for member in members}
            if MAIN_PARTS[content_type] not in names:
                raise _package_damaged(name, content_type)
            if content_type in (DOCX, XLSX):
                ElementTree.fromstring(package.read("[Content_Types].xml"))
            else:
                ElementTree.fromstring(package.read("META-INF/manifest.xml"))
            for member in members:
                if not member.is_dir():
                    _check_member_content(package, member, name, content_type)
    except UploadRefused:
        raise
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, ValueError) as error:
        raise _package_damaged(name, content_type) from error
    except ElementTree.ParseError as error:
        raise _package_damaged(name, content_type) from error


def _check_members(members: list[Any], name: str, content_type: str) -> None:
    if len(members) > MAX_PACKAGE_MEMBERS or any(m.flag_bits & 0x1 for m in members):
        raise _package_damaged(name, content_type)
    if sum(member.file_size for member in members) > MAX_PACKAGE_BYTES:
        raise UploadRefused(
            _("«%(name)s» would take more than %(limit)s MB once unpacked: it is not accepted."),
            code="package_too_large",
            params={"name": name, "limit": MAX_PACKAGE_BYTES // (1024 * 1024)},
        )
    for member in members:
        part = member.filename.rsplit("/", 1)[-1].lower()
        extension = "." + part.rsplit(".", 1)[-1] if "." in part else ""
        if extension == ".svg" and member.filename.lower().startswith(PICTURE_FOLDERS):
            continue  # a picture or an icon Office inserted; its content is read in full later
        if extension in FOREIGN_EXTENSIONS or part == "vbaproject.bin":
            raise _foreign(name, content_type, member.filename)


def _check_member_content(package: zipfile.ZipFile, member: Any, name: str, kind: str) -> None:
    """A member's first bytes: a program, or a web page, under a harmless name; a picture in SVG
    (text a browser runs) read whole for scripts."""
    with package.open(member) as stream:
        head = stream.read(HEAD)
        if head.startswith(EXECUTABLE_MAGICS) or WEB_PAGE.search(head):
            raise _foreign(name, kind, member.filename)
        if member.filename.lower().endswith(".svg"):
            tail = b""
            chunk = head
            while chunk:
                if SVG_SCRIPT.search(tail + chunk):
                    raise _foreign(name, kind, member.filename)
                tail = chunk[-64:]
                chunk = stream.read(CHUNK_SIZE)


def _foreign(name: str, content_type: str, part: str) -> UploadRefused:
    return UploadRefused(
        _(
            "«%(name)s» contains «%(part)s»: a program, a script, a web page or macros, which "
            "a %(type)s document must not carry. It is not accepted: save the document again "
            "without it and upload it."
        ),
        code="package_foreign_part",
        params={"name": name, "part": part, "type": TYPE_NAMES[content_type]},
    )


def _package_damaged(name: str, content_type: str) -> UploadRefused:
    return UploadRefused(
        _(
            "«%(name)s» is not a well-formed %(type)s file: it may be damaged. Save it again and "
            "upload it."
        ),
        code="package_damaged",
        params={"name": name, "type": TYPE_NAMES[content_type]},
    )


# --- Old Word and Excel files (compound files) ---------------------------------------------------


def _inspect_compound_file(file: File, name: str, content_type: str) -> None:
    import olefile

    file.seek(0)
    try:
        with olefile.OleFileIO(file) as compound:
            entries = compound.listdir(streams=True, storages=True)
    except (OSError, ValueError, IndexError, struct.error, RecursionError) as error:
        raise _package_damaged(name, content_type) from error
    for path in entries:
        if any(part.lower() in OLE_MACRO_STORAGES for part in path):
            raise _foreign(name, content_type, "/".join(path))
    top_level = {path[0].lower() for path in entries if len(path) == 1}
    if not top_level & set(OLE_MAIN_STREAMS[content_type]):
        raise _package_damaged(name, content_type)
