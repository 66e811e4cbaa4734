"""The chronology: EDTF bounds, order, errors, links in the EPUB, page references in print."""

from __future__ import annotations

import re
from pathlib import Path

import edtf as reference_edtf
import pytest
from epub_tools import documents, resolve
from pdf_tools import internal_links, link_texts, page_texts
from test_pdf import folio_pages

from build_tools.errors import Location, ManuscriptError
from build_tools.sources import chronology, edtf


@pytest.mark.parametrize(
    "text",
    [
        "1927",
        "1927-04",
        "1927-04-12",
        "1927~",
        "1926-02?",
        "192X",
        "1927-03/1927-04",
        "1936/1937",
        "1927-12-11/1927-12-13",
        "1928-02",
        "1900-02",
    ],
)
def test_bounds_agree_with_the_edtf_package(text: str) -> None:
    ours = edtf.parse(text)
    theirs = reference_edtf.parse_edtf(text)
    assert ours.lower == reference_edtf.struct_time_to_date(theirs.lower_strict())
    assert ours.upper == reference_edtf.struct_time_to_date(theirs.upper_strict())


@pytest.mark.parametrize("text", ["1927-13", "1927-02-30", "27", "March 1926", "1928/1927"])
def test_invalid_dates_are_refused(text: str) -> None:
    with pytest.raises(edtf.EdtfError):
        edtf.parse(text)


def test_order_follows_lower_bounds_partial_first(small) -> None:  # type: ignore[no-untyped-def]
    model, _ = small
    assert [e.id for e in model.chronology] == ["earlier", "year", "april", "letters"]


def load(text: str, anchors: tuple[str, ...] = ("a",)):  # type: ignore[no-untyped-def]
    return chronology.load(
        Path("chronology.yaml"), text, lambda s, where: s, {a: Location(Path("t.md"), 1) for a in anchors}
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            'events:\n  - id: a\n    date: "1927-13"\n    label: x\n    event: y\n',
            "chronology.yaml:3:11: invalid date",
        ),
        (
            'events:\n  - {id: a, date: "1927", label: x, event: y}\n'
            '  - {id: a, date: "1928", label: x, event: y}\n',
            "chronology.yaml:3:10: duplicate event id 'a' (first at line 2)",
        ),
        (
            'events:\n  - {id: b, date: "1927", label: x, event: y, links: [missing]}\n',
            "chronology.yaml:2:55: link to anchor {#missing}, which is nowhere in the text",
        ),
        ('events:\n  - {id: b, date: "1927", label: x}\n', "chronology.yaml:2:5: event without 'event'"),
        ("events: [\n", "chronology.yaml:2:1: malformed YAML"),
    ],
)
def test_errors_name_file_and_line(text: str, expected: str) -> None:
    with pytest.raises(ManuscriptError) as caught:
        load(text)
    assert caught.value.format_message().startswith(expected)


@pytest.mark.parametrize("book", ["small", "essay"])
def test_links_resolve_both_ways_in_the_epub(book: str, request: pytest.FixtureRequest) -> None:
    model, files = request.getfixturevalue(book)
    docs = documents(files[".epub"])
    times = docs["chronology.xhtml"].iter("{http://www.w3.org/1999/xhtml}time")
    assert [t.get("datetime") for t in times] == [e.datetime for e in model.chronology]
    linked = 0
    for event in model.chronology:
        for anchor in event.links:
            href = f"{model.anchor_section(anchor).file_stem}.xhtml#anchor-{anchor}"
            passage = resolve(docs, "chronology.xhtml", href)
            back = resolve(docs, "chronology.xhtml", passage.get("href"))
            assert back.get("id", "").startswith("event-")
            linked += 1
    assert linked >= 2


@pytest.mark.parametrize("book", ["small", "essay"])
def test_print_page_references_point_at_the_passage(book: str, request: pytest.FixtureRequest) -> None:
    model, files = request.getfixturevalue(book)
    texts = page_texts(files[".pdf"])
    folio_of = {index: folio for folio, index in folio_pages(files).items() if folio.isdigit()}
    # A link and its generated number are two rectangles: one reference each, in a set.
    refs = sorted(
        {
            (page, name[len("anchor-") :], target)
            for page, name, target in internal_links(files[".pdf"])
            if name.startswith("anchor-")
        }
    )
    # Every linked entry ends with the page of the first passage it links to.
    assert {anchor for _, anchor, _ in refs} == {e.links[0] for e in model.chronology if e.links}
    for page in {page for page, _, _ in refs}:
        for cited in re.findall(r"\((?:pp?\.) ([\d, ]+)\)", " ".join(texts[page].split())):
            numbers = cited.replace(",", " ").split()
            assert len(numbers) == len(set(numbers)), cited
    printed = link_texts(files[".pdf"])
    for page, anchor, target in refs:
        assert set(printed[(page, f"anchor-{anchor}")]) == {folio_of[target]}, anchor
        source = next(s for s in model.sections if any(a == anchor for a, _ in s.anchors))
        first_words = _words_after_anchor(source.body.xml, anchor)
        assert first_words in " ".join(texts[target].split()), (anchor, first_words)


def _words_after_anchor(body: str, anchor: str) -> str:
    after = body.split(f'id="anchor-{anchor}"></span>', 1)[1]
    plain = re.sub(r"<[^>]+>", "", after).replace("\u2060", "")  # a word joiner prints nothing
    return " ".join(plain.split()[:3])


def test_names_in_events_that_match_no_entry_are_warned(tmp_path: Path) -> None:
    import shutil

    from conftest import FIXTURES, STYLES

    from build_tools.build import Project, read_book

    root = tmp_path / "m"
    shutil.copytree(FIXTURES / "small", root)
    text = (root / "chronology.yaml").read_text(encoding="utf-8")
    (root / "chronology.yaml").write_text(
        text.replace(
            'event: "The year of the letters."', 'event: "Heinz Neumann arrives; Victor Serge writes."'
        ),
        encoding="utf-8",
    )
    book = read_book(Project(root, STYLES, tmp_path / "out"))
    found = [(d.location.line, d.code, d.text) for d in book.diagnostics if d.code == "unindexed-name"]
    assert found == [(11, "unindexed-name", "Heinz Neumann")]
