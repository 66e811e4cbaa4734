"""The words the toolchain writes in a book and its preview, one catalogue per language.

Every visible string the writers, the layout and the preview generate is a field of ``Labels``
(STYLE.md point 18): a book in another language swaps the catalogue, not the code (English
here, French, German, Spanish and Italian in ``catalogues.py``), and book.toml's ``[labels]``
replaces any field (``Metadata.words``). Templates
take ``str.format`` fields, named in each comment. Labels are plain text: escape them (and
what fills them) for the markup they go into.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from string import Formatter

from build_tools.lang.catalogues import TRANSLATIONS


@dataclass(frozen=True)
class Labels:
    """One language's words for the parts of a book, its navigation and the preview."""

    # The parts of the book: document titles, headings, contents and landmark entries.
    contents: str
    title_page: str  # the title page's document title and landmark
    copyright: str  # the copyright page's title, contents entry, landmark and ARIA label
    chronology: str
    notes: str
    index: str  # the index of names
    cover: str  # the cover's document title and landmark (issue 14)

    # ARIA labels of the EPUB's navigation and pages.
    title_page_label: str  # the title page section's aria-label
    landmarks: str
    page_list: str
    cover_alt: str  # the cover picture's text alternative: {title}, {author}

    # The copyright page.
    title_and_subtitle: str  # its first line: {title} (in italics), {subtitle}
    copyright_notice: str  # when book.toml's rights has no © and no year: {year}, {holder} (the author)
    published_by: str  # {publisher}
    isbn_print: str  # {isbn}
    isbn_ebook: str  # {isbn}, the e-book's
    identifier: str  # {format} (as "EPUB"), {identifier}
    set_in: str  # {family}
    typefaces: str  # set_in's {family} when fallback faces set some characters: {family}, {fallbacks}

    # Notes, the index and the chronology.
    notes_to_page: str  # running head of the notes in print: {span}, one page
    notes_to_pages: str  # {span}, a range of pages ("12–15")
    back_to_reference: str  # a backlink's aria-label: {number}, {letter} (" a" or "")
    see: str
    see_also: str
    in_the_text: str  # after a chronology entry in an EPUB without print pages: {links}, its passages
    page_reference: str  # a chronology entry's page: {page}
    page_references: str  # a chronology entry's pages, separate passages: {pages} ("2, 17")
    note_locator: str  # an index locator in a note: {page}, {number} (the note's)
    # A note locator that a page shares with another chapter's note: {locator}, {chapter}; and
    # the same for a section that is no chapter: {locator}, {section} (its title).
    note_locator_chapter: str
    note_locator_section: str
    continued: str  # an index heading repeated at the top of a page: {heading}

    # EPUB package metadata.
    print_edition: str  # dc:source without an ISBN: {title}, {trim}, {publisher}
    accessibility_summary: str  # what the EPUB has, no claim: {pictures}, one of the two below
    accessibility_pictures: str
    accessibility_no_pictures: str
    accessibility_certified: str  # after the summary when [accessibility] names a certifier: {certifier}

    # The preview.
    preview: str  # its bar's aria-label, and the title of a page with no book
    preview_index: str  # the bar's link to the index
    index_marks: str  # the button that shows the index marks
    print_view: str  # a contents entry's link to its printed pages
    print_view_link: str  # the bar's link from a part to its printed pages
    ebook_view_link: str  # the bar's link from the printed pages back to the part
    print_view_title: str  # {title}, the part's
    error_title: str
    cannot_read: str  # the error banner, in bold, before the explanation below
    cannot_read_explanation: str
    warnings: str  # heading of the warnings and open queries on the contents page
    note_label: str  # a note's popover: {number}
    in_the_notes: str  # the popover's link to the notes
    updating: str  # the print view, while the book is laid out again
    laying_out: str  # the print view, while the book is laid out the first time
    printed_page: str  # a printed page's alt text: {number}
    quick_proof: str  # the print view, while it shows the section laid out alone and lays out the book

    # Proofs (book build --proof, the preview): the editorial queries shown (issue 16).
    open_queries: str  # the heading of the list of open queries at the end of a proof
    query_number: str  # a query's marker in a proof: {number}
    proof_slug: str  # the line in the foot margin of every page of a proof
    query_label: str  # a query's tooltip and label in the preview: {query}, the query's words


ENGLISH = Labels(
    contents="Contents",
    title_page="Title Page",
    copyright="Copyright",
    chronology="Chronology",
    notes="Notes",
    index="Index of Names",
    cover="Cover",
    title_page_label="Title page",
    landmarks="Landmarks",
    page_list="Page list",
    cover_alt="Cover of {title}, by {author}",
    title_and_subtitle="{title}: {subtitle}",
    copyright_notice="© {year} {holder}",
    published_by="Published by {publisher}",
    isbn_print="ISBN {isbn} (paperback)",
    isbn_ebook="ISBN {isbn} (EPUB)",
    identifier="{format} identifier: {identifier}",
    set_in="Set in {family}.",
    typefaces="{family}, with {fallbacks}",
    notes_to_page="Notes to page {span}",
    notes_to_pages="Notes to pages {span}",
    back_to_reference="Back to reference {number}{letter}",
    see="See",
    see_also="See also",
    in_the_text="In the text: {links}.",
    page_reference="(p. {page})",
    page_references="(pp. {pages})",
    note_locator="{page}n{number}",
    note_locator_chapter="{locator} (chap.\u00a0{chapter})",
    note_locator_section="{locator} ({section})",
    continued="{heading} (continued)",
    print_edition="{title}, print edition, {trim}, {publisher}",
    accessibility_summary=(
        "This publication has a table of contents, headings for every section, and notes that "
        "link to and from their references. {pictures} Reading-system font and colour settings "
        "are respected."
    ),
    accessibility_pictures="Every picture has a text alternative.",
    accessibility_no_pictures="It is text only, with no images.",
    accessibility_certified=(
        "Its conformance to EPUB Accessibility 1.1 and WCAG 2.2 Level AA is certified by {certifier}."
    ),
    preview="Preview",
    preview_index="Index",
    index_marks="Index marks",
    print_view="print view",
    print_view_link="Print view",
    ebook_view_link="E-book view",
    print_view_title="{title} (print)",
    error_title="Error",
    cannot_read="The manuscript cannot be read:",
    cannot_read_explanation="the page shows the last version that could.",
    warnings="Warnings and open queries",
    note_label="Note {number}",
    in_the_notes="In the notes",
    updating="updating…",
    laying_out="laying out the printed pages…",
    printed_page="Printed page {number}",
    quick_proof=(
        "quick look at this section, laid out alone (page numbers from the last layout); "
        "the whole is being laid out…"
    ),
    open_queries="Open queries",
    query_number="Q{number}",
    proof_slug="Uncorrected proofs: not for press",
    query_label="Editorial query: {query}",
)

CATALOGUES = {"en": ENGLISH} | {tag: Labels(**words) for tag, words in TRANSLATIONS.items()}
FIELDS = tuple(item.name for item in fields(Labels))


def primary(language: str) -> str:
    """A BCP 47 tag's primary language subtag, lower case: "en-GB" is "en"."""
    return language.split("-")[0].lower()


def labels_for(language: str, overrides: tuple[tuple[str, str], ...] = ()) -> Labels:
    """The labels for a BCP 47 language tag, by its primary subtag ("fr-CA" is "fr"; English for
    a language without a catalogue), with ``overrides`` (field, template) replacing fields:
    the ``[labels]`` of book.toml, checked by :func:`template_problem`."""
    words = CATALOGUES.get(primary(language), ENGLISH)
    return replace(words, **dict(overrides)) if overrides else words


def placeholders(template: str) -> frozenset[str]:
    """The ``str.format`` fields a template names (ValueError if it is not a template)."""
    return frozenset(name for _, name, _, _ in Formatter().parse(template) if name is not None)


def template_problem(name: str, template: str) -> str | None:
    """Why ``template`` cannot stand for field ``name``, or None: it must name exactly the
    field's placeholders, bare (no conversion, no format spec: a label never fails to fill)."""
    expected = placeholders(getattr(ENGLISH, name))
    try:
        parts = list(Formatter().parse(template))
    except ValueError as exc:
        return f"is not a valid template ({exc}); write a literal brace as {{{{ or }}}}"
    used = [(field, spec, conversion) for _, field, spec, conversion in parts if field is not None]
    names = {field for field, _, _ in used}
    if names != expected:
        return f"must use {_listing(expected) or 'no placeholder'}, not {_listing(names) or 'none'}"
    if any(spec or conversion for _, spec, conversion in used):
        return f"takes its placeholders bare, with no conversion or format: {_listing(expected)}"
    return None


def _listing(names: frozenset[str] | set[str]) -> str:
    """``{a}``, ``{a} and {b}``, ``{a}, {b} and {c}``, in the order of the alphabet."""
    braced = [f"{{{name}}}" for name in sorted(names)]
    return " and ".join(filter(None, (", ".join(braced[:-1]), braced[-1]))) if braced else ""
