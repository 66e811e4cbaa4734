"""The EPUB: valid (EPUBCheck, Ace), accessible, notes that link both ways, reproducible."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest
from conftest import ENVIRONMENT_EPOCH, FIXTURES, STYLES
from epub_tools import EPUB_TYPE, NS, documents, links, resolve
from validators import ace, epubcheck, format_messages, format_violations, problems

from build_tools.build import Project, build

GOLDEN = Path(__file__).resolve().parent / "golden" / "small"


@pytest.mark.parametrize("book", ["small", "essay"])
def test_epubcheck_reports_nothing(book: str, request: pytest.FixtureRequest) -> None:
    _, files = request.getfixturevalue(book)
    messages = epubcheck(files[".epub"])
    assert problems(messages) == [], format_messages(messages)  # USAGE notes (-u) aside


@pytest.mark.parametrize("book", ["small", "essay"])
def test_ace_reports_no_violation(book: str, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    _, files = request.getfixturevalue(book)
    violations = ace(files[".epub"], tmp_path / "ace")
    assert violations == [], format_violations(violations)


@pytest.mark.parametrize("book", ["small", "essay"])
def test_noterefs_and_backlinks_resolve(book: str, request: pytest.FixtureRequest) -> None:
    model, files = request.getfixturevalue(book)
    docs = documents(files[".epub"])
    refs = links(docs, "noteref")
    assert len(refs) == sum(note.ref_count for note in model.notes) > 0
    for here, ref in refs:
        assert ref.get("role") == "doc-noteref"
        note = resolve(docs, here, ref.get("href"))
        assert note.tag == f"{{{NS['x']}}}li" and note.get(EPUB_TYPE) == "endnote"
        assert note.get("role") is None  # doc-endnote is deprecated (EPUBCheck warns)
        backs = [a.get("href") for a in note.iter(f"{{{NS['x']}}}a") if a.get(EPUB_TYPE) == "backlink"]
        assert f"{here}#{ref.get('id')}" in backs
    for here, back in links(docs, "backlink"):
        assert back.get("role") == "doc-backlink"
        assert resolve(docs, here, back.get("href")).get(EPUB_TYPE) == "noteref"


def test_numbering_restarts_per_section(small) -> None:  # type: ignore[no-untyped-def]
    _, files = small
    docs = documents(files[".epub"])
    numbers = {
        name: [a.text for _, a in links({name: docs[name]}, "noteref")]
        for name in ("section-001.xhtml", "section-002.xhtml")
    }
    assert numbers == {"section-001.xhtml": ["1", "2", "1"], "section-002.xhtml": ["1"]}


def test_every_document_has_language_and_title(essay) -> None:  # type: ignore[no-untyped-def]
    model, files = essay
    for name, root in documents(files[".epub"]).items():
        assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == model.meta.language, name
        assert root.findtext("x:head/x:title", namespaces=NS), name
    with zipfile.ZipFile(files[".epub"]) as archive:
        names = archive.namelist()
        assert names[0] == "mimetype" and archive.getinfo("mimetype").compress_type == zipfile.ZIP_STORED
        assert "OEBPS/fonts/EBGaramond-Regular.ttf" in names
        opf = archive.read("OEBPS/content.opf").decode()
    assert 'xml:lang="en"' in opf and "toc=" not in opf
    for field in ("accessMode", "accessibilityFeature", "accessibilityHazard", "accessibilitySummary"):
        assert f'property="schema:{field}"' in opf


def test_xhtml_matches_golden_files(small_epub, save_golden: bool) -> None:  # type: ignore[no-untyped-def]
    """The EPUB alone, as ``book build epub`` writes it: a change of the print layout never
    rewrites the golden files, and a diff of them is a change of the e-book."""
    _, files = small_epub
    with zipfile.ZipFile(files[".epub"]) as archive:
        produced = {
            Path(name).name: archive.read(name).decode()
            for name in archive.namelist()
            if name.endswith((".xhtml", ".opf"))
        }
    if save_golden:
        GOLDEN.mkdir(parents=True, exist_ok=True)
        for old in GOLDEN.iterdir():
            old.unlink()
        for name, text in produced.items():
            (GOLDEN / name).write_text(text, encoding="utf-8")
    expected = {path.name: path.read_text(encoding="utf-8") for path in GOLDEN.iterdir()}
    assert sorted(produced) == sorted(expected)
    for name, text in produced.items():
        assert text == expected[name], f"{name} differs from tests/golden/small/{name}"


def test_the_session_books_leave_the_environment_as_it_was(small, small_epub) -> None:  # type: ignore[no-untyped-def]
    """The books every test shares set their build date for their own build: no test can come
    to depend on a SOURCE_DATE_EPOCH that an earlier one left set."""
    assert os.environ.get("SOURCE_DATE_EPOCH") == ENVIRONMENT_EPOCH


def test_two_builds_are_byte_identical(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    first = build(Project(FIXTURES / "small", STYLES, tmp_path / "a"))[1]
    second = build(Project(FIXTURES / "small", STYLES, tmp_path / "b"))[1]
    for a, b in zip(first, second, strict=True):
        assert a.name == b.name
        assert a.read_bytes() == b.read_bytes(), f"{a.name} differs between two builds"


def test_a_third_party_reader_opens_the_epub(essay) -> None:  # type: ignore[no-untyped-def]
    """ebooklib, as a reading system's library would, finds the spine, the navigation and the
    metadata of what we wrote (we write the package ourselves: see epub.py's docstring)."""
    import warnings

    from ebooklib import ITEM_COVER, ITEM_DOCUMENT, epub

    model, files = essay
    with warnings.catch_warnings():  # ebooklib's own FutureWarnings are not ours to fix
        warnings.simplefilter("ignore")
        book = epub.read_epub(str(files[".epub"]), options={"ignore_ncx": True})
    assert book.get_metadata("DC", "title")[0][0] == model.meta.title
    assert book.get_metadata("DC", "creator")[0][0] == model.meta.author
    spine = [book.get_item_with_id(idref).get_name() for idref, _ in book.spine]
    # The cover first (issue 14), and ebooklib finds its picture as the cover image.
    assert spine[:4] == ["cover.xhtml", "titlepage.xhtml", "copyright.xhtml", "nav.xhtml"]
    assert spine[4 : 4 + len(model.sections)] == [f"{s.file_stem}.xhtml" for s in model.sections]
    assert [item.get_name() for item in book.get_items_of_type(ITEM_COVER)] == ["media/cover-image.png"]
    assert spine[-3:] == ["chronology.xhtml", "notes.xhtml", "index.xhtml"]
    assert len(list(book.get_items_of_type(ITEM_DOCUMENT))) == len(spine)
