"""What a build says about the manuscript: its open queries one by one, its warnings in one line.

A long book can have hundreds of warnings (the 400-page history of issue 12 had 640
``unindexed-name`` ones): a build counts them by code and leaves the list to ``book check``.
The ignore file of ``book check`` (``.bookcheckignore``) applies to builds too: a warning it
accepts is not counted, and the line says how many were::

    642 warnings (640 unindexed-name, 2 raw-html), 5 ignored: run 'book check' for the list

Errors stop the build and are raised as ever; queries are listed, as a release build refuses to
go ahead while one is open.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from build_tools.checks.editorial import IGNORE_NAME, apply_ignore, read_ignore, warning
from build_tools.model import Book


def build_report(source: Path, book: Book) -> list[str]:
    """The lines a build prints on stderr about the manuscript at ``source``: one per open
    query, then the summary of the warnings (none when there is nothing to say)."""
    lines = [f"warning: {query}" for query in book.queries]
    rules, problems = read_ignore(source / IGNORE_NAME, required=False)
    findings = [warning(diagnostic) for diagnostic in book.diagnostics]
    kept = apply_ignore(rules, findings, source)
    # A line of the ignore file that is not a rule is counted: 'book check' names it.
    summary = warnings_line(Counter(f.code for f in kept + problems), len(findings) - len(kept))
    return lines + ([summary] if summary else [])


def warnings_line(counts: Counter[str], ignored: int) -> str:
    """``642 warnings (640 unindexed-name, 2 raw-html), 5 ignored: run 'book check' …``."""
    total = counts.total()
    if not total:
        return f"no warnings ({ignored} ignored by {IGNORE_NAME})" if ignored else ""
    by_code = ", ".join(f"{n} {code}" for code, n in sorted(counts.items(), key=lambda c: (-c[1], c[0])))
    text = f"{total} warning{'s' * (total != 1)} ({by_code})"
    if ignored:
        text += f", {ignored} ignored"
    return text + ": run 'book check' for the list"
