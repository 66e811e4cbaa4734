"""book import FILE.docx (issue 15 items 2, 5): a Word document made by LibreOffice imports, builds
and passes EPUBCheck with every note by its call; what it cannot carry is listed with where it
was; tracked changes, a password and a damaged file are refused in one line, nothing written.

The fixtures are in tests/fixtures/import-docx (ORIGIN.md says how each was made). river.docx is
imported and built once (a module fixture); what the tests read is the built EPUB.
"""

from __future__ import annotations

import re
import shutil
import tomllib
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import FIXTURES, _built
from epub_tools import NS, documents
from lxml import etree
from validators import epubcheck, format_messages, problems

from build_tools.cli import main
from build_tools.importing.docx import STYLE_MAP
from build_tools.importing.run import read_document

HERE = FIXTURES / "import-docx"
RIVER = HERE / "river.docx"
X = f"{{{NS['x']}}}"
CALL = "⟦call⟧"
WORD = re.compile(r"\w+(?:['’-]\w+)*|" + re.escape(CALL))


@dataclass(frozen=True)
class Imported:
    source: Path
    files: dict[str, Path]
    result: Result


def words(text: str) -> list[str]:
    return WORD.findall(text)


def _text(node: etree._Element) -> str:
    return "".join(str(part) for part in node.itertext())


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(arg) for arg in args])


@pytest.fixture(scope="module")
def river(tmp_path_factory: pytest.TempPathFactory) -> Imported:
    out = tmp_path_factory.mktemp("river") / "manuscript"
    result = run("import", RIVER, "--out", out, "--accept-changes")
    assert result.exit_code == 0, result.output
    _, files = _built(tmp_path_factory, out, "river-built")
    return Imported(out, files, result)


@pytest.fixture(scope="module")
def epub(river: Imported) -> dict[str, etree._Element]:
    return documents(river.files[".epub"])


def _sections(docs: dict[str, etree._Element]) -> dict[str, etree._Element]:
    """The built book's sections by title, in reading order."""
    return {
        _text(docs[name].find(f".//{X}title")): docs[name]
        for name in sorted(n for n in docs if n.startswith("section-"))
    }


def _refused(result: Result, out: Path, *phrases: str) -> None:
    """Exit 1, one line naming the file, and nothing written."""
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    for phrase in phrases:
        assert phrase in lines[0], lines[0]
    assert not out.exists()
    assert not [p for p in out.parent.iterdir() if p.name.startswith(f".{out.name}")]


def test_tracked_changes_are_refused_unless_accepted(tmp_path: Path) -> None:
    out = tmp_path / "book"
    result = run("import", RIVER, "--out", out)
    _refused(result, out, str(RIVER), "2 tracked changes", "the first in paragraph 28, “The port was")
    assert "accept or reject them in Word, or import with --accept-changes" in result.output


def test_accepted_changes_keep_insertions_and_drop_deletions(epub: dict[str, etree._Element]) -> None:
    lower = _text(_sections(epub)["The Lower River"])
    assert "The port was newly enlarged in 1920." in lower
    assert "abandoned" not in lower


def test_book_toml_has_the_properties_and_the_headings_in_order(river: Imported) -> None:
    book = tomllib.loads((river.source / "book.toml").read_text(encoding="utf-8"))
    assert book["book"] == book["book"] | {
        "title": "The River Book",
        "author": "Ada Fixture",
        "language": "en-GB",
        "description": "A test document for book import.",
        "subjects": ["Rivers", "boats", "floods"],
        "date": "2024-03-05",
    }
    front = book["contents"]["front"]
    assert front == [{"file": "text/01-preface.md", "role": "preface"}]
    assert book["contents"]["files"] == ["text/02-the-upper-river.md", "text/03-the-lower-river.md"]
    first = (river.source / "text/02-the-upper-river.md").read_text(encoding="utf-8")
    assert first.startswith("# The Upper River\n")
    assert "\n## Bridges\n" in first  # Heading 2 stays a subheading of its chapter
    # The Title paragraph is the book's title, not text of the preface.
    # Nor is the table of contents (its heading and entries): the build makes its own.
    preface = (river.source / "text/01-preface.md").read_text(encoding="utf-8")
    assert preface == "# Preface\n\nThis opening note comes before any heading, as a word to the reader.\n"


def _calls(docs: dict[str, etree._Element]) -> list[tuple[str, list[str], list[str], list[str]]]:
    """Every note call of the built EPUB: its section, its paragraph's words before and after
    it, and the words of the note it links to."""
    notes = {li.get("id"): li for li in docs["notes.xhtml"].iter(f"{X}li")}
    out = []
    for title, root in _sections(docs).items():
        for link in root.xpath("//x:a[@epub:type='noteref']", namespaces=NS):
            block = next(a for a in link.iterancestors() if a.tag == f"{X}p")
            copy = etree.fromstring(etree.tostring(block))
            for other in copy.xpath(".//x:a[@epub:type='noteref']", namespaces=NS):
                other.text = CALL if other.get("id") == link.get("id") else ""
            before, _, after = " ".join(words(_text(copy))).partition(CALL)
            note = etree.fromstring(etree.tostring(notes[link.get("href").partition("#")[2]]))
            for back in note.xpath(".//*[@epub:type='backlink']", namespaces=NS):
                back.getparent().remove(back)
            out.append((title, before.split(), after.split(), words(_text(note))))
    return out


def test_every_note_keeps_its_call_in_its_paragraph(epub: dict[str, etree._Element]) -> None:
    """Footnotes and the endnote, each in the paragraph the .fodt had it in, between the same
    words, with its own text (both paragraphs of the first)."""
    expected = [
        (
            "The Upper River",
            "The boats came down in spring",
            "and they carried salt and timber",
            "Spring meant April on the upper reaches. The second paragraph of this note names the "
            "Heron and her crew.",
        ),
        (
            "The Upper River",
            "The old bridge fell in the flood of 1910",
            "and it was rebuilt in stone",
            "The date is given by the town records.",
        ),
        (
            "The Lower River",
            "The last boat left in autumn",
            "and the river froze",
            "She was the last of the salt barges.",
        ),
    ]
    found = _calls(epub)
    assert [(title, note) for title, _, _, note in found] == [(t, words(n)) for t, _, _, n in expected]
    for (_, before, after, _), (_, want_before, want_after, _) in zip(found, expected, strict=True):
        assert before == words(want_before)
        assert after[: len(words(want_after))] == words(want_after)


def test_the_note_keeps_its_italics(epub: dict[str, etree._Element]) -> None:
    emphasis = [_text(node) for node in epub["notes.xhtml"].iter(f"{X}em")]
    assert "Heron" in emphasis


def test_the_built_book_passes_epubcheck(river: Imported) -> None:
    messages = epubcheck(river.files[".epub"])
    assert problems(messages) == [], format_messages(messages)


def test_inline_forms_languages_quotation_and_lists_are_in_the_epub(epub: dict[str, etree._Element]) -> None:
    upper = _sections(epub)["The Upper River"]
    assert [_text(n) for n in upper.iter(f"{X}em")] == ["slanted italics"]
    assert [_text(n) for n in upper.iter(f"{X}strong")] == ["heavy bold"]
    small = upper.xpath("//x:span[contains(concat(' ', @class, ' '), ' smallcaps ')]", namespaces=NS)
    assert [_text(n) for n in small] == ["Élisée Reclus"]
    # A phrase set in French in Word is a French phrase of the book (hyphenated as French).
    french = upper.xpath("//x:span[@lang='fr-FR']", namespaces=NS)
    assert [_text(n) for n in french] == ["le fleuve tranquille"]
    quotes = [" ".join(words(_text(n))) for n in upper.iter(f"{X}blockquote")]
    assert quotes == ["The river is wide and the river is slow said the old boatman"]
    bullets = [[_text(li).strip() for li in ul.iter(f"{X}li")] for ul in upper.iter(f"{X}ul")]
    assert bullets == [["salt from the marshes", "timber from the hills"]]
    numbered = [[_text(li).strip() for li in ol.iter(f"{X}li")] for ol in upper.iter(f"{X}ol")]
    assert numbered == [["the wooden bridge", "the stone bridge", "the iron bridge"]]


def test_the_table_has_its_header_row(epub: dict[str, etree._Element]) -> None:
    (table,) = _sections(epub)["The Upper River"].iter(f"{X}table")
    assert [_text(th).strip() for th in table.iter(f"{X}th")] == ["Year", "Boats"]
    rows = [[_text(td).strip() for td in tr.iter(f"{X}td")] for tr in table.iter(f"{X}tr")]
    assert [row for row in rows if row] == [["1900", "12"], ["1910", "3"]]


def test_the_picture_is_a_figure_with_its_alt_text_and_caption(
    river: Imported, epub: dict[str, etree._Element]
) -> None:
    with zipfile.ZipFile(RIVER) as archive:
        original = archive.read("word/media/image1.png")
    assert (river.source / "images/image-1.png").read_bytes() == original
    (figure,) = _sections(epub)["The Upper River"].iter(f"{X}figure")
    (image,) = figure.iter(f"{X}img")
    assert image.get("alt") == "A map of the river with its two bridges"
    assert _text(figure.find(f"{X}figcaption")).strip() == "The river in 1927."
    with zipfile.ZipFile(river.files[".epub"]) as archive:
        assert archive.read(f"OEBPS/{image.get('src')}") == original


def test_what_is_not_carried_over_is_listed_with_where_it_was(river: Imported) -> None:
    lost = [line.removeprefix(f"{RIVER}: not imported: ") for line in river.result.stderr.splitlines()]
    where = "in “The Lower River”"
    expected = [
        f"paragraph 27 (“The delta spreads over forty miles…”), {where}: a comment by Rita Reviewer "
        "(“Check this figure.”) was not carried over",
        f"paragraph 29 (“A harbour map stood beside this…”), {where}: a text box (“Harbour master's "
        "office”): its text was put in a paragraph of its own after this one",
        f"paragraph 30 (“The water rose again as in…”), {where}: a cross-reference (REF: “REF flood "
        "\\h”): its displayed text was kept as plain text",
    ]
    for line in expected:
        assert line in lost, river.result.stderr
    assert any(line.startswith("word/footer1.xml: the page footer") for line in lost)
    toc = "paragraph 4 (“The Upper River 1”), before the first heading: the table of contents (3 entries)"
    assert f"{toc} was dropped: the build makes the book's own" in lost
    report = (river.source / "IMPORT.md").read_text(encoding="utf-8")
    assert all(line in report for line in expected)
    # The field's and the text box's text are kept.
    text = (river.source / "text/03-the-lower-river.md").read_text(encoding="utf-8")
    assert "as in the flood of 1910 and the quays" in text
    assert "Harbour master's office" in text


def test_a_password_protected_document_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "book"
    _refused(run("import", HERE / "protected.docx", "--out", out), out, "password-protected")


def test_a_file_that_is_not_a_docx_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "notes.docx"
    fake.write_text("Just some text, saved with the wrong name.\n", encoding="utf-8")
    out = tmp_path / "book"
    _refused(run("import", fake, "--out", out), out, str(fake), "not a Word document")


def _altered(tmp_path: Path, parts: dict[str, bytes | None]) -> Path:
    """river.docx with each part of ``parts`` replaced by its bytes (left out if None)."""
    target = tmp_path / "altered.docx"
    with zipfile.ZipFile(RIVER) as source, zipfile.ZipFile(target, "w") as copy:
        for info in source.infolist():
            data = parts.get(info.filename, source.read(info))
            if data is not None:
                copy.writestr(info, data)
    return target


def _edited(tmp_path: Path, names: tuple[str, ...], *changes: tuple[bytes, bytes]) -> Path:
    """river.docx with the parts ``names`` edited by replacing bytes, in order."""
    with zipfile.ZipFile(RIVER) as source:
        parts: dict[str, bytes | None] = {name: source.read(name) for name in names}
    for name, data in parts.items():
        for old, new in changes:
            assert data is not None
            data = data.replace(old, new)
        parts[name] = data
    return _altered(tmp_path, parts)


@pytest.mark.parametrize(
    ("part", "data", "phrase"),
    [
        ("word/styles.xml", b"<w:styles xmlns:w='x'><w:style>", "the part 'word/styles.xml' is damaged"),
        (
            "word/media/image1.png",
            None,
            "the part 'word/media/image1.png' that 'word/document.xml' refers to",
        ),
        (
            "word/footnotes.xml",
            None,
            "footnote 2 of 'word/document.xml' is not in the part 'word/footnotes.xml'",
        ),
    ],
)
def test_a_damaged_document_is_refused_naming_the_part(
    tmp_path: Path, part: str, data: bytes | None, phrase: str
) -> None:
    damaged = _altered(tmp_path, {part: data})
    out = tmp_path / "book"
    _refused(run("import", damaged, "--out", out, "--accept-changes"), out, str(damaged), phrase)


def test_the_fixture_sources_are_beside_the_documents() -> None:
    for name in ("river", "protected"):
        assert (HERE / f"{name}.fodt").is_file() and (HERE / f"{name}.docx").is_file()
        assert (HERE / f"{name}.docx").stat().st_size < 60_000
    assert shutil.which("sh") and (HERE / "make_fixtures.sh").is_file()


def test_the_highest_heading_level_used_makes_the_sections(tmp_path: Path) -> None:
    """A document whose top headings are Heading 2 is split at them, each made the h1 of its
    section and the Heading 3 under it a subheading."""
    down = [(b"Heading2", b"Heading3"), (b"Heading 2", b"Heading 3"), (b"Heading1", b"Heading2")]
    down.append((b"Heading 1", b"Heading 2"))
    edited = _edited(tmp_path, ("word/styles.xml", "word/document.xml"), *down)
    book = read_document(edited, accept_changes=True)
    assert [(s.title, s.place) for s in book.sections] == [
        ("Preface", "front"),
        ("The Upper River", "body"),
        ("The Lower River", "body"),
    ]
    headings = [(node.tag, _text(node)) for node in book.sections[1].body.iter("h1", "h2", "h3")]
    assert headings == [("h1", "The Upper River"), ("h2", "Bridges")]


def test_an_unknown_style_keeps_its_text_and_is_reported_once_by_name(tmp_path: Path) -> None:
    edited = _edited(tmp_path, ("word/styles.xml",), (b'w:val="Quotations"', b'w:val="Boatman Aside"'))
    book = read_document(edited, accept_changes=True)
    reported = [loss for loss in book.losses if "Boatman Aside" in loss.what]
    assert [str(loss) for loss in reported] == [
        "paragraph 10 (“The river is wide and the…”), in “The Upper River”: the paragraph style "
        "“Boatman Aside” (1 time) has no equivalent: its text is kept as plain paragraphs"
    ]
    paragraphs = [_text(p) for p in book.sections[1].body.iter("p")]
    assert "The river is wide and the river is slow, said the old boatman." in paragraphs


def test_a_document_without_headings_is_one_chapter(tmp_path: Path) -> None:
    flat = [(b'w:val="Heading1"', b'w:val="TextBody"'), (b'w:val="Heading2"', b'w:val="TextBody"')]
    edited = _edited(tmp_path, ("word/document.xml",), *flat)
    book = read_document(edited, accept_changes=True)
    assert [(s.title, s.place) for s in book.sections] == [("The River Book", "body")]
    assert sorted(book.sections[0].notes) == ["endnote-2", "footnote-2", "footnote-3"]
    out = tmp_path / "book"
    assert run("import", edited, "--out", out, "--accept-changes").exit_code == 0
    assert tomllib.loads((out / "book.toml").read_text(encoding="utf-8"))["contents"]["files"] == [
        "text/01-the-river-book.md"
    ]


def test_an_equation_mammoth_cannot_read_is_reported_where_it_was(tmp_path: Path) -> None:
    math = b'<m:oMathPara xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math">'
    math += b"<m:oMath><m:r><m:t>x</m:t></m:r></m:oMath></m:oMathPara>"
    edited = _edited(
        tmp_path, ("word/document.xml",), (b"<w:t>The last boat left", math + b"<w:t>The last boat left")
    )
    book = read_document(edited, accept_changes=True)
    where = "paragraph 31 (“The last boat left in autumn…”), in “The Lower River”"
    assert f"{where}: an equation was dropped" in [str(loss) for loss in book.losses]


def test_the_style_map_is_understood_by_mammoth() -> None:
    from mammoth.options import read_options  # type: ignore[import-untyped]

    assert read_options({"style_map": STYLE_MAP}).messages == []


def test_underlining_keeps_its_text_and_is_reported(tmp_path: Path) -> None:
    edited = _edited(tmp_path, ("word/document.xml",), (b"<w:b/>", b'<w:b/><w:u w:val="single"/>'))
    book = read_document(edited, accept_changes=True)
    out = tmp_path / "book"
    result = run("import", edited, "--out", out, "--accept-changes")
    assert "the section “The Upper River”: underline kept as plain text (1 time)" in result.stderr
    assert "some in **heavy bold**," in (out / "text/02-the-upper-river.md").read_text(encoding="utf-8")
    assert book.sections[1].body.find(".//u") is not None
