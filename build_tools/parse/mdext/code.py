"""Where a Markdown text holds code, which no extension reads its marks in.

Python-Markdown never runs inline patterns inside code, so a scanner that reads the raw lines
(for the line and column of a mark) must skip the same places: fenced blocks (between lines of
```` ``` ```` or ``~~~``, kept as code here, though Python-Markdown without ``fenced_code`` makes
them code spans), indented code blocks, and code spans inside a line.

An indented block is code when a blank line comes before it and it does not continue a list
item or a note definition (Python-Markdown's ``ListIndentProcessor`` and our notes take those
first); the lines of a fenced div (``::: verse`` … ``:::``) are its content, never code.
"""

from __future__ import annotations

import re

FENCE = re.compile(r"^\s{0,3}(```|~~~)")
DIV = re.compile(r"^(?:[ \t]*>[ \t]?)*[ \t]*:::(?P<kind>.*)$")
_CONTAINER = re.compile(r"^\s{0,3}(?:[-*+]|\d{1,9}[.)])[ \t]|^\[\^[^\[\]\s]+\]:")
_TICKS = re.compile(r"`+")


def code_lines(lines: list[str]) -> list[bool]:
    """For each line, whether it is code (a fence line, a line inside a fence, or a line of an
    indented code block)."""
    code = [False] * len(lines)
    fence = ""
    in_div = in_code = container = False
    blank_before = True
    for number, line in enumerate(lines):
        if fence:
            code[number] = True
            fence = "" if line.strip().startswith(fence) else fence
            continue
        if found := FENCE.match(line):
            code[number], fence = True, found[1]
            continue
        if found := DIV.match(line):
            in_div = bool(found["kind"].strip())  # "::: verse" opens, ":::" closes
            blank_before, in_code = False, False
            continue
        if in_div:
            continue
        if not line.strip():
            blank_before = True
            continue
        if line.startswith(("    ", "\t")):
            in_code = in_code or (blank_before and not container)
            code[number] = in_code
        else:
            in_code = False
            container = bool(_CONTAINER.match(line)) or (container and not blank_before)
        blank_before = False
    return code


def without_code_spans(line: str) -> str:
    """The line with each code span blanked (same length: columns stay right).

    A span opens at a run of backticks and closes at the next run of as many (CommonMark
    §6.1); a run that no later one matches is text. Each run's match is looked up, never
    searched for: the regex ``(`+).+?\\1`` this replaces took 41 s on 10,000 backticks
    (it tries every shorter run at every start, issue 17).
    """
    runs = [(found.start(), found.end()) for found in _TICKS.finditer(line)]
    following: list[int | None] = [None] * len(runs)  # the next run of the same length
    last: dict[int, int] = {}
    for index in range(len(runs) - 1, -1, -1):
        length = runs[index][1] - runs[index][0]
        following[index], last[length] = last.get(length), index
    pieces, kept, index = [], 0, 0
    while index < len(runs):
        closing = following[index]
        if closing is None:
            index += 1
            continue
        start, end = runs[index][0], runs[closing][1]
        pieces += [line[kept:start], " " * (end - start)]
        kept, index = end, closing + 1
    return "".join([*pieces, line[kept:]])


def prose_lines(lines: list[str]) -> list[str]:
    """The lines with code blanked: code lines empty, code spans spaces."""
    return [
        "" if code else without_code_spans(line) for line, code in zip(lines, code_lines(lines), strict=True)
    ]
