"""Smoke tests of the validator harness (tests/validators.py) on hand-made EPUBs.

Temporary: once the real build is tested with these validators, this file can go.
The EPUBs are written with zipfile here, so no pandoc or project code is needed.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
import validators

CONTAINER = """<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="EPUB/content.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
"""

OPF = """<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="uid" xml:lang="en">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
    <dc:identifier id="uid">urn:uuid:2d6f0a52-1c1b-4b8e-9a55-0c8f7f1d2e31</dc:identifier>
    <dc:title>Smoke Test</dc:title>
    <dc:language>en</dc:language>
    <dc:creator>Test Author</dc:creator>
    <meta property="dcterms:modified">2024-01-01T00:00:00Z</meta>
    <meta property="schema:accessMode">textual</meta>
    <meta property="schema:accessModeSufficient">textual</meta>
    <meta property="schema:accessibilityFeature">structuralNavigation</meta>
    <meta property="schema:accessibilityFeature">tableOfContents</meta>
    <meta property="schema:accessibilityFeature">readingOrder</meta>
    <meta property="schema:accessibilityHazard">none</meta>
  </metadata>
  <manifest>
    <item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
    <item id="ch1" href="ch1.xhtml" media-type="application/xhtml+xml"/>
  </manifest>
  <spine>
    <itemref idref="ch1"/>
  </spine>
</package>
"""

NAV = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" xml:lang="en" lang="en">
<head><title>Smoke Test</title></head>
<body>
<nav epub:type="toc" id="toc" role="doc-toc">
  <h1>Contents</h1>
  <ol><li><a href="ch1.xhtml">Chapter One</a></li></ol>
</nav>
</body>
</html>
"""

CHAPTER = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" xml:lang="en" lang="en">
<head><title>Chapter One</title></head>
<body>
<section epub:type="chapter" role="doc-chapter" aria-labelledby="h1">
  <h1 id="h1">Chapter One</h1>
  <p>A short paragraph with <em>some</em> text.</p>{extra}
</section>
</body>
</html>
"""

# A link to a missing file (EPUBCheck RSC-007) that has no text (Ace link-name).
BROKEN = '\n  <p><a href="missing.xhtml"></a></p>'


def write_epub(path: Path, extra: str = "") -> Path:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        for name, text in (
            ("META-INF/container.xml", CONTAINER),
            ("EPUB/content.opf", OPF),
            ("EPUB/nav.xhtml", NAV),
            ("EPUB/ch1.xhtml", CHAPTER.format(extra=extra)),
        ):
            z.writestr(name, text, compress_type=zipfile.ZIP_DEFLATED)
    return path


@pytest.fixture(scope="module")
def epubs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("epubs")
    return {"good": write_epub(d / "good.epub"), "bad": write_epub(d / "bad.epub", BROKEN)}


def test_epubcheck_clean_epub_has_no_messages(epubs: dict[str, Path]) -> None:
    messages = validators.epubcheck(epubs["good"])
    assert list(messages) == [], validators.format_messages(messages)
    assert messages.elapsed > 0


def test_epubcheck_reports_errors_with_locations(epubs: dict[str, Path]) -> None:
    messages = validators.epubcheck(epubs["bad"])
    found = validators.problems(messages)
    found_ids = [(m["severity"], m["id"]) for m in found]
    assert found_ids == [("ERROR", "RSC-007")], validators.format_messages(messages)
    (loc,) = found[0]["locations"]
    assert loc["path"] == "EPUB/ch1.xhtml" and loc["line"] > 0


def test_epubcheck_profile_is_passed(epubs: dict[str, Path]) -> None:
    # The index profile requires an <index> element that this book lacks.
    ids = {m["id"] for m in validators.problems(validators.epubcheck(epubs["good"], profile="idx"))}
    assert "RSC-005" in ids


def test_epubcheck_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        validators.epubcheck(tmp_path / "nothing.epub")


def test_ace_clean_epub_only_lacks_summary(epubs: dict[str, Path], tmp_path: Path) -> None:
    violations = validators.ace(epubs["good"], tmp_path / "ace")
    assert [(v["rule"], v["impact"]) for v in violations] == [
        ("metadata-accessibilitysummary", "moderate")
    ], validators.format_violations(violations)
    assert (tmp_path / "ace" / "report.html").is_file()


def test_ace_reports_violations_with_locations(epubs: dict[str, Path], tmp_path: Path) -> None:
    violations = validators.ace(epubs["bad"], tmp_path / "ace")
    link = [v for v in violations if v["rule"] == "link-name"]
    assert link, validators.format_violations(violations)
    assert link[0]["impact"] == "serious"
    assert link[0]["location"]["file"].endswith("ch1.xhtml")
    assert link[0]["location"]["css"] and link[0]["location"]["cfi"]
