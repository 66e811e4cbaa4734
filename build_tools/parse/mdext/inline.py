"""The one kind of inline pattern our extensions add: each match becomes one element."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable

from markdown import Markdown
from markdown.inlinepatterns import InlineProcessor


class ElementPattern(InlineProcessor):
    """Replaces every match of ``pattern`` with the element ``make`` builds from it."""

    def __init__(
        self, pattern: re.Pattern[str], md: Markdown, make: Callable[[re.Match[str]], ET.Element]
    ) -> None:
        super().__init__(pattern.pattern, md)
        self.make = make

    # Python-Markdown's InlineProcessor.handleMatch takes (m, data) where its base Pattern's
    # takes (m): types-Markdown declares InlineProcessor's with this same ignore, and every
    # override of it inherits the mismatch with Pattern. The one override is here.
    def handleMatch(  # type: ignore[override]  # noqa: N802 (Python-Markdown's API)
        self, m: re.Match[str], data: str
    ) -> tuple[ET.Element, int, int]:
        return self.make(m), m.start(0), m.end(0)
