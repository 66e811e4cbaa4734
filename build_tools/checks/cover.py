"""``book check pdf --cover FILE``: a print cover checked against its interior and the printer's
cover rules (``design.profiles.CoverRules``), as the printer's upload check would.

The interior PDF gives the page count (the interior is the one the printer will bind, not the
manuscript's last build); the cover must be one page of bleed + back + spine + front + bleed
by trim height + 2 × bleed, within 0.01 in, the spine as the page count and the paper make it;
its fonts embedded; text on the spine only above the printer's minimum page count.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium

from build_tools.checks.table import FAIL, PASS, Row, print_table
from build_tools.design.profiles import COVERS, PROFILES, CoverRules
from build_tools.errors import BookError, Location
from build_tools.model import Metadata

POINTS = 72.0
SIZE_TOLERANCE = 0.01  # inches, as the printers' upload checks allow


def run_cover_check(
    source: Path,
    interior: Path | None,
    cover: Path,
    profile_name: str | None,
    output_format: str,
    echo: Callable[[str], None],
) -> bool:
    """Print a table of the cover's checks; True when any failed."""
    from build_tools.sources.manuscript import load

    meta = load(source).meta
    profile = profile_name or meta.print_profile
    if interior is None:
        suffix = "" if profile == meta.print_profile else f"-{profile}"
        interior = Path("dist") / f"{meta.slug}{suffix}.pdf"
    pages = _page_count(interior, "the interior PDF: build it first with 'book build pdf'")
    results = cover_checks(cover, pages, meta, COVERS[profile])
    if output_format == "json":
        echo(json.dumps([{"check": c, "passed": p, "detail": d} for c, p, d in results], indent=2))
    else:
        rows = [Row(check, PASS if passed else FAIL, detail) for check, passed, detail in results]
        title = f"Cover {cover} for {PROFILES[profile].title}, interior {interior} ({pages} pages)"
        print_table(title, rows, echo)
    return any(not passed for _, passed, _ in results)


def _page_count(path: Path, what: str) -> int:
    if not path.is_file():
        raise BookError(f"no such PDF ({what})", Location(path))
    try:
        with pikepdf.open(path) as pdf:
            return len(pdf.pages)
    except pikepdf.PdfError as exc:
        raise BookError(f"not a readable PDF: {exc}", Location(path)) from None


Result = tuple[str, bool, str]


def cover_checks(cover: Path, pages: int, meta: Metadata, rules: CoverRules) -> list[Result]:
    """Every check of the cover at ``cover`` for an interior of ``pages`` pages."""
    if not cover.is_file():
        raise BookError("no such cover PDF: build it with 'book build cover'", Location(cover))
    try:
        pdf = pikepdf.open(cover)
    except pikepdf.PdfError as exc:
        raise BookError(f"not a readable PDF: {exc}", Location(cover)) from None
    with pdf:
        count = len(pdf.pages)
        results: list[Result] = [
            ("page count", count == 1, "one page" if count == 1 else f"{count} pages: a cover is one sheet"),
            _minimum(pages, rules),
            _size(pdf.pages[0], pages, meta, rules),
            _fonts(pdf),
        ]
    results.append(_spine_text(cover, pages, meta, rules))
    return results


def _minimum(pages: int, rules: CoverRules) -> Result:
    ok = pages >= rules.min_pages
    return ("interior pages", ok, f"{pages} pages" + ("" if ok else f", fewer than {rules.min_pages}"))


def _size(page: pikepdf.Page, pages: int, meta: Metadata, rules: CoverRules) -> Result:
    spine = rules.spine(pages, meta.paper)
    width = 2 * (meta.trim.width + rules.bleed) + spine
    height = meta.trim.height + 2 * rules.bleed
    x0, y0, x1, y1 = (float(v) / POINTS for v in page.mediabox)
    found_w, found_h = x1 - x0, y1 - y0
    ok = abs(found_w - width) <= SIZE_TOLERANCE and abs(found_h - height) <= SIZE_TOLERANCE
    detail = (
        f"{found_w:.3f} × {found_h:.3f} in; expected {width:.3f} × {height:.3f} in "
        f"(spine {spine:.3f} in: {pages} pages on {meta.paper} paper)"
    )
    return ("sheet size", ok, detail)


def _font_objects(resources: pikepdf.Object | None, seen: set[tuple[int, int]]) -> Iterator[pikepdf.Object]:
    """The fonts of a resource dictionary and of the forms it draws, each once."""
    if resources is None:
        return
    yield from (resources.get("/Font") or {}).values()
    for xobject in (resources.get("/XObject") or {}).values():
        key = xobject.objgen
        if key in seen or xobject.get("/Subtype") != "/Form":
            continue
        seen.add(key)
        yield from _font_objects(xobject.get("/Resources"), seen)


def _fonts(pdf: pikepdf.Pdf) -> Result:
    missing = set()
    for page in pdf.pages:
        for font in _font_objects(page.get_resources(), set()):
            if font.get("/Subtype") == "/Type3":
                continue  # drawn by the PDF itself
            described = font.DescendantFonts[0] if "/DescendantFonts" in font else font
            descriptor = described.get("/FontDescriptor")
            files = ("/FontFile", "/FontFile2", "/FontFile3")
            if descriptor is None or not any(name in descriptor for name in files):
                missing.add(str(font.get("/BaseFont", "?")))
    ok = not missing
    return (
        "fonts embedded",
        ok,
        "every font embedded" if ok else "not embedded: " + ", ".join(sorted(missing)),
    )


def _spine_text(cover: Path, pages: int, meta: Metadata, rules: CoverRules) -> Result:
    """Characters printed on the spine (pdfium's text of its rectangle)."""
    spine = rules.spine(pages, meta.paper)
    left = (rules.bleed + meta.trim.width) * POINTS
    document = pdfium.PdfDocument(cover)
    try:
        page = document[0]
        text = page.get_textpage().get_text_bounded(left, 0, left + spine * POINTS, page.get_height())
    finally:
        document.close()
    found = "".join(text.split())
    allowed = rules.spine_text(pages)
    if not found:
        return ("spine text", True, "no text on the spine")
    if allowed:
        return ("spine text", True, f"spine text allowed above {rules.spine_text_min} pages: {found[:40]}")
    return (
        "spine text",
        False,
        f"text on the spine of a {pages}-page book (allowed above {rules.spine_text_min})",
    )
