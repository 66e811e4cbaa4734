"""The external EPUB validators the test suite trusts: the product's own
(``build_tools/checks/validators.py``), the ones ``book check epub`` runs.

Not a test module: tests import it (``from validators import ...`` with ``tests/`` on
``sys.path``, which pytest's default rootdir-relative import mode gives) and assert on the lists
it returns. :func:`epubcheck` returns every message of EPUBCheck's JSON report, :func:`ace`
every failed assertion of DAISY Ace's ``report.json``; both raise ``ToolMissing`` when the tool
is not installed (``make test`` installs both) and ``ValidatorCrashed`` when it ran but gave no
usable report, so a broken tool is never mistaken for a clean book.
"""

from __future__ import annotations

from build_tools.checks.validators import (
    Report,
    ValidatorCrashed,
    ace,
    epubcheck,
    format_messages,
    format_violations,
    problems,
)
from build_tools.errors import ToolMissing

__all__ = [
    "Report",
    "ToolMissing",
    "ValidatorCrashed",
    "ace",
    "epubcheck",
    "format_messages",
    "format_violations",
    "problems",
]
