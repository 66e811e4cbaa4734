"""The Word front end: a .docx read by mammoth into sections, notes, pictures and metadata.

The document becomes ``document.py``'s HTML, split into sections at its top-level headings, and
what it could not carry over is listed with where it was, in these steps:

    open_package (docx_parts)  every part parsed: a malformed one is refused, naming it
    tracked changes            refused unless accepted (mammoth keeps insertions, drops deletions)
    mammoth                    HTML: our style map, pictures to ``images``, messages → losses
    _notes, _figures           notes as ``<a data-note>`` and the section's notes; figures
    _split                     one section per top-level heading, the text before it a preface
    losses (docx_losses)       comments, text boxes, fields, headers… with where they were
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import lxml.html
from lxml import etree

from build_tools.importing.document import ImportedBook, ImportedSection, Loss
from build_tools.importing.docx_losses import Places, losses, style_losses, tracked_changes
from build_tools.importing.docx_parts import (
    DOCUMENT,
    Package,
    for_mammoth,
    heading_level,
    metadata,
    open_package,
    plain_text,
    w,
)
from build_tools.importing.text import collapse, remove_keeping_tail, text_of, unwrap

_QUOTES: tuple[str, ...] = (
    "Quote",
    "Intense Quote",
    "Block Text",
    "Quotations",
    "Block Quote",
    "Blockquote",
    "Citation",
)
_QUOTES += ("Citation intense", "Zitat", "Intensives Zitat", "Cita", "Cita destacada", "Citazione")
_QUOTES += ("Citazione intensa", "Citação", "Citaat")
_CAPTIONS: tuple[str, ...] = (
    "Caption",
    "Figure",
    "Illustration",
    "Drawing",
    "Légende",
    "Beschriftung",
    "Descripción",
)
_CAPTIONS += ("Didascalia", "Epígrafe", "Bijschrift")
_EMPHASIS = ("Emphasis", "Intense Emphasis", "Subtle Emphasis", "Book Title")
_PLAIN_RUNS: tuple[str, ...] = (
    "Footnote Characters",
    "Endnote Characters",
    "Footnote Anchor",
    "Endnote Anchor",
)
_PLAIN_RUNS += ("Internet Link", "Visited Internet Link", "Default Paragraph Font")
STYLE_MAP = "\n".join(
    [
        "p[style-name='Title'] => h1.doc-title:fresh",
        "p[style-name='Subtitle'] => p.doc-subtitle:fresh",
        *(f"p[style-name='{name}'] => blockquote > p:fresh" for name in _QUOTES),
        *(f"p[style-name='{name}'] => p.caption:fresh" for name in _CAPTIONS),
        # A table of contents is dropped (docx_losses reports it): every build makes its own.
        "p[style-name^='toc '] => !",
        "p[style-name^='Contents '] => !",
        "p[style-name='TOC Heading'] => !",
        "small-caps => span.smallcaps",
        # mammoth drops underlining silently; as <u> the writer keeps the text and reports it.
        "u => u",
        *(f"r[style-name='{name}'] => em" for name in _EMPHASIS),
        *(f"r[style-name='{name}'] =>" for name in _PLAIN_RUNS),
    ]
)
# Styles of plain paragraphs and runs: mammoth makes them a <p> (or nothing) and says it did not
# know them; that is what they are, so they are not reported. Not in the style map, which comes
# before mammoth's own (a list paragraph of style "Body Text" must still be a list item).
SILENT = {"normal", "body text", "text body", "first paragraph", "body text first indent", "default"}
SILENT |= {"standard", "default style", "table contents", "table heading", "footnote text"}
SILENT |= {"endnote text", "footnote", "endnote", "list paragraph", "no spacing", "compact", "text"}
SILENT |= {"list", "list bullet", "list number", "list continue", "normal (web)", "plain text"}
SILENT |= {"header and footer", "index", "default paragraph font"}
_FORMATS = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "image/svg+xml": "svg"}
_FORMATS["image/webp"] = "webp"
_NOTE_ID = re.compile(r"^(footnote|endnote)-(-?\d+)$")
_PREFACE = {"en": "Preface", "fr": "Préface", "de": "Vorwort", "es": "Prefacio", "it": "Prefazione"}


def read_docx(path: Path, *, accept_changes: bool) -> ImportedBook:
    """The ``ImportedBook`` of the Word document ``path``; a ``BookError`` (one line, nothing
    read) for a damaged one, or one with tracked changes unless ``accept_changes``."""
    package = open_package(path)
    level = _split_level(package)
    places = Places(package, level)
    count, first = tracked_changes(package, places)
    lost: list[Loss] = []
    if count and not accept_changes:
        plural = "s" if count > 1 else ""
        raise package.error(
            f"{count} tracked change{plural} (the first in {first}): accept or reject them in Word, "
            "or import with --accept-changes"
        )
    if count:
        lost.append(
            Loss(
                DOCUMENT,
                f"{count} tracked changes accepted: insertions kept, deletions dropped (--accept-changes)",
            )
        )
    info = metadata(package)
    images = _Images()
    html, messages = _convert(package, images, str(info.get("language") or "en"))
    lost += style_losses(package, places, messages, SILENT) + images.lost
    root = lxml.html.fragment_fromstring(html or "<p></p>", create_parent="div")
    notes = _notes(root)
    _front_lines(root, info)
    _figures(root)
    _tidy(root)
    sections = _split(root, notes, level, info)
    lost += losses(package, places)
    return ImportedBook(metadata=info, sections=sections, images=images.files, losses=lost)


def _split_level(package: Package) -> int:
    """Heading 1, else the highest heading level the document uses (1 if it has none)."""
    levels = {
        level
        for paragraph in package.document.iter(w("p"))
        if (level := heading_level(package, paragraph)) is not None and plain_text(paragraph)
    }
    return min(levels, default=1)


class _Images:
    """mammoth's ``convert_image``: each picture's bytes kept under image-N.EXT (a picture used
    twice is one file), its alt text from its description."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.lost: list[Loss] = []
        self._names: dict[str, str] = {}

    def __call__(self, image: Any) -> list[Any]:
        import mammoth.html

        with image.open() as stream:
            data = stream.read()
        alt = collapse(str(image.alt_text or "")).strip()
        extension = _FORMATS.get(str(image.content_type))
        if extension is None:
            what = f"a picture in {image.content_type} format (“{alt or 'no alt text'}”) was dropped"
            self.lost.append(Loss(DOCUMENT, what + ": save it as PNG or JPEG and add it to images/"))
            return []
        digest = hashlib.sha256(data).hexdigest()
        if digest not in self._names:
            self._names[digest] = f"image-{len(self._names) + 1}.{extension}"
            self.files[self._names[digest]] = data
        if not alt:
            what = f"the picture images/{self._names[digest]} has no description in Word (its alt text)"
            self.lost.append(Loss(DOCUMENT, what + ": write one between the brackets of its ![]"))
        return [mammoth.html.element("img", {"src": f"images/{self._names[digest]}", "alt": alt})]


def _convert(package: Package, images: _Images, language: str) -> tuple[str, list[str]]:
    import mammoth

    document, languages = for_mammoth(package, language)
    style_map = "\n".join([STYLE_MAP, *languages])
    try:
        result = mammoth.convert_to_html(
            document, style_map=style_map, convert_image=images, include_embedded_style_map=False
        )
    except (KeyError, ValueError, IndexError, AttributeError, TypeError, OSError) as exc:
        raise package.error(f"the document cannot be read ({type(exc).__name__}: {exc})") from None
    return str(result.value), [str(message.message) for message in result.messages]


def _notes(root: etree._Element) -> dict[str, etree._Element]:
    """mammoth's list of notes taken out (each without its ↑ backlink), and each reference
    ``<sup><a href="#footnote-2" id="footnote-ref-2">`` made ``<a data-note="footnote-2"/>``."""
    notes: dict[str, etree._Element] = {}
    for listing in [child for child in root if child.tag == "ol"]:
        items = [item for item in listing if item.tag == "li"]
        if not items or not all(_NOTE_ID.match(str(item.get("id", ""))) for item in items):
            continue
        for item in items:
            key = str(item.get("id"))
            _drop_backlink(item, f"#{key.replace('-', '-ref-', 1)}")
            note = etree.Element("div")
            note.text = item.text
            note.extend(list(item))
            notes[key] = note
        remove_keeping_tail(listing)
    for link in list(root.iter("a")):
        href = str(link.get("href", ""))
        if _NOTE_ID.match(href[1:]) and str(link.get("id", "")).startswith(href[1:].replace("-", "-ref-", 1)):
            call = etree.Element("a", {"data-note": href[1:]})
            holder = link.getparent()
            target = holder if holder is not None and holder.tag == "sup" and len(holder) == 1 else link
            call.tail = target.tail
            parent = target.getparent()
            assert parent is not None
            parent.replace(target, call)
    return notes


def _drop_backlink(item: etree._Element, href: str) -> None:
    links = [link for link in item.iter("a") if link.get("href") == href]
    if not links:
        return
    link = links[-1]
    paragraph = link.getparent()
    previous = link.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "").rstrip()
    elif paragraph is not None:
        paragraph.text = (paragraph.text or "").rstrip()
    remove_keeping_tail(link)
    if (
        paragraph is not None
        and paragraph.tag == "p"
        and not text_of(paragraph).strip()
        and not len(paragraph)
    ):
        remove_keeping_tail(paragraph)


def _front_lines(root: etree._Element, info: dict[str, str | list[str]]) -> None:
    """The Title and Subtitle paragraphs: the book's title and subtitle (the document's
    properties win for the title), not text of a section."""
    for node in list(root.iter("h1", "p")):
        kind = node.get("class")
        if kind in ("doc-title", "doc-subtitle"):
            key = "title" if kind == "doc-title" else "subtitle"
            text = collapse(text_of(node)).strip()
            if text and not info.get(key):
                info[key] = text
            remove_keeping_tail(node)


def _figures(root: etree._Element) -> None:
    """A picture alone in its paragraph is a figure, captioned by a Caption paragraph after it;
    a Caption paragraph beside a table is its caption; any other keeps its text."""
    for paragraph in list(root.iter("p")):
        images = list(paragraph.iter("img"))
        if len(images) != 1 or collapse(text_of(paragraph)).strip() or paragraph.get("class") == "caption":
            continue
        figure = etree.Element("figure")
        figure.append(images[0])
        figure.tail = paragraph.tail
        following = paragraph.getnext()
        if following is not None and following.tag == "p" and following.get("class") == "caption":
            following.tag = "figcaption"
            del following.attrib["class"]
            figure.append(following)
        parent = paragraph.getparent()
        assert parent is not None
        parent.replace(paragraph, figure)
    for caption in list(root.iter("p")):
        if caption.get("class") != "caption":
            continue
        del caption.attrib["class"]
        for table in (caption.getnext(), caption.getprevious()):
            if table is not None and table.tag == "table" and table.find("caption") is None:
                caption.tag = "caption"
                table.insert(0, caption)
                caption.tail = None
                break


def _tidy(root: etree._Element) -> None:
    """Bookmarks (empty anchors) out, a table cell's paragraphs (mammoth wraps every cell's
    text in one) made lines, and every class but small caps."""
    for cell in list(root.iter("td", "th")):
        paragraphs = [child for child in cell if child.tag == "p"]
        if paragraphs and len(paragraphs) == len(cell) and not (cell.text or "").strip():
            for index, paragraph in enumerate(paragraphs):
                if index:
                    paragraph.insert(0, etree.Element("br"))
                    paragraph[0].tail, paragraph.text = paragraph.text, None
                unwrap(paragraph)
    for link in list(root.iter("a")):
        if link.get("href") is None and link.get("data-note") is None and not len(link) and not link.text:
            remove_keeping_tail(link)
    for node in root.iter():
        if node.get("class") is not None and not (node.tag == "span" and node.get("class") == "smallcaps"):
            del node.attrib["class"]


def _split(
    root: etree._Element, notes: dict[str, etree._Element], level: int, info: dict[str, str | list[str]]
) -> list[ImportedSection]:
    """One section per heading of ``level``, in order; lower headings move up to follow it; the
    text before the first heading, if any, is a front-matter section (the preface: what an
    author writes before the first chapter is most often a word to the reader, and its title
    is the one line to change if not); a document without headings is one chapter."""
    language = str(info.get("language") or "en")
    bodies: list[etree._Element] = [etree.Element("div")]
    for child in list(root):
        number = int(child.tag[1]) if re.fullmatch(r"h[1-6]", str(child.tag)) else None
        if number == level:
            bodies.append(etree.Element("div"))
        if number is not None:
            child.tag = f"h{max(1, number - level + 1)}"
        bodies[-1].append(child)
    if len(bodies) == 1:  # no heading at all: the whole text is the book's one chapter
        title = str(info.get("title") or "Untitled")
        return [ImportedSection(title=title, body=bodies[0], notes=_their(notes, bodies[0]), source=title)]
    sections = []
    for index, body in enumerate(bodies):
        if index == 0 and not (collapse(text_of(body)).strip() or body.find(".//img") is not None):
            continue
        title = collapse(text_of(body[0])).strip() if index else _PREFACE.get(language[:2].lower(), "Preface")
        section = ImportedSection(
            title=title or "Untitled",
            body=body,
            notes=_their(notes, body),
            source=f"the section “{title}”",
        )
        if index == 0:
            section.place, section.role = "front", "preface"
        sections.append(section)
    return sections


def _their(notes: dict[str, etree._Element], body: etree._Element) -> dict[str, etree._Element]:
    """The notes that ``body`` calls."""
    keys = [str(call.get("data-note")) for call in body.iter("a") if call.get("data-note")]
    return {key: notes[key] for key in keys if key in notes}
