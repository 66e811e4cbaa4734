"""The index of names: finding mentions in the parsed text, and turning them into entries.

Tagging works on the XHTML trees the parser made (text, notes, chronology): every form of every
names-file entry is wrapped, whole words, longest form first, case as written, skipping
headings, note references and suppressed text, in ``<span class="ix" id="ix-N" data-ix="ID">``
(``ID>SUB`` for a subentry's form or mark).
The writers turn the mentions into locators: print pages (REFERENCE.md §4) or numbered links.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from typing import NamedTuple

from lxml import etree

from build_tools import ids
from build_tools.markup import unwrap
from build_tools.model import Mention
from build_tools.sources.names import Names

SKIP = {"h1", "h2", "h3", "h4", "h5", "h6", "code", "pre"}
SKIP_CLASSES = {"ix", "ix-no", "noteref", "note-number"}
_WORD = r"[A-Z][A-Za-zà-ÿ’'\-]*[a-zà-ÿ]"
_CAPITALIZED = re.compile(rf"(?<![\w’'\-]){_WORD}(?: (?:de |van |von |du |da )?{_WORD})+")
# Words that start sentences, or that make a capitalized sequence the name of a place, a body,
# an event or a work rather than of a person: such sequences are not reported.
NOT_NAMES = set(
    """
The A An In On Of And But For As At By To From With This That These Those It He She They We I
His Her Their Our If When While Since After Before Yet So Or Not Even Only Just Also Thus Then
Revolution Revolutions Republic Party Parties Committee Committees Army Armies Congress Government
Empire Union University Academy Commune Front Period March Campaign Theater Palace World East West
North South Northern Southern Eastern Western China Chinese Russia Russian Soviet Soviets Red White
Communist Communists Left Right General Secretary Central Provisional International Letter Letters
Report Memoirs Year Years Fate Tragedy Street Asia America Africa Europe Vietnam Republic Peoples
Sea River Mountains Province City Council Conference Declaration Manifesto Incident Uprising
Expedition Plenum Guard Guards Spears Society Societies Movement Bureau Politburo Opposition
Class Force Pact Peasants Emperors Industrial Marxist Parisian Communards President Republican
St Saint Old New Style La Le Les Prix Gang Democrats Communiqué Hong Kong Sunday January February
April May June July August September October November December
""".split()
)


class Tagged(NamedTuple):
    """What tagging one tree made: its mentions, in order, and the next mention number."""

    mentions: tuple[Mention, ...]
    next_count: int


_Record = Callable[[str, etree._Element], None]


class Tagger:
    """Wraps the mentions found in XHTML trees; keeps nothing from one tree to the next.

    Mention ids (``ix-N``, and ``ixr-N`` for range marks) are numbered across the whole book:
    each call numbers from ``first`` and returns the number the next tree starts from, so the
    caller threads the count through the book in its order (``parse.book``).
    """

    def __init__(self, names: Names) -> None:
        self.names = names

    def tag(self, tree: etree._Element, where: str, section: int, note: str = "", first: int = 1) -> Tagged:
        """Tag ``tree`` in place: explicit marks and range marks first, then every form found."""
        numbers = itertools.count(first)
        mentions: list[Mention] = []

        def record(entry: str, element: etree._Element) -> None:
            mention_id = ids.mention(next(numbers))
            element.set("class", "ix")
            element.set("data-ix", entry)
            element.set("id", mention_id)
            main, _, sub = entry.partition(">")
            mentions.append(Mention(main, mention_id, where, section, note, sub=sub))

        for span in list(tree.iter("span")):
            kind = span.get("class", "")
            if kind == "ix-explicit":
                record(span.get("data-ix", ""), span)
            elif kind.startswith("ix-range-"):
                span.set("id", ids.range_end(next(numbers)))
        mentions.extend(_ranges(tree, where, section, note))
        if self.names.pattern is not None:
            self._walk(tree, record)
        return Tagged(tuple(mentions), next(numbers))

    def _walk(self, element: etree._Element, record: _Record) -> None:
        if element.tag in SKIP or element.get("class") in SKIP_CLASSES:
            return
        if element.text:
            element.text, spans = self._split(element.text, record)
            for offset, span in enumerate(spans):
                element.insert(offset, span)
        for child in list(element):
            if not isinstance(child.tag, str):
                continue
            self._walk(child, record)
            if child.tail:
                child.tail, spans = self._split(child.tail, record)
                position = element.index(child)
                for offset, span in enumerate(spans, 1):
                    element.insert(position + offset, span)

    def _split(self, text: str, record: _Record) -> tuple[str, list[etree._Element]]:
        """The text before the first form found, and a span for each form found, each span
        carrying the text that follows it as its tail."""
        assert self.names.pattern is not None
        leading, last = text, 0
        spans: list[etree._Element] = []
        for found in self.names.pattern.finditer(text):
            span = etree.Element("span")
            span.text = found[0]
            record(self.names.entry_of(found[0]), span)
            if spans:
                spans[-1].tail = text[last : found.start()]
            else:
                leading = text[: found.start()]
            spans.append(span)
            last = found.end()
        if spans:
            spans[-1].tail = text[last:]
        return leading, spans


def untag(tree: etree._Element) -> None:
    """Take the index marks out of a tree the index skips (a citation-only note): its
    explicit and range marks become plain text."""
    for span in list(tree.iter("span")):
        kind = span.get("class", "")
        if kind == "ix-explicit" or kind.startswith("ix-range-"):
            unwrap(span)


def _ranges(tree: etree._Element, where: str, section: int, note: str) -> list[Mention]:
    """A mention for each range that opens and closes in ``tree`` (``{@id:start}`` … ``{@id:end}``)."""
    mentions = []
    open_ranges: dict[str, str] = {}
    for span in tree.iter("span"):
        kind, entry = span.get("class", ""), span.get("data-ix", "")
        if kind == "ix-range-start":
            open_ranges[entry] = span.get("id", "")
        elif kind == "ix-range-end" and entry in open_ranges:
            main, _, sub = entry.partition(">")
            start = open_ranges.pop(entry)
            mentions.append(Mention(main, start, where, section, note, end=span.get("id", ""), sub=sub))
    return mentions


def unindexed_names(text: str, names: Names) -> list[str]:
    """Capitalized word sequences that look like names of persons but match no entry."""
    covered = {form for entry in names.entries for form in entry.forms}
    covered |= {form for entry in names.entries for sub in entry.subentries for form in sub.forms}
    found = []
    for match in _CAPITALIZED.finditer(text):
        words = match[0].replace("-", " ").split()
        if any(word.rstrip("’'s") in NOT_NAMES or word in NOT_NAMES for word in words):
            continue
        if match[0] in covered:
            continue
        if names.pattern is not None and names.pattern.search(match[0]):
            continue
        found.append(match[0])
    return sorted(set(found))
