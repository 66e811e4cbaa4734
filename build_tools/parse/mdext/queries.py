"""Editorial queries in CriticMarkup: ``{==text==}{>>query<<}`` and ``{>>query<<}``.

The highlighted text stays in the book (it is the author's, however doubtful); the query is
recorded in ``QueryExtension.queries`` with its file and line, so that the build can report it
and a release build can refuse to go ahead while any is open.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

from build_tools.errors import Location, ManuscriptError
from build_tools.model import Query
from build_tools.parse.mdext.inline import ElementPattern

# The text ends at the first "==}" and holds no "{==", the comment holds no "{>>": a line of
# many unclosed marks is then read in linear time (a plain ".+?", or a text that may hold
# "{==", rescans the rest of the line from each: 200 KB of "{==" took minutes, issue 17).
# A brace escaped as \{ is a brace printed (README), never the start of a query.
QUERY = re.compile(
    r"(?:(?<!\\)\{==(?P<text>(?:(?!==\}|\{==).)+)==\})?(?<!\\)\{>>(?P<comment>(?:(?!\{>>|<<\}).)+)<<\}"
)
_OPEN = re.compile(r"(?<!\\)\{>>|(?<!\\)\{==")


class QueryExtension(Extension):
    """Collects editorial queries per document; ``source`` names the file being converted."""

    def __init__(self, **kwargs: object) -> None:
        self.config = {"scan": [True, "record queries (off for text already scanned)"]}
        super().__init__(**kwargs)
        self.source = Path("<text>")
        self.queries: list[Query] = []

    def reset(self) -> None:
        self.queries = []

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's API)
        md.registerExtension(self)
        if self.getConfig("scan"):
            md.preprocessors.register(_QueryScanner(md, self), "query_scan", 40)
        md.inlinePatterns.register(ElementPattern(QUERY, md, _query), "query", 185)


class _QueryScanner(Preprocessor):
    """Records every query with its line before any other processing moves the text."""

    def __init__(self, md: Markdown, ext: QueryExtension) -> None:
        super().__init__(md)
        self.ext = ext

    def run(self, lines: list[str]) -> list[str]:
        for number, line in enumerate(lines, 1):
            found = list(QUERY.finditer(line))
            for match in found:
                self.ext.queries.append(
                    Query(
                        Location(self.ext.source, number, match.start() + 1),
                        match["comment"].strip(),
                        (match["text"] or "").strip(),
                    )
                )
            rest = QUERY.sub("", line)
            if opened := _OPEN.search(rest):
                raise ManuscriptError(
                    "unclosed editorial query: write {==text==}{>>query<<} or {>>query<<} on one line",
                    Location(self.ext.source, number, opened.start() + 1),
                )
        return lines


def _query(m: re.Match[str]) -> ET.Element:
    span = ET.Element("span")
    span.set("class", "query" if m["text"] else "query-mark")
    span.set("data-query", m["comment"].strip())
    span.text = m["text"] or ""
    return span
