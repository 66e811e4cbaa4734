"""Breaks: a backslash at the end of a line breaks the line; a rule between paragraphs breaks
the section.

    Lines that must break\\
    where the author broke them.

    * * *

A ``\\`` as the last character of a line (not the paragraph's last) becomes ``<br/>``, as in
pandoc and CommonMark. A line of ``---``, ``***`` or ``* * *`` alone between paragraphs (a
blank line before it: right under a line of text, ``---`` makes that line a heading) is a
section break, ``<hr class="section-break"/>``: printed as space with a centred ornament, and the
paragraph after it starts flush left.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from build_tools.parse.mdext.inline import ElementPattern

LINE_BREAK = re.compile(r"\\\n")
SECTION_BREAK = "section-break"


class BreakExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's API)
        md.registerExtension(self)
        # After the escapes (180): "\\" then a newline is an escaped backslash, not a break.
        md.inlinePatterns.register(ElementPattern(LINE_BREAK, md, _line_break), "backslash_break", 105)
        md.treeprocessors.register(_SectionBreaks(md), "section_breaks", 15)


class _SectionBreaks(Treeprocessor):
    def run(self, root: ET.Element) -> None:
        for rule in root.iter("hr"):
            rule.set("class", SECTION_BREAK)


def _line_break(m: re.Match[str]) -> ET.Element:
    return ET.Element("br")
