"""The glyphs a PDF draws: text that shows glyph 0, ``.notdef`` (the empty box of a character its
font lacks), fails the preflight's "no missing glyphs".

Every text-showing operator (``Tj``, ``TJ``, ``'``, ``"``) of each page's content, and of the
form XObjects it paints, is read with the font current at that point. A composite font's
string is a run of codes (PDF 32000-1 §9.7): its CMap gives each code's CID (``Identity-H``;
or an embedded CMap, in which WeasyPrint maps the code of a character no font has to CID 0),
the ``CIDToGIDMap`` each CID's glyph, and ``ToUnicode`` the character, for the message. The
fonts WeasyPrint and Ghostscript write are composite; a simple font (one byte a code, naming
its glyphs by encoding) has no glyph numbers to read, and is not checked.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace

import pikepdf

_TEXT_OPERATORS = {"Tj", "TJ", "'", '"'}
_IDENTITY = ("/Identity-H", "/Identity-V")
_HEX = rb"<([0-9A-Fa-f]*)>"
_TWO_BYTES: tuple[tuple[int, int, int], ...] = ((2, 0, 0xFFFF),)  # Identity-H's codespace
MAX_DEPTH = 8  # form XObjects inside form XObjects


@dataclass(frozen=True)
class Notdef:
    """A character drawn as .notdef: the page (from 1), the font, the character if known."""

    page: int
    font: str
    text: str

    def __str__(self) -> str:
        what = " ".join(f"“{c}” U+{ord(c):04X}" for c in self.text) or "a character"
        return f"page {self.page}: {what} in {self.font}"


def notdef_glyphs(pdf: pikepdf.Pdf) -> list[Notdef]:
    """Every character of the PDF drawn as .notdef, page by page."""
    fonts: dict[tuple[int, int], _Font | None] = {}

    def decoder(font: pikepdf.Object) -> _Font | None:
        key = font.objgen if font.is_indirect else (id(font), -1)
        if key not in fonts:
            fonts[key] = _Font.read(font)
        return fonts[key]

    found: list[Notdef] = []
    for number, page in enumerate(pdf.pages, 1):
        resources = page.get_resources() or pikepdf.Dictionary()
        for font, data in _strings(page, resources, decoder, 0):
            found += [Notdef(number, font.name, text) for text in font.notdef(data)]
    return found


def _strings(
    content: pikepdf.Page | pikepdf.Object,
    resources: pikepdf.Object,
    decoder: Callable[[pikepdf.Object], _Font | None],
    depth: int,
) -> Iterator[tuple[_Font, bytes]]:
    """(font, string) for every string shown in ``content`` and the forms it paints, in the
    composite fonts that can be read."""
    font: _Font | None = None
    saved: list[_Font | None] = []
    font_resources = resources.get("/Font") or pikepdf.Dictionary()
    for instruction in pikepdf.parse_content_stream(content):
        operator, operands = str(instruction.operator), instruction.operands
        if operator in _TEXT_OPERATORS:
            if font is not None:
                shown = operands[-1]
                for part in shown if isinstance(shown, pikepdf.Array) else (shown,):
                    if isinstance(part, pikepdf.String):
                        yield font, bytes(part)
        elif operator == "Tf":
            chosen = font_resources.get(str(operands[0]))
            font = None if chosen is None else decoder(chosen)
        elif operator == "q":
            saved.append(font)
        elif operator == "Q" and saved:
            font = saved.pop()
        elif operator == "Do" and depth < MAX_DEPTH:
            form = (resources.get("/XObject") or pikepdf.Dictionary()).get(str(operands[0]))
            if form is not None and form.get("/Subtype") == "/Form":
                yield from _strings(form, form.get("/Resources") or resources, decoder, depth + 1)


@dataclass(frozen=True)
class _Font:
    """How a composite font's strings map to glyphs: code lengths, code -> CID (None:
    identity), CID -> glyph (None: identity), code -> text."""

    name: str
    lengths: tuple[tuple[int, int, int], ...]  # (bytes, first code, last code)
    cids: dict[int, int] | None
    gids: bytes | None
    unicode: dict[int, str]
    good: frozenset[int] | None = None  # the codes drawn with a glyph (None: all but 0)

    @classmethod
    def read(cls, font: pikepdf.Object) -> _Font | None:
        """The decoder of a Type0 font with an identity or embedded CMap; None for others."""
        if font.get("/Subtype") != "/Type0" or not font.get("/DescendantFonts"):
            return None
        name = str(font.get("/BaseFont", "?")).lstrip("/")
        encoding = font.get("/Encoding")
        if isinstance(encoding, pikepdf.Name):
            if str(encoding) not in _IDENTITY:
                return None  # a predefined CMap (a font the reader supplies)
            lengths, cids = _TWO_BYTES, None
        elif isinstance(encoding, pikepdf.Stream):
            text = encoding.read_bytes()
            lengths, cids = _codespace(text), _cid_map(text)
        else:
            return None
        descendant = font.DescendantFonts[0]
        mapping = descendant.get("/CIDToGIDMap")
        gids = mapping.read_bytes() if isinstance(mapping, pikepdf.Stream) else None
        to_unicode = font.get("/ToUnicode")
        unicode = _unicode_map(to_unicode.read_bytes()) if isinstance(to_unicode, pikepdf.Stream) else {}
        decoder = cls(name.split("+")[-1], lengths, cids, gids, unicode)
        if cids is None and gids is None:
            return decoder
        codes = range(len(gids) // 2) if cids is None and gids is not None else (cids or {})
        return replace(decoder, good=frozenset(code for code in codes if decoder.glyph(code)))

    def glyph(self, code: int) -> int:
        """The glyph a code draws (0: .notdef)."""
        cid = code if self.cids is None else self.cids.get(code, 0)
        return cid if self.gids is None else int.from_bytes(self.gids[2 * cid : 2 * cid + 2] or b"\0")

    def notdef(self, data: bytes) -> list[str]:
        """The text of each code of ``data`` that is drawn as glyph 0."""
        if self.lengths == _TWO_BYTES and len(data) % 2 == 0:
            codes: Sequence[int] = struct.unpack(f">{len(data) // 2}H", data)
        else:
            codes = list(self._codes(data))
        if 0 not in codes if self.good is None else self.good.issuperset(codes):
            return []  # the usual case, checked in one step
        return [self.unicode.get(code, "") for code in codes if not self.glyph(code)]

    def _codes(self, data: bytes) -> Iterator[int]:
        """The codes of a string, each as long as the codespace range it falls in says."""
        index = 0
        while index < len(data):
            for length, first, last in self.lengths:
                code = int.from_bytes(data[index : index + length])
                if len(data) - index >= length and first <= code <= last:
                    break
            else:
                length, code = 1, data[index]
            yield code
            index += length


def _codespace(cmap: bytes) -> tuple[tuple[int, int, int], ...]:
    ranges = []
    for block in re.findall(rb"begincodespacerange(.*?)endcodespacerange", cmap, re.S):
        for low, high in re.findall(_HEX + rb"\s*" + _HEX, block):
            ranges.append((len(low) // 2, int(low or b"0", 16), int(high or b"0", 16)))
    return tuple(sorted(ranges)) or _TWO_BYTES


def _cid_map(cmap: bytes) -> dict[int, int]:
    cids: dict[int, int] = {}
    for block in re.findall(rb"begincidrange(.*?)endcidrange", cmap, re.S):
        for low, high, first in re.findall(_HEX + rb"\s*" + _HEX + rb"\s*(\d+)", block):
            start = int(low, 16)
            cids.update((code, int(first) + code - start) for code in range(start, int(high, 16) + 1))
    for block in re.findall(rb"begincidchar(.*?)endcidchar", cmap, re.S):
        cids.update((int(code, 16), int(cid)) for code, cid in re.findall(_HEX + rb"\s*(\d+)", block))
    return cids


def _unicode_map(cmap: bytes) -> dict[int, str]:
    """Code -> text of a ToUnicode CMap (single codes and ranges with a first value)."""
    text: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
        for code, value in re.findall(_HEX + rb"\s*" + _HEX, block):
            text[int(code, 16)] = _utf16(value)
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", cmap, re.S):
        for low, high, value in re.findall(_HEX + rb"\s*" + _HEX + rb"\s*" + _HEX, block):
            first = _utf16(value)
            for offset, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                text[code] = first[:-1] + chr(ord(first[-1]) + offset) if first else ""
    return text


def _utf16(value: bytes) -> str:
    return bytes.fromhex(value.decode()).decode("utf-16-be", errors="replace")
