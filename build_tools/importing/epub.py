"""``read_epub``: an EPUB's spine, notes, pictures and metadata as an ``ImportedBook``.

    open_package (epub_package)  the zip, refused when protected or broken; ebooklib's OPF
    parse_document (epub_xhtml)  every spine document, namespace-free
    take_notes (epub_notes)      calls → markers, notes → their section's notes, across files
    sections                     one per spine document with text, skipping what our build
                                 makes again: the cover page (its picture becomes the cover),
                                 the title and half-title pages (by their semantics, or their
                                 words: only the metadata's), the copyright page (its ISBNs
                                 read), the contents, lists of illustrations, an index and a
                                 page-list (each reported)
    clean (epub_clean)           the bodies in document.py's vocabulary, pictures copied out
    split (epub_split)           a document of several chapters (calibre's) at its h1s
    metadata (epub_meta)         book.toml's [book] keys

A document's place and role come from its ``epub:type``/``role`` (on ``body`` or its top
section), its landmark or its EPUB 2 guide entry; a part is a document of ``epub:type="part"``
with only its title, or an entry of the contents that holds chapters and has no text of its own.
A ``linear="no"`` document is read where the spine has it (it is text of the book all the same),
and reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from build_tools.importing.document import ImportedBook, ImportedSection, Loss, Place
from build_tools.importing.epub_clean import Pictures, clean
from build_tools.importing.epub_meta import from_copyright, metadata
from build_tools.importing.epub_notes import take_notes
from build_tools.importing.epub_package import Item, Package, open_package, resolve
from build_tools.importing.epub_split import split
from build_tools.importing.epub_xhtml import body_of, classes, parse_document, semantics, text

FRONT = {"dedication", "epigraph", "foreword", "preface", "introduction", "acknowledgments", "prologue"}
BACK = {"appendix", "afterword", "epilogue", "glossary", "bibliography"}
_ALIASES = {"acknowledgements": "acknowledgments", "appendices": "appendix"}
# What our build makes again from the manuscript and book.toml.
_GENERATED = {"toc", "titlepage", "halftitlepage", "halftitle", "copyright-page", "cover", "landmarks"}
_GENERATED |= {"loi", "lot", "page-list", "index"}
_GUIDE = {
    "cover": "cover",
    "title-page": "titlepage",
    "toc": "toc",
    "index": "index",
    "copyright-page": "copyright-page",
}
_XHTML = {"application/xhtml+xml", "text/html", "application/x-dtbook+xml"}
_LEAVES = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "td"}
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_PAGES = "page-list and page-break markers dropped: the print pages are marked by 'book build all'"
_LINEAR = 'marked linear="no" (outside the reading order): imported where the spine has it'
_LISTS = "list of illustrations or tables dropped: its links lead to the EPUB's pages"
_INDEX = "index dropped: the index is generated from names.yaml"


@dataclass
class _Document:
    item: Item
    linear: bool
    root: etree._Element
    kinds: set[str] = field(default_factory=set)


@dataclass
class _Navigation:
    """What the navigation document says: landmarks, contents labels, parts, a page-list."""

    landmarks: dict[str, str] = field(default_factory=dict)  # zip path → epub:type
    labels: dict[str, str] = field(default_factory=dict)  # zip path → its contents entry
    parts: dict[str, str] = field(default_factory=dict)  # zip path → the title of its part
    page_list: bool = False


def read_epub(path: Path) -> ImportedBook:
    """The ``ImportedBook`` of the EPUB at ``path``; a ``BookError`` (one line, nothing
    written) for an encrypted, DRM-protected or malformed file."""
    package = open_package(path)
    losses = [Loss(name, "listed in the manifest but not in the EPUB") for name in package.missing]
    documents = _documents(package, losses)
    navigation = _navigation(package)
    notes = take_notes([(doc.item.path, doc.root) for doc in documents])
    pictures = Pictures(package)
    book = ImportedBook(metadata(package), [], losses=losses)
    cover = _cover_item(package)
    for number, doc in enumerate(documents):
        doc.kinds = _kinds(doc, package, navigation)
        if _cover_page(doc, cover, first=number == 0):
            doc.kinds.add("cover")
        elif _title_page(doc, book.metadata):
            doc.kinds.add("titlepage")
    _sections(book, documents, navigation, notes.by_document, notes.holders, pictures)
    book.cover = _cover(package, documents, pictures)
    book.images = pictures.images
    if navigation.page_list or pictures.page_breaks:
        losses.append(Loss("page-list", _PAGES))
    if pictures.links:
        losses.append(Loss("links", f"{pictures.links} links inside the book kept as their text only"))
    if pictures.queries:
        losses.append(
            Loss("queries", f"{pictures.queries} editorial queries dropped (the text they were on stays)")
        )
    losses.extend(pictures.losses)
    if "language" not in book.metadata and documents:
        language = documents[0].root.get("lang")
        if language:
            book.metadata["language"] = str(language)
    return book


def _documents(package: Package, losses: list[Loss]) -> list[_Document]:
    out = []
    for item, linear in package.spine:
        if item.media_type not in _XHTML:
            losses.append(Loss(item.path, f"a spine item of type {item.media_type} was not imported"))
            continue
        out.append(_Document(item, linear, parse_document(package, item.path)))
    return out


def _navigation(package: Package) -> _Navigation:
    found = _Navigation()
    nav = next((item for item in package.items.values() if "nav" in item.properties), None)
    if nav is None or nav.path not in package.files:
        return found
    root = parse_document(package, nav.path)
    for element in root.iter("nav"):
        kind = semantics(element)
        if "page-list" in kind:
            found.page_list = True
        elif "landmarks" in kind:
            for link in element.iter("a"):
                target = resolve(nav.path, str(link.get("href", "")))[0]
                found.landmarks.setdefault(target, str(link.get("epub-type", "")))
        elif "toc" in kind:
            _contents(found, nav.path, element)
    return found


def _contents(found: _Navigation, base: str, nav: etree._Element) -> None:
    """Labels of the contents' entries; an entry holding entries and linking to no text of its
    own (or to nothing) is a part of the documents under it."""
    for entry in nav.iter("li"):
        link = next((child for child in entry if child.tag in ("a", "span")), None)
        if link is None:
            continue
        label = text(link)
        target = resolve(base, str(link.get("href", "")))[0] if link.get("href") else ""
        if target:
            found.labels.setdefault(target, label)
        nested = entry.find("ol")
        if nested is not None and entry.getparent() is not None and entry.getparent() is nav.find("ol"):
            for child in nested.iter("a"):
                child_target = resolve(base, str(child.get("href", "")))[0]
                if child_target != target:
                    found.parts.setdefault(child_target, label)


def _kinds(doc: _Document, package: Package, navigation: _Navigation) -> set[str]:
    """What a document is, by its semantics, its landmark and its guide entry."""
    body = body_of(doc.root)
    kinds = semantics(body)
    tops = [child for child in body if isinstance(child.tag, str)]
    for top in tops[:2] if len(tops) <= 2 else tops[:1]:
        kinds |= semantics(top)
    if "nav" in doc.item.properties:
        kinds.add("toc")
    kinds |= set(navigation.landmarks.get(doc.item.path, "").split())
    guide = package.guide.get(doc.item.path)
    if guide in _GUIDE:
        kinds.add(_GUIDE[guide])
    return {_ALIASES.get(kind, kind) for kind in kinds}


def _sections(
    book: ImportedBook,
    documents: list[_Document],
    navigation: _Navigation,
    notes: dict[str, dict[str, etree._Element]],
    holders: set[str],
    pictures: Pictures,
) -> None:
    """One section per document with text of the book, in spine order."""
    part: str | None = None
    for doc in documents:
        where = doc.item.path
        body = body_of(doc.root)
        if doc.kinds & _GENERATED:
            _generated(book, doc, body)
            continue
        prose = _prose(body)
        if not prose and (where in holders or not _pictured(body)):
            continue  # a notes file, or an empty page
        if "part" in doc.kinds and not prose:
            part = _heading_text(body) or navigation.labels.get(where) or part
            continue
        place, role = _place(doc.kinds)
        if place != "body":
            part = None
        if not doc.linear:
            book.losses.append(Loss(where, _LINEAR))
        for section in _section(doc, body, navigation, pictures, notes.get(where, {}), _repeated(book)):
            section.place, section.role = place, role
            section.part = (part or navigation.parts.get(where)) if place == "body" else None
            book.sections.append(section)


def _generated(book: ImportedBook, doc: _Document, body: etree._Element) -> None:
    if "index" in doc.kinds:
        book.losses.append(Loss(doc.item.path, _INDEX))
    elif doc.kinds & {"loi", "lot"} and not doc.kinds & {"toc", "cover"}:
        book.losses.append(Loss(doc.item.path, _LISTS))
    if "copyright-page" in doc.kinds:
        from_copyright(book.metadata, body)


def _section(
    doc: _Document,
    body: etree._Element,
    navigation: _Navigation,
    pictures: Pictures,
    notes: dict[str, etree._Element],
    repeated: set[str],
) -> list[ImportedSection]:
    head = doc.root.find("head/title")
    label = _label(body) or navigation.labels.get(doc.item.path) or (text(head) if head is not None else "")
    cleaned = clean(body, doc.item.path, pictures)
    cleaned_notes = {key: clean(note, doc.item.path, pictures) for key, note in notes.items()}
    out = []
    for piece, piece_notes in split(cleaned, cleaned_notes, repeated):
        _headings(piece)
        heading = next(piece.iter("h1"), None)
        title = text(heading) if heading is not None else ""
        out.append(ImportedSection(title or label or "Untitled", piece, piece_notes, source=doc.item.path))
    return out


def _repeated(book: ImportedBook) -> set[str]:
    """What a title page run into the text repeats: the title, the subtitle, the author."""
    return {str(book.metadata.get(key, "")) for key in ("title", "subtitle", "author")}


def _label(body: etree._Element) -> str:
    """A section's accessible name when it has no heading (a dedication, an epigraph)."""
    for node in [body, *body.iter("section", "div", "article")][:3]:
        if node.get("aria-label"):
            return " ".join(str(node.get("aria-label")).split())
    return ""


def _headings(body: etree._Element) -> None:
    """A body whose headings start below ``h1`` (Standard Ebooks' ``h2`` chapters) has them
    moved up, so that its first heading is the title; a first heading after text stays."""
    headings = [node for node in body.iter(*_HEADINGS)]
    if not headings or any(node.tag == "h1" for node in headings):
        return
    before = headings[0].xpath("preceding::text()")
    if isinstance(before, list) and "".join(str(part) for part in before).strip():
        return
    shift = int(str(headings[0].tag)[1]) - 1
    for node in headings:
        node.tag = f"h{max(1, int(str(node.tag)[1]) - shift)}"
    for node in headings[1:]:
        if node.tag == "h1":
            node.tag = "h2"


def _place(kinds: set[str]) -> tuple[Place, str | None]:
    for kind in sorted(kinds):
        if kind in FRONT:
            return "front", kind
        if kind in BACK:
            return "back", kind
    if "frontmatter" in kinds:
        return "front", None
    if "backmatter" in kinds or kinds & {"colophon", "imprint", "endnotes", "rearnotes"}:
        return "back", None
    return "body", None


def _prose(body: etree._Element) -> str:
    """The text of a body outside its headings."""
    parts = [body.text or ""]
    for node in body.iter():
        if node is body or not isinstance(node.tag, str):
            continue
        inside = node.tag in _HEADINGS or any(up.tag in _HEADINGS for up in node.iterancestors())
        if not inside:
            parts.append(node.text or "")
        if not any(up.tag in _HEADINGS for up in node.iterancestors()):
            parts.append(node.tail or "")
    return " ".join("".join(parts).split())


def _pictured(body: etree._Element) -> bool:
    return any(True for _ in body.iter("img", "image", "svg"))


def _heading_text(body: etree._Element) -> str:
    heading = next(iter(body.iter(*_HEADINGS)), None)
    return text(heading) if heading is not None else ""


def _cover_item(package: Package) -> Item | None:
    """The manifest's ``cover-image``, or EPUB 2's ``<meta name="cover">`` item."""
    item = next((item for item in package.items.values() if "cover-image" in item.properties), None)
    if item is None and package.cover_id:
        item = next((item for item in package.items.values() if item.id == package.cover_id), None)
    return item if item is not None and item.media_type.startswith("image/") else None


def _cover_page(doc: _Document, cover: Item | None, *, first: bool) -> bool:
    """A page of one picture and no text: the cover picture, or the first page of the spine
    (calibre's ``titlepage.xhtml``, an SVG wrapping the cover)."""
    body = body_of(doc.root)
    sources = [str(node.get("src") or node.get("href") or "") for node in body.iter("img", "image")]
    if _prose(body) or len(sources) != 1:
        return False
    return first or (cover is not None and resolve(doc.item.path, sources[0])[0] == cover.path)


def _title_page(doc: _Document, metadata: dict[str, str | list[str]]) -> bool:
    """A title page without semantics (EPUB 2): a ``titlepage`` class, or blocks that only say
    the metadata (title, subtitle, author, publisher, date, rights)."""
    body = body_of(doc.root)
    tops = [body, *(child for child in body if isinstance(child.tag, str))]
    if any(
        word.replace("-", "").replace("_", "") in ("titlepage", "halftitle")
        for n in tops
        for word in classes(n)
    ):
        return True
    said = {" ".join(str(value).split()).casefold() for value in metadata.values() if isinstance(value, str)}
    said |= {f"by {value}" for value in said}
    leaves = [
        node for node in body.iter() if isinstance(node.tag, str) and node.tag in _LEAVES and text(node)
    ]
    return bool(leaves) and all(text(node).casefold() in said for node in leaves)


def _cover(package: Package, documents: list[_Document], pictures: Pictures) -> str | None:
    """The cover picture: the manifest's, or the picture of the cover page."""
    item = _cover_item(package)
    if item is not None:
        return pictures.name(item.path)
    for doc in documents:
        if "cover" in doc.kinds:
            for node in doc.root.iter("img", "image"):
                source = node.get("src") or node.get("href")
                if source:
                    return pictures.name(resolve(doc.item.path, str(source))[0])
    return None
