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
