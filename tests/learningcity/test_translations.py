"""Every user-visible string has its Vietnamese translation; the compiled catalogue is current."""

import ast
import gettext
import re
from pathlib import Path

import pytest

LOCALE = Path(__file__).parents[2] / "locale"


def read_po(path: Path) -> dict[tuple[str | None, str], str]:
    """(msgctxt, msgid) → msgstr of a .po file (a plural entry's first form; fuzzy ones map to
    "")."""
    entries: dict[tuple[str | None, str], str] = {}
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.splitlines() if not line.startswith("#~")]
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        fields: dict[str, str] = {}
        key = None
        for line in lines:
            match = re.match(r'^(msgid|msgstr|msgctxt|msgid_plural|msgstr\[\d+\]) (".*")$', line)
            if match:
                key = match.group(1)
                fields[key] = ast.literal_eval(match.group(2))
            elif line.startswith('"') and key:
                fields[key] += ast.literal_eval(line)
        if fields.get("msgid"):
            key = (fields.get("msgctxt"), fields["msgid"])
            entries[key] = "" if fuzzy else fields.get("msgstr", fields.get("msgstr[0]", ""))
    return entries


def test_every_vietnamese_string_is_translated():
    entries = read_po(LOCALE / "vi/LC_MESSAGES/django.po")
    assert entries
    untranslated = [msgid for msgid, msgstr in entries.items() if not msgstr]
    assert untranslated == []


@pytest.mark.parametrize("language", ["vi", "en"])
def test_compiled_catalogue_matches_the_po_file(language):
    directory = LOCALE / language / "LC_MESSAGES"
    with (directory / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for (context, msgid), msgstr in read_po(directory / "django.po").items():
        if msgstr:
            found = compiled.pgettext(context, msgid) if context else compiled.gettext(msgid)
            assert found == msgstr, msgid


# --- Every message has its English ------------------------------------------------------------
#
# The portal's messages are written in English and translated into Vietnamese, so a message has
# its English translation when it goes through gettext. A sentence written in Vietnamese straight
# into the code has none: an English page would show it in Vietnamese. The scan below finds every
# string with a letter only Vietnamese uses, outside docstrings and gettext's arguments, and
# fails unless the place is one where Vietnamese stays Vietnamese whatever the reader's language.

VIETNAMESE_LETTER = re.compile(
    "[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]", re.IGNORECASE
)
GETTEXT_CALLS = {
    "_",
    "gettext",
    "gettext_lazy",
    "gettext_noop",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
}
APPS = (
    "assignments",
    "common",
    "criteria",
    "evaluation",
    "evidence",
    "learningcity",
    "measurements",
    "notifications",
)
_WORKBOOK = "a workbook's contract: its sheet, column and label names and the words its cells take"
#: Module → top-level names where Vietnamese stays Vietnamese, and why ("*": the whole module).
VIETNAMESE_BY_DESIGN: dict[str, dict[str, str]] = {
    "common/text.py": {"fold": "the letter đ, which folding turns into d"},
    "criteria/scoring.py": {
        "KINDS": "each kind's Vietnamese name, as the criteria workbook has it"
    },
    "criteria/workbooks.py": {
        **dict.fromkeys(
            [
                "SHEET",
                "GUIDE_SHEET",
                "SET_CODE",
                "SET_NAME",
                "SET_LEVEL",
                "LEGAL_BASIS",
                "FIRST_YEAR",
                "LAST_YEAR",
                "EXAMPLE",
                "RULE",
                "MIN_MET",
                "EXAMPLE_NAMES",
                "RULE_NAMES",
                "ITEM_LEVEL",
                "CODE",
                "TEXT",
                "GUIDANCE",
                "KIND",
                "THRESHOLD",
                "UNIT",
                "BASIS",
                "NUMERATOR_LABEL",
                "DENOMINATOR_LABEL",
                "GROWTH_RATE",
                "GROWTH_RATE_NAMES",
                "VALIDITY",
                "RECOGNITION_LEVEL",
                "ITEM_LEVEL_NAMES",
                "SET_LEVEL_NAMES",
                "_ALIASES",
            ],
            _WORKBOOK,
        ),
        "TEMPLATE": "the example rows of the template workbook, a Vietnamese document",
        "_GUIDE": "the guide sheet of the template workbook, a Vietnamese document",
        "_write_guide": "the guide sheet's title",
    },
    "measurements/workbooks.py": {
        **dict.fromkeys(
            [
                "SHEET",
                "UNIT",
                "YEAR",
                "INDICATOR",
                "PART",
                "TEXT",
                "REQUIREMENT",
                "YES",
                "NUMERATOR",
                "DENOMINATOR",
                "VALUE",
                "PREVIOUS",
                "PREVIOUS_SOURCE",
                "GROWTH_RATE",
                "ESTIMATE",
                "NOTE",
                "(YES_TEXT, NO_TEXT)",
            ],
            _WORKBOOK,
        ),
        "_write_title": "the values workbook's title, a Vietnamese document",
    },
    "measurements/lists.py": dict.fromkeys(
        [
            "AGENCY_SHEET",
            "AGENCY_NAME",
            "AGENCY_SCORE",
            "AGENCY_RATING",
            "AGENCY_RATING_YEAR",
            "AGENCY_DECISION",
        ],
        _WORKBOOK,
    ),
    "measurements/models.py": {
        "Rating": "the ratings as Thông tư 22/2020/TT-BGDĐT names them (an official text)"
    },
    "assignments/offices.py": dict.fromkeys(
        ["SHEET", "CODE", "NAME", "UNIT", "PROPOSED_NAME"], _WORKBOOK
    ),
    "assignments/units.py": {
        **dict.fromkeys(
            [
                "SHEET",
                "CODE",
                "NAME",
                "KIND",
                "PARENT",
                "VALID_FROM",
                "VALID_TO",
                "SUCCESSORS",
                "POSITION",
                "KIND_WORDS",
            ],
            _WORKBOOK,
        ),
    },
    "assignments/administration/workbook.py": dict.fromkeys(
        [
            "SHEET",
            "CODES_SHEET",
            "USERNAME",
            "FULL_NAME",
            "EMAIL",
            "DEPARTMENT",
            "DEPARTMENT_NAME",
            "GROUPS_COLUMN",
        ],
        _WORKBOOK,
    ),
    "assignments/permissions.py": dict.fromkeys(
        ("STANDING_OFFICE_GROUP", "STEERING_COMMITTEE_GROUP", "ADMINISTRATORS_GROUP"),
        "a group's name, which the database keys on",
    ),
    "assignments/services.py": {
        "DISTRICT_ROLE_TEXT": "the plan's verb, stored with the assignments it makes"
    },
    "evaluation/reports.py": {"*": "the committee's report, a document Vietnamese offices sign"},
    "evaluation/documents.py": {"*": "official documents in the form of Nghị định 30/2020/NĐ-CP"},
    "evaluation/models.py": {
        "DocumentSettings": "the plan's own letterhead and signer, the documents' defaults"
    },
    "evaluation/archive.py": {"*": "the year's archive, a frozen record, and its command's output"},
    "learningcity/settings.py": {
        "LANGUAGES": "the name of Vietnamese in Vietnamese",
        "DEFAULT_FROM_EMAIL": "the portal's name as its mail's sender",
    },
}
#: Operators' commands print at the console in Vietnamese: they are not pages of the portal, and
#: their output is left as it is (translating it is a separate step).
COMMANDS = "management/commands/"


def vietnamese_strings(path: Path) -> list[tuple[str, int, str]]:
    """(top-level name, line, text) of each string with a Vietnamese letter outside docstrings
    and the arguments of gettext calls."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    ignored: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        first = body[0] if isinstance(body, list) and body else None
        if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
            ignored.add(id(first.value))
        if isinstance(node, ast.Call):
            called = node.func
            name = called.id if isinstance(called, ast.Name) else getattr(called, "attr", None)
            if name in GETTEXT_CALLS:
                ignored.update(id(inner) for inner in ast.walk(node))
    found = []
    for top in tree.body:
        name = getattr(top, "name", None)
        if name is None and isinstance(top, (ast.Assign, ast.AnnAssign)):
            target = top.targets[0] if isinstance(top, ast.Assign) else top.target
            name = ast.unparse(target)
        for node in ast.walk(top):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in ignored
                and VIETNAMESE_LETTER.search(node.value)
            ):
                found.append((name or "", node.lineno, node.value))
    return found


def test_every_message_the_portal_shows_has_its_english_translation():
    root = LOCALE.parent
    untranslated = []
    for app in APPS:
        for path in sorted((root / app).rglob("*.py")):
            relative = path.relative_to(root).as_posix()
            if "/migrations/" in relative or COMMANDS in relative:
                continue
            allowed = VIETNAMESE_BY_DESIGN.get(relative, {})
            untranslated += [
                f"{relative}:{line} {text[:60]!r}"
                for name, line, text in vietnamese_strings(path)
                if "*" not in allowed and name not in allowed
            ]
    assert untranslated == []


def test_the_scan_finds_a_vietnamese_message_and_passes_a_translated_one(tmp_path):
    module = tmp_path / "module.py"
    module.write_text(
        '"""Mô-đun."""\n'
        "from django.utils.translation import gettext\n"
        "def refuse():\n"
        '    """Từ chối."""\n'
        '    raise ValueError("Không được để trống.")\n'
        "def refuse_translated():\n"
        '    raise ValueError(gettext("Không được để trống: «%(x)s».") % {"x": "1.1"})\n',
        encoding="utf-8",
    )
    assert vietnamese_strings(module) == [("refuse", 5, "Không được để trống.")]


#: English sentences that quote a Vietnamese term on purpose (their English is the msgid).
QUOTING_VIETNAMESE = {
    "The plan's verb for this part, verbatim, e.g. “tham mưu, tổng hợp”.",
    "Agencies rated Khá or better (score ≥ 70)",
    "Shown in the explanation, e.g. “quận/huyện được công nhận”.",
    "Indicator %(code)s of %(unit)s says «yes»: attach the document (minh chứng) or record an "
    "explanation before approving it.",
}


def test_a_message_written_in_vietnamese_is_translated_into_english():
    """gettext("Không được…") would pass the scan above but show Vietnamese on an English page
    unless the English catalogue translates it."""
    english = read_po(LOCALE / "en/LC_MESSAGES/django.po")
    missing = [
        msgid
        for (context, msgid), msgstr in english.items()
        if VIETNAMESE_LETTER.search(msgid) and msgid not in QUOTING_VIETNAMESE and not msgstr
    ]
    assert missing == []
