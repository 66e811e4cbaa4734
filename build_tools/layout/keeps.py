"""Words kept whole across a page turn (issue 13 item 3), found in one layout, kept in the next.

A page whose text ends with a word WeasyPrint hyphenated (``PageText.hyphenated``) and the
next page, which goes on inside that word (its first letter and the letter before it have
nothing but a soft hyphen between them in the print document), split that word across the
turn. The word (from white space to white space) is wrapped in ``<span class="keep">``
(``hyphens: none``, after the book's styles) for the next layout; a break the source has there
(a dash; a space) is no split, but a compound's own hyphen ("Cassandra-like") is: a
hyphen at a page turn is one, whoever put it there. A kept word is named by the element
with an id around it, its text and how many times the same word comes before it there, not by
letters: the notes laid out again in pass 2 print the page references pass 1 left to the
layout, and keep their words. A span with no id changes no place (``build_tools.textpos``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lxml import etree

if TYPE_CHECKING:  # boxes.py imports WeasyPrint; the print HTML (html.py) does not
    from build_tools.layout.boxes import PageText

KEEP = "keep"
KEEP_CSS = f"\nspan.{KEEP} {{ hyphens: none; white-space: nowrap; }}\n"
HARD_HYPHENS = ("-", "\u2010")  # a compound broken at its own hyphen is split by the turn too
_SOFT_HYPHEN = "\xad"
_WORD = re.compile(r"\S+")


@dataclass(frozen=True, order=True)
class Keep:
    """A word kept whole: the innermost element with an id around it, the word as written,
    and how many times the same word comes before it in that element."""

    owner: str
    word: str
    nth: int


def splits(root: etree._Element, texts: Sequence[PageText], skip: frozenset[str]) -> dict[int, Keep]:
    """Page index -> the word split across the turn before that page, in the document ``root``
    laid out as ``texts``; ``skip`` names the classes of print-only text (counted by no page)."""
    turns = [
        (number, texts[number].first)
        for number in range(1, len(texts))
        if texts[number - 1].hyphenated and texts[number].first[1]
    ]
    if not turns:
        return {}
    elements = _by_id(root)
    found = {}
    for number, (owner, offset) in turns:
        element = elements.get(owner)
        keep = _split_word(element, owner, offset, skip) if element is not None else None
        if keep is not None:
            found[number] = keep
    return found


def keep_words(root: etree._Element, keeps: Iterable[Keep], skip: frozenset[str]) -> None:
    """Wrap each kept word that ``root`` holds in a keep span (pass 2's document holds only the
    back matter: the other words are not in it)."""
    wanted = sorted(keeps)
    if not wanted:
        return
    elements = _by_id(root)
    for keep in wanted:
        element = elements.get(keep.owner)
        if element is not None:
            wrap_word(element, keep, skip)


def _by_id(root: etree._Element) -> dict[str, etree._Element]:
    return {element_id: element for element in root.iter() if (element_id := element.get("id"))}


def _slots(element: etree._Element, skip: frozenset[str]) -> Iterator[tuple[etree._Element, str]]:
    """The text slots of an element that print, in order: (node, "text") and (child, "tail")."""
    yield element, "text"
    for child in element:
        if isinstance(child.tag, str) and not skip.intersection((child.get("class") or "").split()):
            yield from _slots(child, skip)
        yield child, "tail"


def _joined(element: etree._Element, skip: frozenset[str]) -> tuple[list[tuple[etree._Element, str]], str]:
    slots = list(_slots(element, skip))
    return slots, "".join(getattr(node, slot) or "" for node, slot in slots)


def _split_word(element: etree._Element, owner: str, offset: int, skip: frozenset[str]) -> Keep | None:
    """The word that letter ``offset`` of ``element`` goes on inside, if the letter before it
    is in the same word, with at most a soft hyphen between them."""
    _, text = _joined(element, skip)
    places = [index for index, char in enumerate(text) if char.isalnum()]
    if not 0 < offset < len(places):
        return None
    before, at = places[offset - 1], places[offset]
    if text[before + 1 : at].strip(_SOFT_HYPHEN) not in ("", *HARD_HYPHENS):
        return None  # a dash or a space of the source: a break it has (a compound's hyphen is kept)
    for match in _WORD.finditer(text):
        if match.start() <= at < match.end():
            word = match.group()
            nth = sum(1 for other in _WORD.finditer(text, 0, match.start()) if other.group() == word)
            return Keep(owner, word, nth)
    return None


def wrap_word(element: etree._Element, keep: Keep, skip: frozenset[str]) -> None:
    """Wrap the kept word in a keep span in each text slot it has a part in (a word may run
    into an inline element), the last part first, so that the earlier slots stay where they are."""
    slots, text = _joined(element, skip)
    found = [match for match in _WORD.finditer(text) if match.group() == keep.word]
    if keep.nth >= len(found):
        return  # the text changed: nothing to keep
    start, end = found[keep.nth].span()
    parts = []
    seen = 0
    for node, slot in slots:
        size = len(getattr(node, slot) or "")
        if seen < end and start < seen + size:
            parts.append((node, slot, max(start - seen, 0), min(end - seen, size)))
        seen += size
    for node, slot, cut, stop in reversed(parts):
        wrap_slot(node, slot, cut, stop)


def wrap_slot(node: etree._Element, slot: str, cut: int, stop: int) -> etree._Element:
    """The letters ``cut`` to ``stop`` of ``node``'s text slot in a keep span, which is returned."""
    value = getattr(node, slot) or ""
    span = etree.Element("span", {"class": KEEP})
    span.text, span.tail = value[cut:stop], value[stop:]
    if slot == "text":
        node.text = value[:cut]
        node.insert(0, span)
    else:
        node.tail = value[:cut]
        node.addnext(span)
    return span
