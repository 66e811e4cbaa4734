"""Loading book.toml and the text files: every bad input names its file and line."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import book_toml
from PIL import Image

from build_tools.errors import ManuscriptError
from build_tools.sources.manuscript import load

GOOD = book_toml(["one.md"])


def manuscript(tmp_path: Path, config: str = GOOD, text: bytes = b"# One\n\nText.\n") -> Path:
    (tmp_path / "book.toml").write_text(config, encoding="utf-8")
    (tmp_path / "one.md").write_bytes(text)
    return tmp_path


def message(root: Path) -> str:
    with pytest.raises(ManuscriptError) as caught:
        load(root)
    return caught.value.format_message()


def test_good_manuscript_loads(tmp_path: Path) -> None:
    loaded = load(manuscript(tmp_path))
    assert loaded.meta.author_sort == "B, A"
    assert loaded.meta.slug == "t"
    assert loaded.meta.trim.css == "6in 9in"
    assert [f.path.name for f in loaded.files] == ["one.md"]
    assert (loaded.meta.cover, loaded.meta.paper, loaded.meta.credits) == (None, "white", ())


def test_missing_field(tmp_path: Path) -> None:
    root = manuscript(tmp_path, GOOD.replace('publisher = "P"\n', ""))
    assert message(root) == f"{root / 'book.toml'}: missing metadata field 'publisher' in [book]"


def test_malformed_toml_gives_its_line(tmp_path: Path) -> None:
    root = manuscript(tmp_path, GOOD.replace('rights = "R"', "rights = R ="))
    assert message(root).startswith(f"{root / 'book.toml'}:7:10: malformed TOML")


def test_file_in_reading_order_missing(tmp_path: Path) -> None:
    root = manuscript(tmp_path, GOOD.replace('"one.md"', '"one.md", "two.md"'))
    assert message(root) == f"{root / 'book.toml'}:10: file in the reading order does not exist: two.md"


def test_file_outside_manuscript_refused(tmp_path: Path) -> None:
    root = manuscript(tmp_path, GOOD.replace('"one.md"', '"../x.md"'))
    assert "outside the manuscript folder" in message(root)


def test_empty_reading_order(tmp_path: Path) -> None:
    root = manuscript(tmp_path, GOOD.replace('["one.md"]', "[]"))
    assert "the manuscript is empty" in message(root)


def test_not_utf8_gives_byte_offset(tmp_path: Path) -> None:
    root = manuscript(tmp_path, text=b"# One\n\nCaf\xe9.\n")
    assert message(root) == (
        f"{root / 'one.md'}:3: not valid UTF-8: byte 0xe9 at byte offset 10; save the file as UTF-8"
    )


def test_control_character_refused(tmp_path: Path) -> None:
    root = manuscript(tmp_path, text=b"# One\n\nA\x07b.\n")
    assert message(root) == f"{root / 'one.md'}:3:2: control character U+0007 is not allowed in a book"


def test_bad_trim_and_isbn(tmp_path: Path) -> None:
    root = manuscript(tmp_path, GOOD.replace('rights = "R"', 'rights = "R"\ntrim = "A4"'))
    assert message(root) == f"{root / 'book.toml'}:8: unknown trim 'A4'; use one of 6x9in, 5.5x8.5in, 5x8in"
    bad_isbn = GOOD.replace('rights = "R"', 'rights = "R"\nisbn_print = "978-0-306-40615-8"')
    root = manuscript(tmp_path, bad_isbn)
    assert message(root) == (
        f"{root / 'book.toml'}:8: 'isbn_print' '978-0-306-40615-8' is not a valid ISBN: its check digit "
        "is 8 where the digits before it give 7 (a digit mistyped?)"
    )


@pytest.mark.parametrize(
    ("given", "stored"),
    [("978-2-07-036822-8", "9782070368228"), ("2-07-036822-X", "9782070368228"), ("", "")],
)
def test_isbn_print_kept_as_its_isbn_13(tmp_path: Path, given: str, stored: str) -> None:
    """Hyphens and spaces as the author likes; an ISBN-10 is taken as its ISBN-13."""
    config = GOOD.replace('rights = "R"', f'rights = "R"\nisbn_print = "{given}"')
    assert load(manuscript(tmp_path, config)).meta.isbn_print == stored


def test_isbn_in_no_allotted_range(tmp_path: Path) -> None:
    config = GOOD.replace('rights = "R"', 'rights = "R"\n\nisbn_print = "979-9-11-111111-8"')
    assert message(manuscript(tmp_path, config)).startswith(
        f"{tmp_path / 'book.toml'}:9: 'isbn_print' '979-9-11-111111-8' is not a valid ISBN: 9799111111118 "
        "is in no range the International ISBN Agency has allotted"
    )


def test_slug_of_a_title_keeps_its_letters(tmp_path: Path) -> None:
    config = GOOD.replace('title = "T"', 'title = "L\'Été de la révolution"')
    assert load(manuscript(tmp_path, config)).meta.slug == "l-ete-de-la-revolution"
    config = GOOD.replace('title = "T"', 'title = "孙中山传"')
    assert load(manuscript(tmp_path, config)).meta.slug == "孙中山传"


def _with(extra: str) -> str:
    return GOOD.replace('rights = "R"\n', f'rights = "R"\n{extra}')


def test_cover_paper_price_credits_and_ebook_isbn_are_read(tmp_path: Path) -> None:
    (tmp_path / "images").mkdir()
    # A real JPEG: the cover is read whole at load (a corrupt one is an error at its line).
    Image.new("RGB", (16, 24), (90, 30, 20)).save(tmp_path / "images" / "cover.jpg")
    config = _with(
        'cover = "images/cover.jpg"\npaper = "cream"\nprice = "USD 18.00"\n'
        'isbn_ebook = "978-2-07-036822-8"\ncredits = ["Cover design: C. D."]\n'
    )
    meta = load(manuscript(tmp_path, config)).meta
    assert meta.cover == (tmp_path / "images" / "cover.jpg").resolve() and meta.cover_front is None
    assert (meta.paper, meta.price, meta.isbn_ebook) == ("cream", "USD 18.00", "9782070368228")
    assert meta.credits == ("Cover design: C. D.",)


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ('paper = "glossy"\n', ":8: 'paper' must be one of white, cream, not 'glossy'"),
        (
            'cover = "images/none.jpg"\n',
            ":8: 'cover' file not found in the manuscript folder: images/none.jpg",
        ),
        ('cover = "../cover.jpg"\n', ":8: 'cover' file not found in the manuscript folder: ../cover.jpg"),
        ('cover = "one.md"\n', ":8: 'cover' must be a .jpg, .jpeg, .png file, not one.md"),
        ('credits = "Cover: X"\n', ":8: 'credits' must be a list of lines"),
        ('isbn_ebook = "978-2-07-036822-9"\n', ":8: 'isbn_ebook' '978-2-07-036822-9' is not a valid ISBN"),
    ],
)
def test_bad_cover_keys_are_errors_at_their_line(tmp_path: Path, extra: str, expected: str) -> None:
    root = manuscript(tmp_path, _with(extra))
    assert message(root).startswith(f"{root / 'book.toml'}{expected}")
