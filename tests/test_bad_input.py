"""Bad input through the real command: a clear message with its place, exit 1, no traceback,
dist/ untouched and nothing written anywhere else. Then the build's durability: an interrupted
or killed build leaves the previous outputs as they were, and concurrent builds do not mix.
"""

from __future__ import annotations

import os
import signal
import socket
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import book_toml
from lxml import etree

from build_tools.cli import main
from build_tools.parse.parser import MAX_DEPTH, MAX_PARAGRAPH, parse
from build_tools.sources.manuscript import load
from build_tools.writers.output import STALE_AFTER

STYLES = Path(__file__).resolve().parent.parent / "styles"
CONFIG = book_toml(["text/one.md", "text/two.md"])
ONE = "# One\n\nThe first chapter.[^a]\n\n[^a]: A note.\n"
TWO = "# Two\n\nThe second chapter.\n"
SENTINEL = b"the previous build"
PREVIOUS = b"PK the previous complete build"


def project(tmp_path: Path, **files: str | bytes) -> Path:
    """A manuscript in ``tmp_path/manuscript``: book.toml, text/one.md, text/two.md, and
    ``files`` named as ``text__images__map_png`` for text/images/map.png."""
    source = tmp_path / "manuscript"
    defaults: dict[str, str | bytes] = {"book.toml": CONFIG, "text/one.md": ONE, "text/two.md": TWO}
    named = {".".join(k.replace("__", "/").rsplit("_", 1)): v for k, v in files.items()}
    for name, content in {**defaults, **named}.items():
        path = source / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return source


def snapshot(root: Path) -> dict[str, bytes]:
    files = sorted(p for p in root.rglob("*") if p.is_file())
    return {str(p.relative_to(root)): p.read_bytes() for p in files}


def refused(tmp_path: Path, source: Path, target: str = "epub") -> str:
    """Build through the CLI into a dist/ holding a previous build; check that nothing changed
    anywhere and return the message."""
    out = tmp_path / "dist"
    out.mkdir(exist_ok=True)
    (out / "t.epub").write_bytes(SENTINEL)
    (out / "notes.txt").write_bytes(b"kept")
    before = snapshot(tmp_path)
    result = CliRunner().invoke(
        main, ["build", target, "--source", str(source), "--out", str(out), "--styles", str(STYLES)]
    )
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)  # a BookError, not a crash
    assert snapshot(tmp_path) == before  # dist/ untouched, nothing written anywhere
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt", "t.epub"]
    message = result.output.strip().splitlines()[-1]
    assert message.startswith("Error: ")
    return message.removeprefix("Error: ")


@pytest.fixture(autouse=True)
def quiet_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run in an empty folder: nothing may appear in it."""
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")


def png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00\x00")) + chunk(b"IEND", b""))


# ---------------------------------------------------------------- the manuscript's files


def test_not_utf8_gives_line_and_byte_offset(tmp_path: Path) -> None:
    source = project(tmp_path, text__two_md=b"# Two\n\nCaf\xe9 noir.\n")
    assert refused(tmp_path, source) == (
        f"{source / 'text/two.md'}:3: not valid UTF-8: byte 0xe9 at byte offset 10; "
        "save the file as UTF-8"
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
    assert refused(tmp_path, source) == (
        f"{source / 'book.toml'}: no book.toml in the manuscript folder"
    )
    assert refused(tmp_path, tmp_path / "nowhere") == (
        f"{tmp_path / 'nowhere'}: manuscript folder not found"
    )


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
    bad = "entries:\n  - id: x\n    forms: [\"X\"\n  - id: y\n" if kind == "names" else \
        "events:\n  - id: a\n    date: \"1927\n"
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
    windows = project(tmp_path / "crlf",
                      text__one_md=b"\xef\xbb\xbf" + ONE.replace("\n", "\r\n").encode(),
                      text__two_md=TWO.replace("\n", "\r").encode())
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
    assert refused(tmp_path, source).startswith(
        f"{source / 'text/two.md'}:3:3: unclosed editorial query"
    )


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


@pytest.mark.parametrize("href", ["javascript:alert(1)", "JavaScript:x", "data:text/html,x",
                                  "file:///etc/passwd", "vbscript:x"])
def test_links_to_scripts_or_files_are_errors(tmp_path: Path, href: str) -> None:
    source = project(tmp_path, text__two_md=f"# Two\n\nSome text.\n\nA [link]({href}) b.\n")
    message = refused(tmp_path, source)
    assert message.startswith(f"{source / 'text/two.md'}:5: link to ")
    assert "a book links only to http, https, mailto" in message


def test_harmless_html_is_text_and_the_epub_has_no_script(tmp_path: Path) -> None:
    source = project(tmp_path, text__two_md=(
        "# Two\n\nA <span class=x>span</span>, a <b>bold</b> tag, `<script>` in code, "
        "[a link](https://example.org) and <https://example.org/auto>.\n\n"
        "```\n<script>alert(1)</script>\n```\n"
    ))
    out = tmp_path / "dist"
    before = snapshot(tmp_path)
    result = CliRunner().invoke(main, ["build", "epub", "--source", str(source), "--out", str(out),
                                       "--styles", str(STYLES)])
    assert result.exit_code == 0, result.output
    assert snapshot(tmp_path) == {**before, "dist/t.epub": (out / "t.epub").read_bytes()}
    assert "raw-html raw HTML is not allowed in the manuscript and is printed as text" \
        in result.output
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


# ---------------------------------------------------------------- images


@pytest.mark.parametrize(
    ("markdown", "message"),
    [
        ("![A map](images/missing.png)", "image not found: images/missing.png"),
        ("![A map](../../secret.png)", "image '../../secret.png' is outside the manuscript folder"),
        ("![A map](/etc/hostname)", "image '/etc/hostname' is outside the manuscript folder"),
        ("![A map](http://192.0.2.1/map.png)", "image 'http://192.0.2.1/map.png' is not a file of "
         "the manuscript: the build never fetches anything"),
        ("![A map](https://example.org/map.png)", "is not a file of the manuscript"),
        ("![A map](//example.org/map.png)", "is not a file of the manuscript"),
        ("![A map](data:image/png;base64,iVBORw0KGgo=)", "is not a file of the manuscript"),
        ("![](images/map.png)", "image 'images/map.png' has no alt text"),
        ("![  ](images/map.png)", "image 'images/map.png' has no alt text"),
        ("![A map](images/map.bmp)", "image 'images/map.bmp': unsupported format"),
        ("![A map](images/fake.png)", "image 'images/fake.png' is not a PNG file"),
        ("![A map](images/scripted.svg)", "image 'images/scripted.svg': an SVG with <script>"),
        ("![A map](images/onload.svg)", "image 'images/onload.svg': SVG event attribute 'onload'"),
        ("![A map](images/remote.svg)", "image 'images/remote.svg': an SVG that links to"),
    ],
)
def test_bad_images(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, markdown: str, message: str
) -> None:
    svg = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
    source = project(
        tmp_path, text__two_md=f"# Two\n\nA picture:\n\n{markdown}\n",
        text__images__map_png=png(), text__images__map_bmp=b"BM", text__images__fake_png=b"text",
        text__images__scripted_svg=f"{svg}><script>alert(1)</script></svg>",
        text__images__onload_svg=f'{svg} onload="alert(1)"/>',
        text__images__remote_svg=f'{svg}><image xlink:href="https://example.org/x.png"/></svg>',
    )
    connections: list[object] = []
    monkeypatch.setattr(socket.socket, "connect", lambda *args: connections.append(args))
    found = refused(tmp_path, source)
    assert found.startswith(f"{source / 'text/two.md'}:5:1: ")
    assert message in found
    assert connections == []  # never fetched


def test_good_image_is_recorded(tmp_path: Path) -> None:
    source = project(
        tmp_path,
        text__two_md="# Two\n\n![A  map of\nHunan](images/map.png \"Hunan\")\n\nText.[^n]\n\n"
        "[^n]: See the map again: ![The same map](../text/images/map.png)\n",
        text__images__map_png=png(),
    )
    book = parse(load(source), 0)
    (image,) = book.images
    assert (image.href, image.media_type, image.alt) == (
        "text/images/map.png", "image/png", "A map of Hunan"
    )
    assert image.path == (source / "text/images/map.png").resolve()
    assert str(image.location) == f"{source / 'text/two.md'}:3:1"
    assert [i.alt for i in book.sections[1].images] == ["A map of Hunan", "The same map"]
    body = book.sections[1].body.xml
    assert '<img alt="A map of Hunan" src="text/images/map.png" title="Hunan"/>' in body
    assert '<img alt="The same map" src="text/images/map.png"/>' in book.sections[1].notes[0].body.xml


# ---------------------------------------------------------------- limits


def test_ten_megabyte_paragraph_is_refused_at_once(tmp_path: Path) -> None:
    paragraph = "lorem ipsum *dolor* sit amet, " * (10_000_000 // 30)
    source = project(tmp_path, text__two_md=f"# Two\n\nFirst.\n\n{paragraph}\n")
    started = time.monotonic()
    message = refused(tmp_path, source)
    assert time.monotonic() - started < 10
    assert message == (
        f"{source / 'text/two.md'}:5: a paragraph of more than {MAX_PARAGRAPH:,} characters: "
        "split it with blank lines (the limit keeps conversion time reasonable)"
    )


def test_long_paragraph_under_the_limit_builds(tmp_path: Path) -> None:
    unit = "Serge wrote *letters*[^n] and “quoted” [a link](https://x.org) with `code`; "
    source = project(tmp_path, text__two_md="# Two\n\n" + unit * (MAX_PARAGRAPH // len(unit) - 1)
                     + "\n\n[^n]: A note.\n")
    started = time.monotonic()
    book = parse(load(source), 0)
    assert time.monotonic() - started < 20
    assert len(book.sections[1].body.xml) > MAX_PARAGRAPH


@pytest.mark.parametrize("unclosed", ["[", "[^", "![", "[a]("])
def test_unclosed_brackets_are_refused_at_once(tmp_path: Path, unclosed: str) -> None:
    source = project(tmp_path, text__two_md="# Two\n\n" + f"{unclosed}x " * 5000 + "\n")
    started = time.monotonic()
    assert "never closed" in refused(tmp_path, source)
    assert time.monotonic() - started < 5


@pytest.mark.parametrize(
    ("nesting", "line"),
    [
        ("".join("    " * level + "- item\n" for level in range(200)), 3 + MAX_DEPTH + 1),
        ("> " * 200 + "deep\n", 3),
        ("".join("> " * level + "\n" + "> " * level + "- item\n" for level in range(1, 200)),
         3 + 2 * MAX_DEPTH),
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


# ---------------------------------------------------------------- the real process


def run_book(*args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "build_tools", *args], capture_output=True,
                          text=True, env={**os.environ, "SOURCE_DATE_EPOCH": "1767225600"},
                          timeout=120, **kwargs)  # type: ignore[call-overload]


def test_subprocess_error_has_no_traceback(tmp_path: Path) -> None:
    source = project(tmp_path, text__two_md="# Two\n\nA <script>x()</script>\n")
    out = tmp_path / "dist"
    out.mkdir()
    (out / "t.epub").write_bytes(SENTINEL)
    result = run_book("build", "all", "--source", str(source), "--out", str(out),
                      "--styles", str(STYLES))
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
    result = run_book("build", "epub", "--source", str(source), "--out", str(tmp_path / "dist"),
                      "--styles", str(STYLES))
    assert result.returncode == 1
    assert "Error: " in result.stderr and "cannot create the output folder" in result.stderr
    assert "Traceback" not in result.stderr
    assert (tmp_path / "dist").read_bytes() == SENTINEL


# ---------------------------------------------------------------- durability


def big_project(tmp_path: Path) -> Path:
    """A manuscript of 3 MB, whose EPUB takes long enough to write to be caught in the act."""
    sentence = "It was a time of letters; the papers said little about the events in the south. "
    paragraph = (sentence * 12).strip()
    text = "\n\n".join([paragraph] * 1500)
    return project(tmp_path, text__one_md=f"# One\n\n{text}\n", text__two_md=f"# Two\n\n{text}\n")


def build_args(source: Path, out: Path) -> list[str]:
    return ["build", "epub", "--source", str(source), "--out", str(out), "--styles", str(STYLES)]


def interrupt_while_writing(source: Path, out: Path, sig: signal.Signals) -> tuple[int, str]:
    """Start a build and send ``sig`` as soon as its temporary output appears (try again if a
    busy machine let the build finish first); the exit status and stderr."""
    for _ in range(3):
        process = subprocess.Popen(
            [sys.executable, "-m", "build_tools", *build_args(source, out)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={**os.environ, "SOURCE_DATE_EPOCH": "1767225600"},
        )
        while process.poll() is None:
            if any(out.glob(".t.epub.*.part")):
                process.send_signal(sig)
                break
            time.sleep(0.0005)
        _, stderr = process.communicate(timeout=60)
        if process.returncode != 0:
            break
        (out / "t.epub").write_bytes(PREVIOUS)
    return process.returncode, stderr


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL])
def test_interrupted_build_keeps_the_previous_output(tmp_path: Path, sig: signal.Signals) -> None:
    source = big_project(tmp_path)
    out = tmp_path / "dist"
    out.mkdir()
    (out / "t.epub").write_bytes(PREVIOUS)
    status, stderr = interrupt_while_writing(source, out, sig)
    assert status != 0, "the build finished before it could be interrupted"
    assert "Traceback" not in stderr
    assert (out / "t.epub").read_bytes() == PREVIOUS
    left = sorted(p.name for p in out.iterdir())
    if sig == signal.SIGKILL:  # no clean-up can run: a hidden temporary file may stay
        assert all(name == "t.epub" or (name.startswith(".t.epub.") and name.endswith(".part"))
                   for name in left)
    else:
        assert left == ["t.epub"]


def test_next_build_ignores_then_removes_a_killed_builds_leftover(tmp_path: Path) -> None:
    source = project(tmp_path)
    out = tmp_path / "dist"
    out.mkdir()
    fresh, stale = out / ".t.epub.fresh.part", out / ".t.epub.stale.part"
    fresh.write_bytes(b"a build still writing")
    stale.write_bytes(b"a build killed long ago")
    old = time.time() - STALE_AFTER - 60
    os.utime(stale, (old, old))
    result = CliRunner().invoke(main, build_args(source, out))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [".t.epub.fresh.part", "t.epub"]
    assert fresh.read_bytes() == b"a build still writing"
    assert zipfile.ZipFile(out / "t.epub").testzip() is None


def test_concurrent_builds_into_one_folder(tmp_path: Path) -> None:
    source = big_project(tmp_path)
    alone, shared = tmp_path / "alone", tmp_path / "shared"
    assert run_book(*build_args(source, alone)).returncode == 0
    reference = (alone / "t.epub").read_bytes()
    with ThreadPoolExecutor(3) as pool:
        results = list(pool.map(lambda _: run_book(*build_args(source, shared)), range(3)))
    assert [r.returncode for r in results] == [0, 0, 0], [r.stderr for r in results]
    assert sorted(p.name for p in shared.iterdir()) == ["t.epub"]
    assert (shared / "t.epub").read_bytes() == reference
    with zipfile.ZipFile(shared / "t.epub") as archive:
        assert archive.testzip() is None


def test_check_on_bad_input_reports_without_traceback(tmp_path: Path) -> None:
    source = project(tmp_path, text__two_md=b"# Two\n\n\xff\n")
    result = CliRunner().invoke(main, ["check", "--source", str(source)])
    assert result.exit_code == 1
    assert f"{source / 'text/two.md'}:3: manuscript-error not valid UTF-8" in result.output
