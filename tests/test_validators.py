"""The validators the suite trusts (tests/validators.py) see what they should.

A book of ours with a fault put in gets EPUBCheck's error and Ace's violation, each with its
place: an empty report on the built books (test_epub.py) then means a clean book, never a tool
that ran on nothing or reported nothing.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
import validators

FAULTY = "OEBPS/section-001.xhtml"
# A link to a file that is not in the book (EPUBCheck RSC-007) and has no text (Ace link-name).
FAULT = '<p><a href="missing.xhtml"></a></p>'


@pytest.fixture(scope="module")
def faulty(small, tmp_path_factory: pytest.TempPathFactory) -> Path:  # type: ignore[no-untyped-def]
    """The small book's EPUB, the same but for ``FAULT`` at the end of its first section."""
    _, files = small
    path = tmp_path_factory.mktemp("faulty") / "faulty.epub"
    with zipfile.ZipFile(files[".epub"]) as book, zipfile.ZipFile(path, "w") as copy:
        for info in book.infolist():  # in order, each as it was stored: mimetype first
            data = book.read(info)
            if info.filename == FAULTY:
                text = data.decode()
                end = text.rindex("</section>")
                data = (text[:end] + FAULT + text[end:]).encode()
            copy.writestr(info, data)
    return path


def test_epubcheck_reports_an_error_with_its_place(faulty: Path) -> None:
    messages = validators.epubcheck(faulty)
    found = validators.problems(messages)
    assert [(m["severity"], m["id"]) for m in found] == [("ERROR", "RSC-007")], (
        validators.format_messages(messages)
    )
    (place,) = found[0]["locations"]
    assert place["path"] == FAULTY and place["line"] > 0


def test_epubcheck_is_given_the_profile(small) -> None:  # type: ignore[no-untyped-def]
    # The index profile applied to a whole publication wants an index in every document.
    _, files = small
    found = validators.problems(validators.epubcheck(files[".epub"], profile="idx"))
    assert "RSC-005" in {m["id"] for m in found}


def test_epubcheck_refuses_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        validators.epubcheck(tmp_path / "nothing.epub")


def test_ace_reports_a_violation_with_its_place(faulty: Path, tmp_path: Path) -> None:
    violations = validators.ace(faulty, tmp_path / "ace")
    assert [(v["rule"], v["impact"]) for v in violations] == [("link-name", "serious")], (
        validators.format_violations(violations)
    )
    place = violations[0]["location"]
    assert place["file"].endswith("section-001.xhtml") and place["css"] and place["cfi"]
    assert (tmp_path / "ace" / "report.html").is_file()
