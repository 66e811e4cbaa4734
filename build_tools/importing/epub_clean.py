"""An EPUB document's body in ``document.py``'s vocabulary: pictures copied out, the rest as is.

What goes: what a reading system needs and a manuscript does not (scripts, styles, ids,
classes), page-break markers (one loss for the book: print pages are ours to mark), the marks
of our own EPUB that its sources make again (index spans, anchors, query markers). What
changes: ``section``/``article``/``aside``/``header``… become transparent ``div``s; a picture
becomes ``<img src="images/NAME" alt>`` with its bytes in ``images``, an SVG ``image`` too; a
``div`` holding one picture and a caption (a class with "caption") becomes a ``figure``;
``dt``/``dd`` paragraphs; links inside the book their text.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field

from lxml import etree

from build_tools.importing.document import Loss
from build_tools.importing.epub_package import Package, resolve
from build_tools.importing.epub_xhtml import classes, semantics, text
from build_tools.importing.text import remove_keeping_tail, unwrap

_DROP = {"script", "style", "head", "meta", "link", "title", "nav", "template", "noscript", "form"}
_DROP |= {"input", "button", "select", "textarea", "iframe", "object", "embed", "video", "audio"}
_DROP |= {"math", "canvas"}
_CONTAINERS = {"section", "article", "aside", "main", "header", "footer", "body", "hgroup", "center"}
_KEEP_ATTRIBUTES = {
    "a": ("href", "data-note"),
    "img": ("src", "alt"),
    "ol": ("start",),
    "span": ("class", "lang"),
}
_BLOCKS = {"p", "div", "blockquote", "ul", "ol", "table", "figure", "pre", "h1", "h2", "h3", "h4", "h5", "h6"}
_SMALLCAPS = re.compile(r"small-?caps|smcp", re.IGNORECASE)
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass
class Pictures:
    """The pictures copied out of the package so far, by file name, and the names given."""

    package: Package
    images: dict[str, bytes] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  # zip path → file name in images/
    losses: list[Loss] = field(default_factory=list)
    page_breaks: int = 0
    links: int = 0  # links inside the book, kept as their text
    queries: int = 0  # our EPUB's editorial queries (data-query): their text stays

    def name(self, path: str) -> str | None:
        """The file name of the picture at ``path`` in the zip (copied once), or None."""
        if path in self.names:
            return self.names[path]
        if path not in self.package.files:
            return None
        stem, dot, suffix = posixpath.basename(path).rpartition(".")
        stem = _UNSAFE.sub("-", stem if dot else suffix).strip("-.") or "image"
        suffix = _UNSAFE.sub("", suffix).lower() if dot else "bin"
        name, number = f"{stem}.{suffix}", 1
        while name in self.images:
            number += 1
            name = f"{stem}-{number}.{suffix}"
        self.images[name] = self.package.files[path]
        self.names[path] = name
        return name


def clean(body: etree._Element, path: str, pictures: Pictures) -> etree._Element:
    """A copy of ``body`` (a namespace-free tree of the document ``path``) in the vocabulary."""
    holder = etree.Element("div")
    holder.text = body.text
    for child in list(body):
        holder.append(child)
    for node in list(holder.iter()):
        if node is holder or not isinstance(node.tag, str):
            continue
        if node.getparent() is None or not _attached(node, holder):
            continue
        _element(node, path, pictures)
    return holder


def _attached(node: etree._Element, holder: etree._Element) -> bool:
    return any(ancestor is holder for ancestor in node.iterancestors())


def _element(node: etree._Element, path: str, pictures: Pictures) -> None:  # noqa: C901
    tag = node.tag
    kinds = semantics(node)
    if tag in _DROP:
        if tag in ("video", "audio", "iframe", "object", "embed", "math", "canvas"):
            pictures.losses.append(Loss(_where(path, node), f"a <{tag}> was dropped (the format has none)"))
        remove_keeping_tail(node)
    elif "pagebreak" in kinds:
        pictures.page_breaks += 1
        remove_keeping_tail(node)
    elif _our_mark(node):
        pictures.queries += node.get("data-query") is not None
        remove_keeping_tail(node)
    elif tag == "svg":
        _svg(node, path, pictures)
    elif tag == "img":
        _image(node, path, pictures)
    elif tag == "a":
        pictures.links += _link(node)
    elif tag == "span":
        _span(node, pictures)
    elif tag in ("p", "div") and _in_cell(node):
        _cell_paragraph(node)  # a table cell is one line in the format
    elif tag in ("dt", "dd"):  # a paragraph, or a container of paragraphs (calibre's notes)
        node.tag = "div" if any(child.tag in _BLOCKS for child in node) else "p"
        _only(node, ())
    elif tag in _CONTAINERS or (tag == "div" and not _figure(node)):
        verse = tag == "div" and "verse" in classes(node)  # a poem (ours): written as ::: verse
        node.tag = "div"
        _only(node, ())
        if verse:
            node.set("class", "verse")
    else:
        _language_inside(node)
        _only(node, _KEEP_ATTRIBUTES.get(str(tag), ()))


def _language_inside(node: etree._Element) -> None:
    """The language of an ``i``/``em``/``cite`` (Standard Ebooks' foreign phrases) on a span
    inside it, where the format keeps it."""
    lang = node.get("lang")
    if not lang or node.tag not in ("i", "em", "b", "strong", "cite", "q"):
        return
    span = etree.Element("span", {"lang": str(lang)})
    span.text, node.text = node.text, None
    for child in list(node):
        span.append(child)
    node.append(span)


def _in_cell(node: etree._Element) -> bool:
    parent = node.getparent()
    return parent is not None and parent.tag in ("td", "th")


def _cell_paragraph(node: etree._Element) -> None:
    if node.getprevious() is not None:
        node.text = " " + (node.text or "")
    unwrap(node)


def _where(path: str, node: etree._Element) -> str:
    return f"{path}, line {node.sourceline}" if node.sourceline else path


def _only(node: etree._Element, keep: tuple[str, ...]) -> None:
    for key in list(node.attrib):
        if key not in keep:
            del node.attrib[key]


def _our_mark(node: etree._Element) -> bool:
    """An empty anchor or query marker (our EPUB's ``span.anchor``, ``span.query-mark``), or any
    empty element that only holds an id."""
    if node.tag not in ("span", "a") or len(node) or (node.text or "").strip() or node.get("data-note"):
        return False
    return node.get("href") is None or bool(classes(node) & {"anchor", "query-mark"})


def _link(node: etree._Element) -> bool:
    """Keep a note call or a web link; a link inside the book becomes its text (the manuscript's
    links are to anchors it names, not to files): True for those."""
    if node.get("data-note") is not None:
        _only(node, ("data-note",))
        return False
    href = str(node.get("href", ""))
    if re.match(r"(?i)^(https?|mailto):", href):
        _only(node, ("href",))
        return False
    unwrap(node)
    return bool(href.strip())


def _span(node: etree._Element, pictures: Pictures) -> None:
    pictures.queries += node.get("data-query") is not None
    smallcaps = bool(classes(node) & {"smallcaps", "small-caps", "sc"}) or bool(
        _SMALLCAPS.search(str(node.get("style", "")))
    )
    lang = node.get("lang")
    if "line" in classes(node):  # a line of our verse, its indent kept: markdown.py's _verse
        kept = " ".join(
            word for word in sorted(classes(node)) if word == "line" or word.startswith("indent-")
        )
        _only(node, ())
        node.set("class", kept)
        return
    if not smallcaps and not lang:
        unwrap(node)
        return
    _only(node, ("lang",))
    if smallcaps:
        node.set("class", "smallcaps")


def _image(node: etree._Element, path: str, pictures: Pictures) -> None:
    src = str(node.get("src", ""))
    name = pictures.name(resolve(path, src)[0]) if src and not src.startswith("data:") else None
    if name is None:
        pictures.losses.append(
            Loss(_where(path, node), f"the picture {src or '(no source)'} is not in the EPUB: dropped")
        )
        remove_keeping_tail(node)
        return
    alt = " ".join(str(node.get("alt", "")).split())
    node.attrib.clear()
    node.set("src", f"images/{name}")
    node.set("alt", alt)


def _svg(node: etree._Element, path: str, pictures: Pictures) -> None:
    """An SVG wrapping a picture (a cover, a plate) as that picture; any other SVG is lost."""
    image = next((child for child in node.iter("image") if child.get("href")), None)
    if image is None:
        pictures.losses.append(
            Loss(_where(path, node), "an SVG drawing was dropped (the format takes pictures)")
        )
        remove_keeping_tail(node)
        return
    title = node.find("title")
    alt = node.get("aria-label") or (text(title) if title is not None else "")
    picture = etree.Element("img", {"src": str(image.get("href")), "alt": alt})
    picture.tail = node.tail
    parent = node.getparent()
    assert parent is not None
    parent.replace(node, picture)
    _image(picture, path, pictures)


def _figure(node: etree._Element) -> bool:
    """A ``div`` of one picture and a caption (calibre's, InDesign's) made a ``figure``."""
    images = [child for child in node.iter() if child.tag in ("img", "svg")]
    captions = [
        child
        for child in node.iter()
        if child is not node and any("caption" in word for word in classes(child)) and text(child)
    ]
    if len(images) != 1 or len(captions) != 1 or len(text(node)) > len(text(captions[0])) + 2:
        return False
    caption = captions[0]
    caption.tag = "figcaption"
    _only(caption, ())
    node.tag = "figure"
    _only(node, ())
    return True
