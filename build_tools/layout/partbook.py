"""The book laid out in parts (``parts.py``): pass 1's parts, pass 2 as the one-document build
lays it out (``paginate.py``: the notes' running heads, the index's locators, the chronology
when two passages of an event share a page), and the pages joined into a PrintLayout whose
document is the parts' PDFs (``partwork.Joined``). Importing this module imports WeasyPrint.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import TYPE_CHECKING

from build_tools import ids
from build_tools.layout.folios import (
    Anchored,
    first_pages,
    folio_of,
    mention_pages,
    moved_facts,
    second_holds,
    second_pass,
)
from build_tools.layout.html import Facts, book_divisions
from build_tools.layout.parts import (
    PartPool,
    PartStore,
    PassOne,
    Plan,
    Unsettled,
    assembled,
    check_pages,
    lay_out_one,
    part_groups,
    part_keys,
    pass_one,
    task_maker,
)
from build_tools.layout.partwork import Joined, PartPages, PartTask, Piece, task_html
from build_tools.layout.settle import warn_split
from build_tools.model import Book, PageStart, PrintLayout

# The source's date in a part's HTML, which its PDF's metadata has: the joined PDF's are the
# first part's, so another part's pages hold whatever the date (an edit changes it).
_DATES = re.compile(r'<meta name="dcterms\.(?:created|modified)" content="[^"]*">')
PARTS_FROM = 40_000  # letters: a shorter book is laid out as one document (the essay has 53,000)

if TYPE_CHECKING:
    from build_tools.layout.weasy import Renderer


def lay_out_in_parts(
    book: Book,
    renderer: Renderer,
    setup: tuple[Path, str, float],
    family: str,
    jobs: int,
    store: PartStore,
) -> PrintLayout | None:
    """The book laid out in parts by ``jobs`` processes (``setup``: the styles folder, the
    printer's profile, the gutter), with the parts of earlier builds in ``store``; None if it
    is laid out as one document."""
    styles, profile, inside = setup
    if len(book.index_list) > 1:  # the contents prints the page of each: paginate.py
        return None
    elements = book_divisions(book, family, None)  # made once: each task's HTML takes copies
    groups, sizes, every = part_groups(elements)
    if sum(sizes) < PARTS_FROM:  # the workers' start would cost more than they save
        return None
    body_group = next(n for n, group in enumerate(groups) if book.first_body_id in group)
    signature = renderer.signature(inside)

    def keys(task: PartTask) -> tuple[str, str]:
        html = task_html(book, task, frozenset(), elements).html
        if ids.HALFTITLE not in task.names:  # only the first part's dates are the PDF's (join.py)
            html = _DATES.sub("", html)
        return part_keys(store.base, signature, task, html)

    counts = [store.plan.get(group) for group in groups]
    plan = Plan(groups, sizes, every, counts, body_group, store, keys)
    variant = renderer.profile.pdf_variant
    pool = PartPool(book, styles, profile, jobs)
    try:
        pass_one(plan, pool, task_maker(book, family, inside, variant))
        first = assembled(plan)
        chosen = renderer.profile
        if not check_pages(len(first.sheets), chosen.gutter_for, inside, chosen.title):
            return None
        final = _pass_two(book, plan, pool, first, (inside, variant))
        store.save_plan({group: plan.done[n].count for n, group in enumerate(groups)}, plan.printed())
    except (Unsettled, BrokenProcessPool):  # laid out as one document: slower, not otherwise
        return None
    finally:
        pool.close()
    if final is None:
        return None
    return _layout(book, *final)


def _pass_two(
    book: Book,
    plan: Plan,
    pool: PartPool,
    first: PassOne,
    drawing: tuple[float, str | None],
) -> tuple[list[PartPages], dict[str, int]] | None:
    """The parts of the book, pass 2's last, and the page of every mention (None: pass 2
    moved what the one-document build would lay out again as a whole)."""
    parts, sheets, pages = first.parts, first.sheets, first.pages
    inside, variant = drawing
    body = pages[book.first_body_id]
    if (planned := second_pass(book, sheets, (pages, first.mentions))) is None:
        return parts, first.mentions
    start, facts = planned

    def second_pass_of(facts: Facts) -> PartPages:
        task = PartTask((), folio_of(body)(start), {}, inside, (start, body), facts=facts, variant=variant)
        return lay_out_one(plan, pool, task)

    second = second_pass_of(facts)
    moved = mention_pages(first.places, first.texts[:start] + second.texts)
    if moved != first.mentions:  # the chronology laid out anew moved a name: its locator again
        second = second_pass_of(moved_facts(facts, moved, body))
    if not second_holds(book, pages, sheets, [Anchored(anchors) for anchors in second.anchors], start):
        return None  # the one-document build lays the whole book out again
    starts, _ = plan.starts()
    return [part for part, at in zip(parts, starts, strict=True) if at < start] + [second], moved


def _layout(book: Book, parts: Sequence[PartPages], mentions: dict[str, int]) -> PrintLayout:
    """The PrintLayout of the joined parts, and the warnings of their layouts logged."""
    sheets = [Anchored(anchors) for part in parts for anchors in part.anchors]
    texts = [text for part in parts for text in part.texts]
    pages = first_pages(sheets)
    first = pages[book.first_body_id]
    layout = PrintLayout((), {**pages, **mentions}, first)
    starts = tuple(PageStart(layout.label(index), *text.first) for index, text in enumerate(texts))
    resolutions, offset = [], 0
    for part in parts:
        resolutions += [(offset + index, href, ppi) for index, href, ppi in part.resolutions]
        for name, level, message in part.logged:
            logging.getLogger(name).log(level, "%s", message)
        warn_split(part.split, offset)  # where the part is now: it may have been laid out elsewhere
        offset += part.count
    joined = Joined(
        tuple(Piece(part.pdf, frozenset(n for a in part.anchors for n in a)) for part in parts),
        tuple(marks for part in parts for marks in part.bookmarks),
        tuple(height for part in parts for height in part.heights),
        tuple(resolutions),
        bool(parts[-1].anchors[-1]),
    )
    return PrintLayout(starts, layout.places, first, joined)
