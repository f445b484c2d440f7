"""Evidence files for the tests: a storage in tmp_path (tests never write into the project) and
small genuine files of every accepted type, built in memory."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from assignments.permissions import actor_for
from evidence import services as evidence_services
from evidence.models import Document
from evidence.services import DocumentMetadata
from tests.conftest import YEAR

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PDF_V2 = b"%PDF-1.7\n% second version, signed\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64
PNG = bytes.fromhex("89504E470D0A1A0A") + b"\x00\x00\x00\rIHDR" + b"\x00" * 20
JPEG = bytes.fromhex("FFD8FFE0") + b"\x00\x10JFIF\x00" + b"\x00" * 20
OLE2 = bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 504


def ooxml(folder: str) -> bytes:
    """A minimal Word (folder "word") or Excel ("xl") file: a zip with its content types."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{folder}/document.xml", "<document/>")
    return buffer.getvalue()


def opendocument(mimetype: str) -> bytes:
    """A minimal OpenDocument file: `mimetype` first and stored, as the format requires."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), mimetype)
        archive.writestr("content.xml", "<office:document-content/>")
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
