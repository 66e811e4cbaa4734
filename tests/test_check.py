"""``book check``: every check finds what it is for and stays quiet on good text."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import book_toml

from build_tools.checks.editorial import check, run_check
from build_tools.checks.prose import check_text, mask
from build_tools.cli import main
from build_tools.parse.parser import parse
from build_tools.sources.manuscript import load

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "small"


def manuscript(root: Path, *texts: str, names: str | None = None, ignore: str | None = None) -> Path:
    (root / "text").mkdir(parents=True, exist_ok=True)
    files = []
    for number, text in enumerate(texts, 1):
        (root / "text" / f"{number}.md").write_text(text, encoding="utf-8")
        files.append(f'"text/{number}.md"')
    extra = 'names = "names.yaml"\n' if names is not None else ""
    config = book_toml([name.strip('"') for name in files], extra)
    (root / "book.toml").write_text(config, encoding="utf-8")
    if names is not None:
        (root / "names.yaml").write_text(names, encoding="utf-8")
    if ignore is not None:
        (root / ".bookcheckignore").write_text(ignore, encoding="utf-8")
    return root


def hits(text: str, language: str = "en") -> list[tuple[str, int, int]]:
    found = check_text(text, language)
    return sorted(((h.code, h.line, h.column) for h in found), key=lambda h: h[1:])


def codes(root: Path) -> list[tuple[str, str]]:
    return [(f.code, f.text) for f in check(root)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('He said "no.', [("unbalanced-quotes", 1, 9)]),  # the build makes it “no.
        ("One  two.", [("double-space", 1, 4)]),
        ("Yes , no.", [("space-before-punctuation", 1, 4)]),
        ("Why ?", [("space-before-punctuation", 1, 4)]),
        (
            "Stop it from being published . . . now",
            [
                ("space-before-punctuation", 1, 29),
                ("space-before-punctuation", 1, 31),
                ("space-before-punctuation", 1, 33),
            ],
        ),
        ("It was the the end.", [("repeated-word", 1, 8)]),
        ("It was The\nthe end.", [("repeated-word", 1, 8)]),
        ("In *the* the end.", [("repeated-word", 1, 5)]),
        ("A word - another.", [("hyphen-as-dash", 1, 7)]),
        ("A word--another.", [("hyphen-as-dash", 1, 7)]),
        ("In 1917-21 it was.", [("hyphen-as-dash", 1, 4)]),
        ("The end.. Then.", [("doubled-full-stop", 1, 8)]),
        ("In 194? and 19?? it was.", [("placeholder", 1, 4), ("placeholder", 1, 13)]),
        ("See page XX and TK.", [("placeholder", 1, 10), ("placeholder", 1, 17)]),
        ("“Open and never closed.", [("unbalanced-quotes", 1, 1)]),
        ("Closed” only.", [("unbalanced-quotes", 1, 7)]),
        ("A (paren.\n\nA paren).", [("unbalanced-brackets", 1, 3), ("unbalanced-brackets", 3, 8)]),
        ("A [bracket.", [("unbalanced-brackets", 1, 3)]),
    ],
)
def test_typography_finds(text: str, expected: list[tuple[str, int, int]]) -> None:
    assert hits(text) == expected


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        # Straight quotes are set by the build in a language it knows, and asked about in one
        # it does not.
        ('He said "no". It isn\'t.', "en", []),
        ('Il dit "non".', "fr", []),
        ('Er sagte "nein".', "de", []),
        ('He said "no".', "hu", [("straight-quote", 1, 9), ("straight-quote", 1, 12)]),
        # French sets its own spaces before ; : ! ? (no English advice), but not before , and .
        ("Oui ; non : peut-être ! Vraiment ?", "fr", []),
        ("Oui , non .", "fr", [("space-before-punctuation", 1, 4), ("space-before-punctuation", 1, 10)]),
        ("Yes ; no", "en", [("space-before-punctuation", 1, 4)]),
        # Quotations pair up in the language's marks, typed or made from straight ones.
        ('Il dit "non.', "fr", [("unbalanced-quotes", 1, 8)]),
        ("Il dit « non.", "fr", [("unbalanced-quotes", 1, 8)]),
        ("Il dit « non ».", "fr", []),
        ('Er sagte "nein.', "de", [("unbalanced-quotes", 1, 10)]),
        ("Er sagte „nein“.", "de", []),
        # Note calls are placed by the build on the language's side of the punctuation.
        ("Text[^n]. More.\n\n[^n]: N.", "en", []),
        ("Texte.[^n] Suite.\n\n[^n]: N.", "fr", []),
    ],
)
def test_typography_follows_the_language(
    text: str, language: str, expected: list[tuple[str, int, int]]
) -> None:
    assert hits(text, language) == expected


@pytest.mark.parametrize(
    "text",
    [
        "# A Title\n\nPlain prose, with “quotes”, ‘single’ ones and an apostrophe: it’s fine.",
        'Code is not prose: `a  "b" -- c..` and ```x `y` z```.',
        '```\nfenced "code"  -- here\n```',
        'A query {==in 194?==}{>>check "this" -- TK<<} and {>>a  gap<<} are not prose.',
        "Links: [a page](http://example.org/a--b..c \"Title 'x'\") and <https://x.org/--y>.",
        "A note.[^n] An anchor {#here-is} and [him]{@stalin} and {!Wilson} marks.\n\n[^n]: Note.",
        "He had had enough; the fact that that shows.",
        "An ellipsis... and another… and a rule:\n\n---\n\nafter.",
        "- a list item\n- another item\n    - a nested one\n\n1. and numbered\n2. items",
        "Pius XX and the XX Congress; the 20th century.",
        "Two spaces at the end of a line make a break  \nhere.",
        "A range 1917–21 and a date 2026-01-01 and ISBN 978-0-306-40615-7.",
        "A decimal .5 and a time 10.30.",
        "> “A quotation of two paragraphs,\n>\n> “which opens again, and closes here.”",
        "“First paragraph of a long quotation,\n\n“and the second, which closes.”",
        "> “A quotation with an interjection,” says he, “that goes on\n>\n> > A nested one.\n>\n"
        "> to the end of the block.”",
    ],
)
def test_typography_quiet_on_good_text(text: str) -> None:
    assert hits(text) == []


def test_mask_keeps_columns() -> None:
    line = 'A `code` and {==x==}{>>q<<} and [l](http://u) and [^n] end "q".'
    masked = mask(line)[0]
    assert len(masked) == len(line)
    assert masked.index('"q"') == line.index('"q"')
    assert "http" not in masked and "code" not in masked


def test_name_variants_against_names_file_and_text(tmp_path: Path) -> None:
    names = """entries:
  - id: chiang
    heading: "Chiang Kai-shek"
    forms: ["Chiang Kai-shek", "Chiang"]
  - id: mao
    heading: "Mao Zedong"
    forms: ["Mao Zedong", "Mao Tse-tung", "Mao"]
"""
    text = (
        "# One\n\nChiang Kai-shek met Mao Zedong. Chiang-Kai-shek went to Changsha, then to "
        "Changsha again, and to Chansha. Mao Tse-tung, Mao Zedung and Mao Tse-Tung.\n\n"
        "Russia and the Russian Revolution; the revolution in *La Révolution*. Marxist, Marxism.\n"
    )
    found = codes(manuscript(tmp_path, text, names=names))
    variants = sorted(text for code, text in found if code == "name-variant")
    assert variants == ["Chansha", "Chiang-Kai-shek", "Mao Tse-Tung", "Zedung"]


def test_declared_forms_are_not_variants(tmp_path: Path) -> None:
    names = """entries:
  - id: sun
    heading: "Sun Yat-sen"
    forms: ["Sun Yat-sen", "Sun Yat-Sen", "Sun"]
"""
    text = "# One\n\nSun Yat-sen, Sun Yat-sen and Sun Yat-Sen; Sun.\n"
    root = manuscript(tmp_path, text, names=names)
    assert [c for c in codes(root) if c[0] == "name-variant"] == []


def test_parse_error_is_one_error_finding_and_typography_still_runs(tmp_path: Path) -> None:
    root = manuscript(tmp_path, "# One\n\nText.[^missing] And  more.\n")
    found = check(root)
    assert [(f.code, f.severity, str(f.location)) for f in found] == [
        ("manuscript-error", "error", f"{root / 'text' / '1.md'}:3:6"),
        ("double-space", "warning", f"{root / 'text' / '1.md'}:3:20"),
    ]
    assert "has no definition" in found[0].message


def test_load_error_is_reported_not_raised(tmp_path: Path) -> None:
    found = check(tmp_path)
    assert [(f.code, f.severity) for f in found] == [("manuscript-error", "error")]
    assert "no book.toml" in found[0].message


def run(root: Path, *options: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", "--source", str(root), *options])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def test_exit_codes_warnings_strict_and_errors(tmp_path: Path) -> None:
    clean = manuscript(tmp_path / "clean", "# One\n\nGood text.\n")
    assert run(clean) == (0, "0 errors, 0 warnings\n")
    assert run(clean, "--strict")[0] == 0
    warned = manuscript(tmp_path / "warned", "# One\n\nIn {==194?==}{>>year?<<} it was  so.\n")
    code, output = run(warned)
    assert code == 0
    assert output.splitlines() == [
        f"{warned / 'text' / '1.md'}:3:4: open-query “194?”: year? — an open editorial query "
        "(a release build refuses to go ahead)",
        f"{warned / 'text' / '1.md'}:3:32: double-space “was  so.”: two spaces between words: use one",
        "0 errors, 2 warnings (1 open query)",
    ]
    assert run(warned, "--strict")[0] == 1
    broken = manuscript(tmp_path / "broken", "No heading.\n")
    code, output = run(broken)
    assert code == 1
    assert f"{broken / 'text' / '1.md'}:1: manuscript-error section has no heading" in output


def test_json_format(tmp_path: Path) -> None:
    root = manuscript(tmp_path, "# One\n\nA word , and  more.\n")
    code, output = run(root, "--format", "json")
    assert code == 0
    data = json.loads(output)
    assert data[0] == {
        "file": str(root / "text" / "1.md"),
        "line": 3,
        "column": 7,
        "code": "space-before-punctuation",
        "severity": "warning",
        "message": "“word ,”: a space before punctuation: remove it",
    }
    assert len(data) == 2


def test_ignore_file_rules(tmp_path: Path) -> None:
    ignore = (
        "# accepted\n"
        'space-before-punctuation "\\"word\\" ,"   # by text, with escaped quotes\n'
        "double-space text/1.md:4\n"
        "repeated-word text/2.md\n"
        "placeholder text/1.md:99      # matches nothing\n"
    )
    root = manuscript(
        tmp_path,
        '# One\n\nA "word" , x.\nB  c.\nD  e.\n',
        "# Two\n\nthe the and a a.\n",
        ignore=ignore,
    )
    lines: list[str] = []
    failed = run_check(root, None, True, "text", lines.append)
    assert failed
    assert lines == [
        f"{root / 'text' / '1.md'}:5:2: double-space “D  e.”: two spaces between words: use one",
        f"{root / '.bookcheckignore'}:5:1: unused-ignore this rule matched nothing: remove it "
        "(placeholder text/1.md)",
        "0 errors, 2 warnings, 4 ignored",
    ]


def test_ignore_file_problems_are_errors(tmp_path: Path) -> None:
    root = manuscript(tmp_path, "# One\n\nGood.\n", ignore="open-query text/1.md\nnonsense\n")
    code, output = run(root)
    assert code == 1
    assert "open-query cannot be ignored" in output
    assert ":2:1: ignore-file not a rule" in output
    code, output = run(root, "--ignore-file", str(tmp_path / "missing"))
    assert code == 1 and "ignore file not found" in output
    (tmp_path / "latin1").write_bytes(b'name-variant "Jos\xe9"\n')
    code, output = run(root, "--ignore-file", str(tmp_path / "latin1"))
    assert code == 1 and f"{tmp_path / 'latin1'}:1: ignore-file not valid UTF-8" in output


def test_real_manuscript_reports_only_open_queries() -> None:
    """The accepted exceptions are in manuscript/.bookcheckignore; what remains is editorial work.

    "Chansha" (chapter 1) is a misspelling of Changsha in the author's text that no editorial
    decision covers yet: it stays visible until it is corrected or queried. Serge's and Chiang's
    entries run to more than fifteen locators (issue 16): subentries are the indexer's work to
    come, and the warning stays until they are made.
    """
    source = ROOT / "manuscript"
    lines: list[str] = []
    failed = run_check(source, None, True, "json", lines.append)  # its time: bench/bench.py
    findings = json.loads(lines[0])
    book = parse(load(source), 0)
    assert failed
    assert [f for f in findings if f["severity"] == "error"] == []
    assert sum(f["code"] == "open-query" for f in findings) == len(book.queries) > 0
    others = {
        (f["code"], f["message"].split("”")[0].lstrip("“")) for f in findings if f["code"] != "open-query"
    }
    assert others <= {
        ("name-variant", "Chansha"),
        ("many-locators", "Serge, Victor"),
        ("many-locators", "Chiang Kai-shek"),
    }


def test_check_is_fast_and_never_loads_the_pdf_writer() -> None:
    code = (
        "import sys\nfrom build_tools.checks.editorial import run_check\n"
        f"run_check(__import__('pathlib').Path({str(FIXTURE)!r}), None, False, 'text', "
        "lambda s: None)\n"
        "print('weasyprint' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_check_help_names_every_option() -> None:
    result = CliRunner().invoke(main, ["check", "--help"])
    assert result.exit_code == 0
    for option in ("--strict", "--format", "--ignore-file", "--source"):
        assert option in result.output
