"""The checks of an uploaded file (evidence/uploads.py): accepted types by content, refusals with
a clear Vietnamese message, names reduced for display, SHA-256 and size read in chunks."""

import hashlib
import re

import pytest
from django.core.files.base import ContentFile

from evidence import filetypes, uploads
from evidence.filetypes import UploadRefused
from evidence.uploads import check_upload
from tests.evidence.conftest import (
    EXCEL_97,
    EXE,
    JPEG,
    PDF,
    PNG,
    WORD_97,
    ooxml,
    opendocument,
    raw_file,
)


def refusal(file: ContentFile) -> str:
    with pytest.raises(UploadRefused) as caught:
        check_upload(file)
    return " ".join(caught.value.messages)


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("ke-hoach.pdf", PDF, "application/pdf"),
        ("bao-cao.docx", ooxml("word"), filetypes.DOCX),
        ("so-lieu.xlsx", ooxml("xl"), filetypes.XLSX),
        ("bao-cao.odt", opendocument(filetypes.ODT), filetypes.ODT),
        ("so-lieu.ods", opendocument(filetypes.ODS), filetypes.ODS),
        ("cong-van.doc", WORD_97, "application/msword"),
        ("thong-ke.xls", EXCEL_97, "application/vnd.ms-excel"),
        ("anh-hoi-nghi.jpg", JPEG, "image/jpeg"),
        ("anh-hoi-nghi.JPEG", JPEG, "image/jpeg"),
        ("so-do.png", PNG, "image/png"),
    ],
)
def test_each_accepted_type_is_recognised_by_its_content(name, content, content_type):
    checked = check_upload(raw_file(name, content))
    assert checked.content_type == content_type
    assert checked.original_name == name


def test_a_renamed_executable_is_refused():
    assert "là chương trình" in refusal(raw_file("bao-cao.pdf", EXE))


@pytest.mark.parametrize(
    "content", [b"\x7fELF\x02\x01\x01" + b"\x00" * 20, b"#!/bin/sh\nrm -rf /\n"]
)
def test_linux_programs_and_scripts_are_refused(content):
    assert "là chương trình" in refusal(raw_file("bao-cao.pdf", content))


def test_an_empty_file_is_refused():
    assert refusal(raw_file("bao-cao.pdf", b"")) == "Tệp rỗng (không có nội dung)."


def test_the_default_limit_is_25_mb_and_the_message_states_it():
    file = raw_file("bao-cao.pdf", PDF)
    file.size = 25 * 1024 * 1024 + 1
    assert refusal(file) == "Tệp vượt quá giới hạn 25 MB."


def test_an_oversize_file_is_refused_with_the_configured_limit(settings):
    settings.EVIDENCE_MAX_UPLOAD_BYTES = 2 * 1024 * 1024
    file = raw_file("bao-cao.pdf", PDF + b"0" * (2 * 1024 * 1024))
    assert refusal(file) == "Tệp vượt quá giới hạn 2 MB."


def test_a_file_larger_than_its_declared_size_is_refused_while_reading(settings):
    settings.EVIDENCE_MAX_UPLOAD_BYTES = 1000
    file = raw_file("bao-cao.pdf", PDF + b"0" * 2000)
    file.size = 10  # a lying size: the bytes read count
    assert "vượt quá giới hạn" in refusal(file)


def test_a_double_extension_is_refused_by_its_last_part():
    message = refusal(raw_file("bao-cao.pdf.exe", PDF))
    assert "«bao-cao.pdf.exe»" in message
    assert ".exe" in message


def test_a_path_as_file_name_is_refused_without_an_accepted_extension():
    assert "«passwd»" in refusal(raw_file("../../etc/passwd", PDF))


def test_a_path_is_reduced_to_its_last_component_for_display():
    assert check_upload(raw_file("..\\..\\windows/bao-cao.pdf")).original_name == "bao-cao.pdf"


@pytest.mark.parametrize("name", ["bao\x00cao.pdf", "bao-cao\n.pdf", "bao-cao\u202efdp.exe"])
def test_control_and_invisible_characters_in_a_name_are_refused(name):
    assert "ký tự điều khiển" in refusal(raw_file(name))


def test_a_name_without_extension_is_refused():
    assert "không có đuôi" in refusal(raw_file("bao-cao", PDF))


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("bao-cao.pdf", PNG),
        ("anh.png", PDF),
        ("bao-cao.docx", ooxml("xl")),
        ("bao-cao.docx", b"PK\x03\x04 not really a zip"),
        ("bao-cao.odt", opendocument(filetypes.ODS)),
        ("bao-cao.xlsx", EXCEL_97),
    ],
)
def test_content_that_does_not_match_the_extension_is_refused(name, content):
    assert "không phải" in refusal(raw_file(name, content))


def test_a_decomposed_vietnamese_name_is_shown_composed():
    decomposed = "Bie\u0302n ba\u0309n.pdf"  # as macOS sends it
    assert check_upload(raw_file(decomposed)).original_name == "Biên bản.pdf"


def test_sha256_and_size_are_those_of_the_whole_file():
    content = PDF + bytes(range(256)) * 1000  # several chunks
    checked = check_upload(raw_file("bao-cao.pdf", content))
    assert checked.sha256 == hashlib.sha256(content).hexdigest()
    assert checked.size == len(content)


def test_the_file_is_read_in_chunks_never_whole(monkeypatch):
    sizes = []
    file = raw_file("bao-cao.pdf", PDF + b"0" * (5 * filetypes.CHUNK_SIZE))
    original_read = file.file.read
    monkeypatch.setattr(file.file, "read", lambda n=-1: sizes.append(n) or original_read(n))
    check_upload(file)
    assert sizes
    assert all(0 < n <= filetypes.CHUNK_SIZE for n in sizes)


def test_stored_names_are_generated_under_the_year():
    assert re.fullmatch(r"evidence/2022/[0-9a-f]{32}\.pdf", uploads.stored_name(2022, ".pdf"))
    assert uploads.stored_name(2022, ".pdf") != uploads.stored_name(2022, ".pdf")


def test_a_stored_name_never_takes_an_unchecked_extension():
    with pytest.raises(ValueError, match="exe"):
        uploads.stored_name(2022, ".exe")
