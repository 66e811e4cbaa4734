"""The print cover: back, spine and front on one sheet with bleed, as a printer's template has it
(``dist/<slug>-cover-<profile>.pdf``).

The sheet is bleed + back + spine + front + bleed wide and the trim's height + 2 × bleed high;
the spine's width is the interior's real page count times the printer's caliper for the
book's paper (``design.profiles.CoverRules``). The back has the description at the top of its
safe area and the barcode of ``isbn_print`` (with the price add-on when ``price`` is given) in
the printer's barcode area; without an ISBN that area is left empty, for the printer's own
barcode (KDP prints one there free of charge). The spine carries the title and the author only
above the printer's minimum page count. The front is ``cover_front`` (JPEG or PNG placed by
WeasyPrint, a PDF's first page laid over the panel by pikepdf), else the typographic front of
the e-book cover. Saved with a deterministic /ID, the dates of SOURCE_DATE_EPOCH.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import pikepdf

from build_tools.design.fonts import FontSet
from build_tools.design.profiles import COVERS, PROFILES, CoverRules, price_addon
from build_tools.errors import BookError, Location, key_location
from build_tools.model import Book
from build_tools.writers.cover import barcode, design
from build_tools.writers.output import atomic_output, save_pdf

POINTS = 72.0
SPINE_TYPE_MAX = 12.0  # points: the spine's type, at most (less on a thin spine)


@dataclass(frozen=True)
class Sheet:
    """The geometry of one cover sheet, in inches."""

    trim_width: float
    trim_height: float
    spine: float
    bleed: float

    @property
    def width(self) -> float:
        return 2 * (self.trim_width + self.bleed) + self.spine

    @property
    def height(self) -> float:
        return self.trim_height + 2 * self.bleed

    @property
    def spine_left(self) -> float:
        """Where the spine begins: the back's fold."""
        return self.bleed + self.trim_width

    @property
    def front_left(self) -> float:
        return self.spine_left + self.spine


def sheet_for(book: Book, rules: CoverRules, pages: int) -> Sheet:
    """The sheet for an interior of ``pages`` pages on the book's paper."""
    trim = book.meta.trim
    return Sheet(trim.width, trim.height, rules.spine(pages, book.meta.paper), rules.bleed)


def check_pages(book: Book, profile: str, pages: int) -> CoverRules:
    """The printer's cover rules; an error if it makes no cover for this few pages."""
    rules = COVERS[profile]
    if pages < rules.min_pages:
        raise BookError(
            f"the interior has {pages} pages: {PROFILES[profile].title} makes covers for "
            f"{rules.min_pages} pages or more",
            Location(book.root / "book.toml"),
        )
    return rules


def cover_html(book: Book, fonts: FontSet, rules: CoverRules, pages: int) -> str:
    """The whole sheet as one HTML page."""
    meta = book.meta
    sheet = sheet_for(book, rules, pages)
    safe = rules.safe
    front_panel = design.Box(sheet.front_left, 0, sheet.trim_width + sheet.bleed, sheet.height)
    front_inner = design.Box(
        sheet.front_left + safe,
        sheet.bleed + safe,
        sheet.trim_width - 2 * safe,
        sheet.trim_height - 2 * safe,
    )
    parts = ['<div class="ground"></div>']
    if meta.cover_front is not None and meta.cover_front.suffix.lower() != ".pdf":
        parts.append(design.art(front_panel, meta.cover_front.resolve().as_uri()))
    elif meta.cover_front is None:
        parts.append(design.front(meta, front_panel, front_inner))
    if rules.spine_text(pages):
        across = sheet.spine - 2 * rules.spine_margin
        box = design.Box(
            sheet.spine_left + rules.spine_margin, sheet.bleed + safe, across, sheet.trim_height - 2 * safe
        )
        parts.append(design.spine(meta, box, min(SPINE_TYPE_MAX, across * POINTS * 0.5)))
    parts += _back(book, sheet, rules, fonts)
    return design.page(sheet.width, sheet.height, fonts, meta, book.source_date_epoch, "".join(parts))


def _back(book: Book, sheet: Sheet, rules: CoverRules, fonts: FontSet) -> list[str]:
    """The description above the barcode area, and the barcode in it."""
    meta = book.meta
    area_w, area_h = rules.barcode
    area = design.Box(
        sheet.spine_left - rules.barcode_inset - area_w,
        sheet.height - sheet.bleed - rules.barcode_inset - area_h,
        area_w,
        area_h,
    )
    top = sheet.bleed + rules.safe
    text = design.Box(sheet.bleed + rules.safe, top, sheet.trim_width - 2 * rules.safe, area.top - 0.25 - top)
    parts = [design.back(meta, text, 10.5 * sheet.trim_width / 6)]
    if meta.isbn_print:
        addon = price_addon(meta.price) if meta.price else ""
        svg, _ = barcode.barcode_svg(meta.isbn_print, addon, rules.barcode, design.font_css(fonts)[1])
        parts.append(f'<div class="barcode-area" style="{area.css()}">{svg}</div>')
    return parts


def write_cover(book: Book, fonts: FontSet, profile: str, pages: int, out_dir: Path) -> Path:
    """Write ``<out>/<slug>-cover-<profile>.pdf`` for an interior of ``pages`` pages."""
    from weasyprint import HTML

    rules = check_pages(book, profile, pages)
    sheet = sheet_for(book, rules, pages)
    data = HTML(string=cover_html(book, fonts, rules, pages)).write_pdf()
    target = out_dir / f"{book.meta.slug}-cover-{profile}.pdf"
    with atomic_output(target) as temporary:
        _finish(data, temporary, sheet, book)
    return target


def _finish(data: bytes, target: Path, sheet: Sheet, book: Book) -> None:
    """Page boxes (the trim inside the bleed), PDF front art laid over the front panel."""
    art = book.meta.cover_front
    with pikepdf.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[0]
        width, height, bleed = (v * POINTS for v in (sheet.width, sheet.height, sheet.bleed))
        page.obj.BleedBox = pikepdf.Array([0, 0, width, height])
        page.obj.TrimBox = pikepdf.Array([bleed, bleed, width - bleed, height - bleed])
        if art is not None and art.suffix.lower() == ".pdf":
            config = book.root / "book.toml"
            where = key_location(config, config.read_text(encoding="utf-8"), "cover_front")
            _overlay(pdf, page, art, pikepdf.Rectangle(sheet.front_left * POINTS, 0, width, height), where)
        save_pdf(pdf, target)


def _overlay(
    pdf: pikepdf.Pdf, page: pikepdf.Page, art: Path, rect: pikepdf.Rectangle, where: Location
) -> None:
    try:
        source = pikepdf.open(art)
    except pikepdf.PdfError as exc:
        raise BookError(f"'cover_front' {art.name} is not a readable PDF: {exc}", where) from None
    with source:
        page.add_overlay(pdf.copy_foreign(source.pages[0].as_form_xobject()), rect)
