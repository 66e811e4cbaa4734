"""The faces a book is set in, as its styles folder declares them in ``fonts.toml``.

    [text]                                      # the faces of the text; paths are relative
    family = "EB Garamond"                      # to the styles folder
    regular = "fonts/EBGaramond-Regular.ttf"    # required
    italic = "fonts/EBGaramond-Italic.ttf"      # optional, as the two below
    bold = "fonts/EBGaramond-Bold.ttf"
    bold-italic = "fonts/EBGaramond-BoldItalic.ttf"

The writers take the files and the ``@font-face`` rules from here: no module names a font file
(issue 11). A face left out is synthesized by the reading system or WeasyPrint.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from build_tools.errors import BookError, Location, key_location, read_toml

FONTS_FILE = "fonts.toml"
TABLE = "text"
# Each face's key and its CSS (font-weight, font-style), in the order the rules are written.
FACES = {
    "regular": ("normal", "normal"),
    "italic": ("normal", "italic"),
    "bold": ("bold", "normal"),
    "bold-italic": ("bold", "italic"),
}
KEYS = ("family", *FACES)
# The core media types of fonts in EPUB 3.3 (§3.2), and the first bytes of each kind of file:
# an OpenType/TrueType table directory (OpenType spec, "Table directory"), WOFF and WOFF2 headers.
MEDIA_TYPES = {".ttf": "font/ttf", ".otf": "font/otf", ".woff": "font/woff", ".woff2": "font/woff2"}
_SFNT = (b"\x00\x01\x00\x00", b"true", b"OTTO")
_SIGNATURES = {".ttf": _SFNT, ".otf": _SFNT, ".woff": (b"wOFF",), ".woff2": (b"wOF2",)}
# A family name goes into a CSS string and the copyright page as it is.
_BAD_FAMILY = re.compile(r'["\\\x00-\x1f\x7f]')


@dataclass(frozen=True)
class Face:
    """One font file of the family: its CSS weight and style, and where it is."""

    weight: str  # "normal" | "bold" (CSS font-weight)
    style: str  # "normal" | "italic" (CSS font-style)
    path: Path  # absolute

    @property
    def bold(self) -> bool:
        return self.weight == "bold"

    @property
    def name(self) -> str:
        """The file name, as the EPUB packs it (``fonts/<name>``)."""
        return self.path.name

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.path.suffix.lower()]


@dataclass(frozen=True)
class FontSet:
    """The family the text is set in and its faces: regular, then italic, bold, bold italic."""

    family: str
    faces: tuple[Face, ...]

    def css(self, url: Callable[[Face], str], faces: Sequence[Face] | None = None) -> str:
        """One ``@font-face`` rule a line for ``faces`` (all of them by default); ``url`` gives
        each face's address as the stylesheet that holds the rules sees it."""
        return "".join(
            f'@font-face {{ font-family: "{self.family}"; font-weight: {face.weight}; '
            f'font-style: {face.style}; src: url("{url(face)}"); }}\n'
            for face in (self.faces if faces is None else faces)
        )


def read_fonts(styles: Path) -> FontSet:
    """The faces ``styles/fonts.toml`` declares, each file checked; a BookError names the line."""
    path = styles / FONTS_FILE
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise BookError(
            f"the styles folder has no {FONTS_FILE}: declare the faces the book is set in "
            f'([{TABLE}] with family = "…" and regular = "fonts/….ttf")', Location(path)
        ) from None
    except UnicodeDecodeError:
        raise BookError("not valid UTF-8: save the file as UTF-8", Location(path)) from None
    except OSError as exc:
        raise BookError(f"cannot read file: {exc.strerror}", Location(path)) from None
    config = read_toml(path, text)
    table = _table(config, path, text)

    def where(key: str) -> Location:
        return key_location(path, text, f"{TABLE}.{key}")

    family = table.get("family")
    if family is None:
        raise BookError(f"[{TABLE}] has no 'family': the name of the typeface",
                        key_location(path, text, TABLE))
    if not isinstance(family, str) or not family.strip() or _BAD_FAMILY.search(family):
        raise BookError("'family' must be a typeface name, without quotes or backslashes",
                        where("family"))
    if "regular" not in table:
        raise BookError(f"[{TABLE}] has no 'regular': the file of the upright face",
                        key_location(path, text, TABLE))
    faces: dict[str, Face] = {}
    for key, (weight, style) in FACES.items():
        if key in table:
            face = Face(weight, style, _face_file(styles, table[key], key, where(key)))
            if any(other.name == face.name for other in faces.values()):  # the EPUB has fonts/<name>
                raise BookError(f"'{key}': another face has the same file name, {face.name}", where(key))
            faces[key] = face
    return FontSet(family.strip(), tuple(faces.values()))


def _table(config: dict[str, Any], path: Path, text: str) -> dict[str, Any]:
    """The [text] table, every key of the file known."""
    for key, value in config.items():
        if key != TABLE:
            kind = "table" if isinstance(value, dict) else "key"
            message = (f"'{key}' belongs in the [{TABLE}] table" if key in KEYS
                       else f"unknown {kind} '{key}'{_nearest(key, (TABLE,))}")
            raise BookError(message, key_location(path, text, key))
    table = config.get(TABLE)
    if not isinstance(table, dict):
        raise BookError(f"no [{TABLE}] table: the faces the text is set in", Location(path))
    for key in table:
        if key not in KEYS:
            raise BookError(f"unknown key '{key}' in [{TABLE}]{_nearest(key, KEYS)}",
                            key_location(path, text, f"{TABLE}.{key}"))
    return table


def _nearest(key: str, valid: Sequence[str]) -> str:
    close = difflib.get_close_matches(key, valid, n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else f"; use one of {', '.join(valid)}"


def _face_file(styles: Path, value: object, key: str, where: Location) -> Path:
    """The checked absolute path of a face: a font file inside the styles folder."""
    if not isinstance(value, str) or not value.strip():
        raise BookError(f"'{key}' must be the path of a font file, relative to the styles folder",
                        where)
    root = styles.resolve()
    path = (root / value).resolve()
    if not path.is_relative_to(root):
        raise BookError(f"'{key}': {value} is outside the styles folder", where)
    if path.suffix.lower() not in MEDIA_TYPES:
        raise BookError(f"'{key}': {value} is not a font file an e-book can hold "
                        f"({', '.join(MEDIA_TYPES)})", where)
    if not path.is_file():
        raise BookError(f"font file not found: {value}", where)
    with path.open("rb") as file:
        signature = file.read(4)
    if signature not in _SIGNATURES[path.suffix.lower()]:
        raise BookError(f"'{key}': {value} is not a {path.suffix.lower()} font file", where)
    return path
