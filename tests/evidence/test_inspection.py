"""The deeper look at an evidence file (evidence/inspection.py) accepts what offices really
upload: documents saved by an office suite, scans, photos from a phone, signed PDFs. The files it
refuses are in tests/hostile/test_upload_content.py."""

import io
import struct
import zlib

import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter

from evidence import filetypes, inspection
from evidence.filetypes import UploadRefused
from evidence.uploads import check_upload
from tests.evidence.conftest import FILES, minimal_pdf, noise, raw_file, saved


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("ke-hoach.pdf", filetypes.PDF),
        ("ke-hoach.docx", filetypes.DOCX),
        ("ke-hoach.odt", filetypes.ODT),
        ("so-lieu.xlsx", filetypes.XLSX),
        ("so-lieu.ods", filetypes.ODS),
        ("ke-hoach.doc", filetypes.DOC),
        ("so-lieu.xls", filetypes.XLS),
    ],
)
def test_files_saved_by_an_office_suite_are_accepted(name, content_type):
    content = (FILES / name).read_bytes()
    assert check_upload(raw_file(name, content)).content_type == content_type


def test_a_scan_saved_as_a_pdf_of_pictures_is_accepted():
    pages = [noise((620, 877)), noise((620, 877), "L")]
    scan = saved(pages[0], "PDF", save_all=True, append_images=pages[1:], resolution=75)
    assert len(PdfReader(io.BytesIO(scan)).pages) == 2  # the file is what the test says
    assert check_upload(raw_file("bien-ban-quet.pdf", scan)).content_type == filetypes.PDF


def test_a_signed_pdf_updated_after_its_first_end_is_accepted():
    """A signature (or a filled form) is added as an incremental update: a second body,
    cross-reference and %%EOF after the first."""
    writer = PdfWriter(io.BytesIO(minimal_pdf("ban goc")), incremental=True)
    writer.add_metadata({"/Title": "Kế hoạch đã ký"})
    buffer = io.BytesIO()
    writer.write(buffer)
    updated = buffer.getvalue()
    assert updated.count(b"%%EOF") == 2
    assert check_upload(raw_file("ke-hoach-ky.pdf", updated)).content_type == filetypes.PDF


def test_a_pdf_that_opens_without_a_password_is_accepted():
    """Restricted from printing or copying by an owner password, it still opens for everyone."""
    writer = PdfWriter(clone_from=io.BytesIO(minimal_pdf("han che in")))
    writer.encrypt(user_password="", owner_password="chu-so-huu", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    assert PdfReader(io.BytesIO(buffer.getvalue())).is_encrypted
    assert check_upload(raw_file("ke-hoach.pdf", buffer.getvalue())).content_type == filetypes.PDF


@pytest.mark.parametrize(
    ("mode", "options"),
    [
        ("RGB", {"quality": 85}),
        ("RGB", {"progressive": True}),
        ("L", {}),
        ("CMYK", {}),
    ],
)
def test_photos_are_accepted(mode, options):
    photo = saved(noise((1200, 900), mode), "JPEG", **options)
    assert check_upload(raw_file("anh-hoi-nghi.jpg", photo)).content_type == filetypes.JPEG


@pytest.mark.parametrize("mode", ["1", "L", "LA", "P", "RGB", "RGBA", "I;16"])
def test_screenshots_of_every_colour_type_are_accepted(mode):
    """The check that a PNG's data is whole computes its size from the colour type and depth."""
    image = noise((173, 61), mode if mode != "I;16" else "L")
    if mode == "I;16":
        image = image.convert("I").point(lambda value: value * 256).convert("I;16")
    png = saved(image, "PNG")
    assert check_upload(raw_file("man-hinh.png", png)).content_type == filetypes.PNG


def adam7_png(image: Image.Image) -> bytes:
    """An 8-bit RGB image as an interlaced PNG (Adam7), which Pillow reads but does not write."""
    width, height = image.size
    pixels = image.load()
    raw = bytearray()
    for x0, y0, dx, dy in [
        (0, 0, 8, 8),
        (4, 0, 8, 8),
        (0, 4, 4, 8),
        (2, 0, 4, 4),
        (0, 2, 2, 4),
        (1, 0, 2, 2),
        (0, 1, 1, 2),
    ]:
        for y in range(y0, height, dy):
            row = [pixels[x, y] for x in range(x0, width, dx)]
            if row:
                raw += b"\x00" + bytes(sample for pixel in row for sample in pixel)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 1)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(bytes(raw)))
        + chunk(b"IEND", b"")
    )


def test_an_interlaced_png_is_accepted():
    image = noise((173, 61))
    png = adam7_png(image)
    with Image.open(io.BytesIO(png)) as written:  # the file is what the test says
        assert written.info["interlace"] == 1
        assert written.convert("RGB").tobytes() == image.tobytes()
    assert check_upload(raw_file("man-hinh.png", png)).content_type == filetypes.PNG


def test_a_pdf_with_as_many_pages_as_allowed_is_accepted_one_more_is_refused(monkeypatch):
    monkeypatch.setattr(inspection, "MAX_PDF_PAGES", 3)
    assert check_upload(raw_file("tap-ho-so.pdf", minimal_pdf("ba trang", pages=3)))
    with pytest.raises(UploadRefused) as refusal:
        check_upload(raw_file("tap-ho-so.pdf", minimal_pdf("bon trang", pages=4)))
    assert refusal.value.code == "pdf_too_many_pages"
