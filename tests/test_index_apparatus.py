"""The index to a university press's standard (issue 16 item 1), read from the printed PDF and
the EPUB: note locators that name their chapter, citation-only notes left out, See also in
order, works in italics, subentries indented under their entry, "(continued)" heads."""

from __future__ import annotations

import re
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as raw
import pytest
from conftest import ROOT, _built, book_toml
from epub_tools import documents
from pdf_tools import page_texts
from test_index_pages import Where

from build_tools.build import Project, read_book
from build_tools.errors import ManuscriptError
from build_tools.index.citations import citation_only
from build_tools.lang.collation import collation
from build_tools.markup import Fragment

NBSP = "\u00a0"
# The first book's notes that only cite a source (author, title, editor, publisher, year).
CITATIONS = {
    "commission",
    "naville-intro",
    "memoirs-shanghai",
    "mao-hunan",
    "mao-hunan-2",
    "mao-hunan-3",
    "serge-letter-three",
    "memoirs-canton",
    "memoirs-preobrazhensky",
}


@pytest.fixture(scope="module")
def french(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The French test book: a place (Anvers), a work (Biblia regia), Plantin's subentries."""
    return _built(tmp_path_factory, ROOT / "tests" / "manuscripts" / "french", "french-index")


def chars(pdf: Path, index: int) -> list[tuple[str, float, float, str]]:
    """Each character of a page: itself, its left and top edges, and its font's name."""
    document = pdfium.PdfDocument(str(pdf))
    page = document[index]
    textpage = page.get_textpage()
    found = []
    buffer = (raw.c_char * 256)()
    flags = raw.c_int()
    for i in range(textpage.count_chars()):
        left, _, _, top = textpage.get_charbox(i, loose=True)  # loose: the line's height
        size = raw.FPDFText_GetFontInfo(textpage.raw, i, buffer, 256, flags)
        name = bytes(buffer[: max(size - 1, 0)]).decode("latin-1")
        found.append((textpage.get_text_range(i, 1), left, top, name))
    textpage.close()
    page.close()
    document.close()
    return found


def lines(pdf: Path, index: int) -> list[tuple[float, str, float]]:
    """The lines of a page in reading order (left column first): the left edge of each, its
    text (without spaces) and its top."""
    found: dict[tuple[int, float], list[tuple[float, str]]] = {}
    characters = chars(pdf, index)
    lefts = [c[1] for c in characters if c[0].strip()] or [0.0]
    middle = (min(lefts) + max(lefts)) / 2  # the gutter between the columns
    tops: dict[int, list[float]] = {0: [], 1: []}  # per column, the lines' tops found so far
    for char, left, top, _ in sorted(characters, key=lambda c: -c[2]):
        if char.strip():
            column = int(left > middle)
            # a capital's box stands a little higher than its line's small letters': one line
            line = next((t for t in tops[column] if abs(t - top) < 3), None)
            if line is None:
                tops[column].append(line := top)
            found.setdefault((column, line), []).append((left, char))
    ordered = sorted(found.items(), key=lambda item: (item[0][0], -item[0][1]))
    return [
        (min(x for x, _ in run), "".join(c for _, c in sorted(run)), float(key[1])) for key, run in ordered
    ]


def index_pages(pdf: Path, title: str) -> list[int]:
    texts = page_texts(pdf)
    first = next(i for i, text in enumerate(texts) if text.lstrip().startswith(title))
    return [i for i in range(first, len(texts)) if texts[i].strip()]  # not the blank pages after


def test_the_first_book_s_citation_notes_are_found_and_not_indexed() -> None:
    book = read_book(Project(ROOT / "manuscript", ROOT / "styles", ROOT / "dist"))
    skipped = {note.label for note in book.notes if not note.indexed}
    assert skipped == CITATIONS
    skipped_ids = {note.id for note in book.notes if not note.indexed}
    assert not [m for m in book.mentions if m.note in skipped_ids]
    # The note on Malraux's novel says more than where to find it: indexed (Chevalier, Isaacs).
    assert {m.entry for m in book.mentions if m.note == "note-1-6"} >= {"chevalier", "isaacs"}
    # The author's own "I" is no mention of Greeman: only the chronology names him.
    assert {m.where for m in book.mentions if m.entry == "greeman"} == {"chronology"}


@pytest.mark.parametrize(
    ("xhtml", "expected"),
    [
        ("<div><p>Serge, <em>Memoirs</em>, 131.</p></div>", True),
        ("<div><p>Ibid., 45–46.</p></div>", True),
        ("<div><p>Harold R. Isaacs, “The Tragedy,” <em>Politics</em> 3, no. 2 (1946): 12.</p></div>", True),
        ("<div><p>Serge, <em>Memoirs</em>, 131, where he argues the contrary.</p></div>", False),
        ("<div><p>Neumann was arrested in Moscow in 1937.</p></div>", False),
        ("<div><p>Serge, quoted by Naville.</p></div>", False),  # no title, no year, no page
        ("<div><p>Pierre Naville, préface à Serge, <em>Vie</em> (Paris: Seuil, 1977).</p></div>", True),
    ],
)
def test_citation_only_heuristic(xhtml: str, expected: bool) -> None:
    language = "fr" if "préface" in xhtml else "en"
    assert citation_only(Fragment.parse(xhtml).tree(), language) is expected


def _manuscript(tmp_path: Path, text: str, names: str) -> Path:
    (tmp_path / "text").mkdir()
    (tmp_path / "text" / "a.md").write_text(text, encoding="utf-8")
    (tmp_path / "names.yaml").write_text(names, encoding="utf-8")
    (tmp_path / "book.toml").write_text(book_toml(["text/a.md"], 'names = "names.yaml"\n'), encoding="utf-8")
    return tmp_path


NAMES = """entries:
  - id: serge
    heading: "Serge, Victor"
    forms: ["Serge"]
    subentries:
      - id: china
        heading: "on China"
        forms: ["Chinese letters"]
  - id: isaacs
    heading: "Isaacs, Harold"
    forms: ["Isaacs"]
"""


def test_note_marks_decide_and_subentries_collect_their_mentions(tmp_path: Path) -> None:
    text = (
        "# A\n\nSerge wrote the Chinese letters.[^a] Later [he]{@serge>china} said so.[^b] Serge.[^c]\n\n"
        "[^a]: {@} Isaacs, *Tragedy*, 12.\n\n[^b]: {!} Isaacs says Serge was right.\n\n"
        "[^c]: Isaacs, *Tragedy*, 14.\n"
    )
    book = read_book(Project(_manuscript(tmp_path, text, NAMES), ROOT / "styles", tmp_path / "out"))
    assert [note.indexed for note in book.notes] == [True, False, False]
    assert "{@}" not in book.notes[0].body.text and "{!}" not in book.notes[1].body.text
    isaacs = [m.note for m in book.mentions if m.entry == "isaacs"]
    assert isaacs == ["note-1-1"]
    subs = [(m.sub, m.where) for m in book.mentions if m.entry == "serge"]
    assert sorted(subs) == [("", "text"), ("", "text"), ("china", "text"), ("china", "text")]


@pytest.mark.parametrize(
    ("names", "mark", "expected"),
    [
        (NAMES, "[x]{@serge>mao}", "'mao', which is not a subentry of 'serge'"),
        (NAMES.replace('forms: ["Chinese letters"]', "form: [x]"), "", "unknown field 'form' in a subentry"),
        (NAMES.replace("Chinese letters", "Isaacs"), "", "form 'Isaacs' is claimed by 'serge>china'"),
        (NAMES.replace('    forms: ["Serge"]', '    kind: novel\n    forms: ["Serge"]'), "", "kind must be"),
    ],
)
def test_subentry_and_kind_errors(tmp_path: Path, names: str, mark: str, expected: str) -> None:
    text = f"# A\n\nSerge and Isaacs, Chinese letters. {mark}\n"
    with pytest.raises(ManuscriptError, match=re.escape(expected)):
        read_book(Project(_manuscript(tmp_path, text, names), ROOT / "styles", tmp_path / "out"))


def test_note_locators_name_their_chapter_where_a_page_shares_a_number(essay) -> None:  # type: ignore[no-untyped-def]
    book, files = essay
    where = Where(book, files[".pdf"])
    starts = {note.id: where.page(note.id) for note in book.notes}
    shared = {
        (starts[a.id], a.number, a.section)
        for a in book.notes
        for b in book.notes
        if a.number == b.number and a.section != b.section and starts[a.id] == starts[b.id]
    }
    assert shared, "the first book has a page with note 1 of both chapters (issue 16)"
    pages = index_pages(files[".pdf"], "Index")
    # Spaces and line ends as one space, the no-break space kept (str.split would take it).
    text = re.sub(r"[ \r\n]+", " ", " ".join(page_texts(files[".pdf"])[i] for i in pages))
    printed = re.findall(rf"(\d+)n(\d+)(?: \(chap\.{NBSP}(\d)\))?", text.replace("\u00ad", ""))
    assert any(chapter for _, _, chapter in printed)
    for page, number, chapter in printed:
        notes_here = {(p, n) for p, n, _ in shared}
        assert bool(chapter) == ((page, int(number)) in notes_here), (page, number, chapter)


def test_see_also_in_the_index_s_order_and_citation_names_left_out(essay) -> None:  # type: ignore[no-untyped-def]
    book, files = essay
    text = " ".join(
        " ".join(page_texts(files[".pdf"])[i] for i in index_pages(files[".pdf"], "Index")).split()
    )
    order = collation("en")
    by_id = {entry.id: entry for entry in book.names}
    unsorted = 0
    for entry in book.names:
        if len(entry.see_also) > 1:
            targets = sorted((by_id[i] for i in entry.see_also), key=lambda e: order.key(e.sort))
            assert "See also " + "; ".join(e.heading for e in targets) in text, entry.id
            unsorted += [e.id for e in targets] != list(entry.see_also)
    assert unsorted, "names.yaml lists some See also out of order: the index sorts them"
    assert "See also Radek, Karl; Trotsky, Leon; Zinoviev, Grigory" in text
    assert "Sedgwick" not in text


def test_subentries_places_and_works_printed_and_linked(french) -> None:  # type: ignore[no-untyped-def]
    book, files = french
    pdf = files[".pdf"]
    (page,) = index_pages(pdf, "Index des noms")
    printed = lines(pdf, page)
    texts = [t for _, t, _ in printed]
    main = next(i for i, t in enumerate(texts) if t.startswith("Plantin,Christophe"))
    (atelier, marque) = printed[main + 1], printed[main + 2]
    assert atelier[1].startswith("atelierd’Anvers,") and marque[1].startswith("marqueaucompas,")
    assert atelier[0] > printed[main][0] + 5 and marque[0] == atelier[0]  # indented, one indent
    where = Where(book, pdf)
    for sub, line in (("atelier", atelier), ("marque", marque)):
        (mention,) = [m for m in book.mentions if m.sub == sub]
        assert line[1].endswith("," + where.locator(mention))
    assert any(t.startswith("Anvers,") for t in texts)
    italic = [c for c, _, _, font in chars(pdf, page) if "Italic" in font]
    assert "Biblia regia" in "".join(italic)
    index = documents(files[".epub"])["index.xhtml"]
    xhtml = "http://www.w3.org/1999/xhtml"
    terms = [
        " ".join("".join(t.itertext()).split())
        for t in index.iter(f"{{{xhtml}}}span")
        if t.get("{http://www.idpf.org/2007/ops}type") == "index-term"
        and t.getparent().tag == f"{{{xhtml}}}li"
    ]
    assert terms.index("atelier d’Anvers") == terms.index("Plantin, Christophe") + 1
    assert terms.index("marque au compas") == terms.index("atelier d’Anvers") + 1
    assert any(e.text == "Biblia regia" for e in index.iter(f"{{{xhtml}}}i", f"{{{xhtml}}}em"))
    nested = [li for li in index.iter(f"{{{xhtml}}}li") if li.getparent().getparent().tag == f"{{{xhtml}}}li"]
    assert len(nested) == 2


SYLLABLES = ["Bar", "Cor", "Dun", "Fel", "Gar", "Hol", "Kin", "Lor", "Mar", "Nor"]
ENDINGS = ["ton", "ley", "ford", "wick", "well", "by", "ham", "mont", "sey", "ridge", "dale", "croft"]


@pytest.fixture(scope="module")
def long_index(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """A book whose index runs over several pages: 120 persons, one in five on nearly every
    page, and the first, Barton, with ninety subentries (a line each: more than a page holds,
    so that a page turn falls inside it; widows and orphans keep a short entry whole)."""
    source = tmp_path_factory.mktemp("long-index-source")
    names = [a + b for a in SYLLABLES for b in ENDINGS]
    subs = "".join(f'      - id: s{k}\n        heading: "letters to {names[k + 1]}"\n' for k in range(90))
    entries = "".join(
        f'  - id: p{n}\n    heading: "{name}, Jean"\n    forms: ["{name}"]\n' for n, name in enumerate(names)
    ).replace('forms: ["Barton"]\n', 'forms: ["Barton"]\n    subentries:\n' + subs, 1)
    (source / "names.yaml").write_text("entries:\n" + entries, encoding="utf-8")
    filler = "the letters were read and copied and sent on again by the comrades of the city " * 3
    paragraphs = []
    for p in range(150):
        named = [names[(p * 7 + k * 13) % len(names)] for k in range(10)] + names[p % 5 :: 5]
        text = " ".join(f"{filler.split()[k % 15]} {name} wrote," for k, name in enumerate(named))
        paragraphs.append(f"{text} [Barton]{{@p0>s{p % 90}}} wrote again, {filler}.")
    (source / "text").mkdir()
    (source / "text" / "a.md").write_text("# Letters\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    (source / "book.toml").write_text(book_toml(["text/a.md"], 'names = "names.yaml"\n'), encoding="utf-8")
    return _built(tmp_path_factory, source, "long-index", ("pdf",))


def test_a_page_that_begins_inside_an_entry_repeats_its_heading(long_index) -> None:  # type: ignore[no-untyped-def]
    book, files = long_index
    pdf = files[".pdf"]
    headings = [entry.heading for entry in book.names]
    pages = index_pages(pdf, "Index of Names")
    assert len(pages) >= 3
    texts = page_texts(pdf)
    document = pdfium.PdfDocument(str(pdf))
    inside_seen = 0
    edges = {side: min(x for i in pages if i % 2 == side for x, _, _ in lines(pdf, i)) for side in (0, 1)}
    for before, index in zip(pages, pages[1:], strict=False):
        page = document[index]
        left, _, right, top_edge = page.get_trimbox()
        textpage = page.get_textpage()
        head = " ".join(textpage.get_text_bounded(left, top_edge - 0.75 * 72, right, top_edge).split())
        textpage.close()
        # The text block's lines (their loose tops rise a little above the margin: 4 pt).
        printed = [line for line in lines(pdf, index) if line[2] < top_edge - 0.75 * 72 + 4]
        left_column = [line for line in printed if line[0] < (left + right) / 2]
        # A turnover or a subentry is indented from the column's edge (the leftmost line of the
        # pages of this side): the page begins inside an entry.
        first_line = left_column[0]
        inside = first_line[0] > edges[index % 2] + 3
        previous = " ".join(texts[before].split())
        last = max(headings, key=lambda h: previous.rfind(h + ","))
        if inside:
            inside_seen += 1
            assert f"{last} (continued)" in head, (index, head, first_line)
        else:
            assert "(continued)" not in head, (index, head, first_line)
    document.close()
    assert inside_seen, "no index page begins inside an entry: the test shows nothing"


@pytest.mark.parametrize(
    ("pages", "subentry", "warned"), [(20, False, True), (12, False, False), (20, True, False)]
)
def test_a_long_string_of_locators_is_a_warning_that_suggests_subentries(
    tmp_path: Path, pages: int, subentry: bool, warned: bool
) -> None:
    """Above fifteen estimated pages of bare locators: a warning at the entry's line (for
    ``book check``, which lays nothing out); mentions under a subentry are not counted."""
    filler = "the letters were read and copied and sent on again by the comrades " * 40  # a page
    mark = "[Serge]{@serge>china}" if subentry else "Serge"
    text = "# A\n\nIsaacs.\n\n" + "\n\n".join(f"{mark} wrote, {filler}." for _ in range(pages)) + "\n"
    book = read_book(Project(_manuscript(tmp_path, text, NAMES), ROOT / "styles", tmp_path / "out"))
    found = [d for d in book.diagnostics if d.code == "many-locators"]
    assert bool(found) is warned
    if warned:
        assert (
            found[0].location.line == 2
            and "subentries" in found[0].message
            and "Serge, Victor" in found[0].message
        )


def test_the_first_book_s_longest_entries_are_warned() -> None:
    book = read_book(Project(ROOT / "manuscript", ROOT / "styles", ROOT / "dist"))
    warned = {d.text for d in book.diagnostics if d.code == "many-locators"}
    assert "Serge, Victor" in warned  # 22 locators printed (issue 16: "Serge has 32")


def test_headings_markup_is_printed_and_its_text_sorted(tmp_path: Path) -> None:
    names = NAMES + (
        '  - id: lutte\n    heading: "*Lutte de classes, La*"\n    kind: periodical\n    forms: ["Lutte"]\n'
        '  - id: reclus\n    heading: "[Reclus]{.smallcaps}, Élisée"\n    forms: ["Reclus"]\n'
        '  - heading: "*La Lutte de classes*"\n    see: lutte\n'
    )
    text = "# A\n\nSerge, Isaacs, the Chinese letters, Lutte and Reclus.\n"
    book = read_book(Project(_manuscript(tmp_path, text, names), ROOT / "styles", tmp_path / "out"))
    entries = {entry.id: entry for entry in book.names}
    assert (entries["lutte"].heading, entries["lutte"].markup) == (
        "Lutte de classes, La",
        "<em>Lutte de classes, La</em>",
    )
    assert entries["lutte"].sort == "Lutte de classes, La"  # no asterisk sorted
    assert entries["reclus"].markup == '<span class="smallcaps">Reclus</span>, Élisée'
    assert book.cross_refs[0].markup == "<em>La Lutte de classes</em>"


def test_the_first_book_s_periodicals_are_italic_in_the_printed_index(essay) -> None:  # type: ignore[no-untyped-def]
    book, files = essay
    pdf = files[".pdf"]
    italic = "".join(
        "".join(c for c, _, _, font in chars(pdf, page) if "Italic" in font)
        for page in index_pages(pdf, "Index")
    )
    for entry in book.names:
        if entry.kind == "periodical":
            assert entry.heading.replace(" ", "") in italic.replace(" ", ""), entry.heading


def test_no_line_of_the_index_breaks_a_name_at_its_hyphen(essay) -> None:  # type: ignore[no-untyped-def]
    """Kai-shek, Yat-sen, Tse-tung: each stays on one line (a hyphenated word of a heading is
    never broken at its hyphen), read from the index pages' lines."""
    from build_tools.checks.pagelines import read_pages

    _, files = essay
    pages = read_pages(files[".pdf"])
    lines = [line for i in index_pages(files[".pdf"], "Index") for line in pages[i].lines]
    assert lines
    assert [line.text for line in lines if line.hyphenated] == []
