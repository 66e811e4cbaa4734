"""Chicago's inclusive numbers (CMOS 17, 9.64), the examples of the Manual; in full in the
other languages."""

import pytest

from build_tools.lang.numbers import page_range


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        (3, 10, "3–10"), (71, 72, "71–72"), (96, 117, "96–117"), (100, 104, "100–104"),
        (1100, 1113, "1100–1113"), (101, 108, "101–8"), (808, 833, "808–33"),
        (1103, 1104, "1103–4"), (321, 328, "321–28"), (498, 532, "498–532"),
        (1087, 1089, "1087–89"), (1496, 1500, "1496–500"), (11564, 11615, "11564–615"),
        (12991, 13001, "12991–3001"), (7, 7, "7"),
    ],
)  # fmt: skip
def test_page_range(first: int, last: int, expected: str) -> None:
    assert page_range(first, last, "en") == page_range(first, last, "en-GB") == expected


@pytest.mark.parametrize("language", ["fr", "de", "es", "it", "fr-CA", "pt"])
@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [(3, 10, "3–10"), (101, 108, "101–108"), (321, 328, "321–328"), (1496, 1500, "1496–1500"), (7, 7, "7")],
)
def test_other_languages_print_both_in_full(first: int, last: int, expected: str, language: str) -> None:
    assert page_range(first, last, language) == expected
