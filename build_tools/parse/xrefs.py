"""Cross-references: ``[text](#name)`` links to a place of the book, marked while each file is
parsed and resolved once the whole book is read.

A link whose address is ``#name`` is the author's: ``mark`` classes it ``xref`` and records
where it is written. At the end of the book-level parse ``resolve`` maps each name to the
element it means — the anchor ``{#name}`` first (element ``anchor-name``), else the element of
the book whose id is ``name`` (a section, a heading, a figure, a table, a note, an event: ids
the author gives are kept as written) — and points the link at it; a name that means nothing
is an error at the link. An empty link, ``[](#name)``, is a page reference (class
``xref-page``): it holds the target's title (a heading's words, a figure's or table's caption,
else the title of the section the target is in), which an EPUB without print pages shows;
print prints the target's page instead, and so does an EPUB laid out with it.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from lxml import etree

from build_tools import ids
from build_tools.errors import Location, ManuscriptError, nearest
from build_tools.markup import Fragment
from build_tools.model import Event, Part, Section

_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_CAPTIONS = {"figure": "figcaption", "table": "caption"}


@dataclass(frozen=True)
class XRef:
    """A cross-reference as written: the name after ``#`` and where it stands."""

    name: str
    location: Location


def mark(tree: etree._Element, text: str, where: Location, from_line: int = 0) -> tuple[XRef, ...]:
    """Class every ``#name`` link of ``tree`` as a cross-reference; return them, in order.

    ``text`` is the Markdown written from line ``where.line`` of ``where.file`` on (0: the
    line is not known); each link is looked for in it from line ``from_line`` of the file
    (a note: the line its definition starts on), after the link before it. A column is given
    when the text is the file's own (``where.line`` 1).
    """
    first = where.line or 1
    cursor = _line_start(text, from_line - first) if from_line > first else 0
    found = []
    for link in tree.iter("a"):
        href = link.get("href") or ""
        if not href.startswith("#") or link.get("data-note") is not None:
            continue
        classes = (link.get("class") or "").split()
        if not len(link) and not (link.text or "").strip():
            link.text = None
            classes.append(ids.PAGE_REF)
        link.set("class", " ".join([ids.XREF, *classes]))
        at = _written(text, href[1:], cursor)
        if at is None:
            found.append(XRef(href[1:], Location(where.file, where.line)))
            continue
        cursor = at + 1
        line = bisect.bisect_right(_line_starts(text), at) - 1
        column = at - text.rfind("\n", 0, at) if where.line == 1 else 0
        found.append(XRef(href[1:], Location(where.file, where.line + line if where.line else 0, column)))
    return tuple(found)


def _line_start(text: str, lines: int) -> int:
    """The index in ``text`` of the start of its line ``lines`` (from 0)."""
    starts = _line_starts(text)
    return starts[lines] if lines < len(starts) else 0


@functools.lru_cache(maxsize=4)
def _line_starts(text: str) -> tuple[int, ...]:
    """Where each line of ``text`` starts, found once per file: ``mark`` runs once per note,
    and counting a file's lines for each took minutes for 20,000 notes (issue 17). A str
    keeps its hash, so the cache costs no pass over the text."""
    return (0, *(found.end() for found in re.finditer("\n", text)))


def _written(text: str, name: str, start: int) -> int | None:
    """Where ``#name`` is written as a link's address (``](#name…`` or ``[ref]: #name``), at or
    after ``start``, else anywhere in ``text``; None if it is not found at all."""
    address = re.compile(r"\](?:\(\s*<?|:[ \t]*<?)(#" + re.escape(name) + r")(?![\w-])")
    found = address.search(text, start) or address.search(text)
    return found.start(1) if found else None


def resolve(
    sections: Sequence[Section], events: Sequence[Event], refs: Iterable[XRef], parts: Sequence[Part] = ()
) -> tuple[tuple[Section, ...], tuple[Event, ...]]:
    """The sections and events with every cross-reference pointed at its element and every
    page reference holding its target's title; an error at the first that names nothing."""
    refs = tuple(refs)
    if not refs:
        return tuple(sections), tuple(events)
    titles = _titles(sections, events, parts)
    for ref in refs:
        if _target(ref.name, titles) is None:
            raise ManuscriptError(_unknown(ref.name, titles), ref.location)

    def fix(fragment: Fragment) -> Fragment:
        return _pointed(fragment, titles)

    return (
        tuple(
            replace(
                s,
                heading=fix(s.heading),
                body=fix(s.body),
                notes=tuple(replace(n, body=fix(n.body)) for n in s.notes),
            )
            for s in sections
        ),
        tuple(replace(event, body=fix(event.body)) for event in events),
    )


def _target(name: str, titles: dict[str, str]) -> str | None:
    """The element id a name means: its anchor's, else its own."""
    for candidate in (ids.anchor(name), name):
        if candidate in titles:
            return candidate
    return None


def _unknown(name: str, titles: dict[str, str]) -> str:
    prefix = ids.anchor("")
    names = [key.removeprefix(prefix) for key in titles]
    close = nearest(name, names)
    hint = f" (did you mean #{close}?)" if close else ""
    return (
        f"link to #{name}: the book has no anchor {{#{name}}} and no heading, figure or table "
        f"with the id {name!r}{hint}"
    )


def _titles(sections: Sequence[Section], events: Sequence[Event], parts: Sequence[Part]) -> dict[str, str]:
    """Every element id a cross-reference may point at, with the title a page reference to it
    shows when no page is known. Index mentions are left out: print does not keep them."""
    found = {part.id: part.title for part in parts}
    for section in sections:
        found[section.id] = section.title
        for fragment in (section.heading, section.body, *(note.body for note in section.notes)):
            for element in fragment.tree().iter():
                element_id = element.get("id")
                if element_id and not ids.is_mention(element_id):
                    found[element_id] = _title_of(element) or section.title
        for note in section.notes:
            found[note.id] = section.title
    for event in events:
        found[ids.event(event.id)] = event.label
    return found


def _title_of(element: etree._Element) -> str:
    """A heading's words, the caption of a figure or a table (or of one the element is in)."""
    if element.tag in _HEADINGS:
        return _words(element)
    for holder in (element, *element.iterancestors()):
        caption = _CAPTIONS.get(str(holder.tag))
        if caption is not None:
            found = holder.find(caption)
            return _words(found) if found is not None else ""
    return ""


def _words(element: etree._Element) -> str:
    return " ".join("".join(str(piece) for piece in element.itertext()).split())


def _pointed(fragment: Fragment, titles: dict[str, str]) -> Fragment:
    """The fragment with its cross-references pointed at their elements (itself if it has none)."""
    if not fragment.has("a"):
        return fragment
    tree = fragment.tree()
    links = [a for a in tree.iter("a") if ids.XREF in (a.get("class") or "").split()]
    if not links:
        return fragment
    for link in links:
        target = _target((link.get("href") or "#")[1:], titles)
        if target is None:  # marked by a parse whose refs were not given: left as it is
            continue
        link.set("href", f"#{target}")
        if ids.PAGE_REF in (link.get("class") or "").split():
            link.text = titles[target]
    return Fragment(tree)
