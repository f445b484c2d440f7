"""What the accepted evidence types are: their content types, names, extensions and the bytes
they begin with, and the refusal every check raises (evidence/uploads.py, evidence/inspection.py).
"""

from django.core.exceptions import ValidationError

#: How much of a file any check reads at once.
CHUNK_SIZE = 64 * 1024

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
DOC = "application/msword"
XLS = "application/vnd.ms-excel"
JPEG = "image/jpeg"
PNG = "image/png"

#: Accepted extension → the content type it must contain (and that downloads declare).
ALLOWED_TYPES = {
    ".pdf": PDF,
    ".docx": DOCX,
    ".xlsx": XLSX,
    ".odt": ODT,
    ".ods": ODS,
    ".doc": DOC,
    ".xls": XLS,
    ".jpg": JPEG,
    ".jpeg": JPEG,
    ".png": PNG,
}
#: What people call each type, in messages.
TYPE_NAMES = {
    PDF: "PDF",
    DOCX: "Word (.docx)",
    XLSX: "Excel (.xlsx)",
    ODT: "OpenDocument (.odt)",
    ODS: "OpenDocument (.ods)",
    DOC: "Word (.doc)",
    XLS: "Excel (.xls)",
    JPEG: "JPEG",
    PNG: "PNG",
}
ALLOWED_LIST = "PDF, Word, Excel, OpenDocument, JPEG, PNG"
ACCEPT_ATTRIBUTE = ",".join(ALLOWED_TYPES)  # for <input type="file" accept="…">

OLE2_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
PNG_MAGIC = bytes.fromhex("89504E470D0A1A0A")
JPEG_MAGIC = bytes.fromhex("FFD8FF")
ZIP_MAGIC = b"PK\x03\x04"
EXECUTABLE_MAGICS = (
    b"MZ",  # Windows .exe, .dll
    b"\x7fELF",  # Linux
    b"#!",  # scripts
    b"\xfe\xed\xfa\xce",  # Mach-O
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
)
#: Unicode categories never found in a real file name: controls (NUL…), invisible format
#: characters (the right-to-left override that disguises "exe.pdf"), line separators, surrogates.
FORBIDDEN_CATEGORIES = {"Cc", "Cf", "Zl", "Zp", "Cs"}


class UploadRefused(ValidationError):
    """An uploaded file that is not accepted as evidence; the message says why."""
