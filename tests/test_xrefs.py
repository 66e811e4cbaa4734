"""Cross-references (tests/manuscripts/xrefs): ``[text](#name)`` to an anchor in another chapter,
to a heading (its own id and a generated one), a figure, a table, a section, a note and an event,
from the text, a note and the chronology; and
``[](#name)`` page references, whose printed number is the page their target is printed on, in
print and in the EPUB (the target's title in an EPUB built alone). An unknown name is an error
at the link; contents entries carry no ids."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from conftest import STYLES, _built, book_toml
from epub_tools import NS, documents, resolve
from lxml import etree
from lxml import html as lxml_html
from pdf_tools import internal_links, page_texts
from validators import ace, epubcheck, format_messages, format_violations, problems

from build_tools import ids
from build_tools.design.fonts import read_fonts
from build_tools.errors import Location, ManuscriptError
from build_tools.layout.html import book_html
from build_tools.markup import Fragment
from build_tools.model import Section
from build_tools.parse.parser import parse
from build_tools.parse.xrefs import XRef, mark
from build_tools.parse.xrefs import resolve as resolve_xrefs
from build_tools.sources.manuscript import load
from build_tools.writers.epub.documents import documents as epub_documents

SOURCE = Path(__file__).resolve().parent / "manuscripts" / "xrefs"
X = f"{{{NS['x']}}}"

# Every page reference in print order, by the id it points at, with words printed beside it.
PAGE_REFS = [
    ("anchor-commune", "Canton rose on the eleventh of December"),  # The Towns
    ("sec-4-the-song", "The Song"),  # a heading's generated id
    ("sec-4", "The Aftermath"),
    ("event-rising", "11 December 1927 The rising"),  # The Commune
    ("note-3-1", "The archive is in Moscow"),  # The Aftermath
    ("anchor-aim", "Its aim is to show"),  # into the front matter: a roman folio
    ("anchor-town", "The towns along the river"),
    ("anchor-river", "The river towns."),  # a figure
    ("anchor-days", "How long each commune lasted"),  # a table
    ("anchor-remains", "What Remained"),  # a heading's own id
    ("anchor-commune", "Canton rose on the eleventh of December"),  # in an event's text
    ("anchor-commune", "Canton rose on the eleventh of December"),  # the chronology's own
    ("anchor-commune", "Canton rose on the eleventh of December"),  # in a note
]
# The EPUB's links of the first chapter: (text or None for a page reference, document, id).
TOWNS_LINKS = [
    ("the commune", "section-003.xhtml", "anchor-commune"),
    (None, "section-003.xhtml", "anchor-commune"),
    ("the last chapter’s song", "section-004.xhtml", "sec-4-the-song"),  # the build curls it
    (None, "section-004.xhtml", "sec-4-the-song"),
    (None, "section-004.xhtml", "sec-4"),
    ("the chronology", "chronology.xhtml", "event-rising"),
    ("the same passage", "section-003.xhtml", "anchor-commune"),  # a reference-style link
]
# A page reference's text in an EPUB without print pages: its target's title.
TITLES = {
    "section-002.xhtml": ["The Commune", "The Song", "The Aftermath"],
    "section-003.xhtml": ["11 December 1927"],
    "section-004.xhtml": [
        "The Commune",
        "Preface",
        "The Towns",
        "The river towns.",
        "How long each commune lasted",
        "What Remained",
    ],
    "chronology.xhtml": ["The Commune"],
    "notes.xhtml": ["The Commune"],
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    return _built(tmp_path_factory, SOURCE, "xrefs")


@pytest.fixture(scope="module")
def epub_alone(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    return _built(tmp_path_factory, SOURCE, "xrefs-epub", ("epub",))


def _labels(pdf: Path) -> list[str]:
    document = pdfium.PdfDocument(str(pdf))
    try:
        return [document.get_page_label(i) for i in range(len(document))]
    finally:
        document.close()


def _destinations(pdf: Path) -> dict[str, int]:
    """The page index every internal link of the PDF reaches, by the id it is named after."""
    return {name: page for _, name, page in internal_links(pdf)}


def _page_refs(docs: dict[str, etree._Element], name: str) -> list[etree._Element]:
    return [a for a in docs[name].iter(f"{X}a") if ids.PAGE_REF in (a.get("class") or "").split()]


def test_the_books_pass_epubcheck_and_ace(built, epub_alone, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    for _, files in (built, epub_alone):
        assert problems(found := epubcheck(files[".epub"])) == [], format_messages(found)
    assert (violations := ace(built[1][".epub"], tmp_path / "ace")) == [], format_violations(violations)


def test_each_printed_page_reference_is_the_page_its_target_is_printed_on(built) -> None:  # type: ignore[no-untyped-def]
    _, files = built
    pdf = files[".pdf"]
    texts, labels, reached = page_texts(pdf), _labels(pdf), _destinations(pdf)
    contents = next(i for i, text in enumerate(texts) if text.strip().lower().startswith("contents"))
    printed = [
        found
        for text in texts[contents + 1 :]
        for found in re.findall(r"\bp\. ([0-9]+|[ivxlc]+)\b", " ".join(text.split()))
    ]
    assert printed == [labels[reached[target]] for target, _ in PAGE_REFS]
    for target, words in PAGE_REFS:  # the link reaches the page the target's words are on
        assert words in " ".join(texts[reached[target]].split()), target
    assert "vii" in printed and labels[reached["anchor-aim"]] == "vii"  # roman in the front matter


def test_the_pdf_links_every_cross_reference_to_its_target(built) -> None:  # type: ignore[no-untyped-def]
    _, files = built
    links = {(page, name) for page, name, _ in internal_links(files[".pdf"])}
    texts = page_texts(files[".pdf"])
    towns = next(i for i, text in enumerate(texts) if text.lstrip().startswith("The Towns"))
    for _, _, target in TOWNS_LINKS:
        assert (towns, target) in links, target


def test_the_epub_links_go_to_the_right_document_and_element(built) -> None:  # type: ignore[no-untyped-def]
    _, files = built
    docs = documents(files[".epub"])
    towns = [a for a in docs["section-002.xhtml"].iter(f"{X}a") if ids.XREF in (a.get("class") or "")]
    assert [(a.text if ids.PAGE_REF not in a.get("class", "") else None, a.get("href")) for a in towns] == [
        (text, f"{doc}#{target}") for text, doc, target in TOWNS_LINKS
    ]
    for name, root in docs.items():
        for a in root.iter(f"{X}a"):
            if ids.XREF in (a.get("class") or "").split():
                assert (a.text or "").strip(), f"{name}: an empty link to {a.get('href')}"
                resolve(docs, name, a.get("href", ""))  # exactly one element, in that document
    note = resolve(docs, "section-004.xhtml", "notes.xhtml#note-3-1")
    assert "The archive is in Moscow" in "".join(note.itertext())


def test_the_epub_page_references_show_the_print_pages(built) -> None:  # type: ignore[no-untyped-def]
    _, files = built
    labels, reached = _labels(files[".pdf"]), _destinations(files[".pdf"])
    docs = documents(files[".epub"])
    refs = [a for name in TITLES for a in _page_refs(docs, name)]
    assert len(refs) == len(PAGE_REFS) - 1  # the chronology's own page reference is print's only
    for a in refs:
        target = a.get("href", "").rpartition("#")[2]
        assert a.text == labels[reached[target]], target


def test_an_epub_built_alone_shows_the_targets_titles(epub_alone) -> None:  # type: ignore[no-untyped-def]
    _, files = epub_alone
    docs = documents(files[".epub"])
    assert {name: [a.text for a in _page_refs(docs, name)] for name in TITLES} == TITLES


def test_figures_and_tables_are_titled_by_their_captions_and_anchors_come_first() -> None:
    body = Fragment.parse(
        '<figure id="anchor-map"><img src="m.png" alt="A map"/><figcaption>The river towns</figcaption>'
        '</figure><table id="anchor-prices"><caption>Prices of <em>salt</em></caption><tr><td>1</td></tr>'
        '</table><h2 id="prices">Prices</h2><h2 id="sec-1-tolls">Tolls</h2><p id="p-1-1">'
        '<span class="anchor" id="anchor-ford"></span>See <a class="xref xref-page" href="#map"></a>, '
        '<a class="xref xref-page" href="#prices"></a>, <a class="xref xref-page" href="#sec-1-tolls">'
        '</a>, <a class="xref xref-page" href="#ford"></a> and <a class="xref" href="#map">the map</a>.</p>'
    )
    section = Section(1, "Rivers", Fragment.parse("Rivers"), Path("a.md"), body)
    where = Location(Path("a.md"), 3)
    refs = [XRef(name, where) for name in ("map", "prices", "sec-1-tolls", "ford", "map")]
    (resolved,), _ = resolve_xrefs([section], [], refs)
    links = resolved.body.tree().findall(".//a")
    assert [(a.get("href"), a.text) for a in links] == [
        ("#anchor-map", "The river towns"),  # a figure: its caption
        ("#anchor-prices", "Prices of salt"),  # a table: its caption; the anchor before the id
        ("#sec-1-tolls", "Tolls"),  # a heading by its generated id: its words
        ("#anchor-ford", "Rivers"),  # an anchor in the text: its section's title
        ("#anchor-map", "the map"),
    ]


def test_each_link_is_located_on_its_own_line() -> None:
    text = "# T\n\nSee [a](#x) and\n[b](#x), then [c][r].\n\n[r]: #x\n"
    tree = etree.fromstring('<div><p><a href="#x">a</a><a href="#x">b</a><a href="#x">c</a></p></div>')
    refs = mark(tree, text, Location(Path("t.md"), 1))
    assert [(r.location.line, r.location.column) for r in refs] == [(3, 9), (4, 5), (6, 6)]


def _manuscript(tmp_path: Path, one: str) -> Path:
    (tmp_path / "one.md").write_text(one, encoding="utf-8")
    (tmp_path / "two.md").write_text("# Two\n\n{#commune}The commune.\n", encoding="utf-8")
    (tmp_path / "book.toml").write_text(book_toml(["one.md", "two.md"]), encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    ("one", "line", "name"),
    [
        ("# One\n\nText.\n\nOf the commune see [it](#comune) and p. [](#commune).\n", 5, "#comune"),
        ("# One\n\nText.[^a]\n\n[^a]: A note\n    on two lines, see p. [](#nowhere).\n", 6, "#nowhere"),
        ("# One\n\nSee [it][r].\n\n[r]: #elsewhere\n", 5, "#elsewhere"),
    ],
)
def test_a_link_to_a_name_the_book_does_not_have_is_an_error_at_the_link(
    tmp_path: Path, one: str, line: int, name: str
) -> None:
    with pytest.raises(ManuscriptError) as caught:
        parse(load(_manuscript(tmp_path, one)), 0)
    where = caught.value.location
    assert where is not None and where.file.name == "one.md" and where.line == line
    assert where.column == one.splitlines()[line - 1].index(name) + 1
    message = caught.value.format_message()
    assert message.startswith(f"{where.file}:{line}:{where.column}: link to {name}:")
    if name == "#comune":
        assert "did you mean #commune?" in message


def test_contents_entries_and_notes_subheads_carry_no_ids(tmp_path: Path) -> None:
    one = "# The Towns {#towns}\n\nText.[^a] See p. [](#towns), p. [](#sub).\n\n## Sub {#sub}\n\n[^a]: A.\n"
    book = parse(load(_manuscript(tmp_path, one)), 0)
    family = read_fonts(STYLES).family
    printed = lxml_html.document_fromstring(book_html(book, family, None).html)
    counts = Counter(e.get("id") for e in printed.iter() if isinstance(e.tag, str) and e.get("id"))
    assert [element_id for element_id, count in counts.items() if count > 1] == []
    contents = printed.find(".//nav")
    assert contents is not None and [e.get("id") for e in contents.iter() if e.get("id")] == ["contents"]
    nav = next(doc for doc in epub_documents(book, family) if doc.nav).tree
    toc = nav.find(f".//{X}nav[@id='{ids.TOC}']")
    assert toc is not None and [e.get("id") for e in toc.iter() if e.get("id")] == [ids.TOC, ids.TOC_TITLE]
