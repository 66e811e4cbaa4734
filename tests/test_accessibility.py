"""Accessibility claims follow the book (issue 13 item 9): the EPUB claims conformance to EPUB
Accessibility 1.1 and WCAG 2.2 AA, and names a certifier, only when book.toml's [accessibility]
says who certifies; otherwise its summary describes what it has and claims nothing. Every
``[text]{lang=…}`` phrase carries ``lang`` and ``xml:lang`` (WCAG 3.1.2) wherever it is printed."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from conftest import STYLES, _built, book_toml
from epub_tools import NS, documents
from lxml import etree
from validators import ace, epubcheck, format_messages, format_violations, problems

from build_tools.build import Project, read_book
from build_tools.errors import ManuscriptError
from build_tools.lang.labels import CATALOGUES, ENGLISH
from build_tools.model import Certification
from build_tools.sources.manuscript import load
from build_tools.writers.epub.package import package

OPF = {"opf": "http://www.idpf.org/2007/opf"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
CLAIM = (
    "\n[accessibility]\n"
    'certified_by = "Example Accessibility Lab"\n'
    'credential = "Certified <A+> Evaluator"\n'
    'report = "https://example.org/reports/spans?id=1&format=html"\n'
)
TEXT = """\
# One and [l’Autre]{lang=fr}

They called it [la Commune de Canton]{lang=fr} at the time.[^n]{#commune}

## The [Zeitgeist]{lang=de}

A [Weltanschauung]{lang=de} of [*il popolo*]{lang=it}.

[^n]: In the notes, [die Arbeiter]{lang=de}.
"""
CHRONOLOGY = """\
events:
  - id: rising
    date: "1927-12-11"
    label: "11 December 1927"
    event: "The rising, [la Commune]{lang=fr}."
    links: [commune]
"""


def _manuscript(root: Path, extra: str = "", language: str = "en") -> Path:
    (root / "text").mkdir(parents=True)
    config = book_toml(["text/one.md"], 'chronology = "chronology.yaml"\n' + extra, title="Spans")
    (root / "book.toml").write_text(config.replace('"en"', f'"{language}"'), encoding="utf-8")
    (root / "text" / "one.md").write_text(TEXT, encoding="utf-8")
    (root / "chronology.yaml").write_text(CHRONOLOGY, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The book with no [accessibility]: an EPUB that makes no claim."""
    root = _manuscript(tmp_path_factory.mktemp("plain-source") / "m")
    return _built(tmp_path_factory, root, "plain", ("epub",))[1][".epub"]  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def claimed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same book with a certifier, their credential and their report: a claim."""
    root = _manuscript(tmp_path_factory.mktemp("claimed-source") / "m", CLAIM)
    return _built(tmp_path_factory, root, "claimed", ("epub",))[1][".epub"]  # type: ignore[no-any-return]


def _metadata(epub: Path) -> etree._Element:
    with zipfile.ZipFile(epub) as archive:
        found = etree.fromstring(archive.read("OEBPS/content.opf")).find("opf:metadata", OPF)
    assert found is not None
    return found


def _properties(metadata: etree._Element) -> dict[str, list[etree._Element]]:
    found: dict[str, list[etree._Element]] = {}
    for meta in metadata.iterfind("opf:meta", OPF):
        found.setdefault(meta.get("property", ""), []).append(meta)
    return found


# ---------------------------------------------------------------- the claim


def test_without_a_certifier_the_epub_claims_nothing(plain: Path) -> None:
    metadata = _metadata(plain)
    found = _properties(metadata)
    assert "dcterms:conformsTo" not in found
    assert not [p for p in found if p.startswith("a11y:")]
    assert metadata.find("opf:link", OPF) is None
    # What EPUB Accessibility 1.1 requires is still there (discovery metadata, §2.1).
    assert [m.text for m in found["schema:accessMode"]] == ["textual"]
    assert [m.text for m in found["schema:accessibilityHazard"]] == ["none"]
    assert {"structuralNavigation", "tableOfContents"} <= {
        m.text for m in found["schema:accessibilityFeature"]
    }
    (summary,) = found["schema:accessibilitySummary"]
    assert summary.text == ENGLISH.accessibility_summary.format(pictures=ENGLISH.accessibility_no_pictures)
    assert not re.search(r"conform|WCAG|certif", summary.text or "", re.IGNORECASE)


def test_a_certifier_makes_the_claim_and_is_named_with_credential_and_report(claimed: Path) -> None:
    metadata = _metadata(claimed)
    found = _properties(metadata)
    (claim,) = found["dcterms:conformsTo"]
    assert claim.text == "EPUB Accessibility 1.1 - WCAG 2.2 Level AA"
    (certifier,) = found["a11y:certifiedBy"]
    assert certifier.text == "Example Accessibility Lab"
    assert certifier.get("refines") == "#" + claim.get("id", "")
    (credential,) = found["a11y:certifierCredential"]
    assert credential.text == "Certified <A+> Evaluator"
    assert credential.get("refines") == "#" + certifier.get("id", "")
    (report,) = metadata.iterfind("opf:link", OPF)
    assert report.get("rel") == "a11y:certifierReport"
    assert report.get("href") == "https://example.org/reports/spans?id=1&format=html"
    assert report.get("refines") == "#" + certifier.get("id", "")
    (summary,) = found["schema:accessibilitySummary"]
    assert (summary.text or "").endswith(
        " Its conformance to EPUB Accessibility 1.1 and WCAG 2.2 Level AA is certified by "
        "Example Accessibility Lab."
    )


@pytest.mark.parametrize("variant", ["plain", "claimed"])
def test_both_pass_epubcheck_and_ace(variant: str, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    epub: Path = request.getfixturevalue(variant)
    assert problems(found := epubcheck(epub)) == [], format_messages(found)
    assert (violations := ace(epub, tmp_path / "ace")) == [], format_violations(violations)
    # Ace 1.4.6 requires accessMode, accessibilityFeature and accessibilityHazard and recommends
    # the summary and accessModeSufficient; a missing claim is only listed, never a violation.
    listed = violations.raw["a11y-metadata"]
    claim = {"dcterms:conformsTo", "a11y:certifiedBy", "a11y:certifierCredential", "a11y:certifierReport"}
    assert claim <= set(listed["missing" if variant == "plain" else "present"])
    assert violations.raw["earl:result"]["earl:outcome"] == "pass"


@pytest.mark.parametrize("language", sorted(CATALOGUES))
def test_every_language_describes_the_book_and_claims_only_with_a_certifier(
    language: str, tmp_path: Path
) -> None:
    words = CATALOGUES[language]
    for pictures in (words.accessibility_pictures, words.accessibility_no_pictures):
        described = words.accessibility_summary.format(pictures=pictures)
        assert not re.search(r"WCAG|EPUB Accessibility|certif|zertifi", described, re.IGNORECASE)
    assert "EPUB Accessibility 1.1" in words.accessibility_certified
    assert "WCAG 2.2" in words.accessibility_certified
    book = read_book(Project(_manuscript(tmp_path / "m", CLAIM, language), STYLES, tmp_path / "out"))
    opf = package(book, None, [], []).decode()
    expected = words.accessibility_certified.format(certifier="Example Accessibility Lab")
    summary = words.accessibility_summary.format(pictures=words.accessibility_no_pictures)
    assert f"{summary} {expected}</meta>" in opf


# ---------------------------------------------------------------- book.toml's [accessibility]


def test_the_table_is_read_into_the_metadata(tmp_path: Path) -> None:
    assert load(_manuscript(tmp_path / "a")).meta.certification is None
    meta = load(_manuscript(tmp_path / "b", '\n[accessibility]\ncertified_by = "  Lab  "\n')).meta
    assert meta.certification == Certification("Lab")
    assert load(_manuscript(tmp_path / "c", CLAIM)).meta.certification == Certification(
        "Example Accessibility Lab",
        "Certified <A+> Evaluator",
        "https://example.org/reports/spans?id=1&format=html",
    )


@pytest.mark.parametrize(
    ("extra", "line", "message"),
    [
        ('\n[accessibility]\ncredential = "A+"\n', "[accessibility]",
         "[accessibility] needs certified_by = \"…\": who certifies the conformance claim"),
        ('\n[accessibility]\ncertifed_by = "Lab"\n', 'certifed_by = "Lab"',
         "unknown key 'certifed_by' in [accessibility] (did you mean 'certified_by'?)"),
        ('\n[accessibility]\ncertified_by = ""\n', 'certified_by = ""',
         "'certified_by' in [accessibility] must be a non-empty string"),
        ('\n[accessibility]\ncertified_by = "Lab"\ncredential = 3\n', "credential = 3",
         "'credential' in [accessibility] must be a non-empty string"),
        ('\n[accessibility]\ncertified_by = "Lab"\nreport = "reports/a11y.html"\n',
         'report = "reports/a11y.html"',
         "'report' in [accessibility] must be the web address of the certifier's report (https://…),"
         " not 'reports/a11y.html'"),
        ('\n[accessibility]\ncertified_by = "Lab"\nreport = "https://example.org/a b"\n',
         'report = "https://example.org/a b"', "must be the web address"),
    ],
)  # fmt: skip
def test_a_bad_accessibility_table_is_an_error_on_its_line(
    tmp_path: Path, extra: str, line: str, message: str
) -> None:
    root = _manuscript(tmp_path / "m", extra)
    with pytest.raises(ManuscriptError) as caught:
        load(root)
    assert message in caught.value.format_message()
    assert caught.value.location is not None
    assert str(caught.value.location.file).endswith("book.toml")
    lines = (root / "book.toml").read_text(encoding="utf-8").splitlines()
    assert lines[caught.value.location.line - 1] == line


def test_a_certifier_in_the_book_table_is_sent_to_its_own(tmp_path: Path) -> None:
    root = _manuscript(tmp_path / "m")
    config = root / "book.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            'publisher = "P"\n', 'publisher = "P"\ncertified_by = "P"\n'
        ),
        encoding="utf-8",
    )
    with pytest.raises(
        ManuscriptError, match=r"'certified_by' belongs in \[accessibility\], not in \[book\]"
    ):
        load(root)


# ---------------------------------------------------------------- languages of parts (WCAG 3.1.2)


def test_every_phrase_in_another_language_carries_lang_and_xml_lang(plain: Path) -> None:
    found = set()
    for name, tree in documents(plain).items():
        assert tree.get("lang") == tree.get(XML_LANG) == "en", name
        for element in tree.iter():
            assert element.get("lang") == element.get(XML_LANG), (name, etree.tostring(element))
        for span in tree.xpath("//x:body//x:span[@lang]", namespaces=NS):
            found.add((name, span.get(XML_LANG), " ".join("".join(span.itertext()).split())))
    assert {
        ("section-001.xhtml", "fr", "l’Autre"),  # in the title
        ("section-001.xhtml", "fr", "la Commune de Canton"),
        ("section-001.xhtml", "de", "Zeitgeist"),  # in a subheading
        ("section-001.xhtml", "de", "Weltanschauung"),
        ("section-001.xhtml", "it", "il popolo"),
        ("notes.xhtml", "de", "die Arbeiter"),
        ("chronology.xhtml", "fr", "la Commune"),
        ("nav.xhtml", "fr", "l’Autre"),  # the title in the contents
    } <= found
