"""Fixed costs of the `book` command (issue 18 item 4), for bench.py's figures: the time of
`book --help` (it imports click and no part of the pipeline: cli.py), the compiler runs of a PDF
build's start and of an EPUB build's, whose generated cover is drawn by a child process
(writers/cover/raster.py; ctypes' find_library ran gcc and ld for WeasyPrint's library names:
build_tools/libraries.py), and which heavy libraries each command imports (`python -X
importtime`): `book --help`, `book check` and `book build epub` need none of WeasyPrint, pikepdf
and pypdfium2.
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
FIXTURE = ROOT / "tests" / "fixtures" / "small"
HEAVY = ("weasyprint", "pikepdf", "pypdfium2")
TAKES = 5


def figures(work: Path) -> dict:
    """The start-up figures, measured on this machine (``work`` an empty folder)."""
    styles = ["--styles", str(ROOT / "styles"), "--source", str(FIXTURE)]
    commands = {
        "book --help": ["--help"],
        "book check": ["check", *styles],
        "book build epub": ["build", "epub", *styles, "--out", str(work / "epub")],
        "book build pdf": ["build", "pdf", *styles, "--out", str(work / "pdf")],
    }
    return {
        "help_s": statistics.median(_seconds([str(BIN / "book"), "--help"]) for _ in range(TAKES)),
        "imports": {name: _heavy_imports(args) for name, args in commands.items()},
        "compiler_runs": _compiler_runs(work / "pdf-tools", commands["book build pdf"]),
        "compiler_runs_epub": _compiler_runs(work / "epub-tools", commands["book build epub"]),
        "import_weasyprint_s": {
            "find_library": statistics.median(_import_weasyprint(False) for _ in range(TAKES)),
            "sonames": statistics.median(_import_weasyprint(True) for _ in range(TAKES)),
        },
    }


def lines(found: dict) -> list[str]:
    """The figures as Markdown table rows (bench.py's figures table)."""
    weasy = found["import_weasyprint_s"]
    rows = [
        f"| `book --help` (median of {TAKES}) | {found['help_s']:.2f} s |",
        f"| `import weasyprint`: find_library / sonames (libraries.py) | "
        f"{weasy['find_library']:.2f} s / {weasy['sonames']:.2f} s |",
        f"| gcc, cc and ld runs in `book build pdf` | {found['compiler_runs']} |",
        f"| gcc, cc and ld runs in `book build epub` (a generated cover) | {found['compiler_runs_epub']} |",
    ]
    for name, heavy in found["imports"].items():
        rows.append(f"| {', '.join(HEAVY)} imported by `{name}` | {', '.join(heavy) or 'none'} |")
    return rows


def _seconds(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def _heavy_imports(args: list[str]) -> list[str]:
    """Which of HEAVY the command imports (its exit status aside: check may find warnings)."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "build_tools", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    imported = set(re.findall(r"^import time:.*\|\s*(\w+)$", done.stderr, flags=re.M))
    return [name for name in HEAVY if name in imported]


def _compiler_runs(work: Path, args: list[str]) -> int:
    """Runs of gcc, cc and ld during the command: stand-ins first on PATH count them."""
    tools, runs = work / "tools", work / "compiler-runs"
    tools.mkdir(parents=True)
    for tool in ("gcc", "cc", "ld"):
        (tools / tool).write_text(f'#!/bin/sh\necho {tool} >> "{runs}"\nexit 1\n')
        (tools / tool).chmod(0o755)
    env = {**os.environ, "PATH": f"{tools}{os.pathsep}{os.environ['PATH']}"}
    subprocess.run(
        [str(BIN / "book"), *args], check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    return len(runs.read_text().split()) if runs.exists() else 0


def _import_weasyprint(sonames: bool) -> float:
    """Seconds to import WeasyPrint in a fresh interpreter, with or without libraries.py."""
    first = "from build_tools.libraries import install; install(); " if sonames else ""
    code = f"{first}import time; t = time.perf_counter(); import weasyprint; print(time.perf_counter() - t)"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, capture_output=True, text=True)
    return float(done.stdout)
