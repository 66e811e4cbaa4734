"""One section laid out alone, where the last whole layout put it: the preview's quick proof
(issue 18 item 3).

The whole book takes several WeasyPrint layouts (``paginate.py``: the runts' trials, the notes
and the index laid out again), 30 s and more at 400 pages; a save in the preview changes one
section. This lays that section out as a document of its own, once: the same print HTML
(``html.section_html``), CSS, fonts and printer's page as the book's, its first page on the
side and with the folio the whole layout gave it (``Placement``), its running heads as the
book's (the book's title is the document's, the section's own title and verso head are in
it). What it cannot know it takes from the whole layout: the pages printed for targets
outside it (``known``), the gutter of the book's page count, the number of a proof's first
query. Words split across a page turn and runts are left as they fall: the whole layout,
which comes after it, sets them.
Importing this module imports WeasyPrint.
"""

from __future__ import annotations

import re
from pathlib import Path

from weasyprint import Document

from build_tools.design.coverage import used_fonts
from build_tools.design.fonts import read_fonts
from build_tools.design.profiles import PROFILES
from build_tools.layout.html import section_html
from build_tools.layout.paginate import FIRST_GUTTER
from build_tools.layout.proofs import proof_css
from build_tools.layout.structure import divisions_order
from build_tools.layout.weasy import Renderer
from build_tools.model import Book, Placement, Section

# A query's span as the parser writes it (parse/mdext/queries.py: its class first).
_QUERY = re.compile(r'<span class="query(?:-mark)?"')


def placement_css(placement: Placement) -> str:
    """The document's first page on the section's side and with its folio. The root element's
    ``break-before`` sets the side of WeasyPrint's first page (``recto``/``verso``, so that
    the book's direction decides, as for the whole book's first page); the first page's counter
    is reset as ``paginate.py`` resets the back matter's."""
    side = "recto" if placement.recto else "verso"
    return f"html {{ break-before: {side}; }}\n@page :first {{ counter-reset: page {placement.folio}; }}\n"


def lay_out_section(
    book: Book, styles: Path, section: Section, placement: Placement, proof: bool
) -> Document:
    """``section`` of ``book`` laid out alone, once, where ``placement`` says the whole layout
    put it; a ``proof`` shows its queries, numbered as in the book."""
    profile = PROFILES[book.meta.print_profile]
    fonts = used_fonts(book, read_fonts(styles))
    renderer = Renderer(book, styles, profile, fonts, proof_css(book.meta.words) if proof else "")
    first_query = queries_before(book, section) + 1 if proof else None
    printed = section_html(book, section, placement.known, first_query)
    inside = max(FIRST_GUTTER, profile.gutter_for(placement.page_count) or FIRST_GUTTER)
    return renderer.render(printed.html, inside, placement_css(placement))


def queries_before(book: Book, section: Section) -> int:
    """The queries a proof prints before ``section``: those of the sections before it in print
    order (their headings and text; the contents' copies of headings show none)."""
    count = 0
    for before in divisions_order(book):
        if before.number == section.number:
            break
        count += sum(len(_QUERY.findall(part.xml)) for part in (before.heading, before.body))
    return count
