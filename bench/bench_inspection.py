"""Benchmark of the deeper look at evidence files (evidence/inspection.py) at the upload limit.

Not a test. Builds genuine files of about 25 MB (the default `EVIDENCE_MAX_UPLOAD_BYTES`) — a
PDF whose one page holds a 25 MB stream, a photo, a screenshot, a Word file with a large picture
— and one hostile file of each family, then times `evidence.uploads.check_upload` on each
in-process, with the process's peak memory growth while checking (the peak is reset before each
file through /proc/self/clear_refs: Linux). Run from the project root:

    .venv/bin/python bench/bench_inspection.py
"""

from __future__ import annotations

import io
import os
import struct
import sys
import time
import zipfile
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learningcity.settings")

import django  # noqa: E402

django.setup()

from django.core.files.base import ContentFile  # noqa: E402
from PIL import Image  # noqa: E402

from evidence.filetypes import UploadRefused  # noqa: E402
from evidence.uploads import check_upload  # noqa: E402

MB = 1024 * 1024


def big_pdf(size: int) -> bytes:
    stream = bytes(range(256)) * (size // 256)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 5\n0000000000 65535 f \n")
    out.writelines(b"%010d 00000 n \n" % offset for offset in offsets)
    out.write(b"trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


def noise(width: int, height: int) -> Image.Image:
    return Image.frombytes("RGB", (width, height), os.urandom(width * height * 3))


def saved(image: Image.Image, kind: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, kind, **options)
    return buffer.getvalue()


def docx_with_picture(picture: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", "<document/>")
        package.writestr("word/media/image1.jpeg", picture, compress_type=zipfile.ZIP_STORED)
    return buffer.getvalue()


def png_bomb() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 20_000, 20_000, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b"")


def memory_mib(field: str) -> float:
    status = Path("/proc/self/status").read_text()
    return int(status.split(f"{field}:")[1].split()[0]) / 1024


def main() -> None:
    photo = saved(noise(3500, 3500), "JPEG", quality=95)
    cases = [
        ("genuine PDF, one 24 MB page", "bao-cao.pdf", big_pdf(24 * MB)),
        ("genuine JPEG photo", "anh.jpg", photo),
        ("genuine PNG screenshot", "anh.png", saved(noise(2900, 2900), "PNG")),
        ("genuine Word file with a photo", "bao-cao.docx", docx_with_picture(photo)),
        ("PDF with a zip appended", "bao-cao.pdf", big_pdf(MB) + docx_with_picture(photo)),
        ("PNG declaring 400 megapixels", "anh.png", png_bomb()),
        ("JPEG cut at 90 %", "anh.jpg", photo[: len(photo) * 9 // 10]),
    ]
    print(f"{'file':34} {'size':>9} {'seconds':>8} {'memory':>9}  result")
    for label, name, content in cases:
        Path("/proc/self/clear_refs").write_text("5")  # the peak (VmHWM) starts again from now
        before = memory_mib("VmRSS")
        started = time.perf_counter()
        try:
            result = check_upload(ContentFile(content, name=name)).content_type.split("/")[-1][:20]
        except UploadRefused as error:
            result = f"refused ({error.code})"
        seconds = time.perf_counter() - started
        growth = memory_mib("VmHWM") - before
        print(f"{label:34} {len(content) / MB:7.1f}MB {seconds:8.2f} {growth:+7.1f}MB  {result}")


if __name__ == "__main__":
    main()
