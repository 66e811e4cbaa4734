"""The command line: help, version, exit codes, and no damage to dist/ on errors."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from build_tools import __version__
from build_tools.cli import main

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "small"
STYLES = Path(__file__).resolve().parent.parent / "styles"


def test_version() -> None:
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"book, version {__version__}"


def test_help_explains_every_command_and_option() -> None:
    top = CliRunner().invoke(main, ["--help"])
    assert top.exit_code == 0
    assert "build" in top.output and "EPUB 3" in top.output
    build = CliRunner().invoke(main, ["build", "--help"])
    assert build.exit_code == 0
    for option in ("--source", "--out", "--styles", "--release", "epub", "pdf", "all"):
        assert option in build.output


def test_usage_error_exits_2() -> None:
    result = CliRunner().invoke(main, ["build", "mobi"])
    assert result.exit_code == 2
    assert "Invalid value" in result.output


def test_manuscript_error_exits_1_without_traceback_and_keeps_dist(tmp_path: Path) -> None:
    source = tmp_path / "manuscript"
    shutil.copytree(FIXTURE, source)
    out = tmp_path / "dist"
    out.mkdir()
    (out / "small-book.epub").write_bytes(b"previous build")
    (source / "text" / "two.md").write_text("# Two\n\nBroken.[^missing]\n", encoding="utf-8")
    result = CliRunner().invoke(
        main, ["build", "epub", "--source", str(source), "--out", str(out), "--styles", str(STYLES)]
    )
    assert result.exit_code == 1
    assert f"{source / 'text' / 'two.md'}:3:8: note reference [^missing] has no definition" in result.output
    assert "Traceback" not in result.output
    assert (out / "small-book.epub").read_bytes() == b"previous build"
    assert sorted(p.name for p in out.iterdir()) == ["small-book.epub"]


def test_release_refuses_open_queries(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        [
            "build",
            "epub",
            "--release",
            "--source",
            str(FIXTURE),
            "--out",
            str(tmp_path),
            "--styles",
            str(STYLES),
        ],
    )
    assert result.exit_code == 1
    assert "release build refused: 2 editorial queries are open" in result.output
    assert not list(tmp_path.iterdir())


def test_build_reports_queries_as_warnings(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        [
            "build",
            "epub",
            "--source",
            str(FIXTURE),
            "--out",
            str(tmp_path),
            "--styles",
            str(STYLES),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "one.md:15:4: query [194?]: Year to be confirmed" in result.output
    assert (tmp_path / "small-book.epub").is_file()


def test_epub_build_does_not_import_weasyprint(tmp_path: Path) -> None:
    code = (
        "import sys; from build_tools.cli import main\n"
        "try:\n"
        f"    main(['build', 'epub', '--source', {str(FIXTURE)!r}, '--out', {str(tmp_path)!r},"
        f" '--styles', {str(STYLES)!r}])\n"
        "except SystemExit as e:\n"
        "    assert e.code == 0, e.code\n"
        "print('weasyprint' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip().splitlines()[-1] == "False"
