"""A compositor's last touches to the print HTML (issue 16 item 4): no lone word, no runt.

- **Ties**: a paragraph's last two words are joined by a no-break space (print only; the EPUB
  reflows), so that its last line never holds one word alone.
- **Anchors before the space**: an anchor (``{#name}``) is an empty span; WeasyPrint 70 breaks
  a line badly when an inline box follows a space and the words after it do not fit: it sets
  the word before alone on a line of its own ("under", issue 16's p. 5). The space goes after
  the span, which then ends the words before it (a page turned at that very space gives the
  anchor the page before: the page its sentence's first word is on is the next).
- **Respacing**: a justified paragraph whose last line a layout left shorter than a third of
  the measure (``boxes.paragraphs``) is set again with its spaces a little narrower (the runt
  comes up into the line above) or wider (a line is driven out, the last one longer), within
  what a compositor accepts; WeasyPrint justifies by widening spaces only, so the full lines
  still look even. Which one is tried first on the paragraphs alone, each variant once, in a
  small document of the same measure (``trials.py``): the variant kept leaves no runt and no
  line looser than the paragraph had. It is named by the paragraph's element id, found in one
  layout, applied in the next, in the loop that keeps the words a page turn split
  (``settle.settled``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

from lxml import etree

from build_tools.layout.keeps import wrap_slot

# Within the limits of a good compositor: a word space of about a quarter em, 0.04 em less or
# more, letters 0.5 % closer.
TIES = {"tied-24": 24, "tied-32": 32}  # variants that tie the last words, 24 or 32 characters of them
VARIANTS = {
    "set-tight": "word-spacing: -0.04em; letter-spacing: -0.005em",
    "set-tight-words": "word-spacing: -0.04em",
    "set-loose": "word-spacing: 0.04em",
    # Letters 1 % closer or wider: a paragraph a line shorter or longer, its word spaces as they
    # were (stranded.py mends a page turn with them).
    "set-tighter": "word-spacing: -0.04em; letter-spacing: -0.01em",
    "set-looser": "letter-spacing: 0.01em",
    **dict.fromkeys(TIES, "word-spacing: 0"),
}
# Tried on a runt or a loose line none of ``VARIANTS`` sets well: its runt pulled up into the
# lines above by spaces and letters as close as a compositor sets them to save a line (a word
# space of a fifth of an em, letters 1.5 % closer), breaking words where Chicago allows (two
# letters before the break, three after: CMOS 7.37), which also fills a loose line.
CLOSER = {
    "set-hyphens": "word-spacing: -0.02em; hyphenate-limit-chars: 6 2 3",
    "set-tightest": "word-spacing: -0.06em; letter-spacing: -0.015em",
    "set-tightest-hyphens": "word-spacing: -0.06em; letter-spacing: -0.015em; hyphenate-limit-chars: 6 2 3",
    "set-tight-hyphens": "word-spacing: -0.04em; letter-spacing: -0.01em; hyphenate-limit-chars: 6 2 3",
}
SPACINGS = {**VARIANTS, **CLOSER}  # every variant's class
AS_SET = ""  # a trial's variant: the paragraph as the book sets it
RESPACE_CSS = "".join(f"\n.{name} {{ {rule}; }}" for name, rule in SPACINGS.items()) + "\n"
# Em of space a justified line adds to the font's word space (about 0.2 em): more makes a word
# space twice the usual, a loose line to the page checker (checks/pagecheck.py).
LOOSEST = 0.26
NO_BREAK = "\u00a0"
_SPACE = re.compile(r"\s+")  # a no-break space too: a tie already made counts
_WORD_BEFORE = re.compile(r"\S+$")
_WORD_AT = re.compile(r"\S+\s*")
_TIED_LONGEST = 24  # characters: two longer words tied would leave the line before too loose
_TIED_MOST = 40  # characters: the words a runt's trial ties (``TIES``)
# Words kept on the line of an event's pages: as many in pass 1, where the pages are the
# layout's to print (target-counter), as in pass 2, where they are written in (paginate.py).
CHRONOLOGY_WORDS = 3
_UNTIED = frozenset({"index", "verse", "contents", "halftitle", "titlepage", "copyright", "chronology"})


@dataclass(frozen=True, order=True)
class Respace:
    """A paragraph laid out again with other spaces: the element id that holds it, the class
    of its variant (``VARIANTS``)."""

    owner: str
    variant: str


class Setting(Protocol):
    """What a trial tells of a paragraph (``boxes.Paragraph``)."""

    @property
    def runt(self) -> bool: ...
    @property
    def loosest(self) -> float: ...
    @property
    def measure(self) -> float: ...
    @property
    def indent(self) -> float: ...
    @property
    def size(self) -> float: ...


def compose(root: etree._Element, respaced: Iterable[Respace], skip: frozenset[str]) -> None:
    """Tie the paragraphs' last words, put the anchors before their space, respace
    ``respaced``; ``skip`` names the classes of print-only text (never tied)."""
    for anchor in list(root.iter("span")):
        if anchor.get("class") == "anchor" and anchor.get("id") and not len(anchor) and not anchor.text:
            _space_after(anchor)
    variants = {item.owner: item.variant for item in respaced}
    for paragraph in root.iter("p"):
        around = {name for e in (paragraph, *paragraph.iterancestors()) for name in classes(e)}
        if "chronology" in around:  # ragged: its pages never alone on a short last line
            _keep_with_pages(paragraph)
        elif not _UNTIED.intersection(around):
            tie(paragraph, skip, TIES.get(variants.get(paragraph.get("id", ""), ""), 0))
    for element in root.iter():
        if element.get("id") in variants:
            element.set("class", " ".join([*classes(element), variants[element.get("id", "")]]))


def loose(setting: Setting) -> bool:
    """The paragraph has a loose line."""
    return setting.loosest > LOOSEST


def faults(setting: Setting) -> int:
    """A paragraph's faults: a runt, a loose line."""
    return setting.runt + loose(setting)


def chosen(before: Setting, trials: Mapping[Respace, Setting]) -> str | None:
    """The variant that leaves fewer faults (a runt, a loose line) than the paragraph had and
    no loose line where it had none, the least loose of them; None if none does."""
    had = faults(before)
    good = [
        (faults(after), after.loosest, item.variant)
        for item, after in trials.items()
        if faults(after) < had and loose(after) <= loose(before)
    ]
    return min(good)[2] if good else None


def classes(element: etree._Element) -> list[str]:
    return (element.get("class") or "").split()


def _space_after(anchor: etree._Element) -> None:
    """The white space that ends the text before the anchor goes after it."""
    before = anchor.getprevious()
    node, slot = (before, "tail") if before is not None else (anchor.getparent(), "text")
    if node is None:
        return
    text = getattr(node, slot) or ""
    words = text.rstrip()
    if words and len(words) < len(text):
        setattr(node, slot, words)
        anchor.tail = text[len(words) :] + (anchor.tail or "")


def _slots(element: etree._Element, skip: frozenset[str]) -> list[tuple[etree._Element, str]]:
    slots: list[tuple[etree._Element, str]] = [(element, "text")]
    for child in element:
        if isinstance(child.tag, str) and not skip.intersection(classes(child)):
            slots += _slots(child, skip)
        slots.append((child, "tail"))
    return slots


def tie(paragraph: etree._Element, skip: frozenset[str], least: int = 0) -> None:
    """The white space before the paragraph's last word, and before more until the words tied
    hold ``least`` characters, becomes one no-break space each, where it stands in one text
    slot (not between elements); never so many that the line before is left loose
    (``_TIED_LONGEST`` characters for two words, ``_TIED_MOST`` for more)."""
    slots = _slots(paragraph, skip)
    text = "".join(getattr(node, slot) or "" for node, slot in slots)
    spaces = list(_SPACE.finditer(text.rstrip()))[::-1]
    longest = _TIED_MOST if least else _TIED_LONGEST
    chosen = []
    for number, space in enumerate(spaces, start=2):  # number: the words tied with this space
        if number > 2 and len(text[space.end() :].strip()) >= least:
            break
        word = _WORD_BEFORE.search(text, 0, space.start())
        if word is None or len(text[word.start() :].strip()) > longest:
            break
        chosen.append(space)
    for space in chosen:
        _replace_space(slots, space)


def _keep_with_pages(event: etree._Element) -> None:
    """A chronology event's page references and the ``CHRONOLOGY_WORDS`` words before them
    set on one line (a ``keep`` span: no break, no hyphen), so that its last
    line is never its pages alone, nor a word broken before them."""
    refs = next((child for child in event if "page-refs" in classes(child)), None)
    if refs is None:
        return
    before = refs.getprevious()
    node, slot = (before, "tail") if before is not None else (event, "text")
    text = getattr(node, slot) or ""
    words = list(_WORD_AT.finditer(text))[-CHRONOLOGY_WORDS:]
    if not words:
        return
    keep = wrap_slot(node, slot, words[0].start(), len(text))  # just before the references
    keep.append(refs)
    keep.tail, refs.tail = refs.tail, None


def _replace_space(slots: list[tuple[etree._Element, str]], space: re.Match[str]) -> None:
    seen = 0
    for node, slot in slots:
        value = getattr(node, slot) or ""
        if seen <= space.start() and space.end() <= seen + len(value):
            start = space.start() - seen
            setattr(node, slot, value[:start] + NO_BREAK + value[space.end() - seen :])
            return
        seen += len(value)
