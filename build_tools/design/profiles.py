"""Print-on-demand profiles: each printer's page geometry and file rules (REFERENCE.md §3).

A profile changes the file, never the layout of the text: the trim and the margins are the
book's; a profile adds bleed, marks, a PDF/X flavour and blank pages at the end, and says what
its preflight checks (``preflight.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# KDP's minimum inside margin by page count, in inches (the printer's gutter table).
KDP_GUTTER = ((150, 0.375), (300, 0.5), (500, 0.625), (700, 0.75), (828, 0.875))


@dataclass(frozen=True)
class Profile:
    """One printer's rules for an interior (black and white unless ``color_interior``)."""

    name: str
    title: str
    bleed: float  # inches beyond the trim on the outer edges
    bleed_at_spine: bool  # KDP: no bleed on the binding edge
    marks: bool  # crop marks (proofs only: printers refuse them)
    pdf_variant: str | None  # "pdf/x-1a" for IngramSpark
    final_blank: bool  # the last page must be blank
    min_pages: int
    max_pages: int
    safe_outside: float  # text at least this far inside the trim (outside, top, bottom)
    gutter: tuple[tuple[int, float], ...]  # minimum inside margin by page count
    max_blank_run: int | None  # most blank pages in a row inside the book
    max_blank_end: int | None  # most blank pages at the end
    min_type: float  # smallest type size in points
    # Every profile prints a black-and-white interior: the build converts images to grayscale,
    # flattened on white (``layout/images.py``), and the preflight refuses RGB and transparency.
    color_interior: bool = False

    def gutter_for(self, pages: int) -> float | None:
        """The minimum inside margin for this page count; None past the printer's maximum."""
        for limit, inches in self.gutter:
            if pages <= limit:
                return inches
        return None

    def page_css(self) -> str:
        """The @page rules of the profile: bleed (KDP: none at the spine) and marks."""
        rules = []
        if self.bleed:
            rules.append(f"@page {{ bleed: {self.bleed}in; }}")
            if not self.bleed_at_spine:
                rules.append("@page :left { bleed-right: 0; } @page :right { bleed-left: 0; }")
        if self.marks:
            rules.append("@page { marks: crop; }")
        return "\n".join(rules) + "\n"


PROFILES = {
    "kdp": Profile(
        "kdp",
        "Amazon KDP paperback",
        bleed=0.125,
        bleed_at_spine=False,
        marks=False,
        pdf_variant=None,
        final_blank=False,
        min_pages=24,
        max_pages=828,
        safe_outside=0.375,
        gutter=KDP_GUTTER,
        max_blank_run=2,
        max_blank_end=10,
        min_type=7,
    ),
    "ingramspark": Profile(
        "ingramspark",
        "IngramSpark",
        bleed=0.125,
        bleed_at_spine=True,
        marks=False,
        pdf_variant="pdf/x-1a",
        final_blank=True,
        min_pages=18,
        max_pages=1200,
        safe_outside=0.5,
        gutter=((1200, 0.5),),
        max_blank_run=None,
        max_blank_end=None,
        min_type=7,
    ),
    "lulu": Profile(
        "lulu",
        "Lulu",
        bleed=0.125,
        bleed_at_spine=True,
        marks=False,
        pdf_variant=None,
        final_blank=False,
        min_pages=32,
        max_pages=800,
        safe_outside=0.5,
        gutter=((800, 0.5),),
        max_blank_run=None,
        max_blank_end=None,
        min_type=7,
    ),
    "proof": Profile(
        "proof",
        "Proof with crop marks",
        bleed=0.125,
        bleed_at_spine=True,
        marks=True,
        pdf_variant=None,
        final_blank=False,
        min_pages=1,
        max_pages=10000,
        safe_outside=0.25,
        gutter=((10000, 0.375),),
        max_blank_run=None,
        max_blank_end=None,
        min_type=6,
    ),
}
DEFAULT = "kdp"


@dataclass(frozen=True)
class CoverRules:
    """One printer's rules for a paperback's wraparound cover (one sheet: back, spine, front).

    The spine is ``pages × caliper[paper] + spine_allowance`` inches wide. The figures and
    where they come from (gathered 2026-12-02 from what the search corpora hold; each
    printer's own cover calculator or template generator is the last word, check before
    relying on a figure marked "unverified"):
    - KDP, its cover calculator and cover guide (as REFERENCE.md §6 and public tools quoting
      them, e.g. blurbbio's and Pylons' coversizing.py): white 0.002252 in/page, cream
      0.0025; bleed 0.125 in; spine text only above 79 pages; barcode area 2 × 1.2 in at the
      lower right of the back, 0.25 in from the bottom trim and from the spine; text 0.125 in
      inside the trim and 0.0625 in off the spine's folds.
    - Lulu, its Book Creation Guide as the open-source momovu cover tool encodes it: paperback
      spine = pages / 17.48 mm + 1.524 mm, that is pages / 444 + 0.06 in, white and cream
      alike; 32 pages at least; safety margin 0.5 in. Spine text minimum: unverified (KDP's
      79 used).
    - IngramSpark (printed by Lightning Source), as momovu encodes Lightning Source's
      calculator: 50 lb white and creme at 400 pages per inch (0.0025 in/page) plus 0.025 in
      of cover stock; 18 pages at least (the interior's profile). Spine text from 48 pages
      (third-party guides; unverified). Barcode area: unverified, KDP's box used.
    """

    caliper: tuple[tuple[str, float], ...]  # inches per page, by paper ("white", "cream")
    spine_allowance: float  # inches the cover stock adds to the pages' thickness
    spine_text_min: int  # spine text only on books of more pages than this
    min_pages: int  # a cover can be made for this many pages at least
    bleed: float  # inches beyond the trim on every outer edge of the sheet
    safe: float  # text at least this far inside the trim
    spine_margin: float  # spine text at least this far from each fold
    barcode: tuple[float, float]  # the barcode area (width, height), inches
    barcode_inset: float  # the area's distance from the trim's bottom and the spine's fold

    def spine(self, pages: int, paper: str) -> float:
        """The spine's width in inches for ``pages`` interior pages on ``paper``."""
        return pages * dict(self.caliper)[paper] + self.spine_allowance

    def spine_text(self, pages: int) -> bool:
        """Whether the spine may carry text at this page count."""
        return pages > self.spine_text_min


COVERS = {
    "kdp": CoverRules(
        caliper=(("white", 0.002252), ("cream", 0.0025)),
        spine_allowance=0.0,
        spine_text_min=79,
        min_pages=24,
        bleed=0.125,
        safe=0.125,
        spine_margin=0.0625,
        barcode=(2.0, 1.2),
        barcode_inset=0.25,
    ),
    "ingramspark": CoverRules(
        caliper=(("white", 0.0025), ("cream", 0.0025)),
        spine_allowance=0.025,
        spine_text_min=47,
        min_pages=18,
        bleed=0.125,
        safe=0.125,
        spine_margin=0.0625,
        barcode=(2.0, 1.2),
        barcode_inset=0.25,
    ),
    "lulu": CoverRules(
        caliper=(("white", 1 / 444), ("cream", 1 / 444)),
        spine_allowance=0.06,
        spine_text_min=79,
        min_pages=32,
        bleed=0.125,
        safe=0.5,
        spine_margin=0.0625,
        barcode=(2.0, 1.2),
        barcode_inset=0.5,
    ),
    "proof": CoverRules(
        caliper=(("white", 0.002252), ("cream", 0.0025)),
        spine_allowance=0.0,
        spine_text_min=79,
        min_pages=1,
        bleed=0.125,
        safe=0.125,
        spine_margin=0.0625,
        barcode=(2.0, 1.2),
        barcode_inset=0.25,
    ),
}


# The EAN-5 add-on's first digit names the currency of the price after it (Bookland
# convention, as Bowker and the ISBN agencies describe it): 5 US dollars, 0 and 1 pounds
# sterling, 6 Canadian, 3 Australian, 4 New Zealand dollars.
CURRENCIES = {"USD": "5", "GBP": "0", "CAD": "6", "AUD": "3", "NZD": "4"}
_PRICE = re.compile(r"^([A-Z]{3}) (\d+)\.(\d{2})$")


def price_addon(price: str) -> str:
    """The five digits of the barcode's price add-on for book.toml's ``price``: "USD 18.00"
    gives 51800; five digits are taken as written ("90000": no suggested price). ValueError
    says why a price cannot be one."""
    if re.fullmatch(r"\d{5}", price):
        return price
    found = _PRICE.match(price)
    if not found:
        raise ValueError('write it as a currency and an amount ("USD 18.00") or as five digits ("51800")')
    currency, units, cents = found.groups()
    if currency not in CURRENCIES:
        raise ValueError(f"the add-on knows {', '.join(CURRENCIES)}, not {currency}")
    if int(units) > 99:  # four digits of price: 99.99 at most (the agencies' 59999 means "more")
        raise ValueError("the add-on holds prices up to 99.99; give five digits for another (59999)")
    return f"{CURRENCIES[currency]}{int(units):02d}{cents}"
