"""Checks of the raw text before and after conversion: size and nesting limits, raw HTML, links."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

from build_tools.errors import Diagnostic, Location, ManuscriptError

if TYPE_CHECKING:  # the names file checks its headings here, and the manuscript reads names
    from build_tools.sources.manuscript import SourceFile

MAX_PARAGRAPH = 200_000
MAX_BRACKET_SCAN = 2_000_000
MAX_DEPTH = 16
MAX_MARKS = 20_000
# Python-Markdown converts each emphasis inside another by recursion: 988 levels exhausted
# Python's stack (an error without a line, convert.py); real text nests two or three.
MAX_EMPHASIS = 100

_MARK = re.compile(r"[`*_\[{<&\\]")  # what may open an inline element: each one found, one element

# What opens a level on a line: a quote's mark, a list item's, a note's definition (each may
# follow another: "[^a]: > > - x" is three deep; 24 marks after a note's took 8 s, issue 17).
_QUOTE_MARK = re.compile(r"( *)(?:>|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t])|\[\^[^\[\]\s]+\]:)")
_RAW_HTML = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(\s[^<>]*)?/?>")
_ACTIVE_HTML = re.compile(
    r"</?(script|iframe|object|embed|frame|frameset|applet)\b"
    r"|<[A-Za-z][^<>]*?[\s/\"'](on[a-z]+)\s*=[^<>]*>"
    r"|<[A-Za-z][^<>]*?(javascript|vbscript)\s*:[^<>]*>",
    re.IGNORECASE,
)
# Links may go to the web, to an address or to a place in the book; nothing else (RFC 3986
# scheme). ``javascript:`` in an EPUB would be a script.
LINK_SCHEMES = ("http", "https", "mailto", "ftp", "tel")
_SCHEME = re.compile(r"^\s*([A-Za-z][A-Za-z0-9+.-]*):")


def check_limits(text: str, path: Path, first_line: int = 1) -> None:
    """Refuse, with its line, input the book cannot hold, before it is converted.

    That is a paragraph longer than ``MAX_PARAGRAPH`` characters (Python-Markdown's inline
    processing grows with the square of a paragraph's length: 0.5 MB of text with emphasis
    takes seconds, 2 MB minutes), one whose brackets make Python-Markdown read more than
    ``MAX_BRACKET_SCAN`` characters looking for their ends (an unclosed ``[`` or ``](`` is
    looked for to the paragraph's end: 5,000 of them take over ten seconds; real text reads a
    few characters per bracket) and nesting of lists and block quotes deeper than
    ``MAX_DEPTH`` (deeper nesting exhausts Python's recursion limit, and XML parsers refuse
    trees over 256 deep), and a paragraph of more than ``MAX_MARKS`` characters that may open
    an inline element (each element found copies the rest of the paragraph: 200 KB of ``\\``
    took 17 s, of `` ` ` `` 9 s, issue 17; a backslash counts twice, as ``\\.`` is one element
    of two characters, and the 200 KB of prose with four elements in every 80 characters that
    test_limits.py builds has 15,000). ``first_line`` is the line of ``path`` the text starts
    at (0: unknown).
    """

    def where(index: int) -> Location:
        return Location(path, first_line + index if first_line else 0)

    lines = text.split("\n")
    for number, line in enumerate(lines):
        if (depth := _depth(line)) > MAX_DEPTH:
            raise ManuscriptError(
                f"lists or block quotes nested {depth} levels deep; the limit is {MAX_DEPTH}",
                where(number),
            )
    for start, paragraph in _paragraphs(lines):
        if len(paragraph) > MAX_PARAGRAPH:
            raise ManuscriptError(
                f"a paragraph of more than {MAX_PARAGRAPH:,} characters: split it with blank "
                "lines (the limit keeps conversion time reasonable)",
                where(start),
            )
        if _bracket_scan(paragraph) > MAX_BRACKET_SCAN:
            raise ManuscriptError(
                "a paragraph with many '[' or '](' never closed (or nested very deeply): close "
                "them or split the paragraph (each one is looked for to the paragraph's end)",
                where(start),
            )
        if len(_MARK.findall(paragraph)) + paragraph.count("\\") > MAX_MARKS:
            raise ManuscriptError(
                f"a paragraph with more than {MAX_MARKS:,} marks of Markdown (* _ ` [ {{ < & \\): "
                "split it with blank lines (the limit keeps conversion time reasonable)",
                where(start),
            )
        depth, offset = _emphasis_depth(paragraph)
        if depth > MAX_EMPHASIS:
            raise ManuscriptError(
                f"emphasis nested {depth} levels deep (* and _ opened inside one another); the "
                f"limit is {MAX_EMPHASIS}: close them",
                where(start + paragraph.count("\n", 0, offset)),
            )


def _emphasis_depth(paragraph: str) -> tuple[int, int]:
    """How deep the paragraph's emphasis nests, and where it is deepest: its runs of ``*``
    and ``_`` paired as CommonMark flanks them (an opener followed by text, a closer preceded
    by it; an ``_`` within a word neither), a closer pairing with the last opener of its mark
    (those opened after it never close), a pair of runs of n marks n/2 levels. Openers never
    closed nest nothing (a paragraph of ``_name`` words converts flat). Linear in the runs:
    each opener is found by its mark's stack, and the pairs, nested or apart, are summed once."""
    openers: list[tuple[int, int]] = []  # where each open run starts, and its length
    last: dict[str, list[int]] = {"*": [], "_": []}  # each mark's openers, by index in openers
    pairs: list[tuple[int, int]] = []  # (where, levels opened there or closed: negative)
    for run in _EMPHASIS_RUN.finditer(paragraph):
        mark, start, end = run[0][0], run.start(), run.end()
        opens = end < len(paragraph) and not paragraph[end].isspace()
        closes = start > 0 and not paragraph[start - 1].isspace()
        if opens and closes and mark == "_":
            continue
        if closes and last[mark]:
            cut = last[mark][-1]
            where, length = openers[cut]
            levels = (min(length, end - start) + 1) // 2
            pairs += [(where, levels), (start, -levels)]
            del openers[cut:]
            for stack in last.values():
                while stack and stack[-1] >= cut:
                    stack.pop()
        elif opens:
            last[mark].append(len(openers))
            openers.append((start, end - start))
    deepest = depth = at = 0
    for where, levels in sorted(pairs):
        depth += levels
        if depth > deepest:
            deepest, at = depth, where
    return deepest, at


_EMPHASIS_RUN = re.compile(r"\*+|_+")


def _paragraphs(lines: list[str]) -> Iterator[tuple[int, str]]:
    """Each run of lines without a blank one (a lone '>' counts as blank), with its first index."""
    start = 0
    for number, line in enumerate([*lines, ""]):
        if not line.strip(" \t>"):
            if number > start:
                yield start, "\n".join(lines[start:number])
            start = number + 1


def _bracket_scan(paragraph: str) -> int:
    """How many characters Python-Markdown reads looking for the end of each '[' and '](' ."""
    total = 0
    for opening, closing, after in (("[", "]", ""), ("(", ")", "]")):
        opened: list[int] = []
        for found in re.finditer(rf"\{opening}|\{closing}", paragraph):
            if found[0] == opening:
                opened.append(found.start())
            elif opened:
                start = opened.pop()
                total += found.start() - start if paragraph.endswith(after, 0, start) else 0
        total += sum(len(paragraph) - s for s in opened if paragraph.endswith(after, 0, s))
    return total


def _depth(line: str) -> int:
    """How deep a line is nested: its block-quote, list and note marks and its indentation in
    steps of four."""
    line = line.expandtabs(4)
    depth = start = 0
    # Matched in place, not on the rest cut off each time: 100,000 '> ' took 2 s copying.
    while found := _QUOTE_MARK.match(line, start):
        # A list's or a note's mark opens the level its next lines are indented to: counted
        # as they are (in steps of four), not here.
        depth += len(found[1]) // 4 + (found[0].endswith(">"))
        start = found.end() + line.startswith(" ", found.end())
    rest = line[start:]
    return depth + (len(rest) - len(rest.lstrip(" "))) // 4


def raw_html_warnings(source: SourceFile) -> tuple[Diagnostic, ...]:
    """A warning for each line with raw HTML (it is printed as text), outside code.

    The tags that would script a page or embed another (``<script>``, ``<iframe>``,
    ``<object>``, ``<embed>``, any ``on…=`` event attribute, a ``javascript:`` URL) are errors:
    the EPUB never becomes scripted.
    """
    found: list[Diagnostic] = []
    in_fence = False
    for number, line in enumerate(source.text.splitlines(), 1):
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
        text = re.sub(r"`[^`]*`", lambda m: " " * len(m[0]), line)
        if not in_fence and (active := _ACTIVE_HTML.search(text)):
            raise ManuscriptError(
                f"raw HTML with {_active_what(active)} is not allowed in a book (it would run "
                "a script or embed another page); remove it, or put it in `code` to show it",
                Location(source.path, number, active.start() + 1),
            )
        if not in_fence and (tag := _RAW_HTML.search(text)):
            found.append(
                Diagnostic(
                    Location(source.path, number, tag.start() + 1),
                    "raw-html",
                    f"raw HTML is not allowed in the manuscript and is printed as text: {tag[0][:40]}",
                    tag[0],
                )
            )
    return tuple(found)


def _active_what(found: re.Match[str]) -> str:
    if found[1]:
        return f"<{found[1].lower()}>"
    if found[2]:
        return f"the event attribute {found[2].lower()}="
    return f"a {found[3].lower()}: URL"


def check_links(tree: etree._Element, text: str, where: Location) -> None:
    """Links go to the web, to an address or within the book: never to a script.

    ``text`` is the Markdown ``tree`` was converted from, starting at ``where``: the error
    names the line the link is written on.
    """
    for link in tree.iter("a"):
        href = link.get("href") or ""
        scheme = _SCHEME.match(href)
        if scheme and scheme[1].lower() not in LINK_SCHEMES:
            lines = text.splitlines()
            found = next((n for n, line in enumerate(lines) if href in line), None)
            line = where.line + found if where.line and found is not None else where.line
            raise ManuscriptError(
                f"link to {href[:60]!r}: a book links only to {', '.join(LINK_SCHEMES)} addresses",
                Location(where.file, line),
            )
