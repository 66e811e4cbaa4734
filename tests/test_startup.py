"""Each command imports what it needs only (issue 18 item 4): ``book --help`` loads click and
nothing of the pipeline; no command but a PDF or cover build loads WeasyPrint (an EPUB's
generated cover is drawn by a child process of its own: writers/cover/raster.py).

Each command runs as the console script runs it (``entry.run``), in a process of its own, and
says which modules it imported when it ended (whatever its exit status). A PDF build, which does
import WeasyPrint, shows that the report sees an import.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import FIXTURES, STYLES
from project_tools import EPOCH

SMALL = FIXTURES / "small"
STYLED = ["--styles", str(STYLES)]
# The command, then the modules it ended with, written where the first argument says.
WRAPPER = (
    "import json, sys\n"
    "report, sys.argv = sys.argv[1], ['book', *sys.argv[2:]]\n"
    "from build_tools.entry import run\n"
    "try:\n"
    "    run()\n"
    "finally:\n"
    "    open(report, 'w').write(json.dumps(sorted(sys.modules)))\n"
)
PRINT_ONLY = ("weasyprint", "pydyf", "cssselect2")  # WeasyPrint and what only it imports
# What ``book --help`` may load of the toolchain: the console script and the option parser.
COMMAND_ONLY = {
    "build_tools",
    "build_tools.__main__",
    "build_tools.cli",
    "build_tools.entry",
    "build_tools.interrupt",
    "build_tools.libraries",
}
# A library the pipeline needs, never ``book --help``.
PIPELINE = ("lxml", "PIL", "yaml", "fontTools", "tinycss2", "markdown", "pikepdf", "pypdfium2", "uvicorn")


def imported(cwd: Path, *args: str) -> tuple[int, set[str], str]:
    """Run ``book ARGS`` in ``cwd``: its exit status, the modules it imported, its stderr."""
    report = cwd / f"modules-{len(list(cwd.glob('modules-*')))}.json"
    done = subprocess.run(
        [sys.executable, "-c", WRAPPER, str(report), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH},
        timeout=600,  # against a hang only
    )
    return done.returncode, set(json.loads(report.read_text())), done.stderr


def _packages(modules: set[str]) -> set[str]:
    return {name.split(".")[0] for name in modules}


@pytest.mark.parametrize(
    "args", [["--help"], ["build", "epub", "--help"], ["check", "--help"], ["--version"]]
)
def test_help_loads_nothing_of_the_pipeline(tmp_path: Path, args: list[str]) -> None:
    status, modules, err = imported(tmp_path, *args)
    assert status == 0, err
    assert {name for name in modules if name.split(".")[0] == "build_tools"} <= COMMAND_ONLY
    assert not _packages(modules) & {*PIPELINE, *PRINT_ONLY}


def test_commands_without_a_pdf_never_import_weasyprint(tmp_path: Path, small: tuple[object, dict]) -> None:
    out = tmp_path / "dist"
    status, modules, err = imported(
        tmp_path, "build", "epub", "--source", str(SMALL), "--out", str(out), *STYLED
    )
    assert status == 0, err
    assert not _packages(modules) & {*PRINT_ONLY, "pikepdf", "pypdfium2"}
    assert {"lxml", "fontTools"} <= _packages(modules)  # it did build: the EPUB's own libraries
    (epub,) = out.glob("*.epub")
    pdf = small[1][".pdf"]
    others = {
        "check epub": ["check", "epub", str(epub), "--source", str(SMALL)],
        "check": ["check", "--source", str(SMALL), *STYLED],
        "check pages": ["check", "pages", str(pdf), "--source", str(SMALL)],
        "check pdf": ["check", "pdf", str(pdf), "--source", str(SMALL)],
        "new": ["new", str(tmp_path / "new-book")],
        "import": [
            "import",
            str(FIXTURES / "import-docx" / "river.docx"),
            "--accept-changes",
            "--out",
            str(tmp_path / "river"),
        ],
    }
    for name, args in others.items():
        status, modules, err = imported(tmp_path, *args)
        # Exit 1: a check's findings; 3: a validator not installed (check epub). Never 70, a bug.
        assert status in (0, 1, 3) and "internal error" not in err, (name, status, err)
        assert not _packages(modules) & set(PRINT_ONLY), name
    assert (tmp_path / "new-book" / "book.toml").is_file()
    assert (tmp_path / "river" / "book.toml").is_file()


def test_a_pdf_build_imports_weasyprint_as_the_report_shows(tmp_path: Path) -> None:
    """The report above sees WeasyPrint when it is imported: the PDF build lays out with it."""
    out = tmp_path / "dist"
    status, modules, err = imported(
        tmp_path, "build", "pdf", "--source", str(SMALL), "--out", str(out), *STYLED
    )
    assert status == 0, err
    assert {"weasyprint", "pikepdf"} <= _packages(modules)
    assert len(list(out.glob("*.pdf"))) == 1


def test_an_epub_build_with_a_generated_cover_runs_no_compiler(tmp_path: Path) -> None:
    """The fixture has no cover picture: its cover is rendered by a child process (raster.py),
    which opens WeasyPrint's libraries by their sonames as the command does (libraries.py).
    A gcc, cc and ld first on PATH note each run: there is none."""
    tools, runs = tmp_path / "bin", tmp_path / "runs"
    tools.mkdir()
    for tool in ("gcc", "cc", "ld"):
        (tools / tool).write_text(f'#!/bin/sh\necho {tool} >> "{runs}"\nexit 1\n')
        (tools / tool).chmod(0o755)
    out = tmp_path / "dist"
    args = ["build", "epub", "--source", str(SMALL), "--out", str(out), *STYLED]
    done = subprocess.run(
        [sys.executable, "-m", "build_tools", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PATH": f"{tools}{os.pathsep}{os.environ['PATH']}", "SOURCE_DATE_EPOCH": EPOCH},
        timeout=600,  # against a hang only
    )
    assert done.returncode == 0, done.stderr
    assert "cover-image" in zipfile.ZipFile(next(out.glob("*.epub"))).read("OEBPS/content.opf").decode()
    assert not runs.exists(), runs.read_text()
