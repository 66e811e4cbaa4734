"""Print-on-demand profiles: each printer's page geometry and file rules (REFERENCE.md §3).

A profile changes the file, never the layout of the text: the trim and the margins are the
book's; a profile adds bleed, marks, a PDF/X flavour and blank pages at the end, and says what
its preflight checks (``preflight.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

# KDP's minimum inside margin by page count, in inches (the printer's gutter table).
KDP_GUTTER = ((150, 0.375), (300, 0.5), (500, 0.625), (700, 0.75), (828, 0.875))


@dataclass(frozen=True)
class Profile:
    """One printer's rules for a black-and-white interior."""

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
