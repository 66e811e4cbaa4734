"""Where things are in a .docx, and what of it the manuscript cannot carry.

A place is a paragraph's number, its first words and its section; what is lost: comments, text
boxes, fields, headers and footers, a table of contents, unknown styles; and tracked changes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from lxml import etree

from build_tools.importing.document import Loss
from build_tools.importing.docx_parts import DOCUMENT, NS, Package, heading_level, plain_text, style_name, w

# Every mark of a tracked change (ECMA-376 Part 1, 17.13.5): text, paragraph marks, moves,
# formatting, table cells.
CHANGES: tuple[str, ...] = (
    "ins",
    "del",
    "moveFrom",
    "moveTo",
    "rPrChange",
    "pPrChange",
    "sectPrChange",
    "tblPrChange",
)
CHANGES += ("trPrChange", "tcPrChange", "tblGridChange", "numberingChange", "cellIns", "cellDel", "cellMerge")
_NOTE_PARTS = {"word/footnotes.xml": "footnote", "word/endnotes.xml": "endnote"}
# VML's drawing attributes of a shape or text box: how it looks, never text.
_DECORATION = {"v:fill", "v:stroke", "v:path", "v:formulas", "v:f", "v:shadow", "o:lock", "w10:wrap"}
_DECORATION |= {"o:extrusion", "w10:anchorlock", "v:handles", "o:callout"}
_FALLBACK = f"{{{NS['mc']}}}Fallback"


def _words(text: str, count: int = 6) -> str:
    words = text.split()
    return " ".join(words[:count]) + ("…" if len(words) > count else "")


class Places:
    """The author's paragraphs, numbered in reading order (a text box's paragraphs are its
    paragraph's), and the section each falls in once the book is split at ``level``."""

    def __init__(self, package: Package, level: int) -> None:
        body = package.document.find("w:body", NS)
        self.numbers: dict[etree._Element, int] = {}
        self.sections: dict[int, str] = {}
        title = "before the first heading"
        for paragraph in () if body is None else body.iter(w("p")):
            if _boxed(paragraph):
                continue
            number = len(self.numbers) + 1
            self.numbers[paragraph] = number
            if heading_level(package, paragraph) == level and plain_text(paragraph):
                title = f"in “{_words(plain_text(paragraph))}”"
            self.sections[number] = title

    def paragraph(self, node: etree._Element) -> etree._Element | None:
        for candidate in (node, *node.iterancestors()):
            if candidate in self.numbers:
                return candidate
        return None

    def where(self, node: etree._Element) -> str:
        """“paragraph 12 (“The river was…”), in “Chapter title””, or the note it is in."""
        for ancestor in node.iterancestors(w("footnote"), w("endnote")):
            kind = etree.QName(ancestor).localname
            return f"a {kind} (“{_words(plain_text(ancestor))}”)"
        paragraph = self.paragraph(node)
        if paragraph is None:
            return DOCUMENT
        number = self.numbers[paragraph]
        return f"paragraph {number} (“{_words(plain_text(paragraph))}”), {self.sections[number]}"

    def short(self, node: etree._Element) -> str:
        """“paragraph 12, “The river was…””, for a one-line error."""
        paragraph = self.paragraph(node)
        if paragraph is None:
            return self.where(node)
        return f"paragraph {self.numbers[paragraph]}, “{_words(plain_text(paragraph))}”"


def _boxed(node: etree._Element) -> bool:
    """Inside a text box or a compatibility fallback (a copy of what the choice holds)."""
    return any(a.tag in (w("txbxContent"), _FALLBACK) for a in node.iterancestors())


def _parts(package: Package) -> Iterable[etree._Element]:
    for name in (DOCUMENT, *_NOTE_PARTS):
        root = package.part(name)
        if root is not None:
            yield root


def tracked_changes(package: Package, places: Places) -> tuple[int, str]:
    """How many tracked changes the document holds, and where the first is."""
    seen: set[tuple[int, str]] = set()
    first = ""
    for index, root in enumerate(_parts(package)):
        for node in root.iter(*(w(name) for name in CHANGES)):
            if _FALLBACK in _ancestor_tags(node):  # a copy of what the choice beside it holds
                continue
            key = (index, str(node.get(w("id"), id(node))))
            if key not in seen:
                seen.add(key)
                first = first or places.short(node)
    return len(seen), first


def _ancestor_tags(node: etree._Element) -> set[str]:
    return {str(ancestor.tag) for ancestor in node.iterancestors()}


def losses(package: Package, places: Places) -> list[Loss]:
    """Everything of the document's XML that the manuscript does not carry, with its place."""
    out = _comments(package, places)
    out += _text_boxes(package, places)
    out += _fields(package, places)
    out += _contents(package, places)
    out += _headers_footers(package)
    out += _separators(package)
    return out


def _comments(package: Package, places: Places) -> list[Loss]:
    part = package.part("word/comments.xml")
    if part is None:
        return []
    anchors: dict[str, etree._Element] = {}
    for tag in ("commentRangeStart", "commentReference"):
        for node in package.document.iter(w(tag)):
            anchors.setdefault(str(node.get(w("id"))), node)
    out = []
    for comment in part.iterfind("w:comment", NS):
        anchor = anchors.get(str(comment.get(w("id"))))
        where = places.where(anchor) if anchor is not None else "word/comments.xml"
        author = comment.get(w("author")) or "an unnamed reviewer"
        out.append(
            Loss(where, f"a comment by {author} (“{_words(plain_text(comment), 12)}”) was not carried over")
        )
    return out


def _text_boxes(package: Package, places: Places) -> list[Loss]:
    out = []
    for box in package.document.iter(w("txbxContent")):
        if _FALLBACK in _ancestor_tags(box):
            continue
        text = _words(" ".join(plain_text(p) for p in box.iter(w("p"))), 10)
        # mammoth reads a text box's VML (the fallback, or a w:pict) and puts its paragraphs
        # after the paragraph it is anchored in; a DrawingML-only box it does not read.
        if _kept_by_mammoth(box):
            what = f"a text box (“{text}”): its text was put in a paragraph of its own after this one"
        else:
            what = f"a text box (“{text}”) was dropped: copy its text into the body if it matters"
        out.append(Loss(places.where(box), what))
    return out


def _kept_by_mammoth(box: etree._Element) -> bool:
    for ancestor in box.iterancestors():
        if ancestor.tag == w("pict"):
            return True
        if ancestor.tag == f"{{{NS['mc']}}}AlternateContent":
            fallback = ancestor.find("mc:Fallback", NS)
            return fallback is not None and fallback.find(".//w:txbxContent", NS) is not None
    return False


def _fields(package: Package, places: Places) -> list[Loss]:
    """Simple and complex fields (17.16): their displayed text is kept as plain text; a
    hyperlink field is a link, carried over."""
    found: list[tuple[etree._Element, str]] = []
    for simple in package.document.iter(w("fldSimple")):
        found.append((simple, str(simple.get(w("instr"), ""))))
    start: etree._Element | None = None
    code: list[str] = []
    for node in package.document.iter(w("fldChar"), w("instrText")):
        if node.tag == w("instrText"):
            code.append(node.text or "")
        elif node.get(w("fldCharType")) == "begin":
            start, code = node, []
        elif start is not None:
            found.append((start, "".join(code)))
            start = None
    out = []
    for node, instruction in found:
        kind = (instruction.split() or ["?"])[0].upper()
        if kind in ("HYPERLINK", "TOC") or _boxed(node):
            continue
        what = _FIELDS.get(kind, "a field")
        out.append(
            Loss(
                places.where(node),
                f"{what} ({kind}: “{instruction.strip()}”): its displayed text was kept as plain text",
            )
        )
    return out


_FIELDS = {
    "REF": "a cross-reference",
    "PAGEREF": "a page reference",
    "NOTEREF": "a reference to a note",
    "PAGE": "a page number",
    "NUMPAGES": "the page count",
    "SEQ": "a caption's number",
    "DATE": "a date",
    "TIME": "a time",
}


def _contents(package: Package, places: Places) -> list[Loss]:
    """A table of contents: its paragraphs (styles "toc N", "Contents N") are dropped by the
    style map, since every build makes its own contents."""
    entries = [p for p in places.numbers if re.match(r"(toc|contents)\s*\d", style_name(package, p), re.I)]
    if not entries:
        return []
    return [
        Loss(
            places.where(entries[0]),
            f"the table of contents ({len(entries)} entries) was dropped: the build makes the book's own",
        )
    ]


def _headers_footers(package: Package) -> list[Loss]:
    out = []
    for name, root in sorted(package.xml.items()):
        kind = re.match(r"word/(header|footer)\d*\.xml$", name)
        if not kind:
            continue
        text = plain_text(root)
        has_field = root.find(".//w:fldSimple", NS) is not None or root.find(".//w:instrText", NS) is not None
        if text or has_field:
            shown = f" (“{_words(text, 10)}”)" if text else ""
            what = f"the page {kind[1]}{shown} was not carried over: the build sets its own running heads"
            what += " and page numbers"
            out.append(Loss(name, what))
    return out


def _separators(package: Package) -> list[Loss]:
    """A footnote separator is the line above the notes; one that holds text is an oddity."""
    out = []
    for name, kind in _NOTE_PARTS.items():
        root = package.part(name)
        for note in () if root is None else root.iterfind(f"w:{kind}", NS):
            if note.get(w("type")) in (
                "separator",
                "continuationSeparator",
                "continuationNotice",
            ) and plain_text(note):
                out.append(
                    Loss(
                        name,
                        f"the {kind} separator's text (“{_words(plain_text(note))}”) was not carried over",
                    )
                )
    return out


def style_losses(package: Package, places: Places, messages: Sequence[str], silent: set[str]) -> list[Loss]:
    """mammoth's messages, once per style (with its first paragraph) or once per message."""
    out = []
    seen = set()
    for message in messages:
        style = re.match(r"Unrecognised (paragraph|run) style: (.*) \(Style ID: (.*)\)$", message)
        if style and style[2].lower() in silent:
            continue
        element = re.match(r"An unrecognised element was ignored: (\S+)$", message)
        if element and element[1] in _DECORATION:
            continue
        if message in seen:
            continue
        seen.add(message)
        if style:
            out.append(_style_loss(package, places, style[1], style[2], style[3]))
        elif element:
            out.append(_element_loss(package, places, element[1]))
        else:
            out.append(Loss(DOCUMENT, f"mammoth, which reads the document: {message}"))
    return out


# What the elements mammoth does not read are, in the author's words (by local name).
_ELEMENTS = {"oMathPara": "an equation", "oMath": "an equation", "object": "an embedded object"}
_ELEMENTS |= {"ruby": "a ruby annotation", "control": "a form control"}


def _element_loss(package: Package, places: Places, name: str) -> Loss:
    """An element mammoth dropped, with the first place it was and how often. mammoth names it
    by its prefix (``w:ruby``) when it knows the namespace, else in Clark's form (``{…}oMath``)."""
    if name.startswith("{"):
        namespace, _, local = name[1:].partition("}")
        uses = list(package.document.iter(f"{{{namespace}}}{local}"))
    else:
        prefix, _, local = name.rpartition(":")
        uses = [
            node
            for node in package.document.iter()
            if isinstance(node.tag, str)
            and node.prefix == (prefix or None)
            and etree.QName(node).localname == local
        ]
    what = _ELEMENTS.get(local, f"an element Word wrote and mammoth does not read ({local})")
    count = f" ({len(uses)} times)" if len(uses) > 1 else ""
    return Loss(places.where(uses[0]) if uses else DOCUMENT, f"{what}{count} was dropped")


def _style_loss(package: Package, places: Places, kind: str, name: str, style_id: str) -> Loss:
    tag = "pStyle" if kind == "paragraph" else "rStyle"
    uses = [node for node in package.document.iter(w(tag)) if node.get(w("val")) == style_id]
    where = places.where(uses[0]) if uses else DOCUMENT
    count = f"{len(uses)} {'time' if len(uses) == 1 else 'times'}"
    if kind == "paragraph":
        return Loss(
            where,
            f"the paragraph style “{name}” ({count}) has no equivalent: its text is kept as plain paragraphs",
        )
    return Loss(
        where, f"the character style “{name}” ({count}) has no equivalent: its text is kept without it"
    )
