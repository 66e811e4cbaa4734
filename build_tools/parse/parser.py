"""The parser's public names, where their importers find them: ``parse`` a manuscript, ``Parser`` one file."""

from __future__ import annotations

from build_tools.parse.book import ParsedBook, parse, parse_book
from build_tools.parse.chronology import ParsedChronology, parse_chronology
from build_tools.parse.section import ParsedInline, ParsedSection, Parser, manuscript_root
from build_tools.sources.limits import MAX_BRACKET_SCAN, MAX_DEPTH, MAX_PARAGRAPH

# The parse by stage: limits (checks of the raw text), convert (Markdown to a tree, with the
# extensions of mdext), blocks (titles and ids), section (one file, or inline text, to one
# immutable result), chronology (the chronology file) and book (the results assembled into the
# Book, and the checks across files).
__all__ = [
    "MAX_BRACKET_SCAN",
    "MAX_DEPTH",
    "MAX_PARAGRAPH",
    "ParsedBook",
    "ParsedChronology",
    "ParsedInline",
    "ParsedSection",
    "Parser",
    "manuscript_root",
    "parse",
    "parse_book",
    "parse_chronology",
]
