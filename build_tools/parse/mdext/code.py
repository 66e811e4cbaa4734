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
_CODE_SPAN = re.compile(r"(`+).+?\1")


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
    """The line with each code span blanked (same length: columns stay right)."""
    return _CODE_SPAN.sub(lambda m: " " * len(m[0]), line)


def prose_lines(lines: list[str]) -> list[str]:
    """The lines with code blanked: code lines empty, code spans spaces."""
    return [
        "" if code else without_code_spans(line) for line, code in zip(lines, code_lines(lines), strict=True)
    ]
