"""``book new DIR`` (issue 15 item 1): a folder that builds at once, EPUB passing EPUBCheck and a
PDF, ``book check`` clean of errors, every form of the sample really in the output, every key of
book.toml shown, refusals that write nothing, and the five languages of the catalogues."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tomllib
import uuid
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner
from epub_tools import NS, documents, links, resolve
from lang_tools import package
from pdf_tools import page_texts
from validators import epubcheck, format_messages, problems

from build_tools.cli import main
from build_tools.importing import new
from build_tools.lang.labels import FIELDS, labels_for
from build_tools.sources.manuscript import SCHEMA

ROOT = Path(__file__).resolve().parent.parent
FOLDER = "books/a-sample"  # books/ does not exist: book new makes it


def _run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Path]]:
    """A new book, made and built as the README says: ``book new``, then ``book build all``."""
    root = tmp_path_factory.mktemp("new")
    source = root / FOLDER
    _run("new", str(source), "--title", "A Sample Book", "--author", "Ada Example")
    out = root / "dist"
    output = _run("build", "all", "--source", str(source), "--out", str(out))
    assert "error" not in output.lower()
    return source, {path.suffix: path for path in out.iterdir() if path.is_file()}  # not .book-cache


def _texts(pdf: Path) -> list[str]:
    return [" ".join(text.split()) for text in page_texts(pdf)]


def _folio(pdf: Path, words: str) -> str:
    """The folio of the first page of the body that prints ``words``."""
    texts = _texts(pdf)
    with pikepdf.open(pdf) as document:
        labels = [str(page.label) for page in document.pages]
    return next(labels[i] for i, text in enumerate(texts) if words in text and labels[i].isdigit())


def test_the_new_book_builds_an_epub_that_passes_epubcheck(made) -> None:  # type: ignore[no-untyped-def]
    source, files = made
    assert sorted(files) == [".epub", ".pdf"]
    assert files[".epub"].name == "a-sample-book.epub"  # the slug of the title
    assert problems(found := epubcheck(files[".epub"])) == [], format_messages(found)
    assert sorted(p.relative_to(source).as_posix() for p in source.rglob("*")) == [
        "book.toml",
        "chronology.yaml",
        "images",
        "images/open-book.png",
        "names.yaml",
        "text",
        "text/01-how-this-book-is-written.md",
    ]


def test_book_check_finds_no_error_and_only_the_samples_two_queries(made) -> None:  # type: ignore[no-untyped-def]
    source, _ = made
    found = json.loads(_run("check", "--source", str(source), "--format", "json"))
    assert [(d["code"], Path(d["file"]).name) for d in found] == [
        ("open-query", "01-how-this-book-is-written.md"),
        ("open-query", "chronology.yaml"),
    ]


def test_the_print_build_has_no_warning_but_the_queries(tmp_path: Path, made) -> None:  # type: ignore[no-untyped-def]
    """The picture prints at 300 ppi or more (no low-resolution warning), no name is left
    unindexed: the build's warnings line counts nothing but the queries."""
    source, _ = made
    result = CliRunner().invoke(main, ["build", "pdf", "--source", str(source), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "low-resolution" not in result.output and " warning" not in result.output.replace("warning: ", "")
    assert result.output.count("warning: ") == 2  # the two queries, each on its line


def test_book_toml_shows_every_key_the_format_has(made) -> None:  # type: ignore[no-untyped-def]
    source, _ = made
    text = (source / "book.toml").read_text(encoding="utf-8")
    live = tomllib.loads(text)
    assert live["book"]["title"] == "A Sample Book"
    assert live["book"]["author"] == live["book"]["publisher"] == "Ada Example"
    identifier = live["book"]["identifier"]
    assert identifier.startswith("urn:uuid:") and uuid.UUID(identifier[9:]).version == 4
    assert live["contents"] == {
        "files": ["text/01-how-this-book-is-written.md"],
        "names": "names.yaml",
        "chronology": "chronology.yaml",
    }
    # Uncommented, the optional keys and [accessibility] are read as TOML: every key is there.
    keys = re.compile(r"^# (?=\[\w+\]|\w+ = )", re.MULTILINE)
    every = tomllib.loads(keys.sub("", text))
    assert {table: set(every[table]) for table in every} == {t: set(k) for t, k in SCHEMA.items()}
    for line in text.splitlines():  # each key says what it does, on its line
        if re.match(r"^(# )?\w+ = ", line) and not line.startswith(("title =", "author =")):
            assert re.search(r'["\]\d] +# \w', line), line
    assert '# slug = "a-sample-book"' in text
    assert '# trim = "6x9in"  # the printed page: "6x9in" | "5.5x8.5in" | "5x8in"' in text


def test_every_label_says_what_it_is() -> None:
    """A new field of Labels needs its line in importing/starter/labels.txt."""
    assert set(new._label_meanings()) == set(FIELDS)
    block = new.labels_block("fr")
    assert '# notes_to_pages = "Notes des pages {span}"  # ' in block and "keep {span}" in block


def test_notes_link_back_to_each_of_their_calls(made) -> None:  # type: ignore[no-untyped-def]
    _, files = made
    docs = documents(files[".epub"])
    calls = links(docs, "noteref")
    assert [a.text for _, a in calls] == ["1", "1", "2"]  # one note called twice keeps its number
    first = resolve(docs, "section-001.xhtml", calls[0][1].get("href"))
    backlinks = first.xpath(".//x:a[@role='doc-backlink']", namespaces=NS)
    assert [resolve(docs, "notes.xhtml", a.get("href")) for a in backlinks] == [a for _, a in calls[:2]]


def test_the_index_the_chronology_and_the_captions_are_printed(made) -> None:  # type: ignore[no-untyped-def]
    _, files = made
    pdf = files[".pdf"]
    texts = _texts(pdf)
    (index,) = [t for t in texts if t.startswith("Index of Names")]
    # Each locator is the folio of a page that prints a mention: the text, an index mark, the
    # table's caption, the chronology, a note (7n1: note 1, printed on page 7).
    founded = _folio(pdf, "Clara Vogel founded the Harbour Press")
    marked = _folio(pdf, "the harbour is indexed under Vogel too")
    ranged = _folio(pdf, "The Harbour Press printed books")
    table = _folio(pdf, "Editions of the Harbour Press")
    dated = _folio(pdf, "Clara Vogel opens a printer’s shop")
    noted = _folio(pdf, "Clara Vogel is indexed here too")
    vogel = ", ".join(sorted({founded, marked, dated}, key=int))
    assert f"Vogel, Clara (1871–1950), {vogel}, {noted}n1. See also Harbour Press" in index
    harbour = ", ".join(sorted({founded, ranged, table, dated}, key=int))
    assert f"Harbour Press, {harbour} " in index
    assert "Vogel, Klara. See Vogel, Clara" in index
    (chronology,) = [t for t in texts if t.startswith("Chronology")]
    moved = _folio(pdf, "The press moved to the old customs house")
    assert f"March 1904 The Harbour Press moves to the old customs house. (p. {moved})" in chronology
    body = " ".join(texts)
    assert "An open book, drawn for this sample." in body
    assert "Editions of the Harbour Press, 1902–1911" in body
    assert f"the move is told on p. {moved}" in body  # a page reference, resolved
    assert "{" not in body and "[^" not in body  # no mark of the format is printed


def test_the_epub_has_the_figure_table_anchor_and_phrase(made) -> None:  # type: ignore[no-untyped-def]
    _, files = made
    chapter = documents(files[".epub"])["section-001.xhtml"]
    assert chapter.xpath("//x:figure[@id='anchor-open-book']/x:figcaption", namespaces=NS)
    assert chapter.xpath("//x:table[@id='anchor-editions']/x:caption", namespaces=NS)
    assert chapter.xpath("//x:span[@lang='fr']/text()", namespaces=NS) == ["la mise en page"]
    assert chapter.xpath("//*[@id='anchor-customs-house']", namespaces=NS)
    marked = ["".join(s.itertext()) for s in chapter.xpath("//x:span[@data-ix='vogel']", namespaces=NS)]
    assert "the printer of the harbour" in marked and "Clara Vogel" in marked
    assert chapter.xpath("//x:span[@class='smallcaps']/text()", namespaces=NS) == ["harbour press, est. 1898"]
    chronology = documents(files[".epub"])["chronology.xhtml"]
    (event,) = chronology.xpath("//*[@id='event-customs-house']", namespaces=NS)
    targets = [a.get("href") for a in event.iter(f"{{{NS['x']}}}a")]
    assert "section-001.xhtml#anchor-customs-house" in targets


def test_the_title_comes_from_the_folders_name(tmp_path: Path) -> None:
    _run("new", str(tmp_path / "my-first_book"))
    meta = tomllib.loads((tmp_path / "my-first_book" / "book.toml").read_text(encoding="utf-8"))["book"]
    assert (meta["title"], meta["author"], meta["language"]) == ("My First Book", "Author Name", "en")


def test_an_empty_folder_is_filled(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    _run("new", str(tmp_path / "empty"), "--title", 'A "Quoted" Title \\ Backslash')
    meta = tomllib.loads((tmp_path / "empty" / "book.toml").read_text(encoding="utf-8"))["book"]
    assert meta["title"] == 'A "Quoted" Title \\ Backslash'
    assert [p.name for p in tmp_path.iterdir()] == ["empty"]  # no temporary folder left beside it


def test_the_current_folder_empty_is_filled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "here").mkdir()
    monkeypatch.chdir(tmp_path / "here")
    _run("new", ".")
    meta = tomllib.loads((tmp_path / "here" / "book.toml").read_text(encoding="utf-8"))["book"]
    assert meta["title"] == "Here" and [p.name for p in tmp_path.iterdir()] == ["here"]


def _snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    return {
        p.relative_to(root).as_posix(): (p.read_bytes() if p.is_file() else b"", p.stat().st_mtime_ns)
        for p in root.rglob("*")
    }


def test_a_folder_with_files_or_a_file_is_refused_and_left_as_it_was(tmp_path: Path) -> None:
    (tmp_path / "book" / "text").mkdir(parents=True)
    (tmp_path / "book" / "text" / "mine.md").write_text("# Mine\n\nMy words.\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a folder", encoding="utf-8")
    before = _snapshot(tmp_path)
    for target, message in (
        ("book", "the folder is not empty"),
        ("notes.txt", "is a file, not a folder"),
        ("notes.txt/inside", "is a file, not a folder"),
    ):
        result = CliRunner().invoke(main, ["new", str(tmp_path / target)])
        assert result.exit_code == 1 and message in result.output, result.output
        assert "Traceback" not in result.output
    assert _snapshot(tmp_path) == before


def test_a_bad_language_is_an_error_naming_the_option(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["new", str(tmp_path / "a" / "b"), "--language", "en_US"])
    assert result.exit_code == 1
    assert "--language must be a BCP 47 tag such as 'en', 'fr' or 'en-GB', not 'en_US'" in result.output
    assert list(tmp_path.iterdir()) == []  # not even the parent folder


def test_an_interrupted_book_new_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(path: Path) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(new, "draw_open_book", interrupted)
    with pytest.raises(KeyboardInterrupt):
        new.new_manuscript(tmp_path / "a" / "book", title=None, author="A B", language="en")
    assert list(tmp_path.iterdir()) == []  # neither the folder, its temporary one, nor a parent


@pytest.mark.parametrize("language", ["fr", "de", "es", "it"])
def test_each_language_of_the_catalogues_builds(tmp_path: Path, language: str) -> None:
    source = tmp_path / "book"
    _run("new", str(source), "--language", language)
    _run("build", "epub", "--source", str(source), "--out", str(tmp_path / "dist"))
    found = json.loads(_run("check", "--source", str(source), "--format", "json"))
    assert [d["code"] for d in found] == ["open-query", "open-query"]  # no error, no other warning
    (epub,) = (tmp_path / "dist").iterdir()
    assert package(epub).findtext("{*}metadata/{*}language") == language
    index = documents(epub)["index.xhtml"]
    assert index.xpath("//x:h1/text()", namespaces=NS) == [labels_for(language).index]


def test_a_wheel_carries_the_templates(tmp_path: Path) -> None:
    """importing/starter/ is package data: what setuptools builds (build_py) has every file."""
    tree = tmp_path / "checkout"
    tree.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, tree / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info")
    shutil.copytree(ROOT / "build_tools", tree / "build_tools", symlinks=True, ignore=ignore)
    shutil.copytree(ROOT / "styles", tree / "styles", ignore=ignore)  # data/styles links to it
    command = [sys.executable, "-c", "from setuptools import setup; setup()", "-q", "build_py",
               "--build-lib", str(tmp_path / "lib")]  # fmt: skip
    result = subprocess.run(command, cwd=tree, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    starter = ROOT / "build_tools" / "importing" / "starter"
    shipped = tmp_path / "lib" / "build_tools" / "importing" / "starter"
    assert sorted(p.name for p in shipped.iterdir()) == sorted(p.name for p in starter.iterdir())
