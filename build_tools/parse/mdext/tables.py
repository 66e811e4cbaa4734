"""Tables: Python-Markdown's pipe tables, with a caption, an id and columns of figures.

    | Year | Members |
    |------|--------:|
    | 1925 |     950 |

    Table: Party membership {#members}

A paragraph ``Table: …`` right after a table (pandoc's form) is its ``<caption>``, inline
Markdown and notes included; a ``{#id}`` at its end is the table's id (an anchor, like every
``{#id}``). A column whose body cells all hold a figure (digits with separators, a sign, a
currency or a percent; empty cells and dashes allowed) is numeric: its cells, header too, get
the class ``num`` (right-aligned, tabular figures). An alignment written in the delimiter row
(``:--``, ``:-:``, ``--:``) becomes a class (``align-left``, ``align-center``,
``align-right``) rather than a style attribute: the stylesheets own the design. Header cells
get ``scope="col"``; an empty one becomes a data cell (a header that names nothing is an
accessibility fault).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from markdown import Markdown
from markdown.extensions import Extension
from markdown.extensions.tables import TableExtension
from markdown.treeprocessors import Treeprocessor

from build_tools.parse.mdext.anchors import take_trailing_anchor

CAPTION = "Table:"
NUMERIC = "num"
_FIGURE = re.compile(r"[(+\-\u2212]?[$€£¥]?\d(?:[\d,.'\u00a0\u2009\u202f]*\d)?(?:[\u2013-]\d+)?\s?%?\)?")
_NOTHING = {"", "-", "\u2013", "\u2014"}
_ALIGN = re.compile(r"text-align:\s*(left|center|right)")


class TablesExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's API)
        md.registerExtension(self)
        TableExtension().extendMarkdown(md)
        md.treeprocessors.register(_Tables(md), "tables", 15)


class _Tables(Treeprocessor):
    def run(self, root: ET.Element) -> None:
        for parent in list(root.iter()):
            for table in [child for child in parent if child.tag == "table"]:
                _cells(table)
                _numeric_columns(table)
                _caption(parent, table)


def _cells(table: ET.Element) -> None:
    for cell in [node for node in table.iter() if node.tag in ("th", "td")]:
        style = cell.attrib.pop("style", "")
        if found := _ALIGN.search(style):
            add_class(cell, f"align-{found[1]}")
        if cell.tag == "th":
            if not _text(cell) and not len(cell):
                cell.tag = "td"
            else:
                cell.set("scope", "col")


def _numeric_columns(table: ET.Element) -> None:
    rows = [row for body in table.iter("tbody") for row in body.iter("tr")]
    width = max((len(row) for row in rows), default=0)
    for column in range(width):
        texts = [_text(row[column]) for row in rows if len(row) > column]
        if any(texts) and all(t in _NOTHING or _FIGURE.fullmatch(t) for t in texts):
            for row in table.iter("tr"):
                if len(row) > column:
                    add_class(row[column], NUMERIC)


def _caption(parent: ET.Element, table: ET.Element) -> None:
    """The paragraph ``Table: …`` right after the table becomes its caption."""
    position = list(parent).index(table)
    after = parent[position + 1] if position + 1 < len(parent) else None
    if after is None or after.tag != "p" or not (after.text or "").startswith(CAPTION):
        return
    parent.remove(after)
    table.tail = after.tail
    caption = ET.Element("caption")
    caption.text = (after.text or "")[len(CAPTION) :].lstrip()
    caption.extend(list(after))
    if (element_id := take_trailing_anchor(caption)) is not None:
        table.set("id", element_id)
    table.insert(0, caption)


def _text(cell: ET.Element) -> str:
    return "".join(cell.itertext()).strip()


def add_class(element: ET.Element, name: str) -> None:
    classes = (element.get("class") or "").split()
    element.set("class", " ".join([*classes, name]))
