"""Front matter of every role, parts and back matter (tests/manuscripts/structure, a 5 × 8 book
with no names file and no chronology): the print order and folios, the contents, the EPUB's
semantics and navigation, and book.toml's keys checked."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from conftest import _built, book_toml
from epub_tools import EPUB_TYPE, NS, documents
from pdf_tools import page_texts
from validators import ace, epubcheck, format_messages, format_violations, problems

from build_tools.build import Project, build
from build_tools.errors import ManuscriptError
from build_tools.sources.manuscript import load

SOURCE = Path(__file__).resolve().parent / "manuscripts" / "structure"
ROMAN = re.compile(r"^[ivxlc]+$")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    return _built(tmp_path_factory, SOURCE, "structure")


def _labels(pdf: Path) -> list[str]:
    document = pdfium.PdfDocument(str(pdf))
    try:
        return [document.get_page_label(i) for i in range(len(document))]
    finally:
        document.close()


def _contents(texts: list[str]) -> int:
    return next(i for i, text in enumerate(texts) if text.strip().lower().startswith("contents"))


def _page_of(texts: list[str], words: str) -> int:
    found = [i for i, text in enumerate(texts) if words in " ".join(text.split())]
    assert found, words
    return found[0]


def test_the_book_passes_epubcheck_and_ace(built, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _, files = built
    assert problems(found := epubcheck(files[".epub"])) == [], format_messages(found)
    assert (violations := ace(files[".epub"], tmp_path / "ace")) == [], format_violations(violations)


def test_front_matter_is_roman_and_the_first_part_page_is_page_1_without_a_folio(built) -> None:  # type: ignore[no-untyped-def]
    _, files = built
    texts, labels = page_texts(files[".pdf"]), _labels(files[".pdf"])
    part = next(i for i, text in enumerate(texts) if " ".join(text.split()).lower() == "the old world")
    assert labels[part] == "1"
    assert all(ROMAN.match(label) for label in labels[:part])
    assert not re.search(r"\d", texts[part])  # no folio, no running head on a part's page
    contents = _contents(texts)
    chapter = next(
        i for i, text in enumerate(texts) if i > contents and text.lstrip().startswith("The Far Shore")
    )
    assert labels[chapter].isdigit() and labels[chapter] in texts[chapter].split()  # a drop folio
    preface = next(i for i, text in enumerate(texts) if i > contents and text.lstrip().startswith("Preface"))
    folio = labels[preface + 1]
    assert ROMAN.match(folio) and folio in texts[preface + 1].split()  # printed at the foot


def test_a_dedication_and_an_epigraph_have_no_heading_no_folio_and_are_not_listed(built) -> None:  # type: ignore[no-untyped-def]
    _, files = built
    texts = page_texts(files[".pdf"])
    dedication = _page_of(texts, "For the printers of every town.")
    assert " ".join(texts[dedication].split()) == "For the printers of every town."
    contents = _contents(texts)
    assert dedication < contents
    assert "Dedication" not in texts[contents] and "Epigraph" not in texts[contents]


def test_the_contents_gives_each_entry_the_page_it_is_printed_on(built) -> None:  # type: ignore[no-untyped-def]
    _, files = built
    texts, labels = page_texts(files[".pdf"]), _labels(files[".pdf"])
    contents = _contents(texts)
    lines = [" ".join(line.split()) for line in texts[contents].splitlines()]
    entries = {m[1].strip(". "): m[2] for line in lines if (m := re.match(r"(.+?)[ .]+([ivxl]+|\d+)$", line))}
    for title in ("Preface", "Introduction", "The First Town", "The Far Shore", "Bibliography"):
        page = next(i for i, text in enumerate(texts) if i > contents and text.lstrip().startswith(title))
        assert entries[title] == labels[page], title


def test_the_epub_types_each_division_and_nests_the_parts_in_the_navigation(built) -> None:  # type: ignore[no-untyped-def]
    _, files = built
    docs = documents(files[".epub"])
    sections = {
        doc.find(".//x:section", NS).get(EPUB_TYPE): name  # type: ignore[union-attr]
        for name, doc in docs.items()
        if doc.find(".//x:section", NS) is not None
    }
    for role in (
        "dedication",
        "epigraph",
        "foreword",
        "preface",
        "introduction",
        "acknowledgments",
        "prologue",
        "part",
        "chapter",
        "appendix",
        "afterword",
        "epilogue",
        "glossary",
        "bibliography",
    ):
        assert role in sections, role
    dedication = docs[sections["dedication"]]
    assert dedication.find(".//x:h1", NS) is None
    assert dedication.find("x:body", NS).get(EPUB_TYPE) == "frontmatter"  # type: ignore[union-attr]
    assert docs[sections["appendix"]].find("x:body", NS).get(EPUB_TYPE) == "backmatter"  # type: ignore[union-attr]
    toc = docs["nav.xhtml"].find(".//x:nav[@id='toc']", NS)
    assert toc is not None
    part = next(
        li for li in toc.iter(f"{{{NS['x']}}}li") if li.findtext("x:a", namespaces=NS) == "The Old World"
    )
    assert [a.text for a in part.findall("x:ol/x:li/x:a", NS)] == ["The First Town", "The Second Town"]
    listed = [a.text for a in toc.iter(f"{{{NS['x']}}}a")]
    assert "Dedication" not in listed and "Epigraph" not in listed and "Preface" in listed
    landmarks = docs["nav.xhtml"].find(".//x:nav[@epub:type='landmarks']", NS)
    body = [a for a in landmarks.iter(f"{{{NS['x']}}}a") if a.get(EPUB_TYPE) == "bodymatter"]  # type: ignore[union-attr]
    assert body[0].get("href") == "part-01.xhtml"


def _config(tmp_path: Path, extra_book: str = "", contents: str = 'files = ["a.md"]') -> Path:
    (tmp_path / "a.md").write_text("# A\n\nText.\n", encoding="utf-8")
    text = (
        book_toml(["a.md"])
        .replace('files = ["a.md"]', contents)
        .replace("[contents]", extra_book + "[contents]")
    )
    (tmp_path / "book.toml").write_text(text, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    ("extra", "contents", "message", "at"),
    [
        (
            'titel = "x"\n',
            'files = ["a.md"]',
            "unknown key 'titel' in [book] (did you mean 'title'?)",
            "titel",
        ),
        ("", 'files = ["a.md"]\ntrim = "5x8in"', "'trim' belongs in [book], not in [contents]", "trim"),
        (
            "",
            'files = ["b.md"]\nfront = [{ file = "a.md", role = "forward" }]',
            "did you mean 'foreword'",
            "front",
        ),
        ("", 'files = [{ part = "P", files = [] }]', "part 'P' lists no files", "files"),
    ],
)
def test_book_toml_keys_roles_and_parts_are_checked(
    tmp_path: Path, extra: str, contents: str, message: str, at: str
) -> None:
    (tmp_path / "b.md").write_text("# B\n\nText.\n", encoding="utf-8")
    root = _config(tmp_path, extra, contents)
    with pytest.raises(ManuscriptError) as caught:
        load(root)
    assert message in caught.value.format_message()
    lines = (root / "book.toml").read_text(encoding="utf-8").splitlines()
    assert lines[caught.value.location.line - 1].startswith(at)  # the line of the key


def test_bold_used_only_in_the_chronology_brings_the_bold_faces_into_the_epub(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("# A\n\nPlain text only.\n", encoding="utf-8")
    (tmp_path / "chronology.yaml").write_text(
        'events:\n  - id: one\n    date: "1927"\n    label: "1927"\n    event: "A **bold** event."\n',
        encoding="utf-8",
    )
    (tmp_path / "book.toml").write_text(
        book_toml(["a.md"], 'chronology = "chronology.yaml"\n'), encoding="utf-8"
    )
    _, written = build(Project(tmp_path, SOURCE.parent.parent.parent / "styles", tmp_path / "out"), ["epub"])
    with zipfile.ZipFile(written[0]) as epub:
        fonts = [name for name in epub.namelist() if name.startswith("OEBPS/fonts/")]
    assert any("Bold" in name for name in fonts), fonts
