"""Issue 15's promise, as a new user meets it: a Word manuscript with footnotes reaches both
outputs in three commands — `book import`, `book build`, `book preview` — and `book new` gives a
first build from nothing. Each command is the console command itself (a subprocess of the
installed `book`), and what it made is read back: the EPUB and PDF hold the chapter's words and
its notes, and the preview serves the chapter with its note calls linked."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pypdfium2 as pdfium
from starlette.testclient import TestClient

from build_tools.preview import open_preview

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "import-docx" / "river.docx"
STYLES = Path(__file__).resolve().parent.parent / "styles"
BOOK = [sys.executable, "-m", "build_tools"]


def book(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*BOOK, *args], cwd=cwd, capture_output=True, text=True, check=False)


def test_from_a_word_file_to_both_outputs_and_the_preview(tmp_path: Path) -> None:
    imported = book("import", str(FIXTURE), "--out", "river", "--accept-changes", cwd=tmp_path)
    assert imported.returncode == 0, imported.stderr
    assert "created river" in imported.stdout
    built = book("build", "all", "--source", "river", "--out", "dist", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    epub = next((tmp_path / "dist").glob("*.epub"))
    pdf = next((tmp_path / "dist").glob("*.pdf"))
    with zipfile.ZipFile(epub) as archive:
        notes = archive.read("OEBPS/notes.xhtml").decode()
        sections = " ".join(archive.read(n).decode() for n in archive.namelist() if "section-" in n)
    assert 'epub:type="noteref"' in sections and 'epub:type="endnote"' in notes
    document = pdfium.PdfDocument(str(pdf))
    printed = " ".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    document.close()
    chapter = sorted((tmp_path / "river" / "text").glob("*.md"))[-1].read_text(encoding="utf-8")
    heading = chapter.splitlines()[0].removeprefix("# ")
    assert heading in printed
    preview = open_preview(tmp_path / "river", STYLES)
    try:
        client = TestClient(preview.server.app)
        home = client.get("/")
        assert home.status_code == 200 and heading in home.text
        pages = [client.get(f"/section-{n:03d}.html") for n in range(1, 4)]
        shown = " ".join(page.text for page in pages if page.status_code == 200)
        assert 'class="noteref"' in shown and "notes.html#note-" in shown
    finally:
        preview.close()


def test_from_nothing_to_a_first_build(tmp_path: Path) -> None:
    made = book("new", "first-book", "--title", "A First Book", "--author", "Ada Example", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    built = book("build", "all", "--source", "first-book", "--out", "dist", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    outputs = list((tmp_path / "dist").iterdir())
    assert sorted(p.suffix for p in outputs if p.is_file()) == [".epub", ".pdf"]
    assert [p.name for p in outputs if p.is_dir()] == [".book-cache"]  # hidden: the layout cache
