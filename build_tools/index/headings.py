"""Index headings as printed: their inline Markdown (a work's title in italics, small caps)
made XHTML once, for both writers, and their text for sorting.

A heading is written in the names file as inline Markdown (``"*La Lutte de classes*"``,
``"[Reclus]{.smallcaps}"``); the entry keeps the words (``heading``: what is sorted, what a
*See* names) and the markup (``markup``: what the writers print). A work's heading is set in
italics whatever its markup, as titles are in the text: an author names the work, the index
sets it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from html import escape

from build_tools.errors import Location
from build_tools.model import CrossRef, NameEntry, SubEntry
from build_tools.sources.names import Names

# Inline Markdown -> (its text, its XHTML): the parser's converter, without name tagging.
Render = Callable[[str, Location], tuple[str, str]]
ITALIC_KINDS = frozenset({"work", "periodical"})


def rendered(names: Names, render: Render) -> Names:
    """``names`` with every heading's text and markup; a sort form left as the heading was
    written becomes the heading's text (the asterisks of ``*Clarté*`` are not sorted)."""
    entries = tuple(_entry(entry, render) for entry in names.entries)
    refs = tuple(_cross_ref(ref, render) for ref in names.cross_refs)
    return replace(names, entries=entries, cross_refs=refs)


def _entry(entry: NameEntry, render: Render) -> NameEntry:
    text, markup = render(entry.heading, entry.location)
    if entry.kind in ITALIC_KINDS and not markup.startswith(("<i>", "<em>")):
        markup = f"<i>{markup}</i>"
    subs = tuple(_sub(sub, render, entry.location) for sub in entry.subentries)
    sort = text if entry.sort == entry.heading else entry.sort
    return replace(entry, heading=text, sort=sort, markup=markup, subentries=subs)


def _sub(sub: SubEntry, render: Render, where: Location) -> SubEntry:
    text, markup = render(sub.heading, where)
    sort = text if sub.sort == sub.heading else sub.sort
    return replace(sub, heading=text, sort=sort, markup=markup)


def _cross_ref(ref: CrossRef, render: Render) -> CrossRef:
    text, markup = render(ref.heading, ref.location)
    return replace(ref, heading=text, markup=markup)


def markup_of(heading: str, markup: str) -> str:
    """The XHTML to print for a heading: its markup, else its escaped text."""
    return markup or escape(heading)
