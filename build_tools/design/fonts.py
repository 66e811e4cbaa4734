"""The faces a book is set in, as its styles folder declares them in ``fonts.toml``.

    [text]                                      # the faces of the text; paths are relative
    family = "EB Garamond"                      # to the styles folder
    regular = "fonts/EBGaramond-Regular.ttf"    # required
    italic = "fonts/EBGaramond-Italic.ttf"      # optional, as the two below
    bold = "fonts/EBGaramond-Bold.ttf"
    bold-italic = "fonts/EBGaramond-BoldItalic.ttf"

    [[fallback]]                                # optional, any number, in order of preference:
    family = "Noto Serif CJK SC"                # the faces of what the text face lacks (another
    regular = "fonts/NotoSerifCJKsc-Subset.otf" # script); the same keys as [text]

The writers take the files and the ``@font-face`` rules from here: no module names a font file
(issue 11). A face left out is synthesized by the reading system or WeasyPrint. A character is
set in the text face if it has it, else in the first fallback that has it (``coverage.py``);
the stylesheets name the text face only, and the fallbacks a book uses are put after it in
their font lists (``families.py``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from build_tools.design.families import with_fallbacks
from build_tools.errors import BookError, Location, key_location, nearest, read_toml

FONTS_FILE = "fonts.toml"
TABLE = "text"
FALLBACK = "fallback"
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
SIGNATURES = {".ttf": _SFNT, ".otf": _SFNT, ".woff": (b"wOFF",), ".woff2": (b"wOF2",)}
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
class Family:
    """A typeface and its faces: regular, then italic, bold, bold italic (those it has)."""

    name: str
    faces: tuple[Face, ...]


@dataclass(frozen=True)
class FontSet:
    """The family the text is set in and its faces, then the fallbacks, in order of preference."""

    family: str
    faces: tuple[Face, ...]
    fallbacks: tuple[Family, ...] = ()

    @property
    def families(self) -> tuple[Family, ...]:
        """The text family, then the fallbacks: the order in which a character finds its face."""
        return (Family(self.family, self.faces), *self.fallbacks)

    def only(self, names: Sequence[str]) -> FontSet:
        """This set with only the fallbacks named (those that set some character of a book)."""
        return replace(self, fallbacks=tuple(f for f in self.fallbacks if f.name in names))

    def listed(self, stylesheet: str) -> str:
        """``stylesheet`` with the fallbacks after the text family in its font lists."""
        return with_fallbacks(stylesheet, self.family, [fallback.name for fallback in self.fallbacks])

    def css(self, url: Callable[[Face], str], faces: Sequence[Face] | None = None) -> str:
        """One ``@font-face`` rule a line for ``faces`` (all of them by default, the text
        family's first); ``url`` gives each face's address as the stylesheet that holds the
        rules sees it."""
        return "".join(
            f'@font-face {{ font-family: "{family.name}"; font-weight: {face.weight}; '
            f'font-style: {face.style}; src: url("{url(face)}"); }}\n'
            for family in self.families
            for face in family.faces
            if faces is None or face in faces
        )


def read_fonts(styles: Path) -> FontSet:
    """The faces ``styles/fonts.toml`` declares, each file checked; a BookError names the line."""
    path = styles / FONTS_FILE
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise BookError(
            f"the styles folder has no {FONTS_FILE}: declare the faces the book is set in "
            f'([{TABLE}] with family = "…" and regular = "fonts/….ttf")',
            Location(path),
        ) from None
    except UnicodeDecodeError:
        raise BookError("not valid UTF-8: save the file as UTF-8", Location(path)) from None
    except OSError as exc:
        raise BookError(f"cannot read file: {exc.strerror}", Location(path)) from None
    config = read_toml(path, text)
    _check_tables(config, path, text)
    main = _family(styles, config[TABLE], f"[{TABLE}]", _locator(path, text, TABLE))
    families = [main]
    for number, table in enumerate(config.get(FALLBACK, []), 1):
        where = _locator(path, text, FALLBACK, number)
        fallback = _family(styles, table, f"[[{FALLBACK}]] {number}", where)
        if any(other.name.casefold() == fallback.name.casefold() for other in families):
            raise BookError(f"'family': {fallback.name} is declared twice", where("family"))
        families.append(fallback)
    names = {face.name for face in main.faces}
    for number, family in enumerate(families[1:], 1):
        for key, face in zip(_keys(family), family.faces, strict=True):
            if face.name in names:  # the EPUB has fonts/<name>
                where = _locator(path, text, FALLBACK, number)
                raise BookError(f"'{key}': another face has the same file name, {face.name}", where(key))
            names.add(face.name)
    return FontSet(main.name, main.faces, tuple(families[1:]))


def _keys(family: Family) -> list[str]:
    """The fonts.toml key of each face of ``family``, in order."""
    return [key for face in family.faces for key, css in FACES.items() if css == (face.weight, face.style)]


def _family(styles: Path, table: dict[str, Any], name: str, where: Callable[[str], Location]) -> Family:
    """The family a table declares: its name, and its faces' checked files."""
    for key in table:
        if key not in KEYS:
            raise BookError(f"unknown key '{key}' in {name}{_nearest(key, KEYS)}", where(key))
    family = table.get("family")
    if family is None:
        raise BookError(f"{name} has no 'family': the name of the typeface", where(""))
    if not isinstance(family, str) or not family.strip() or _BAD_FAMILY.search(family):
        raise BookError("'family' must be a typeface name, without quotes or backslashes", where("family"))
    if "regular" not in table:
        raise BookError(f"{name} has no 'regular': the file of the upright face", where(""))
    faces: list[Face] = []
    for key, (weight, style) in FACES.items():
        if key in table:
            face = Face(weight, style, _face_file(styles, table[key], key, where(key)))
            if any(other.name == face.name for other in faces):
                raise BookError(f"'{key}': another face has the same file name, {face.name}", where(key))
            faces.append(face)
    return Family(family.strip(), tuple(faces))


def _check_tables(config: dict[str, Any], path: Path, text: str) -> None:
    """A [text] table and [[fallback]] tables, nothing else."""
    for key, value in config.items():
        if key not in (TABLE, FALLBACK):
            tables = isinstance(value, list) and bool(value) and all(isinstance(t, dict) for t in value)
            kind = "table" if isinstance(value, dict) or tables else "key"
            message = (
                f"'{key}' belongs in the [{TABLE}] table"
                if key in KEYS
                else f"unknown {kind} '{key}'{_nearest(key, (TABLE, FALLBACK))}"
            )
            where = _locator(path, text, key, 1)("") if tables else key_location(path, text, key)
            raise BookError(message, where)
    if not isinstance(config.get(TABLE), dict):
        raise BookError(f"no [{TABLE}] table: the faces the text is set in", Location(path))
    fallbacks = config.get(FALLBACK, [])
    if not isinstance(fallbacks, list) or not all(isinstance(t, dict) for t in fallbacks):
        raise BookError(
            f"write each fallback face as a [[{FALLBACK}]] table (a list of tables, in order of preference)",
            _locator(path, text, FALLBACK, 1)(""),
        )


def _locator(path: Path, text: str, table: str, number: int = 0) -> Callable[[str], Location]:
    """Where a key of ``[table]`` is (the ``number``-th ``[[table]]`` when given); the table's
    own line for the key ""."""
    name = re.escape(table)
    header = re.compile(rf"\s*\[\[\s*{name}\s*\]\]" if number else rf"\s*\[\s*{name}\s*\]")
    lines = text.splitlines()
    starts = [
        n
        for n, line in enumerate(lines, 1)
        if header.match(line) or (number and re.match(rf"\s*\[\s*{name}\s*\]", line))
    ]
    start = starts[(number or 1) - 1] if len(starts) >= (number or 1) else 0

    def where(key: str) -> Location:
        if not start or not key:
            return Location(path, start)
        for line_number in range(start + 1, len(lines) + 1):
            line = lines[line_number - 1]
            if re.match(r"\s*\[", line):
                break
            if re.match(rf"\s*[\"']?{re.escape(key)}[\"']?\s*=", line):
                return Location(path, line_number)
        return Location(path, start)

    return where


def _nearest(key: str, valid: Sequence[str]) -> str:
    close = nearest(key, valid)
    return f"; did you mean '{close}'?" if close else f"; use one of {', '.join(valid)}"


def _face_file(styles: Path, value: object, key: str, where: Location) -> Path:
    """The checked absolute path of a face: a font file inside the styles folder."""
    if not isinstance(value, str) or not value.strip():
        raise BookError(f"'{key}' must be the path of a font file, relative to the styles folder", where)
    root = styles.resolve()
    path = (root / value).resolve()
    if not path.is_relative_to(root):
        raise BookError(f"'{key}': {value} is outside the styles folder", where)
    if path.suffix.lower() not in MEDIA_TYPES:
        raise BookError(
            f"'{key}': {value} is not a font file an e-book can hold ({', '.join(MEDIA_TYPES)})", where
        )
    if not path.is_file():
        raise BookError(f"font file not found: {value}", where)
    with path.open("rb") as file:
        signature = file.read(4)
    if signature not in SIGNATURES[path.suffix.lower()]:
        raise BookError(f"'{key}': {value} is not a {path.suffix.lower()} font file", where)
    return path
