"""Workbooks small on the wire and costly to read (issue 16.1): each is refused before openpyxl
parses it, or while its rows stream, within the time budget; one person has one read in flight.

Before this, a 118 KB workbook of 2,8 million one-letter strings was read in 25 s at +257 MB, and
one figure in row 1 048 576 made the reader walk a million empty rows (docs/performance.md).
"""

import io
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from common import excel
from common.excel import ReadingBudget, WorkbookError, check_package
from common.models import StagedImport, WorkbookReading
from common.reading import read_for
from criteria import workbooks as criteria_workbooks
from criteria.models import ListSource
from measurements import lists
from measurements import workbooks as values_workbooks
from tests.conftest import YEAR
from tests.hostile import workbook_bombs as bombs
from tests.hostile.conftest import page
from tests.hostile.test_workbook_import import XLSX, upload_criteria_set, upload_then_confirm

LIMIT = excel.MAX_XML_ELEMENTS


@pytest.fixture
def opened(monkeypatch) -> list[bytes]:
    """What openpyxl was asked to open: nothing, when a package is refused before parsing."""
    calls: list[bytes] = []
    original = excel.load_workbook

    def load_workbook(source, **options):
        calls.append(source)
        return original(source, **options)

    monkeypatch.setattr(excel, "load_workbook", load_workbook)
    return calls


def refusal(data: bytes) -> list[str]:
    with pytest.raises(WorkbookError) as caught:
        values_workbooks.read_workbook(data)
    return caught.value.messages


# --- Refused from the package, before anything parses it ----------------------------------------


@pytest.mark.parametrize(
    ("build", "message"),
    [
        # 2 start tags a string: one more string than the limit allows
        (lambda: bombs.shared_strings_bomb(LIMIT // 2 + 1), excel.too_many_elements),
        (lambda: bombs.empty_rows_bomb(LIMIT + 1), excel.too_many_elements),
        (lambda: bombs.wide_rows_bomb(100, LIMIT // 100 + 1), excel.too_many_elements),
        (lambda: bombs.styles_bomb(excel.MAX_STYLE_ELEMENTS + 1), excel.too_many_styles),
        (lambda: bombs.long_string_bomb(excel.MAX_UNCOMPRESSED_BYTES + 1), excel.too_large),
    ],
    ids=["shared-strings", "empty-rows", "empty-cells", "styles", "one-long-string"],
)
def test_a_costly_package_is_refused_before_openpyxl_opens_it(build, message, opened):
    data = build()
    assert len(data) < 1024 * 1024  # each is small on the wire

    assert refusal(data) == [message()]
    assert opened == []


def test_the_refusals_say_what_to_do():
    assert excel.too_many_elements() == (
        "Tệp có quá nhiều ô, dòng và chuỗi văn bản (hơn 200.000 phần tử) so với một tệp số liệu; "
        "hãy chép các dòng cần nhập sang một tệp mới rồi tải lên."
    )
    assert excel.too_many_styles().startswith("Tệp có quá nhiều định dạng ô (hơn 20.000 phần tử")
    assert excel.too_large().startswith("Tệp quá lớn: khi giải nén vượt quá 16 MB")
    assert excel.too_slow() == (
        "Đọc tệp mất hơn 5 giây nên đã dừng; hãy chia thành nhiều tệp nhỏ hơn."
    )


def package(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


#: Three start tags (a, b, c); the declaration, the comment and the end tags are not elements.
THREE_ELEMENTS = b'<?xml version="1.0"?><!-- note --><a><b/><c>x</c></a>'


@pytest.mark.parametrize("chunk", [1, 2, 7, 1024 * 1024])
def test_elements_are_counted_exactly_however_the_stream_is_cut(monkeypatch, chunk):
    monkeypatch.setattr(excel, "_CHUNK_BYTES", chunk)
    data = package({"xl/one.xml": THREE_ELEMENTS, "xl/two.xml": THREE_ELEMENTS})
    monkeypatch.setattr(excel, "MAX_XML_ELEMENTS", 6)
    check_package(data, ReadingBudget())

    monkeypatch.setattr(excel, "MAX_XML_ELEMENTS", 5)
    with pytest.raises(WorkbookError) as caught:
        check_package(data, ReadingBudget())
    assert caught.value.messages == [excel.too_many_elements()]


def test_the_styles_part_has_its_own_limit(monkeypatch):
    monkeypatch.setattr(excel, "MAX_STYLE_ELEMENTS", 2)
    check_package(package({"xl/theme.xml": THREE_ELEMENTS}), ReadingBudget())
    with pytest.raises(WorkbookError) as caught:
        check_package(package({"xl/styles.xml": THREE_ELEMENTS}), ReadingBudget())
    assert caught.value.messages == [excel.too_many_styles()]


def test_the_inflated_size_is_counted_not_only_declared(monkeypatch):
    monkeypatch.setattr(excel, "MAX_UNCOMPRESSED_BYTES", 100)
    check_package(package({"a.xml": b" " * 100}), ReadingBudget())
    with pytest.raises(WorkbookError) as caught:
        check_package(package({"a.xml": b" " * 60, "b.xml": b" " * 41}), ReadingBudget())
    assert caught.value.messages == [excel.too_large()]


# --- Refused while the rows stream ---------------------------------------------------------------

CONTRACTS = {
    "values": (values_workbooks.read_workbook, values_workbooks.SHEET, values_workbooks.HEADERS),
    "agency-list": (
        lists.read_agency_list,
        lists.AGENCY_SHEET,
        (lists.AGENCY_NAME, lists.AGENCY_SCORE),
    ),
    "criteria-set": (
        criteria_workbooks.read_criteria_workbook,
        criteria_workbooks.SHEET,
        criteria_workbooks.HEADERS,
    ),
}


@pytest.mark.parametrize("contract", CONTRACTS)
def test_a_far_row_is_refused_without_walking_to_it(contract):
    read, sheet, headers = CONTRACTS[contract]
    data = bombs.far_row_bomb(1_048_576, bombs.genuine(sheet, headers))
    assert len(data) < 10_000

    with pytest.raises(WorkbookError) as caught:
        read(data)
    assert caught.value.messages == [
        f"Trang tính «{sheet}» dùng tới dòng thứ 10.001 trở đi; tệp chỉ được dùng 10.000 dòng "
        "đầu. Hãy xoá các dòng thừa ở cuối trang tính rồi lưu lại."
    ]


def test_a_row_at_the_last_usable_number_is_read():
    data = bombs.far_row_bomb(10_000)
    assert [row.number for row in values_workbooks.read_workbook(data)] == [2, 10_000]


class Clock:
    """A monotonic clock that moves 10 ms each time it is read."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        self.now += 0.01
        return self.now


@pytest.mark.parametrize("contract", CONTRACTS)
def test_the_time_budget_is_checked_while_the_rows_stream(monkeypatch, contract):
    read, sheet, headers = CONTRACTS[contract]
    monkeypatch.setattr(excel, "monotonic", Clock())
    # 5 s of budget is 500 readings of the clock: a few for the package and the opening, then
    # one a row; 50 rows are read within it, 800 are not.
    few = bombs.filled_rows_bomb(50, 1, bombs.genuine(sheet, headers))
    many = bombs.filled_rows_bomb(800, 1, bombs.genuine(sheet, headers))

    with pytest.raises(WorkbookError) as caught:
        read(many)
    assert caught.value.messages == [excel.too_slow()]
    assert excel.too_slow() not in messages_of(
        read, few
    )  # it may dislike the figures, not the time


def messages_of(read, data: bytes) -> list[str]:
    try:
        read(data)
    except WorkbookError as error:
        return error.messages
    return []


@pytest.mark.once
def test_the_largest_genuine_values_workbook_is_within_every_limit():
    """5 000 rows, as the portal writes them, with long texts: read, not refused."""
    row = values_workbooks.ExportRow(
        "HP",
        "Thành phố Hải Phòng",
        YEAR,
        "1.1.2",
        "Tỷ lệ người dân tham gia học tập suốt đời tại trung tâm học tập cộng đồng " * 3,
        "≥ 70 %",
        numerator=1234,
        denominator=5678,
        note="Số liệu của phòng giáo dục và đào tạo " * 3,
    )
    data = values_workbooks.build_workbook([row] * excel.MAX_DATA_ROWS)

    assert len(values_workbooks.read_workbook(data)) == excel.MAX_DATA_ROWS


# --- Through the pages and the commands: a message, nothing written ---------------------------


@pytest.mark.django_db
def test_the_values_import_refuses_a_shared_strings_bomb(client_for, world, unchanged):
    with unchanged():
        html = upload_then_confirm(client_for("division"), bombs.shared_strings_bomb(LIMIT // 2))
    assert "Tệp có quá nhiều ô, dòng và chuỗi văn bản (hơn 200.000 phần tử)" in html


@pytest.mark.django_db
def test_the_agency_list_refuses_a_far_row(client_for, world, unchanged):
    world.indicators["1.1.2"].list_source = ListSource.AGENCY_SCORES
    world.indicators["1.1.2"].save()
    data = bombs.far_row_bomb(
        1_048_576, bombs.genuine(lists.AGENCY_SHEET, (lists.AGENCY_NAME, lists.AGENCY_SCORE))
    )
    with unchanged():
        response = client_for("division").post(
            reverse("measurements:share_list", args=[YEAR, "HP", "1.1.2"]),
            {"file": SimpleUploadedFile("danh-sach.xlsx", data, XLSX)},
        )
    assert response.status_code == 200
    assert "Trang tính «Danh sách» dùng tới dòng thứ 10.001 trở đi" in page(response)


@pytest.mark.django_db
def test_the_criteria_set_import_refuses_a_styles_bomb(client_for, world, unchanged):
    data = bombs.styles_bomb(
        excel.MAX_STYLE_ELEMENTS + 1,
        bombs.genuine(criteria_workbooks.SHEET, criteria_workbooks.HEADERS),
    )
    with unchanged():
        html = upload_criteria_set(client_for("standing_office"), data)
    assert "Tệp có quá nhiều định dạng ô" in html


@pytest.mark.django_db
def test_the_import_commands_refuse_a_bomb(world, personas, unchanged, tmp_path: Path):
    path = tmp_path / "bom.xlsx"
    path.write_bytes(bombs.empty_rows_bomb(LIMIT + 1))
    with unchanged(), pytest.raises(CommandError, match="Tệp có quá nhiều ô, dòng"):
        call_command("import_workbook", str(path), "--user", "vanphong")
    criteria_set = bombs.genuine(criteria_workbooks.SHEET, criteria_workbooks.HEADERS)
    path.write_bytes(bombs.far_row_bomb(20_000, criteria_set))
    with unchanged(), pytest.raises(CommandError, match=r"dùng tới dòng thứ 10\.001"):
        call_command("import_criteria", str(path))


# --- One read in flight per person ---------------------------------------------------------------

BUSY = "Một tệp khác của bạn đang được đọc. Hãy chờ vài giây rồi tải lên lại."


def import_page(client, data: bytes) -> str:
    response = client.post(
        reverse("measurements:import"), {"file": SimpleUploadedFile("so-lieu.xlsx", data, XLSX)}
    )
    assert response.status_code == 200
    return page(response)


@pytest.mark.django_db
def test_a_second_upload_while_one_is_read_is_refused(client_for, world, personas, monkeypatch):
    """While the first read runs, the person's slot is taken: a second read for them is refused
    (as an upload reaching another worker would be), another person's is not."""
    seen = []
    original = values_workbooks.read_workbook

    def read_workbook(data: bytes):
        seen.append(WorkbookReading.objects.filter(reader=personas["division"]).count())
        with pytest.raises(WorkbookError) as caught:
            read_for(personas["division"], original, data)
        seen.append(caught.value.messages)
        seen.append(len(read_for(personas["district_a"], original, data)))
        return original(data)

    monkeypatch.setattr(values_workbooks, "read_workbook", read_workbook)
    html = import_page(client_for("division"), bombs.genuine())

    assert seen == [1, [BUSY], 1]
    assert "Không có đơn vị «HP»" not in html  # the first read went on to its preview
    assert not WorkbookReading.objects.exists()  # and gave its slot back


@pytest.mark.django_db
def test_an_upload_while_another_is_read_shows_why_and_keeps_nothing(client_for, world, personas):
    WorkbookReading.objects.create(reader=personas["division"], started_at=timezone.now())

    html = import_page(client_for("division"), bombs.genuine())

    assert BUSY in html
    assert "Tệp chưa được nhập:" in html  # no row to correct: the message says what to do
    assert "Hãy sửa các dòng sau" not in html
    assert not StagedImport.objects.exists()
    assert WorkbookReading.objects.filter(reader=personas["division"]).exists()  # not its own


@pytest.mark.django_db
def test_a_slot_left_by_a_killed_worker_is_taken_over(client_for, world, personas):
    started_at = timezone.now() - timedelta(minutes=1, seconds=1)
    WorkbookReading.objects.create(reader=personas["division"], started_at=started_at)

    html = import_page(client_for("division"), bombs.genuine())

    assert BUSY not in html
    assert not WorkbookReading.objects.exists()


@pytest.mark.django_db
def test_a_refused_read_gives_its_slot_back(client_for, world, personas):
    html = import_page(client_for("division"), bombs.far_row_bomb())
    assert "dùng tới dòng thứ 10.001" in html
    assert not WorkbookReading.objects.exists()


@pytest.mark.django_db
def test_the_agency_list_and_the_criteria_set_wait_for_the_same_slot(
    client_for, world, personas, unchanged
):
    world.indicators["1.1.2"].list_source = ListSource.AGENCY_SCORES
    world.indicators["1.1.2"].save()
    for name in ("division", "standing_office"):
        WorkbookReading.objects.create(reader=personas[name], started_at=timezone.now())
    agency_list = bombs.genuine(lists.AGENCY_SHEET, (lists.AGENCY_NAME, lists.AGENCY_SCORE))

    with unchanged():
        response = client_for("division").post(
            reverse("measurements:share_list", args=[YEAR, "HP", "1.1.2"]),
            {"file": SimpleUploadedFile("danh-sach.xlsx", agency_list, XLSX)},
        )
        criteria_html = upload_criteria_set(
            client_for("standing_office"),
            bombs.genuine(criteria_workbooks.SHEET, criteria_workbooks.HEADERS),
        )

    assert BUSY in page(response)
    assert BUSY in criteria_html
