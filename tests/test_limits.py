"""Input too big or too deep to convert is refused with its line before Python-Markdown sees it
(its inline processing grows with the square of a paragraph, and deep nesting exhausts the
recursion limit); input up to the limits builds. How long such a build takes is a figure of
bench/bench.py, not a test: a test never times a machine it does not know.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import markdown
import pytest
from project_tools import in_empty_folder, project, refused

from build_tools.parse.parser import MAX_DEPTH, MAX_PARAGRAPH, parse
from build_tools.sources.manuscript import load


@pytest.fixture(autouse=True)
def quiet_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    in_empty_folder(tmp_path, monkeypatch)


@pytest.fixture
def converted(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every text Python-Markdown converts while the test runs."""
    texts: list[str] = []
    convert = markdown.Markdown.convert

    def recording(self: markdown.Markdown, source: str) -> str:
        texts.append(source)
        return convert(self, source)

    monkeypatch.setattr(markdown.Markdown, "convert", recording)
    yield texts


def test_ten_megabyte_paragraph_is_refused_before_conversion(tmp_path: Path, converted: list[str]) -> None:
    paragraph = "lorem ipsum *dolor* sit amet, " * (10_000_000 // 30)
    source = project(tmp_path, text__two_md=f"# Two\n\nFirst.\n\n{paragraph}\n")
    message = refused(tmp_path, source)
    assert message == (
        f"{source / 'text/two.md'}:5: a paragraph of more than {MAX_PARAGRAPH:,} characters: "
        "split it with blank lines (the limit keeps conversion time reasonable)"
    )
    assert converted and not any("dolor" in text for text in converted)


def test_long_paragraph_under_the_limit_builds(tmp_path: Path) -> None:
    unit = "Serge wrote *letters*[^n] and “quoted” [a link](https://x.org) with `code`; "
    source = project(
        tmp_path, text__two_md="# Two\n\n" + unit * (MAX_PARAGRAPH // len(unit) - 1) + "\n\n[^n]: A note.\n"
    )
    book = parse(load(source), 0)
    assert len(book.sections[1].body.xml) > MAX_PARAGRAPH


@pytest.mark.parametrize("unclosed", ["[", "[^", "![", "[a]("])
def test_unclosed_brackets_are_refused_before_conversion(
    tmp_path: Path, converted: list[str], unclosed: str
) -> None:
    source = project(tmp_path, text__two_md="# Two\n\n" + f"{unclosed}x " * 5000 + "\n")
    assert "never closed" in refused(tmp_path, source)
    assert converted and not any(f"{unclosed}x {unclosed}x" in text for text in converted)


@pytest.mark.parametrize(
    ("nesting", "line"),
    [
        ("".join("    " * level + "- item\n" for level in range(200)), 3 + MAX_DEPTH + 1),
        ("> " * 200 + "deep\n", 3),
        (
            "".join("> " * level + "\n" + "> " * level + "- item\n" for level in range(1, 200)),
            3 + 2 * MAX_DEPTH,
        ),
    ],
    ids=["lists", "quotes", "quoted-lists"],
)
def test_deep_nesting_is_refused_with_its_line(tmp_path: Path, nesting: str, line: int) -> None:
    source = project(tmp_path, text__two_md=f"# Two\n\n{nesting}")
    message = refused(tmp_path, source)
    assert message.startswith(f"{source / 'text/two.md'}:{line}: lists or block quotes nested ")
    assert message.endswith(f"levels deep; the limit is {MAX_DEPTH}")


def test_nesting_up_to_the_limit_builds(tmp_path: Path) -> None:
    lists = "".join("    " * level + "- item\n" for level in range(MAX_DEPTH))
    quotes = "> " * MAX_DEPTH + "deep\n"
    source = project(tmp_path, text__two_md=f"# Two\n\n{lists}\n{quotes}")
    assert parse(load(source), 0).sections[1].body.xml.count("<ul>") == MAX_DEPTH
