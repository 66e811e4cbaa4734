"""An HTML table as a pipe table, with its caption (``Table: …``) after it."""

from __future__ import annotations

import re
from collections.abc import Callable

from lxml import etree

from build_tools.importing.text import local

_ALIGN = {"left": ":--", "center": ":-:", "right": "--:"}


def table_lines(
    table: etree._Element, cell_text: Callable[[etree._Element], str], lose: Callable[[str], None]
) -> list[str]:
    """The lines of the pipe table (and its caption paragraph) for ``table``."""
    rows = [row for row in table.iter() if local(row) == "tr" and _owner(row) is table]
    if not rows:
        return []
    cells = [[cell for cell in row if local(cell) in ("th", "td")] for row in rows]
    header_rows = sum(1 for row in rows if _in_head(row))
    if header_rows == 0 and cells[0] and all(local(cell) == "th" for cell in cells[0]):
        header_rows = 1
    if header_rows == 0:
        lose("a table without a header row: its first row became the header")
    if header_rows > 1:
        lose(f"a table with {header_rows} header rows: the rows after the first became body rows")
    if any(cell.get("colspan") or cell.get("rowspan") for row in cells for cell in row):
        lose("a table's merged cells were split (pipe tables have none)")
    width = max(len(row) for row in cells)
    text = [[_cell(cell_text(cell)) for cell in row] + [""] * (width - len(row)) for row in cells]
    aligns = [_alignment(cells, column) for column in range(width)]
    lines = [_row(text[0]), _row(aligns)] + [_row(row) for row in text[1:]]
    caption = next((node for node in table if local(node) == "caption"), None)
    if caption is not None and (words := cell_text(caption)):
        lines += ["", f"Table: {words}"]
    return lines


def _in_head(row: etree._Element) -> bool:
    parent = row.getparent()
    return parent is not None and local(parent) == "thead"


def _owner(row: etree._Element) -> etree._Element | None:
    """The table a row belongs to (a nested table's rows are its own)."""
    node = row.getparent()
    while node is not None and local(node) != "table":
        node = node.getparent()
    return node


def _cell(text: str) -> str:
    return text.replace("\\\n", " ").replace("\n", " ").strip() or " "


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _alignment(cells: list[list[etree._Element]], column: int) -> str:
    """A column's delimiter: the alignment most of its cells state (style or align), else plain."""
    found: list[str] = []
    for row in cells:
        if column < len(row):
            cell = row[column]
            style = re.search(r"text-align:\s*(left|center|right)", str(cell.get("style", "")))
            align = style[1] if style else str(cell.get("align", "")).lower()
            if align in _ALIGN:
                found.append(align)
    if not found:
        return "---"
    return _ALIGN[max(set(found), key=found.count)]
