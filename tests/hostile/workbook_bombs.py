"""Workbooks small on the wire and costly to read, built from a genuine one by rewriting one part
of the package: the worst a person can upload under the readers' limits (issue 16.1).

Each builder takes the genuine workbook to start from (by default a values workbook with its
header and one row), so that the reader gets past the header and does the costly work.
"""

import io
import re
import struct
import zipfile

from openpyxl import Workbook

from measurements.workbooks import HEADERS, SHEET

MAIN = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def genuine(sheet: str = SHEET, header: tuple[str, ...] = HEADERS) -> bytes:
    """A workbook whose first sheet has `header` in row 1 and one row of figures under it."""
    book = Workbook()
    book.active.title = sheet
    book.active.append(list(header))
    book.active.append(["HP", 2022, "1.1.1"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def unpacked_size(data: bytes) -> int:
    return sum(info.file_size for info in zipfile.ZipFile(io.BytesIO(data)).infolist())


def forge_declared_size(data: bytes, name: str, size: int) -> bytes:
    """The zip with a member's uncompressed size overwritten in its local header and in the
    central directory: its data inflate to more (or less) than it declares."""
    forged = bytearray(data)
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(name)
    struct.pack_into("<I", forged, info.header_offset + 22, size)
    central = forged.find(b"PK\x01\x02")
    while central != -1:
        length = struct.unpack_from("<H", forged, central + 28)[0]
        if forged[central + 46 : central + 46 + length] == name.encode():
            struct.pack_into("<I", forged, central + 24, size)
        central = forged.find(b"PK\x01\x02", central + 4)
    return bytes(forged)


def _replace(data: bytes, member: str, content: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for info in source.infolist():
            payload = content if info.filename == member else source.read(info.filename)
            target.writestr(info.filename, payload, compress_type=zipfile.ZIP_DEFLATED)
        if member not in source.namelist():
            target.writestr(member, content, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def _sheet_with(data: bytes, rows: bytes) -> bytes:
    """The first sheet with `rows` added after its own."""
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    sheet = re.sub(rb"</sheetData>", lambda _: rows + b"</sheetData>", sheet, count=1)
    return _replace(data, "xl/worksheets/sheet1.xml", sheet)


def _column(index: int) -> str:
    name = ""
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def _with_shared_strings(data: bytes, strings: bytes, count: int) -> bytes:
    """The workbook with a shared-strings part of `count` entries (`strings`), as Excel writes
    one; openpyxl reads the whole part when it opens the file, whatever the sheets use."""
    package = zipfile.ZipFile(io.BytesIO(data))
    relationships = package.read("xl/_rels/workbook.xml.rels").replace(
        b"</Relationships>",
        b'<Relationship Id="rIdStrings" Target="sharedStrings.xml" Type="http://schemas.'
        b'openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/></Relationships>',
    )
    types = package.read("[Content_Types].xml").replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
        b'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    content = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<sst xmlns="'
        + MAIN
        + b'" '
        + b'count="%d" uniqueCount="%d">' % (count, count)
        + strings
        + b"</sst>"
    )
    data = _replace(data, "xl/_rels/workbook.xml.rels", relationships)
    data = _replace(data, "[Content_Types].xml", types)
    return _replace(data, "xl/sharedStrings.xml", content)


def shared_strings_bomb(count: int, data: bytes | None = None) -> bytes:
    """`count` one-letter shared strings."""
    return _with_shared_strings(data or genuine(), b"<si><t>a</t></si>" * count, count)


def long_string_bomb(length: int, data: bytes | None = None) -> bytes:
    """One shared string of `length` letters (Excel keeps at most 32 767 in a cell)."""
    return _with_shared_strings(data or genuine(), b"<si><t>" + b"a" * length + b"</t></si>", 1)


def empty_rows_bomb(count: int, data: bytes | None = None) -> bytes:
    """`count` empty rows after the sheet's own (each read and skipped)."""
    return _sheet_with(
        data or genuine(), b"".join(b'<row r="%d"/>' % number for number in range(10, 10 + count))
    )


def far_row_bomb(number: int = 1_048_576, data: bytes | None = None) -> bytes:
    """One figure in row `number`: a reader walks every row before it."""
    return _sheet_with(
        data or genuine(), b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (number, number)
    )


def wide_rows_bomb(rows: int, columns: int, data: bytes | None = None) -> bytes:
    """`rows` rows of `columns` empty cells each (`<c r="…"/>`)."""
    letters = [_column(index).encode() for index in range(1, columns + 1)]
    body = b"".join(
        b'<row r="%d">' % number
        + b"".join(b'<c r="%s%d"/>' % (letter, number) for letter in letters)
        + b"</row>"
        for number in range(10, 10 + rows)
    )
    return _sheet_with(data or genuine(), body)


def styles_bomb(count: int, data: bytes | None = None) -> bytes:
    """`count` cell formats in the styles part (openpyxl reads every one when it opens the file)."""
    data = data or genuine()
    styles = zipfile.ZipFile(io.BytesIO(data)).read("xl/styles.xml")
    formats = b'<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' * count
    styles = re.sub(
        rb"<cellXfs[^>]*>.*?</cellXfs>",
        lambda _: b'<cellXfs count="%d">' % count + formats + b"</cellXfs>",
        styles,
        count=1,
        flags=re.S,
    )
    return _replace(data, "xl/styles.xml", styles)


def filled_rows_bomb(rows: int, columns: int, data: bytes | None = None) -> bytes:
    """`rows` rows of `columns` cells each holding a figure, from row 10 on."""
    letters = [_column(index).encode() for index in range(1, columns + 1)]
    body = b"".join(
        b'<row r="%d">' % number
        + b"".join(b'<c r="%s%d"><v>1</v></c>' % (letter, number) for letter in letters)
        + b"</row>"
        for number in range(10, 10 + rows)
    )
    return _sheet_with(data or genuine(), body)
