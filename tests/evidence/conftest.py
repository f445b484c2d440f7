"""Evidence files for the tests: a storage in tmp_path (tests never write into the project) and
small genuine files of every accepted type, built in memory: each passes the deeper content
checks (evidence/inspection.py) as a real one does."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from assignments.permissions import actor_for
from evidence import services as evidence_services
from evidence.models import Document
from evidence.services import DocumentMetadata
from tests.conftest import YEAR


def minimal_pdf(note: str, pages: int = 1) -> bytes:
    """A PDF of blank A4 pages as a writer lays one out — catalog, page tree, pages, a content
    stream — with its cross-reference table at the offsets it states; `note` is a comment in
    the content stream, so that two notes give two different files."""
    kids = " ".join(f"{4 + index} 0 R" for index in range(pages))
    content = f"% {note}\n".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode(),
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"endstream",
        *(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R >>",) * pages,
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.writelines(b"%010d 00000 n \n" % offset for offset in offsets)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1))
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


def noise(size: tuple[int, int], mode: str = "RGB") -> Image.Image:
    """A picture with detail in every pixel, as a scan or a photo has (a pattern: the same on
    every run)."""
    return Image.frombytes(
        "RGB", size, bytes(range(256)) * (size[0] * size[1] * 3 // 256 + 1)
    ).convert(mode)


def saved(image: Image.Image, kind: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, kind, **options)
    return buffer.getvalue()


PDF = minimal_pdf("first version")
PDF_V2 = minimal_pdf("second version, signed")
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64
PNG = saved(noise((8, 8)), "PNG")
JPEG = saved(noise((8, 8)), "JPEG")
#: Genuine files written by LibreOffice (tests/evidence/files/README.md).
FILES = Path(__file__).parent / "files"
WORD_97 = (FILES / "ke-hoach.doc").read_bytes()
EXCEL_97 = (FILES / "so-lieu.xls").read_bytes()


def ooxml(folder: str) -> bytes:
    """A minimal Word (folder "word") or Excel ("xl") file: a zip with its content types and its
    main part."""
    main = "word/document.xml" if folder == "word" else "xl/workbook.xml"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(main, "<document/>")
    return buffer.getvalue()


def opendocument(mimetype: str) -> bytes:
    """A minimal OpenDocument file: `mimetype` first and stored, as the format requires."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), mimetype)
        archive.writestr("content.xml", "<document-content/>")
        archive.writestr("META-INF/manifest.xml", "<manifest/>")
    return buffer.getvalue()


def upload(name: str = "ke-hoach.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    """A file as a browser sends it (Django reduces its name to the last component)."""
    return SimpleUploadedFile(name, content)


def raw_file(name: str, content: bytes = PDF) -> ContentFile:
    """A file whose name reaches our checks untouched (NUL bytes, paths…)."""
    return ContentFile(content, name=name)


def seen(document: Document) -> int:
    """The version a reviewer's page shows of a document: the number of its latest file."""
    return document.versions.order_by("-number").values_list("number", flat=True).first()


def stored_files(location: Path) -> list[Path]:
    return [path for path in location.rglob("*") if path.is_file()]


@pytest.fixture(autouse=True)
def evidence_dir(settings, tmp_path) -> Path:
    """Evidence files go to a fresh directory for each test."""
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
def make_document(world, personas):
    """make_document("district_a", unit=..., codes=("1.1.1",)) → a document uploaded through the
    service by that persona (district A's own district by default)."""

    def make(
        persona: str = "district_a",
        *,
        unit=None,
        codes: tuple[str, ...] = ("1.1.1",),
        title: str = "Kế hoạch xây dựng quận học tập",
        name: str = "ke-hoach.pdf",
        content: bytes = PDF,
        year: int = YEAR,
    ) -> Document:
        return evidence_services.document_upload(
            actor=actor_for(personas[persona]),
            user=personas[persona],
            unit=unit or world.district_a,
            year=year,
            indicators=[world.indicator(code) for code in codes],
            metadata=DocumentMetadata(title=title, number="254/KH-UBND"),
            file=raw_file(name, content),
        )

    return make
