"""Notes of an EPUB, whatever made it: each call becomes ``<a data-note="KEY"/>``, each note its blocks.

The shapes recognised, by the call (a link to an element with an ``id``, in the same document
or another one):
- EPUB 3 ``epub:type="noteref"`` or DPUB-ARIA ``role="doc-noteref"`` (our own EPUB, Standard
  Ebooks, pandoc, InDesign): the note is the ``aside``/``li``/… it points at (``footnote``,
  ``endnote``, ``rearnote``, ``doc-endnote``, ``doc-footnote``, or anything);
- pandoc's ``a.footnote-ref`` (to ``li`` in ``section.footnotes`` or ``aside#footnotes``);
- calibre's and older tools' plain links (often in ``sup``): a link is a call when the element
  it points at links back to it; the number of a short call only (``1``, ``[2]``, ``*``), so that
  a cross-reference with a "back" link stays a link.
A note's blocks lose their backlinks (``epub:type="backlink"``, ``doc-backlink``,
``a.footnote-back``, any link back to a call) and their leading number; the note's element
leaves its document, and a notes container left without text goes too (a notes file then
yields no section).
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field

from lxml import etree

from build_tools.importing.epub_package import resolve
from build_tools.importing.epub_xhtml import classes, semantics, text
from build_tools.importing.text import remove_keeping_tail

_CALL_TYPES = {"noteref"}
_CALL_CLASSES = {"footnote-ref", "noteref", "footnote-reference", "footnoteref"}
_BACK_TYPES = {"backlink"}
_BACK_CLASSES = {"footnote-back", "backlink", "footnote-backref"}
_NOTE_BLOCKS = {"li", "aside", "section", "div", "dl", "dd", "p", "footnote", "blockquote", "td"}
_CONTAINER_TYPES = {"footnotes", "endnotes", "rearnotes", "notes"}
_SHORT_CALL = re.compile(r"^[\[(]?([0-9]{1,4}|[ivxlc]{1,6}|[a-z]|[*†‡§¶#]{1,3})[.)\]]?$", re.IGNORECASE)
# A number written in the note's text: with its period or brackets only ("1927 was…" stays).
_LEADING_NUMBER = re.compile(r"^\s*(\[[0-9]{1,4}\]|\([0-9]{1,4}\)|[0-9]{1,4}[.)]|[*†‡§¶]{1,3})(\s+|$)")


@dataclass
class Notes:
    """What the notes pass found: each document's notes by key, and the documents that had any."""

    by_document: dict[str, dict[str, etree._Element]] = field(default_factory=dict)
    holders: set[str] = field(default_factory=set)  # documents notes were taken out of


@dataclass
class _Call:
    path: str  # the document of the call
    link: etree._Element
    note: etree._Element
    note_path: str


def take_notes(documents: list[tuple[str, etree._Element]]) -> Notes:
    """Find every call and its note across ``documents`` (spine order, namespace-free trees),
    put the calls' markers in place and take the notes out; the trees are changed in place."""
    ids: dict[tuple[str, str], etree._Element] = {}
    order: dict[etree._Element, int] = {}  # reading order of every element across the spine
    for path, root in documents:
        for node in root.iter():
            order[node] = len(order)
            if isinstance(node.tag, str) and node.get("id"):
                ids.setdefault((path, str(node.get("id"))), node)
    calls = [call for path, root in documents for call in _calls(path, root, ids, order)]
    notes = Notes()
    keys: dict[int, str] = {}
    backlinks: set[tuple[str, str]] = set()
    for call in calls:
        backlinks.update((call.path, str(ident)) for ident in _ids_around(call.link))
    for call in calls:
        key = keys.setdefault(id(call.note), f"n{len(keys) + 1}")
        _mark(call.link, key)
        notes.by_document.setdefault(call.path, {})[key] = call.note
    for found in notes.by_document.values():
        for key, note in found.items():
            found[key] = _blocks(note, _note_path(calls, note), backlinks)
    for call in calls:
        if call.note.getparent() is not None:
            notes.holders.add(call.note_path)
            _take_out(call.note)
    return notes


def _note_path(calls: list[_Call], note: etree._Element) -> str:
    return next(call.note_path for call in calls if call.note is note)


def _calls(
    path: str,
    root: etree._Element,
    ids: dict[tuple[str, str], etree._Element],
    order: dict[etree._Element, int],
) -> list[_Call]:
    """The calls of one document. A plain link is a call when its target links back and comes
    after it (a call and its note link to each other: the note is the later one)."""
    out = []
    for link in root.iter("a"):
        href = link.get("href")
        if not href or re.match(r"^[a-z][a-z0-9+.-]*:", href, re.IGNORECASE):
            continue
        target_path, fragment = resolve(path, str(href))
        target = ids.get((target_path, fragment)) if fragment else None
        if target is None or _inside(link, target):
            continue
        note = _note_element(target)
        later = order.get(target, 0) > order.get(link, 0)
        if _is_call(link) or (_short(link) and later and _links_back(note, target_path, path, link)):
            out.append(_Call(path, link, note, target_path))
    return out


def _inside(link: etree._Element, target: etree._Element) -> bool:
    return any(ancestor is target for ancestor in link.iterancestors())


def _is_call(link: etree._Element) -> bool:
    return bool(semantics(link) & _CALL_TYPES or classes(link) & _CALL_CLASSES)


def _short(link: etree._Element) -> bool:
    return bool(_SHORT_CALL.match(text(link)))


def _note_element(target: etree._Element) -> etree._Element:
    """The element holding a note's content: the target if it is a block, else the block it is
    in (calibre's ``<p><a id="n1" href="#r1">1</a> text</p>``), or that block's ``li``/``aside``
    when the note starts it."""
    node = target
    while node.tag not in _NOTE_BLOCKS and node.getparent() is not None:
        node = node.getparent()  # type: ignore[assignment]
    parent = node.getparent()
    if node.tag == "p" and parent is not None and parent.tag in ("li", "aside", "dd", "div"):
        first = next((child for child in parent if isinstance(child.tag, str)), None)
        if first is node and not (parent.text or "").strip() and _only_note(parent):
            return parent
    return node


def _only_note(parent: etree._Element) -> bool:
    """A ``div`` wraps one note only when it is not a whole notes section (several numbers)."""
    if parent.tag != "div":
        return True
    return sum(1 for node in parent.iter("a") if node.get("href")) <= 2


def _links_back(note: etree._Element, note_path: str, call_path: str, link: etree._Element) -> bool:
    """Whether the note has a link to the call (to its id, or its ``sup``'s, or its child's)."""
    around = _ids_around(link)
    for back in note.iter("a"):
        href = back.get("href")
        if href and resolve(note_path, str(href)) in {(call_path, ident) for ident in around}:
            return True
    return False


def _ids_around(link: etree._Element) -> list[str]:
    """The ids a backlink may point at: the call's, its parent's (``sup``), its children's."""
    out = [str(node.get("id")) for node in link.iter() if isinstance(node.tag, str) and node.get("id")]
    parent = link.getparent()
    if parent is not None and parent.get("id") and len(text(parent)) <= len(text(link)) + 2:
        out.append(str(parent.get("id")))
    return out


def _mark(link: etree._Element, key: str) -> None:
    """The call replaced by the marker; a ``sup`` holding only the call goes with it, and so does
    a word joiner before it (our EPUB's, which keeps the number on the line of its word)."""
    node = link
    parent = link.getparent()
    while parent is not None and parent.tag in ("sup", "span", "small") and text(parent) == text(node):
        node, parent = parent, parent.getparent()
    marker = etree.Element("a", {"data-note": key})
    marker.tail = node.tail
    assert parent is not None
    previous = node.getprevious()
    if previous is not None and previous.tail:
        previous.tail = previous.tail.rstrip("\u2060")
    elif previous is None and parent.text:
        parent.text = parent.text.rstrip("\u2060")
    parent.replace(node, marker)


def _blocks(note: etree._Element, note_path: str, backlinks: set[tuple[str, str]]) -> etree._Element:
    """A copy of the note's content without its backlinks and number, in a ``div``."""
    holder = etree.Element("div")
    content = copy.deepcopy(note)
    holder.text = content.text
    holder.extend(list(content))
    for link in list(holder.iter("a")):
        href = link.get("href")
        back = href is not None and resolve(note_path, str(href)) in backlinks
        if back or semantics(link) & _BACK_TYPES or classes(link) & _BACK_CLASSES:
            _drop_backlink(link)
    _drop_number(holder)
    return holder


def _drop_backlink(link: etree._Element) -> None:
    """A backlink removed with the space or the empty brackets around it."""
    previous, parent = link.getprevious(), link.getparent()
    before = (previous.tail if previous is not None else parent.text if parent is not None else "") or ""
    after = link.tail or ""
    if before.rstrip().endswith(("[", "(")) and after.lstrip().startswith(("]", ")")):
        before, after = before.rstrip()[:-1], after.lstrip()[1:]
    if not before.strip():  # the number at the note's start, as a link: "1. Text" ("[1] Text")
        after = re.sub(r"^[.:)\]]?\s*", "", after)
    link.tail = after
    before = before.rstrip(" \u00a0") if not after.strip() else before
    if previous is not None:
        previous.tail = before
    elif parent is not None:
        parent.text = before
    remove_keeping_tail(link)


def _drop_number(holder: etree._Element) -> None:
    """The note's own number at its start (``1.``, ``[1]``, ``<sup>1</sup>``), in the first
    block or loose in the holder."""
    node = holder
    while not (node.text or "").strip() and len(node) and node[0].tag in _NUMBER_HOLDERS:
        child = node[0]
        if child.tag in ("sup", "span", "a", "b", "strong") and _SHORT_CALL.match(text(child)):
            remove_keeping_tail(child)
            node.text = (node.text or "").lstrip(" .\u00a0") or None
            return
        node = child
    if node.text and _LEADING_NUMBER.match(node.text):
        node.text = _LEADING_NUMBER.sub("", node.text, count=1)


_NUMBER_HOLDERS = {"p", "div", "span", "sup", "a", "b", "strong"}


def _take_out(note: etree._Element) -> None:
    """Remove the note; then each notes container left with no text but headings and rules."""
    parent = note.getparent()
    remove_keeping_tail(note)
    while parent is not None and parent.tag not in ("body", "html"):
        is_container = bool(semantics(parent) & _CONTAINER_TYPES or classes(parent) & _CONTAINER_TYPES)
        leftover = "".join(
            text(child) for child in parent if isinstance(child.tag, str) and child.tag not in _HEADINGS
        )
        if (
            (parent.tag in ("ol", "ul", "dl") or is_container)
            and not leftover.strip()
            and not (parent.text or "").strip()
        ):
            up = parent.getparent()
            remove_keeping_tail(parent)
            parent = up
        else:
            break


_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6", "hr", "header"}
