"""The index's order by the book's language: Chicago's letter-by-letter rule on ICU's alphabets
(lang/collation.py), and the letter groups a heading is listed under."""

from __future__ import annotations

import icu
import pytest
from conftest import STYLES, book_toml
from epub_tools import documents

from build_tools.build import Project, build
from build_tools.lang.collation import collation

CHICAGO = [
    "Joffé, Adolph", "Joffe, Zoe", "Macdonald, Dwight", "Mao Tse-tung", "Mao Zedong",
    "McCarthy, Joseph", "Newark", "New York", "Serge, Victor", "Sergeant, A.", "Sun, Li (writer)",
    "Sun Yat-sen",
]  # fmt: skip


def ordered(language: str, headings: list[str]) -> list[str]:
    return sorted(headings, key=collation(language).key)


@pytest.mark.parametrize("language", ["en", "en-GB", "fr", "de", "sv", "pl"])
def test_letter_by_letter_up_to_the_first_comma_in_every_language(language: str) -> None:
    assert ordered(language, list(reversed(CHICAGO))) == CHICAGO


def test_a_naive_collator_is_not_chicago() -> None:
    """Why the key cuts at the comma and drops spaces (REFERENCE.md §4): ICU on the whole heading
    weighs the space, so New York comes before Newark."""
    naive = icu.Collator.createInstance(icu.Locale("en"))
    assert sorted(["Newark", "New York"], key=naive.getSortKey) == ["New York", "Newark"]
    assert ordered("en", ["New York", "Newark"]) == ["Newark", "New York"]


def test_swedish_letters_after_z() -> None:
    headings = ["Öhman, Per", "Zorn, Anders", "Åberg, Lena", "Ärlig, Ann", "Andersson, Ola"]
    assert ordered("sv", headings) == [
        "Andersson, Ola",
        "Zorn, Anders",
        "Åberg, Lena",
        "Ärlig, Ann",
        "Öhman, Per",
    ]
    assert [collation("sv").group(h) for h in ordered("sv", headings)] == ["A", "Z", "Å", "Ä", "Ö"]
    # The same names in an English book: accented letters, filed with their base letter.
    assert ordered("en", headings) == [
        "Åberg, Lena",
        "Andersson, Ola",
        "Ärlig, Ann",
        "Öhman, Per",
        "Zorn, Anders",
    ]
    assert [collation("en").group(h) for h in ordered("en", headings)] == ["A", "A", "A", "O", "Z"]


def test_polish_l_with_stroke_after_l_and_s_acute_after_s() -> None:
    headings = ["Tuwim, Julian", "Śmigły, Edward", "Łukasiewicz, Jan", "Szymański, Adam", "Lis, Anna",
                "Lutosławski, Witold", "Sroka, Ewa", "Mazur, Piotr"]  # fmt: skip
    assert ordered("pl", headings) == [
        "Lis, Anna", "Lutosławski, Witold", "Łukasiewicz, Jan", "Mazur, Piotr", "Sroka, Ewa",
        "Szymański, Adam", "Śmigły, Edward", "Tuwim, Julian",
    ]  # fmt: skip
    assert collation("pl").group("Łukasiewicz, Jan") == "Ł"
    assert collation("pl").group("Śmigły, Edward") == "Ś"


def test_german_u_umlaut_with_u() -> None:
    headings = ["Muster, Karl", "Müller, Hans", "Mueller, Eva", "Mai, Otto", "Mull, Ida"]
    assert ordered("de", headings) == [
        "Mai, Otto",
        "Mueller, Eva",
        "Mull, Ida",
        "Müller, Hans",
        "Muster, Karl",
    ]
    assert collation("de").group("Müller, Hans") == "M"
    assert collation("de").group("Übel, Max") == "U"


def test_french_e_acute_with_e() -> None:
    headings = ["Ernst, Max", "Éluard, Paul", "Elsa", "Dupont, Jean", "Fort, Paul"]
    assert ordered("fr", headings) == ["Dupont, Jean", "Elsa", "Éluard, Paul", "Ernst, Max", "Fort, Paul"]
    assert collation("fr").group("Éluard, Paul") == "E"


def test_ties_broken_by_accent_and_case_groups_of_other_scripts() -> None:
    assert ordered("en", ["Joffé", "Joffe"]) == ["Joffe", "Joffé"]
    english = collation("en")
    assert english.group("孙中山") == "孙"  # no letter of the English alphabet: its own letter
    assert english.group("Цой, Виктор") == "Ц"
    assert english.group("1927 Group") == "1"
    assert english.group("—") == "#"
    assert collation("ru").group("Müller, Hans") == "M"  # Latin names in a Russian book
    assert collation("zh").group("孙中山") == "S"  # pinyin: Sūn


def test_a_swedish_book_indexes_in_swedish_order(tmp_path) -> None:  # type: ignore[no-untyped-def]
    root = tmp_path / "m"
    (root / "text").mkdir(parents=True)
    config = book_toml(["text/one.md"], 'names = "names.yaml"\n').replace(
        'language = "en"', 'language = "sv"'
    )
    (root / "book.toml").write_text(config, encoding="utf-8")
    (root / "text" / "one.md").write_text("# Ett\n\nZorn, Öhman, Åberg och Andersson.\n", encoding="utf-8")
    names = "entries:\n" + "".join(
        f'  - id: {key}\n    heading: "{name}, A."\n    forms: ["{name}"]\n'
        for key, name in [
            ("zorn", "Zorn"),
            ("ohman", "Öhman"),
            ("aberg", "Åberg"),
            ("andersson", "Andersson"),
        ]
    )
    (root / "names.yaml").write_text(names, encoding="utf-8")
    _, written = build(Project(root, STYLES, tmp_path / "out"), formats=("epub",))
    index = documents(written[0])["index.xhtml"]
    groups = [h.text for h in index.iter("{http://www.w3.org/1999/xhtml}h2")]
    assert groups == ["A", "Z", "Å", "Ö"]
    terms = ["".join(span.itertext()) for span in index.iter("{http://www.w3.org/1999/xhtml}span")]
    assert [t for t in terms if t.endswith(", A.")] == ["Andersson, A.", "Zorn, A.", "Åberg, A.", "Öhman, A."]
