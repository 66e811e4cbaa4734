"""Markdown in, model out: sections, notes and queries, and the errors of bad input."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from build_tools.errors import ManuscriptError
from build_tools.model import Query, Section
from build_tools.parse.parser import ParsedSection, Parser, parse_chronology
from build_tools.sources.manuscript import SourceFile
from build_tools.sources.names import load

NAMES = """entries:
  - id: serge
    heading: "Serge, Victor"
    forms: ["Victor Serge", "Serge"]
"""


def section(text: str, number: int = 1) -> tuple[Section, tuple[Query, ...]]:
    parsed = Parser().section(number, SourceFile(Path("ch.md"), text))
    return parsed.section, parsed.queries


def error(text: str) -> str:
    with pytest.raises(ManuscriptError) as caught:
        section(text)
    return caught.value.format_message()


def test_title_and_body() -> None:
    sec, _ = section("# The *Title*\n\nA paragraph.\n\n## Sub\n\n> Quoted.\n")
    assert sec.title == "The Title"
    assert sec.heading.xml == "The <em>Title</em>"
    assert '<h2 id="sec-1-sub">Sub</h2>' in sec.body.xml
    assert '<blockquote id="p-1-2">\n<p id="p-1-3">Quoted.</p>\n</blockquote>' in sec.body.xml
    assert '<p id="p-1-1">A paragraph.</p>' in sec.body.xml  # blocks get ids: print pages point at them
    assert "<h1" not in sec.body.xml


def test_notes_numbered_in_order_of_first_reference() -> None:
    sec, _ = section("# T\n\nOne.[^b] Two.[^a] Again.[^b]\n\n[^a]: Note a.\n\n[^b]: Note b.\n", number=3)
    assert [(n.label, n.number, n.ref_count) for n in sec.notes] == [("b", 1, 2), ("a", 2, 1)]
    assert '<a href="#note-3-1" id="noteref-3-1" class="noteref">1</a>' in sec.body.xml
    assert '<a href="#note-3-2" id="noteref-3-2" class="noteref">2</a>' in sec.body.xml
    assert '<a href="#note-3-1" id="noteref-3-1-2" class="noteref">1</a>' in sec.body.xml
    assert sec.notes[0].body.xml == "<p>Note b.</p>"


def test_note_with_several_paragraphs() -> None:
    sec, _ = section("# T\n\nText.[^n]\n\n[^n]: First.\n\n    Second *para*.\n\nAfter.\n")
    assert sec.notes[0].body.xml == "<p>First.</p>\n<p>Second <em>para</em>.</p>"
    assert '<p id="p-1-2">After.</p>' in sec.body.xml


def test_queries_keep_their_text_and_report_their_line() -> None:
    sec, queries = section("# T\n\nIn {==194?==}{>>year?<<} it was.\n\n{>>gap here<<}\n")
    assert '<span class="query" data-query="year?">194?</span>' in sec.body.xml
    assert [(q.location.line, q.text, q.comment) for q in queries] == [
        (3, "194?", "year?"),
        (5, "", "gap here"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("# T\n\nText.[^x]\n", "ch.md:3:6: note reference [^x] has no definition"),
        ("# T\n\nText.\n\n[^x]: Lonely.\n", "ch.md:5:1: note [^x] is defined but never referenced"),
        ("# T\n\nA.[^x]\n\n[^x]: One.\n[^x]: Two.\n", "ch.md:6:1: note [^x] is defined twice"),
        ("# T[^x]\n\nA.\n\n[^x]: One.\n", "ch.md:1:4: note reference [^x] in a heading"),
        ("# T\n\nA.[^x]\n\n[^x]: One.[^y]\n", "ch.md:5:11: a note cannot contain a note"),
        ("Text first.\n\n# T\n", "ch.md:1: section has no heading"),
        ("# T\n\nA.\n\n# U\n", "ch.md:5: a second '#' heading"),
        ("# T\n\nA {>>open query\n", "ch.md:3:3: unclosed editorial query"),
    ],
)
def test_errors_name_file_and_line(text: str, expected: str) -> None:
    assert error(text).startswith(expected)


def test_raw_html_is_text_and_warned() -> None:
    parsed = Parser().section(1, SourceFile(Path("ch.md"), "# T\n\nA <span>x()</span> b.\n"))
    assert "&lt;span&gt;" in parsed.section.body.xml and "<span" not in parsed.section.body.xml
    assert [str(d.location) for d in parsed.diagnostics] == ["ch.md:3:3"]


def test_parsing_keeps_nothing_from_one_section_to_the_next(tmp_path: Path) -> None:
    Image.new("RGB", (4, 4), "gray").save(tmp_path / "map.png")  # a real picture: they are decoded
    parser = Parser(load(Path("names.yaml"), NAMES), tmp_path)
    first = SourceFile(
        tmp_path / "one.md",
        "# T\n\nSerge {==wrote==}{>>when?<<} <b>x</b>.[^n] {#here}\n\n"
        "[^n]: Serge again. [him]{@serge} ![A map](map.png)\n",
    )
    other = SourceFile(tmp_path / "two.md", "# U\n\nNothing to see.\n")
    once = parser.section(1, first, first_mention=5)
    assert parser.section(2, other).section.body.xml.strip() == '<p id="p-2-1">Nothing to see.</p>'
    assert parser.section(2, other) == ParsedSection(parser.section(2, other).section)
    assert parser.section(1, first, first_mention=5) == once  # the same input, the same result
    assert [q.comment for q in once.queries] == ["when?"]
    assert [d.code for d in once.diagnostics] == ["raw-html"]
    assert [a for a, _ in once.section.anchors] == ["here"]
    assert {(kind, entry, where.line) for kind, entry, where in once.index_marks} == {
        ("explicit", "serge", 5)
    }
    assert [(image.href, image.location.line) for image in once.section.images] == [("map.png", 5)]
    # The note's mentions are numbered first, then the text's, from the number given.
    assert [(m.id, m.where) for m in once.mentions] == [("ix-5", "note"), ("ix-6", "note"), ("ix-7", "text")]
    assert (once.first_mention, once.next_mention) == (5, 8)


def test_the_chronology_is_parsed_from_the_mention_number_given() -> None:
    parser = Parser(load(Path("names.yaml"), NAMES))
    source = SourceFile(
        Path("chronology.yaml"),
        'events:\n  - id: a\n    date: "1928"\n    label: "1928"\n'
        '    event: "Serge *left*."\n  - id: b\n    date: "1927"\n    label: "1927"\n'
        '    event: "Victor Serge came; Serge stayed."\n',
    )
    parsed = parse_chronology(parser, source, {}, first_mention=3)
    assert [e.id for e in parsed.events] == ["b", "a"]  # in date order, numbered in file order
    assert [m.id for m in parsed.mentions] == ["ix-3", "ix-4", "ix-5"]
    left = parsed.events[1].body.xml
    assert left == '<span class="ix" data-ix="serge" id="ix-3">Serge</span> <em>left</em>.'
    assert parsed.next_mention == 6
    assert parse_chronology(parser, source, {}, first_mention=3) == parsed
