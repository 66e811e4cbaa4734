"""Hostile pictures, SVGs, stylesheets and file names (issue 17 items 1, 6, 9).

Each bad input is refused with the Markdown line that shows it (book.toml's line for a cover,
the stylesheet's line for CSS), exit 1, nothing written (``refused``); the work is bounded by
what is decoded or walked, never by a clock. The small inputs are files in
tests/hostile/images/; the large ones are made here from a few bytes (a PNG header declares
its size: nothing is decoded to refuse it).
"""

from __future__ import annotations

import io
import re
import shutil
import socket
import struct
import zipfile
import zlib
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner
from conftest import STYLES
from lxml import etree
from PIL import Image, ImageFile
from project_tools import CONFIG, in_empty_folder, project, refused
from starlette.testclient import TestClient
from validators import epubcheck, problems

from build_tools.build import Project, build
from build_tools.cli import main
from build_tools.parse.mdext.images import packaged_name
from build_tools.parse.mdext.svgsafe import UseCount
from build_tools.preview import open_preview
from build_tools.preview.server import SVG_POLICY
from build_tools.sources.pictures import MAX_PIXELS, MAX_SIDE

HOSTILE = Path(__file__).resolve().parent / "hostile" / "images"
SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'


@pytest.fixture(autouse=True)
def quiet_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    in_empty_folder(tmp_path, monkeypatch)


def declared_png(width: int, height: int) -> bytes:
    """A PNG whose header declares ``width`` × ``height`` (its pixels are not all there)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def picture(size: tuple[int, int], kind: str = "PNG", colour: int = 90) -> bytes:
    out = io.BytesIO()
    Image.new("L", size, colour).save(out, kind)
    return out.getvalue()


def shown(tmp_path: Path, name: str, data: bytes) -> Path:
    """A manuscript whose second chapter shows the picture ``name`` (text/images/), at line 5."""
    source = project(tmp_path, text__two_md=f"# Two\n\nA picture:\n\n![A map](<images/{name}>)\n")
    (source / "text" / "images").mkdir(exist_ok=True)
    (source / "text" / "images" / name).write_bytes(data)
    return source


# ---------------------------------------------------------------- rasters (finding 1)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("corrupt.png", "image 'images/corrupt.png' is a damaged PNG file (broken PNG file"),
        ("truncated.jpg", "image 'images/truncated.jpg' is a damaged JPEG file"),
        ("corrupt.webp", "image 'images/corrupt.webp' is a damaged WEBP file"),
    ],
)
def test_a_damaged_picture_is_refused_at_its_line(tmp_path: Path, name: str, message: str) -> None:
    source = shown(tmp_path, name, (HOSTILE / name).read_bytes())
    found = refused(tmp_path, source, "all")
    assert found.startswith(f"{source / 'text/two.md'}:5:1: {message}")


@pytest.mark.parametrize(
    ("size", "message"),
    [
        ((0, 0), "is not a readable PNG file"),  # Pillow refuses a 0 × 0 header
        ((20000, 20000), "is too large: a picture may have at most 25 million pixels"),
        ((12000, 12000), "is 12000 × 12000 px, too large"),  # over Pillow's warning (89 Mpx)
        ((MAX_SIDE + 1, 1), f"is {MAX_SIDE + 1} × 1 px, too large"),
        ((5001, 5000), "is 5001 × 5000 px, too large"),  # just over MAX_PIXELS
    ],
)
def test_a_picture_too_large_is_refused_from_its_header(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: tuple[int, int], message: str
) -> None:
    assert 5001 * 5000 > MAX_PIXELS >= 5000 * 5000
    # Refused before a pixel is decoded (the work bounded: nothing of 400 Mpx is ever made),
    # and without Pillow's DecompressionBombWarning (pytest turns any warning into an error).
    monkeypatch.setattr(ImageFile.ImageFile, "load", lambda self: pytest.fail("decoded"))
    source = shown(tmp_path, "big.png", declared_png(*size))
    found = refused(tmp_path, source, "all")
    assert found.startswith(f"{source / 'text/two.md'}:5:1: image 'images/big.png' {message}")


def test_pictures_at_the_limits_build(tmp_path: Path) -> None:
    source = project(
        tmp_path,
        text__two_md="# Two\n\n![A strip](images/strip.png)\n\n![A square](images/square.png)\n",
    )
    (source / "text" / "images").mkdir()
    (source / "text" / "images" / "strip.png").write_bytes(picture((MAX_SIDE, 1)))
    (source / "text" / "images" / "square.png").write_bytes(picture((50, 50)))
    book, _ = build(Project(source, STYLES, tmp_path / "out"), ("epub",))
    assert [image.href for image in book.images] == ["text/images/strip.png", "text/images/square.png"]


@pytest.mark.parametrize("key", ["cover", "cover_front"])
def test_a_damaged_cover_is_refused_at_book_toml_s_line(tmp_path: Path, key: str) -> None:
    config = CONFIG.replace("[contents]", f'{key} = "images/cover.png"\n\n[contents]')
    source = project(tmp_path, book_toml=config)
    (source / "images").mkdir()
    (source / "images" / "cover.png").write_bytes(declared_png(0, 0))
    number = config.splitlines().index(f'{key} = "images/cover.png"') + 1
    assert refused(tmp_path, source).startswith(
        f"{source / 'book.toml'}:{number}: '{key}' cover.png is not a readable PNG file"
    )
    (source / "images" / "cover.png").write_bytes(declared_png(30000, 30000))
    assert f"'{key}' cover.png is too large" in refused(tmp_path, source)


# ---------------------------------------------------------------- SVG (finding 6)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("xhtml-script.svg", "an SVG with <script> is not allowed"),
        ("xhtml-iframe.svg", "an SVG with <foreignObject> is not allowed"),
        ("external-entity.svg", "an SVG with a DOCTYPE that declares entities or names a DTD"),
        ("external-dtd.svg", "an SVG with a DOCTYPE that declares entities or names a DTD"),
        ("css-import.svg", "an SVG whose CSS has @import is not allowed"),
        ("xml-stylesheet.svg", "an SVG with a processing instruction (<?…?>) is not allowed"),
        ("css-url.svg", "an SVG whose CSS loads 'http://192.0.2.1/p.svg#g' is not allowed"),
        ("set-href.svg", "an SVG with <set> is not allowed"),
        ("use-loop.svg", "an SVG whose <use> refers to itself is not allowed"),
        ("use-bomb.svg", "an SVG may draw at most 20000 elements once its <use> are expanded"),
        ("use-deep.svg", "an SVG may nest <use> at most 8 deep"),
    ],
)
def test_an_unsafe_svg_is_refused_at_its_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, message: str
) -> None:
    connections: list[object] = []
    monkeypatch.setattr(socket.socket, "connect", lambda *args: connections.append(args))
    source = shown(tmp_path, name, (HOSTILE / name).read_bytes())
    found = refused(tmp_path, source, "all")
    assert found.startswith(f"{source / 'text/two.md'}:5:1: image 'images/{name}': {message}")
    assert connections == []


def test_the_use_bomb_is_counted_in_linear_work() -> None:
    svg = etree.fromstring((HOSTILE / "use-bomb.svg").read_bytes())
    counter = UseCount(svg)
    assert counter.problem()  # 10^9 elements drawn, if it were expanded
    assert counter.steps <= 2 * len(list(svg.iter()))  # each target's subtree walked once


GOOD_SVG = f"""<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<!-- Created with Inkscape (http://www.inkscape.org/) -->
{SVG} xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape"
  xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd"
  xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" width="200" height="100" viewBox="0 0 200 100">
  <sodipodi:namedview inkscape:zoom="1"/>
  <metadata><rdf:RDF/></metadata>
  <style>.ink {{ fill: url(#shade); }}</style>
  <defs><linearGradient id="shade"><stop offset="0" stop-color="#000"/><stop offset="1" stop-color="#888"/>
  </linearGradient><symbol id="box"><rect width="40" height="40"/></symbol></defs>
  <rect class="ink" width="200" height="100"/>
  <use xlink:href="#box" x="10" y="10"/><use href="#box" x="60" y="10" style="fill: url(#shade)"/>
  <text x="120" y="60">Hunan</text>
</svg>
"""


def test_a_safe_svg_builds_into_both_books(tmp_path: Path) -> None:
    source = shown(tmp_path, "map.svg", GOOD_SVG.encode())
    _, written = build(Project(source, STYLES, tmp_path / "out"))
    files = {path.suffix: path for path in written}
    with zipfile.ZipFile(files[".epub"]) as archive:
        assert archive.read("OEBPS/media/text/images/map.svg") == GOOD_SVG.encode()
    assert problems(epubcheck(files[".epub"])) == []
    assert _pictures(files[".pdf"])  # rasterised for the gray interior, and printed


def test_an_svg_too_large_to_print_is_an_error_at_its_line(tmp_path: Path) -> None:
    # 4 × 3,000 in: rasterised at 300 ppi it would be 1,200 × 900,000 px (it took 2.2 GB and
    # ended in an internal error); refused from its laid-out size, before it is drawn.
    tall = f'{SVG} width="4in" height="3000in"><rect width="10" height="10"/></svg>'
    source = shown(tmp_path, "tall.svg", tall.encode())
    found = refused(tmp_path, source, "pdf")
    assert found.startswith(
        f"{source / 'text/two.md'}:5:1: image 'text/images/tall.svg' lays out at 4.0 × 3000.0 in"
    )
    assert "too large to print" in found


def test_the_preview_serves_an_svg_only_as_checked_and_without_script(tmp_path: Path) -> None:
    source = shown(tmp_path, "map.svg", GOOD_SVG.encode())
    opened = open_preview(source, STYLES)
    try:
        client = TestClient(opened.server.app)
        served = client.get("/text/images/map.svg")
        assert served.status_code == 200 and served.content == GOOD_SVG.encode()
        assert served.headers["content-security-policy"] == SVG_POLICY
        assert "script-src" not in SVG_POLICY and "default-src 'none'" in SVG_POLICY
        # Changed on disk since the parse (no rebuild yet): never served as it is now.
        (source / "text" / "images" / "map.svg").write_bytes((HOSTILE / "xhtml-script.svg").read_bytes())
        assert client.get("/text/images/map.svg").status_code == 404
    finally:
        opened.close()


# ---------------------------------------------------------------- stylesheets (finding 6)


@pytest.mark.parametrize(
    ("name", "rule", "message"),
    [
        (
            "print.css",
            '@import url("http://192.0.2.1/x.css");',
            "print.css may load only files of the styles",
        ),
        ("print.css", "@import 'https://192.0.2.1/x.css';", "print.css may load only files of the styles"),
        ("print.css", "p { background: url(../../secret.png) }", "url() '../../secret.png' is outside"),
        ("print.css", "p { background: image-set('//192.0.2.1/a.png' 1x) }", "may load only files of"),
        ("print.css", "@font-face { src: url(data:font/woff2;base64,AAAA) }", "may load only files of"),
        ("epub.css", "@import 'more.css';", "epub.css may not load anything (@import 'more.css')"),
        (
            "epub.css",
            "p { background: url(paper.png) }",
            "epub.css may not load anything (url() 'paper.png')",
        ),
    ],
)
def test_a_stylesheet_that_loads_from_elsewhere_is_refused_at_its_line(
    tmp_path: Path, name: str, rule: str, message: str
) -> None:
    styles = tmp_path / "styles"
    shutil.copytree(STYLES, styles, symlinks=False)
    sheet = styles / name
    text = sheet.read_text(encoding="utf-8")
    sheet.write_text(text + f"\n/* a stranger's rule */\n{rule}\n", encoding="utf-8")
    number = len(text.splitlines()) + 3
    source = project(tmp_path)
    out = tmp_path / "dist"
    args = ["build", "all", "--source", str(source), "--out", str(out), "--styles", str(styles)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"Error: {sheet}:{number}:" in result.output and message in result.output
    assert not out.exists()


def test_the_preview_refuses_an_epub_css_that_loads_from_elsewhere(tmp_path: Path) -> None:
    styles = tmp_path / "styles"
    shutil.copytree(STYLES, styles, symlinks=False)
    sheet = styles / "epub.css"
    sheet.write_text(sheet.read_text(encoding="utf-8") + "\n@import url(http://192.0.2.1/x.css);\n", "utf-8")
    result = CliRunner().invoke(
        main, ["preview", "--source", str(project(tmp_path)), "--styles", str(styles)]
    )
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"{sheet}:" in result.output and "epub.css may not load anything (@import" in result.output
    opened = open_preview(project(tmp_path), styles)  # and one saved while it runs: served empty
    try:
        served = TestClient(opened.server.app).get("/css/book.css").text
        assert "192.0.2.1" in served and "@import" not in served.replace("(@import", "")
        assert served.startswith("/*") and served.rstrip().endswith("*/") and served.count("*/") == 1
    finally:
        opened.close()


def test_a_print_css_may_load_files_of_its_folder(tmp_path: Path) -> None:
    styles = tmp_path / "styles"
    shutil.copytree(STYLES, styles, symlinks=False)
    (styles / "paper.png").write_bytes(picture((4, 4), colour=250))
    sheet = styles / "print.css"
    sheet.write_text(sheet.read_text(encoding="utf-8") + "\nhr { background: url(paper.png) }\n", "utf-8")
    _, written = build(Project(project(tmp_path), styles, tmp_path / "out"), ("pdf",))
    assert [path.suffix for path in written] == [".pdf"]


def test_a_font_outside_the_styles_folder_is_refused_at_its_line(tmp_path: Path) -> None:
    styles = tmp_path / "styles"
    shutil.copytree(STYLES, styles, symlinks=False)
    fonts = styles / "fonts.toml"
    text = fonts.read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if line.startswith("regular = "))
    fonts.write_text(text.replace(line, 'regular = "../../etc/passwd.ttf"'), encoding="utf-8")
    number = text.splitlines().index(line) + 1
    result = CliRunner().invoke(
        main, ["build", "epub", "--source", str(project(tmp_path)), "--styles", str(styles)]
    )
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"{fonts}:{number}" in result.output and "is outside the styles folder" in result.output


# ---------------------------------------------------------------- file names (finding 9)

NAMES = ("my map.png", "a#b.png", "a?b.png", "a%b.png", "a&b.png", "carte é.png", "a b.png", "a-b.png")


def test_packaged_names_are_safe_distinct_and_stable() -> None:
    made = [packaged_name(f"text/images/{name}") for name in NAMES]
    assert all(re.fullmatch(r"[A-Za-z0-9._/-]+", name) for name in made)
    assert len(set(made)) == len(made)  # "a b.png" and "a-b.png" stay apart
    assert made[-1] == "text/images/a-b.png" and packaged_name("images/Map_1.PNG") == "images/Map_1.PNG"
    assert made == [packaged_name(f"text/images/{name}") for name in NAMES]
    assert packaged_name("my pictures/map.png").startswith("my-pictures/map-")


def test_file_names_with_any_character_build_both_books(tmp_path: Path) -> None:
    shows = "".join(f"![Picture {i}](<images/{name}>)\n\n" for i, name in enumerate(NAMES))
    source = project(tmp_path, text__two_md=f"# Two\n\n{shows}")
    (source / "text" / "images").mkdir()
    for i, name in enumerate(NAMES):  # each its own width, to find it in the PDF
        (source / "text" / "images" / name).write_bytes(picture((600 + i, 400)))
    book, written = build(Project(source, STYLES, tmp_path / "out"))
    files = {path.suffix: path for path in written}
    hrefs = [image.href for image in book.images]
    with zipfile.ZipFile(files[".epub"]) as archive:
        section = archive.read("OEBPS/section-002.xhtml").decode()
        for i, href in enumerate(hrefs):
            assert f'<img alt="Picture {i}" src="media/{href}"/>' in section
            with Image.open(io.BytesIO(archive.read(f"OEBPS/media/{href}"))) as packed:
                assert packed.size == (600 + i, 400)
    assert problems(epubcheck(files[".epub"])) == []
    assert sorted(width for width, _ in _pictures(files[".pdf"])) == [600 + i for i in range(len(NAMES))]


def _pictures(pdf_path: Path) -> list[tuple[int, int]]:
    """The size of every picture the PDF's pages hold, each once (WeasyPrint's pages share
    their resources)."""
    with pikepdf.open(pdf_path) as pdf:
        found = {
            obj.objgen: (int(obj.Width), int(obj.Height))
            for page in pdf.pages
            for obj in page.Resources.get("/XObject", {}).values()
            if obj.get("/Subtype") == "/Image"
        }
    return list(found.values())
