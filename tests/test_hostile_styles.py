"""Hostile stylesheets (issue 17 finding 13): every error a print.css or an epub.css provokes
names the stylesheet's line, exit 1, nothing written.

Bytes not UTF-8 and nesting 3,000 deep were internal errors; a ``url()`` of a missing file
was WeasyPrint's fetch error with no line; a damaged picture or font, a picture that is no
picture, an ``@page`` size against the book's trim and the rules WeasyPrint ignores were
lost without a word. The files are in tests/hostile/styles/; the deep ones are made here.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import STYLES
from project_tools import in_empty_folder, project

from build_tools.checks.csscheck import MAX_CSS_DEPTH, check_print_css
from build_tools.cli import main
from build_tools.errors import BookError

HOSTILE = Path(__file__).resolve().parent / "hostile"
DEEP_MEDIA = "@media print {" * (MAX_CSS_DEPTH + 1) + "p { color: red }" + "}" * (MAX_CSS_DEPTH + 1)


@pytest.fixture(autouse=True)
def quiet_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    in_empty_folder(tmp_path, monkeypatch)


@pytest.fixture
def styles(tmp_path: Path) -> Path:
    """A copy of the default styles, with a picture and a stylesheet print.css may import."""
    folder = tmp_path / "styles"
    shutil.copytree(STYLES, folder, symlinks=False)
    shutil.copy(HOSTILE / "images" / "corrupt.png", folder / "corrupt.png")
    shutil.copy(HOSTILE / "images" / "use-bomb.svg", folder / "bomb.svg")
    (folder / "fake.ttf").write_bytes(b"<html>not a font</html>")
    return folder


def appended(sheet: Path, rule: str | bytes) -> int:
    """``rule`` added at the end of ``sheet`` after a comment line; the line it is on."""
    text = sheet.read_bytes()
    data = rule if isinstance(rule, bytes) else rule.encode()
    sheet.write_bytes(text + b"\n/* a stranger's rule */\n" + data + b"\n")
    return text.count(b"\n") + 3


def failed(tmp_path: Path, styles: Path, target: str) -> str:
    out = tmp_path / "dist"
    args = ["build", target, "--source", str(project(tmp_path)), "--out", str(out), "--styles", str(styles)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    assert not out.exists()
    return result.output.strip().splitlines()[-1].removeprefix("Error: ")


@pytest.mark.parametrize(
    ("name", "rule", "column", "message"),
    [
        ("print.css", "hr { background: url(missing.png) }", 18, "url() 'missing.png' names no file of"),
        ("print.css", "hr { background: url(fonts.toml) }", 18, "url() 'fonts.toml' is not a picture"),
        ("print.css", "hr { background: url(corrupt.png) }", 18, "image 'corrupt.png' is a damaged PNG"),
        ("print.css", "hr { background: url(bomb.svg) }", 18, "image 'bomb.svg': an SVG may draw at most"),
        (
            "print.css",
            "@font-face { font-family: X; src: url(fake.ttf) }",
            35,
            "'fake.ttf' is not a .ttf font",
        ),
        ("print.css", "@font-face { font-family: X; src: url(x.woff) }", 35, "'x.woff' names no file of"),
        ("print.css", "@import 'more.css';", 1, "@import 'more.css' names no file of the styles folder"),
        ("print.css", "@page { size: 3in 3in }", 9, "@page may not set size: the page's size is book.toml"),
        ("print.css", "@media print { @page :left { bleed-left: 3mm } }", 30, "@page may not set bleed-left"),
        ("print.css", "@page { marks: crop }", 9, "@page may not set marks"),
        ("print.css", DEEP_MEDIA, 14 * (MAX_CSS_DEPTH + 1), f"nested more than {MAX_CSS_DEPTH} levels deep"),
        ("print.css", "p { x: " + "[" * 100_000 + " }", 8 + MAX_CSS_DEPTH - 1, "nested more than"),
        ("epub.css", "p { x: " + "(" * 100_000 + " }", 8 + MAX_CSS_DEPTH - 1, "nested more than"),
        ("epub.css", DEEP_MEDIA, 14 * (MAX_CSS_DEPTH + 1), "nested more than"),
    ],
)
def test_a_stylesheet_s_error_names_its_line_and_column(
    tmp_path: Path, styles: Path, name: str, rule: str, column: int, message: str
) -> None:
    sheet = styles / name
    line = appended(sheet, rule)
    found = failed(tmp_path, styles, "all")
    assert found.startswith(f"{sheet}:{line}:{column}: "), found
    assert message in found, found


@pytest.mark.parametrize("name", ["print.css", "epub.css"])
def test_a_stylesheet_not_in_utf8_is_an_error_at_the_byte(tmp_path: Path, styles: Path, name: str) -> None:
    """It was an internal error: UnicodeDecodeError (print.css's in the layout, epub.css's
    when the EPUB was written)."""
    sheet = styles / name
    line = appended(sheet, (HOSTILE / "styles" / "latin1.css").read_bytes())
    found = failed(tmp_path, styles, "epub" if name == "epub.css" else "pdf")
    assert (
        found
        == f"{sheet}:{line}:{len('/* a stylesheet saved in Latin-1: the second line has ') + 1}: "
        + ("not valid UTF-8: save the file as UTF-8")
    )


def test_a_stylesheet_print_css_imports_is_checked_at_its_own_lines(tmp_path: Path, styles: Path) -> None:
    (styles / "more.css").write_text("/* more */\n\nhr { background: url(../styles/nothing.png) }\n", "utf-8")
    appended(styles / "print.css", '@import url("more.css");')
    found = failed(tmp_path, styles, "pdf")
    assert found.startswith(f"{styles / 'more.css'}:3:18: url() '../styles/nothing.png' names no file")


def test_what_weasyprint_ignores_in_print_css_is_an_error_at_its_line(tmp_path: Path) -> None:
    check_print_css(STYLES / "print.css")  # the default styles: nothing ignored
    sheet = tmp_path / "print.css"
    lines = (HOSTILE / "styles" / "ignored.css").read_text(encoding="utf-8").splitlines()
    expected = [
        (2, "2:5: WeasyPrint would ignore this rule: Ignored `colr: red` at 2:5, unknown property."),
        (3, "3:6: WeasyPrint would ignore this rule: Ignored `width: 3` at 3:6, invalid value."),
        (4, "4:1: WeasyPrint would ignore this rule: Invalid or unsupported selector, ':nope(x) '"),
        (5, "5:1: WeasyPrint would ignore this rule: Unknown rule <AtRule @unknown-rule"),
    ]
    for number, message in expected:  # each alone, after a clean first line
        sheet.write_text("\n".join(lines[:1] + [""] * (number - 2) + [lines[number - 1]]) + "\n", "utf-8")
        with pytest.raises(BookError) as error:
            check_print_css(sheet)
        assert error.value.format_message().startswith(f"{sheet}:{message}")


def test_what_a_stylesheet_print_css_imports_ignores_names_that_file(tmp_path: Path) -> None:
    (tmp_path / "more.css").write_text("p {\n  text-indent: 1em;\n  colr: red;\n}\n", "utf-8")
    (tmp_path / "print.css").write_text("@import 'more.css';\np { margin: 0 }\n", "utf-8")
    with pytest.raises(BookError) as error:
        check_print_css(tmp_path / "print.css")
    assert error.value.format_message().startswith(f"{tmp_path / 'more.css'}:3:3: WeasyPrint would ignore")
