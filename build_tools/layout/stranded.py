"""Widows and orphans mended as a compositor mends them (issue 16 item 4).

The print stylesheet sets ``orphans: 1; widows: 1``: every page of running text is full, so
facing pages end on one line of the grid. A page turn that leaves one line of a paragraph
alone (its first at the foot of a page, an orphan; its last at the top of the next, a widow) is
then mended by setting one paragraph of the two pages a line shorter and another a line longer
(``compose.VARIANTS``: spaces a little narrower or wider), so that the turn falls elsewhere in
the paragraph and the text after the second page stays where it was: the pages after are
untouched, and every turn of the book is mended in one layout. The paragraphs' line counts in
each variant come from the trial layout ``compose.trial_html`` already makes for runts.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

from build_tools.layout.boxes import Paragraph
from build_tools.layout.compose import LOOSEST, Respace


@dataclass(frozen=True)
class Turn:
    """A page turn that strands a line: the page before it (index), the paragraph across it,
    its lines before and after the turn."""

    page: int
    owner: str
    before: int
    after: int


def stranded(found: Mapping[str, Paragraph]) -> list[Turn]:
    """Every page turn that leaves one line of a paragraph alone on its page."""
    out = []
    for owner, paragraph in found.items():
        parts = _pages(paragraph)
        for (page, before), (following, after) in zip(parts, parts[1:], strict=False):
            if following == page + 1 and 1 in (before, after):
                out.append(Turn(page, owner, before, after))
    return out


def neighbours(found: Mapping[str, Paragraph], turns: Sequence[Turn]) -> dict[str, Paragraph]:
    """The paragraphs whose line counts could mend ``turns``: those on the turns' two pages."""
    pages = {page for turn in turns for page in (turn.page, turn.page + 1)}
    return {
        owner: paragraph
        for owner, paragraph in found.items()
        if {page for page, _ in paragraph.parts} & pages
    }


def mended(
    found: Mapping[str, Paragraph], turns: Sequence[Turn], tried: Mapping[str, Mapping[Respace, Paragraph]]
) -> frozenset[Respace]:
    """For each turn, the two variants (one a line shorter, one a line longer) that leave no
    line alone at it and move nothing after the page that follows, the least loose pair; a turn
    no pair mends is left as it is."""
    out: set[Respace] = set()
    taken: set[str] = set()
    for turn in turns:
        best = min(_pairs(found, turn, _changes(found, turn, tried, taken)), default=None)
        if best is not None:
            _, first, second = best
            out |= {first, second}
            taken |= {first.owner, second.owner}
    return frozenset(out)


def _pairs(
    found: Mapping[str, Paragraph], turn: Turn, choices: Iterable[tuple[Respace, int, float]]
) -> Iterator[tuple[float, Respace, Respace]]:
    """Each pair of ``choices`` (``_changes``) that mends ``turn``, with the looser of the two."""
    for (first, one, loosest_one), (second, two, loosest_two) in combinations(choices, 2):
        if first.owner == second.owner or one + two != 0:
            continue
        shift = sum(
            delta for item, delta in ((first, one), (second, two)) if _wholly_on(found, item, turn.page)
        )
        own = sum(delta for item, delta in ((first, one), (second, two)) if item.owner == turn.owner)
        before = turn.before - shift
        after = turn.before + turn.after + own - before
        if before >= 0 and after >= 0 and 1 not in (before, after):
            yield max(loosest_one, loosest_two), first, second


def _changes(
    found: Mapping[str, Paragraph],
    turn: Turn,
    tried: Mapping[str, Mapping[Respace, Paragraph]],
    taken: set[str],
) -> Iterator[tuple[Respace, int, float]]:
    """The variants of the turn's paragraph and of those wholly on its two pages (before it on
    the first, after it on the second) that set them a line shorter or longer, with no runt
    and no loose line: each with its change in lines and its loosest space."""
    for owner, paragraph in found.items():
        pages = _pages(paragraph)
        if owner in taken or not (
            owner == turn.owner or (len(pages) == 1 and pages[0][0] in (turn.page, turn.page + 1))
        ):
            continue
        for item, setting in tried.get(owner, {}).items():
            delta = setting.lines - paragraph.lines
            # no runt, and no looser than the paragraph was (or than a loose line: compose.py)
            if delta in (-1, 1) and not setting.runt and setting.loosest <= max(LOOSEST, paragraph.loosest):
                yield item, delta, setting.loosest


def _wholly_on(found: Mapping[str, Paragraph], item: Respace, page: int) -> bool:
    pages = _pages(found[item.owner])
    return len(pages) == 1 and pages[0][0] == page


def _pages(paragraph: Paragraph) -> list[tuple[int, int]]:
    """Lines per page, a page's pieces added up (an element holding several blocks)."""
    merged: dict[int, int] = {}
    for page, lines in paragraph.parts:
        merged[page] = merged.get(page, 0) + lines
    return sorted(merged.items())
