"""Images: ``![alt text](path)`` shows a picture kept inside the manuscript folder.

The path is relative to the Markdown file, as in any Markdown. Every image is checked while
the text is converted, and each problem is an error at its line: a remote URL (``http://``,
``https://``, ``//host`` or any other scheme: the build never fetches anything), a path
outside the manuscript folder, a missing file, a format an EPUB reading system need not show
(EPUB 3.3 §3.2 core media types: GIF, JPEG, PNG, SVG, WebP), content that is not what its
name says, an SVG that could run a script, and empty alt text (EPUB Accessibility 1.1: every
image needs a text alternative).

A good image is recorded in ``ImageExtension.images`` and its ``src`` becomes its path inside
the manuscript folder (``images/map.png``), the name the writers package it under.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote

from lxml import etree
from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from build_tools.errors import Location, ManuscriptError
from build_tools.model import Image

MEDIA_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".svg": "image/svg+xml",
}
_MAGIC = {
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/gif": (b"GIF87a", b"GIF89a"),
}
_IMAGE = re.compile(r"!\[(?:[^\[\]]*\]\(\s*<?(?P<src>[^)\s>]*))?")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_SVG = "{http://www.w3.org/2000/svg}"
_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"


class ImageExtension(Extension):
    """Checks and records the images of one document.

    ``source`` is the Markdown file (paths are relative to it), ``root`` the manuscript folder
    (nothing outside it is read) and ``first_line`` the line of ``source`` where the converted
    text starts (a note's text starts at its definition; 0 when it is not known).
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.source = Path("<text>")
        self.root = Path(".")
        self.first_line = 1
        self.images: list[Image] = []
        self._marks: list[tuple[int, int, str]] = []  # each "![": line, column, path written

    def reset(self) -> None:
        self.images = []
        self._marks = []

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's API)
        md.registerExtension(self)
        # After the notes' scanner (35) has taken the notes out: they are converted on their own.
        md.preprocessors.register(_ImageScanner(md, self), "image_scan", 34)
        # After the inline patterns (priority 20) have made the <img> elements.
        md.treeprocessors.register(_ImageChecker(md, self), "image_check", 5)

    def where(self, src: str) -> Location:
        """The place of the image whose ``src`` is given: the first unclaimed ``![`` naming it."""
        found = next(
            (i for i, (_, _, written) in enumerate(self._marks) if written == src), 0 if self._marks else None
        )
        if found is None or not self.first_line:  # no line known (a chronology entry)
            return Location(self.source)
        line, column, _ = self._marks.pop(found)
        return Location(self.source, self.first_line + line - 1, column)


class _ImageScanner(Preprocessor):
    def __init__(self, md: Markdown, ext: ImageExtension) -> None:
        super().__init__(md)
        self.ext = ext

    def run(self, lines: list[str]) -> list[str]:
        self.ext._marks = [
            (number, found.start() + 1, found["src"] or "")
            for number, line in enumerate(lines, 1)
            for found in _IMAGE.finditer(line)
        ]
        return lines


class _ImageChecker(Treeprocessor):
    def __init__(self, md: Markdown, ext: ImageExtension) -> None:
        super().__init__(md)
        self.ext = ext

    def run(self, root: ET.Element) -> None:
        for element in root.iter("img"):
            src = element.get("src", "")
            where = self.ext.where(src)
            image = check_image(src, element.get("alt", ""), self.ext.source, self.ext.root, where)
            element.set("src", image.href)
            element.set("alt", image.alt)
            self.ext.images.append(image)


def check_image(src: str, alt: str, source: Path, root: Path, where: Location) -> Image:
    """The Image that ``src`` (relative to ``source``) names, or a ManuscriptError at ``where``."""
    if src.startswith("//") or _SCHEME.match(src):
        raise ManuscriptError(
            f"image {src[:80]!r} is not a file of the manuscript: the build never fetches "
            "anything; copy the image into the manuscript folder and give its relative path",
            where,
        )
    if not src.strip():
        raise ManuscriptError("image without a path: write ![alt text](images/file.png)", where)
    top = root.resolve()
    path = (source.parent / unquote(src)).resolve()
    if not path.is_relative_to(top):
        raise ManuscriptError(
            f"image {src!r} is outside the manuscript folder {root}: only files inside it are read",
            where,
        )
    if not path.is_file():
        raise ManuscriptError(f"image not found: {src}", where)
    media_type = MEDIA_TYPES.get(path.suffix.lower())
    if media_type is None:
        raise ManuscriptError(f"image {src!r}: unsupported format; use PNG, JPEG, GIF, WebP or SVG", where)
    _check_content(path, media_type, src, where)
    if not " ".join(alt.split()):
        raise ManuscriptError(
            f"image {src!r} has no alt text: describe it for readers who cannot see it, "
            f"![a description]({src})",
            where,
        )
    return Image(path, path.relative_to(top).as_posix(), media_type, " ".join(alt.split()), where)


def _check_content(path: Path, media_type: str, src: str, where: Location) -> None:
    data = path.read_bytes()
    if media_type == "image/svg+xml":
        _check_svg(data, src, where)
        return
    if media_type == "image/webp":
        good = data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    else:
        good = data.startswith(_MAGIC[media_type])
    if not good:
        kind = media_type.split("/")[1].upper()
        raise ManuscriptError(f"image {src!r} is not a {kind} file", where)


def _check_svg(data: bytes, src: str, where: Location) -> None:
    """An SVG is a document: refuse one that scripts, or loads anything from elsewhere."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        svg = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise ManuscriptError(f"image {src!r} is not well-formed SVG: {exc}", where) from None
    if svg.tag != f"{_SVG}svg":
        raise ManuscriptError(f"image {src!r} is not an SVG file", where)
    for node in svg.iter():
        if not isinstance(node.tag, str):
            continue
        if node.tag in (f"{_SVG}script", f"{_SVG}foreignObject"):
            raise ManuscriptError(
                f"image {src!r}: an SVG with <{etree.QName(node).localname}> is not allowed in a book", where
            )
        for name in node.attrib:
            local = etree.QName(name).localname
            if local.lower().startswith("on"):
                raise ManuscriptError(f"image {src!r}: SVG event attribute {local!r} is not allowed", where)
        for name in ("href", _XLINK_HREF):
            value = node.get(name)
            if value is not None and not value.startswith("#"):
                raise ManuscriptError(
                    f"image {src!r}: an SVG that links to {value[:60]!r} is not "
                    "allowed (it must be self-contained)",
                    where,
                )
