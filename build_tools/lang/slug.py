"""Slugs: the words of a title or a heading as a file name or an id, in any script.

Lower case, words joined by hyphens, compatibility forms read as what they stand for (ﬁ → fi).
A Latin letter with a diacritic gives its base letter (Unicode decomposition: "L'Été de la
révolution" → ``l-ete-de-la-revolution``); the few Latin letters that do not decompose are
spelled as they are in ASCII (ł → l, ß → ss, æ → ae). Letters of other scripts are kept as they
are ("孙中山传" → ``孙中山传``): they are valid in a file name and in an XML name (XML 1.0 §2.3,
so in an EPUB id), and no letter is ever dropped.
"""

from __future__ import annotations

import re
import unicodedata

# Latin letters with no decomposition into a base letter and marks (Unicode's UnicodeData.txt).
_UNDECOMPOSED = str.maketrans(
    {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ħ": "h", "ı": "i"}
)
_RUNS = re.compile(r"-{2,}")


def slug(text: str, fallback: str) -> str:
    """The slug of ``text``; ``fallback`` when it has no letter or digit at all."""
    out: list[str] = []
    latin = False  # the last letter was Latin: a combining mark after it is its accent, dropped
    for char in unicodedata.normalize("NFKC", text).lower().translate(_UNDECOMPOSED):
        kind = unicodedata.category(char)
        if kind[0] == "M":
            if not latin:
                out.append(char)  # a vowel sign or a mark of another script: part of the letter
        elif kind[0] == "L" or kind == "Nd":
            latin = "LATIN" in unicodedata.name(char, "")
            out.append(_base(char) if latin else char)
        else:
            latin = False
            out.append("-")
    return _RUNS.sub("-", "".join(out)).strip("-") or fallback


def _base(char: str) -> str:
    """A Latin letter without its diacritics: é → e, ǎ → a."""
    return "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))


# A file name may be 255 bytes (ext4, APFS, NTFS): the slug leaves room for what is added to
# it (``-cover-ingramspark.pdf``, a temporary file's ``.xxxxxxxx.part``). A title of 300
# letters made a name too long to write (issue 17).
FILE_SLUG_BYTES = 120
# Names Windows refuses for a file, whatever follows the dot (CON.epub is the console).
_RESERVED = {"con", "prn", "aux", "nul", *(f"{d}{n}" for d in ("com", "lpt") for n in range(1, 10))}
_UNSAFE = re.compile(r'[/\\:*?"<>|\x00-\x1f\x7f-\x9f]')


def file_slug(text: str) -> str:
    """The slug of a title as the books' file name: at most ``FILE_SLUG_BYTES`` in UTF-8, cut
    at a hyphen when there is one in the last third."""
    whole = slug(text, "book")
    if len(whole.encode()) <= FILE_SLUG_BYTES:
        return whole
    cut = whole.encode()[:FILE_SLUG_BYTES].decode(errors="ignore")
    hyphen = cut.rfind("-")
    return cut[:hyphen] if hyphen > len(cut) * 2 // 3 else cut


def slug_problem(value: str) -> str | None:
    """Why ``value`` (``slug`` in book.toml) cannot be the books' file name, or None. It must
    be a name, not a path: a manuscript may come from anyone, and its books go in ``--out``."""
    if not value.strip():
        return "is empty"
    if len(value.encode()) > FILE_SLUG_BYTES:
        return f"is longer than {FILE_SLUG_BYTES} bytes"
    if unsafe := _UNSAFE.search(value):
        return f"has {unsafe[0]!r} in it: a file name, not a path (letters, digits, hyphens)"
    if value.startswith(".") or value != value.strip() or value.endswith("."):
        return "may not start with a dot, end with a dot or space, or start with a space"
    if value.split(".")[0].lower() in _RESERVED:
        return "is a name Windows reserves for a device"
    return None
