"""ISBNs: checked, an ISBN-10 converted, and hyphenated by the ISBN ranges (lang/isbn.py) as the
copyright page prints them."""

from __future__ import annotations

import re

import pytest

from build_tools.lang.frontmatter import format_isbn
from build_tools.lang.isbn import IsbnError, isbn13


@pytest.mark.parametrize(
    ("given", "digits", "printed"),
    [
        ("978-2-07-036822-8", "9782070368228", "978-2-07-036822-8"),
        ("9782070368228", "9782070368228", "978-2-07-036822-8"),
        ("978 0 306 40615 7", "9780306406157", "978-0-306-40615-7"),
        ("979-10-90636-07-1", "9791090636071", "979-10-90636-07-1"),
        ("0-306-40615-2", "9780306406157", "978-0-306-40615-7"),  # an ISBN-10 becomes its ISBN-13
        ("2-07-036822-x", "9782070368228", "978-2-07-036822-8"),
    ],
)
def test_isbn_checked_and_hyphenated_by_the_ranges(given: str, digits: str, printed: str) -> None:
    assert isbn13(given) == digits
    assert format_isbn(digits) == printed


@pytest.mark.parametrize(
    ("given", "problem"),
    [
        ("978-2-07-036822-9", "its check digit is 9 where the digits before it give 8"),
        ("2-07-036822-1", "its check digit is 1 where the digits before it give X"),
        ("978-2-07-03682", "an ISBN has 13 digits (or 10), not 11"),
        ("977-2-07-036822-9", "an ISBN-13 starts with 978 or 979"),
        ("978-2-07-O36822-8", "an ISBN is made of digits"),
        ("979-9-11-111111-8", "in no range the International ISBN Agency has allotted"),
    ],
)
def test_bad_isbn(given: str, problem: str) -> None:
    with pytest.raises(IsbnError, match=re.escape(problem)):
        isbn13(given)
