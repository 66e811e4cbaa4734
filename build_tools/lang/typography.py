"""The typography of a language: its quotation marks, the spaces it sets around punctuation,
and where its note calls stand.

Straight quotes become the language's curly ones (``curl``): " its primary quotation marks,
' an apostrophe between letters and its secondary marks elsewhere; French sets a no-break
thin space (U+202F) inside « » and before ; ! ? and a no-break space before : (Imprimerie
nationale; ``SPACE_BEFORE``). English and German put a note call after the punctuation
(Chicago 14.26: "after any punctuation mark except the dash"); French, Spanish and Italian
before it. A language this table does not know keeps its straight quotes: no style is guessed.

``parse/typeset.py`` applies all of it to the text of a book; ``checks/prose.py`` reads the
manuscript with the same quotation marks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

NNBSP = "\u202f"  # narrow no-break space: the French "espace fine insécable"
NBSP = "\u00a0"
STRAIGHT = "\"'"
APOSTROPHE = "’"


@dataclass(frozen=True)
class Typography:
    """How one language sets quotations and note calls (``None``: quotes left as typed)."""

    double: tuple[str, str] | None  # what "…" becomes
    single: tuple[str, str] | None  # what '…' becomes (not an apostrophe)
    spaced: bool = False  # French spaces inside « » and before ; : ! ?
    call_first: bool = False  # the note call goes before the punctuation

    @property
    def pairs(self) -> tuple[tuple[str, str], ...]:
        """The quotation marks that pair up, when opening and closing differ."""
        found = (self.double, self.single)
        return tuple(pair for pair in found if pair is not None and pair[0] != pair[1])


ENGLISH = Typography(("“", "”"), ("‘", "’"))
_GUILLEMETS = Typography(("«", "»"), ("“", "”"), call_first=True)
_STYLES = {
    "en": ENGLISH,
    "nl": ENGLISH,
    "pt": ENGLISH,
    "zh": ENGLISH,
    "de": Typography(("„", "“"), ("‚", "‘")),
    "cs": Typography(("„", "“"), ("‚", "‘")),
    "pl": Typography(("„", "”"), ("‚", "’")),
    "sv": Typography(("”", "”"), ("’", "’")),
    "fi": Typography(("”", "”"), ("’", "’")),
    "ru": Typography(("«", "»"), ("„", "“"), call_first=True),
    "fr": Typography(("«", "»"), ("“", "”"), spaced=True, call_first=True),
    "es": _GUILLEMETS,
    "it": _GUILLEMETS,
}
_UNKNOWN = Typography(None, None)
# The no-break space French sets before each of these marks.
SPACE_BEFORE = {";": NNBSP, "!": NNBSP, "?": NNBSP, ":": NBSP, "»": NNBSP}
# After these a quotation mark opens: the start of the text, a space, an opening bracket, a
# dash, a slash, another opening mark.
_OPENS_AFTER = set(" \t\n\u00a0\u202f\u2009([{—–-/«„‚“‘")


def typography(language: str) -> Typography:
    """The typography of a BCP 47 language tag (``fr-CA``: French's)."""
    return _STYLES.get(language.split("-")[0].lower(), _UNKNOWN)


def curl(text: str, style_at: Callable[[int], Typography], transparent: str = "") -> str:
    """``text`` with its straight quotes made curly, character for character (the same length):
    ``style_at(i)`` is the typography of the character at ``i``; the characters of
    ``transparent`` (Markdown's ``*`` and ``_``, to ``book check``) are looked through. A '
    between letters or digits and letters is an apostrophe (l’homme, don’t), as is one before
    a digit (’68) or after a word when no single quotation is open (the students’ books)."""
    out = list(text)
    open_single = False
    for index, char in enumerate(text):
        if char not in STRAIGHT:
            continue
        style = style_at(index)
        before, after = _neighbour(text, index, -1, transparent), _neighbour(text, index, 1, transparent)
        opens = before in _OPENS_AFTER
        if char == '"':
            if style.double is not None:
                out[index] = style.double[0 if opens else 1]
            continue
        if before.isalnum() and after.isalpha() or (opens and after.isdigit()):
            out[index] = APOSTROPHE
        elif opens and not after.isspace():
            if style.single is not None:
                out[index], open_single = style.single[0], True
        elif open_single and style.single is not None:
            out[index], open_single = style.single[1], False
        elif not opens:
            out[index] = APOSTROPHE
    return "".join(out)


def _neighbour(text: str, index: int, step: int, transparent: str) -> str:
    """The character next to ``index`` in direction ``step``, a space at either end."""
    index += step
    while 0 <= index < len(text) and text[index] in transparent:
        index += step
    return text[index] if 0 <= index < len(text) else " "
