"""The EPUB's package document (``content.opf``): metadata, EPUB Accessibility 1.1, manifest, spine.

Written here rather than by ebooklib, whose writer adds a ``toc="ncx"`` spine, drops
``xml:lang`` and stamps the current time (ebooklib issues 76, 294, 340, 354).
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Protocol

from build_tools.design.fonts import Face
from build_tools.model import Book, Certification, PrintLayout
from build_tools.sources.epoch import iso_utc
from build_tools.writers.cover.ebook import CoverImage

MEDIA = "media"  # pictures are packed under media/, by their path in the manuscript folder
COVER_ID = "cover-image"
# The claim, verbatim as EPUB Accessibility 1.1 §2.1 spells it (Ace checks the string).
CONFORMANCE = "EPUB Accessibility 1.1 - WCAG 2.2 Level AA"
# Apple's vocabulary: EPUB 3.3 asks that a prefix other than the reserved ones be declared in the
# package's prefix attribute ("Vocabulary association mechanisms").
IBOOKS_PREFIX = "ibooks: http://vocabulary.itunes.apple.com/rdf/ibooks/vocabulary-extensions-1.0/"


class Manifested(Protocol):
    """A document of the package: its file name, and whether it is the navigation document."""

    href: str
    nav: bool


def package(
    book: Book,
    layout: PrintLayout | None,
    documents: Sequence[Manifested],
    fonts: Sequence[Face],
    cover: CoverImage | None = None,
) -> bytes:
    """The package document: metadata, manifest and spine."""
    meta = book.meta
    e = escape
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="pub-id" '
        f'xml:lang="{e(meta.language)}" dir="ltr" prefix="{IBOOKS_PREFIX}">',
        '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">',
        f'<dc:identifier id="pub-id">{e(meta.identifier)}</dc:identifier>',
        f'<dc:title id="title">{e(meta.title)}</dc:title>',
        '<meta refines="#title" property="title-type">main</meta>',
    ]
    if meta.subtitle:
        lines += [
            f'<dc:title id="subtitle">{e(meta.subtitle)}</dc:title>',
            '<meta refines="#subtitle" property="title-type">subtitle</meta>',
        ]
    lines += [
        f'<dc:creator id="author">{e(meta.author)}</dc:creator>',
        '<meta refines="#author" property="role" scheme="marc:relators">aut</meta>',
        f'<meta refines="#author" property="file-as">{e(meta.author_sort)}</meta>',
        f"<dc:language>{e(meta.language)}</dc:language>",
        f"<dc:publisher>{e(meta.publisher)}</dc:publisher>",
        f"<dc:rights>{e(meta.rights)}</dc:rights>",
    ]
    if meta.date:
        lines.append(f"<dc:date>{e(meta.date)}</dc:date>")
    if meta.description:
        lines.append(f"<dc:description>{e(meta.description)}</dc:description>")
    lines += [f"<dc:subject>{e(subject)}</dc:subject>" for subject in meta.subjects]
    if meta.isbn_print or (layout and layout.pages):
        lines.append(f"<dc:source>{e(print_source(book))}</dc:source>")
    if meta.edition:
        lines.append(f'<meta property="schema:bookEdition">{e(meta.edition)}</meta>')
    lines.append(f'<meta property="dcterms:modified">{iso_utc(book.source_date_epoch)}</meta>')
    if fonts:  # Apple Books uses the embedded faces only when told (also META-INF's display options)
        lines.append('<meta property="ibooks:specified-fonts">true</meta>')
    lines += _accessibility(book, layout)
    if cover:  # EPUB 2's way to the cover, still read by older readers and by calibre
        lines.append(f'<meta name="cover" content="{COVER_ID}"/>')
    lines.append("</metadata>\n<manifest>")
    lines += _manifest(book, documents, fonts, cover)
    lines.append("</manifest>\n<spine>")
    lines += [f'<itemref idref="{doc.href.removesuffix(".xhtml")}"/>' for doc in documents]
    lines.append("</spine>\n</package>\n")
    return "\n".join(lines).encode()


def _manifest(
    book: Book, documents: Sequence[Manifested], fonts: Sequence[Face], cover: CoverImage | None
) -> list[str]:
    """The manifest's items: the documents, the stylesheet, the fonts, the pictures, the cover."""
    lines = []
    for doc in documents:
        item_id = doc.href.removesuffix(".xhtml")
        props = ' properties="nav"' if doc.nav else ""
        lines.append(f'<item id="{item_id}" href="{doc.href}" media-type="application/xhtml+xml"{props}/>')
    lines.append('<item id="css" href="css/book.css" media-type="text/css"/>')
    lines += [
        f'<item id="font-{i}" href="fonts/{face.name}" media-type="{face.media_type}"/>'
        for i, face in enumerate(fonts, 1)
    ]
    lines += [
        f'<item id="image-{i}" href="{MEDIA}/{escape(image.href)}" media-type="{image.media_type}"/>'
        for i, image in enumerate(book.images, 1)
    ]
    if cover:
        lines.append(
            f'<item id="{COVER_ID}" href="{MEDIA}/{cover.href}" media-type="{cover.media_type}" '
            'properties="cover-image"/>'
        )
    return lines


def _accessibility(book: Book, layout: PrintLayout | None) -> list[str]:
    """EPUB Accessibility 1.1 metadata (w3c/epub-specs, epub33/a11y §2 and §5): what the book
    has, and a conformance claim only when book.toml's [accessibility] names who certifies it
    (the toolchain cannot know the book meets WCAG, nor may it make the author the certifier)."""
    features = ["structuralNavigation", "tableOfContents", "readingOrder", "displayTransformability"]
    paged = bool(layout and layout.pages)
    if paged:  # print page equivalents (EPUB Accessibility 1.1 §5; printPageNumbers is deprecated)
        features += ["pageNavigation", "pageBreakMarkers"]
    words = book.meta.words
    pictures = words.accessibility_pictures if book.images else words.accessibility_no_pictures
    summary = words.accessibility_summary.format(pictures=pictures)
    claim = book.meta.certification
    if claim:
        summary += " " + words.accessibility_certified.format(certifier=claim.certified_by)
    lines = ['<meta property="schema:accessMode">textual</meta>']
    if book.images:
        features.append("alternativeText")
        lines.append('<meta property="schema:accessMode">visual</meta>')
    lines.append('<meta property="schema:accessModeSufficient">textual</meta>')
    lines += [f'<meta property="schema:accessibilityFeature">{f}</meta>' for f in features]
    lines += [
        '<meta property="schema:accessibilityHazard">none</meta>',
        f'<meta property="schema:accessibilitySummary">{escape(summary)}</meta>',
    ]
    lines += _conformance(claim) if claim else []
    if paged:
        lines.append(f'<meta property="pageBreakSource">{escape(print_source(book))}</meta>')
    return lines


def _conformance(claim: Certification) -> list[str]:
    """The conformance claim and its certifier, with their credential and report (EPUB
    Accessibility 1.1 §2.2: the certifier refines the claim, the others the certifier)."""
    lines = [
        f'<meta property="dcterms:conformsTo" id="conformance">{CONFORMANCE}</meta>',
        '<meta property="a11y:certifiedBy" refines="#conformance" id="certifier">'
        f"{escape(claim.certified_by)}</meta>",
    ]
    if claim.credential:
        credential = escape(claim.credential)
        lines.append(f'<meta property="a11y:certifierCredential" refines="#certifier">{credential}</meta>')
    if claim.report:
        lines.append(f'<link rel="a11y:certifierReport" refines="#certifier" href="{escape(claim.report)}"/>')
    return lines


def print_source(book: Book) -> str:
    """The print edition the page markers come from: its ISBN, else its description."""
    if book.meta.isbn_print:
        return f"urn:isbn:{book.meta.isbn_print}"
    meta = book.meta
    return meta.words.print_edition.format(title=meta.title, trim=meta.trim.label, publisher=meta.publisher)
