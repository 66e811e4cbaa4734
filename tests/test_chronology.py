"""The chronology: EDTF bounds, order, errors, links in the EPUB, page references in print
(issue 16 item 2: every passage's page, each page once; no mark in the EPUB's text)."""

from __future__ import annotations

import re
from pathlib import Path

import edtf as reference_edtf
import pytest
from conftest import _built
from epub_tools import EPUB_TYPE, NS, documents, resolve
from lxml import etree
from pdf_tools import internal_links, link_texts, page_texts
from test_pdf import folio_pages
from validators import ace, epubcheck, format_messages, format_violations, problems

from build_tools.errors import Location, ManuscriptError
from build_tools.sources import chronology, edtf

DATED = Path(__file__).resolve().parent / "manuscripts" / "chronology"
X = f"{{{NS['x']}}}"


@pytest.fixture(scope="module")
def dated(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The test book of page references: two pages, two passages on one page, one passage."""
    return _built(tmp_path_factory, DATED, "dated")


@pytest.fixture(scope="module")
def dated_epub(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The same book as ``book build epub`` makes it: no print pages."""
    return _built(tmp_path_factory, DATED, "dated-epub", ("epub",))


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


@pytest.mark.parametrize("book", ["small", "essay", "dated"])
def test_the_epub_chronology_links_each_page_and_the_text_has_no_mark(
    book: str, request: pytest.FixtureRequest
) -> None:
    """Each entry links the first passage on each of its print pages, its numbers those the PDF
    prints after the entry; the text links nothing back (writers/epub/chronology.py)."""
    model, files = request.getfixturevalue(book)
    docs = documents(files[".epub"])
    chronology = docs["chronology.xhtml"]
    times = chronology.iter(f"{X}time")
    assert [t.get("datetime") for t in times] == [e.datetime for e in model.chronology]
    printed = printed_pages(model, files)
    for event in model.chronology:
        item = chronology.xpath("//x:li[@id=$id]", namespaces=NS, id=f"event-{event.id}")[0]
        see = item.xpath("x:span[@class='see']", namespaces=NS)
        if not event.links:
            assert see == []
            continue
        links = see[0].findall(f"{X}a")
        assert [a.text for a in links] == printed[event.id], event.id
        for a in links:
            passage = resolve(docs, "chronology.xhtml", a.get("href"))
            assert passage.get("class") == "anchor" and passage.get("id") in {
                f"anchor-{anchor}" for anchor in event.links
            }
    _no_mark_in_the_text(docs)


def _no_mark_in_the_text(docs: dict[str, etree._Element]) -> None:
    """No ◇, no link typed as a note or set as a superscript that points at the chronology."""
    for name, root in docs.items():
        if not name.startswith("section-"):
            continue
        assert "\u25c7" not in "".join(root.itertext()), name
        for a in root.iter(f"{X}a"):
            if a.get("href", "").partition("#")[0] == "chronology.xhtml":
                assert "noteref" not in (a.get(EPUB_TYPE, "") + a.get("role", "")), name
                assert not list(a.iter(f"{X}sup")) and a.getparent().tag != f"{X}sup", name
        for anchor in root.xpath("//x:span[@class='anchor']", namespaces=NS):
            assert len(anchor) == 0 and not (anchor.text or "").strip(), name


def test_an_epub_without_print_pages_links_each_passage_from_its_section_heading(  # type: ignore[no-untyped-def]
    dated_epub,
) -> None:
    model, files = dated_epub
    docs = documents(files[".epub"])
    see = {
        item.get("id"): item.xpath("x:span[@class='see']", namespaces=NS)[0]
        for item in docs["chronology.xhtml"].iter(f"{X}li")
        if item.xpath("x:span[@class='see']", namespaces=NS)
    }
    # Two sections: each heading links its passage, in the order of the book.
    strike = see["event-strike"]
    assert " ".join("".join(strike.itertext()).split()) == "In the text: Spring, Winter."
    assert [a.get("href") for a in strike.iter(f"{X}a")] == [
        "section-001.xhtml#anchor-dockers",
        "section-002.xhtml#anchor-frost",
    ]
    # Two passages of one section: the heading once, each passage a numbered link.
    meeting = see["event-meeting"]
    assert " ".join("".join(meeting.itertext()).split()) == "In the text: Spring (1, 2)."
    assert [(a.text, a.get("href")) for a in meeting.iter(f"{X}a")] == [
        ("1", "section-001.xhtml#anchor-hall"),
        ("2", "section-001.xhtml#anchor-hall-vote"),
    ]
    _no_mark_in_the_text(docs)


@pytest.mark.parametrize("book", ["small", "essay", "dated"])
def test_print_prints_the_page_of_every_passage(book: str, request: pytest.FixtureRequest) -> None:
    """Each linked entry ends with the page of each passage, in order, a page once; each
    number is a link that leads to the page it prints, and that page holds the passage."""
    model, files = request.getfixturevalue(book)
    texts = page_texts(files[".pdf"])[: _chronology_page(files)]
    folio_of = {index: folio for folio, index in folio_pages(files).items() if folio.isdigit()}
    printed = printed_pages(model, files)
    for event in (e for e in model.chronology if e.links):
        expected = sorted({folio_of[_passage_page(model, texts, a)] for a in event.links}, key=int)
        assert printed[event.id] == expected, event.id
    # A link and its generated number are two rectangles: one reference each, in a set.
    refs = {
        (page, name.removeprefix("anchor-"), target)
        for page, name, target in internal_links(files[".pdf"])
        if name.startswith("anchor-")
    }
    first_on_page = set()  # (anchor, page): each page once, by its first passage
    for event in model.chronology:
        seen = set()
        for anchor in sorted(event.links, key=_order(model).__getitem__):
            if (page := _passage_page(model, texts, anchor)) not in seen:
                seen.add(page)
                first_on_page.add((anchor, page))
    assert {(anchor, target) for _, anchor, target in refs} == first_on_page
    words = link_texts(files[".pdf"])
    for page, anchor, target in refs:
        assert set(words[(page, f"anchor-{anchor}")]) == {folio_of[target]}, anchor
        assert _passage_page(model, texts, anchor) == target, anchor


def test_the_canton_commune_prints_both_its_pages(essay) -> None:  # type: ignore[no-untyped-def]
    """Issue 16: the event linked to two passages printed only the first page."""
    model, files = essay
    event = next(e for e in model.chronology if e.id == "canton-commune")
    texts = page_texts(files[".pdf"])
    body = texts[: _chronology_page(files)]
    folio_of = {index: folio for folio, index in folio_pages(files).items() if folio.isdigit()}
    pages = [folio_of[_passage_page(model, body, anchor)] for anchor in event.links]
    assert len(set(pages)) == 2
    assert printed_pages(model, files)["canton-commune"] == sorted(pages, key=int)
    chronology = " ".join(" ".join(texts[_chronology_page(files) :]).split())
    assert f"thousands killed. (pp. {', '.join(sorted(pages, key=int))})" in chronology


def test_the_test_book_prints_two_pages_one_page_and_a_shared_page_once(dated) -> None:  # type: ignore[no-untyped-def]
    model, files = dated
    texts = page_texts(files[".pdf"])
    chronology = " ".join(" ".join(texts[_chronology_page(files) :]).split())
    folio_of = {index: folio for folio, index in folio_pages(files).items() if folio.isdigit()}
    body = texts[: _chronology_page(files)]
    page = {a: folio_of[_passage_page(model, body, a)] for a in ("dockers", "frost", "hall", "hall-vote")}
    spring, winter = page["dockers"], page["frost"]
    assert spring != winter and page["hall"] == page["hall-vote"] == spring
    # Listed [frost, dockers] in the file: printed in the book's order.
    assert f"in sympathy. (pp. {spring}, {winter})" in chronology
    assert f"in the guild hall. (p. {spring})" in chronology  # two passages, one page
    assert f"at its edges. (p. {winter})" in chronology


def test_the_test_book_passes_epubcheck_and_ace(dated, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _, files = dated
    messages = epubcheck(files[".epub"])
    assert problems(messages) == [], format_messages(messages)
    violations = ace(files[".epub"], tmp_path / "ace")
    assert violations == [], format_violations(violations)


def test_several_pages_take_the_plural_label_in_each_language() -> None:
    from build_tools.lang.labels import labels_for

    found = {
        tag: labels_for(tag).page_references.format(pages="2, 17") for tag in ("en", "fr", "de", "es", "it")
    }
    assert found == {
        "en": "(pp. 2, 17)",
        "fr": "(p.\u00a02, 17)",
        "de": "(S.\u00a02, 17)",
        "es": "(pp.\u00a02, 17)",
        "it": "(pp.\u00a02, 17)",
    }


def printed_pages(model, files) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    """The page numbers printed after each linked entry of the chronology, read from the PDF:
    the entries in order, each found by the first words of its text."""
    texts = page_texts(files[".pdf"])
    text = " ".join(" ".join(texts[_chronology_page(files) :]).split())
    found: dict[str, list[str]] = {}
    at = 0
    for event in model.chronology:
        start = " ".join("".join(event.body.tree().itertext()).split()[:3])
        at = text.index(start, at)
        if event.links:
            refs = re.compile(r"\((?:pp?\.) ([\d, ]+)\)").search(text, at)
            assert refs is not None, event.id
            found[event.id] = refs[1].replace(",", " ").split()
            assert (refs[0].startswith("(pp.")) == (len(found[event.id]) > 1), refs[0]
    return found


def _chronology_page(files) -> int:  # type: ignore[no-untyped-def]
    """The page the chronology begins on: where the contents' link to it leads."""
    return next(target for _, name, target in internal_links(files[".pdf"]) if name == "chronology")


def _order(model) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {a: n for n, a in enumerate(a for s in model.sections for a, _ in s.anchors)}


def _passage_page(model, texts: list[str], anchor: str) -> int:  # type: ignore[no-untyped-def]
    """The one page of the text (``texts``: the pages before the chronology) that holds the
    first words after ``anchor``: as many words as it takes to find only one."""
    source = next(s for s in model.sections if any(a == anchor for a, _ in s.anchors))
    pages: list[int] = []
    # The pages' text run together: the words may run on across a page turn; the passage's
    # page is the one its first word is on.
    normal = [
        " ".join(text.split()).replace("\u2010 ", "") for text in texts
    ]  # a word the layout hyphenated, whole
    starts = [sum(len(text) + 1 for text in normal[:i]) for i in range(len(normal))]
    whole = " ".join(normal)
    for count in range(3, 16):
        words = _words_after_anchor(source.body.xml, anchor, count)
        found = [m.start() for m in re.finditer(re.escape(words), whole)]
        pages = [max(i for i, start in enumerate(starts) if start <= at) for at in found]
        if len(pages) <= 1:
            break
    assert len(pages) == 1, (anchor, pages)
    return pages[0]


def _words_after_anchor(body: str, anchor: str, count: int = 3) -> str:
    after = body.split(f'id="anchor-{anchor}"></span>', 1)[1]
    plain = re.sub(r"<[^>]+>", "", after).replace("\u2060", "")  # a word joiner prints nothing
    return " ".join(plain.split()[:count])


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
