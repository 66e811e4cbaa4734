"""Typography per language, applied at build (issue 13 item 2): curly quotes in the language's
style, French no-break spaces, note calls on the language's side of the punctuation and never
at the start of a line; ``book check`` reads the text by the same rules."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import STYLES, _built
from epub_tools import documents
from lxml import etree
from pdf_tools import page_texts
from weasyprint.formatting_structure.boxes import Box, LineBox

from build_tools.checks.editorial import check
from build_tools.lang.typography import NBSP, NNBSP, typography
from build_tools.layout.paginate import lay_out
from build_tools.parse.typeset import WORD_JOINER, typeset
from build_tools.textpos import letters

FRENCH = Path(__file__).resolve().parent / "manuscripts" / "french"
XHTML = "{http://www.w3.org/1999/xhtml}"
WJ = WORD_JOINER


def set_in(html: str, language: str) -> str:
    tree = etree.fromstring(f"<div>{html}</div>")
    typeset(tree, language)
    return etree.tostring(tree, encoding="unicode")[5:-6]


@pytest.mark.parametrize(
    ("language", "html", "expected"),
    [
        (
            "en",
            "<p>He said \"yes, it's <em>mine</em>\" in '68.</p>",
            "<p>He said “yes, it’s <em>mine</em>” in ’68.</p>",
        ),
        (
            "en",
            "<p>A 'quoted' word, the students' books.</p>",
            "<p>A ‘quoted’ word, the students’ books.</p>",
        ),
        ("en-GB", '<p>"Yes"</p>', "<p>“Yes”</p>"),
        (
            "de",
            "<p>Er sagte \"ja\" und 'nein' – Hans' Buch.</p>",
            "<p>Er sagte „ja“ und ‚nein‘ – Hans’ Buch.</p>",
        ),
        ("es", '<p>Dijo "sí".</p>', "<p>Dijo «sí».</p>"),
        ("it", '<p>Disse "sì", l\'uomo.</p>', "<p>Disse «sì», l’uomo.</p>"),
        ("hu", '<p>"Igen" it\'s</p>', '<p>"Igen" it’s</p>'),  # quotes not known: left as typed
        (
            "fr",
            '<p>Il dit "oui" ; puis : « non » ! Quoi? l\'homme à 5:30 sur http://x.fr</p>',
            f"<p>Il dit «{NNBSP}oui{NNBSP}»{NNBSP}; puis{NBSP}: «{NNBSP}non{NNBSP}»{NNBSP}! "
            f"Quoi{NNBSP}? l’homme à 5:30 sur http://x.fr</p>",
        ),
        ("fr", "<p>«<em>Non</em>»</p>", f"<p>«{NNBSP}<em>Non</em>{NNBSP}»</p>"),
        # A phrase in another language keeps its own quotation marks.
        (
            "fr",
            '<p>Le <span lang="en">"true text"</span>.</p>',
            '<p>Le <span lang="en">“true text”</span>.</p>',
        ),
        # Code and preformatted text are as typed.
        (
            "fr",
            '<p>Voir <code>"a";</code> ici.</p><pre>"b" ;</pre>',
            '<p>Voir <code>"a";</code> ici.</p><pre>"b" ;</pre>',
        ),
    ],
)
def test_quotes_and_spaces_by_language(language: str, html: str, expected: str) -> None:
    assert set_in(html, language) == expected


@pytest.mark.parametrize(
    ("language", "html", "expected"),
    [
        # English (Chicago 14.26): after the punctuation and the closing quote, not after a dash.
        ("en", '<p>word<a data-note="1"/>. More</p>', f'<p>word.{WJ}<a data-note="1"/> More</p>'),
        ("en", '<p>"power<a data-note="1"/>".</p>', f'<p>“power”.{WJ}<a data-note="1"/></p>'),
        ("en", '<p>and<a data-note="1"/>—then</p>', f'<p>and{WJ}<a data-note="1"/>—then</p>'),
        (
            "en",
            '<p>Why?<a data-note="1"/><a data-note="2"/></p>',
            f'<p>Why?{WJ}<a data-note="1"/><a data-note="2"/></p>',
        ),
        ("de", '<p>"Wort<a data-note="1"/>",</p>', f'<p>„Wort“,{WJ}<a data-note="1"/></p>'),
        # French, Spanish, Italian: before the punctuation.
        (
            "fr",
            '<p>des puissants.<a data-note="1"/> Puis</p>',
            f'<p>des puissants{WJ}<a data-note="1"/>. Puis</p>',
        ),
        ("fr", '<p>Fin ;<a data-note="1"/> mot</p>', f'<p>Fin{WJ}<a data-note="1"/>{NNBSP}; mot</p>'),
        ("es", '<p>fin.<a data-note="1"/></p>', f'<p>fin{WJ}<a data-note="1"/>.</p>'),
        ("fr", '<p><em>mot</em>.<a data-note="1"/></p>', f'<p><em>mot</em>{WJ}<a data-note="1"/>.</p>'),
    ],
)
def test_note_calls_by_language(language: str, html: str, expected: str) -> None:
    assert set_in(html, language) == expected


def test_the_letters_are_the_same_after_setting() -> None:
    """Places counted in letters (the index's, the page markers') do not move."""
    html = "<p>Il dit \"oui\" ; <em>l'homme</em> a dit : « non » !<a data-note='1'/>.</p>"
    tree = etree.fromstring(f"<div>{html}</div>")
    before = letters("".join(tree.itertext()))
    typeset(tree, "fr")
    assert letters("".join(tree.itertext())) == before


def test_every_language_pairs_its_own_marks() -> None:
    assert typography("fr").pairs == (("«", "»"), ("“", "”"))
    assert typography("de-AT").pairs == (("„", "“"), ("‚", "‘"))
    assert typography("sv").pairs == ()  # ” … ”: the same mark opens and closes
    assert typography("hu").double is None


# ---------------------------------------------------------------- the French test book


@pytest.fixture(scope="module")
def french(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    return _built(tmp_path_factory, FRENCH, "french-typography")


def _french_text(epub: Path) -> list[str]:
    """The text of every French block of the EPUB's documents, the English phrases taken out."""
    found = []
    for tree in documents(epub).values():
        for block in tree.iter(f"{XHTML}p", f"{XHTML}h1", f"{XHTML}h2", f"{XHTML}li"):
            copy = etree.fromstring(etree.tostring(block))
            for other in copy.xpath(".//*[@lang and @lang!='fr']"):
                other.text = " "
                for child in other:
                    other.remove(child)
            found.append("".join(copy.itertext()))
    return found


def test_the_french_epub_has_french_quotes_and_spaces(french) -> None:  # type: ignore[no-untyped-def]
    _, files = french
    texts = _french_text(files[".epub"])
    text = "\n".join(texts)
    assert '"' not in text and "'" not in text
    assert f"«{NNBSP}le maître{NNBSP}»{NNBSP}; lui-même" in text
    assert f"voulait-il{NNBSP}? Des livres justes{NBSP}: rien d’autre{NNBSP}!" in text
    assert "à 5:30, dit-on" in text  # a time is no punctuation
    plain = re.sub(r"urn:\S+|5:30", "", text)  # the identifier and a time are not prose
    assert not re.search(r"[^\u202f\u00a0][;:!?»]|«[^\u202f]", plain), plain
    english = [
        "".join(span.itertext())
        for tree in documents(files[".epub"]).values()
        for span in tree.iter(f"{XHTML}span")
        if span.get("lang") == "en"
    ]
    assert "a “fair proof” of each ‘leaf’" in english


def test_french_note_calls_stand_before_the_punctuation(french) -> None:  # type: ignore[no-untyped-def]
    _, files = french
    around = []  # the text of each paragraph with a call, the call as ¤
    for tree in documents(files[".epub"]).values():
        for ref in tree.iter(f"{XHTML}a"):
            if ref.get("class") == "noteref":
                paragraph = etree.fromstring(etree.tostring(ref.getparent()))
                for call in paragraph.iter(f"{XHTML}a"):
                    if call.get("id") == ref.get("id"):
                        call.text = "¤"
                    elif call.get("class") == "noteref":
                        call.text = ""
                around.append("".join(paragraph.itertext()))
    assert len(around) == 4
    for text in around:
        before, after = text.split("¤")
        assert before.endswith(WJ) and before[-2] not in ".,;:!?", before[-30:]
        assert after[:1] in ("", " ", ".", NNBSP), after[:30]
    assert any(text.endswith(f"puissants{WJ}¤.") for text in around)


def test_the_french_pdf_breaks_no_line_at_a_french_space(french) -> None:  # type: ignore[no-untyped-def]
    """No line begins with ; : ! ? or » and none ends with «: the spaces do not break."""
    _, files = french
    lines = [line.strip() for text in page_texts(files[".pdf"]) for line in text.splitlines()]
    assert any("« le maître »" in line.replace(NNBSP, " ") for line in lines)
    assert not [line for line in lines if line[:1] in (";", ":", "!", "?", "»") or line.endswith("«")]


def _first_path(box: Box) -> list[Box]:
    """The boxes from ``box`` down to its first text."""
    path = [box]
    while getattr(box, "children", None):
        box = box.children[0]
        path.append(box)
    return path


def _lines(box: Box) -> list[LineBox]:
    if isinstance(box, LineBox):
        return [box]
    return [line for child in getattr(box, "children", None) or () for line in _lines(child)]


def test_no_printed_line_begins_with_a_note_call(french) -> None:  # type: ignore[no-untyped-def]
    book, _ = french
    document = lay_out(book, STYLES).rendered
    starts = []
    for page in document.pages:  # type: ignore[union-attr]
        for line in _lines(page._page_box):
            classes = {
                name
                for box in _first_path(line)
                if box.element is not None and hasattr(box.element, "get")
                for name in (box.element.get("class") or "").split()
            }
            starts.append("noteref" in classes)
    assert len(starts) > 100 and not any(starts)


def test_book_check_gives_no_english_advice_on_the_french_book() -> None:
    typography_codes = {"straight-quote", "space-before-punctuation", "unbalanced-quotes"}
    found = [f for f in check(FRENCH) if f.code in typography_codes]
    assert found == []
