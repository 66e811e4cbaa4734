"""book import FILE.epub (issue 15 items 3, 4, 5): EPUBs made by pandoc, calibre and in Standard
Ebooks' shape import, build and pass EPUBCheck with every note by its call; our own EPUB of the
first book imports back to the same words and notes (refusals and rarer shapes:
test_import_epub_shapes.py).

The fixtures are in tests/fixtures/import-epub (ORIGIN.md says how each was made). Each is
imported and built once (module fixtures); what the tests read is the built EPUB, so that a
note "kept" means a note a reader can open from its call.
"""

from __future__ import annotations

import re
import tomllib
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import FIXTURES, _built
from epub_tools import NS, documents
from lxml import etree
from validators import epubcheck, format_messages, problems

from build_tools.build import Project, build
from build_tools.importing.run import import_file

HERE = FIXTURES / "import-epub"
X = f"{{{NS['x']}}}"
CALL = "⟦call⟧"  # a call's place in a paragraph's words
WORD = re.compile(r"\w+(?:['’-]\w+)*|" + re.escape(CALL))


@dataclass(frozen=True)
class Call:
    """A note as a reader meets it: the words of its paragraph up to and after the call, its
    own words."""

    section: str
    before: list[str]
    after: list[str]
    note: list[str]


def words(text: str) -> list[str]:
    return WORD.findall(text)


def _text(node: etree._Element) -> str:
    return "".join(str(part) for part in node.itertext())


def _note_text(li: etree._Element) -> str:
    """A note's words, without its backlinks and editorial markers."""
    li = etree.fromstring(etree.tostring(li))
    for node in li.xpath(".//*[@epub:type='backlink' or contains(@class, 'query-mark')]", namespaces=NS):
        node.getparent().remove(node)  # the tail of a backlink is white space only
    return _text(li)


def calls(epub: Path) -> list[Call]:
    """Every note call of a built EPUB (ours), in reading order."""
    docs = documents(epub)
    notes = {li.get("id"): li for li in docs["notes.xhtml"].iter(f"{X}li")} if "notes.xhtml" in docs else {}
    out = []
    for name in sorted(n for n in docs if n.startswith("section-")):
        root = docs[name]
        title = _text(root.find(f".//{X}title"))
        for link in root.xpath("//x:a[@epub:type='noteref']", namespaces=NS):
            block = next(
                a
                for a in link.iterancestors()
                if a.tag in {f"{X}{t}" for t in ("p", "li", "td", "th", "figcaption")}
            )
            copy = etree.fromstring(etree.tostring(block))
            for other in copy.xpath(".//x:a[@epub:type='noteref']", namespaces=NS):
                marker = CALL if other.get("id") == link.get("id") else ""
                other.text, other.tail = marker, (other.tail or "")
                for child in list(other):
                    other.remove(child)
            before, _, after = " ".join(words(_text(copy))).partition(CALL)
            target = notes[link.get("href").partition("#")[2]]
            out.append(Call(title, before.split(), after.split(), words(_note_text(target))))
    return out


def body_words(epub: Path) -> dict[str, list[str]]:
    """Each section's words (title first), with the place of every call, keyed by its title."""
    out = {}
    for name, root in documents(epub).items():
        section = root.find(f".//{X}section")
        if not name.startswith("section-") and name != "chronology.xhtml":
            continue
        copy = etree.fromstring(etree.tostring(section))
        for link in copy.xpath(".//x:a[@epub:type='noteref']", namespaces=NS):
            link.text = CALL
        title = _text(root.find(f".//{X}title"))
        out[title] = words(_text(copy))
    return out


def _import(tmp_path_factory: pytest.TempPathFactory, epub: Path, name: str) -> Path:
    out = tmp_path_factory.mktemp(name) / "manuscript"
    import_file(epub, out)
    return out


def _imported(tmp_path_factory: pytest.TempPathFactory, name: str):  # type: ignore[no-untyped-def]
    """A fixture imported and built (EPUB and PDF): (manuscript folder, {suffix: path})."""
    source = _import(tmp_path_factory, HERE / f"{name}.epub", name)
    _, files = _built(tmp_path_factory, source, f"{name}-built")
    return source, files


@pytest.fixture(scope="module")
def pandoc(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    return _imported(tmp_path_factory, "pandoc")


@pytest.fixture(scope="module")
def calibre(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    return _imported(tmp_path_factory, "calibre")


@pytest.fixture(scope="module")
def standard_ebooks(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    return _imported(tmp_path_factory, "standard-ebooks")


# What each source says: (section, the last words before the call, the note's words).
EXPECTED = {
    "pandoc": [
        (
            "The Upper Town",
            "where the river left the hills",
            "The hills are the Low Ridges, which no map before 1900 names.",
        ),
        (
            "The Upper Town",
            "kept a ledger of the boats",
            "The ledger survives in the town archive. "
            "Its last pages are water-damaged, and the counts for 1928 cannot be read.",
        ),
        ("The Upper Town", "15", "Three of the fifteen were ferries, counted as boats by the mayor."),
        (
            "The Lower Town",
            "its news came down the river with the boats",
            "A week late, as a rule, and two weeks in winter.",
        ),
        (
            "The Lower Town",
            "the lower town had grown larger than the upper one, as the ledger shows",
            "The census of 1927 gives 2,400 people in the lower town and 1,900 in the upper.",
        ),
    ],
    "calibre": [
        ("The First Letter", "The ferry left at six every morning", "At half past six on Sundays."),
        (
            "The First Letter",
            "In winter the crossing took twice as long",
            "The ice slowed the boat. Some years the river froze, and people walked across.",
        ),
        ("The First Letter", "31", "The ferry did not run over Christmas."),
        (
            "The Second Letter",
            "The new ferryman was kinder to late passengers",
            "His name was Tom, and he had been a printer.",
        ),
        (
            "The Second Letter",
            "the schoolmaster, who came whenever he liked",
            "The schoolmaster paid double.",
        ),
    ],
    "standard-ebooks": [
        ("The Crossing", "as the Ferry Act required of him", "The Act of 1841, which no one had read since."),
        (
            "The Crossing",
            "which she called her anguilles",
            "French for eels. She was from Lorraine, and said it was the only word of French she had kept.",
        ),
        ("The Ice", "In January the river froze from bank to bank", "It had last frozen in 1895."),
        ("Epilogue", "and the ferry was sold for firewood", "The bell is in the church of the lower town."),
    ],
}


@pytest.mark.parametrize("name", ["pandoc", "calibre", "standard_ebooks"])
def test_every_note_stays_with_its_call(name: str, request: pytest.FixtureRequest) -> None:
    _, files = request.getfixturevalue(name)
    found = calls(files[".epub"])
    expected = EXPECTED[name.replace("_", "-")]
    assert [(c.section, c.note) for c in found] == [(s, words(n)) for s, _, n in expected]
    for call, (_, before, _) in zip(found, expected, strict=True):
        assert call.before[-len(words(before)) :] == words(before), call


@pytest.mark.parametrize("name", ["pandoc", "calibre", "standard_ebooks"])
def test_the_built_book_passes_epubcheck(name: str, request: pytest.FixtureRequest) -> None:
    _, files = request.getfixturevalue(name)
    messages = epubcheck(files[".epub"])
    assert problems(messages) == [], format_messages(messages)


def _book(source: Path) -> dict[str, object]:
    return tomllib.loads((source / "book.toml").read_text(encoding="utf-8"))


def test_pandoc_metadata_table_and_picture(pandoc) -> None:  # type: ignore[no-untyped-def]
    source, files = pandoc
    book = _book(source)["book"]
    assert book == book | {
        "title": "The River Towns",
        "subtitle": "A Short History",
        "author": "Ada Example",
        "author_sort": "Example, Ada",
        "language": "en-GB",
        "identifier": "urn:isbn:9780306406157",
        "isbn_ebook": "9780306406157",
        "publisher": "Example Press",
        "rights": "Copyright © 2026 Ada Example. All rights reserved.",
        "date": "2026-03-14",
        "description": "A short history of two river towns, written as a test.",
        "subjects": ["Rivers – History", "Towns"],
    }
    docs = documents(files[".epub"])
    first = next(root for name, root in docs.items() if name.startswith("section-"))
    caption = first.find(f".//{X}table/{X}caption")
    assert caption is not None and _text(caption) == "Boats and printers of the upper town"
    assert [_text(td) for td in first.iter(f"{X}td")][:3] == ["1925", "12", "3"]
    figure = first.find(f".//{X}figure")
    assert _text(figure.find(f"{X}figcaption")) == "The river and its two towns."
    image = figure.find(f"{X}img")
    assert image.get("alt").startswith("A line map of the river")
    assert (source / "images" / "file0.png").read_bytes() == zipfile.ZipFile(HERE / "pandoc.epub").read(
        "EPUB/media/file0.png"
    )
    quote = first.find(f".//{X}blockquote")
    assert words(_text(quote))[:5] == ["The", "river", "is", "wide", "and"]


def test_calibre_splits_its_one_file_and_keeps_the_cover(calibre) -> None:  # type: ignore[no-untyped-def]
    source, files = calibre
    book = _book(source)
    assert book["book"]["title"] == "Letters from the Ferry"  # type: ignore[index]
    assert book["book"]["author_sort"] == "Example, Ben"  # type: ignore[index]
    assert book["book"]["cover"] == "images/cover_image.jpg"  # type: ignore[index]
    assert book["contents"] == {"files": ["text/01-the-first-letter.md", "text/02-the-second-letter.md"]}
    texts = body_words(files[".epub"])
    # The title and author lines calibre ran into the text are the title page's, not the text's.
    assert texts["The First Letter"][:4] == ["The", "First", "Letter", "The"]
    assert "Example" not in texts["The First Letter"]
    assert (source / "images" / "image.png").is_file()


def test_standard_ebooks_roles_parts_and_losses(standard_ebooks) -> None:  # type: ignore[no-untyped-def]
    source, files = standard_ebooks
    book = _book(source)
    assert book["contents"] == {
        "front": [{"file": "text/01-dedication.md", "role": "dedication"}],
        "files": [{"part": "Winter", "files": ["text/02-the-crossing.md", "text/03-the-ice.md"]}],
        "back": [{"file": "text/04-epilogue.md", "role": "epilogue"}],
    }
    meta = book["book"]
    assert meta["identifier"] == "url:https://standardebooks.org/ebooks/cora-example/the-ferry-keeper"  # type: ignore[index]
    assert "isbn_ebook" not in meta  # type: ignore[operator]  # its check digit is wrong
    assert meta["description"] == "A ferry-keeper and his passengers, over one winter."  # type: ignore[index]
    assert meta["date"] == "2026-01-01"  # type: ignore[index]
    report = (source / "IMPORT.md").read_text(encoding="utf-8")
    assert "index dropped: the index is generated from names.yaml" in report
    assert report.count("page-list and page-break markers dropped") == 1
    assert sorted(p.name for p in (source / "images").iterdir()) == ["river-map-1.png"]
    chapter = (source / "text" / "02-the-crossing.md").read_text(encoding="utf-8")
    assert "[Ferry Act]{.smallcaps}" in chapter and "*[anguilles]{lang=fr}*" in chapter
    assert '(../images/river-map-1.png "The crossing, from the keeper’s own map.")' in chapter


# Round trip (item 4): our own EPUB of the first book, imported, builds to the same words.


@pytest.fixture(scope="module")
def round_trip(essay, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    _, original = essay
    source = _import(tmp_path_factory, original[".epub"], "essay-again")
    out = tmp_path_factory.mktemp("essay-again-built")
    _, written = build(Project(source, FIXTURES.parent.parent / "styles", out), ("epub",))
    return source, original[".epub"], written[0]


def test_round_trip_gives_the_same_words_and_notes(round_trip) -> None:  # type: ignore[no-untyped-def]
    source, original, again = round_trip
    before, after = body_words(original), body_words(again)
    # The chronology (generated from chronology.yaml) comes back as an appendix of its words.
    assert sorted(after) == sorted(before)
    for title in before:
        assert after[title] == before[title], title
    assert calls(again) == calls(original)
    assert len(calls(original)) >= 10  # the essay has notes in both sections


def test_round_trip_metadata_and_losses(round_trip) -> None:  # type: ignore[no-untyped-def]
    source, _, again = round_trip
    meta = _book(source)["book"]
    expected = tomllib.loads(
        (FIXTURES.parent.parent / "manuscript" / "book.toml").read_text(encoding="utf-8")
    )
    for key in ("title", "author", "author_sort", "language", "identifier", "publisher", "rights", "edition"):
        assert meta[key] == expected["book"][key], key  # type: ignore[index]
    assert meta["subjects"] == expected["book"]["subjects"]  # type: ignore[index]
    report = (source / "IMPORT.md").read_text(encoding="utf-8")
    assert "index dropped: the index is generated from names.yaml" in report
    assert "page-list and page-break markers dropped" in report  # book build all marks print pages
    assert re.search(r"\b\d+ editorial queries dropped \(the text they were on stays\)", report)
    assert re.search(r"\b\d+ links inside the book kept as their text only", report)  # the chronology's
    messages = epubcheck(again)
    assert problems(messages) == [], format_messages(messages)


@pytest.mark.parametrize("name", ["structure", "forms"])
def test_our_epub_of_a_test_manuscript_comes_back(
    name: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Every division and role, parts, both ISBNs (structure); tables, figures, verse, small
    caps and phrases in other languages (forms): the same words, calls and notes again."""
    root = FIXTURES.parent / "manuscripts" / name
    _, original = build(
        Project(root, FIXTURES.parent.parent / "styles", tmp_path_factory.mktemp(name)), ("epub",)
    )
    source = _import(tmp_path_factory, original[0], f"{name}-again")
    _, again = build(
        Project(source, FIXTURES.parent.parent / "styles", tmp_path_factory.mktemp(name)), ("epub",)
    )
    assert body_words(again[0]) == body_words(original[0])
    assert calls(again[0]) == calls(original[0])
    if name == "structure":
        book = _book(source)
        assert book["book"]["isbn_ebook"] == "9780306406164"  # type: ignore[index]  # its copyright page
        assert book["book"]["isbn_print"] == "9781402894626"  # type: ignore[index]  # dc:source
        contents = book["contents"]
        assert [item["role"] for item in contents["front"]] == [  # type: ignore[index]
            "dedication",
            "epigraph",
            "foreword",
            "preface",
            "introduction",
            "acknowledgments",
            "prologue",
        ]
        assert [item["role"] for item in contents["back"]] == [  # type: ignore[index]
            "appendix",
            "afterword",
            "epilogue",
            "glossary",
            "bibliography",
        ]
        parts = [(item["part"], len(item["files"])) for item in contents["files"]]  # type: ignore[index]
        assert parts == [("The Old World", 2), ("The New World", 1)]
    if name == "forms":  # the poems keep their lines and indents, not only their words
        assert _verse_lines(again[0]) == _verse_lines(original[0]) != []


def _verse_lines(epub: Path) -> list[tuple[str, str]]:
    """Every line of verse in the EPUB: its class (its indent) and its words."""
    with zipfile.ZipFile(epub) as archive:
        documents = [archive.read(name) for name in sorted(archive.namelist()) if name.endswith(".xhtml")]
    lines = []
    for document in documents:
        tree = etree.fromstring(document)
        for span in tree.iter("{http://www.w3.org/1999/xhtml}span"):
            if "line" in str(span.get("class", "")).split():
                words = " ".join("".join(span.itertext()).split())
                lines.append((" ".join(sorted(str(span.get("class")).split())), words))
    return lines
