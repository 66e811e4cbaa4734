"""Images: ``![alt text](path)`` shows a picture kept inside the manuscript folder.

The path is relative to the Markdown file, as in any Markdown. Every image is checked while
the text is converted, and each problem is an error at its line: a remote URL (``http://``,
``https://``, ``//host`` or any other scheme: the build never fetches anything), a path
outside the manuscript folder, a missing file, a format an EPUB reading system need not show
(EPUB 3.3 §3.2 core media types: GIF, JPEG, PNG, SVG, WebP), content that is not what its
name says, a picture that cannot be decoded whole or is over the size limits
(``sources/pictures.py``), an SVG outside the safe subset (``svgsafe.py``: no script, no
external entity or reference, bounded ``<use>``), and empty alt text (EPUB Accessibility 1.1:
every image needs a text alternative).

A good image is recorded in ``ImageExtension.images`` and its ``src`` becomes its path inside
the manuscript folder (``images/map.png``), the name the writers package it under; a path with
characters a file name in an EPUB may not have is made safe (``packaged_name``).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from build_tools.errors import Location, ManuscriptError
from build_tools.model import Image
from build_tools.parse.mdext.svgsafe import MAX_BYTES as SVG_MAX_BYTES
from build_tools.parse.mdext.svgsafe import check_svg
from build_tools.sources.pictures import check_size, verify_raster

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
_SAFE_NAME = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


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
    href = packaged_name(path.relative_to(top).as_posix())
    return Image(path, href, media_type, " ".join(alt.split()), where)


def _check_content(path: Path, media_type: str, src: str, where: Location) -> None:
    """The file is what its name says, decoded whole (``sources/pictures.py``) or, an SVG, of
    the safe subset (``svgsafe.py``), each within its limits: checked before any writer reads it."""
    if media_type == "image/svg+xml":
        check_size(path, src, where, SVG_MAX_BYTES)
        check_svg(path.read_bytes(), src, where)
        return
    check_size(path, src, where)
    with path.open("rb") as file:
        data = file.read(16)
    if media_type == "image/webp":
        good = data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    else:
        good = data.startswith(_MAGIC[media_type])
    if not good:
        kind = media_type.split("/")[1].upper()
        raise ManuscriptError(f"image {src!r} is not a {kind} file", where)
    verify_raster(path, media_type, src, where)


def packaged_name(href: str) -> str:
    """The picture's name in the EPUB and the print HTML: ``href`` itself when every part of it
    is letters, digits, ``.``, ``_`` and ``-``; else those characters (accents dropped, the rest
    ``-``) and 8 digits of the SHA-1 of ``href`` before the suffix, so that two names made alike
    stay apart. A space, ``#``, ``?``, ``%`` or ``&`` in an EPUB's file name fails EPUBCheck
    (PKG-009, RSC-020) or breaks the reference to it (issue 17 item 9)."""
    if _SAFE_NAME.fullmatch(href):
        return href
    ascii_only = unicodedata.normalize("NFKD", href).encode("ascii", "ignore").decode()
    folder, _, name = ascii_only.rpartition("/")
    stem, dot, suffix = name.rpartition(".")
    stem, suffix = (stem, dot + suffix) if stem else (name, "")
    digest = hashlib.sha1(href.encode("utf-8")).hexdigest()[:8]
    parts = [_UNSAFE.sub("-", part) or "-" for part in folder.split("/")] if folder else []
    return "/".join([*parts, f"{_UNSAFE.sub('-', stem)}-{digest}{_UNSAFE.sub('-', suffix)}"])
