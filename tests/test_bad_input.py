"""Bad input through the real command: a clear message with its place, exit 1, no traceback,
dist/ untouched and nothing written anywhere else (the build's durability is test_durability.py,
the limits on what converts test_limits.py, bad images test_images.py).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import STYLES
from lxml import etree
from project_tools import (
    CONFIG,
    ONE,
    SENTINEL,
    TWO,
    in_empty_folder,
    project,
    refused,
    run_book,
    snapshot,
)

from build_tools.cli import main
from build_tools.parse.parser import parse
from build_tools.sources.manuscript import load


@pytest.fixture(autouse=True)
def quiet_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    in_empty_folder(tmp_path, monkeypatch)


# ---------------------------------------------------------------- the manuscript's files


def test_not_utf8_gives_line_and_byte_offset(tmp_path: Path) -> None:
    source = project(tmp_path, text__two_md=b"# Two\n\nCaf\xe9 noir.\n")
    assert refused(tmp_path, source) == (
        f"{source / 'text/two.md'}:3: not valid UTF-8: byte 0xe9 at byte offset 10; save the file as UTF-8"
    )


def test_empty_reading_order(tmp_path: Path) -> None:
    source = project(tmp_path, book_toml=CONFIG.replace('["text/one.md", "text/two.md"]', "[]"))
    assert refused(tmp_path, source) == (
        f"{source / 'book.toml'}:10: the manuscript is empty: [contents] files lists no file"
    )


@pytest.mark.parametrize("content", ["", "\n\n  \n"])
def test_empty_section_file(tmp_path: Path, content: str) -> None:
    source = project(tmp_path, text__two_md=content)
    assert refused(tmp_path, source) == (
        f"{source / 'text/two.md'}:1: section has no heading: start the file with '# Title'"
    )


def test_section_without_heading(tmp_path: Path) -> None:
    source = project(tmp_path, text__two_md="Text before any heading.\n\n## A subheading\n")
    assert refused(tmp_path, source) == (
        f"{source / 'text/two.md'}:1: section has no heading: start the file with '# Title'"
    )


def test_missing_metadata_field(tmp_path: Path) -> None:
    source = project(tmp_path, book_toml=CONFIG.replace('publisher = "P"\n', ""))
    assert refused(tmp_path, source) == (
        f"{source / 'book.toml'}: missing metadata field 'publisher' in [book]"
    )


def test_missing_book_toml_and_missing_folder(tmp_path: Path) -> None:
    source = project(tmp_path)
    (source / "book.toml").unlink()
    assert refused(tmp_path, source) == (f"{source / 'book.toml'}: no book.toml in the manuscript folder")
    assert refused(tmp_path, tmp_path / "nowhere") == (f"{tmp_path / 'nowhere'}: manuscript folder not found")


def test_file_in_reading_order_missing_or_a_folder(tmp_path: Path) -> None:
    source = project(tmp_path, book_toml=CONFIG.replace('"text/two.md"]', '"text/three.md"]'))
    assert refused(tmp_path, source) == (
        f"{source / 'book.toml'}:10: file in the reading order does not exist: text/three.md"
    )
    source = project(tmp_path, book_toml=CONFIG.replace('"text/two.md"]', '"text"]'))
    assert refused(tmp_path, source) == (
        f"{source / 'book.toml'}:10: 'text' in the reading order is a folder, not a text file"
    )


def test_malformed_toml_gives_line_and_column(tmp_path: Path) -> None:
    source = project(tmp_path, book_toml=CONFIG.replace('rights = "R"', 'rights = "R'))
    assert refused(tmp_path, source).startswith(f"{source / 'book.toml'}:7:")
    assert "malformed TOML" in refused(tmp_path, source)


@pytest.mark.parametrize("kind", ["names", "chronology"])
def test_malformed_yaml_gives_line_and_column(tmp_path: Path, kind: str) -> None:
    bad = (
        'entries:\n  - id: x\n    forms: ["X"\n  - id: y\n'
        if kind == "names"
        else 'events:\n  - id: a\n    date: "1927\n'
    )
    config = CONFIG + f'{kind} = "{kind}.yaml"\n'
    source = project(tmp_path, book_toml=config, **{f"{kind}_yaml": bad})
    message = refused(tmp_path, source)
    assert message.startswith(f"{source / (kind + '.yaml')}:4:") and "malformed YAML" in message


@pytest.mark.parametrize(
    ("text", "column", "what"),
    [
        ("\x07", 9, "control character U+0007"),
        ("\x00", 9, "control character U+0000"),
        ("\ufffe", 9, "control character U+FFFE"),
    ],
)
def test_control_characters_xml_forbids(tmp_path: Path, text: str, column: int, what: str) -> None:
    source = project(tmp_path, text__two_md=f"# Two\n\nThe bell{text} rings.\n")
    assert refused(tmp_path, source) == (
        f"{source / 'text/two.md'}:3:{column}: {what} is not allowed in a book"
    )


def test_byte_order_mark_and_crlf_build_the_same_book(tmp_path: Path) -> None:
    plain = project(tmp_path / "lf")
    windows = project(
        tmp_path / "crlf",
        text__one_md=b"\xef\xbb\xbf" + ONE.replace("\n", "\r\n").encode(),
        text__two_md=TWO.replace("\n", "\r").encode(),
    )
    books = [parse(load(source), 0) for source in (plain, windows)]
    assert [s.body.xml for s in books[0].sections] == [s.body.xml for s in books[1].sections]
    notes = [[n.body.xml for n in book.notes] for book in books]
    assert notes == [["<p>A note.</p>"]] * 2


def test_duplicate_anchor(tmp_path: Path) -> None:
    source = project(tmp_path, text__two_md="# Two\n\n{#here}One.\n\n{#here}Two.\n")
    assert refused(tmp_path, source) == (
        f"{source / 'text/two.md'}:5:1: anchor {{#here}} is also at {source / 'text/two.md'}:3:1"
    )


def test_note_inside_a_note(tmp_path: Path) -> None:
    source = project(tmp_path, text__one_md="# One\n\nText.[^a]\n\n[^a]: A note.[^b]\n\n[^b]: B.\n")
    assert refused(tmp_path, source) == (
        f"{source / 'text/one.md'}:5:14: a note cannot contain a note: [^b] inside the note [^a]"
    )


def test_unclosed_query(tmp_path: Path) -> None:
    source = project(tmp_path, text__two_md="# Two\n\nA {==doubtful\nword==}{>>sure?<<}.\n")
    assert refused(tmp_path, source).startswith(f"{source / 'text/two.md'}:3:3: unclosed editorial query")


# ---------------------------------------------------------------- raw HTML: never a script
#
# Decision: raw HTML is printed as text with a ``raw-html`` warning (parse.py), but what could
# script a page or embed another is an error, so that the author learns of it: <script>,
# <iframe>, <object>, <embed> (and frame, applet), any on…= attribute, a javascript: URL.


@pytest.mark.parametrize(
    ("html", "column", "what"),
    [
        ("<script>alert(1)</script>", 3, "<script>"),
        ("<SCRIPT src=x.js></SCRIPT>", 3, "<script>"),
        ('<iframe src="https://example.org">', 3, "<iframe>"),
        ('<object data="x.swf">', 3, "<object>"),
        ('<embed src="x.swf">', 3, "<embed>"),
        ('<img src=x onerror="alert(1)">', 3, "the event attribute onerror="),
        ("<span onclick=go()>x</span>", 3, "the event attribute onclick="),
        ('<a href="javascript:alert(1)">x</a>', 3, "a javascript: URL"),
    ],
)
def test_active_html_is_an_error(tmp_path: Path, html: str, column: int, what: str) -> None:
    source = project(tmp_path, text__two_md=f"# Two\n\nA {html} b.\n")
    assert refused(tmp_path, source).startswith(
        f"{source / 'text/two.md'}:3:{column}: raw HTML with {what} is not allowed in a book"
    )


@pytest.mark.parametrize(
    "href", ["javascript:alert(1)", "JavaScript:x", "data:text/html,x", "file:///etc/passwd", "vbscript:x"]
)
def test_links_to_scripts_or_files_are_errors(tmp_path: Path, href: str) -> None:
    source = project(tmp_path, text__two_md=f"# Two\n\nSome text.\n\nA [link]({href}) b.\n")
    message = refused(tmp_path, source)
    assert message.startswith(f"{source / 'text/two.md'}:5: link to ")
    assert "a book links only to http, https, mailto" in message


def test_harmless_html_is_text_and_the_epub_has_no_script(tmp_path: Path) -> None:
    source = project(
        tmp_path,
        text__two_md=(
            "# Two\n\nA <span class=x>span</span>, a <b>bold</b> tag, `<script>` in code, "
            "[a link](https://example.org) and <https://example.org/auto>.\n\n"
            "```\n<script>alert(1)</script>\n```\n"
        ),
    )
    out = tmp_path / "dist"
    before = snapshot(tmp_path)
    result = CliRunner().invoke(
        main, ["build", "epub", "--source", str(source), "--out", str(out), "--styles", str(STYLES)]
    )
    assert result.exit_code == 0, result.output
    assert snapshot(tmp_path) == {**before, "dist/t.epub": (out / "t.epub").read_bytes()}
    assert "1 warning (1 raw-html): run 'book check' for the list" in result.output
    listed = CliRunner().invoke(main, ["check", "--source", str(source)])
    assert "raw-html raw HTML is not allowed in the manuscript and is printed as text" in listed.output
    with zipfile.ZipFile(out / "t.epub") as archive:
        for name in archive.namelist():
            if name.endswith(".xhtml"):
                assert_not_scripted(etree.fromstring(archive.read(name)))


def assert_not_scripted(root: etree._Element) -> None:
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        assert etree.QName(element).localname not in ("script", "iframe", "object", "embed")
        for name, value in element.attrib.items():
            assert not etree.QName(name).localname.lower().startswith("on"), name
            scheme = value.strip().lower()
            assert not scheme.startswith(("javascript:", "vbscript:", "data:text")), value


# ---------------------------------------------------------------- the real process


def test_subprocess_error_has_no_traceback(tmp_path: Path) -> None:
    source = project(tmp_path, text__two_md="# Two\n\nA <script>x()</script>\n")
    out = tmp_path / "dist"
    out.mkdir()
    (out / "t.epub").write_bytes(SENTINEL)
    result = run_book("build", "all", "--source", str(source), "--out", str(out), "--styles", str(STYLES))
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == (
        f"Error: {source / 'text/two.md'}:3:3: raw HTML with <script> is not allowed in a book "
        "(it would run a script or embed another page); remove it, or put it in `code` to show it"
    )
    assert "Traceback" not in result.stderr + result.stdout
    assert snapshot(out) == {"t.epub": SENTINEL}


def test_output_folder_that_is_a_file(tmp_path: Path) -> None:
    source = project(tmp_path)
    (tmp_path / "dist").write_bytes(SENTINEL)
    result = run_book(
        "build", "epub", "--source", str(source), "--out", str(tmp_path / "dist"), "--styles", str(STYLES)
    )
    assert result.returncode == 1
    assert "Error: " in result.stderr and "cannot create the output folder" in result.stderr
    assert "Traceback" not in result.stderr
    assert (tmp_path / "dist").read_bytes() == SENTINEL


def test_check_on_bad_input_reports_without_traceback(tmp_path: Path) -> None:
    source = project(tmp_path, text__two_md=b"# Two\n\n\xff\n")
    result = CliRunner().invoke(main, ["check", "--source", str(source)])
    assert result.exit_code == 1
    assert f"{source / 'text/two.md'}:3: manuscript-error not valid UTF-8" in result.output
