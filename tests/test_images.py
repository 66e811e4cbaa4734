"""Pictures: a checked image of the manuscript is packed in the EPUB and printed in the PDF; a
missing, unsafe or remote one is refused with its line, and nothing is ever fetched."""

from __future__ import annotations

import shutil
import socket
import zipfile
from pathlib import Path

import pikepdf
import pytest
from conftest import FIXTURES, STYLES
from PIL import Image
from project_tools import in_empty_folder, png, project, refused
from validators import ace, epubcheck, problems

from build_tools.build import Project, build
from build_tools.parse.parser import parse
from build_tools.sources.manuscript import load


@pytest.fixture(autouse=True)
def quiet_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    in_empty_folder(tmp_path, monkeypatch)


def test_an_image_is_packed_described_and_printed(tmp_path: Path) -> None:
    root = tmp_path / "m"
    shutil.copytree(FIXTURES / "small", root)
    (root / "images").mkdir()
    Image.new("L", (300, 200), 128).save(root / "images" / "map.png")
    one = root / "text" / "one.md"
    one.write_text(
        one.read_text(encoding="utf-8") + "\n![A grey map of China.](../images/map.png)\n", encoding="utf-8"
    )
    book, written = build(Project(root, STYLES, tmp_path / "out"))
    files = {path.suffix: path for path in written}
    assert [image.href for image in book.images] == ["images/map.png"]
    with zipfile.ZipFile(files[".epub"]) as archive:
        assert "OEBPS/media/images/map.png" in archive.namelist()
        section = archive.read("OEBPS/section-001.xhtml").decode()
        opf = archive.read("OEBPS/content.opf").decode()
    assert '<img alt="A grey map of China." src="media/images/map.png"/>' in section
    assert 'href="media/images/map.png" media-type="image/png"' in opf
    assert "alternativeText" in opf and '<meta property="schema:accessMode">visual</meta>' in opf
    assert problems(epubcheck(files[".epub"])) == []
    assert ace(files[".epub"], tmp_path / "ace") == []
    with pikepdf.open(files[".pdf"]) as pdf:
        pictures = [
            name
            for page in pdf.pages
            for name, obj in page.Resources.get("/XObject", {}).items()
            if obj.get("/Subtype") == "/Image"
        ]
    assert pictures


@pytest.mark.parametrize(
    ("markdown", "message"),
    [
        ("![A map](images/missing.png)", "image not found: images/missing.png"),
        ("![A map](../../secret.png)", "image '../../secret.png' is outside the manuscript folder"),
        ("![A map](/etc/hostname)", "image '/etc/hostname' is outside the manuscript folder"),
        (
            "![A map](http://192.0.2.1/map.png)",
            "image 'http://192.0.2.1/map.png' is not a file of "
            "the manuscript: the build never fetches anything",
        ),
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
def test_bad_images(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, markdown: str, message: str) -> None:
    svg = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
    source = project(
        tmp_path,
        text__two_md=f"# Two\n\nA picture:\n\n{markdown}\n",
        text__images__map_png=png(),
        text__images__map_bmp=b"BM",
        text__images__fake_png=b"text",
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
        text__two_md='# Two\n\n![A  map of\nHunan](images/map.png "Hunan")\n\nText.[^n]\n\n'
        "[^n]: See the map again: ![The same map](../text/images/map.png)\n",
        text__images__map_png=png(),
    )
    book = parse(load(source), 0)
    (image,) = book.images
    assert (image.href, image.media_type, image.alt) == ("text/images/map.png", "image/png", "A map of Hunan")
    assert image.path == (source / "text/images/map.png").resolve()
    assert str(image.location) == f"{source / 'text/two.md'}:3:1"
    assert [i.alt for i in book.sections[1].images] == ["A map of Hunan", "The same map"]
    body = book.sections[1].body.xml
    # Alone in its paragraph, the image is a figure and its title the caption (test_forms.py).
    assert '<img alt="A map of Hunan" src="text/images/map.png"/><figcaption>Hunan</figcaption>' in body
    assert '<img alt="The same map" src="text/images/map.png"/>' in book.sections[1].notes[0].body.xml
