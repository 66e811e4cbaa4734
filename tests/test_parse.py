"""Markdown in, model out: sections, notes and queries, and the errors of bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from build_tools.errors import ManuscriptError
from build_tools.parse.parser import Parser
from build_tools.sources.manuscript import SourceFile


def section(text: str, number: int = 1):  # type: ignore[no-untyped-def]
    return Parser().section(number, SourceFile(Path("ch.md"), text))


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
    sec, _ = section(
        "# T\n\nOne.[^b] Two.[^a] Again.[^b]\n\n[^a]: Note a.\n\n[^b]: Note b.\n", number=3
    )
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
        (3, "194?", "year?"), (5, "", "gap here"),
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
    parser = Parser()
    sec, _ = parser.section(1, SourceFile(Path("ch.md"), "# T\n\nA <span>x()</span> b.\n"))
    assert "&lt;span&gt;" in sec.body.xml and "<span" not in sec.body.xml
    assert [str(d.location) for d in parser.diagnostics] == ["ch.md:3:3"]


def test_reference_before_punctuation_is_warned() -> None:
    parser = Parser()
    parser.section(1, SourceFile(Path("ch.md"), "# T\n\nText[^n]. More.\n\n[^n]: N.\n"))
    assert [(str(d.location), d.code) for d in parser.diagnostics] == [
        ("ch.md:3:5", "note-before-punctuation")
    ]
