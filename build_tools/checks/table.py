"""The table ``book check pdf`` and ``book check epub`` print: one row per check, its verdict,
what it found (one line each under the row), and the counts. WARN is a store's advice not
followed: shown and counted, never a failure."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

PASS, FAIL, SKIP, WARN = "PASS", "FAIL", "SKIP", "WARN"


@dataclass(frozen=True)
class Row:
    """A check's verdict (PASS, FAIL, WARN, or SKIP when it could not run), in a word and in lines."""

    check: str
    verdict: str
    detail: str
    messages: tuple[str, ...] = ()


def print_table(title: str, rows: Sequence[Row], echo: Callable[[str], None]) -> None:
    """The title, a row per check with its messages indented below, and the counts."""
    echo(title)
    width = max(len(row.check) for row in rows)
    for row in rows:
        echo(f"  {row.check:<{width}}  {row.verdict}  {row.detail}")
        for message in row.messages:
            echo(f"  {'':<{width}}        {message}")
    failed = sum(row.verdict == FAIL for row in rows)
    skipped = sum(row.verdict == SKIP for row in rows)
    warned = sum(row.verdict == WARN for row in rows)
    counts = f"{len(rows) - failed - skipped - warned} passed, {failed} failed"
    counts += f", {warned} warned" if warned else ""
    echo(counts + (f", {skipped} not run" if skipped else ""))
