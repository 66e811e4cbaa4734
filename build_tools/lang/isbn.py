"""ISBNs: checked, converted to ISBN-13 and hyphenated by the International ISBN Agency's ranges.

The ranges (which group and which registrant a number belongs to, so where its hyphens go:
978-2-07-036822-8, 978-0-306-40615-7) are python-stdnum's copy of the agency's RangeMessage.
An ISBN-10 is accepted and becomes its ISBN-13 (978 and a new check digit): that is the number
printed on a book since 2007, and the conversion loses nothing.
"""

from __future__ import annotations

from stdnum import ean, isbn
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidLength, ValidationError


class IsbnError(ValueError):
    """Why a text is not an ISBN a book can carry; the message is for the author."""


def isbn13(text: str) -> str:
    """The ISBN-13 of ``text`` as 13 digits (hyphens and spaces allowed, an ISBN-10 converted).
    Raises ``IsbnError`` for a wrong check digit, a wrong length, or a number in no range the
    agency has allotted."""
    compact = isbn.compact(text)
    try:
        number = isbn.validate(compact, convert=True)
    except InvalidChecksum:
        body = compact[:-1]
        right = ean.calc_check_digit(body) if len(compact) == 13 else _isbn10_check_digit(body)
        raise IsbnError(
            f"its check digit is {compact[-1]} where the digits before it give {right} (a digit mistyped?)"
        ) from None
    except InvalidLength:
        raise IsbnError(f"an ISBN has 13 digits (or 10), not {len(compact)}") from None
    except InvalidComponent:
        raise IsbnError("an ISBN-13 starts with 978 or 979") from None
    except ValidationError:
        raise IsbnError("an ISBN is made of digits (an ISBN-10 may end in X)") from None
    _, group, registrant, _, _ = isbn.split(number)
    if not group or not registrant:
        # python-stdnum's tables are dated (stdnum/isbn.dat): a newly allotted range needs a newer one.
        raise IsbnError(
            f"{number} is in no range the International ISBN Agency has allotted (python-stdnum's "
            "tables): check the number, or update python-stdnum"
        )
    return number


def hyphenated(number: str) -> str:
    """An ISBN with its hyphens where the ranges put them: 978-2-07-036822-8."""
    return isbn.format(number, convert=True)


def _isbn10_check_digit(body: str) -> str:
    check = sum((i + 1) * int(d) for i, d in enumerate(body)) % 11
    return "X" if check == 10 else str(check)
