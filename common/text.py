"""How text is kept and compared: NFC with one kind of line break, and a folded key for matching
names typed by people (any case, with or without diacritics, đ as d, single spaces)."""

import unicodedata


def normalise_text(text: str) -> str:
    """NFC, one kind of line break, no surrounding blanks: how every text is compared and kept."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    return text.strip()


def fold(text: str) -> str:
    """How names are matched: no diacritics, đ as d, single spaces, any case ("KHÔNG" → "khong")."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.split()).casefold()
