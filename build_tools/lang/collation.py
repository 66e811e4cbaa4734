"""Index order by language: Chicago's letter-by-letter rule on the language's own alphabet (ICU).

CMOS 16.59 and REFERENCE.md §4: letter by letter up to the first comma or parenthesis (spaces,
hyphens, apostrophes and other punctuation ignored: Newark before New York; Sun, Li before Sun
Yat-sen), then the rest; diacritics ignored where the language treats them as accents (Joffé
with Joffe), Mac and Mc as spelled. An ICU collator used on the whole heading gets this wrong
(it weighs the space and the comma); used on the letters of each part it gives the language's
alphabet: Swedish puts Å, Ä and Ö after Z, Polish Ł after L and Ś after S, German ü with u.
"""

from __future__ import annotations

import functools
import re
import unicodedata

# Where the letter-by-letter part of a heading ends (CMOS 16.59).
_CUT = re.compile(r"[,(]")


class Collation:
    """The index order and letter groups of one language (a BCP 47 tag: ``sv``, ``de-AT``)."""

    def __init__(self, language: str) -> None:
        import icu  # here, not at import: only a book with an index loads ICU (13 MiB, 0.1 s)

        locale = icu.Locale.forLanguageTag(language)
        # Primary strength: letters only, so an accent or a capital never outranks the next letter
        # (the language decides what is a letter: å is one in Swedish, an accented a in English).
        self._letters = icu.Collator.createInstance(locale)
        self._letters.setStrength(icu.Collator.PRIMARY)
        self._ties = icu.Collator.createInstance(locale)  # tertiary: Joffe before Joffé, nothing equal
        alphabet = icu.AlphabeticIndex(locale)
        alphabet.addLabels(icu.Locale.getEnglish())  # Latin names in a book of another script
        self._groups = alphabet.buildImmutableIndex()
        self._normal = icu.UAlphabeticIndexLabelType.NORMAL

    def key(self, heading: str) -> tuple[bytes, bytes, bytes]:
        """The sort key of a heading: its letters up to the first comma or parenthesis, then the
        letters after it, then the whole heading (accents and case) to break a tie."""
        head, rest = split(heading)
        return (
            bytes(self._letters.getSortKey(letters(head))),
            bytes(self._letters.getSortKey(letters(rest))),
            bytes(self._ties.getSortKey(heading)),
        )

    def group(self, heading: str) -> str:
        """The letter group a heading is listed under: its first letter in the language's alphabet
        (Åberg under A in English, under Å in Swedish), else its first letter as written (a
        heading in a script the language's alphabet lacks), else ``#``."""
        first = letters(split(heading)[0])
        if not first:
            return "#"
        label, kind = self._groups.getBucket(self._groups.getBucketIndex(first))
        if kind == self._normal:
            return str(label)
        return first[0].upper()


@functools.cache
def collation(language: str) -> Collation:
    """The collation of ``language``, made once (a collator is read-only once made)."""
    return Collation(language)


def split(heading: str) -> tuple[str, str]:
    """The heading up to its first comma or parenthesis, and the rest from there."""
    cut = _CUT.search(heading)
    return (heading[: cut.start()], heading[cut.start() :]) if cut else (heading, "")


def letters(text: str) -> str:
    """The letters, digits and their marks of ``text``: no spaces, hyphens or punctuation."""
    return "".join(c for c in unicodedata.normalize("NFC", text) if unicodedata.category(c)[0] in "LMN")
