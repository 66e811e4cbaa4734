"""The EPUB's font files, subset to the characters the e-book prints (issue 14, item 4).

Every face keeps the characters of every document of the package (the text, the generated
labels, the navigation with its hidden lists, ``alt`` texts) and of the strings the stylesheet
generates (``content: "*\\2003*"``), plus those a reading system sets by itself: the figures
and full stop of list numbers, the hyphens of automatic hyphenation. Every face gets them all,
not only the characters set in that face: deciding which text a reading system sets in italic
means running the cascade, and a character too many costs a few glyphs while one too few
prints in another font. The layout features the stylesheets ask for are kept beside fontTools'
defaults (kerning, ligatures, marks): small capitals, old-style, lining, tabular and
proportional figures.

The files keep their format (TrueType or OpenType, WOFF...): TTF and OTF are what every
reading system reads; Kobo lists TTF, OTF and WOFF 1.0 only, and the Adobe RMSDK readers
predate WOFF 2 (the commit that added this module says more). The output is the same bytes
for the same input: fontTools keeps the source's ``head.modified`` when told not to stamp the
time. A face whose OS/2 ``fsType`` forbids subsetting (bit 8) is packed whole.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from io import BytesIO
from pathlib import Path

from lxml import etree

# Set by reading systems without being in the text: list numbers (1. 2. …), the hyphen of
# automatic hyphenation (U+2010, else U+002D) and the soft hyphen it may show, the ellipsis of
# truncated titles, the no-break space.
ALWAYS = "0123456789.-\u2010\u00ad\u2026\u00a0 "
# CSS Fonts 4 maps font-variant-caps and font-variant-numeric to these OpenType features.
FEATURES = ("smcp", "c2sc", "onum", "lnum", "pnum", "tnum")
NO_SUBSETTING = 0x0100  # OS/2 fsType bit 8 (OpenType spec, "OS/2", fsType)
_CONTENT = re.compile(r"\bcontent\s*:([^;}]*)")
_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"|\'((?:[^\'\\]|\\.)*)\'', re.DOTALL)
_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})[ \t\n]?|\\(.)", re.DOTALL)
_SHOWN_ATTRIBUTES = ("alt", "title")


def used_text(trees: Iterable[etree._Element], stylesheet: str) -> str:
    """Every character the documents and the stylesheet's generated content can print, once."""
    chars = set(ALWAYS)
    for tree in trees:
        for element in tree.iter():
            chars.update(element.text or "", element.tail or "")
            if isinstance(element.tag, str):
                for name in _SHOWN_ATTRIBUTES:
                    chars.update(element.get(name) or "")
    chars.update(generated_text(stylesheet))
    return "".join(sorted(chars))


def generated_text(stylesheet: str) -> str:
    """The text of the strings in the stylesheet's ``content`` declarations, escapes decoded
    (CSS Syntax 3, §4.3.7: a backslash and up to six hex digits, or the character it escapes)."""
    found = []
    for declaration in _CONTENT.finditer(re.sub(r"/\*.*?\*/", "", stylesheet, flags=re.DOTALL)):
        for match in _STRING.finditer(declaration.group(1)):
            raw = match.group(1) if match.group(1) is not None else match.group(2)
            found.append(_ESCAPE.sub(_unescape, raw))
    return "".join(found)


def _unescape(match: re.Match[str]) -> str:
    if match.group(1) is not None:
        code = int(match.group(1), 16)
        return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"
    return "" if match.group(2) == "\n" else match.group(2)


def subset_font(path: Path, text: str) -> bytes:
    """The font at ``path`` with the glyphs of ``text`` only (and those its features reach)."""
    from fontTools import subset  # imported here: the glyph checks of a build never need it
    from fontTools.ttLib import TTFont

    font = TTFont(path, recalcTimestamp=False)
    if "OS/2" in font and font["OS/2"].fsType & NO_SUBSETTING:
        return path.read_bytes()
    options = subset.Options()
    options.layout_features = [*options.layout_features, *FEATURES]
    options.name_IDs = ["*"]  # the copyright, licence and its URL stay in the file (OFL §2)
    options.name_languages = ["*"]
    options.notdef_outline = True  # a character that slipped through shows as a box, not nothing
    options.recalc_timestamp = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    out = BytesIO()
    font.save(out)
    return out.getvalue()
