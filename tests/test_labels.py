"""Every generated string per language (issue 13 item 1): the catalogues, book.toml's [labels],
and a French book (tests/manuscripts/french) built with no English word of ours in either file."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import _built
from epub_tools import documents
from lang_tools import english_words, epub_text, pdf_text
from pdf_tools import head_and_foot
from validators import ace, epubcheck, format_messages, format_violations, problems

from build_tools.errors import ManuscriptError
from build_tools.lang.catalogues import FRENCH, TRANSLATIONS
from build_tools.lang.labels import CATALOGUES, ENGLISH, FIELDS, labels_for, placeholders, template_problem
from build_tools.preview.pages import Frame
from build_tools.sources.manuscript import load

SOURCE = Path(__file__).resolve().parent / "manuscripts" / "french"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    return _built(tmp_path_factory, SOURCE, "french")


# ---------------------------------------------------------------- the catalogues


@pytest.mark.parametrize("language", sorted(CATALOGUES))
def test_every_catalogue_fills_every_field_with_the_english_placeholders(language: str) -> None:
    words = CATALOGUES[language]
    for name in FIELDS:
        value = getattr(words, name)
        assert isinstance(value, str) and value.strip(), (language, name)
        assert placeholders(value) == placeholders(getattr(ENGLISH, name)), (language, name)
        assert template_problem(name, value) is None, (language, name)


def test_each_language_has_its_catalogue_and_others_fall_back_to_english() -> None:
    assert set(CATALOGUES) == {"en", *TRANSLATIONS} == {"en", "fr", "de", "es", "it"}
    assert labels_for("fr-CA").index == "Index des noms"
    assert labels_for("de").notes_to_pages.format(span="12–15") == "Anmerkungen zu den Seiten 12–15"
    assert labels_for("es").index == "Índice onomástico" and labels_for("it").see_also == "Vedi anche"
    assert labels_for("en-US") is labels_for("pt") is ENGLISH
    # The typical untranslated field would be a copy of the English one.
    for language, words in TRANSLATIONS.items():
        same = [name for name in words if words[name] == getattr(ENGLISH, name)]
        assert set(same) <= {
            "notes",
            "preview_index",
            "note_label",
            "error_title",
            "title_and_subtitle",
            "copyright_notice",
            "query_number",  # "Q3": a query is a question in French too
            "note_locator_chapter",  # "25n1 (chap. 2)": French abbreviates chapitre as English does
            "note_locator_section",  # "25n1 (Preface)": only the section's own title
        }, (
            language,
            same,
        )


def test_overrides_replace_one_field_and_templates_are_checked() -> None:
    words = labels_for("fr", (("see", "Cf."),))
    assert words.see == "Cf." and words.see_also == "Voir aussi"
    assert template_problem("notes_to_pages", "Notes, p. {span}") is None
    assert template_problem("notes_to_pages", "Notes, p. {pages}") == "must use {span}, not {pages}"
    assert template_problem("see", "Voir {x}") == "must use no placeholder, not {x}"
    assert template_problem("back_to_reference", "Retour") == "must use {letter} and {number}, not none"
    assert "bare" in (template_problem("notes_to_page", "{span!r}") or "")
    assert "not a valid template" in (template_problem("see", "Voir {") or "")


# ---------------------------------------------------------------- book.toml's [labels]


def _manuscript_with(tmp_path: Path, labels: str) -> Path:
    root = tmp_path / "french"
    shutil.copytree(SOURCE, root)
    config = root / "book.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("[labels]\n", "[labels]\n" + labels), encoding="utf-8")
    return root


@pytest.mark.parametrize(
    ("labels", "message"),
    [
        ('note_to_pages = "Notes des pages {span}"\n', "unknown key 'note_to_pages' in [labels]"
         " (did you mean 'notes_to_pages'?)"),
        ('notes_to_pages = "Notes, p. {pages}"\n',
         "'notes_to_pages' in [labels] must use {span}, not {pages}"),
        ('print_edition = "{title}"\n', "must use {publisher}, {title} and {trim}, not {title}"),
        ("see = 3\n", "'see' in [labels] must be a string of words"),
    ],
)  # fmt: skip
def test_a_bad_label_is_an_error_on_its_line(tmp_path: Path, labels: str, message: str) -> None:
    root = _manuscript_with(tmp_path, labels)
    with pytest.raises(ManuscriptError) as caught:
        load(root)
    assert message in caught.value.format_message()
    lines = (root / "book.toml").read_text(encoding="utf-8").splitlines()
    assert lines[caught.value.location.line - 1] == labels.rstrip("\n")


def test_labels_are_read_into_the_metadata(tmp_path: Path) -> None:
    meta = load(_manuscript_with(tmp_path, 'see = "Cf."\n')).meta
    assert dict(meta.labels) == {"see": "Cf.", "published_by": "Publié aux éditions {publisher}"}
    assert meta.words.see == "Cf." and meta.words.contents == "Table des matières"


# ---------------------------------------------------------------- the French book


def test_the_french_book_passes_epubcheck_and_ace(built, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _, files = built
    assert problems(found := epubcheck(files[".epub"])) == [], format_messages(found)
    assert (violations := ace(files[".epub"], tmp_path / "ace")) == [], format_violations(violations)


def test_no_english_word_of_ours_in_the_epub_or_the_pdf(built) -> None:  # type: ignore[no-untyped-def]
    _, files = built
    words = english_words(FRENCH)
    assert {"contents", "see", "also", "published", "chronology", "landmarks", "text"} <= words
    for text in (epub_text(files[".epub"]), pdf_text(files[".pdf"])):
        found = {w for w in words if re.search(rf"\b{w}\b", text, re.IGNORECASE)}
        assert not found, found


def test_the_epub_has_the_french_titles_landmarks_and_locators(built) -> None:  # type: ignore[no-untyped-def]
    _, files = built
    docs = documents(files[".epub"])
    titles = {name: " ".join(tree.findtext(".//{*}title").split()) for name, tree in docs.items()}
    assert {titles[n] for n in ("nav.xhtml", "notes.xhtml", "index.xhtml", "chronology.xhtml")} == {
        "Table des matières", "Notes", "Index des noms", "Chronologie"
    }  # fmt: skip
    text = epub_text(files[".epub"])
    assert "Repères" in text and "Page de titre" in text and "Liste des pages" in text
    assert "Retour à l’appel de note 1" in text
    assert "Voir aussi" in text and "Voir Plantin" in " ".join(text.split())
    assert "8\u00a0n.\u00a02" in text  # a note's locator, French style
    assert "Publié aux éditions Le Pas de côté" in text and "Publié par" not in text  # [labels]
    # No [accessibility] in its book.toml: the summary describes the book and claims nothing.
    assert "Cette publication comporte une table des matières" in text and "conform" not in text


def test_the_pdf_has_the_french_titles_heads_and_page_references(built) -> None:  # type: ignore[no-untyped-def]
    _, files = built
    text = " ".join(pdf_text(files[".pdf"]).split())
    for words in ("table des matières", "Chronologie", "Index des noms", "Publié aux éditions Le Pas"):
        assert words.lower() in text.lower(), words
    assert "Publié par" not in text
    assert re.search(r"\(p\.\s\d+\)", text)  # the chronology's page reference
    assert re.search(r"Voir aussi Plantin, Christophe", text) and "8 n. 2" in text
    heads = [head for head, _ in head_and_foot(files[".pdf"]) if "Notes" in head]
    assert heads and all(
        re.fullmatch(r"(\d+ )?Notes (de la page \d+|des pages \d+–\d+)( \d+)?", h) for h in heads
    )
    assert any("Notes des pages" in head for head in heads), heads


def test_the_preview_speaks_the_books_language(built) -> None:  # type: ignore[no-untyped-def]
    book, _ = built
    labels = Frame(book, None, 0).labels
    assert labels.preview == "Aperçu" and labels.print_view_link == "Version imprimée"
    assert Frame(None, None, 0).labels is ENGLISH
