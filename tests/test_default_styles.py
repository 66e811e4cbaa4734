"""A manuscript anywhere builds (issue 12 item 10): the styles folder is the one given, else the
manuscript's own, else the one beside it, else the toolchain's default styles, which the package
carries (``build_tools/data/styles``: in a checkout a link to the top-level ``styles/``, one copy
in git; in a wheel the files themselves)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import FIXTURES, ROOT, STYLES

from build_tools import preview
from build_tools.cli import main
from build_tools.design.styles import BESIDE, DEFAULT, DEFAULT_STYLES, GIVEN, INSIDE, find_styles

SHIPPED = ("epub.css", "print.css", "fonts.toml", "fonts/OFL.txt", "fonts/EBGaramond-Regular.ttf")


def test_the_rule_first_match_wins(tmp_path: Path) -> None:
    source = tmp_path / "book" / "manuscript"
    source.mkdir(parents=True)
    assert find_styles(source) == find_styles(source, None)
    assert (find_styles(source).folder, find_styles(source).origin) == (DEFAULT_STYLES, DEFAULT)
    (tmp_path / "book" / "styles").mkdir()
    assert find_styles(source).origin == BESIDE
    assert find_styles(source).folder == tmp_path / "book" / "styles"
    (source / "styles").mkdir()
    assert (find_styles(source).folder, find_styles(source).origin) == (source / "styles", INSIDE)
    assert find_styles(source, tmp_path / "mine") == find_styles(source, tmp_path / "mine")
    assert find_styles(source, tmp_path / "mine").origin == GIVEN
    assert not find_styles(source, tmp_path / "mine").is_default


def test_the_default_styles_are_the_first_books_one_copy_in_git() -> None:
    assert DEFAULT_STYLES.resolve() == STYLES.resolve()
    listed = subprocess.run(
        ["git", "ls-files", "-s", "build_tools/data/styles"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert listed[0] == "120000", "build_tools/data/styles must be a link to ../../styles in git"
    for name in SHIPPED:
        assert (DEFAULT_STYLES / name).is_file()


def test_a_manuscript_with_no_styles_folder_builds_with_the_default(tmp_path: Path) -> None:
    source = tmp_path / "anywhere" / "my-book"
    shutil.copytree(FIXTURES / "small", source)
    result = CliRunner().invoke(main, ["build", "epub", "--source", str(source), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert f"no styles folder in or beside {source}: using the toolchain's default styles" in result.stderr
    assert (tmp_path / "small-book.epub").is_file()


def test_a_styles_folder_beside_the_manuscript_is_used_silently(tmp_path: Path) -> None:
    source = tmp_path / "manuscript"
    shutil.copytree(FIXTURES / "small", source)
    shutil.copytree(STYLES, tmp_path / "styles")
    (tmp_path / "styles" / "epub.css").unlink()  # the proof that it is the folder read
    result = CliRunner().invoke(main, ["build", "epub", "--source", str(source), "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert "the styles folder lacks epub.css" in result.output
    assert "default styles" not in result.output


def test_preview_uses_the_same_rule(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    served: list[Path] = []
    monkeypatch.setattr(preview, "serve", lambda source, styles, *args, **kwargs: served.append(styles))
    source = tmp_path / "my-book"
    source.mkdir()
    assert CliRunner().invoke(main, ["preview", "--source", str(source)]).exit_code == 0
    assert CliRunner().invoke(main, ["preview", "--source", str(source), "--styles", "x"]).exit_code == 0
    assert served == [DEFAULT_STYLES, Path("x")]


def test_a_wheel_carries_the_default_styles_byte_for_byte(tmp_path: Path) -> None:
    """What setuptools puts in a wheel (build_py: the packages and their package data), from a
    copy of the checkout with its links: every file of styles/, as it is."""
    tree = tmp_path / "checkout"
    tree.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, tree / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info")
    shutil.copytree(ROOT / "build_tools", tree / "build_tools", symlinks=True, ignore=ignore)
    shutil.copytree(STYLES, tree / "styles", ignore=ignore)
    lib = tmp_path / "lib"
    command = [sys.executable, "-c", "from setuptools import setup; setup()", "-q", "build_py",
               "--build-lib", str(lib)]  # fmt: skip
    result = subprocess.run(command, cwd=tree, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    shipped = lib / "build_tools" / "data" / "styles"
    assert not shipped.is_symlink()
    expected = sorted(p.relative_to(STYLES) for p in STYLES.rglob("*") if p.is_file())
    assert sorted(p.relative_to(shipped) for p in shipped.rglob("*") if p.is_file()) == expected
    for name in expected:
        assert (shipped / name).read_bytes() == (STYLES / name).read_bytes(), name
