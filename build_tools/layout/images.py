"""Print-safe pictures (issue 14 item 3): what a black-and-white interior prints for each image
of the book, and how sharp each prints.

The EPUB packs the colour originals (``Book.images``); the print HTML names each picture
``print-image:<href>`` (``print_url``), and the layout's URL fetcher (``weasy.py``) serves what
``PrintImages`` made of it:

- a raster (PNG, JPEG, GIF, WebP) in grayscale: turned upright by its EXIF orientation (as
  WeasyPrint's ``image-orientation: from-image`` would), its transparency flattened on white
  (PDF/X-1a forbids transparency, and every printer asks it flattened), its luma taken in sRGB
  (through its embedded colour profile, if any), no profile or metadata kept; a JPEG stays a
  JPEG (quality 95), anything else becomes a PNG. Its pixels are the original's, so it lays
  out at the same size. An opaque 8-bit grayscale PNG or JPEG is printed as it is;
- an SVG rasterised, in grayscale on white, at ``PRINT_PPI`` of the size it lays out at, by
  WeasyPrint and pdfium (the same renderers as the book): kept as vectors it would print in
  DeviceRGB (WeasyPrint draws SVG colours as RGB) with any opacity as soft masks, which a
  black-and-white PDF/X-1a interior may not hold. The size is the SVG's own, or the trim's
  width for an SVG without one (the text block then narrows both alike); the raster's
  ``image-resolution`` (``css``) gives it that size, so that the pages do not move (its
  height within half a pixel at 300 ppi: its pixels' ratio is the nearest to the SVG's).

Why in memory and not in a folder of files: WeasyPrint names an image in the PDF by its URL
(an MD5 of it) and reads a ``file:`` image again when it writes the PDF. Files in a temporary
folder would give the PDF a new name per build (builds would differ) and would have to outlive
the layout; a fixed ``print-image:`` URL gives the same bytes from any folder, and the sources
are never written. Each conversion is deterministic (Pillow's and pdfium's encoders, no
timestamps, no metadata): two builds print the same bytes.

``low_resolution`` reads the laid-out pages (the image boxes, WeasyPrint's private API as
``boxes.py`` reads it): a picture printed under ``PRINT_PPI`` is a build warning naming its file
and its page.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from PIL import Image as Pillow
from PIL import ImageCms

from build_tools.design.profiles import Profile
from build_tools.errors import BookError, Diagnostic, Location
from build_tools.model import Book, Image, PrintLayout
from build_tools.sources.pictures import MAX_PIXELS

SCHEME = "print-image:"
PRINT_PPI = 300  # the printers' minimum for pictures (KDP, IngramSpark, Lulu)
CSS_PPI = 96  # CSS pixels per inch: a picture's pixels lay out at this resolution
JPEG_QUALITY = 95
_ALPHA_MODES = frozenset({"RGBA", "LA", "PA", "RGBa", "La"})
_GRAY_FORMATS = frozenset({"PNG", "JPEG"})  # formats WeasyPrint embeds as they are
_ORIENTATION = 0x0112  # the EXIF tag
_SRGB = ImageCms.createProfile("sRGB")
_STRIP_PIXELS = 1 << 20  # a strip of rows converted at once: 4 MB as RGBA
# The transposition that turns a picture upright, by its EXIF orientation (ImageOps.exif_transpose's).
_TRANSPOSE = {
    2: Pillow.Transpose.FLIP_LEFT_RIGHT,
    3: Pillow.Transpose.ROTATE_180,
    4: Pillow.Transpose.FLIP_TOP_BOTTOM,
    5: Pillow.Transpose.TRANSPOSE,
    6: Pillow.Transpose.ROTATE_270,
    7: Pillow.Transpose.TRANSVERSE,
    8: Pillow.Transpose.ROTATE_90,
}


def print_url(href: str) -> str:
    """The URL the print HTML gives the picture ``href`` (``images/map.png``), quoted as
    WeasyPrint would quote it."""
    return SCHEME + quote(href, safe="/")


@dataclass(frozen=True)
class PrintImage:
    """What prints for one picture: ``data`` in ``media_type`` (None: the original file, as
    it is), laid out at ``resolution`` image pixels per CSS pixel."""

    image: Image
    data: bytes | None
    media_type: str
    resolution: float = 1.0


class PrintImages:
    """The pictures of ``book`` as ``profile`` prints them, made once per layout (``fetcher``
    reads the SVGs' own files when they are rasterised, from the folders the layout reads)."""

    def __init__(self, book: Book, profile: Profile, fetcher: Any, width: float) -> None:
        gray = not profile.color_interior
        self.images = {
            image.href: (
                _convert(image, fetcher, width) if gray else PrintImage(image, None, image.media_type)
            )
            for image in book.images
        }

    def get(self, url: str) -> PrintImage | None:
        """The picture a ``print-image:`` URL names, None if it is no picture of the book."""
        return self.images.get(unquote(url.removeprefix(SCHEME))) if url.startswith(SCHEME) else None

    def css(self) -> str:
        """The rules that lay out each rasterised SVG at the size of the SVG itself."""
        return "".join(
            f'img[src="{_css_escape(print_url(href))}"] {{ image-resolution: {found.resolution:.6f}dppx; }}\n'
            for href, found in self.images.items()
            if found.resolution != 1.0
        )


def _convert(image: Image, fetcher: Any, width: float) -> PrintImage:
    if image.media_type == "image/svg+xml":
        try:
            data, resolution = rasterise_svg(image.path, fetcher, width)
        except ValueError as exc:  # too large to rasterise
            raise BookError(f"image '{image.href}' {exc}", image.location) from None
        return PrintImage(image, data, "image/png", resolution)
    try:
        converted = grayscale(image.path.read_bytes())
    except (OSError, ValueError, Pillow.DecompressionBombError) as exc:
        raise BookError(f"image '{image.href}' cannot be read for print: {exc}", image.location) from None
    if converted is None:
        return PrintImage(image, None, image.media_type)
    data, media_type = converted
    return PrintImage(image, data, media_type)


def grayscale(data: bytes) -> tuple[bytes, str] | None:
    """A raster picture in 8-bit grayscale, upright, flattened on white, without metadata, and
    its media type; None when the picture already is one (an opaque 8-bit gray PNG or JPEG).

    The decoded picture is converted a strip of rows at a time into one gray image, and turned
    upright once gray: a 25 Mpx RGBA picture (100 MB decoded) took 580 MB through whole-image
    copies (upright, RGBA, white paper, composite), now 100 MB and a quarter of it more
    (issue 17: 200 MB above a normal build at most). Every step is per pixel, so the strips
    give the same bytes as the whole."""
    with Pillow.open(io.BytesIO(data)) as opened:
        source_format = opened.format
        orientation = opened.getexif().get(_ORIENTATION, 1)
        transparent = opened.mode in _ALPHA_MODES or "transparency" in opened.info
        if opened.mode == "L" and not transparent and orientation == 1 and source_format in _GRAY_FORMATS:
            return None
        opened.load()
        gray = _in_strips(opened, _flattened if transparent else _luminance(opened))
    if (upright := _TRANSPOSE.get(orientation)) is not None:
        gray = gray.transpose(upright)
    out = io.BytesIO()  # gray is a new image: no profile, no EXIF, no text
    if source_format == "JPEG":
        gray.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=False, progressive=False)
        return out.getvalue(), "image/jpeg"
    gray.save(out, format="PNG", optimize=False)
    return out.getvalue(), "image/png"


def _in_strips(picture: Pillow.Image, to_gray: Callable[[Pillow.Image], Pillow.Image]) -> Pillow.Image:
    """``to_gray`` (a conversion pixel by pixel) applied to ``picture`` a strip of rows at a
    time, the strips pasted into one new 8-bit gray image."""
    gray = Pillow.new("L", picture.size)
    rows = max(1, _STRIP_PIXELS // picture.width)
    for top in range(0, picture.height, rows):
        box = (0, top, picture.width, min(top + rows, picture.height))
        gray.paste(to_gray(picture.crop(box)), box[:2])
    return gray


def _flattened(strip: Pillow.Image) -> Pillow.Image:
    """Transparency composited over white paper, then to gray."""
    rgba = strip.convert("RGBA")
    paper = Pillow.new("RGBA", rgba.size, (255, 255, 255, 255))
    return Pillow.alpha_composite(paper, rgba).convert("L")


def _luminance(picture: Pillow.Image) -> Callable[[Pillow.Image], Pillow.Image]:
    """The conversion of a strip of ``picture`` to gray: ITU-R 601 luma (Pillow's ``L``) in
    sRGB (through its embedded colour profile, if it has one: an Adobe RGB or CMYK
    photograph); 16-bit gray scaled to 8."""
    if picture.mode.startswith("I;16") or picture.mode in ("I", "F"):
        return lambda strip: strip.convert("F").point(lambda value: value / 257).convert("L")
    icc = picture.info.get("icc_profile")
    if icc and picture.mode in ("RGB", "CMYK"):
        try:
            embedded = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            to_srgb = ImageCms.buildTransform(embedded, _SRGB, picture.mode, "RGB")
            return lambda strip: (ImageCms.applyTransform(strip, to_srgb) or strip).convert("L")
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a profile littleCMS cannot read: the values as they are
    return lambda strip: strip.convert("L")


def rasterise_svg(path: Path, fetcher: Any, width: float) -> tuple[bytes, float]:
    """The SVG at ``path`` as a grayscale PNG at ``PRINT_PPI`` of the size it lays out at in
    a text block at most ``width`` inches wide (its own size if it has one and fits, else that
    width), and the resolution, in pixels per CSS pixel, that lays the PNG out at that size; a
    ValueError when that PNG would have more than ``MAX_PIXELS``."""
    from weasyprint import CSS, HTML  # the print layout's own renderer of SVG

    size = _svg_size(path, fetcher, width)
    css_width, css_height = size
    # A tall SVG (4 in by 3,000) would be a bitmap of gigabytes: the pictures' bound first.
    if css_width * css_height * (PRINT_PPI / CSS_PPI) ** 2 > MAX_PIXELS:
        raise ValueError(
            f"lays out at {css_width / CSS_PPI:.1f} × {css_height / CSS_PPI:.1f} in, too large to print: "
            f"at {PRINT_PPI} ppi it would have over {MAX_PIXELS / 1e6:.0f} million pixels "
            "(give the SVG a size that fits a page)"
        )
    page = CSS(string=f"@page {{ size: {css_width}px {css_height}px; margin: 0 }} body {{ margin: 0 }}")
    box = f"display: block; width: {css_width}px; height: {css_height}px"
    img = f'<img src="{path.resolve().as_uri()}" style="{box}">'
    pdf = HTML(string=img, url_fetcher=fetcher).write_pdf(stylesheets=[page])
    # pdfium rounds the bitmap up (1800.0000001 px is 1801): cut it to the size asked for, so
    # that its ratio is the SVG's within half a pixel at PRINT_PPI (0.12 pt at most).
    wanted = (round(css_width * PRINT_PPI / CSS_PPI), round(css_height * PRINT_PPI / CSS_PPI))
    pixels = _render_gray(pdf)
    if pixels.size != wanted:
        pixels = (
            pixels.crop((0, 0, *wanted))
            if pixels.width >= wanted[0] and pixels.height >= wanted[1]
            else pixels.resize(wanted)
        )
    out = io.BytesIO()
    pixels.save(out, format="PNG", optimize=False)
    return out.getvalue(), pixels.width / css_width


def _svg_size(path: Path, fetcher: Any, width: float) -> tuple[float, float]:
    """The SVG's size as WeasyPrint lays it out in a text block ``width`` inches wide, with the
    book's rule for pictures (``max-width: 100%``), in CSS pixels."""
    from weasyprint import CSS, HTML

    page = CSS(string=f"@page {{ size: {width}in 100in; margin: 0 }} body {{ margin: 0 }}")
    img = f'<img src="{path.resolve().as_uri()}" style="display: block; max-width: 100%">'
    document = HTML(string=img, url_fetcher=fetcher).render(stylesheets=[page])
    from build_tools.layout.boxes import replaced_boxes

    for box in replaced_boxes(document.pages[0]):
        if box.width > 0 and box.height > 0:
            return float(box.width), float(box.height)
    raise BookError(f"image '{path.name}': an SVG WeasyPrint cannot lay out", Location(path))


def _render_gray(pdf: bytes) -> Pillow.Image:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        bitmap = document[0].render(scale=PRINT_PPI / 72, grayscale=True, fill_color=(255, 255, 255, 255))
        picture: Pillow.Image = bitmap.to_pil().convert("L")
        return picture
    finally:
        document.close()


def _css_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def low_resolution(book: Book, layout: PrintLayout) -> tuple[Diagnostic, ...]:
    """A warning for every picture that prints under ``PRINT_PPI`` on a page: its pixels
    over its box on the page, in the direction with fewer (a picture may be scaled unevenly),
    once per picture and page; an SVG printed as vectors has no resolution. The pages are the
    layout's document, or the resolutions measured where its parts were laid out (parts.py)."""
    images = {image.href: image for image in book.images}
    found: dict[tuple[str, int], Diagnostic] = {}
    measured = getattr(layout.rendered, "resolutions", None)
    if measured is None:
        measured = resolutions(getattr(layout.rendered, "pages", ()))
    for index, href, ppi in measured:
        if href in images and ppi < PRINT_PPI - 0.5 and (href, index) not in found:
            found[href, index] = _warning(images[href], ppi, layout.label(index), index + 1)
    return tuple(found.values())


def resolutions(pages: Sequence[Any]) -> list[tuple[int, str, float]]:
    """The resolution each picture prints at on each page of ``pages`` (WeasyPrint's): the
    page's index, the picture's name in the book, its pixels per inch."""
    from build_tools.layout.boxes import replaced_boxes

    out = []
    for index, page in enumerate(pages):
        for box in replaced_boxes(page):
            src = (box.element.get("src") or "") if box.element is not None else ""
            href = unquote(src.removeprefix(SCHEME))
            pixels = getattr(box.replacement, "width", None), getattr(box.replacement, "height", None)
            if pixels[0] is None or pixels[1] is None or box.width <= 0 or box.height <= 0:
                continue
            out.append((index, href, min(pixels[0] / box.width, pixels[1] / box.height) * CSS_PPI))
    return out


def _warning(image: Image, ppi: float, folio: str, number: int) -> Diagnostic:
    return Diagnostic(
        image.location,
        "low-resolution",
        f"{image.href} prints at {ppi:.0f} ppi on page {folio} (page {number} of the PDF): "
        f"printers ask at least {PRINT_PPI} ppi; use a larger picture or print it smaller",
        image.href,
    )
