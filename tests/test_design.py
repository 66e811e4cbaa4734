"""Design and language data (issue 11): the styles' fonts.toml, trims, labels."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import STYLES

from build_tools.design.fonts import Face, FontSet, read_fonts
from build_tools.design.trims import DEFAULT, TRIMS
from build_tools.errors import BookError
from build_tools.lang.labels import ENGLISH, labels_for

TTF = b"\x00\x01\x00\x00" + bytes(60)
GOOD = """\
# faces
[text]
family = "Test Serif"
regular = "fonts/R.ttf"
italic = "fonts/I.ttf"
"""


def styles(tmp_path: Path, toml: str = GOOD) -> Path:
    (tmp_path / "fonts").mkdir(exist_ok=True)
    for name in ("R.ttf", "I.ttf"):
        (tmp_path / "fonts" / name).write_bytes(TTF)
    (tmp_path / "fonts.toml").write_text(toml, encoding="utf-8")
    return tmp_path


def error(folder: Path) -> str:
    with pytest.raises(BookError) as caught:
        read_fonts(folder)
    return caught.value.format_message().replace(str(folder / "fonts.toml"), "fonts.toml")


def test_the_styles_folder_declares_its_four_faces_in_order() -> None:
    fonts = read_fonts(STYLES)
    assert fonts.family == "EB Garamond"
    assert [(f.weight, f.style, f.name) for f in fonts.faces] == [
        ("normal", "normal", "EBGaramond-Regular.ttf"),
        ("normal", "italic", "EBGaramond-Italic.ttf"),
        ("bold", "normal", "EBGaramond-Bold.ttf"),
        ("bold", "italic", "EBGaramond-BoldItalic.ttf"),
    ]
    assert all(f.path.is_absolute() and f.path.is_file() for f in fonts.faces)
    assert [f.bold for f in fonts.faces] == [False, False, True, True]
    assert {f.media_type for f in fonts.faces} == {"font/ttf"}


def test_css_is_one_font_face_rule_a_line_for_the_faces_asked() -> None:
    face = Face("bold", "italic", Path("/s/fonts/BI.woff2"))
    fonts = FontSet("EB Garamond", (Face("normal", "normal", Path("/s/fonts/R.otf")), face))
    assert fonts.css(lambda f: f"../fonts/{f.name}") == (
        '@font-face { font-family: "EB Garamond"; font-weight: normal; font-style: normal; '
        'src: url("../fonts/R.otf"); }\n'
        '@font-face { font-family: "EB Garamond"; font-weight: bold; font-style: italic; '
        'src: url("../fonts/BI.woff2"); }\n'
    )
    assert fonts.css(lambda f: f.path.as_uri(), [face]).count("@font-face") == 1
    assert (face.media_type, fonts.faces[0].media_type) == ("font/woff2", "font/otf")


def test_optional_faces_may_be_left_out(tmp_path: Path) -> None:
    fonts = read_fonts(styles(tmp_path))
    assert fonts.family == "Test Serif"
    assert [f.path for f in fonts.faces] == [tmp_path.resolve() / "fonts" / n for n in ("R.ttf", "I.ttf")]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("italic =", "itallic ="), "fonts.toml:5: unknown key 'itallic' in [text]; did you mean 'italic'?"),
        (("[text]", "[txet]"), "fonts.toml:2: unknown table 'txet'; did you mean 'text'?"),
        (("# faces", 'family = "X"'), "fonts.toml:1: 'family' belongs in the [text] table"),
        (("I.ttf", "B.ttf"), "fonts.toml:5: font file not found: fonts/B.ttf"),
        (
            ("I.ttf", "I.pfb"),
            "fonts.toml:5: 'italic': fonts/I.pfb is not a font file an e-book can "
            "hold (.ttf, .otf, .woff, .woff2)",
        ),
        (("fonts/I.ttf", "../I.ttf"), "fonts.toml:5: 'italic': ../I.ttf is outside the styles folder"),
        (
            ('"fonts/I.ttf"', "3"),
            "fonts.toml:5: 'italic' must be the path of a font file, relative to the styles folder",
        ),
        (
            ('"Test Serif"', '"Test \\"Serif\\""'),
            "fonts.toml:3: 'family' must be a typeface name, without quotes or backslashes",
        ),
        (
            ('regular = "fonts/R.ttf"\n', ""),
            "fonts.toml:2: [text] has no 'regular': the file of the upright face",
        ),
        (("I.ttf", "R.ttf"), "fonts.toml:5: 'italic': another face has the same file name, R.ttf"),
        (('family = "Test Serif"\n', ""), "fonts.toml:2: [text] has no 'family': the name of the typeface"),
        (("[text]\n", ""), "fonts.toml:2: 'family' belongs in the [text] table"),
        (('= "fonts/I.ttf"', "= fonts/I.ttf"), "fonts.toml:5:10: malformed TOML: Invalid value"),
    ],
)
def test_each_error_names_the_line(tmp_path: Path, change: tuple[str, str], message: str) -> None:
    assert change[0] in GOOD
    assert error(styles(tmp_path, GOOD.replace(*change))) == message


def test_a_file_that_is_not_a_font_is_refused(tmp_path: Path) -> None:
    folder = styles(tmp_path)
    (folder / "fonts" / "I.ttf").write_bytes(b"<html>")
    assert error(folder) == "fonts.toml:5: 'italic': fonts/I.ttf is not a .ttf font file"


def test_a_styles_folder_without_fonts_toml_says_what_to_declare(tmp_path: Path) -> None:
    shutil.copy(STYLES / "epub.css", tmp_path)
    assert error(tmp_path).startswith("fonts.toml: the styles folder has no fonts.toml: declare")


def test_trims_by_name() -> None:
    assert TRIMS[DEFAULT].css == "6in 9in"
    assert [TRIMS[name].label for name in TRIMS] == ["6 × 9 in", "5.5 × 8.5 in", "5 × 8 in"]


def test_labels_are_english_without_a_catalogue_and_their_templates_fill() -> None:
    assert labels_for("en-GB") is labels_for("pt") is ENGLISH
    assert ENGLISH.notes_to_pages.format(span="12–15") == "Notes to pages 12–15"
    assert ENGLISH.set_in.format(family="EB Garamond") == "Set in EB Garamond."
    assert ENGLISH.back_to_reference.format(number=3, letter=" b") == "Back to reference 3 b"
