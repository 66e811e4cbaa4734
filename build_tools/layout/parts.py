"""The book laid out in parts, in parallel processes, and joined (issue 18 item 1).

Every division of the book opens on a recto, so its pages depend on nothing before it but the
folio of its first page, and on nothing else in the book but the pages its page references
and contents print (``settle.py``): each is laid out as a document of its own
(``partwork.py``) by ``jobs`` worker processes, the half title to the contents as one part.
What a part cannot know until the parts before it are laid out, its first folio and the pages
of targets in other parts, comes from a plan: the page counts of the parts finished so far,
the others estimated from their length (or the previous build's counts). A part whose plan
proved wrong is laid out again: once with its settled keeps if only its folio moved (the same
pages, other numbers), from the start if a page it prints changed; until no plan is wrong.
Pass 2 (the notes' running heads, the index's locators) is laid out as the one-document build
lays it out (``paginate.py``), and the parts' PDFs are joined (``writers/pdf/join.py``). The
result has the pages of the one-document build (``--jobs 1``), which tests compare page by
page. A proof, a book with two indexes, and a book whose page count asks for another gutter
are laid out as one document (None here). Importing this module imports no WeasyPrint.
"""

from __future__ import annotations

import hashlib
import logging
import multiprocessing
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from lxml import etree

from build_tools import ids
from build_tools.errors import BookError
from build_tools.layout.folios import Anchored, first_pages, labels, mention_pages
from build_tools.layout.trialpool import start_worker, stop, worker_renderer
from build_tools.model import Book
from build_tools.textpos import Place

if TYPE_CHECKING:
    from build_tools.layout.boxes import PageText
    from build_tools.layout.partwork import PartPages, PartTask
    from build_tools.layout.settle import Keeps

Names = tuple[str, ...]  # the ids of a part's divisions
MAX_ROUNDS = 4  # of layouts again, after which a plan that is still wrong gives up
UNKNOWN = "0"  # the page printed for a target whose part is not yet laid out
_log = logging.getLogger(__name__)


def part_groups(
    elements: Sequence[etree._Element],
) -> tuple[list[tuple[str, ...]], list[int], frozenset[str]]:
    """The parts of pass 1 (``elements``: the book's divisions, ``html.book_divisions``): the
    half title to the contents, then each division; the length of each (letters), and every
    element id of the book."""
    names = [str(element.get("id")) for element in elements]
    front = names.index(ids.CONTENTS) + 1
    groups = [tuple(names[:front]), *((name,) for name in names[front:])]
    sizes = [0] * len(groups)
    for number, element in enumerate(elements):
        sizes[max(0, number - front + 1)] += sum(len(str(text)) for text in element.itertext())
    every = frozenset(str(e.get("id")) for element in elements for e in element.iter() if e.get("id"))
    return groups, sizes, every


class PartStore(Protocol):
    """Parts laid out by earlier builds (``writers/pdf/partcache.py``), by ``part_keys``, the
    keeps each HTML settled on, and the last build's plan."""

    base: str  # what every part depends on: the toolchain, the styles, the pictures, the printer
    plan: dict[tuple[str, ...], int]
    labels: dict[str, str]

    def get(self, key: str, task: PartTask) -> PartPages | None: ...

    def put(self, key: str, part: PartPages) -> None: ...

    def keeps(self, key: str) -> Keeps | None: ...

    def put_keeps(self, key: str, keeps: Keeps) -> None: ...

    def save_plan(self, counts: dict[tuple[str, ...], int], labels: dict[str, str]) -> None: ...


class NoStore:
    """No earlier build: every part is laid out."""

    def __init__(self) -> None:
        self.base = ""
        self.plan: dict[tuple[str, ...], int] = {}
        self.labels: dict[str, str] = {}

    def get(self, key: str, task: PartTask) -> PartPages | None:
        return None

    def put(self, key: str, part: PartPages) -> None:
        pass

    def keeps(self, key: str) -> Keeps | None:
        return None

    def put_keeps(self, key: str, keeps: Keeps) -> None:
        pass

    def save_plan(self, counts: dict[tuple[str, ...], int], labels: dict[str, str]) -> None:
        pass


def part_keys(base: str, signature: str, task: PartTask, html: str) -> tuple[str, str]:
    """The key of a part's pages: what they depend on besides the toolchain, styles and
    pictures (``base``): the renderer's page, fonts and styles (``signature``), the part's print
    HTML (the pages it prints written in), its first folio and place; and the key of its HTML
    alone, whose keeps hold wherever the part is placed."""
    text = hashlib.sha256(f"{base}\n{signature}\n{task.variant}\n{html}".encode()).hexdigest()
    full = hashlib.sha256(f"{text}\n{task.folio}\n{task.place}\n{task.inside}".encode()).hexdigest()
    return full, text


class PartPool:
    """``jobs`` spawned worker processes that lay out parts as the main process's renderer
    would (``trialpool.start_worker``)."""

    def __init__(self, book: Book, styles: Path, profile: str, jobs: int) -> None:
        context = multiprocessing.get_context("spawn")
        self.size = jobs
        # A worker lays out every part it is given: WeasyPrint's leak that made it grow by
        # 19 MiB a part is mended (``textattrs.py``), and ``max_tasks_per_child``, which
        # replaced it after a few, can leave Python 3.11's executor with no worker and the
        # build waiting for ever (CPython gh-115634: a stale idle token; it happened here).
        self.pool = ProcessPoolExecutor(
            jobs, mp_context=context, initializer=start_worker, initargs=(book, styles, profile, False)
        )

    def submit(self, task: PartTask) -> Future[PartPages]:
        return self.pool.submit(_work, task)

    def close(self) -> None:
        """Stop the workers, whatever they are laying out."""
        stop(self.pool)


def _work(task: PartTask) -> PartPages:
    from build_tools.layout.partwork import lay_out_part

    return lay_out_part(worker_renderer(), task, capture=True)


@dataclass
class Plan:
    """Pass 1's parts, their page counts (laid out or estimated) and their layouts so far."""

    groups: list[tuple[str, ...]]
    sizes: list[int]
    every: frozenset[str]
    counts: list[int | None]  # the previous build's, where it had the part (None: estimated)
    body_group: int
    store: PartStore
    keys: Callable[[PartTask], tuple[str, str]]  # a task's key, and its HTML's (``part_keys``)
    done: dict[int, PartPages] = field(default_factory=dict)

    def estimate(self, group: int) -> int:
        """The pages of a part not yet laid out: as many per letter as the body's parts laid
        out so far have (two pages at least; a part takes an even count, ending on a verso)."""
        laid = [n for n in self.done if n >= self.body_group and self.sizes[n]]
        letters = sum(self.sizes[n] for n in laid)
        per_letter = sum(self.done[n].count for n in laid) / letters if letters else 1 / 1800
        return max(2, 2 * round(self.sizes[group] * per_letter / 2))

    def starts(self) -> tuple[list[int], int]:
        """The index of each part's first page, and of the body's first page."""
        starts, at = [], 0
        for group, count in enumerate(self.counts):
            starts.append(at)
            at += self.done[group].count if group in self.done else count or self.estimate(group)
        return starts, starts[self.body_group]

    def printed(self) -> dict[str, str]:
        """The folio printed on the page of each element id of the parts laid out."""
        starts, body = self.starts()
        pages: dict[str, int] = {}
        for group, part in self.done.items():
            for index, anchors in enumerate(part.anchors):
                for name in anchors:
                    pages.setdefault(name, starts[group] + index)
        return labels(pages, body)


def folio(start: int, body: int) -> int:
    """The counter of a part's first page: roman before the body (1 at the half title)."""
    return start + 1 if start < body else start - body + 1


def pass_one(
    plan: Plan, pool: PartPool, make: Callable[[int, Plan, PartPages | None], PartTask | None]
) -> None:
    """Lay out every part until each was laid out where the plan now puts it: ``make`` is the
    task of a part (None: its layout holds)."""
    order = [*range(1, len(plan.groups)), 0]  # the contents last: it prints every part's page
    for _ in range(MAX_ROUNDS):
        todo = [group for group in order if make(group, plan, plan.done.get(group)) is not None]
        if not todo:
            return
        _run(plan, pool, todo, make)
    raise Unsettled()


def _run(
    plan: Plan,
    pool: PartPool,
    todo: Sequence[int],
    make: Callable[[int, Plan, PartPages | None], PartTask | None],
) -> None:
    """The parts ``todo`` laid out by the pool, in order, ``pool.size`` at a time, or taken from
    the plan's store: each task is made when it is sent, from the plan as it then is."""
    pending = list(todo)
    running: dict[Future[PartPages], tuple[int, tuple[str, str]]] = {}
    while pending or running:
        while pending and len(running) < pool.size:
            group = pending.pop(0)
            task = make(group, plan, plan.done.get(group))
            if task is None:
                continue
            keys = plan.keys(task)
            if (kept := plan.store.get(keys[0], task)) is not None:
                plan.done[group] = kept
                continue
            if task.keeps is None and (settled := plan.store.keeps(keys[1])) is not None:
                task = replace(task, keeps=settled)  # its folio moved, nothing else
            running[pool.submit(task)] = (group, keys)
        if not running:
            continue
        finished, _ = wait(running, return_when=FIRST_COMPLETED)
        for future in finished:
            group, (key, text_key) = running.pop(future)
            plan.done[group] = future.result()
            plan.store.put(key, plan.done[group])
            plan.store.put_keeps(text_key, plan.done[group].keeps)


def lay_out_one(plan: Plan, pool: PartPool, task: PartTask) -> PartPages:
    """One part (pass 2's) laid out by the pool, or taken from the plan's store."""
    key, text_key = plan.keys(task)
    if (kept := plan.store.get(key, task)) is not None:
        return kept
    part = pool.submit(task).result()
    plan.store.put(key, part)
    plan.store.put_keeps(text_key, part.keeps)
    return part


class Unsettled(Exception):
    """The plan was still wrong after ``MAX_ROUNDS`` rounds."""


def task_maker(
    book: Book, family: str, inside: float, variant: str | None
) -> Callable[[int, Plan, PartPages | None], PartTask | None]:
    """What a part's layout is now, given the plan and its last layout (None: that holds)."""
    from build_tools.layout.partwork import PartTask

    def make(group: int, plan: Plan, last: PartPages | None) -> PartTask | None:
        starts, body = plan.starts()
        printed = plan.printed()
        earlier = plan.store.labels  # the last build's, for parts not yet laid out
        known = {name: printed.get(name) or earlier.get(name, UNKNOWN) for name in plan.every}
        where = (starts[group], body)
        task = PartTask(plan.groups[group], folio(*where), known, inside, where, family, None, None, variant)
        if last is None or _pages_moved(last, known, printed):
            return task
        if (last.task.folio, last.task.place) != (task.folio, task.place):
            return PartTask(task.names, task.folio, known, inside, where, family, last.keeps, None, variant)
        return None  # the same pages, wherever the pages before it put them

    return make


def _pages_moved(last: PartPages, known: Mapping[str, str], printed: Mapping[str, str]) -> bool:
    """Whether a page the part prints (a page reference's, the contents') is not the one its
    last layout printed: a target outside it as ``known`` now has it, one inside where its
    own pages now are."""
    own = {name for anchors in last.anchors for name in anchors}
    for target in last.targets:
        then = _own_label(last, target) if target in own else last.task.known.get(target, UNKNOWN)
        if then != (printed.get(target, UNKNOWN) if target in own else known.get(target, UNKNOWN)):
            return True
    return False


def _own_label(part: PartPages, target: str) -> str:
    start, body = part.task.before
    for index, anchors in enumerate(part.anchors):
        if target in anchors:
            return labels({target: start + index}, body)[target]
    return UNKNOWN


@dataclass(frozen=True)
class PassOne:
    """Pass 1's parts in order, their pages, the pages' texts, the places of the index's
    mentions, the first page of every element id and the page of every mention."""

    parts: list[PartPages]
    sheets: list[Anchored]
    texts: list[PageText]
    places: dict[str, Place]
    pages: dict[str, int]
    mentions: dict[str, int]


def assembled(plan: Plan) -> PassOne:
    """Pass 1, its parts laid out."""
    parts = [plan.done[group] for group in range(len(plan.groups))]
    sheets = [Anchored(anchors) for part in parts for anchors in part.anchors]
    texts = [text for part in parts for text in part.texts]
    places = {key: place for part in parts for key, place in part.mentions.items()}
    return PassOne(parts, sheets, texts, places, first_pages(sheets), mention_pages(places, texts))


def check_pages(count: int, profile_gutter: Callable[[int], float | None], inside: float, title: str) -> bool:
    """Whether ``count`` pages keep the gutter ``inside`` (False: another one, laid out as one
    document); more pages than the printer prints is an error."""
    needed = profile_gutter(count)
    if needed is None:
        raise BookError(f"{count} pages is more than {title} prints")
    return needed <= inside
