"""book import FILE.epub refusing what it cannot read (one line, exit 1, nothing written), and
the note shapes no fixture has: DPUB-ARIA roles alone, plain links the note links back to."""

from __future__ import annotations

import zipfile
from pathlib import Path
from urllib.parse import quote

from click.testing import CliRunner
from conftest import FIXTURES

from build_tools.cli import main
from build_tools.importing.epub import read_epub
from build_tools.importing.run import import_file

HERE = FIXTURES / "import-epub"


# Refusals: one line, exit 1, nothing written.


def _refused(epub: Path, tmp_path: Path) -> str:
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["import", str(epub), "--out", str(out)])
    assert result.exit_code == 1, result.output
    assert not out.exists()
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.output, result.output
    return lines[0]


def _copy(tmp_path: Path, changes: dict[str, bytes | None], name: str = "standard-ebooks") -> Path:
    """A copy of a fixture with some entries replaced, added (bytes) or removed (None)."""
    target = tmp_path / f"changed-{name}.epub"
    with zipfile.ZipFile(HERE / f"{name}.epub") as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            if info.filename not in changes:
                new.writestr(info, old.read(info))
        for entry, data in changes.items():
            if data is not None:
                new.writestr(entry, data)
    return target


ENCRYPTION = """<?xml version="1.0"?>
<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container"
  xmlns:enc="http://www.w3.org/2001/04/xmlenc#">
 <enc:EncryptedData><enc:EncryptionMethod Algorithm="{algorithm}"/>
  <enc:CipherData><enc:CipherReference URI="{uri}"/></enc:CipherData></enc:EncryptedData>
</encryption>"""


def test_adobe_drm_is_refused(tmp_path: Path) -> None:
    line = _refused(_copy(tmp_path, {"META-INF/rights.xml": b"<rights/>"}), tmp_path)
    assert "protected by DRM" in line and "rights.xml" in line


def test_encryption_is_refused(tmp_path: Path) -> None:
    xml = ENCRYPTION.format(
        algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc", uri="epub/text/chapter-1.xhtml"
    )
    line = _refused(_copy(tmp_path, {"META-INF/encryption.xml": xml.encode()}), tmp_path)
    assert "encrypted" in line and "epub/text/chapter-1.xhtml" in line


def test_font_obfuscation_only_drops_the_font(tmp_path: Path) -> None:
    xml = ENCRYPTION.format(algorithm="http://www.idpf.org/2008/embedding", uri="epub/fonts/face.otf")
    epub = _copy(tmp_path, {"META-INF/encryption.xml": xml.encode(), "epub/fonts/face.otf": b"\x00garbled"})
    book = read_epub(epub)
    assert [s.title for s in book.sections] == ["Dedication", "The Crossing", "The Ice", "Epilogue"]


def test_malformed_opf_is_refused(tmp_path: Path) -> None:
    with zipfile.ZipFile(HERE / "standard-ebooks.epub") as archive:
        opf = archive.read("epub/content.opf").replace(b"</manifest>", b"</manifesto>")
    line = _refused(_copy(tmp_path, {"epub/content.opf": opf}), tmp_path)
    assert "content.opf:" in line and "malformed package document" in line


def test_missing_spine_file_is_refused(tmp_path: Path) -> None:
    line = _refused(_copy(tmp_path, {"epub/text/chapter-2.xhtml": None}), tmp_path)
    assert "epub/text/chapter-2.xhtml is not in the EPUB" in line


def test_malformed_xhtml_names_its_file_and_line(tmp_path: Path) -> None:
    with zipfile.ZipFile(HERE / "standard-ebooks.epub") as archive:
        chapter = archive.read("epub/text/chapter-2.xhtml").replace(b"</blockquote>", b"</blockquot>")
    line = _refused(_copy(tmp_path, {"epub/text/chapter-2.xhtml": chapter}), tmp_path)
    number = chapter.decode().splitlines().index("\t\t\t\t</blockquot>") + 1
    assert f"epub/text/chapter-2.xhtml:{number}: malformed XHTML" in line


def test_missing_container_is_refused(tmp_path: Path) -> None:
    line = _refused(_copy(tmp_path, {"META-INF/container.xml": None}), tmp_path)
    assert "META-INF/container.xml is missing" in line


# Shapes no fixture has: DPUB-ARIA roles alone, and plain links that the note links back to.


def _page(body: str) -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?><html xmlns="http://www.w3.org/1999/xhtml" '
        f'xmlns:epub="http://www.idpf.org/2007/ops"><head><title>t</title></head><body>{body}</body></html>'
    )


def _made(
    tmp_path: Path, spine: list[tuple[str, str, str]], others: dict[str, tuple[bytes, str, str]]
) -> Path:
    """A minimal EPUB 3: spine documents (name, body, itemref attributes) and other items
    (name → bytes, media type, properties)."""
    items = [(name, _page(body).encode(), "application/xhtml+xml", "") for name, body, _ in spine]
    items += [(name, data, kind, props) for name, (data, kind, props) in others.items()]
    manifest = "".join(
        f'<item id="i{n}" href="{quote(name)}" media-type="{kind}"'
        + (f' properties="{props}"' if props else "")
        + "/>"
        for n, (name, _, kind, props) in enumerate(items)
    )
    refs = "".join(f'<itemref idref="i{n}"{attrs}/>' for n, (_, _, attrs) in enumerate(spine))
    opf = (
        '<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0" '
        'unique-identifier="id">'
        '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:identifier id="id">x</dc:identifier>'
        f"<dc:title>T</dc:title><dc:language>en</dc:language></metadata><manifest>{manifest}</manifest>"
        f"<spine>{refs}</spine></package>"
    )
    target = tmp_path / "made.epub"
    with zipfile.ZipFile(target, "w") as archive:
        archive.writestr("mimetype", "application/epub+zip")
        archive.writestr(
            "META-INF/container.xml",
            '<container xmlns="urn:oasis:names:tc:opendocument:xmlns:container" version="1.0"><rootfiles>'
            '<rootfile full-path="o.opf" media-type="application/oebps-package+xml"/>'
            "</rootfiles></container>",
        )
        archive.writestr("o.opf", opf)
        for name, data, _, _ in items:
            archive.writestr(name, data)
    return target


def _epub(tmp_path: Path, chapter: str, notes: str = "", linear: str = "") -> Path:
    """A minimal EPUB 3 of one chapter and a notes file."""
    return _made(tmp_path, [("c.xhtml", chapter, ""), ("n.xhtml", notes, linear)], {})


def _markdown(tmp_path: Path, epub: Path) -> str:
    out = tmp_path / "imported"
    import_file(epub, out)
    return "".join(p.read_text(encoding="utf-8") for p in sorted((out / "text").iterdir()))


def test_dpub_aria_roles_alone(tmp_path: Path) -> None:
    chapter = (
        '<h1>One</h1><p>A river<a role="doc-noteref" href="n.xhtml#a">1</a> and a town.</p>'
        '<p>See <a href="n.xhtml#b">the second</a>.</p>'
    )
    notes = (
        '<section role="doc-endnotes"><ol><li id="a" role="doc-endnote"><p>The Low River. '
        '<a role="doc-backlink" href="c.xhtml#x">back</a></p></li>'
        '<li id="b"><p>Not a note: nothing calls it as one.</p></li></ol></section>'
    )
    text = _markdown(tmp_path, _epub(tmp_path, chapter, notes))
    assert "A river[^1] and a town." in text and "[^1]: The Low River.\n" in text
    assert "See the second." in text and "Not a note" in text


def test_plain_links_that_the_note_links_back_to(tmp_path: Path) -> None:
    chapter = (
        '<h1>One</h1><p>A river<sup><a id="r1" href="#f1">1</a></sup> and a town'
        '<a id="r2" href="n.xhtml#f2">[2]</a>.</p>'
        '<p><a href="#f1x">3</a> goes to a paragraph that does not link back.</p><p id="f1x">Plain.</p>'
        '<div class="notes"><p id="f1"><a href="#r1">1.</a> In the hills.</p></div>'
    )
    notes = '<div><p><a id="f2" href="c.xhtml#r2">2</a> By the sea (so they say).</p></div>'
    text = _markdown(tmp_path, _epub(tmp_path, chapter, notes, ' linear="no"'))
    assert "A river[^1] and a town[^2]." in text
    assert "[^1]: In the hills.\n" in text and "[^2]: By the sea (so they say).\n" in text
    assert "3 goes to a paragraph" in text and "Plain." in text


PNG = (FIXTURES / "import-epub" / "calibre" / "river.png").read_bytes()


def test_parts_from_the_contents_pictures_and_captions(tmp_path: Path) -> None:
    """A contents entry above chapters is their part; an SVG picture, a ``div`` of a picture
    and a caption, a half title and a picture's unsafe name; a linear="no" document."""
    nav = (
        '<nav epub:type="toc"><ol><li><span>Book One</span><ol><li><a href="a.xhtml">A</a></li>'
        '<li><a href="b.xhtml">B</a></li></ol></li><li><a href="c.xhtml">C</a></li></ol></nav>'
    )
    spine = [
        ("half.xhtml", '<section epub:type="halftitlepage"><h1>T</h1></section>', ""),
        (
            "a.xhtml",
            '<h1>A</h1><p>One.</p><svg xmlns="http://www.w3.org/2000/svg" '
            'xmlns:xlink="http://www.w3.org/1999/xlink"><title>A map.</title>'
            '<image xlink:href="pics/a%20b%3F%26.png"/></svg>',
            "",
        ),
        (
            "b.xhtml",
            '<h1>B</h1><div class="illus"><img src="pics/a%20b%3F%26.png" alt="Again."/>'
            '<p class="caption">The river, <em>again</em>.</p></div>',
            "",
        ),
        ("c.xhtml", "<h1>C</h1><p>Three.</p>", ' linear="no"'),
    ]
    epub = _made(
        tmp_path,
        spine,
        {
            "nav.xhtml": (_page(nav).encode(), "application/xhtml+xml", "nav"),
            "pics/a b?&.png": (PNG, "image/png", ""),
        },
    )
    book = read_epub(epub)
    assert [(s.title, s.part) for s in book.sections] == [("A", "Book One"), ("B", "Book One"), ("C", None)]
    assert list(book.images) == ["a-b.png"]
    out = tmp_path / "imported"
    losses = import_file(epub, out)
    a = (out / "text" / "01-a.md").read_text(encoding="utf-8")
    b = (out / "text" / "02-b.md").read_text(encoding="utf-8")
    assert "![A map.](../images/a-b.png)" in a
    assert '![Again.](../images/a-b.png "The river, *again*.")' in b
    assert [str(loss) for loss in losses if "linear" in loss.what] == [
        'c.xhtml: marked linear="no" (outside the reading order): imported where the spine has it'
    ]


def test_a_missing_picture_is_a_loss_not_a_refusal(tmp_path: Path) -> None:
    epub = _copy(tmp_path, {"epub/images/river map#1.png": None})
    losses = [str(loss) for loss in import_file(epub, tmp_path / "imported")]
    assert "epub/images/river map#1.png: listed in the manifest but not in the EPUB" in losses
    assert any(
        loss.startswith("epub/text/chapter-1.xhtml, line ")
        and "river%20map%231.png is not in the EPUB" in loss
        for loss in losses
    )
    chapter = (tmp_path / "imported" / "text" / "02-the-crossing.md").read_text(encoding="utf-8")
    assert "The crossing, from the keeper’s own map." in chapter and "![" not in chapter


def test_pandoc_epub2_without_semantics() -> None:
    """pandoc's EPUB 2: the title page known by its words, the subtitle as a second title,
    notes by their classes only, each note's number (a backlink) taken off."""
    book = read_epub(HERE / "pandoc-epub2.epub")
    assert book.metadata["subtitle"] == "A Short History"
    assert [section.title for section in book.sections] == ["The Upper Town", "The Lower Town"]
    notes = ["".join(note.itertext()).split() for note in book.sections[1].notes.values()]
    assert notes == [
        "A week late, as a rule, and two weeks in winter.".split(),
        "The census of 1927 gives 2,400 people in the lower town and 1,900 in the upper.".split(),
    ]
