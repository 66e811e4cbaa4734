"""Print profiles and the preflight: every profile's PDF of the first book passes its printer's
checks; a bad PDF fails the right ones; page labels match the printed folios."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner
from conftest import FIXTURES, ROOT, STYLES
from test_pdf import folio_pages
from weasyprint import CSS, HTML

from build_tools.build import Project, build
from build_tools.checks.preflight import preflight
from build_tools.cli import main
from build_tools.design.profiles import PROFILES


@pytest.fixture(scope="module")
def profile_pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("profiles")
    return {
        name: build(Project(ROOT / "manuscript", STYLES, out), formats=("pdf",), profile=name)[1][0]
        for name in PROFILES
    }


@pytest.mark.parametrize("name", sorted(PROFILES))
def test_every_profile_passes_its_preflight(profile_pdfs: dict[str, Path], name: str) -> None:
    results = preflight(profile_pdfs[name], PROFILES[name], 6, 9)
    assert [(r.check, r.detail) for r in results if not r.passed] == []
    with pikepdf.open(profile_pdfs[name]) as pdf:
        assert len(pdf.pages) % 2 == 0
        bleed = 9 if PROFILES[name].bleed_at_spine else 0
        assert [float(v) for v in pdf.pages[0].MediaBox] == [-bleed, -9, 441, 657]


def test_ingramspark_is_pdfx_with_a_blank_last_page(profile_pdfs: dict[str, Path]) -> None:
    with pikepdf.open(profile_pdfs["ingramspark"]) as pdf:
        assert str(pdf.docinfo["/GTS_PDFXVersion"]).startswith("PDF/X-1a")
        assert str(pdf.Root.OutputIntents[0].S) == "/GTS_PDFX"
        assert pdf.pdf_version == "1.4"
        last = pdf.pages[-1]
        assert not [op for op in pikepdf.parse_content_stream(last) if str(op.operator) in ("Tj", "TJ")]


def test_page_labels_match_the_printed_folios(essay) -> None:  # type: ignore[no-untyped-def]
    _, files = essay
    printed = folio_pages(files)  # folio -> page index, read from the heads and feet
    with pikepdf.open(files[".pdf"]) as pdf:
        labels = [page.label for page in pdf.pages]
    assert labels[:6] == ["i", "ii", "iii", "iv", "v", "vi"]
    assert labels[6] == "1"
    for folio, index in printed.items():
        assert labels[index] == folio, (folio, index)
    assert len([f for f in printed if f.isdigit()]) > 10


def test_a_bad_pdf_fails_the_right_checks(tmp_path: Path) -> None:
    bad = tmp_path / "bad.pdf"
    HTML(
        string="<p style='font-size: 5pt; color: rgb(255, 0, 0); margin: 0'>Too small, red, at the edge</p>"
    ).write_pdf(bad, stylesheets=[CSS(string="@page { size: A4; margin: 0.1in }")])
    with pikepdf.open(bad, allow_overwriting_input=True) as pdf:
        pdf.pages[0].Annots = pdf.make_indirect(
            pikepdf.Array(
                [
                    pikepdf.Dictionary(
                        Type=pikepdf.Name.Annot,
                        Subtype=pikepdf.Name.Text,
                        F=4,
                        Rect=pikepdf.Array([10, 10, 20, 20]),
                        Contents=pikepdf.String("note"),
                    )
                ]
            )
        )
        pdf.save(bad)
    failed = {r.check for r in preflight(bad, PROFILES["kdp"], 6, 9) if not r.passed}
    assert failed == {
        "page boxes",
        "no RGB colour",
        "page count",
        "minimum type size",
        "text in safe area",
        "no printing annotations",
    }


def test_encrypted_pdf_fails(tmp_path: Path) -> None:
    plain, locked = tmp_path / "plain.pdf", tmp_path / "locked.pdf"
    HTML(string="<p>x</p>").write_pdf(plain)
    with pikepdf.open(plain) as pdf:
        pdf.save(locked, encryption=pikepdf.Encryption(owner="o", user="u"))
    assert [(r.check, r.passed) for r in preflight(locked, PROFILES["kdp"], 6, 9)] == [("encryption", False)]


def test_check_pdf_command_prints_a_table_and_exits_1_on_failure(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    build(Project(FIXTURES / "small", STYLES, out), formats=("pdf",))
    result = CliRunner().invoke(
        main, ["check", "pdf", "--source", str(FIXTURES / "small"), "--pdf", str(out / "small-book.pdf")]
    )
    assert result.exit_code == 1  # 16 pages: fewer than KDP’s 24
    assert "page count               FAIL  16 pages: outside 24–828" in result.output
    assert "fonts embedded           PASS" in result.output
    build(Project(FIXTURES / "small", STYLES, out), formats=("pdf",), profile="proof")
    result = CliRunner().invoke(
        main,
        [
            "check",
            "pdf",
            "--source",
            str(FIXTURES / "small"),
            "--pdf",
            str(out / "small-book-proof.pdf"),
            "--profile",
            "proof",
        ],
    )
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(
        main,
        [
            "check",
            "pdf",
            "--source",
            str(FIXTURES / "small"),
            "--pdf",
            str(out / "small-book.pdf"),
            "--profile",
            "proof",
        ],
    )
    assert "page boxes               FAIL  page 1: MediaBox" in result.output  # a KDP file is no proof
