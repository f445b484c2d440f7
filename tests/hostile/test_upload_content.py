"""Evidence files that begin right but are not what they say all the way through (issue 16.10).

Before the deeper look (evidence/inspection.py) every file here was accepted: the check stopped at
the magic bytes, so a web page behind "%PDF-", a zip behind a photo, a cut-off scan or a Word file
carrying a program were stored and offered to reviewers. Each is now refused with a message that
names the file and what to do, and nothing is stored."""

import io
import struct
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

from evidence import inspection
from evidence.filetypes import UploadRefused
from evidence.uploads import check_upload
from tests.evidence.conftest import (
    EXCEL_97,
    EXE,
    JPEG,
    PDF,
    PNG,
    WORD_97,
    minimal_pdf,
    noise,
    ooxml,
    opendocument,
    raw_file,
    saved,
)
from tests.hostile.test_uploads import refused
from tests.hostile.workbook_bombs import forge_declared_size

pytestmark = pytest.mark.django_db

WEB_PAGE = b"<html><body><script>fetch('/accounts/password/')</script></body></html>"


def refusal(name: str, content: bytes) -> UploadRefused:
    with pytest.raises(UploadRefused) as raised:
        check_upload(raw_file(name, content))
    return raised.value


def zip_of(**members: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, content in members.items():
            archive.writestr(member, content)
    return buffer.getvalue()


def with_member(package: bytes, member: str, content: bytes) -> bytes:
    """The package with one more member."""
    buffer = io.BytesIO(package)
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr(member, content)
    return buffer.getvalue()


# --- Through the upload page: the message and nothing stored ----------------------------------


def test_a_web_page_behind_a_pdf_header_is_refused_on_the_page(client_for, world, unchanged):
    file = SimpleUploadedFile("ke-hoach.pdf", b"%PDF-1.7\n" + WEB_PAGE)
    html = refused(client_for("district_a"), world, unchanged, file=file)
    assert "«ke-hoach.pdf» chứa kèm một trang web hoặc một tệp nén" in html


def test_a_cut_off_photo_is_refused_on_the_page(client_for, world, unchanged):
    file = SimpleUploadedFile("anh-hoi-nghi.jpg", JPEG[: len(JPEG) // 2])
    html = refused(client_for("district_a"), world, unchanged, file=file)
    assert "«anh-hoi-nghi.jpg» không phải ảnh JPEG đọc được" in html


def test_a_word_file_carrying_a_program_is_refused_on_the_page(client_for, world, unchanged):
    docx = with_member(ooxml("word"), "word/media/setup.exe", EXE)
    file = SimpleUploadedFile("bao-cao.docx", docx)
    html = refused(client_for("district_a"), world, unchanged, file=file)
    assert "Tệp «bao-cao.docx» chứa «word/media/setup.exe»: chương trình" in html


# --- Web pages and polyglots ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("ke-hoach.pdf", b"%PDF-1.7\n" + WEB_PAGE),
        ("ke-hoach.pdf", PDF + WEB_PAGE),
        ("anh.png", PNG + WEB_PAGE),
        ("anh.jpg", JPEG + b"<!DOCTYPE html>" + WEB_PAGE),
        ("anh.jpg", JPEG + b"<SCRIPT src=//x.example/a.js></SCRIPT>"),
    ],
    ids=["pdf-header-then-page", "pdf-then-page", "png-then-page", "jpeg-doctype", "jpeg-upper"],
)
def test_a_web_page_carried_in_a_pdf_or_an_image_is_refused(name, content):
    assert refusal(name, content).code == "carried_content"


def test_a_web_page_split_across_two_reads_is_found(monkeypatch):
    """The marker is looked for across the boundary between two chunks."""
    monkeypatch.setattr(inspection, "CHUNK_SIZE", 1024)
    padded = PDF + b" " * (1024 - len(PDF) % 1024 - 3) + WEB_PAGE
    assert padded.index(b"<html") % 1024 == 1021
    assert refusal("ke-hoach.pdf", padded).code == "carried_content"


@pytest.mark.parametrize(
    ("name", "carrier"),
    [("ke-hoach.pdf", PDF), ("anh.jpg", JPEG), ("anh.png", PNG)],
)
def test_a_zip_appended_to_a_pdf_or_an_image_is_refused(name, carrier):
    """A polyglot: the viewer shows the document, an unzip tool finds the archive."""
    polyglot = carrier + zip_of(**{"huong-dan.txt": b"not a document"})
    assert zipfile.is_zipfile(io.BytesIO(polyglot))
    assert refusal(name, polyglot).code == "carried_content"


# --- PDF ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.4\nthis is not a pdf at all",
        PDF[: len(PDF) // 2],
        minimal_pdf("khong trang", pages=0),
    ],
    ids=["header-only", "cut-in-half", "no-page"],
)
def test_a_pdf_that_does_not_parse_is_refused(content):
    error = refusal("ke-hoach.pdf", content)
    assert error.code == "pdf_unreadable"
    assert "Tệp «ke-hoach.pdf» không phải tệp PDF đọc được" in error.messages[0]


def test_a_pdf_that_needs_a_password_is_refused():
    writer = PdfWriter(clone_from=io.BytesIO(PDF))
    writer.encrypt(user_password="mat-khau", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    assert refusal("ke-hoach.pdf", buffer.getvalue()).code == "pdf_password"


def test_a_pdf_that_takes_too_long_is_refused(monkeypatch):
    """The walk over the pages is bounded in time (checked after each page), not only in pages."""
    monkeypatch.setattr(inspection, "PDF_SECONDS", -1.0)
    assert refusal("ke-hoach.pdf", minimal_pdf("cham", pages=2)).code == "pdf_too_slow"


def test_a_pdf_whose_page_tree_loops_is_refused():
    """A page tree that names itself as its own kid: a reader that follows it never ends."""
    looping = PDF.replace(b"/Kids [4 0 R]", b"/Kids [2 0 R]")
    assert len(looping) == len(PDF)  # the cross-reference offsets still hold
    assert refusal("ke-hoach.pdf", looping).code == "pdf_unreadable"


# --- Images ---------------------------------------------------------------------------------------


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def test_a_cut_off_png_is_refused():
    """Cut inside its data: the compressed stream never ends."""
    idat = PNG.index(b"IDAT")
    length = struct.unpack(">I", PNG[idat - 4 : idat])[0]
    short_data = zlib.compress(zlib.decompress(PNG[idat + 4 : idat + 4 + length])[:-40])
    cut = PNG[: idat - 4] + png_chunk(b"IDAT", short_data) + png_chunk(b"IEND", b"")
    assert refusal("anh.png", cut).code == "image_unreadable"


def test_a_png_with_a_damaged_chunk_is_refused():
    idat = PNG.index(b"IDAT")
    damaged = bytearray(PNG)
    damaged[idat + 6] ^= 0xFF  # a byte of the data: its CRC no longer matches
    assert refusal("anh.png", bytes(damaged)).code == "image_unreadable"


def test_a_few_bytes_announcing_a_giant_png_are_refused():
    """400 megapixels declared in a 60-byte file: a decompression bomb."""
    header = struct.pack(">IIBBBBB", 20_000, 20_000, 8, 2, 0, 0, 0)
    bomb = b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header) + png_chunk(b"IEND", b"")
    error = refusal("anh.png", bomb)
    assert error.code == "image_too_large"
    assert "150" in error.messages[0]


def test_an_image_above_the_pixel_limit_is_refused(monkeypatch):
    monkeypatch.setattr(inspection, "MAX_IMAGE_PIXELS", 63)
    assert refusal("anh.jpg", JPEG).code == "image_too_large"  # 8 × 8 = 64 pixels


@pytest.mark.parametrize("cut", [0.5, 0.9])
def test_a_cut_off_jpeg_is_refused(cut):
    photo = saved(noise((640, 480)), "JPEG")
    assert refusal("anh.jpg", photo[: int(len(photo) * cut)]).code == "image_unreadable"


# --- Office and OpenDocument packages ------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "package", "member", "content"),
    [
        ("bao-cao.docx", ooxml("word"), "word/media/setup.exe", EXE),
        ("bao-cao.docx", ooxml("word"), "word/vbaProject.bin", b"\xd0\xcf\x11\xe0macros"),
        ("bao-cao.docx", ooxml("word"), "word/afchunk.htm", WEB_PAGE),
        ("bao-cao.docx", ooxml("word"), "word/media/image1.png", EXE),
        ("so-lieu.xlsx", ooxml("xl"), "xl/media/trang.xml", WEB_PAGE),
        ("bao-cao.odt", opendocument("application/vnd.oasis.opendocument.text"), "run.js", b"x"),
    ],
    ids=["program", "macros", "web-page-name", "program-as-image", "web-page-as-xml", "script"],
)
def test_a_package_with_a_foreign_part_is_refused(name, package, member, content):
    error = refusal(name, with_member(package, member, content))
    assert error.code == "package_foreign_part"
    assert f"«{member}»" in error.messages[0]


def test_a_word_file_without_its_document_is_refused():
    package = zip_of(**{"[Content_Types].xml": b"<Types/>", "word/styles.xml": b"<styles/>"})
    assert refusal("bao-cao.docx", package).code == "package_damaged"


def test_a_package_with_an_entity_bomb_in_its_manifest_is_refused():
    bomb = b'<!DOCTYPE t [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><Types>&b;</Types>'
    package = zip_of(**{"[Content_Types].xml": bomb, "word/document.xml": b"<document/>"})
    assert refusal("bao-cao.docx", package).code == "package_damaged"


def test_a_package_with_an_encrypted_member_is_refused():
    package = bytearray(ooxml("word"))
    central = package.find(b"PK\x01\x02")
    package[central + 8] |= 0x1  # the member says it is encrypted
    assert refusal("bao-cao.docx", bytes(package)).code == "package_damaged"


def test_a_package_that_would_unpack_beyond_the_limit_is_refused():
    package = zip_of(
        **{"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<document/>" * 100}
    )
    forged = forge_declared_size(package, "word/document.xml", 251 * 1024 * 1024)
    error = refusal("bao-cao.docx", forged)
    assert error.code == "package_too_large"
    assert "250 MB" in error.messages[0]


def test_a_package_of_too_many_members_is_refused(monkeypatch):
    monkeypatch.setattr(inspection, "MAX_PACKAGE_MEMBERS", 3)
    package = with_member(with_member(ooxml("word"), "word/a.xml", b"<a/>"), "word/b.xml", b"<b/>")
    assert refusal("bao-cao.docx", package).code == "package_damaged"


# --- Old Word and Excel files ---------------------------------------------------------------------


def renamed_entry(compound: bytes, old: str, new: str) -> bytes:
    """The compound file with one directory entry renamed in place (its 64-byte UTF-16 name and
    the length that follows it): a genuine file given a storage name it did not have."""
    field = old.encode("utf-16-le")
    start = compound.index(field)
    assert compound.count(field) == 1
    assert len(new) < 32
    name = (new + "\0").encode("utf-16-le")
    entry = name.ljust(64, b"\0") + struct.pack("<H", len(name))
    return compound[:start] + entry + compound[start + 66 :]


@pytest.mark.parametrize(
    ("name", "compound", "storage"),
    [
        ("cong-van.doc", WORD_97, "Macros"),
        ("thong-ke.xls", EXCEL_97, "_VBA_PROJECT_CUR"),
    ],
)
def test_an_old_office_file_with_macros_is_refused(name, compound, storage):
    with_macros = renamed_entry(compound, "\x05SummaryInformation", storage)
    error = refusal(name, with_macros)
    assert error.code == "package_foreign_part"
    assert f"«{storage}»" in error.messages[0]


@pytest.mark.parametrize(
    ("name", "compound"),
    [
        ("cong-van.doc", EXCEL_97),  # a compound file, but a workbook
        ("thong-ke.xls", WORD_97),
        ("cong-van.doc", bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504)),  # the magic only
        ("cong-van.doc", WORD_97[: len(WORD_97) // 2]),
    ],
    ids=["workbook-as-doc", "document-as-xls", "magic-only", "cut-in-half"],
)
def test_an_old_office_file_that_is_not_of_its_kind_is_refused(name, compound):
    assert refusal(name, compound).code == "package_damaged"


# --- SVG pictures Office inserts -------------------------------------------------------------

ICON = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 96 96"><path d="M0 0h96v96H0z"/></svg>'
)


def test_an_svg_icon_in_the_media_folder_is_accepted():
    """Office 365 stores inserted icons as word/media/*.svg: a genuine file keeps passing."""
    docx = with_member(ooxml("word"), "word/media/image1.svg", ICON)
    assert check_upload(raw_file("bao-cao.docx", docx)).content_type.endswith("document")


@pytest.mark.parametrize(
    "svg",
    [
        ICON.replace(b"<path", b"<script>alert(1)</script><path"),
        ICON.replace(b"<path", b'<path onload="alert(1)"'),
        ICON.replace(b"</svg>", b" " * 5000 + b'<a href="javascript:alert(1)"/></svg>'),
    ],
    ids=["script", "handler", "link-far-down"],
)
def test_an_svg_that_would_run_something_is_refused(svg):
    docx = with_member(ooxml("word"), "word/media/image1.svg", svg)
    assert refusal("bao-cao.docx", docx).code == "package_foreign_part"


def test_an_svg_outside_the_media_folder_is_refused():
    docx = with_member(ooxml("word"), "word/trang.svg", ICON)
    assert refusal("bao-cao.docx", docx).code == "package_foreign_part"
