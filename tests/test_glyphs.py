"""No tofu (issue 13 items 7-8): tests/manuscripts/cjk prints 孙中山 with the fallback face its
styles add (embedded, real glyphs, the text extracts as written, "Set in" names both faces); a
character no face has stops the build before the layout with its file:line:column, and
``book check`` lists each; the preflight fails a PDF that draws .notdef."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest
from click.testing import CliRunner
from conftest import FIXTURES, ROOT, STYLES, book_toml, quiet_layout
from fontTools import subset
from fontTools.ttLib import TTFont
from test_fallback_fonts import CJK, SUBSET, cjk_styles
from weasyprint import HTML

from build_tools.build import Project, build
from build_tools.checks.editorial import check
from build_tools.checks.notdef import notdef_glyphs
from build_tools.checks.preflight import preflight
from build_tools.cli import main
from build_tools.design.coverage import coverage, needs_no_glyph, used_fonts
from build_tools.design.fonts import read_fonts
from build_tools.design.profiles import PROFILES
from build_tools.errors import BookError
from build_tools.parse.parser import parse
from build_tools.sources.manuscript import load

NAME = "孙中山"


@pytest.fixture(scope="module")
def cjk(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The CJK book built (proof profile: a 14-page book), no WeasyPrint warning on the way."""
    folder = tmp_path_factory.mktemp("cjk")
    with quiet_layout():  # a .notdef would be logged
        _, written = build(Project(CJK, cjk_styles(folder), folder / "out"), profile="proof")
    return {path.suffix: path for path in written} | {"styles": folder / "styles"}


def test_the_fallback_sets_what_the_text_face_lacks(cjk: dict[str, Path]) -> None:
    book = parse(load(CJK), 0)
    fonts = read_fonts(cjk["styles"])
    assert coverage(book, fonts).used == ("EB Garamond", "Noto Serif CJK SC")
    assert coverage(book, fonts).missing == ()
    essay = parse(load(ROOT / "manuscript"), 0)  # a book without Chinese: the fallback is unused
    assert used_fonts(essay, fonts).fallbacks == ()
    assert [needs_no_glyph(c) for c in " \u00a0\u202f\u200b\u00ad\ufe0e\n孙a"] == [True] * 7 + [False] * 2


def test_the_pdf_embeds_the_fallback_and_prints_real_glyphs(cjk: dict[str, Path]) -> None:
    with pikepdf.open(cjk[".pdf"]) as pdf:
        fonts = {
            str(font.BaseFont).split("+")[-1]: font
            for page in pdf.pages
            for font in (page.get_resources().get("/Font") or {}).values()
        }
        assert {"EB-Garamond", "Noto-Serif-CJK-SC"} <= set(fonts)
        descriptor = fonts["Noto-Serif-CJK-SC"].DescendantFonts[0].FontDescriptor
        assert "/FontFile3" in descriptor  # the CFF outlines, embedded (a subset)
        assert notdef_glyphs(pdf) == []
    document = pdfium.PdfDocument(cjk[".pdf"])
    text = "".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    assert f"whom Chinese readers know as {NAME}, reorganized" in text
    assert "Set in EB Garamond, with Noto Serif CJK SC." in text
    assert "Sun Yat-sen, 孙中山" in text and "First congress of the 国民党 in Canton." in text
    results = preflight(cjk[".pdf"], PROFILES["proof"], 6, 9)
    assert [(r.check, r.detail) for r in results if not r.passed] == []
    assert ("no missing glyphs", True) in [(r.check, r.passed) for r in results]


def test_the_epub_carries_the_fallback_face_and_lists_it(cjk: dict[str, Path]) -> None:
    with zipfile.ZipFile(cjk[".epub"]) as epub:
        names = epub.namelist()
        css = epub.read("OEBPS/css/book.css").decode()
        opf = epub.read("OEBPS/content.opf").decode()
        copyright_page = epub.read("OEBPS/copyright.xhtml").decode()
    assert "OEBPS/fonts/NotoSerifCJKsc-Subset.otf" in names
    assert not [n for n in names if "Bold" in n]  # no bold text: no bold face
    assert 'href="fonts/NotoSerifCJKsc-Subset.otf" media-type="font/otf"' in opf
    assert (
        '@font-face { font-family: "Noto Serif CJK SC"; font-weight: normal; font-style: normal; '
        'src: url("../fonts/NotoSerifCJKsc-Subset.otf"); }' in css
    )
    assert 'font-family: "EB Garamond", "Noto Serif CJK SC", Garamond, Georgia, serif;' in css
    assert "Set in EB Garamond, with Noto Serif CJK SC." in copyright_page


def test_a_book_that_needs_no_fallback_embeds_none(tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(Project(FIXTURES / "small", cjk_styles(tmp_path), out), ("epub",))
    with zipfile.ZipFile(next(out.glob("*.epub"))) as epub:
        assert not [n for n in epub.namelist() if "Noto" in n]
        assert "Noto" not in epub.read("OEBPS/css/book.css").decode()
        assert "Set in EB Garamond." in epub.read("OEBPS/copyright.xhtml").decode()


def chinese(tmp_path: Path, text: str, title: str = "T") -> Path:
    source = tmp_path / "book"
    (source / "text").mkdir(parents=True)
    (source / "book.toml").write_text(book_toml(["text/one.md"], title=title), encoding="utf-8")
    (source / "text" / "one.md").write_text(text, encoding="utf-8")
    return source


def test_a_character_no_face_has_stops_the_build_at_its_place(tmp_path: Path) -> None:
    source = chinese(tmp_path, f"# One\n\nSun Yat-sen,\nwhom we call {NAME}.\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["build", "pdf", "--source", str(source), "--out", str(out), "--styles", str(STYLES)]
    )
    assert result.exit_code == 1, result.output
    assert "Laying out" not in result.output  # refused before the layout
    assert not out.exists()
    where = source / "text" / "one.md"
    assert result.output.strip().splitlines()[-1] == (
        f"Error: {where}:4:14: “孙” (U+5B59 CJK UNIFIED IDEOGRAPH-5B59) is in none of the book's fonts "
        "(EB Garamond): it would print as an empty box; add a face that has it to the styles "
        "folder's fonts.toml as a [[fallback]] (no font has these either: “中” U+4E2D “山” U+5C71; "
        "'book check' lists where)"
    )


def test_an_emoji_in_a_note_of_the_cjk_book_is_found_in_its_note(tmp_path: Path) -> None:
    source = tmp_path / "cjk"
    shutil.copytree(CJK, source, ignore=shutil.ignore_patterns("fallback"))
    text = (CJK / "text" / "canton.md").read_text(encoding="utf-8")
    (source / "text" / "canton.md").write_text(
        text.replace("    pinyin;", "    pinyin 😀;"), encoding="utf-8"
    )
    with pytest.raises(BookError) as caught:
        build(Project(source, cjk_styles(tmp_path), tmp_path / "out"), ("epub",))
    message = caught.value.format_message()
    line = text.splitlines().index("    pinyin; 孙中山 is read Sun Zhongshan.") + 1
    assert message.startswith(
        f"{source / 'text' / 'canton.md'}:{line}:12: “😀” (U+1F600 GRINNING FACE) "
        "is in none of the book's fonts (EB Garamond, Noto Serif CJK SC)"
    )


def test_book_check_lists_each_character_no_face_has(tmp_path: Path) -> None:
    source = chinese(tmp_path, f"# One\n\nA {NAME[0]}.\n\nAnd 😀.\n", title="Title 😀")
    findings = [
        (f.location.line, f.location.column, f.code, f.text)
        for f in check(source, STYLES)
        if f.code == "missing-glyph"
    ]
    assert findings == [(2, 16, "missing-glyph", "😀"), (3, 3, "missing-glyph", "孙")]
    assert {f.location.file.name for f in check(source, STYLES) if f.code == "missing-glyph"} == {
        "book.toml",
        "one.md",
    }
    result = CliRunner().invoke(main, ["check", "--source", str(source), "--format", "json"])
    assert result.exit_code == 1
    found = [f for f in json.loads(result.output) if f["code"] == "missing-glyph"]
    assert [(Path(f["file"]).name, f["line"], f["severity"]) for f in found] == [
        ("one.md", 3, "error"),
        ("book.toml", 2, "error"),
    ]  # in the order of the files
    (source / ".bookcheckignore").write_text('missing-glyph "😀"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--source", str(source)])
    assert "missing-glyph cannot be ignored" in result.output
    result = CliRunner().invoke(main, ["check", "--source", str(CJK), "--styles", str(cjk_styles(tmp_path))])
    assert "missing-glyph" not in result.output


def test_a_fallback_without_a_space_is_refused(tmp_path: Path) -> None:
    styles = cjk_styles(tmp_path)
    font = TTFont(SUBSET)
    subsetter = subset.Subsetter()
    subsetter.populate(text=NAME)
    subsetter.subset(font)
    font.save(styles / "fonts" / "NotoSerifCJKsc-Subset.otf")
    with pytest.raises(BookError) as caught:
        build(Project(CJK, styles, tmp_path / "out"), ("epub",))
    assert caught.value.format_message() == (
        f"{styles.resolve() / 'fonts' / 'NotoSerifCJKsc-Subset.otf'}: the face Noto Serif CJK SC has no "
        "space (U+0020): a space after a character it sets would print as an empty box; use a file of "
        "the face that has one"
    )


def test_an_epub_only_build_reads_no_font_with_fonttools() -> None:
    """The glyph coverage reads the cmaps itself; the EPUB's font subsetting (issue 14) is
    fontTools' one use in an EPUB-only build, left out here."""
    code = (
        "import sys, tempfile, pathlib\nfrom build_tools.build import Project, build\n"
        "from build_tools.writers.epub import writer\n"
        "writer.subset_font = lambda path, text: path.read_bytes()\n"
        f"build(Project(pathlib.Path({str(FIXTURES / 'small')!r}), pathlib.Path({str(STYLES)!r}), "
        "pathlib.Path(tempfile.mkdtemp())), ('epub',))\nprint('fontTools' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_preflight_fails_a_pdf_that_draws_notdef(tmp_path: Path, cjk: dict[str, Path]) -> None:
    tofu = tmp_path / "tofu.pdf"  # a private-use character of plane 16: no font has it
    HTML(string="<p style='font-family: serif'>Sun \U0010fffd</p>").write_pdf(tofu)
    with pikepdf.open(tofu) as pdf:
        found = notdef_glyphs(pdf)
    assert [(n.page, n.text) for n in found] == [(1, "\U0010fffd")]
    failed = [r for r in preflight(tofu, PROFILES["proof"], 6, 9) if r.check == "no missing glyphs"]
    assert not failed[0].passed
    assert failed[0].detail.startswith("page 1: “\U0010fffd” U+10FFFD in ")
    assert failed[0].detail.endswith(" is drawn as .notdef (an empty box)")
    # Glyph 0 shown straight (Identity-H), in a copy of the CJK book's text page.
    edited = tmp_path / "edited.pdf"
    with pikepdf.open(cjk[".pdf"]) as pdf:
        page = pdf.pages[6]
        name = next(str(k) for k, f in page.get_resources().Font.items() if "Noto" in str(f.BaseFont))
        page.contents_add(pdf.make_stream(f"BT {name} 12 Tf 72 72 Td <0000> Tj ET".encode()))
        pdf.save(edited)
    with pikepdf.open(edited) as pdf:
        assert [(n.page, n.font) for n in notdef_glyphs(pdf)] == [(7, "Noto-Serif-CJK-SC")]
    result = CliRunner().invoke(
        main, ["check", "pdf", "--source", str(CJK), "--pdf", str(edited), "--profile", "proof"]
    )
    assert result.exit_code == 1
    assert "no missing glyphs        FAIL  page 7: a character in Noto-Serif-CJK-SC is drawn" in result.output
