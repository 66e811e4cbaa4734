"""The forms of the text beyond the essay's (issue 12 items 3, 4, 6-9): Markdown in, markup out,
and errors with their place; then tests/manuscripts/forms built, valid, and printed as promised
(a long table's header on every page, real small caps, verse that keeps its lines)."""

from __future__ import annotations

import re
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest
from conftest import _built
from epub_tools import EPUB_TYPE, NS, documents
from pdf_tools import page_texts
from PIL import Image
from validators import ace, epubcheck, format_messages, format_violations, problems

from build_tools.errors import ManuscriptError
from build_tools.model import Section
from build_tools.parse.parser import Parser
from build_tools.sources.manuscript import SourceFile

SOURCE = Path(__file__).resolve().parent / "manuscripts" / "forms"
X = f"{{{NS['x']}}}"


def parsed(text: str, root: Path = Path(".")) -> Section:
    """Section 1 of a file ``root/ch.md`` holding ``text`` under the title "T"."""
    return Parser(root=root).section(1, SourceFile(root / "ch.md", f"# T\n\n{text}")).section


def renders(text: str, expected: str, root: Path = Path(".")) -> None:
    """Python-Markdown's assertMarkdownRenders: the section's body, white space between
    elements (new lines) aside."""
    assert re.sub(r">\n+<", "><", parsed(text, root).body.xml.strip()) == expected


def error(text: str) -> str:
    with pytest.raises(ManuscriptError) as caught:
        parsed(text)
    return caught.value.format_message()


# ---------------------------------------------------------------- markup


def test_a_pipe_table_with_a_caption_an_id_aligned_and_numeric_columns() -> None:
    renders(
        "| Union | Members | Share |\n|:------|--------:|:-:|\n| Printers | 3,080 | 11.0 % |\n"
        "| Tram depot | – | 2 % |\n\nTable: Members, *1927*[^n] {#unions}\n\n[^n]: N.\n",
        '<table id="anchor-unions"><caption>Members, <em>1927</em>\u2060<a href="#note-1-1" '
        'id="noteref-1-1" class="noteref">1</a></caption><thead><tr>'
        '<th class="align-left" scope="col">Union</th><th class="align-right num" scope="col">Members</th>'
        '<th class="align-center num" scope="col">Share</th></tr></thead><tbody><tr>'
        '<td class="align-left">Printers</td><td class="align-right num">3,080</td>'
        '<td class="align-center num">11.0 %</td></tr><tr><td class="align-left">Tram depot</td>'
        '<td class="align-right num">–</td><td class="align-center num">2 %</td></tr></tbody></table>',
    )


def test_a_table_without_caption_is_numbered_like_a_block_and_an_empty_header_is_a_cell() -> None:
    renders(
        "Before.\n\n|  | 1926 |\n|---|---|\n| Canton | 12 |\n| Swatow | 7 |\n",
        '<p id="p-1-1">Before.</p><table id="p-1-2"><thead><tr><td></td>'
        '<th class="num" scope="col">1926</th></tr></thead><tbody><tr><td>Canton</td>'
        '<td class="num">12</td></tr><tr><td>Swatow</td><td class="num">7</td></tr></tbody></table>',
    )


def test_an_image_alone_is_a_figure_with_its_title_as_caption(tmp_path: Path) -> None:
    Image.new("L", (4, 4)).save(tmp_path / "map.png")
    renders(
        '![A map of *Hunan*](map.png "Hunan, *circa* 1927.[^m]") {#hunan}\n\n![Again](map.png)\n\n'
        'See ![it](map.png) here.[^n]\n\n[^m]: M.\n\n[^n]: Also ![a map](map.png "untitled").\n',
        '<figure id="anchor-hunan"><img alt="A map of *Hunan*" src="map.png"/><figcaption>Hunan, '
        '<em>circa</em> 1927.\u2060<a href="#note-1-1" id="noteref-1-1" class="noteref">1</a></figcaption>'
        '</figure><figure id="p-1-1"><img alt="Again" src="map.png"/></figure><p id="p-1-2">See '
        '<img alt="it" src="map.png"/> here.\u2060<a href="#note-1-2" id="noteref-1-2" '
        'class="noteref">2</a></p>',
        tmp_path,
    )
    section = parsed(
        "![A\nmap](map.png 'Two\nlines') {#two}\n\nText.[^n]\n\n[^n]: ![a map](map.png)\n", tmp_path
    )
    assert "<figcaption>Two lines</figcaption>" in section.body.xml
    assert section.notes[0].body.xml == '<p><img alt="a map" src="map.png"/></p>'  # no figures in notes
    assert [name for name, _ in section.anchors] == ["two"]


def test_inline_attributes_coexist_with_index_marks_and_anchors() -> None:
    renders(
        '[Reclus]{.smallcaps}, [la *Commune*]{lang=fr}, [Le Temps]{.smallcaps lang="fr"}, '
        "[him]{@serge} {#here}",
        '<p id="p-1-1"><span class="smallcaps">Reclus</span>, <span lang="fr">la <em>Commune</em></span>, '
        '<span class="smallcaps" lang="fr">Le Temps</span>, <span class="ix-explicit" data-ix="serge">'
        'him</span> <span class="anchor" id="anchor-here"></span></p>',
    )


def test_a_backslash_at_the_end_of_a_line_breaks_it() -> None:
    renders("One\\\ntwo\\\\\nthree\\", '<p id="p-1-1">One<br/>\ntwo\\\nthree\\</p>')


def test_verse_keeps_lines_indents_and_stanzas() -> None:
    renders(
        "::: verse\nOne *line*,\n  two\n    three[^n]\\\n\n\nFour\n:::\n\n> ::: verse\n> Quoted\n> :::\n\n"
        "[^n]: N.\n",
        '<div class="verse"><p class="stanza" id="p-1-1"><span class="line">One <em>line</em>,</span>'
        '<br/><span class="line indent-1">two</span><br/><span class="line indent-2">three\u2060<a '
        'href="#note-1-1" id="noteref-1-1" class="noteref">1</a></span></p><p class="stanza" id="p-1-2">'
        '<span class="line">Four</span></p></div><blockquote id="p-1-3"><div class="verse">'
        '<p class="stanza" id="p-1-4"><span class="line">Quoted</span></p></div></blockquote>',
    )


def test_rules_between_paragraphs_are_section_breaks() -> None:
    renders(
        "A.\n\n---\n\nB.\n\n* * *\n\nC.\n\n***\n\nD.\n\nA heading\n---\n",
        '<p id="p-1-1">A.</p><hr class="section-break"/><p id="p-1-2">B.</p><hr class="section-break"/>'
        '<p id="p-1-3">C.</p><hr class="section-break"/><p id="p-1-4">D.</p>'
        '<h2 id="sec-1-a-heading">A heading</h2>',
    )


def test_heading_ids_are_ids_never_words() -> None:
    section = Parser().section(
        4, SourceFile(Path("ch.md"), "# The *Title* {#top}\n\n## Sub {#sub}\n\nText.\n\n## Other\n")
    )
    body = section.section
    assert body.heading.xml == "The <em>Title</em>" and body.title == "The Title"
    assert body.body.xml.strip() == (
        '<h2 id="anchor-sub"><span class="anchor" id="anchor-top"></span>Sub</h2>\n'
        '<p id="p-4-1">Text.</p>\n<h2 id="sec-4-other">Other</h2>'
    )
    assert [name for name, _ in body.anchors] == ["top", "sub"]


def test_marks_in_code_are_code() -> None:
    renders(
        "Text.\n\n    [^x] {.unknown} | a | b |\n    | c | d |\n\n- item\n\n    continued.[^n]\n\n"
        "A `{x}` and \\{y\\}.\n\n[^n]: N.\n",
        '<p id="p-1-1">Text.</p><pre id="p-1-2"><code>[^x] {.unknown} | a | b |\n| c | d |\n</code></pre>'
        '<ul><li id="p-1-3"><p id="p-1-4">item</p><p id="p-1-5">continued.\u2060<a href="#note-1-1" '
        'id="noteref-1-1" class="noteref">1</a></p></li></ul><p id="p-1-6">A <code>{x}</code> and {y}.</p>',
    )


# ---------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A [x]{.unknown} b.\n", "ch.md:3:7: unknown class .unknown in {.unknown}"),
        ("A [x]{lang=} b.\n", "ch.md:3:7: {lang=}: lang= takes a language tag"),
        ("A [x]{lang=fr color=red}.\n", "ch.md:3:15: {lang=fr color=red}: the format knows"),
        ("A [x]{ } b.\n", "ch.md:3:6: { } is empty"),
        ("A {.unknown} here.\n", "ch.md:3:3: a brace that no form of the format takes would be printed"),
        ("Text }\n", "ch.md:3:6: a brace that no form"),
        (
            "A {#Bad} here.\n",
            "ch.md:3:3: a brace that no form of the format takes would be printed: "
            "'A {#Bad} here.'; an anchor's name is",
        ),
        ("A {++added++}.\n", "ch.md:3:3: a brace that no form"),
        ("| a | b |\n| 1 | 2 |\n", "ch.md:3:1: a table that did not parse is printed as text"),
        ("Text\n| a | b |\n| 1 | 2 |\n", "ch.md:4:1: a table that did not parse"),
        ("::: note\nx\n:::\n", "ch.md:3: unknown block '::: note'"),
        ("::: verse\nx\n", "ch.md:3: '::: verse' is never closed"),
        ("x\n\n:::\n", "ch.md:5: a ':::' that closes nothing"),
        ("x\n::: verse\ny\n:::\n", "ch.md:4: '::: verse' needs a blank line before it"),
        ("## Sub {#a} more\n", "ch.md:3:8: an anchor inside a heading"),
        ("A.[^n]\n\n[^n]: A [x]{.bad} note.\n", "ch.md:5:13: unknown class .bad"),
        ("A.[^n]\n\n[^n]: A {.bad} note.\n", "ch.md:5: a brace that no form"),
        ("A stray [^ here.\n", "ch.md:3:9: a note reference that did not parse would be printed"),
    ],
)
def test_what_no_form_takes_is_an_error_at_its_place(text: str, expected: str) -> None:
    assert error(text).startswith(expected)


def test_a_heading_attribute_of_pandoc_is_an_error_at_its_column() -> None:
    with pytest.raises(ManuscriptError) as caught:
        Parser().section(1, SourceFile(Path("ch.md"), "# Title {.unnumbered}\n\nText.\n"))
    assert caught.value.format_message().startswith("ch.md:1:9: a brace")


# ---------------------------------------------------------------- the book


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    return _built(tmp_path_factory, SOURCE, "forms")


def test_the_book_passes_epubcheck_and_ace(built, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _, files = built
    assert problems(found := epubcheck(files[".epub"])) == [], format_messages(found)
    assert (violations := ace(files[".epub"], tmp_path / "ace")) == [], format_violations(violations)


def _table_pages(texts: list[str]) -> list[int]:
    return [i for i, text in enumerate(texts) if "Dues (taels)" in text]


def test_a_table_across_pages_repeats_its_header_on_each(built) -> None:  # type: ignore[no-untyped-def]
    _, files = built
    texts = [" ".join(text.split()) for text in page_texts(files[".pdf"])]
    pages = _table_pages(texts)
    assert len(pages) >= 3 and pages == list(range(pages[0], pages[0] + len(pages)))
    header = "Town Year Members Dues (taels) Remark"
    assert all(texts[page].count(header) == 1 for page in pages)
    assert texts[pages[0]].index("Reports of the committees") < texts[pages[0]].index(header)
    for page in pages[1:]:  # nothing but the running head and the folio before the header row
        assert len(texts[page].split(header)[0]) < len("Figures of the Movement 999 ")


def test_page_markers_in_a_table_stand_in_the_cell_each_page_begins_with(built) -> None:  # type: ignore[no-untyped-def]
    book, files = built
    texts = [" ".join(text.split()) for text in page_texts(files[".pdf"])]
    with pikepdf.open(files[".pdf"]) as pdf:
        labels = [str(page.label) for page in pdf.pages]
    section = documents(files[".epub"])["section-001.xhtml"]
    header = "Dues (taels) Remark "
    for page in _table_pages(texts)[1:]:
        marker = section.xpath("//*[@id=$id]", id=f"page-{labels[page]}")[0]
        cell = marker.getparent()
        assert cell.tag == f"{X}td" and cell.text is None and marker.tail
        first_row = texts[page].split(header, 1)[1]
        assert first_row.startswith(marker.tail), (marker.tail, first_row[:40])
    # The entry named in a late row is indexed at the page that row is printed on.
    late = next(i for i, text in enumerate(texts) if "reported by Borodin" in text)
    assert late in _table_pages(texts)[2:]
    index = next(text for text in texts if "Borodin, Mikhail" in text)
    assert re.search(rf"Borodin, Mikhail, [\d, ]*\b{labels[late]}\b", index)
    assert {"anchor-unions", "anchor-reports", "anchor-figures"} <= set(book.sections[0].body.ids())


def _char_box(pdf: Path, words: str, offset: int) -> tuple[float, float, float, float]:
    """The box of letter ``offset`` of the first printing of ``words``."""
    document = pdfium.PdfDocument(str(pdf))
    try:
        for page in document:
            textpage = page.get_textpage()
            at = textpage.get_text_range().find(words)
            if at >= 0:
                box: tuple[float, float, float, float] = textpage.get_charbox(at + offset)
                return box
        raise AssertionError(f"{words!r} is not printed")
    finally:
        document.close()


def test_small_caps_are_the_fonts_and_verse_keeps_its_lines(built) -> None:  # type: ignore[no-untyped-def]
    _, files = built
    pdf = files[".pdf"]
    height = lambda box: box[3] - box[1]  # noqa: E731
    small, lower = _char_box(pdf, "Reclus", 3), _char_box(pdf, "its lines", 4)
    assert height(small) < 0.75 * height(lower)  # a small-capital L, not an ascending l
    text = page_texts(pdf)[_page(pdf, "The river is wide")]
    lines = [line.strip() for line in text.splitlines()]
    assert "The river is wide and the river is slow," in lines
    assert "and the boats go down where the waters go;" in lines
    left = _char_box(pdf, "The river is wide", 0)[0]
    assert _char_box(pdf, "and the boats", 0)[0] == pytest.approx(left + 11.5, abs=0.5)  # 1 em in
    turned = _char_box(pdf, "boatmen lose", 0)[0]  # the long line turns over 2 em in
    assert turned == pytest.approx(_char_box(pdf, "and the news", 0)[0] + 23, abs=0.5)
    assert "*\u2003*\u2003*" in page_texts(pdf)[_page(pdf, "After the table the text resumes")]


def _page(pdf: Path, words: str) -> int:
    return next(i for i, text in enumerate(page_texts(pdf)) if words in " ".join(text.split()))


def test_the_epub_has_figures_languages_and_ids_but_no_marks(built) -> None:  # type: ignore[no-untyped-def]
    _, files = built
    docs = documents(files[".epub"])
    pictures = docs["section-002.xhtml"]
    figure = pictures.xpath("//x:figure[@id='anchor-river-map']", namespaces=NS)[0]
    assert [child.tag for child in figure] == [f"{X}img", f"{X}figcaption"]
    noteref = figure.find(f"{X}figcaption/{X}a")
    assert noteref is not None and noteref.get(EPUB_TYPE) == "noteref"
    french = pictures.xpath("//x:span[@lang='fr']", namespaces=NS)
    assert french and all(s.get("{http://www.w3.org/XML/1998/namespace}lang") == "fr" for s in french)
    assert pictures.xpath("//x:h2/@id", namespaces=NS) == ["anchor-phrases"]
    assert docs["section-001.xhtml"].xpath("//x:table[@id='anchor-unions']/x:caption", namespaces=NS)
    printed = " ".join(
        t for doc in docs.values() for t in doc.xpath("//text()[not(ancestor::x:code)]", namespaces=NS)
    )
    assert not re.search(r"[{}\\|]", printed.replace("{sic}", ""))  # no mark is printed as text
    assert pictures.xpath("//x:code/text()", namespaces=NS) == [
        "[^not-a-note] {.not-a-class} | not | a | table |\n"
    ]
    assert "{#" not in " ".join(docs["nav.xhtml"].itertext())
