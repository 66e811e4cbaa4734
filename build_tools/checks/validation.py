"""``book check epub``: a built EPUB through EPUBCheck, DAISY Ace and the stores' rules, as a table::

    Validation of dist/small-book.epub
      EPUBCheck  PASS  no message (EPUBCheck 5.3.0)
      DAISY Ace  FAIL  1 violation (DAISY Ace 1.4.6)
                       [serious] link-name at section-001.xhtml a[href$="missing.xhtml"]: …
    1 passed, 1 failed

EPUBCheck fails on any FATAL, ERROR or WARNING message (its USAGE advice is not shown), Ace on
any violation, whatever its impact: the books of this toolchain pass both without one. Then a
row per rule the e-book stores state that EPUBCheck does not check (``store.py``: a cover, its
size, the file's size, images, font licences, remote resources, scripts, file names). A tool
that crashes fails its row. A tool that is not installed is a SKIP row; when nothing failed,
``ToolMissing`` (exit 3) then says how to install it, so an unchecked book never passes.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

from build_tools.checks import validators
from build_tools.checks.table import FAIL, PASS, SKIP, Row, print_table
from build_tools.errors import BookError, Location, ToolMissing

EPUBCHECK, ACE = "EPUBCheck", "DAISY Ace"
CRASH_LINES = 12  # of a crashed tool's output, in the table


def run_validation(
    source: Path, epub_path: Path | None, output_format: str, echo: Callable[[str], None]
) -> bool:
    """``book check epub``: print a table of results; True when any check failed.

    The EPUB is ``epub_path``, else ``dist/<slug>.epub`` of the manuscript at ``source``."""
    if epub_path is None:
        from build_tools.sources.manuscript import load  # the metadata gives the name

        epub_path = Path("dist") / f"{load(source).meta.slug}.epub"
    if not epub_path.is_file():
        raise BookError("no such EPUB: build it first with 'book build epub'", Location(epub_path))
    rows, missing = [], []
    for name, check in ((EPUBCHECK, _epubcheck), (ACE, _ace)):
        try:
            rows.append(check(epub_path))
        except ToolMissing as exc:
            missing.append(exc.message)
            rows.append(Row(name, SKIP, "not installed"))
        except validators.ValidatorCrashed as exc:
            lines = tuple(exc.format_message().splitlines()[:CRASH_LINES])
            rows.append(Row(name, FAIL, "did not finish", lines))
    rows += _store(epub_path)
    if output_format == "json":
        echo(json.dumps([asdict(row) for row in rows], ensure_ascii=False, indent=2))
    else:
        print_table(f"Validation of {epub_path}", rows, echo)
    failed = any(row.verdict == FAIL for row in rows)
    if missing and not failed:
        raise ToolMissing("not checked: " + "; ".join(missing))
    return failed


def _store(epub: Path) -> list[Row]:
    """The stores' rules (``store.py``); an EPUB too broken to read fails them in one row."""
    from build_tools.checks.store import store_rows

    try:
        return store_rows(epub)
    except BookError as exc:
        return [Row("Store rules", FAIL, "not checked", (exc.format_message(),))]


def _epubcheck(epub: Path) -> Row:
    report = validators.epubcheck(epub)
    found = validators.problems(report)
    version = report.raw.get("checker", {}).get("checkerVersion")
    detail = _count(len(found), "message") + (f" ({EPUBCHECK} {version})" if version else "")
    return Row(EPUBCHECK, FAIL if found else PASS, detail, tuple(validators.format_message(m) for m in found))


def _ace(epub: Path) -> Row:
    with tempfile.TemporaryDirectory(prefix="ace-") as out:
        report = validators.ace(epub, out)
    tool = report.raw.get("earl:assertedBy", {})
    version = tool.get("doap:release", {}).get("doap:revision")
    detail = _count(len(report), "violation") + (f" ({ACE} {version})" if version else "")
    return Row(ACE, FAIL if report else PASS, detail, tuple(validators.format_violation(v) for v in report))


def _count(number: int, noun: str) -> str:
    return f"no {noun}" if not number else f"{number} {noun}{'s' * (number != 1)}"
