"""Fonts are data (issue 13 item 7): fonts.toml's [[fallback]] faces, read and checked with their
lines; the characters of a font file (design/cmaps.py, against fontTools); the fallbacks put
after the text family in a stylesheet's font lists (design/families.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import ROOT, STYLES
from fontTools.ttLib import TTFont

from build_tools.design.cmaps import UnreadableFont, code_points
from build_tools.design.families import with_fallbacks
from build_tools.design.fonts import Face, Family, FontSet, read_fonts
from build_tools.errors import BookError

CJK = ROOT / "tests" / "manuscripts" / "cjk"
SUBSET = CJK / "fallback" / "fonts" / "NotoSerifCJKsc-Subset.otf"
FALLBACK = """\
[text]
family = "EB Garamond"
regular = "fonts/EBGaramond-Regular.ttf"
italic = "fonts/EBGaramond-Italic.ttf"

# Chinese
[[fallback]]
family = "Noto Serif CJK SC"
regular = "fonts/NotoSerifCJKsc-Subset.otf"

[[fallback]]
family = "Second"
regular = "fonts/Second.otf"
"""


def cjk_styles(folder: Path) -> Path:
    """The repository's styles with the test book's fallback face added (fallback/)."""
    styles = folder / "styles"
    shutil.copytree(STYLES, styles)
    shutil.copytree(CJK / "fallback", styles, dirs_exist_ok=True)
    return styles


def fallback_styles(tmp_path: Path, toml: str = FALLBACK) -> Path:
    (tmp_path / "fonts").mkdir(exist_ok=True)
    for name in ("EBGaramond-Regular.ttf", "EBGaramond-Italic.ttf"):
        shutil.copy(STYLES / "fonts" / name, tmp_path / "fonts")
    shutil.copy(SUBSET, tmp_path / "fonts")
    shutil.copy(SUBSET, tmp_path / "fonts" / "Second.otf")
    (tmp_path / "fonts.toml").write_text(toml, encoding="utf-8")
    return tmp_path


def error(folder: Path) -> str:
    with pytest.raises(BookError) as caught:
        read_fonts(folder)
    return caught.value.format_message().replace(str(folder / "fonts.toml"), "fonts.toml")


def test_fallbacks_are_read_in_order_after_the_text_family(tmp_path: Path) -> None:
    fonts = read_fonts(fallback_styles(tmp_path))
    assert fonts.family == "EB Garamond"
    assert [family.name for family in fonts.families] == ["EB Garamond", "Noto Serif CJK SC", "Second"]
    assert [(f.weight, f.style, f.name) for f in fonts.fallbacks[0].faces] == [
        ("normal", "normal", "NotoSerifCJKsc-Subset.otf")
    ]
    assert fonts.only(["Second"]).fallbacks == (fonts.fallbacks[1],)
    assert fonts.only([]).families == (Family("EB Garamond", fonts.faces),)
    assert read_fonts(STYLES).fallbacks == ()  # the first book's styles declare none


def test_css_declares_each_face_under_its_own_family() -> None:
    text, fallback = Face("normal", "normal", Path("/s/R.ttf")), Face("normal", "normal", Path("/s/N.otf"))
    fonts = FontSet("EB Garamond", (text,), (Family("Noto Serif CJK SC", (fallback,)),))
    assert fonts.css(lambda f: f.name) == (
        '@font-face { font-family: "EB Garamond"; font-weight: normal; font-style: normal; '
        'src: url("R.ttf"); }\n'
        '@font-face { font-family: "Noto Serif CJK SC"; font-weight: normal; font-style: normal; '
        'src: url("N.otf"); }\n'
    )
    assert fonts.css(lambda f: f.name, [text]).count("@font-face") == 1
    assert fonts.listed('p { font-family: "EB Garamond", serif }') == (
        'p { font-family: "EB Garamond", "Noto Serif CJK SC", serif }'
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            (
                FALLBACK[FALLBACK.index("# Chinese") :],
                '[fallback]\nfamily = "Noto"\nregular = "fonts/Second.otf"\n',
            ),
            "fonts.toml:6: write each fallback face as a [[fallback]] table (a list of tables, in order of "
            "preference)",
        ),
        (
            ('regular = "fonts/NotoSerifCJKsc-Subset.otf"', 'regullar = "fonts/NotoSerifCJKsc-Subset.otf"'),
            "fonts.toml:9: unknown key 'regullar' in [[fallback]] 1; did you mean 'regular'?",
        ),
        (
            ('regular = "fonts/Second.otf"\n', ""),
            "fonts.toml:11: [[fallback]] 2 has no 'regular': the file of the upright face",
        ),
        (
            ('family = "Second"', 'family = "noto serif cjk sc"'),
            "fonts.toml:12: 'family': noto serif cjk sc is declared twice",
        ),
        (
            ('family = "Second"', 'family = "EB Garamond"'),
            "fonts.toml:12: 'family': EB Garamond is declared twice",
        ),
        (
            ("fonts/Second.otf", "fonts/EBGaramond-Italic.ttf"),
            "fonts.toml:13: 'regular': another face has the same file name, EBGaramond-Italic.ttf",
        ),
        (("fonts/Second.otf", "fonts/Missing.otf"), "fonts.toml:13: font file not found: fonts/Missing.otf"),
        (
            ('family = "Second"', 'family = "Se\\"cond"'),
            "fonts.toml:12: 'family' must be a typeface name, without quotes or backslashes",
        ),
        (
            ('[[fallback]]\nfamily = "Noto', '[[fallbak]]\nfamily = "Noto'),
            "fonts.toml:7: unknown table 'fallbak'; did you mean 'fallback'?",
        ),
    ],
)
def test_each_fallback_error_names_the_line(tmp_path: Path, change: tuple[str, str], message: str) -> None:
    assert change[0] in FALLBACK
    assert error(fallback_styles(tmp_path, FALLBACK.replace(*change))) == message


@pytest.mark.parametrize(
    "name",
    [
        "EBGaramond-Regular.ttf",
        "EBGaramond-Italic.ttf",
        "EBGaramond-Bold.ttf",
        "EBGaramond-BoldItalic.ttf",
    ],
)
def test_the_characters_of_a_file_are_fonttools_ones(name: str) -> None:
    path = STYLES / "fonts" / name
    best = TTFont(path).getBestCmap()
    assert code_points(path) == {code for code, glyph in best.items() if glyph != ".notdef"}
    assert code_points(path) is code_points(path)  # read once


def test_woff_woff2_and_cff_files_are_read_too(tmp_path: Path) -> None:
    assert code_points(SUBSET) == {ord(c) for c in "孙中山国民党 \u00a0"}  # CFF (OTTO)
    for flavor in ("woff", "woff2"):
        font = TTFont(STYLES / "fonts" / "EBGaramond-Italic.ttf")
        font.flavor = flavor
        font.save(tmp_path / f"italic.{flavor}")
        assert code_points(tmp_path / f"italic.{flavor}") == code_points(
            STYLES / "fonts" / "EBGaramond-Italic.ttf"
        )


def test_a_damaged_font_is_an_error_not_a_crash(tmp_path: Path) -> None:
    damaged = tmp_path / "damaged.ttf"
    damaged.write_bytes(b"\x00\x01\x00\x00" + bytes(60))
    with pytest.raises(UnreadableFont, match="no character map"):
        code_points(damaged)
    truncated = tmp_path / "truncated.ttf"
    truncated.write_bytes((STYLES / "fonts" / "EBGaramond-Regular.ttf").read_bytes()[:2000])
    with pytest.raises(UnreadableFont):
        code_points(truncated)


F = ["Noto Serif CJK SC"]


@pytest.mark.parametrize(
    ("css", "expected"),
    [
        (
            'body { font-family: "EB Garamond", serif; }',
            'body { font-family: "EB Garamond", "Noto Serif CJK SC", serif; }',
        ),
        ("p{font-family:'EB Garamond'}", "p{font-family:'EB Garamond', \"Noto Serif CJK SC\"}"),
        (
            "p { font-family: EB Garamond, serif }",
            'p { font-family: EB Garamond, "Noto Serif CJK SC", serif }',
        ),
        (
            '@page { @top-left { font: 8.5pt/1 "EB Garamond"; letter-spacing: 1pt } }',
            '@page { @top-left { font: 8.5pt/1 "EB Garamond", "Noto Serif CJK SC"; letter-spacing: 1pt } }',
        ),
        (
            "p { font: italic 12pt EB  Garamond, serif !important }",
            'p { font: italic 12pt EB  Garamond, "Noto Serif CJK SC", serif !important }',
        ),
        ('h1 { font-family: "eb garamond" }', 'h1 { font-family: "eb garamond", "Noto Serif CJK SC" }'),
        # Left as they are: a face's own rule, another family, one that has it already, comments,
        # strings, other properties.
        ('@font-face { font-family: "EB Garamond"; src: url(a.ttf) }', None),
        ('p { font-family: "EB Garamond Display", serif } q { font-family: Old EB Garamond }', None),
        ('p { font-family: "EB Garamond", "Noto Serif CJK SC", serif }', None),
        (
            '/* font-family: "EB Garamond" */ p::before { content: "font: EB Garamond"; '
            "font-variant: small-caps }",
            None,
        ),
    ],
)
def test_fallbacks_follow_the_text_family_in_font_lists(css: str, expected: str | None) -> None:
    assert with_fallbacks(css, "EB Garamond", F) == (expected or css)
    assert with_fallbacks(css, "EB Garamond", []) == css


@pytest.mark.parametrize("name", ["print.css", "epub.css"])
def test_the_first_books_stylesheets_change_only_in_their_font_lists(name: str) -> None:
    css = (STYLES / name).read_text(encoding="utf-8")
    listed = with_fallbacks(css, "EB Garamond", F)
    assert listed.replace('"EB Garamond", "Noto Serif CJK SC"', '"EB Garamond"') == css
    faces = 7 if name == "print.css" else 1  # print: the text, four margin boxes, the index's two heads
    assert listed.count('"Noto Serif CJK SC"') == css.count('"EB Garamond"') == faces
