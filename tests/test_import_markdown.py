"""book import's writer: imported HTML written as our Markdown reads back as the same text.

The property: any text, however full of the characters the format reads as markup, written by
``markdown.py`` as a paragraph, a heading, a list item, a table cell or a note, parses (our own
parser, a language without typography rules so that quotes stay as typed) back to exactly that
text. Then the forms one by one: notes numbered in order of first call with their calls where
they stood, emphasis, spans, tables, lists and quotations, and what is reported as lost.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree, html

from build_tools.importing.document import ImportedSection
from build_tools.importing.markdown import section_markdown
from build_tools.parse.parser import Parser
from build_tools.sources.manuscript import SourceFile

# A language the typography table does not know: quotes and spaces stay exactly as typed.
PLAIN_LANGUAGE = "eo"
MARKUP = list("\\`*_[]{}|<>&#=-+.!():^@~\"'") + [
    "{==",
    "==}",
    "{>>",
    "<<}",
    "[^1]",
    "{@x}",
    "{!x}",
    "&amp;",
    "1. ",
    "- ",
]
TEXT = st.lists(
    st.one_of(st.sampled_from(MARKUP), st.text(alphabet="abc XYZ 19", min_size=1, max_size=6)),
    min_size=1,
    max_size=14,
).map("".join)


def fragment(markup: str) -> etree._Element:
    return html.fragment_fromstring(markup, create_parent="div")


def parsed(section: ImportedSection) -> tuple[etree._Element, list[str], str]:
    """The parsed section's body (as a tree), its notes' texts, and the Markdown written."""
    text, _ = section_markdown(copy.deepcopy(section))
    result = Parser(language=PLAIN_LANGUAGE).section(1, SourceFile(Path("ch.md"), text)).section
    notes = [words(etree.fromstring(f"<div>{note.body}</div>")) for note in result.notes]
    return etree.fromstring(f"<div>{result.body}</div>"), notes, text


def words(node: etree._Element) -> str:
    """The text of ``node`` as written: white space collapsed; the word joiner before a note
    call and the apostrophe the typography makes of every ' before a digit (any language) are
    the build's, not the writer's."""
    text = re.sub(r"\s+", " ", "".join(node.itertext())).replace("\u2060", "").strip()
    return text.replace("\u2019", "'")


def element(markup: str, text: str) -> str:
    return markup.replace("TEXT", html_escape(text))


def html_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@settings(max_examples=300, derandomize=True, deadline=None)
@given(
    TEXT, st.sampled_from(["<p>TEXT</p>", "<ul><li>TEXT</li></ul>", "<blockquote><p>TEXT</p></blockquote>"])
)
def test_any_text_reads_back_as_written(text: str, markup: str) -> None:
    body, _, written = parsed(ImportedSection("T", fragment(element(markup, text))))
    expected = re.sub(r"\s+", " ", text).strip()
    assert words(body) == expected, written


@settings(max_examples=150, derandomize=True, deadline=None)
@given(TEXT.filter(str.strip))
def test_any_text_in_a_heading_a_cell_and_a_note_reads_back(text: str) -> None:
    markup = (
        "<h1>Title</h1><h2>TEXT</h2><table><tr><th>TEXT</th></tr><tr><td>x</td></tr></table>"
        '<p>Call<a data-note="n"></a>.</p>'
    )
    section = ImportedSection(
        "T", fragment(element(markup, text)), {"n": fragment(element("<p>TEXT</p>", text))}
    )
    body, notes, written = parsed(section)
    expected = re.sub(r"\s+", " ", text).strip()
    assert words(body.find("h2")) == expected, written  # type: ignore[arg-type]
    assert words(body.find(".//thead/tr/*")) == expected, written  # type: ignore[arg-type]
    assert [n.strip() for n in notes] == [expected], written


def test_notes_are_numbered_by_first_call_and_stay_where_they_were_called() -> None:
    section = ImportedSection(
        "T",
        fragment(
            '<h1>Chapter<a data-note="t"></a></h1>'
            '<p>First<a data-note="b"></a> and again<a data-note="b"></a>.</p>'
            '<p>Second<a data-note="a"></a>.</p>'
        ),
        {
            "a": fragment("<p>Note a.</p>"),
            "b": fragment("<p>Note b, <em>italic</em>.</p><p>Its second paragraph.</p>"),
            "t": fragment("<p>On the title.</p>"),
            "never": fragment("<p>Nobody calls me.</p>"),
        },
        source="ch.xhtml",
    )
    body, notes, written = parsed(section)
    paragraphs = body.findall("p")
    calls = [[a.text for a in p.iter("a") if a.get("class") == "noteref"] for p in paragraphs]
    assert calls == [["1", "1", "2"], ["3"]]  # the title's call waits for the first paragraph
    assert notes == ["Note b, italic. Its second paragraph.", "On the title.", "Note a."]
    _, losses = section_markdown(copy.deepcopy(section))
    assert [loss.what for loss in losses] == [
        "the note call in the heading “Chapter” moved to the end of the paragraph after it",
        "a note that no call refers to was dropped (“Nobody calls me.…”)",
    ]
    assert "# Chapter\n" in written


def test_inline_forms_become_the_formats() -> None:
    body, _, written = parsed(
        ImportedSection(
            "T",
            fragment(
                "<p><em>it </em><em>alic</em> <strong>bold</strong> <span class='smallcaps'>Reclus</span> "
                "<span lang='fr'>la <span class='smallcaps'>Commune</span></span> <code>a*b</code> "
                "<a href='https://example.org/a b'>web</a> <a href='#x'>inner</a> H<sub>2</sub>O<br/>next</p>"
            ),
        )
    )
    paragraph = body.find("p")
    assert paragraph is not None
    assert [em.text for em in paragraph.iter("em")] == ["it alic"]
    assert [s.text for s in paragraph.iter("strong")] == ["bold"]
    assert [(s.get("class"), s.get("lang"), s.text) for s in paragraph.iter("span")] == [
        ("smallcaps", None, "Reclus"),
        (None, "fr", "la"),
        ("smallcaps", "fr", "Commune"),
    ]
    assert [c.text for c in paragraph.iter("code")] == ["a*b"]
    assert [(a.get("href"), a.text) for a in paragraph.iter("a")] == [("https://example.org/a%20b", "web")]
    assert paragraph.find("br") is not None
    assert "inner H2O" in words(paragraph), written


def test_blocks_become_the_formats() -> None:
    body, _, written = parsed(
        ImportedSection(
            "T",
            fragment(
                "<blockquote><p>Quoted.</p><p>Twice.</p></blockquote>"
                "<ol start='3'><li>three</li><li>four<ul><li>inner</li></ul></li></ol>"
                "<table><caption>Members</caption><thead><tr><th>Year</th><th>N</th></tr></thead>"
                "<tbody><tr><td>1925</td><td align='right'>1,000</td></tr></tbody></table>"
                "<hr/><pre>code {x}\n  kept</pre><div>loose <b>text</b><p>inside</p></div>"
            ),
        )
    )
    assert [words(p) for p in body.find("blockquote").iter("p")] == ["Quoted.", "Twice."]  # type: ignore[union-attr]
    ordered = body.find("ol")
    assert ordered is not None and ordered.get("start") in ("3", None), written
    assert [words(li).split()[0] for li in ordered.findall("li")] == ["three", "four"]
    assert words(ordered.find("li/ul/li")) == "inner"  # type: ignore[arg-type]
    table = body.find(".//table")
    assert table is not None, written
    assert [words(cell) for cell in table.iter("th", "td")] == ["Year", "N", "1925", "1,000"]
    assert "Members" in words(body.find(".//caption") if body.find(".//caption") is not None else body)
    assert body.find(".//pre") is not None and words(body.find(".//pre")) == "code {x} kept"  # type: ignore[arg-type]
    assert "* * *" in written
    assert [words(p) for p in body.findall("p")][-2:] == ["loose text", "inside"]


def test_a_written_folder_builds_with_its_pictures_parts_and_roles(tmp_path: Path) -> None:
    import io
    import zipfile

    from PIL import Image

    from build_tools.build import Project, build
    from build_tools.importing.document import ImportedBook
    from build_tools.importing.folder import write_manuscript

    picture = io.BytesIO()
    Image.new("RGB", (600, 400), "gray").save(picture, "PNG")
    sections = [
        ImportedSection("Preface", fragment("<p>Before.</p>"), place="front", role="preface"),
        ImportedSection(
            "One",
            fragment(
                '<h1>One</h1><figure><img src="images/map.png" alt="A map"/>'
                "<figcaption>The river.</figcaption></figure><p>Text.</p>"
            ),
            part="The Old World",
        ),
        ImportedSection("Two", fragment("<p>More.</p>"), part="The Old World"),
        ImportedSection("Sources", fragment("<p>After.</p>"), place="back", role="bibliography"),
    ]
    book = ImportedBook({"title": "Maps", "author": "Ada Example", "language": "en"}, sections)
    book.images["map.png"] = picture.getvalue()
    out = tmp_path / "maps"
    write_manuscript(book, out)
    config = (out / "book.toml").read_text(encoding="utf-8")
    assert 'front = [\n  { file = "text/01-preface.md", role = "preface" },\n]' in config
    assert 'back = [\n  { file = "text/04-sources.md", role = "bibliography" },\n]' in config
    assert '{ part = "The Old World", files = ["text/02-one.md", "text/03-two.md"] }' in config
    assert '![A map](../images/map.png "The river.")' in (out / "text/02-one.md").read_text(encoding="utf-8")
    report = (out / "IMPORT.md").read_text(encoding="utf-8")
    assert "'identifier' is not in the document" in report and "'publisher'" in report
    _, written = build(
        Project(out, Path(__file__).resolve().parent.parent / "styles", tmp_path / "dist"), ("epub",)
    )
    with zipfile.ZipFile(written[0]) as epub:
        names = epub.namelist()
        text = " ".join(epub.read(n).decode() for n in names if n.endswith(".xhtml"))
    assert any(name.endswith("map.png") for name in names)
    assert 'alt="A map"' in text and "The river." in text and "The Old World" in text


def test_a_folder_that_holds_anything_is_refused_and_left_as_it_was(tmp_path: Path) -> None:
    from build_tools.errors import BookError
    from build_tools.importing.document import ImportedBook
    from build_tools.importing.folder import write_manuscript

    out = tmp_path / "taken"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    book = ImportedBook({"title": "T"}, [ImportedSection("One", fragment("<p>x</p>"))])
    try:
        write_manuscript(book, out)
    except BookError as error:
        assert "not empty" in error.format_message()
    else:
        raise AssertionError("a folder with a file in it was written into")
    assert [p.name for p in out.iterdir()] == ["notes.txt"]
    assert [p.name for p in tmp_path.iterdir()] == ["taken"]  # no temporary folder left beside it


def test_a_poem_keeps_its_lines_indents_and_stanzas() -> None:
    body, _, written = parsed(
        ImportedSection(
            "T",
            fragment(
                '<div class="verse"><p class="stanza"><span class="line">The river is wide,</span><br/>'
                '<span class="line indent-2">and <em>slow</em>;</span></p>'
                '<p class="stanza"><span class="line">We waited.</span></p></div>'
                '<blockquote><div class="verse"><p>One line<br/>two lines</p></div></blockquote>'
            ),
        )
    )
    assert "::: verse\nThe river is wide,\n    and *slow*;\n\nWe waited.\n:::" in written
    stanzas = body.findall("div[@class='verse']/p")
    assert [[(s.get("class"), words(s)) for s in p.findall("span")] for p in stanzas] == [
        [("line", "The river is wide,"), ("line indent-2", "and slow;")],
        [("line", "We waited.")],
    ]
    quoted = body.findall("blockquote/div[@class='verse']/p/span")
    assert [words(line) for line in quoted] == ["One line", "two lines"]
