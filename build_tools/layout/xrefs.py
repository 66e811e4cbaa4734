"""Page references in print: an empty cross-reference, ``[](#name)``, prints its target's page.

The link is emptied (its title is for an EPUB without pages) and ``print.css`` prints
``target-counter()`` after it: WeasyPrint resolves it in the same layout, lower-case roman for
a target in the front matter. A document that does not hold the target (the notes laid out
again in pass 2) gets the page pass 1 gave it, written in.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import tinycss2
from lxml import etree

from build_tools import ids
from build_tools.model import Book

KNOWN = "xref-page-known"
ROMAN = "roman"


def page_refs(root: etree._Element, book: Book, known: Mapping[str, str] | None = None) -> None:
    """Empty the page references of the print document ``root``; ``known`` gives the printed
    page of the targets that ``root`` does not hold (None: every target is in ``root``)."""
    links = [a for a in root.iter("a") if ids.PAGE_REF in (a.get("class") or "").split()]
    if not links:
        return
    here = {element_id for element in root.iter() if (element_id := element.get("id"))}
    front = {
        element_id
        for section in book.matter("front")
        for element_id in (section.id, *section.heading.ids(), *section.body.ids())
    }
    for link in links:
        for child in list(link):
            link.remove(child)
        link.text = None
        target = (link.get("href") or "#")[1:]
        classes = (link.get("class") or "").split()
        if known is not None and target not in here and target in known:
            link.text = known[target]
            classes = [KNOWN if name == ids.PAGE_REF else name for name in classes]
        elif target in front:
            classes.append(ROMAN)
        link.set("class", " ".join(classes))


def contents_refs(root: etree._Element, known: Mapping[str, str]) -> None:
    """The contents' page numbers of targets ``root`` does not hold, written in (a division
    laid out apart: ``parts.py``) as ``data-page``, which ``written_in_css`` prints where the
    stylesheet prints ``target-counter``."""
    here = {element_id for element in root.iter() if (element_id := element.get("id"))}
    for nav in root.iter("nav"):
        for link in nav.iter("a"):
            target = (link.get("href") or "#")[1:]
            if target not in here and target in known:
                link.set(WRITTEN_IN, known[target])


WRITTEN_IN = "data-page"


def written_in_css(css: str) -> str:
    """For each rule of ``css`` whose ``content`` prints ``target-counter(attr(href), page…)``,
    the same rule for links with a page written in (``contents_refs``), printing it instead;
    the rest of the content (a leader) as it was."""
    out = []
    for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        if rule.type != "qualified-rule":
            continue
        for item in tinycss2.parse_blocks_contents(rule.content, skip_comments=True, skip_whitespace=True):
            if item.type != "declaration" or item.lower_name != "content":
                continue
            value = [_page_written_in(token) for token in item.value]
            if value == list(item.value):
                continue
            selectors = tinycss2.serialize(rule.prelude).split(",")
            chosen = ", ".join(
                re.sub(r"(::?(?:after|before))", r"[data-page]\1", s.strip(), count=1) for s in selectors
            )
            out.append(f"{chosen} {{ content: {tinycss2.serialize(value)}; }}\n")
    return "".join(out)


def _page_written_in(token: object) -> object:
    if getattr(token, "type", "") == "function" and getattr(token, "lower_name", "") == "target-counter":
        text = tinycss2.serialize(getattr(token, "arguments", [])).replace(" ", "")
        if text.startswith("attr(href),page"):
            return tinycss2.parse_one_component_value(f"attr({WRITTEN_IN})")
    return token
