"""Hyphenation by locale in print (issue 13 item 3): ``en`` is American English and ``en-GB``
British, other languages their own; names of the names file and small capitals are never
broken; no page turn splits a word. Read from the built PDFs: a line that ends with U+2010,
the hyphen WeasyPrint adds, and the word the next line goes on with. First, the WeasyPrint
internals the hook in ``build_tools/layout/weasy.py`` relies on, pinned."""

from __future__ import annotations

import inspect
import logging
import re
import shutil
from pathlib import Path

import pyphen
import pytest
from conftest import ROOT, _built, book_toml
from lxml import etree
from pdf_tools import body_texts
from weasyprint import HTML
from weasyprint.text import line_break

from build_tools.build import Project, build, read_book
from build_tools.layout import paginate, settle
from build_tools.layout.boxes import PageText, page_texts
from build_tools.layout.keeps import Keep, keep_words, splits
from build_tools.layout.weasy import _hyphenation

HYPHEN = "\u2010"  # WeasyPrint's hyphenate character, which print.css keeps
MANUSCRIPTS = ROOT / "tests" / "manuscripts"
BOOKS = sorted(folder.name for folder in MANUSCRIPTS.iterdir() if (folder / "book.toml").is_file())
# Long words around the word tested and words with no hyphenation point, so that the lines
# leave room at their ends, and the word tested often begins the next line.
FILLERS = ("strength", "a", "thoughts", "of", "through")


def _paragraph(word: str, count: int = 160) -> str:
    words = [word if n % 2 == 0 else FILLERS[n // 2 % len(FILLERS)] for n in range(count)]
    return " ".join(words) + "."


def breaks(pdf: Path) -> list[tuple[str, str]]:
    """Every hyphen the layout added at a line's end in the text block: (the part before it,
    the word the next line begins with), punctuation aside; across a page turn too."""
    lines = [line.strip() for page in body_texts(pdf) for line in page.splitlines() if line.strip()]
    found = []
    for line, after in zip(lines, lines[1:], strict=False):
        if line.endswith(HYPHEN):
            found.append((_bare(line.split()[-1][:-1]), _bare(after.split()[0])))
    return found


def _bare(word: str) -> str:
    return re.sub(r"^\W+|\W+$", "", word)


def points(word: str, language: str) -> set[int]:
    """Where pyphen's patterns break ``word``, with print.css's hyphenate-limit-chars 6 3 3."""
    return set(pyphen.Pyphen(lang=language, left=3, right=3).positions(word))


# WeasyPrint 70's internals that weasy.py relies on.


def test_weasyprint_finds_its_patterns_through_the_module_the_hook_replaces() -> None:
    source = inspect.getsource(line_break.split_first_line)
    assert "lang = style['lang'] and pyphen.language_fallback(style['lang'])" in source
    assert "dictionary = pyphen.Pyphen(lang=lang, left=left, right=right)" in source
    assert "dictionary.iterate(next_word)" in source
    assert line_break.pyphen is pyphen
    # Why "en" needs the hook: pyphen's "en" is the first English it lists, en_GB.
    assert pyphen.LANGUAGES[pyphen.language_fallback("en")] == pyphen.LANGUAGES["en_GB"]


def _lines(html: str, words: frozenset[str] | None) -> list[str]:
    """The lines of a narrow column of ``html``, laid out with the hook (``words`` unbroken)
    or without it (None)."""
    document = HTML(string=html)
    if words is None:
        pages = document.render().pages
    else:
        with _hyphenation(words):
            pages = document.render().pages
    return [
        "".join(box.text for box in line.descendants() if hasattr(box, "text"))
        for line in pages[0]._page_box.descendants()
        if type(line).__name__ == "LineBox"
    ]


COLUMN = (
    '<html lang="{lang}"><body style="width: 1.6in; font-size: 10pt; hyphens: auto;'
    ' hyphenate-limit-chars: 6 3 3; text-align: justify">{text}</body></html>'
)


def test_the_hook_breaks_en_the_american_way_keeps_names_whole_and_restores_pyphen() -> None:
    text = _paragraph("representative", 60)
    british = [line for line in _lines(COLUMN.format(lang="en", text=text), None) if line.endswith(HYPHEN)]
    american = [
        line for line in _lines(COLUMN.format(lang="en", text=text), frozenset()) if line.endswith(HYPHEN)
    ]
    assert british and american
    assert {len(line.split()[-1]) - 1 for line in british} <= points("representative", "en_GB")
    assert {len(line.split()[-1]) - 1 for line in american} <= points("representative", "en_US")
    kept = _lines(COLUMN.format(lang="en", text=text), frozenset({"representative"}))
    assert not [line for line in kept if line.endswith(HYPHEN)]
    assert line_break.pyphen is pyphen
    with pytest.raises(RuntimeError), _hyphenation(frozenset()):
        raise RuntimeError
    assert line_break.pyphen is pyphen


# Keeps, source in and markup out.


def test_a_split_word_is_found_by_its_letters_and_kept_whole_in_each_slot_it_has() -> None:
    root = etree.fromstring(
        '<div><p id="p">The <a class="note-number">12.</a> represen<i>tative</i> of a <b>represen</b>'
        "tative, and Kai-shek, and fore\xadsee.</p></div>"
    )
    skip = frozenset({"note-number"})  # print-only: its letters are on no page
    texts = [
        PageText(("", 0), {}, True),
        PageText(("p", 11), {}, False),  # inside represen|tative, across the <i>: a split
        PageText(("p", 29), {}, True),  # inside a word, but the page before ends unhyphenated
        PageText(("p", 34), {}, True),  # "and": a whole word
        PageText(("p", 40), {}, True),  # Kai-|shek: the source's hyphen, at a turn all the same
        PageText(("p", 51), {}, True),  # fore|see: a soft hyphen
    ]
    assert splits(root, texts, skip) == {
        1: Keep("p", "representative", 0),
        4: Keep("p", "Kai-shek,", 0),
        5: Keep("p", "fore\xadsee.", 0),
    }
    keep_words(root, [Keep("p", "representative,", 0), Keep("p", "representative", 0)], skip)
    assert etree.tostring(root, encoding="unicode") == (
        '<div><p id="p">The <a class="note-number">12.</a> <span class="keep">represen</span>'
        '<i><span class="keep">tative</span></i> of a <b><span class="keep">represen</span></b>'
        '<span class="keep">tative,</span> and Kai-shek, and fore\xadsee.</p></div>'
    )
    keep_words(root, [Keep("p", "representative", 1), Keep("q", "and", 0)], skip)  # not there: nothing
    assert etree.tostring(root, encoding="unicode").count("keep") == 4


# Books built by the tests.

TEXT = (
    "# Hyphenation\n\n{representative}\n\n{names}\n\n{small_caps}\n",
    {
        "representative": _paragraph("representative"),
        "names": _paragraph("Washington") + " " + _paragraph("Washington’s"),
        "small_caps": f"[{_paragraph('Independence')}]{{.smallcaps}}",
    },
)
NAMES = (
    'entries:\n  - id: washington\n    heading: "Washington, George"\n'
    '    forms: ["George Washington", "Washington"]\n'
)


def _book(root: Path, language: str) -> Path:
    (root / "text").mkdir(parents=True)
    template, parts = TEXT
    (root / "text" / "one.md").write_text(template.format(**parts), encoding="utf-8")
    (root / "names.yaml").write_text(NAMES, encoding="utf-8")
    config = book_toml(["text/one.md"], 'names = "names.yaml"\n').replace(
        'language = "en"', f'language = "{language}"'
    )
    (root / "book.toml").write_text(config, encoding="utf-8")
    return root


@pytest.fixture(scope="module", params=["en", "en-GB"])
def english(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    source = _book(tmp_path_factory.mktemp(f"hyphenation-{request.param}") / "book", request.param)
    _, written = _built(tmp_path_factory, source, f"hyphenation-{request.param}", ("pdf",))
    return request.param, breaks(written[".pdf"])


def test_english_is_broken_by_american_patterns_and_en_gb_by_british(english) -> None:  # type: ignore[no-untyped-def]
    language, found = english
    wanted, other = ("en_US", "en_GB") if language == "en" else ("en_GB", "en_US")
    cuts = [len(before) for before, after in found if (before + after).lower() == "representative"]
    assert cuts, "the test paragraph is not hyphenated at all"
    assert set(cuts) <= points("representative", wanted)
    assert set(cuts) - points("representative", other)  # a break only these patterns make


def test_a_name_of_the_names_file_and_small_capitals_are_never_broken(english) -> None:  # type: ignore[no-untyped-def]
    _, found = english
    broken = {before + after for before, after in found}
    assert "representative" in broken  # the paragraphs around them are hyphenated
    assert not {"Washington", "Washington’s", "Independence", "INDEPENDENCE", "independence"} & broken


@pytest.fixture(scope="module")
def test_books(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The PDF of a book of tests/manuscripts, built once for this module when first asked
    for; with the repository's styles, and the book's fallback faces if it has some (cjk)."""
    built: dict[str, Path] = {}

    def pdf(name: str) -> Path:
        if name not in built:
            source, out = MANUSCRIPTS / name, tmp_path_factory.mktemp(name)
            styles = ROOT / "styles"
            if (source / "fallback").is_dir():
                styles = shutil.copytree(styles, out / "styles")
                shutil.copytree(source / "fallback", styles, dirs_exist_ok=True)
            built[name] = build(Project(source, styles, out / "dist"), ("pdf",))[1][0]
        return built[name]

    return pdf


def test_the_french_book_is_broken_by_french_patterns(test_books) -> None:  # type: ignore[no-untyped-def]
    found = [(before, before + after) for before, after in breaks(test_books("french"))]
    assert found
    assert all(len(before) in points(word, "fr") for before, word in found), found
    assert any(len(before) not in points(word, "en_US") for before, word in found)


def turns(pdf: Path) -> list[tuple[int, str]]:
    """(page number, word) for every page whose text block ends with a hyphen the layout
    added: the word as the source would have it with that hyphen, from the next page's text."""
    pages = [[line.strip() for line in page.splitlines() if line.strip()] for page in body_texts(pdf)]
    found = []
    for number, (page, after) in enumerate(zip(pages, pages[1:], strict=False), start=1):
        if page and after and page[-1].endswith(HYPHEN):
            found.append((number, _bare(page[-1].split()[-1] + after[0].split()[0])))
    return found


def _source(root: Path) -> str:
    return "\n".join(
        path.read_text(encoding="utf-8") for path in sorted(root.rglob("*.md")) + sorted(root.rglob("*.yaml"))
    )


def test_no_page_of_the_first_book_ends_inside_a_word(essay) -> None:  # type: ignore[no-untyped-def]
    _, written = essay
    source = _source(ROOT / "manuscript")
    assert [(page, word) for page, word in turns(written[".pdf"]) if word not in source] == []


@pytest.mark.parametrize("name", BOOKS)
def test_no_page_of_a_test_book_ends_inside_a_word(test_books, name: str) -> None:  # type: ignore[no-untyped-def]
    source = _source(MANUSCRIPTS / name)
    assert [(page, word) for page, word in turns(test_books(name)) if word not in source] == []


def test_a_page_still_split_after_the_last_layout_is_a_warning_that_names_it(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The first book needs a second layout of its text: allowed one, it warns."""
    monkeypatch.setattr(settle, "MAX_LAYOUTS", 1)
    book = read_book(Project(ROOT / "manuscript", ROOT / "styles", ROOT / "unused"))
    with caplog.at_level(logging.WARNING, logger=settle.__name__):
        layout = paginate.lay_out(book, ROOT / "styles")
    named = [
        re.fullmatch(
            r"page (\d+) of the PDF: its last word, '(.+)', is split across the page turn, and still was "
            "after 1 layouts",
            r.getMessage(),
        )
        for r in caplog.records
    ]
    assert named and all(named), [r.getMessage() for r in caplog.records]
    texts = page_texts(layout.rendered.pages)  # type: ignore[attr-defined]
    for found in named:
        assert found is not None
        assert texts[int(found[1]) - 1].hyphenated
