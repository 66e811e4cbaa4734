"""Every id the book's documents carry, in one place: both formats, the layout and the preview
find elements by these names, so a format changes here or nowhere.

Ids are shared by the EPUB and the print HTML: the print layout reports pages by them, and the
EPUB places its page markers and index locators at the same elements.
"""

from __future__ import annotations

# Fixed ids of the generated parts of the book.
HALFTITLE = "halftitle"
TITLEPAGE = "titlepage"
COPYRIGHT = "copyright"
CONTENTS = "contents"
TOC = "toc"
TOC_TITLE = "toc-title"
CHRONOLOGY = "chronology"
CHRONOLOGY_TITLE = "chronology-title"
NOTES = "notes"
NOTES_TITLE = "notes-title"
INDEX = "index"
INDEX_TITLE = "index-title"
BACK_MATTER = (CHRONOLOGY, NOTES, INDEX)
QUERIES = "open-queries"  # a proof's list of open queries, after the back matter (layout/proofs.py)

# Classes of the author's cross-references, ``[text](#name)``, and of the empty ones,
# ``[](#name)``, which show their target's page: the parse gives them, the writers find them.
XREF = "xref"
PAGE_REF = "xref-page"


def section(number: int) -> str:
    """A section (chapter) element: ``sec-3``."""
    return f"sec-{number}"


def part(number: int) -> str:
    """A part's title page: ``part-2``."""
    return f"part-{number}"


def section_title(number: int) -> str:
    return f"{section(number)}-title"


def section_file(number: int) -> str:
    """The stem of a section's EPUB document: ``section-003``."""
    return f"section-{number:03d}"


def heading(number: int, slug: str) -> str:
    """A subheading inside a section: ``sec-3-the-canton-commune``."""
    return f"{section(number)}-{slug}"


def block(number: int, count: int) -> str:
    """The ``count``-th paragraph, list item or quotation of a section without an id: ``p-3-12``."""
    return f"p-{number}-{count}"


def note(number: int, note_number: int) -> str:
    return f"note-{number}-{note_number}"


def noteref(number: int, note_number: int, occurrence: int = 1) -> str:
    """The ``occurrence``-th reference to a note in the text."""
    base = f"noteref-{number}-{note_number}"
    return base if occurrence == 1 else f"{base}-{occurrence}"


def notes_group(number: int) -> str:
    """The subhead of a section's notes in the notes."""
    return f"notes-{number}"


def anchor(name: str) -> str:
    """A place marked ``{#name}`` in the text."""
    return f"anchor-{name}"


def event(name: str) -> str:
    """An entry of the chronology."""
    return f"event-{name}"


def mention(count: int) -> str:
    """A mention of an index entry, numbered across the book."""
    return f"ix-{count}"


def range_end(count: int) -> str:
    """The end mark of a range ``{@id:end}``, numbered across the book."""
    return f"ixr-{count}"


def is_mention(element_id: str) -> bool:
    return element_id.startswith(("ix-", "ixr-"))


def index(number: int) -> str:
    """The ``number``-th index of the back matter (from 1): ``index``, ``index-2``."""
    return INDEX if number == 1 else f"{INDEX}-{number}"


def index_title(number: int) -> str:
    return INDEX_TITLE if number == 1 else f"{index(number)}-title"


def index_file(number: int) -> str:
    """The EPUB document of the ``number``-th index: ``index.xhtml``, ``index-2.xhtml``."""
    return f"{index(number)}.xhtml"


def index_entry(entry: str) -> str:
    return f"ix-entry-{entry}"


def index_see(number: int) -> str:
    return f"ix-see-{number}"


def index_group(letter: str, number: int = 1) -> str:
    """A letter group of the ``number``-th index: ``index-A``, ``index-2-A``."""
    return f"{index(number)}-{letter}"


def index_group_heading(letter: str, number: int = 1) -> str:
    return f"{index(number)}-h-{letter}"


def query(number: int) -> str:
    """A query's note in a proof, numbered in the order of the printed book."""
    return f"query-{number}"


def page(label: str) -> str:
    """A print page marker in the EPUB: ``page-12``, ``page-iv``."""
    return f"page-{label}"
