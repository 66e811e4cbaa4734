"""The back cover's barcode: the EAN-13 of the print ISBN, and its EAN-5 price add-on, as SVG.

Drawn here from the encoding (GS1 General Specifications §5.2; the add-on as the ISBN
agencies' Bookland convention has it) rather than by a library: it is a few tables, exact to
the module, and comes out as vector rectangles WeasyPrint draws in the PDF as they are. A
module is 0.33 mm at 100 %; the symbol is scaled down to fit the printer's barcode area, never
below the 80 % GS1 allows.
"""

from __future__ import annotations

from html import escape

from build_tools.lang.isbn import hyphenated

# The seven-module patterns of each digit: L (odd parity), G (even parity), R (right half).
L_CODES: tuple[str, ...] = ("0001101", "0011001", "0010011", "0111101", "0100011", "0110001", "0101111")
L_CODES += ("0111011", "0110111", "0001011")
G_CODES = tuple(code[::-1].translate(str.maketrans("01", "10")) for code in L_CODES)
R_CODES = tuple(code.translate(str.maketrans("01", "10")) for code in L_CODES)
# EAN-13: the first digit is the parity pattern of the next six (L or G).
FIRST_DIGIT: tuple[str, ...] = ("LLLLLL", "LLGLGG", "LLGGLG", "LLGGGL", "LGLLGG", "LGGLLG", "LGGGLL")
FIRST_DIGIT += ("LGLGLG", "LGLGGL", "LGGLGL")
# EAN-5: the pattern is chosen by the add-on's checksum (3 × odd places + 9 × even, mod 10).
ADDON_PARITY = ("GGLLL", "GLGLL", "GLLGL", "GLLLG", "LGGLL", "LLGGL", "LLLGG", "LGLGL", "LGLLG", "LLGLG")
START, MIDDLE, END = "101", "01010", "101"
ADDON_START, ADDON_SEPARATOR = "1011", "01"
ADDON_GAP = 9  # modules between the symbol and its add-on (GS1: 7 to 12)
QUIET_LEFT, QUIET_RIGHT = 11, 7  # light margins, in modules
MODULE_MM = 0.33  # at 100 %
MIN_SCALE = 0.8


def _digit(code: str, parity: str) -> str:
    index = int(code)
    return {"L": L_CODES, "G": G_CODES, "R": R_CODES}[parity][index]


def ean13_modules(digits: str) -> str:
    """The 95 modules of an EAN-13 ("1" dark, "0" light), guards included."""
    assert len(digits) == 13 and digits.isdigit(), digits
    parity = FIRST_DIGIT[int(digits[0])]
    left = "".join(_digit(d, p) for d, p in zip(digits[1:7], parity, strict=True))
    right = "".join(_digit(d, "R") for d in digits[7:])
    return START + left + MIDDLE + right + END


def addon_checksum(digits: str) -> int:
    return (3 * sum(int(d) for d in digits[0::2]) + 9 * sum(int(d) for d in digits[1::2])) % 10


def ean5_modules(digits: str) -> str:
    """The 47 modules of an EAN-5 add-on."""
    assert len(digits) == 5 and digits.isdigit(), digits
    parity = ADDON_PARITY[addon_checksum(digits)]
    return ADDON_START + ADDON_SEPARATOR.join(_digit(d, p) for d, p in zip(digits, parity, strict=True))


def _bars(modules: str, x0: int) -> list[tuple[int, int]]:
    """The dark runs of ``modules`` as (first module, width), from module ``x0``."""
    runs, start = [], None
    for i, module in enumerate(modules + "0"):
        if module == "1" and start is None:
            start = i
        elif module == "0" and start is not None:
            runs.append((x0 + start, i - start))
            start = None
    return runs


def barcode_svg(isbn: str, addon: str, area: tuple[float, float], family: str) -> tuple[str, float]:
    """An SVG (sized in inches) of the ISBN's EAN-13 and its add-on on a white ground that fills
    ``area`` (width, height in inches), the ISBN printed above and the digits below, in
    ``family``; and the scale of the symbol (1.0 is 100 %). ValueError when the area is too
    small for 80 %."""
    main = ean13_modules(isbn)
    extra = ean5_modules(addon) if addon else ""
    total = QUIET_LEFT + len(main) + (ADDON_GAP + len(extra) if extra else 0) + QUIET_RIGHT
    width, height = area
    module_in = min(MODULE_MM / 25.4, width / total)
    scale = module_in / (MODULE_MM / 25.4)
    if scale < MIN_SCALE:
        raise ValueError(f"a barcode area of {width} in is too narrow for an EAN-13 at 80 %")
    bars = _bars(main, QUIET_LEFT)
    if extra:
        bars += _bars(extra, QUIET_LEFT + len(main) + ADDON_GAP)
    units_w, units_h = width / module_in, height / module_in  # the drawing in modules
    text = 9.0  # modules: the digits' size
    top, bar_h = text + 2, units_h - 2 * text - 4
    rects = [
        f'<rect x="{x}" y="{top + (text if x >= QUIET_LEFT + len(main) else 0)}" width="{w}" '
        f'height="{bar_h - (text if x >= QUIET_LEFT + len(main) else 0)}"/>'
        for x, w in bars
    ]
    e = escape
    font = f'font-family="{e(family)}" font-size="{text}" text-anchor="middle"'
    hyphened = f"ISBN {hyphenated(isbn)}"
    labels = [
        f'<text x="{QUIET_LEFT + len(main) / 2}" y="{text}" {font}>{e(hyphened)}</text>',
        f'<text x="{QUIET_LEFT + len(main) / 2}" y="{top + bar_h + text}" {font} '
        f'letter-spacing="2">{isbn}</text>',
    ]
    if extra:
        middle = QUIET_LEFT + len(main) + ADDON_GAP + len(extra) / 2
        labels.append(f'<text x="{middle}" y="{top + text - 1}" {font}>{addon}</text>')
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}in" height="{height}in" '
        f'viewBox="0 0 {units_w:.4f} {units_h:.4f}" class="barcode">'
        f'<rect width="{units_w:.4f}" height="{units_h:.4f}" fill="#fff"/>'
        f'<g fill="#000">{"".join(rects)}{"".join(labels)}</g></svg>'
    )
    return svg, scale
