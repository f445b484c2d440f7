"""A sentence kept as its message and its figures, said in a language only when it is shown.

The portal writes some sentences once and shows them in two places: the scoring explanation is
Vietnamese in the records and documents it produces (the `evaluate` JSON, a frozen record, a
report) and in the reader's language on a page. A `Sentence` holds the English message (marked
with ``gettext_noop`` where it is written, so that `makemessages` collects it) and its figures;
`vietnamese()` says it for a contract, ``str()`` in the active language, and a template shows it
in the active language with the Vietnamese names it quotes marked ``lang="vi"``.

Figures: a number (Decimal or int; `Number` for a fixed count of decimals) is written the
language's way ("70,5" or "70.5"); a nested `Sentence` is said in the same language; a tuple of
sentences is said one after the other, separated by "; "; text (a name from the catalogue, a
reason someone typed) is quoted as it is, marked Vietnamese on a page in another language when it
has a letter beyond ASCII (a part's code "a" or a dash "—" is not marked; "Chất thải rắn" is).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Union

from django.utils import translation
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_noop

from common.numbers import show_number

__all__ = ["Number", "Sentence", "change", "say"]

VIETNAMESE = "vi"


@dataclass(frozen=True)
class Number:
    """A figure shown with exactly ``places`` decimals, rounded half up ("66,67")."""

    value: Decimal | int
    places: int


Figure = Union["Sentence", tuple["Sentence", ...], Number, Decimal, int, str]


class Sentence:
    """One sentence (or a clause of one): see the module's docstring. Immutable by convention; a
    plain class with slots because scoring makes a few hundred thousand of them a second."""

    __slots__ = ("figures", "message")

    def __init__(self, message: str, figures: Mapping[str, Figure] | None = None) -> None:
        self.message = message
        self.figures = {} if figures is None else figures

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sentence):
            return NotImplemented
        return (self.message, self.figures) == (other.message, other.figures)

    __hash__ = None  # type: ignore[assignment]  # its figures are a mapping

    def __repr__(self) -> str:
        return f"Sentence({self.message!r}, {self.figures!r})"

    def vietnamese(self) -> str:
        """The sentence in Vietnamese, whatever the active language: what contracts record."""
        if translation.get_language() == VIETNAMESE:
            return self._said(html=False, language=VIETNAMESE)
        with translation.override(VIETNAMESE):
            return self._said(html=False, language=VIETNAMESE)

    def __str__(self) -> str:
        return self._said(html=False, language=translation.get_language())

    def __html__(self) -> SafeString:
        """For a template: the active language, each quoted name marked Vietnamese on a page in
        another language (WCAG 3.1.2)."""
        return mark_safe(self._said(html=True, language=translation.get_language()))

    def _said(self, *, html: bool, language: str | None) -> str:
        figures = {name: _figure(value, html, language) for name, value in self.figures.items()}
        message = _translated(language, self.message)
        return (conditional_escape(message) if html else message) % figures


@functools.lru_cache(maxsize=4096)
def _translated(language: str | None, message: str) -> str:
    """`gettext` of the message in `language`, the active one when called: a page or a report
    says the same few dozen messages thousands of times, and the catalogues do not change while
    the process runs."""
    return translation.gettext(message)


def change(label: object, before: str, after: str) -> Sentence:
    """ "Label: before → after" of a history or a preview: the label in the page's language, the
    values as they are written (a name someone typed is marked Vietnamese on another page)."""
    return say(
        gettext_noop("%(label)s: %(before)s → %(after)s"),
        label=str(label),
        before=before,
        after=after,
    )


def say(message: str, **figures: Figure) -> Sentence:
    """A `Sentence`; write ``say(gettext_noop("…%(name)s…"), name=…)``."""
    return Sentence(message, figures)


def _figure(value: Figure, html: bool, language: str | None) -> str:
    if isinstance(value, Sentence):
        return value._said(html=html, language=language)
    if isinstance(value, str):
        if not html:
            return value
        if language != VIETNAMESE and _has_vietnamese_letters(value):
            return f'<span lang="vi">{conditional_escape(value)}</span>'
        return conditional_escape(value)
    if isinstance(value, Number):
        return show_number(value.value, value.places, language)
    if isinstance(value, (Decimal, int)) and not isinstance(value, bool):
        return show_number(value, None, language)
    if isinstance(value, tuple):
        return "; ".join(_figure(part, html, language) for part in value)
    raise TypeError(f"A sentence's figure cannot be a {type(value).__name__}.")


def _has_vietnamese_letters(text: str) -> bool:
    return any(char.isalpha() and not char.isascii() for char in text)
