"""Readable builds (issue 12 item 11): errors and queries are listed, the warnings counted in one
line by code; ``.bookcheckignore`` applies to builds as to ``book check``."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from click.testing import CliRunner
from conftest import STYLES, book_toml

from build_tools.checks.summary import warnings_line
from build_tools.cli import main

# Three warnings of two codes: raw HTML twice (one a line), a name the names file does not have.
TEXT = (
    "# One\n\nA <b>bold</b> word by Marx.\n\nAn <i>italic</i> one.\n\nNoted by Jean Dupont[^a].\n\n"
    "{==1927?==}{>>Year to be confirmed<<}\n\n[^a]: A note.\n"
)

NAMES = "entries:\n  - id: marx\n    heading: Marx, Karl\n    forms: [Marx]\n"


def manuscript(root: Path, ignore: str | None = None) -> Path:
    (root / "text").mkdir(parents=True)
    (root / "text" / "one.md").write_text(TEXT, encoding="utf-8")
    (root / "names.yaml").write_text(NAMES, encoding="utf-8")
    (root / "book.toml").write_text(book_toml(["text/one.md"], 'names = "names.yaml"\n'), encoding="utf-8")
    if ignore is not None:
        (root / ".bookcheckignore").write_text(ignore, encoding="utf-8")
    return root


def build(root: Path, out: Path) -> tuple[int, list[str]]:
    result = CliRunner().invoke(
        main, ["build", "epub", "--source", str(root), "--out", str(out), "--styles", str(STYLES)]
    )
    return result.exit_code, [line for line in result.stderr.splitlines() if not line.startswith("[")]


def test_a_build_lists_queries_and_counts_warnings(tmp_path: Path) -> None:
    root = manuscript(tmp_path / "book")
    code, lines = build(root, tmp_path / "out")
    assert code == 0
    assert lines == [
        f"warning: {root / 'text' / 'one.md'}:9:1: query [1927?]: Year to be confirmed",
        "3 warnings (2 raw-html, 1 unindexed-name): run 'book check' for the list",
    ]
    assert (tmp_path / "out" / "t.epub").is_file()


def test_the_ignore_file_applies_to_builds(tmp_path: Path) -> None:
    root = manuscript(tmp_path / "book", ignore="raw-html text/one.md\nunused-code text/two.md\n")
    code, lines = build(root, tmp_path / "out")
    assert code == 0
    assert lines[-1] == "1 warning (1 unindexed-name), 2 ignored: run 'book check' for the list"
    ignore_all = "raw-html text/one.md\nunindexed-name text/one.md:7\n"
    root = manuscript(tmp_path / "quiet", ignore=ignore_all)
    code, lines = build(root, tmp_path / "out2")
    assert code == 0 and lines[-1] == "no warnings (3 ignored by .bookcheckignore)"


def test_a_line_of_the_ignore_file_that_is_no_rule_is_counted(tmp_path: Path) -> None:
    root = manuscript(tmp_path / "book", ignore="nonsense\n")
    code, lines = build(root, tmp_path / "out")
    assert code == 0
    assert lines[-1] == (
        "4 warnings (2 raw-html, 1 ignore-file, 1 unindexed-name): run 'book check' for the list"
    )


def test_the_line_says_nothing_when_there_is_nothing() -> None:
    assert warnings_line(Counter(), 0) == ""
    assert warnings_line(Counter({"unindexed-name": 640, "raw-html": 2}), 5) == (
        "642 warnings (640 unindexed-name, 2 raw-html), 5 ignored: run 'book check' for the list"
    )
