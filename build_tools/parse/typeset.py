"""The language's typography applied to a converted tree, for both formats (issue 13).

Each block (a paragraph, heading, list item, cell…) is read as one run of characters across
its inline elements, every character in the language of the nearest ``lang`` around it, so
that a quotation mark in ``<em>`` pairs with one outside it and a ``[text]{lang=en}`` in a
French book keeps English quotes. On each run, in order:

1. straight quotes become curly ones (``lang/typography.curl``);
2. a note call moves to its side of the punctuation: after it in English and German
   (``word[^1].`` → ``word.¹``), before it in French, Spanish and Italian (``mot.[^1]`` →
   ``mot¹.``); never across a dash; a word joiner (U+2060) before it keeps it on the line of
   the word it follows (Unicode lets a line break after ? or ! and before a digit);
3. French spaces: a no-break thin space inside « » and before ; ! ?, a no-break space before
   : (an ordinary space the author typed there is replaced; none is added inside a URL or a
   time: the mark must be followed by a space, the end or punctuation).

Code, preformatted text, images and note calls are kept as they are, standing in the run as
one character each. The letters of the text do not change, so places counted in letters
(``textpos``) are the same before and after.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache

from lxml import etree

from build_tools.lang.typography import NNBSP, SPACE_BEFORE, STRAIGHT, Typography, curl, typography

INLINE = frozenset(
    {"a", "abbr", "b", "bdi", "bdo", "cite", "del", "dfn", "em", "i", "ins", "mark", "q", "s"}
    | {"small", "span", "strong", "sub", "sup", "time", "u"}
)
ATOMIC = frozenset({"code", "kbd", "samp", "var", "img", "br", "wbr", "math", "svg"})
VERBATIM = frozenset({"pre", "script", "style"})
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
NOTE, ATOM = "\ue000", "\ufffc"  # a note call, and anything else kept as it is
WORD_JOINER = "\u2060"
_PUNCTUATION = ".,;:!?"
_SPACES = " \t\n\u00a0\u202f"
_FRENCH_MARKS = set(SPACE_BEFORE) | {"«"}


@dataclass
class _Item:
    """A character of a run and the text slot it is written back to; a note call or a kept
    element is one item whose ``before`` is the slot just before it (its tail is ``slot``)."""

    char: str
    slot: int
    before: int = -1


@dataclass
class _Run:
    slots: list[tuple[etree._Element, str]] = field(default_factory=list)
    styles: list[Typography] = field(default_factory=list)
    items: list[_Item] = field(default_factory=list)

    def add(self, node: etree._Element, attribute: str, style: Typography) -> None:
        self.slots.append((node, attribute))
        self.styles.append(style)
        index = len(self.slots) - 1
        text = node.text if attribute == "text" else node.tail
        self.items.extend(_Item(char, index) for char in text or "")

    def stand_in(self, char: str) -> None:
        """A kept element here: its tail is the next slot added."""
        self.items.append(_Item(char, len(self.slots), len(self.slots) - 1))

    def style(self, item: _Item) -> Typography:
        return self.styles[min(item.slot, len(self.styles) - 1)]


def typeset(tree: etree._Element, language: str) -> None:
    """Apply the typography of ``language`` (and of each ``lang`` inside) to ``tree``, in place."""
    for run in _block(tree, language):
        _apply(run)


@cache
def _style(language: str) -> Typography:
    return typography(language)


def _language(element: etree._Element, inherited: str) -> str:
    return str(element.get("lang") or element.get(XML_LANG) or inherited)


def _block(element: etree._Element, inherited: str) -> Iterator[_Run]:
    language = _language(element, inherited)
    run = _Run()
    run.add(element, "text", _style(language))
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in VERBATIM or (tag and tag not in INLINE and tag not in ATOMIC):
            yield run
            if tag not in VERBATIM:
                yield from _block(child, language)
            run = _Run()
        else:
            _inline(child, language, run)
        run.add(child, "tail", _style(language))
    yield run


def _inline(element: etree._Element, inherited: str, run: _Run) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag == "a" and element.get("data-note") is not None:
        run.stand_in(NOTE)
        return
    if tag in ATOMIC or not tag:
        run.stand_in(ATOM)
        return
    language = _language(element, inherited)
    run.add(element, "text", _style(language))
    for child in element:
        _inline(child, language, run)
        run.add(child, "tail", _style(language))


def _apply(run: _Run) -> None:
    text = "".join(item.char for item in run.items)
    french = any(style.spaced for style in run.styles)
    if not (
        any(mark in text for mark in STRAIGHT)
        or NOTE in text
        or (french and any(mark in text for mark in _FRENCH_MARKS))
    ):
        return
    curled = curl(text, lambda index: run.style(run.items[index]))
    for item, char in zip(run.items, curled, strict=True):
        item.char = char
    if NOTE in text:
        _place_calls(run)
    if french:
        _french_spaces(run)
    _write_back(run)


def _place_calls(run: _Run) -> None:
    items, index = run.items, 0
    while index < len(items):
        if items[index].char != NOTE:
            index += 1
            continue
        end = index
        while end < len(items) and items[end].char == NOTE:
            end += 1
        style = run.style(items[index])
        calls, end = (_before_punctuation if style.call_first else _after_punctuation)(run, index, end)
        if calls > 0 and items[calls - 1].char not in _SPACES + WORD_JOINER:
            items.insert(calls, _Item(WORD_JOINER, items[calls].before))
            end += 1
        index = end


def _before_punctuation(run: _Run, index: int, end: int) -> tuple[int, int]:
    """The calls at ``index:end`` moved before the punctuation just before them (French);
    where the calls now start, and the index after what moved."""
    items, start = run.items, index
    while start > 0 and items[start - 1].before < 0 and items[start - 1].char in _PUNCTUATION + _SPACES:
        start -= 1
    moved = items[start:index]
    if not any(item.char in _PUNCTUATION for item in moved):
        return index, end
    for item in moved:
        item.slot = items[end - 1].slot
    items[start:end] = [*items[index:end], *moved]
    return start, end


def _after_punctuation(run: _Run, index: int, end: int) -> tuple[int, int]:
    """The calls at ``index:end`` moved after the punctuation and closing quotation marks just
    after them (English, Chicago 14.26)."""
    items, stop = run.items, end
    closing = _PUNCTUATION + "’" + "".join(pair[1] for pair in run.style(items[index]).pairs)
    while stop < len(items) and items[stop].before < 0 and items[stop].char in closing:
        stop += 1
    moved = items[end:stop]
    for item in moved:
        item.slot = items[index].before
    items[index:stop] = [*moved, *items[index:end]]
    return index + len(moved), stop


def _french_spaces(run: _Run) -> None:
    out: list[_Item] = []
    items = run.items
    for index, item in enumerate(items):
        if item.before >= 0 or not run.style(item).spaced or item.char not in _FRENCH_MARKS:
            out.append(item)
            continue
        following = items[index + 1].char if index + 1 < len(items) else ""
        if item.char == "«":
            out.append(item)
            if following:
                out.append(_Item(NNBSP, item.slot))
            continue
        spaces = []
        while out and out[-1].before < 0 and out[-1].char in _SPACES:
            spaces.append(out.pop())
        if _spaced(out[-1].char if out else "", item.char, following):
            out.append(_Item(SPACE_BEFORE[item.char], item.slot))
        else:
            out.extend(reversed(spaces))
        out.append(item)
    _after_guillemets(out)
    run.items = out


def _spaced(before: str, mark: str, after: str) -> bool:
    """Whether French sets a space between ``before`` and ``mark`` (with ``after`` following)."""
    if not before or before in "«([" or (mark != "»" and before in "?!;:"):
        return False
    if mark == "»":
        return True
    return not (after.isalnum() or after in "/_-")


def _after_guillemets(items: list[_Item]) -> None:
    """The spaces the author typed after « go: its thin space replaces them."""
    index = 0
    while index < len(items):
        if items[index].char == NNBSP and index and items[index - 1].char == "«":
            end = index + 1
            while end < len(items) and items[end].before < 0 and items[end].char in _SPACES:
                end += 1
            del items[index + 1 : end]
        index += 1


def _write_back(run: _Run) -> None:
    texts: list[list[str]] = [[] for _ in run.slots]
    for item in run.items:
        if item.before < 0:
            texts[item.slot].append(item.char)
    for (node, attribute), parts in zip(run.slots, texts, strict=True):
        text = "".join(parts)
        old = node.text if attribute == "text" else node.tail
        if text != (old or ""):
            if attribute == "text":
                node.text = text or None
            else:
                node.tail = text or None
