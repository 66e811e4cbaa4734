"""One EPUB document holding several chapters (calibre's single file of a Word document) as several sections.

A document splits at each ``h1`` among its top-level blocks (inside one wrapping ``div``
too), or at each top-level ``div`` that opens with an ``h1`` (pandoc's and Standard Ebooks'
``section``s, made ``div``s by ``epub_clean``). What stands before the first one and only
repeats the book's title, subtitle or author (a title page run into the text) is dropped.
"""

from __future__ import annotations

from lxml import etree

from build_tools.importing.epub_xhtml import text


def split(
    body: etree._Element, notes: dict[str, etree._Element], repeated: set[str]
) -> list[tuple[etree._Element, dict[str, etree._Element]]]:
    """``body`` (a cleaned ``div``) as one or more bodies, each with the notes it calls."""
    holder = _holder(body)
    _drop_title_lines(holder, repeated)
    starts = [child for child in holder if _opens(child)]
    if len(starts) < 2:
        return [(body, notes)]
    pieces: list[etree._Element] = []
    current = etree.Element("div")
    current.text = holder.text
    for child in list(holder):
        if child in starts and (len(current) or (current.text or "").strip()):
            pieces.append(current)
            current = etree.Element("div")
        current.append(child)
    pieces.append(current)
    out = []
    for piece in pieces:
        keys = [str(node.get("data-note")) for node in piece.iter("a") if node.get("data-note") is not None]
        out.append((piece, {key: notes[key] for key in dict.fromkeys(keys) if key in notes}))
    return out


def _holder(body: etree._Element) -> etree._Element:
    """The element whose children are the top-level blocks: ``body``, or the one ``div`` it
    wraps everything in."""
    node = body
    while True:
        children = [child for child in node if isinstance(child.tag, str)]
        if len(children) != 1 or children[0].tag != "div" or (node.text or "").strip():
            return node
        if (children[0].tail or "").strip() or _opens(children[0]):
            return node
        node = children[0]


def _opens(node: etree._Element) -> bool:
    if node.tag == "h1":
        return True
    if node.tag != "div":
        return False
    first = next((child for child in node if isinstance(child.tag, str)), None)
    return first is not None and first.tag == "h1" and not (node.text or "").strip()


def _drop_title_lines(holder: etree._Element, repeated: set[str]) -> None:
    """Leading paragraphs that only say the title, the subtitle or the author."""
    wanted = {" ".join(value.split()).casefold() for value in repeated if value}
    for child in list(holder):
        if not isinstance(child.tag, str) or _opens(child) or child.tag not in ("p", "div"):
            return
        if text(child).casefold() not in wanted or (holder.text or "").strip():
            return
        tail = child.tail
        holder.remove(child)
        holder.text = (holder.text or "") + (tail or "")
