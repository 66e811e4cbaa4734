"""The layout cache (issue 18 item 2, the whole book as its one part): a build whose inputs are an
earlier build's takes that build's PDF and layout from ``<out>/.book-cache/`` without laying the
book out; any change of the inputs (the text, the styles, a picture, the printer, a proof) lays
it out again; an entry that cannot be read is laid out again; what the layout warned of is said
again."""

from __future__ import annotations

import json
import logging
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import EPOCH, STYLES, quiet_layout
from test_print_images import write_manuscript

from build_tools.build import Project, build
from build_tools.layout import paginate
from build_tools.model import Book
from build_tools.writers.pdf import cache
from build_tools.writers.pdf.cache import FOLDER, LayoutCache, layout_log, replay

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "small"


@pytest.fixture
def layouts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The print layouts made (their profiles): a build from the cache makes none."""
    made: list[str] = []
    real = paginate.lay_out

    def counted(book: Book, styles: Path, profile: str | None = None, *rest: object) -> object:
        made.append(profile or book.meta.print_profile)
        return real(book, styles, profile, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(paginate, "lay_out", counted)
    return made


@pytest.fixture
def project(tmp_path: Path) -> Project:
    shutil.copytree(FIXTURE, tmp_path / "manuscript")
    shutil.copytree(STYLES, tmp_path / "styles")
    return Project(tmp_path / "manuscript", tmp_path / "styles", tmp_path / "dist")


def _build(project: Project, *formats: str, **options: object) -> tuple[Book, list[Path]]:
    with quiet_layout():
        return build(project, formats, **options)  # type: ignore[arg-type]


def test_a_second_build_of_the_same_inputs_takes_the_first_ones_pdf(
    project: Project, layouts: list[str]
) -> None:
    _, (first,) = _build(project, "pdf")
    pdf = first.read_bytes()
    assert len(layouts) == 1 and len(list((project.out / FOLDER).glob("*.pdf"))) == 1
    first.unlink()
    _, (again,) = _build(project, "pdf")
    assert again == first and again.read_bytes() == pdf and len(layouts) == 1  # no layout
    # The EPUB of `build all` takes the layout's page numbers from the cache too: as laid out.
    _, written = _build(project, "pdf", "epub")
    fresh = Project(project.source, project.styles, project.out.parent / "fresh")
    _, laid_out = _build(fresh, "pdf", "epub")
    assert len(layouts) == 2  # the fresh folder's
    assert [path.read_bytes() for path in written] == [path.read_bytes() for path in laid_out]


CHANGES: dict[str, Callable[[Project], None]] = {
    "text": lambda p: _replace(p.source / "text" / "two.md", "That is all.", "That is all there is."),
    "styles": lambda p: _append(p.styles / "print.css", "\np { word-spacing: 0.01em; }\n"),
    "fonts.toml": lambda p: _append(p.styles / "fonts.toml", "\n# a comment changes the file\n"),
    "book.toml": lambda p: _replace(p.source / "book.toml", "First edition", "Second edition"),
}


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, path
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as stream:
        stream.write(text)


@pytest.mark.parametrize("change", CHANGES)
def test_any_change_of_the_inputs_lays_the_book_out_again(
    project: Project, layouts: list[str], change: str
) -> None:
    _build(project, "pdf")
    CHANGES[change](project)
    _build(project, "pdf")
    assert len(layouts) == 2
    _build(project, "pdf")  # and that layout is kept in turn
    assert len(layouts) == 2


def test_another_printer_or_a_proof_is_another_entry(project: Project, layouts: list[str]) -> None:
    _build(project, "pdf")
    _build(project, "pdf", profile="ingramspark")
    _build(project, "pdf", proof=True)
    assert len(layouts) == 3
    for options in ({}, {"profile": "ingramspark"}, {"proof": True}):
        _build(project, "pdf", **options)
    assert len(layouts) == 3


def test_an_entry_that_cannot_be_read_is_laid_out_again(project: Project, layouts: list[str]) -> None:
    _, (first,) = _build(project, "pdf")
    pdf = first.read_bytes()
    (facts,) = (project.out / FOLDER).glob("*.json")
    facts.write_text(facts.read_text(encoding="utf-8")[:40], encoding="utf-8")  # cut short
    _, (again,) = _build(project, "pdf")
    assert len(layouts) == 2 and again.read_bytes() == pdf
    found = json.loads(facts.read_text(encoding="utf-8"))  # written anew
    assert found["pages"] and found["format"] == cache.FORMAT
    facts.with_suffix(".pdf").unlink()
    _build(project, "pdf")
    assert len(layouts) == 3


def test_the_newest_entries_are_kept(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "ENTRIES", 2)
    for word in ("one", "two", "three"):
        _replace(project.source / "text" / "two.md", "That is all", f"That is all {word}")
        _build(project, "pdf")
    assert len(list((project.out / FOLDER).glob("*.json"))) == 2
    assert len(list((project.out / FOLDER).glob("*.pdf"))) == 2


def test_a_picture_changed_lays_out_again_and_its_warning_is_said_again(
    tmp_path: Path, layouts: list[str]
) -> None:
    project = Project(write_manuscript(tmp_path / "manuscript"), STYLES, tmp_path / "dist")
    book, _ = _build(project, "pdf")
    warned = [d for d in book.diagnostics if d.code == "low-resolution"]
    assert warned  # small.png prints under 300 ppi
    again, _ = _build(project, "pdf")
    assert len(layouts) == 1 and [d for d in again.diagnostics if d.code == "low-resolution"] == warned
    picture = project.source / "images" / "photo.jpg"
    picture.write_bytes(picture.read_bytes() + b"\0")  # the same size, other bytes
    _build(project, "pdf")
    assert len(layouts) == 2


def test_what_the_layout_logged_is_logged_again(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("build_tools.layout.paginate")
    with caplog.at_level(logging.WARNING), layout_log() as logged:
        logger.warning("page %d of the PDF: its last word, %r, is split", 12, "letters")
    assert logged == ["page 12 of the PDF: its last word, 'letters', is split"]
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        replay(logged)
    assert [record.getMessage() for record in caplog.records] == logged


def test_the_key_reads_only_the_inputs(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    from build_tools.build import read_book

    book = read_book(project)
    keys = LayoutCache(project.out)
    first = keys.key(book, project.styles, "kdp", False)
    assert first == keys.key(book, project.styles, "kdp", False)
    assert (
        first != keys.key(book, project.styles, "kdp", True) != keys.key(book, project.styles, "lulu", False)
    )
    monkeypatch.setattr(cache, "LIBRARIES", (*cache.LIBRARIES, "a-library-not-installed"))
    assert keys.key(book, project.styles, "kdp", False) != first  # the toolchain is in the key


@pytest.fixture(autouse=True)
def _no_stray(tmp_path: Path) -> Iterator[None]:
    yield
    assert not list(tmp_path.rglob("*.part"))  # every entry written whole, or not at all


def test_a_cache_that_cannot_be_written_is_a_warning(
    project: Project, layouts: list[str], caplog: pytest.LogCaptureFixture
) -> None:
    project.out.mkdir()
    (project.out / FOLDER).write_text("not a folder", encoding="utf-8")
    _, (written,) = _build(project, "pdf")
    assert written.is_file() and written.read_bytes().startswith(b"%PDF")
    assert "the layout is not kept for the next build" in caplog.text and FOLDER in caplog.text
    _build(project, "pdf")
    assert len(layouts) == 2  # nothing was kept: laid out again, and no error


def test_the_preview_and_the_build_share_the_cache(
    project: Project, layouts: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from preview_tools import laid_out, wait_for

    from build_tools.preview import open_preview

    def whole_layout() -> bytes:
        preview = open_preview(project.source, project.styles, out=project.out)
        try:
            done = laid_out(preview)
            preview.site.render("/print/section-001.html")
            wait_for(done, "the whole layout")
            layout = preview.printed._layout
            assert layout is not None
            return layout.pdf
        finally:
            preview.close()

    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)  # the builds' date (quiet_layout), for the worker too
    shown = whole_layout()  # laid out in the worker: the book's queries open, as a proof
    (entry,) = (project.out / FOLDER).glob("*.pdf")
    made = entry.stat().st_ino
    assert whole_layout() == shown and entry.stat().st_ino == made  # the second preview: no new entry
    _, (proof,) = _build(project, "pdf", proof=True)
    assert layouts == [] and proof.read_bytes() == shown  # the build took the preview's layout
    fresh = Project(project.source, project.styles, project.out.parent / "fresh")
    _, (laid,) = _build(fresh, "pdf", proof=True)
    assert len(layouts) == 1 and laid.read_bytes() == shown  # as the build lays it out itself
