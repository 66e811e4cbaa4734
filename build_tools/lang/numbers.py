"""Page numbers and ranges: abbreviated as Chicago writes them in English (CMOS 17, 9.64:
inclusive numbers), in full in the other languages."""

from __future__ import annotations

from build_tools.lang.labels import primary


def page_range(first: int, last: int, language: str) -> str:
    """``first``–``last``; in English (``language`` a BCP 47 tag) the second number abbreviated:
    3–10, 100–104, 101–8, 321–28; in every other language both in full: 101–108."""
    if last <= first:
        return str(first)
    if primary(language) != "en" or first < 100 or first % 100 == 0 or len(str(last)) > len(str(first)):
        return f"{first}\u2013{last}"
    a, b = str(first), str(last)
    same = 0
    while same < len(a) and a[same] == b[same]:
        same += 1
    changed = b[same:]
    if first % 100 < 10:  # 101–8, 808–33: the changed part only
        return f"{first}\u2013{changed}"
    keep = max(2, len(changed))  # 321–28, 498–532, 1496–500: at least two digits
    return f"{first}\u2013{b[-keep:]}"


def roman(number: int) -> str:
    """Lower-case roman numerals, as front matter is numbered."""
    values = (
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    )
    text = ""
    for value, letters in values:
        while number >= value:
            text += letters
            number -= value
    return text
