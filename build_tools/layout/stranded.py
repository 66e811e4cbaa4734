"""Widows and orphans mended as a compositor mends them (issue 16 item 4).

The print stylesheet sets ``orphans: 1; widows: 1``: every page of running text is full, so
facing pages end on one line of the grid. A page turn that leaves one line of a paragraph
alone (its first at the foot of a page, an orphan; its last at the top of the next, a widow) is
then mended by setting one paragraph near it a line shorter and another a line longer
(``compose.VARIANTS``: spaces a little narrower or wider), so that the turn falls elsewhere in
the paragraph and the text after the second stays where it was: the pages after are
untouched, and every turn of the book is mended in one layout. The two may be on the turn's
pages or across the turns next to it: between them the text moves by a line, and each turn it
moves must fall inside a paragraph (never a paragraph's first or last line alone, never a word
broken, never at a paragraph's end: a heading may stand there). The paragraphs' line counts in
each variant come from a trial layout of them alone (``respace.py``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

from build_tools.layout.boxes import Paragraph
from build_tools.layout.compose import LOOSEST, Respace

NEAR = 2  # pages before and after a turn's two where the lines that mend it may be found


@dataclass(frozen=True)
class Turn:
    """A page turn that strands a line: the page before it (index), the paragraph across it,
    its lines before and after the turn."""

    page: int
    owner: str
    before: int
    after: int


@dataclass(frozen=True)
class _Change:
    item: Respace
    delta: int  # lines more (or fewer)
    setting: Paragraph
    last: int  # the page its paragraph ends on


def stranded(found: Mapping[str, Paragraph]) -> list[Turn]:
    """Every page turn that leaves one line of a paragraph alone on its page."""
    return [turn for turn in _turns(found).values() if 1 in (turn.before, turn.after)]


def neighbours(found: Mapping[str, Paragraph], turns: Sequence[Turn]) -> dict[str, Paragraph]:
    """The paragraphs whose line counts could mend ``turns``: those on the pages around them."""
    pages = {page for turn in turns for page in _window(turn)}
    return {owner: paragraph for owner, paragraph in found.items() if _pages(paragraph)[0][0] in pages}


def mended(
    found: Mapping[str, Paragraph], turns: Sequence[Turn], tried: Mapping[str, Mapping[Respace, Paragraph]]
) -> frozenset[Respace]:
    """For each turn, the two variants (one a line shorter, one a line longer) that leave no
    line alone at it nor at any turn the text between them moves across, and move nothing
    after, the least loose pair; a turn no pair mends is left as it is."""
    every = _turns(found)
    out: set[Respace] = set()
    moved: set[int] = set()  # the turns a chosen pair moves: another pair keeps off them
    for turn in sorted(turns, key=lambda t: t.page):
        if turn.page in moved:
            continue  # mended by the pair of a turn before it, or left as it is
        changes = list(_changes(found, turn, tried, {item.owner for item in out}))
        best = min(_pairs(found, every, turn, changes, moved), default=None)
        if best is not None:
            _, first, second, crossed = best
            out |= {first, second}
            moved |= crossed
    return frozenset(out)


def _pairs(
    found: Mapping[str, Paragraph],
    every: Mapping[int, Turn],
    turn: Turn,
    changes: Sequence[_Change],
    moved: set[int],
) -> Iterator[tuple[float, Respace, Respace, set[int]]]:
    """Each pair of ``changes`` that mends ``turn`` and strands no line at a turn it moves,
    with the looser of the two and the turns it moves."""
    for one, two in combinations(changes, 2):
        if one.item.owner == two.item.owner or one.delta + two.delta != 0:
            continue
        settings = {one.item.owner: one.setting, two.item.owner: two.setting}
        deltas = {one.item.owner: one.delta, two.item.owner: two.delta}
        pages = range(min(_pages(found[c.item.owner])[0][0] for c in (one, two)), max(one.last, two.last))
        crossed, good = set(), turn.page in pages
        for page in pages:
            shift = sum(c.delta for c in (one, two) if c.last <= page)  # the lines moved across
            at = every.get(page)
            if at is None:  # the turn falls between two blocks: only where nothing moves
                good = good and shift == 0
                continue
            if not shift and at.owner not in deltas:
                continue  # a turn the pair does not move
            before = at.before - shift
            after = at.before + at.after + deltas.get(at.owner, 0) - before
            lines = settings.get(at.owner, found[at.owner])
            # Two lines or more on each side; or the whole paragraph before the turn (a block
            # left at a page's foot, a heading, is never what moves there).
            good = good and before >= 2 and (after >= 2 or after == 0)
            good = good and before - 1 not in lines.hyphenated  # no word broken at the turn
            crossed.add(page)
        if good and turn.page in crossed and not crossed & moved:
            yield max(one.setting.loosest, two.setting.loosest), one.item, two.item, crossed


def _changes(
    found: Mapping[str, Paragraph],
    turn: Turn,
    tried: Mapping[str, Mapping[Respace, Paragraph]],
    taken: set[str],
) -> Iterator[_Change]:
    """The variants of the paragraphs near the turn (``NEAR``) that set them a line shorter or
    longer, with no runt and no loose line: each with its change in lines and its setting."""
    window = _window(turn)
    for owner, paragraph in found.items():
        pages = _pages(paragraph)
        if owner in taken or not (window[0] <= pages[0][0] and pages[-1][0] <= window[-1]):
            continue
        for item, setting in tried.get(owner, {}).items():
            delta = setting.lines - paragraph.lines
            # no runt, and no looser than the paragraph was (or than a loose line: compose.py)
            if delta in (-1, 1) and not setting.runt and setting.loosest <= max(LOOSEST, paragraph.loosest):
                yield _Change(item, delta, setting, pages[-1][0])


def _window(turn: Turn) -> range:
    """The pages around a turn where its mending lines may be."""
    return range(max(turn.page - NEAR, 0), turn.page + 2 + NEAR)


def _turns(found: Mapping[str, Paragraph]) -> dict[int, Turn]:
    """The page turns that fall inside a paragraph, by the page before them."""
    out = {}
    for owner, paragraph in found.items():
        parts = _pages(paragraph)
        for (page, before), (following, after) in zip(parts, parts[1:], strict=False):
            if following == page + 1:
                out[page] = Turn(page, owner, before, after)
    return out


def _pages(paragraph: Paragraph) -> list[tuple[int, int]]:
    """Lines per page, a page's pieces added up (an element holding several blocks)."""
    merged: dict[int, int] = {}
    for page, lines in paragraph.parts:
        merged[page] = merged.get(page, 0) + lines
    return sorted(merged.items())
