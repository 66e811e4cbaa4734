"""Slugs keep the letters of every script (lang/slug.py): the output's file name and the ids of
subheadings (``sec-N-slug``), which EPUBCheck accepts as XML names."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import STYLES, book_toml
from epub_tools import documents
from validators import epubcheck, format_messages, problems

from build_tools.build import Project, build
from build_tools.lang.slug import slug
from build_tools.parse.parser import Parser
from build_tools.sources.manuscript import SourceFile

# XML 1.0 (fifth edition) §2.3, the production an id of an EPUB document must match.
_START = (
    "A-Z_a-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
XML_NAME = re.compile(f"[{_START}][{_START}\\-.0-9\u00b7\u0300-\u036f\u203f-\u2040]*")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("L'Été de la révolution", "l-ete-de-la-revolution"),
        ("La Terre et les hommes", "la-terre-et-les-hommes"),
        ("孙中山传", "孙中山传"),
        ("Sun Yat-sen (孙中山)", "sun-yat-sen-孙中山"),
        ("Łódź, Kraków and Straße", "lodz-krakow-and-strasse"),
        ("Œuvres d’Ægidius", "oeuvres-d-aegidius"),
        ("Москва, 1927", "москва-1927"),
        ("हिन्दी भाषा", "हिन्दी-भाषा"),  # vowel signs and virama are part of the letters
        ("Ελληνικά", "ελληνικά"),  # accents of other scripts are theirs to keep
        ("ﬁnal", "final"),
        ("Serge and the Chinese Revolution", "serge-and-the-chinese-revolution"),
        ("Serge’s view, 1927–28", "serge-s-view-1927-28"),
        ("— ? —", "book"),
    ],
)
def test_slug(text: str, expected: str) -> None:
    assert slug(text, "book") == expected


def test_every_letter_gives_a_valid_xml_name() -> None:
    """Every code point after a letter, run through the slug: an id EPUBCheck accepts."""
    words = " ".join(f"x{chr(c)}" for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    made = slug(words, "h")
    assert XML_NAME.fullmatch(f"sec-1-{made}")
    assert made.count("x") >= 0x10000  # nothing dropped whole: every word kept its x


def test_ascii_headings_keep_their_ids() -> None:
    """The ids the first book's headings had before (``[^a-z0-9]+`` to a hyphen) are unchanged."""
    for text in ["The Canton Commune", "1927: Shanghai & Wuhan", "Serge’s “Letters”", "A--B"]:
        assert slug(text, "h") == re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def test_heading_ids_keep_their_letters() -> None:
    section = (
        Parser()
        .section(
            1,
            SourceFile(
                Path("ch.md"), "# T\n\n## L’Été chaud\n\nA.\n\n## 孙中山\n\nB.\n\n## L'été chaud\n\nC.\n"
            ),
        )
        .section
    )
    found = re.findall(r'<h2 id="([^"]+)"', section.body.xml)
    assert found == ["sec-1-l-ete-chaud", "sec-1-孙中山", "sec-1-l-ete-chaud-2"]


def test_file_name_and_ids_of_a_french_book(tmp_path: Path) -> None:
    root = tmp_path / "m"
    (root / "text").mkdir(parents=True)
    config = book_toml(["text/one.md"], title="L'Été de la révolution").replace('"en"', '"fr"')
    (root / "book.toml").write_text(config, encoding="utf-8")
    # Cyrillic, which the book's face has (a CJK heading is tested above: it needs a fallback face).
    text = "# Un\n\nTexte.\n\n## Le Débat de Wuhan\n\nA.\n\n## Москва, 1927\n\nB.\n"
    (root / "text" / "one.md").write_text(text, encoding="utf-8")
    _, written = build(Project(root, STYLES, tmp_path / "out"), formats=("epub",))
    assert [p.name for p in written] == ["l-ete-de-la-revolution.epub"]
    ids = [h.get("id") for h in documents(written[0])["section-001.xhtml"].iter("{*}h2")]
    assert ids == ["sec-1-le-debat-de-wuhan", "sec-1-москва-1927"]
    assert problems(found := epubcheck(written[0])) == [], format_messages(found)
