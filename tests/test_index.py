"""The index of names: the names file, finding mentions, Chicago order, EPUB locators that link
to the exact mention and show the print pages (that each is the page its mention is printed on:
test_index_pages.py)."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest
from conftest import FIXTURES, STYLES
from epub_tools import EPUB_TYPE, NS, documents, resolve
from pdf_tools import body_texts, page_texts
from validators import epubcheck, problems

from build_tools.build import Project, build
from build_tools.errors import ManuscriptError
from build_tools.lang.collation import collation
from build_tools.parse.parser import Parser
from build_tools.sources.manuscript import SourceFile
from build_tools.sources.names import load

NAMES = """entries:
  - id: serge
    heading: "Serge, Victor"
    forms: ["Victor Serge", "Serge"]
  - id: mao
    heading: "Mao Zedong"
    forms: ["Mao Zedong", "Mao"]
  - heading: "Mao Tse-tung"
    see: mao
"""


def tagged(text: str, names: str = NAMES) -> str:
    parser = Parser(load(Path("names.yaml"), names))
    section = parser.section(1, SourceFile(Path("ch.md"), text)).section
    return section.body.xml


def test_whole_words_longest_form_first_possessives_and_headings() -> None:
    body = tagged("# T\n\n## Serge\n\nVictor Serge met Mao; Serge’s Maoist friend, Mao’s.\n")
    assert '<h2 id="sec-1-serge">Serge</h2>' in body
    found = re.findall(r'data-ix="(\w+)" id="ix-\d+">([^<]+)</span>', body)
    assert found == [("serge", "Victor Serge"), ("mao", "Mao"), ("serge", "Serge"), ("mao", "Mao")]
    assert "Maoist" in body and 'data-ix="mao">Maoist' not in body


def test_explicit_suppressed_and_range_marks() -> None:
    body = tagged("# T\n\n{@mao:start}[the Helmsman]{@mao} and {!Serge} cloth.{@mao:end}\n")
    assert '<span class="ix" data-ix="mao" id="ix-2">the Helmsman</span>' in body
    assert '<span class="ix-no">Serge</span>' in body
    assert 'class="ix-range-start" data-ix="mao"' in body


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (
            NAMES + '  - id: other\n    heading: Other\n    forms: ["Serge"]\n',
            "names.yaml:12:13: form 'Serge' is claimed by 'serge' (at names.yaml:4:29) and by 'other'",
        ),
        (
            NAMES + "  - heading: X\n    see: nobody\n",
            "names.yaml:11:10: 'X. See nobody': 'nobody' is no entry",
        ),
        (NAMES + "  - heading: Y\n    see: Mao Tse-tung\n", "'Mao Tse-tung' is another cross-reference"),
        (NAMES.replace('    forms: ["Mao Zedong", "Mao"]\n', "    forms: []\n"), "entry 'mao' has no forms"),
        (
            "entries:\n  - id: a\n    heading: A\n    forms: [A]\n    see_also: [b]\n",
            "names.yaml:2:5: 'see_also' names 'b'",
        ),
    ],
)
def test_names_file_errors(names: str, expected: str) -> None:
    with pytest.raises(ManuscriptError) as caught:
        load(Path("names.yaml"), names)
    assert expected in caught.value.format_message()


def manuscript_with(tmp_path: Path, one: str, names: str | None = None) -> Path:
    root = tmp_path / "m"
    shutil.copytree(FIXTURES / "small", root)
    (root / "text" / "one.md").write_text(one, encoding="utf-8")
    (root / "chronology.yaml").write_text("events: []\n", encoding="utf-8")
    (root / "text" / "two.md").write_text("# Two\n\nMao Zedong, Trotsky, Le Temps.\n", encoding="utf-8")
    if names is not None:
        (root / "names.yaml").write_text(names, encoding="utf-8")
    return root


@pytest.mark.parametrize(
    ("one", "expected"),
    [
        ("# One\n\nNothing here.\n", "names.yaml:3:5: entry 'serge' (Serge, Victor) is never found"),
        (
            "# One\n\nSerge and [him]{@nobody}.\n",
            "one.md:3:11: index mark names 'nobody', which is not an entry",
        ),
        ("# One\n\nSerge. {@serge:start}Long.\n", "one.md:3:8: {@serge:start} is never closed"),
        ("# One\n\nSerge. {@serge:end}\n", "one.md:3:8: {@serge:end} without a {@serge:start}"),
    ],
)
def test_manuscript_errors_name_file_and_line(tmp_path: Path, one: str, expected: str) -> None:
    root = manuscript_with(tmp_path, one)
    with pytest.raises(ManuscriptError) as caught:
        build(Project(root, STYLES, tmp_path / "out"), formats=("epub",))
    assert expected in caught.value.format_message()
    assert not (tmp_path / "out").exists()


def test_chicago_letter_by_letter_order() -> None:
    headings = [
        "Mao Zedong",
        "Macdonald, Dwight",
        "McCarthy, Joseph",
        "Mao Tse-tung",
        "Serge, Victor",
        "Sergeant, A.",
        "Joffé, Adolph",
        "Joffe, Zoe",
        "New York",
        "Newark",
        "Sun Yat-sen",
        "Sun, Li (writer)",
    ]
    assert sorted(headings, key=collation("en").key) == [
        "Joffé, Adolph",
        "Joffe, Zoe",
        "Macdonald, Dwight",
        "Mao Tse-tung",
        "Mao Zedong",
        "McCarthy, Joseph",
        "Newark",
        "New York",
        "Serge, Victor",
        "Sergeant, A.",
        "Sun, Li (writer)",
        "Sun Yat-sen",
    ]


@pytest.mark.parametrize("book", ["small", "essay"])
def test_epub_locators_link_to_the_exact_mention(book: str, request: pytest.FixtureRequest) -> None:
    model, files = request.getfixturevalue(book)
    docs = documents(files[".epub"])
    index = docs["index.xhtml"]
    entries = {e.heading: e.id for e in model.names}
    checked = 0
    for li in index.iter(f"{{{NS['x']}}}li"):
        term = "".join(li.find("x:span", NS).itertext())
        for a in li.iter(f"{{{NS['x']}}}a"):
            target = resolve(docs, "index.xhtml", a.get("href"))
            if a.get(EPUB_TYPE) == "index-locator":
                assert target.get("data-ix") == entries[term], (term, a.get("href"))
                assert target.get("class") in ("ix", "ix-range-start")
                checked += 1
            else:
                assert a.get(EPUB_TYPE) in ("index-xref-preferred", "index-xref-related")
                assert target.get(EPUB_TYPE) == "index-entry"
    assert checked >= len(model.names)


@pytest.mark.parametrize("book", ["small", "essay"])
def test_index_document_passes_epubcheck_idx_profile(
    book: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    _, files = request.getfixturevalue(book)
    document = tmp_path / "index.xhtml"
    document.write_bytes(zipfile.ZipFile(files[".epub"]).read("OEBPS/index.xhtml"))
    assert problems(epubcheck(document, profile="idx", mode="xhtml")) == []


@pytest.mark.parametrize("book", ["small", "essay"])
def test_epub_index_shows_the_print_pages(book: str, request: pytest.FixtureRequest) -> None:
    _, files = request.getfixturevalue(book)
    epub_labels = [
        a.text
        for a in documents(files[".epub"])["index.xhtml"].iter(f"{{{NS['x']}}}a")
        if a.get(EPUB_TYPE) == "index-locator"
    ]
    texts = page_texts(files[".pdf"])
    first = max(i for i, t in enumerate(texts) if t.lstrip().startswith("Index of Names"))
    printed = " ".join(_joined(t) for t in body_texts(files[".pdf"])[first:])
    # A note locator's chapter, "25n1 (chap. 2)" (issue 16), is printed as the EPUB has it.
    chapters = re.compile(r" \(chap\.\s\d+\)")  # \s: the no-break space, which _joined makes a space
    assert len(chapters.findall(printed)) == sum(bool(chapters.search(label)) for label in epub_labels)
    epub_labels = [chapters.sub("", label) for label in epub_labels]
    printed = re.sub(r"\([^)]*\)", " ", printed)  # qualifiers: life dates are not locators
    pdf_labels = re.findall(r"(?<![\w–])\d+(?:n\d+|–\d+)?(?![\w–])", printed)
    assert sorted(epub_labels) == sorted(pdf_labels)


def _joined(text: str) -> str:
    text = re.sub(r"[\u2010\u00ad-]\s*\r?\n\s*", "", text)  # words hyphenated at line ends
    return " ".join(text.split())
