"""The EPUB 3 writer: XHTML documents, navigation, package document and a reproducible zip.

Follows REFERENCE.md §1: notes with noteref/endnote/backlink semantics (no deprecated
``doc-endnote``), EPUB Accessibility 1.1 metadata, ``xml:lang`` on the package and every
document, no NCX. The package document is written here rather than by ebooklib, whose writer
adds a ``toc="ncx"`` spine, drops ``xml:lang``, stamps the current time and re-parses XHTML
(ebooklib issues 76, 294, 340, 354): each of those would need a patch afterwards.
"""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

from lxml import etree

from build_tools.index import entries as index
from build_tools.lang.frontmatter import copyright_lines
from build_tools.model import Book, Mention, Note, Section
from build_tools.writers.epub import pagelist
from build_tools.writers.output import atomic_output, iso_utc, write_zip

XHTML_NS = "http://www.w3.org/1999/xhtml"
MEDIA = "media"
BACKLINK = "\u21a9\ufe0e"  # ↩︎ with VS15, so iOS draws text, not an emoji
CONTAINER = b"""<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
"""
FONTS = {  # file name: (weight, style, needed only if the book has bold text)
    "EBGaramond-Regular.ttf": ("normal", "normal", False),
    "EBGaramond-Italic.ttf": ("normal", "italic", False),
    "EBGaramond-Bold.ttf": ("bold", "normal", True),
    "EBGaramond-BoldItalic.ttf": ("bold", "italic", True),
}


class EpubWriter:
    """Writes ``<out>/<slug>.epub`` from a Book."""

    suffix = ".epub"

    def __init__(self, styles: Path) -> None:
        self.styles = styles

    def write(self, book: Book, out_dir: Path) -> Path:
        target = out_dir / f"{book.meta.slug}{self.suffix}"
        documents = self._documents(book)
        fonts = [name for name, (_, _, bold) in FONTS.items() if book.uses_bold or not bold]
        css = (font_faces(fonts) + (self.styles / "epub.css").read_text(encoding="utf-8")).encode()
        entries: list[tuple[str, bytes]] = [
            ("mimetype", b"application/epub+zip"),
            ("META-INF/container.xml", CONTAINER),
            ("OEBPS/content.opf", _package(book, documents, fonts)),
        ]
        entries += [(f"OEBPS/{doc.href}", doc.content) for doc in documents]
        entries.append(("OEBPS/css/book.css", css))
        entries += [(f"OEBPS/fonts/{name}", (self.styles / "fonts" / name).read_bytes()) for name in fonts]
        entries += [(f"OEBPS/{MEDIA}/{image.href}", image.path.read_bytes()) for image in book.images]
        with atomic_output(target) as temporary:
            write_zip(temporary, entries, book.source_date_epoch)
        return target

    def _documents(self, book: Book) -> list[_Document]:
        lang = book.meta.language
        docs = [
            _Document("titlepage.xhtml", "Title Page", _titlepage(book), lang, "frontmatter"),
            _Document("copyright.xhtml", "Copyright", _copyright(book), lang, "frontmatter"),
            _Document("nav.xhtml", "Contents", _nav(book), lang, "frontmatter", nav=True),
        ]
        marks = chronology_marks(book)
        docs += [
            _Document(f"{s.file_stem}.xhtml", s.title, section_body(s, marks), lang, "bodymatter")
            for s in book.sections
        ]
        if book.chronology:
            docs.append(
                _Document("chronology.xhtml", "Chronology", chronology_body(book), lang, "backmatter")
            )
        if book.notes:
            docs.append(_Document("notes.xhtml", "Notes", notes_body(book), lang, "backmatter"))
        if book.names:
            docs.append(_Document("index.xhtml", "Index of Names", index_body(book), lang, "backmatter"))
        if book.layout and book.layout.pages:
            _add_print_pages(docs, book)
        return docs


def _add_print_pages(docs: list[_Document], book: Book) -> None:
    """Markers where each print page begins, and the page-list in the navigation document."""
    assert book.layout is not None
    trees = {doc.href: etree.fromstring(doc.content) for doc in docs}
    entries = pagelist.mark_pages(trees, book.layout.pages)
    body = trees["nav.xhtml"].find(f"{{{XHTML_NS}}}body")
    body.append(pagelist.page_list_nav(entries))
    for doc in docs:
        doc.content = etree.tostring(trees[doc.href].getroottree(), xml_declaration=True,
                                     encoding="UTF-8", doctype="<!DOCTYPE html>") + b"\n"


class _Document:
    def __init__(
        self, href: str, title: str, body: str, lang: str, matter: str, nav: bool = False
    ) -> None:
        self.href, self.title, self.nav = href, title, nav
        # Pictures are packed under media/, by their path in the manuscript folder.
        body = re.sub(r'(<img\b[^>]*?\bsrc=")(?![a-z]+:)', rf"\1{MEDIA}/", body)
        self.content = _xhtml(title, body, lang, matter)


def _xhtml(title: str, body: str, lang: str, matter: str) -> bytes:
    text = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n'
        f'<html xmlns="{XHTML_NS}" xmlns:epub="http://www.idpf.org/2007/ops" '
        f'lang="{escape(lang)}" xml:lang="{escape(lang)}">\n'
        f"<head>\n<meta charset=\"utf-8\"/>\n<title>{escape(title)}</title>\n"
        '<link rel="stylesheet" type="text/css" href="css/book.css"/>\n</head>\n'
        f'<body epub:type="{matter}">\n{body}\n</body>\n</html>\n'
    )
    etree.fromstring(text.encode())  # every document is well-formed, or the build stops here
    return text.encode()


def _titlepage(book: Book) -> str:
    meta = book.meta
    subtitle = f'<p class="subtitle">{escape(meta.subtitle)}</p>\n' if meta.subtitle else ""
    return (
        '<section id="titlepage" class="titlepage" epub:type="titlepage" aria-label="Title page">\n'
        f'<h1 class="title">{escape(meta.title)}</h1>\n{subtitle}'
        f'<p class="author">{escape(meta.author)}</p>\n'
        f'<p class="publisher">{escape(meta.publisher)}</p>\n</section>'
    )


def _copyright(book: Book) -> str:
    lines = "\n".join(f"<p>{line}</p>" for line in copyright_lines(book, "EPUB"))
    return (
        '<section id="copyright" class="copyright" epub:type="copyright-page" aria-label="Copyright">\n'
        f"{lines}\n</section>"
    )


def _nav(book: Book) -> str:
    items = ['<li><a href="copyright.xhtml">Copyright</a></li>']
    items += [
        f'<li><a href="{s.file_stem}.xhtml">{strip_links(s.heading.xml)}</a></li>' for s in book.sections
    ]
    landmarks = [
        '<li><a epub:type="titlepage" href="titlepage.xhtml">Title Page</a></li>',
        '<li><a epub:type="copyright-page" href="copyright.xhtml">Copyright</a></li>',
        '<li><a epub:type="toc" href="nav.xhtml#toc">Contents</a></li>',
        f'<li><a epub:type="bodymatter" href="{book.sections[0].file_stem}.xhtml">'
        f"{escape(book.sections[0].title)}</a></li>",
    ]
    if book.chronology:
        items.append('<li><a href="chronology.xhtml">Chronology</a></li>')
    if book.notes:
        items.append('<li><a href="notes.xhtml">Notes</a></li>')
        landmarks.append('<li><a epub:type="endnotes" href="notes.xhtml">Notes</a></li>')
    if book.names:
        items.append('<li><a href="index.xhtml">Index of Names</a></li>')
        landmarks.append('<li><a epub:type="index" href="index.xhtml">Index of Names</a></li>')
    return (
        '<nav epub:type="toc" id="toc" role="doc-toc" aria-labelledby="toc-title">\n'
        '<h1 id="toc-title">Contents</h1>\n<ol class="contents">\n' + "\n".join(items) + "\n</ol>\n</nav>\n"
        '<nav epub:type="landmarks" aria-label="Landmarks" hidden="hidden">\n<ol>\n'
        + "\n".join(landmarks) + "\n</ol>\n</nav>"
    )


def section_body(section: Section, marks: dict[str, str]) -> str:
    body = re.sub(
        r'<a href="#(note-[\d-]+)" id="([\w-]+)" class="noteref">',
        r'<a href="notes.xhtml#\1" id="\2" class="noteref" epub:type="noteref" role="doc-noteref">',
        section.body.xml,
    )
    body = re.sub(
        r'<span class="anchor" id="anchor-([\w-]+)"></span>',
        lambda found: marks.get(found[1], found[0]),
        body,
    )
    return (
        f'<section id="{section.id}" class="chapter" epub:type="chapter" role="doc-chapter" '
        f'aria-labelledby="{section.id}-title">\n'
        f'<h1 id="{section.id}-title">{section.heading}</h1>\n{body}\n</section>'
    )


def chronology_marks(book: Book) -> dict[str, str]:
    """For each anchor an event links to, a small link from the text back to the chronology."""
    marks = {}
    for event in book.chronology:
        for anchor in event.links:
            marks.setdefault(anchor, (
                f'<a id="anchor-{anchor}" class="chronology-mark" href="chronology.xhtml#event-{event.id}" '
                f'aria-label="In the chronology: {escape(event.label)}">\u25c7</a>'
            ))
    return marks


def chronology_body(book: Book) -> str:
    items = []
    for event in book.chronology:
        links = ", ".join(
            f'<a href="{book.anchor_section(anchor).file_stem}.xhtml#anchor-{anchor}">'
            f"{strip_links(book.anchor_section(anchor).heading.xml)}</a>"
            for anchor in event.links
        )
        see = f' <span class="see">In the text: {links}.</span>' if links else ""
        items.append(
            f'<li id="event-{event.id}"><time datetime="{event.datetime}">{escape(event.label)}</time> '
            f"{event.body}{see}</li>"
        )
    return (
        '<section id="chronology" class="chronology" epub:type="appendix" role="doc-appendix" '
        'aria-labelledby="chronology-title">\n<h1 id="chronology-title">Chronology</h1>\n'
        '<ol class="chronology">\n' + "\n".join(items) + "\n</ol>\n</section>"
    )


def notes_body(book: Book) -> str:
    groups = []
    for section in book.sections:
        if not section.notes:
            continue
        items = "\n".join(_note(section, note) for note in section.notes)
        groups.append(
            f'<section class="notes-group" aria-labelledby="notes-{section.number}">\n'
            f'<h2 id="notes-{section.number}">{strip_links(section.heading.xml)}</h2>\n'
            f"<ol>\n{items}\n</ol>\n</section>"
        )
    return (
        '<section id="notes" class="endnotes" epub:type="endnotes" role="doc-endnotes" '
        'aria-labelledby="notes-title">\n<h1 id="notes-title">Notes</h1>\n'
        + "\n".join(groups) + "\n</section>"
    )


def _note(section: Section, note: Note) -> str:
    """One endnote; a note referenced several times gets one backlink per reference."""
    links = []
    for occurrence in range(1, note.ref_count + 1):
        label = "" if note.ref_count == 1 else f" {chr(96 + occurrence)}"
        links.append(
            f'<a href="{section.file_stem}.xhtml#{note.ref_id(occurrence)}" class="backlink" '
            f'epub:type="backlink" '
            f'role="doc-backlink" aria-label="Back to reference {note.number}{label}">'
            f"{BACKLINK}{label}</a>"
        )
    return f'<li id="{note.id}" epub:type="endnote">{append_inline(note.body.xml, " ".join(links))}</li>'


def index_body(book: Book) -> str:
    """The index of names with EPUB Indexes 1.0 semantics; every locator links to the mention.

    Locators are the print pages when the PDF was laid out in the same build, numbered links
    otherwise (REFERENCE.md §1).
    """
    folios = book.layout.folios if book.layout else None
    files = {s.number: s.file_stem + ".xhtml" for s in book.sections}
    slug = {e.heading: e.id for e in book.names}

    def href(mention: Mention) -> str:
        doc = {"text": files.get(mention.section, ""), "note": "notes.xhtml",
               "chronology": "chronology.xhtml"}[mention.where]
        return f"{doc}#{mention.id}"

    groups = []
    for letter, items in index.entries(book, folios.__getitem__ if folios else None):
        lines = []
        for item in items:
            term = escape(item.heading)
            if item.kind == "periodical":
                term = f"<i>{term}</i>"
            anchor = f' id="{item.anchor}"'
            if item.see:
                lines.append(
                    f'<li epub:type="index-entry"{anchor}><span epub:type="index-term">{term}</span>. '
                    f'<i>See</i> <a epub:type="index-xref-preferred" href="#ix-entry-{slug[item.see]}">'
                    f'<span epub:type="index-term">{escape(item.see)}</span></a></li>'
                )
                continue
            qualifier = f" ({escape(item.qualifier)})" if item.qualifier else ""
            locators = ", ".join(
                f'<a epub:type="index-locator" href="{href(loc.target)}">{loc.label}</a>'
                for loc in item.locators
            )
            also = ""
            if item.see_also:
                targets = "; ".join(
                    f'<a epub:type="index-xref-related" href="#ix-entry-{slug[h]}">'
                    f'<span epub:type="index-term">{escape(h)}</span></a>'
                    for h in item.see_also
                )
                also = f". <i>See also</i> {targets}"
            lines.append(
                f'<li epub:type="index-entry"{anchor}><span epub:type="index-term">{term}</span>'
                f"{qualifier}, {locators}{also}</li>"
            )
        groups.append(
            f'<section epub:type="index-group" id="index-{letter}" aria-labelledby="index-h-{letter}">\n'
            f'<h2 id="index-h-{letter}">{letter}</h2>\n<ul epub:type="index-entry-list">\n'
            + "\n".join(lines) + "\n</ul>\n</section>"
        )
    # The heading stands outside the index element: a document of index content only would need
    # its body typed "index" (EPUBCheck's idx-xhtml-index.sch), which Ace flags for its role.
    return (
        '<h1 id="index-title">Index of Names</h1>\n<section id="index" class="index" '
        'epub:type="index" role="doc-index" aria-labelledby="index-title">\n'
        + "\n".join(groups) + "\n</section>"
    )


def append_inline(body: str, markup: str) -> str:
    """Put ``markup`` at the end of the body's last paragraph, or in a new one."""
    if body.rstrip().endswith("</p>"):
        head, _, _ = body.rstrip().rpartition("</p>")
        return f"{head} {markup}</p>"
    return f"{body}<p>{markup}</p>"


def strip_links(html: str) -> str:
    return re.sub(r"</?a\b[^>]*>", "", html)


def font_faces(fonts: list[str]) -> str:
    rules = []
    for name in fonts:
        weight, style, _ = FONTS[name]
        rules.append(
            f'@font-face {{ font-family: "EB Garamond"; font-weight: {weight}; font-style: {style}; '
            f'src: url("../fonts/{name}"); }}\n'
        )
    return "".join(rules)


def _package(book: Book, documents: list[_Document], fonts: list[str]) -> bytes:
    meta = book.meta
    e = escape
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="pub-id" '
        f'xml:lang="{e(meta.language)}" dir="ltr">',
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
    if meta.isbn_print or (book.layout and book.layout.pages):
        lines.append(f"<dc:source>{e(print_source(book))}</dc:source>")
    if meta.edition:
        lines.append(f'<meta property="schema:bookEdition">{e(meta.edition)}</meta>')
    lines.append(f'<meta property="dcterms:modified">{iso_utc(book.source_date_epoch)}</meta>')
    lines += _accessibility(book)
    lines.append("</metadata>\n<manifest>")
    for doc in documents:
        item_id = doc.href.removesuffix(".xhtml")
        props = ' properties="nav"' if doc.nav else ""
        lines.append(f'<item id="{item_id}" href="{doc.href}" media-type="application/xhtml+xml"{props}/>')
    lines.append('<item id="css" href="css/book.css" media-type="text/css"/>')
    lines += [
        f'<item id="font-{i}" href="fonts/{name}" media-type="font/ttf"/>' for i, name in enumerate(fonts, 1)
    ]
    lines += [
        f'<item id="image-{i}" href="{MEDIA}/{e(image.href)}" media-type="{image.media_type}"/>'
        for i, image in enumerate(book.images, 1)
    ]
    lines.append("</manifest>\n<spine>")
    lines += [f'<itemref idref="{doc.href.removesuffix(".xhtml")}"/>' for doc in documents]
    lines.append("</spine>\n</package>\n")
    return "\n".join(lines).encode()


def _accessibility(book: Book) -> list[str]:
    """EPUB Accessibility 1.1 metadata (w3c/epub-specs, epub33/a11y §2 and §5)."""
    features = ["structuralNavigation", "tableOfContents", "readingOrder", "displayTransformability"]
    paged = bool(book.layout and book.layout.pages)
    if paged:  # print page equivalents (EPUB Accessibility 1.1 §5; printPageNumbers is deprecated)
        features += ["pageNavigation", "pageBreakMarkers"]
    pictures = (
        "Every picture has a text alternative." if book.images else "It is text only, with no images."
    )
    summary = (
        f"This publication conforms to EPUB Accessibility 1.1 and WCAG 2.2 Level AA. {pictures} "
        "It has a table of contents, headings for every section, and notes that link to and "
        "from their references. Reading-system font and colour settings are respected."
    )
    lines = ['<meta property="schema:accessMode">textual</meta>']
    if book.images:
        features.append("alternativeText")
        lines.append('<meta property="schema:accessMode">visual</meta>')
    lines.append('<meta property="schema:accessModeSufficient">textual</meta>')
    lines += [f'<meta property="schema:accessibilityFeature">{f}</meta>' for f in features]
    lines += [
        '<meta property="schema:accessibilityHazard">none</meta>',
        f'<meta property="schema:accessibilitySummary">{escape(summary)}</meta>',
        '<meta property="dcterms:conformsTo" id="conformance">'
        "EPUB Accessibility 1.1 - WCAG 2.2 Level AA</meta>",
        f'<meta property="a11y:certifiedBy" refines="#conformance">{escape(book.meta.publisher)}</meta>',
    ]
    if paged:
        lines.append(f'<meta property="pageBreakSource">{escape(print_source(book))}</meta>')
    return lines


def print_source(book: Book) -> str:
    """The print edition the page markers come from: its ISBN, else its description."""
    if book.meta.isbn_print:
        return f"urn:isbn:{book.meta.isbn_print}"
    return f"{book.meta.title}, print edition, {book.meta.trim.label}, {book.meta.publisher}"
