"""Dates in EDTF (ISO 8601-2, levels 0 and 1) as the chronology uses them, with their bounds.

Handles ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``, the qualifiers ``?`` ``~`` ``%``, unspecified
digits ``X`` (``192X``, ``1927-XX``) and intervals ``start/end``. The ``edtf`` package does the
same and more, but takes 0.18 s to import, longer than a whole EPUB build of a small book; the
tests check these bounds against it.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

_DATE = re.compile(r"^(?P<y>\d[\dX]{3})(?:-(?P<m>[\dX]{2})(?:-(?P<d>[\dX]{2}))?)?(?P<q>[?~%])?$")


class EdtfError(ValueError):
    """Not an EDTF date this toolchain understands."""


@dataclass(frozen=True)
class Edtf:
    """An EDTF string and the first and last day it can mean."""

    text: str
    lower: date
    upper: date

    @property
    def html_datetime(self) -> str:
        """The start as an HTML ``datetime`` value (a year, month or date), qualifiers dropped."""
        start = self.text.split("/")[0].rstrip("?~%")
        parts = start.split("-")
        if "X" in parts[0]:
            return f"{self.lower.year:04d}"
        kept = [parts[0]] + [p for p in parts[1:] if "X" not in p][: len(parts) - 1]
        return "-".join(kept)


def parse(text: str) -> Edtf:
    """Parse an EDTF date or interval; raise EdtfError with the reason."""
    text = text.strip()
    if "/" in text:
        start_text, _, end_text = text.partition("/")
        start, end = _single(start_text), _single(end_text)
        if end[1] < start[0]:
            raise EdtfError(f"interval {text!r} ends before it starts")
        return Edtf(text, start[0], end[1])
    lower, upper = _single(text)
    return Edtf(text, lower, upper)


def _single(text: str) -> tuple[date, date]:
    found = _DATE.match(text)
    if not found:
        raise EdtfError(f"{text!r} is not an EDTF date (YYYY, YYYY-MM or YYYY-MM-DD, optionally ~ ? X)")
    y, m, d = found["y"], found["m"], found["d"]
    year_low, year_high = int(y.replace("X", "0")), int(y.replace("X", "9"))
    if year_low == 0:  # 0000, 0XXX: the proleptic calendar of Python's dates starts at year 1
        raise EdtfError(f"{text!r}: the year 0 cannot be dated (the first year is 0001)")
    month_low, month_high = (1, 12) if m is None or m == "XX" else (_number(m, 12, text),) * 2
    if m is not None and "X" in m and m != "XX":
        raise EdtfError(f"{text!r}: a month is either two digits or XX")
    if d is None or d == "XX":
        day_low, day_high = 1, calendar.monthrange(year_high, month_high)[1]
    else:
        last = calendar.monthrange(year_low, month_low)[1]
        day_low = day_high = _number(d, last, text)
    return date(year_low, month_low, day_low), date(year_high, month_high, day_high)


def _number(digits: str, highest: int, text: str) -> int:
    if "X" in digits or not 1 <= int(digits) <= highest:
        raise EdtfError(f"{text!r} is not a real date")
    return int(digits)
