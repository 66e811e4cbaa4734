"""The EPUB's cover picture: book.toml's ``cover``, or one set from the title, the subtitle and
the author in the book's face.

The stores ask for 1600 × 2560 px (1:1.6) or larger (REFERENCE.md §6): a cover under 1400 px
on its short side is a build warning (issue 14), as a store may refuse it or show it blurred.
The generated one is 1600 px wide and in the proportions of the printed book's front (6 × 9 in:
1600 × 2400), narrowed if need be to stay within Apple's four million pixels (5 × 8 in:
1580 × 2528). Its file in the package is ``media/cover-image.<png|jpg>``, the manifest item
``cover-image``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from build_tools.design.fonts import FontSet
from build_tools.errors import Diagnostic
from build_tools.model import Book, Metadata, Trim
from build_tools.writers.cover import design, raster

WIDTH_PX, HEIGHT_PX = 1600, 2560  # what the stores ask for (KDP's ideal)
SHORT_SIDE_MIN = 1400
MAX_PIXELS = 4_000_000  # Apple Books: an image "shouldn't be more than 4 million pixels"
PAGE_WIDTH = 6.0  # inches: the page the generated cover is laid out on
COVER_CODE = "small-cover"


@dataclass(frozen=True)
class CoverImage:
    """The cover picture as the EPUB carries it."""

    href: str  # under the package's media folder
    media_type: str
    data: bytes


def cover_href(meta: Metadata) -> str:
    """The cover's file name in the package, before its bytes are made."""
    suffix = meta.cover.suffix.lower() if meta.cover else ".png"
    return "cover-image.jpg" if suffix in (".jpg", ".jpeg") else "cover-image.png"


def ebook_cover(book: Book, fonts: FontSet) -> CoverImage:
    """The book's cover picture as given, or the typographic one made for it."""
    meta = book.meta
    href = cover_href(meta)
    media_type = "image/jpeg" if href.endswith(".jpg") else "image/png"
    if meta.cover is not None:
        return CoverImage(href, media_type, meta.cover.read_bytes())
    return CoverImage(href, media_type, typographic_cover(meta, fonts, book.source_date_epoch))


def generated_size(trim: Trim) -> tuple[int, int]:
    """The pixels of the generated cover: the front's proportions, 1600 px wide or less."""
    width = WIDTH_PX
    while width * round(width * trim.height / trim.width) > MAX_PIXELS:
        width -= 10
    return width, round(width * trim.height / trim.width)


def typographic_cover(meta: Metadata, fonts: FontSet, epoch: int) -> bytes:
    """A PNG of the typographic front, the same design as the print cover's."""
    pixels_wide, pixels_high = generated_size(meta.trim)
    width = PAGE_WIDTH
    height = width * pixels_high / pixels_wide
    margin = width * 0.09
    whole = design.Box(0, 0, width, height)
    inner = design.Box(margin, margin, width - 2 * margin, height - 2 * margin)
    body = '<div class="ground"></div>' + design.front(meta, whole, inner)
    return raster.png(design.page(width, height, fonts, meta, epoch, body), pixels_wide)


def cover_diagnostics(book: Book, config: Path) -> tuple[Diagnostic, ...]:
    """A warning when book.toml's cover is smaller than the stores take (``config`` is the
    book.toml, for the line of ``cover``)."""
    if book.meta.cover is None:
        return ()
    from PIL import Image

    from build_tools.errors import key_location

    with Image.open(book.meta.cover) as image:
        width, height = image.size
    if min(width, height) >= SHORT_SIDE_MIN:
        return ()
    where = key_location(config, config.read_text(encoding="utf-8"), "cover")
    return (
        Diagnostic(
            where,
            COVER_CODE,
            f"the cover is {width} × {height} px: the stores ask for {WIDTH_PX} × {HEIGHT_PX} "
            f"(at least {SHORT_SIDE_MIN} px on the short side)",
            book.meta.cover.name,
        ),
    )
