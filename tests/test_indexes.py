"""Separate indexes chosen in book.toml (issue 16 item 1): each printed with its title and its
entries only, its locators the pages of its mentions, in the contents with its page, an EPUB
document of its own (EPUBCheck, its idx profile, Ace), a page of the preview; and the errors
of ``[contents] indexes``. Without ``indexes`` the one index is as before (test_index*.py)."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, STYLES, _built, book_toml
from epub_tools import EPUB_TYPE, NS, documents, resolve
from pdf_tools import head_and_foot, page_texts
from starlette.testclient import TestClient
from test_index_pages import Where, unabbreviated
from validators import ace, epubcheck, format_messages, format_violations, problems

from build_tools.build import Project, read_book
from build_tools.errors import ManuscriptError
from build_tools.index.entries import entries
from build_tools.preview import open_preview

SOURCE = ROOT / "tests" / "manuscripts" / "indexes"
NAMES, PLACES = "Index des noms", "Index des lieux"
NAME_KINDS, PLACE_KINDS = (
    {"person", "organization", "work", "periodical"},
    {"place"},
)  # a periodical is a work


@pytest.fixture(scope="module")
def two(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The French book with its places in an index of their own."""
    return _built(tmp_path_factory, SOURCE, "two-indexes")


def index_pages(pdf: Path, titles: list[str]) -> dict[str, list[int]]:
    """The pages of each index, by its title: from the page its title opens to the next index
    (or the end of the book)."""
    texts = page_texts(pdf)
    starts = {title: max(i for i, t in enumerate(texts) if t.lstrip().startswith(title)) for title in titles}
    order = sorted(starts.values()) + [len(texts)]
    return {title: list(range(start, order[order.index(start) + 1])) for title, start in starts.items()}


def printed(pdf: Path, pages: list[int]) -> str:
    texts = page_texts(pdf)
    return " ".join(" ".join(texts[i] for i in pages).split())


def headed(heading: str, text: str) -> bool:
    """Whether an entry headed ``heading`` is printed in ``text`` (not a subentry that ends with
    the word: "atelier d’Anvers" is no entry Anvers)."""
    return re.search(rf"(?<![\w’']){re.escape(heading)}(,|\.| \()", text) is not None


def test_each_index_is_printed_with_its_title_and_its_entries_only(two) -> None:  # type: ignore[no-untyped-def]
    book, files = two
    assert [(i.title, set(i.kinds)) for i in book.index_list] == [(NAMES, NAME_KINDS), (PLACES, PLACE_KINDS)]
    pages = index_pages(files[".pdf"], [NAMES, PLACES])
    assert pages[NAMES][-1] < pages[PLACES][0]
    text = {title: printed(files[".pdf"], found) for title, found in pages.items()}
    for entry in book.names:
        home, other = (PLACES, NAMES) if entry.kind == "place" else (NAMES, PLACES)
        assert headed(entry.heading, text[home]), f"{entry.heading} is not in the {home}"
        assert not headed(entry.heading, text[other]), f"{entry.heading} is in the {other} too"
    # A See entry goes with the entry it points at.
    assert "Antwerpen. Voir Anvers" in text[PLACES] and "Antwerpen" not in text[NAMES]
    assert "Plantijn, Christoffel. Voir Plantin, Christophe" in text[NAMES]
    assert "Plantijn" not in text[PLACES]
    # Each index opens its own page, under its own title, without a running head.
    heads = head_and_foot(files[".pdf"])
    for found in pages.values():
        assert heads[found[0]][0] == ""


def test_the_locators_of_each_index_are_the_pages_of_its_mentions(two) -> None:  # type: ignore[no-untyped-def]
    book, files = two
    where = Where(book, files[".pdf"])
    mentions = {mention.id: mention for mention in book.mentions}
    kinds = {entry.id: entry.kind for entry in book.names}
    docs = documents(files[".epub"])
    text = {t: printed(files[".pdf"], p) for t, p in index_pages(files[".pdf"], [NAMES, PLACES]).items()}
    for name, title, wanted in (("index.xhtml", NAMES, NAME_KINDS), ("index-2.xhtml", PLACES, PLACE_KINDS)):
        found = 0
        for li in docs[name].iter(f"{{{NS['x']}}}li"):
            if (
                li.get(EPUB_TYPE) != "index-entry"
                or li.getparent().getparent().get(EPUB_TYPE) == "index-entry"
            ):
                continue
            labels = []
            for a in li.findall(f"{{{NS['x']}}}a"):
                if a.get(EPUB_TYPE) != "index-locator":
                    continue
                mention = mentions[a.get("href").partition("#")[2]]
                assert kinds[mention.entry] in wanted, f"{mention.entry} in the {title}"
                assert same(unabbreviated(a.text), where.locator(mention)), f"{a.text} for {mention.id}"
                labels.append(a.text)
                found += 1
            term = li.find(f"{{{NS['x']}}}span").xpath("string()")
            if labels:  # the printed entry has the same locators: the heading, then each
                joined = " ".join(", ".join(labels).split())  # the PDF's text: a space for a no-break
                assert re.search(rf"{re.escape(term)}[^,]*, {re.escape(joined)}", text[title])
        assert found >= 2


def same(label: str, wanted: str) -> bool:
    """A locator as the French book prints it ("8 n. 2") and as Where gives it ("8n2")."""
    return re.sub(r"[\s.]", "", label) == re.sub(r"[\s.]", "", wanted)


def test_the_contents_gives_each_index_its_page(two) -> None:  # type: ignore[no-untyped-def]
    _, files = two
    assert contents_pages(files[".pdf"], [NAMES, PLACES]) == opening_folios(files[".pdf"], [NAMES, PLACES])


def contents_pages(pdf: Path, titles: list[str]) -> dict[str, str]:
    texts = page_texts(pdf)
    contents = " ".join(next(t for t in texts if "table des matières" in t.lower()).split())
    return {title: re.search(rf"{re.escape(title)}[ .]*?(\d+)", contents)[1] for title in titles}  # type: ignore[index]


def opening_folios(pdf: Path, titles: list[str]) -> dict[str, str]:
    feet = head_and_foot(pdf)
    return {title: feet[found[0]][1].strip() for title, found in index_pages(pdf, titles).items()}


@pytest.fixture(scope="module")
def long_first(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """An index of 120 persons, pages long, then an index of three places: pass 1's stubs put
    the second a page after the first's opening, which only a layout with both full corrects."""
    source = tmp_path_factory.mktemp("long-first-source")
    people = [
        a + b
        for a in ("Bar", "Cor", "Dun", "Fel", "Gar", "Hol", "Kin", "Lor", "Mar", "Nor")
        for b in ("ton", "ley", "ford", "wick", "well", "by", "ham", "mont", "sey", "ridge", "dale", "croft")
    ]
    places = ["Smolny", "Kronstadt", "Petrograd"]
    role = "printer, binder and correspondent of the commune"  # an entry of three lines
    entries = "".join(
        f'  - id: p{n}\n    heading: "{name}, Jean"\n    qualifier: "{role}"\n    forms: ["{name}"]\n'
        for n, name in enumerate(people)
    )
    entries += "".join(
        f'  - id: {name.lower()}\n    heading: "{name}"\n    kind: place\n    forms: ["{name}"]\n'
        for name in places
    )
    (source / "names.yaml").write_text("entries:\n" + entries, encoding="utf-8")
    filler = "the letters were read and copied and sent on again by the comrades of the city"
    paragraphs = [
        " ".join(
            f"{people[(p * 7 + k * 13) % len(people)]} wrote from {places[(p + k) % 3]}," for k in range(12)
        )
        + f" {filler}."
        for p in range(60)
    ]
    (source / "text").mkdir()
    (source / "text" / "a.md").write_text("# Letters\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    chosen = (
        'names = "names.yaml"\nindexes = [{ title = "Index of Persons", kinds = ["person"] },\n'
        '  { title = "Index of Places", kinds = ["place"] }]\n'
    )
    (source / "book.toml").write_text(book_toml(["text/a.md"], chosen), encoding="utf-8")
    return _built(tmp_path_factory, source, "long-first", ("pdf",))


def test_a_long_first_index_moves_the_second_and_the_contents_says_where(long_first) -> None:  # type: ignore[no-untyped-def]
    _, files = long_first
    titles = ["Index of Persons", "Index of Places"]
    pages = index_pages(files[".pdf"], titles)
    assert len(pages["Index of Persons"]) >= 3  # the second index is not where its stub was
    texts = page_texts(files[".pdf"])
    contents = " ".join(next(t for t in texts if t.lstrip().lower().startswith("contents")).split())
    listed = {t: re.search(rf"{t}[ .]*?(\d+)", contents)[1] for t in titles}  # type: ignore[index]
    assert listed == opening_folios(files[".pdf"], titles)
    assert "Smolny," in printed(files[".pdf"], pages["Index of Places"])
    assert "Smolny" not in printed(files[".pdf"], pages["Index of Persons"])


def test_two_index_documents_in_the_navigation_and_the_landmarks(two) -> None:  # type: ignore[no-untyped-def]
    _, files = two
    docs = documents(files[".epub"])
    nav = docs["nav.xhtml"]
    navs = {n.get(EPUB_TYPE): n for n in nav.iter(f"{{{NS['x']}}}nav")}
    toc = [(a.get("href"), a.text) for a in navs["toc"].iter(f"{{{NS['x']}}}a")]
    assert toc[-2:] == [("index.xhtml", NAMES), ("index-2.xhtml", PLACES)]
    marks = [
        (a.get("href"), a.text)
        for a in navs["landmarks"].iter(f"{{{NS['x']}}}a")
        if a.get(EPUB_TYPE) == "index"
    ]
    assert marks == [("index.xhtml", NAMES), ("index-2.xhtml", PLACES)]
    for name, title in (("index.xhtml", NAMES), ("index-2.xhtml", PLACES)):
        doc = docs[name]
        assert doc.findtext(f".//{{{NS['x']}}}title") == title
        (section,) = [s for s in doc.iter(f"{{{NS['x']}}}section") if s.get(EPUB_TYPE) == "index"]
        assert resolve(docs, name, "#" + section.get("aria-labelledby")).xpath("string()") == title
    # Every See and See also link stays in its document, to an entry there.
    for name in ("index.xhtml", "index-2.xhtml"):
        for a in docs[name].iter(f"{{{NS['x']}}}a"):
            if a.get(EPUB_TYPE, "").startswith("index-xref"):
                assert a.get("href").startswith("#")
                assert resolve(docs, name, a.get("href")).get(EPUB_TYPE) == "index-entry"


def test_the_epub_passes_epubcheck_its_idx_profile_and_ace(two, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _, files = two
    assert problems(found := epubcheck(files[".epub"])) == [], format_messages(found)
    for name in ("index.xhtml", "index-2.xhtml"):
        document = tmp_path / name
        document.write_bytes(zipfile.ZipFile(files[".epub"]).read(f"OEBPS/{name}"))
        assert problems(found := epubcheck(document, profile="idx", mode="xhtml")) == [], format_messages(
            found
        )
    assert (violations := ace(files[".epub"], tmp_path / "ace")) == [], format_violations(violations)


def test_the_preview_shows_each_index(tmp_path: Path) -> None:
    source = tmp_path / "indexes"
    shutil.copytree(SOURCE, source)
    preview = open_preview(source, STYLES)
    try:
        client = TestClient(preview.server.app)
        home = client.get("/").text
        assert 'href="/index.html">Index des noms' in home and 'href="/index-2.html">Index des lieux' in home
        places = client.get("/index-2.html").text
        assert "Index des lieux" in places and 'href="/section-001.html#ix-' in places
        assert "Antwerpen" in places and "Plantin, Christophe" not in places
        assert "Plantin, Christophe" in client.get("/index.html").text
        assert client.get("/index-3.html").status_code == 404
    finally:
        preview.close()


PLACE_INDEXES = (
    'indexes = [{ title = "Names", kinds = ["person", "work"] }, { title = "Places", kinds = ["place"] }]'
)


@pytest.mark.parametrize(
    ("indexes", "names_extra", "message", "where"),
    [
        (
            'indexes = [{ title = "Names", kinds = ["person", "town"] }]',
            "",
            "'town' is not a kind of entry",
            "book.toml",
        ),
        ('indexes = [{ kinds = ["person"] }]', "", "index 1 needs a title", "book.toml"),
        ('indexes = [{ title = "Names" }]', "", "index 'Names' needs its kinds", "book.toml"),
        (
            'indexes = [{ title = "N", kinds = ["person"], sort = 1 }]',
            "",
            "unknown key 'sort' in index 1",
            "book.toml",
        ),
        (
            'indexes = [{ title = "A", kinds = ["person", "place"] }, { title = "B", kinds = ["place"] }]',
            "",
            "kind 'place' is in two indexes, 'A' and 'B'",
            "book.toml",
        ),
        (
            'indexes = [{ title = "Names", kinds = ["person"] }]',
            "",
            "entry 'smolny' is a place, a kind no index",
            "names.yaml:5",
        ),
        (
            'indexes = [{ title = "Names", kinds = ["person", "place"] }, { title = "W", kinds = ["work"] }]',
            "",
            "index 'W' holds no entry: no entry of the names file is a work",
            "book.toml",
        ),
        (
            PLACE_INDEXES,
            "    see_also: [smolny]\n",
            "'see_also' of 'serge' (Names) names 'smolny', which is in the Places",
            "names.yaml:2",
        ),
    ],
)
def test_indexes_errors_name_the_file_and_line(
    tmp_path: Path, indexes: str, names_extra: str, message: str, where: str
) -> None:
    (tmp_path / "text").mkdir()
    (tmp_path / "text" / "a.md").write_text("# A\n\nVictor Serge came to Smolny.\n", encoding="utf-8")
    (tmp_path / "names.yaml").write_text(
        'entries:\n  - id: serge\n    heading: "Serge, Victor"\n    forms: ["Serge"]\n'
        + names_extra
        + '  - id: smolny\n    heading: "Smolny"\n    kind: place\n    forms: ["Smolny"]\n',
        encoding="utf-8",
    )
    (tmp_path / "book.toml").write_text(
        book_toml(["text/a.md"], f'names = "names.yaml"\n{indexes}\n'), encoding="utf-8"
    )
    with pytest.raises(ManuscriptError) as error:
        read_book(Project(tmp_path, STYLES, tmp_path / "out"))
    assert message in str(error.value)
    file, _, line = where.partition(":")
    assert error.value.location.file.name == file
    if line:
        assert error.value.location.line == int(line)
    else:
        assert error.value.location.line == 12  # indexes = … under [contents]


def test_indexes_need_a_names_file(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("# A\n\nText.\n", encoding="utf-8")
    chosen = 'indexes = [{ title = "Names", kinds = ["person"] }]\n'
    (tmp_path / "book.toml").write_text(book_toml(["a.md"], chosen), encoding="utf-8")
    with pytest.raises(ManuscriptError, match="'indexes' needs a names file"):
        read_book(Project(tmp_path, STYLES, tmp_path / "out"))


def test_a_periodical_is_in_the_index_of_works(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("# A\n\nSerge wrote for Clarté in Smolny.\n", encoding="utf-8")
    (tmp_path / "names.yaml").write_text(
        'entries:\n  - id: serge\n    heading: "Serge, Victor"\n    forms: ["Serge"]\n'
        '  - id: clarte\n    heading: "*Clarté*"\n    kind: periodical\n    forms: ["Clarté"]\n'
        '  - id: smolny\n    heading: "Smolny"\n    kind: place\n    forms: ["Smolny"]\n',
        encoding="utf-8",
    )
    chosen = 'names = "names.yaml"\n' + PLACE_INDEXES + "\n"
    (tmp_path / "book.toml").write_text(book_toml(["a.md"], chosen), encoding="utf-8")
    book = read_book(Project(tmp_path, STYLES, tmp_path / "out"))
    names, places = book.index_list
    held = {
        i.title: [e.heading for _, group in entries(book, None, i.kinds) for e in group]
        for i in (names, places)
    }
    assert held == {"Names": ["Clarté", "Serge, Victor"], "Places": ["Smolny"]}
