"""Parsing the chronology file: its events, with all that their Markdown holds, as one immutable result."""

from __future__ import annotations

from dataclasses import dataclass

from build_tools.errors import Diagnostic, Location
from build_tools.markup import Fragment
from build_tools.model import Event, Image, Mention, Query
from build_tools.parse.section import ParsedInline, Parser
from build_tools.parse.xrefs import XRef
from build_tools.sources import chronology as chronology_file
from build_tools.sources.manuscript import SourceFile


@dataclass(frozen=True)
class ParsedChronology:
    """The chronology parsed: its events, in date order, and what was found in them.

    ``mentions`` are numbered from the ``first_mention`` given, in the order the events are
    written in the file, up to ``next_mention``.
    """

    events: tuple[Event, ...]
    queries: tuple[Query, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    mentions: tuple[Mention, ...] = ()
    images: tuple[Image, ...] = ()
    next_mention: int = 1
    xrefs: tuple[XRef, ...] = ()


def parse_chronology(
    parser: Parser, source: SourceFile, anchors: dict[str, Location], first_mention: int = 1
) -> ParsedChronology:
    """The chronology file ``source``, its links checked against the ``anchors`` of the text."""
    entries: list[ParsedInline] = []

    def inline(text: str, where: Location) -> Fragment:
        start = entries[-1].next_mention if entries else first_mention
        entries.append(parser.inline(text, where, start))
        return entries[-1].body

    events, queries = chronology_file.load(source.path, source.text, inline, anchors)
    return ParsedChronology(
        events=events,
        queries=tuple(queries),
        diagnostics=tuple(d for entry in entries for d in entry.diagnostics),
        mentions=tuple(m for entry in entries for m in entry.mentions),
        images=tuple(i for entry in entries for i in entry.images),
        next_mention=entries[-1].next_mention if entries else first_mention,
        xrefs=tuple(x for entry in entries for x in entry.xrefs),
    )
