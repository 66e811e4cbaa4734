"""Pictures: a checked image of the manuscript is packed in the EPUB and printed in the PDF."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pikepdf
from conftest import FIXTURES, STYLES
from PIL import Image
from validators import ace, epubcheck, problems

from build_tools.build import Project, build


def test_an_image_is_packed_described_and_printed(tmp_path: Path) -> None:
    root = tmp_path / "m"
    shutil.copytree(FIXTURES / "small", root)
    (root / "images").mkdir()
    Image.new("L", (300, 200), 128).save(root / "images" / "map.png")
    one = root / "text" / "one.md"
    one.write_text(one.read_text(encoding="utf-8") + "\n![A grey map of China.](../images/map.png)\n",
                   encoding="utf-8")
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
        pictures = [name for page in pdf.pages for name, obj in page.Resources.get("/XObject", {}).items()
                    if obj.get("/Subtype") == "/Image"]
    assert pictures
