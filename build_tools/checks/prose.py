"""The author's prose in a Markdown file, and the typography checks of ``book check``.

``mask`` keeps every line at its length and column but blanks what is not prose: code spans
and fenced code, editorial queries (CriticMarkup), note references, anchors and index marks,
span attributes and verse fences, the pipes of table rows, link and image destinations, URLs
and raw HTML become ``\\x01`` (a character no check reads as a word, a space or punctuation);
list, quotation and heading marks at the start of a line become spaces; code fences, rules,
table delimiter rows and link definitions become empty lines. The checks then
read the masked text, one line or one paragraph at a time, and report ``Hit``s: a code, the
place, the text found and what is wrong with it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, replace

from build_tools.lang.typography import ENGLISH, Typography, curl, typography
from build_tools.parse.mdext.queries import QUERY

MASK = "\x01"


@dataclass(frozen=True)
class Hit:
    """One thing a check found: ``line`` and ``column`` are 1-based."""

    code: str
    line: int
    column: int
    text: str
    detail: str


_FENCE = re.compile(r"^\s*(```|~~~)")
_RULE = re.compile(r"^\s{0,3}(?:([-*_])(?:\s*\1){2,}|=+|-+)\s*$")
_LINK_DEFINITION = re.compile(r"^\s{0,3}\[[^\]^][^\]]*\]:\s")
_PREFIX = re.compile(  # block quote, list, heading and note marks at the start of a line
    r"^(?:[ \t]*(?:>|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t])|#{1,6}(?=[ \t]|$)"
    r"|\[\^[^\[\]\s]+\]:))*[ \t]*"
)
_INLINE = re.compile(
    "|".join(
        (
            r"<(?:https?|ftp|mailto):[^<>\s]*>",  # autolinks
            r"</?[A-Za-z][^<>]*>",  # raw HTML (printed as text, warned by the build)
            r"\[\^[^\[\]\s]+\]",  # note references
            r"\{[#@][^{}\s]*\}",  # anchors, index ranges, the id of [text]{@id}
            r"(?<=\])\{[^{}\n]*\}",  # the attributes of [text]{.smallcaps lang=fr}
            r"^\s*:::.*$",  # the fences of a verse
            r"\]\([^()\s]*(?:\([^()\s]*\)[^()\s]*)*(?:\s+\"[^\"]*\")?\)",  # link destinations
            r"\]\[[^\[\]]*\]",  # reference-style links
            r"\b(?:https?://|www\.)[^\s<>]*[^\s<>.,;:!?)\]’”]",  # bare URLs
        )
    )
)
_TABLE_ROW = re.compile(r"^\s{0,3}\|.*\|\s*$")
_TABLE_RULE = re.compile(r"^\s{0,3}\|?(?:\s*:?-+:?\s*\|)+\s*(?::?-+:?\s*)?$")
_CELL_EDGE = re.compile(r"[ \t]*(?<!\\)\|[ \t]*")
_SUPPRESSED = re.compile(r"\{!([^{}\n]+)\}")
_TICKS = re.compile(r"`+")


def mask(text: str) -> list[str]:
    """The lines of ``text`` with everything that is not the author's prose blanked."""
    lines, fenced = [], False
    for line in text.split("\n"):
        if _FENCE.match(line):
            fenced = not fenced
            lines.append("")
        elif fenced or _RULE.match(line) or _LINK_DEFINITION.match(line) or _TABLE_RULE.match(line):
            lines.append("")
        elif _TABLE_ROW.match(line):  # a table's cells: their pipes and padding are not prose
            lines.append(_CELL_EDGE.sub(lambda m: MASK * len(m[0]), _mask_line(line)))
        else:
            lines.append(_mask_line(line))
    return lines


def _mask_line(line: str) -> str:
    chars = list(line)

    def blank(start: int, end: int, fill: str = MASK) -> None:
        chars[start:end] = fill * (end - start)

    prefix = _PREFIX.match(line)
    if prefix:
        blank(0, prefix.end(), " ")
    for start, end in _code_spans(line):
        blank(start, end)
    masked = "".join(chars)
    for found in QUERY.finditer(masked):
        blank(found.start(), found.end())
    for found in _INLINE.finditer("".join(chars)):
        # The bracket of "](url)" and "][ref]" is prose punctuation: keep it.
        start = found.start() + 1 if found[0].startswith(("](", "][")) else found.start()
        blank(start, found.end())
    for found in _SUPPRESSED.finditer("".join(chars)):  # {!text}: the text is prose
        blank(found.start(), found.start(1))
        blank(found.end(1), found.end())
    return "".join(chars)


def _code_spans(line: str) -> list[tuple[int, int]]:
    """Code spans: a run of backticks to the next run of the same length (linear time)."""
    runs = [(m.start(), m.end()) for m in _TICKS.finditer(line)]
    following: dict[int, int] = {}
    later: dict[int, int] = {}
    for index in range(len(runs) - 1, -1, -1):
        length = runs[index][1] - runs[index][0]
        if length in later:
            following[index] = later[length]
        later[length] = index
    spans, index = [], 0
    while index < len(runs):
        if index in following:
            spans.append((runs[index][0], runs[following[index]][1]))
            index = following[index] + 1
        else:
            index += 1
    return spans


@dataclass(frozen=True)
class Paragraph:
    """Consecutive lines of masked text, joined by newlines, with the line each starts at."""

    text: str
    first_line: int  # 1-based
    starts: tuple[int, ...]  # offset in ``text`` of each line
    quote: int = 0  # the block quotation it belongs to, numbered from 1; 0 outside quotations

    def where(self, offset: int) -> tuple[int, int]:
        """The line and column of an offset in ``text``."""
        index = bisect_right(self.starts, offset) - 1
        return self.first_line + index, offset - self.starts[index] + 1


_NEW_BLOCK = re.compile(r"^\s{0,3}(?:#|[-*+]\s|\d{1,9}[.)]\s|\[\^[^\[\]\s]+\]:)")


def paragraphs(original: list[str], masked: list[str]) -> Iterator[Paragraph]:
    """Paragraphs: runs of lines between blank lines; a heading, list item or note starts one."""
    run: list[str] = []
    first = quote = 0
    quotes, in_quote = 0, False
    for number, (line, text) in enumerate(zip([*original, ""], [*masked, ""], strict=True)):
        blank = not line.strip(" \t>") or not text.strip()
        if run and (blank or _NEW_BLOCK.match(line.lstrip(" >")) or line.lstrip().startswith("#")):
            yield _paragraph(run, first, quote)
            run = []
        quoted = line.lstrip(" ").startswith(">")
        if not quoted and (not line.strip() or not blank):
            in_quote = False  # an empty line or an unquoted one ends a block quotation
        if not blank:
            if not run:
                if quoted and not in_quote:
                    quotes, in_quote = quotes + 1, True
                first, quote = number + 1, quotes if quoted else 0
            run.append(text)


def _paragraph(lines: list[str], first: int, quote: int) -> Paragraph:
    starts, offset = [], 0
    for line in lines:
        starts.append(offset)
        offset += len(line) + 1
    return Paragraph("\n".join(lines), first, tuple(starts), quote)


# ---------------------------------------------------------------- checks of one line

_NOT_SPACE = r"[^\s\x01]"
# Straight quotes are a warning only in a language whose quotation marks the build does not
# know; elsewhere the build sets them (``lang/typography.py``).
_STRAIGHT_CHECKS: tuple[tuple[str, re.Pattern[str], str], ...] = (
    ("straight-quote", re.compile(r"\""), "a straight quotation mark: type the language's own"),
    ("straight-quote", re.compile(r"'"), "a straight apostrophe or quotation mark: type ’ (or the quotes)"),
)
# A space before punctuation, in a language that sets none; French sets its own before ; : ! ?
# (and replaces the one typed), so only , and . are asked about there.
_SPACE_BEFORE = re.compile(rf"(?<={_NOT_SPACE})[ \t]+[,;:.!?](?![\d.])")
_SPACE_BEFORE_FRENCH = re.compile(rf"(?<={_NOT_SPACE})[ \t]+[,.](?![\d.])")
_LINE_CHECKS: tuple[tuple[str, re.Pattern[str], str], ...] = (
    (
        "double-space",
        re.compile(rf"(?<={_NOT_SPACE})[ \t]{{2,}}(?={_NOT_SPACE})"),
        "two spaces between words: use one",
    ),
    (
        "hyphen-as-dash",
        re.compile(rf"(?<={_NOT_SPACE}) - (?={_NOT_SPACE})"),
        "a spaced hyphen: use a dash (— in this house style)",
    ),
    (
        "hyphen-as-dash",
        re.compile(r"(?<![-\x01])-{2,3}(?![-\x01])"),
        "a typed dash: use — (or – for a range)",
    ),
    (
        "hyphen-as-dash",
        re.compile(r"(?<![\w\-–/.])(?:1[0-9]|20)\d\d-\d\d(?:\d\d)?(?![\w\-–/])"),
        "a hyphen in a range of years: use an en dash (1917–21)",
    ),
    (
        "doubled-full-stop",
        re.compile(r"(?<![.…])\.\.(?![.…])"),
        "two full stops: one is enough (an ellipsis is …)",
    ),
    (
        "placeholder",
        re.compile(
            r"(?<![\w?])\d{3}\?|(?<![\w?])\d\d\?\?|\bTK\b|\bTKTK\b|\bXXX+\b"
            r"|\b(?:TODO|FIXME)\b|\?{3,}"
        ),
        "a placeholder left in the text: supply the fact, or make it an editorial query",
    ),
    (
        "placeholder",
        re.compile(r"(?<![\w.])XX(?![\w])(?!\s+[A-Z]|\s+century)"),
        "a placeholder left in the text: supply the fact, or make it an editorial query",
    ),
)


def _checks_for(style: Typography) -> tuple[tuple[str, re.Pattern[str], str], ...]:
    space = (
        "space-before-punctuation",
        _SPACE_BEFORE_FRENCH if style.spaced else _SPACE_BEFORE,
        "a space before punctuation: remove it",
    )
    straight = _STRAIGHT_CHECKS if style.double is None else ()
    return (*straight, space, *_LINE_CHECKS)


def line_checks(number: int, original: str, masked: str, style: Typography = ENGLISH) -> Iterator[Hit]:
    for code, pattern, detail in _checks_for(style):
        for found in pattern.finditer(masked):
            if code == "placeholder" and found[0] == "XX" and _roman_context(masked, found.start()):
                continue
            text = _around(original, found.start(), found.end()) if code in _WORDY else found[0]
            yield Hit(code, number, found.start() + 1, text, detail)


_WORDY = {"straight-quote", "double-space", "space-before-punctuation", "hyphen-as-dash"}


def _around(line: str, start: int, end: int) -> str:
    """The match widened to the words it touches, as the author wrote them."""
    while start > 0 and not line[start - 1].isspace():
        start -= 1
    while end < len(line) and not line[end].isspace():
        end += 1
    return line[start:end].strip()


def _roman_context(line: str, start: int) -> bool:
    """ "XX" after a capitalized word ("Pius XX", "Congress XX") is a numeral."""
    before = line[:start].split()
    return bool(before) and before[-1][:1].isupper()


# ---------------------------------------------------------------- checks of one paragraph

_REPEATED = re.compile(r"(?<![\w’'\-])([^\W\d_]+)([ \t\n*_]+)(\1)(?![\w’'\-])", re.IGNORECASE)
# Doubled in good English: "he had had enough", "the fact that that shows".
_DOUBLES_ALLOWED = {"had", "that"}
_PAIRS = {"“": "”", "(": ")", "[": "]"}
_CLOSING = {close: opening for opening, close in _PAIRS.items()}


def repeated_words(paragraph: Paragraph) -> Iterator[Hit]:
    for found in _REPEATED.finditer(paragraph.text):
        if found[1].casefold() in _DOUBLES_ALLOWED:
            continue
        line, column = paragraph.where(found.start())
        yield Hit("repeated-word", line, column, f"{found[1]} {found[3]}", "a word repeated by mistake?")


def brackets(paragraph: Paragraph) -> Iterator[Hit]:
    """( ) and [ ] pair up within a paragraph."""
    opened: dict[str, list[int]] = {"(": [], "[": []}
    for offset, char in enumerate(paragraph.text):
        if char in opened:
            opened[char].append(offset)
        elif char in _CLOSING and _CLOSING[char] != "“":
            if opened[_CLOSING[char]]:
                opened[_CLOSING[char]].pop()
            else:
                yield _unbalanced(paragraph, offset, f"a closing {char} without its {_CLOSING[char]}")
    for opening, offsets in opened.items():
        for offset in offsets:
            yield _unbalanced(
                paragraph, offset, f"an opening {opening} never closed by {_PAIRS[opening]} in its paragraph"
            )


def quotes(found: list[Paragraph], pair: tuple[str, str] = ("“", "”")) -> Iterator[Hit]:
    """The quotation marks of ``pair`` pair up within a paragraph, within a block quotation,
    and across paragraphs of one quotation that each open with the opening mark and only the
    last one closes (Chicago 13.30)."""
    opening, closing = pair
    opened: list[tuple[Paragraph, int]] = []
    for index, paragraph in enumerate(found):
        text = paragraph.text
        start = 0
        if len(opened) == 1 and text.lstrip(" \x01").startswith(opening):
            start = text.index(opening) + 1  # the quotation goes on
        for offset in range(start, len(text)):
            if text[offset] == opening:
                opened.append((paragraph, offset))
            elif text[offset] == closing:
                if opened:
                    opened.pop()
                else:
                    yield _unbalanced(paragraph, offset, f"a closing {closing} without its {opening}")
        following = found[index + 1] if index + 1 < len(found) else None
        if following is None or not (
            (paragraph.quote and following.quote == paragraph.quote)
            or (len(opened) == 1 and following.text.lstrip(" \x01").startswith(opening))
        ):
            for where, offset in opened:
                yield _unbalanced(where, offset, f"an opening {opening} never closed by {closing}")
            opened = []


def _unbalanced(paragraph: Paragraph, offset: int, detail: str) -> Hit:
    line, column = paragraph.where(offset)
    code = "unbalanced-brackets" if paragraph.text[offset] in "()[]" else "unbalanced-quotes"
    text = paragraph.text[max(0, offset - 20) : offset + 21].replace("\n", " ").replace(MASK, "")
    return Hit(code, line, column, text.strip(), detail)


def check_text(text: str, language: str = "en") -> Iterator[Hit]:
    """Every typography hit in the Markdown ``text``, by the rules of ``language``: its quotes
    are read as the build sets them (straight ones made curly, ``lang/typography.py``)."""
    style = typography(language)
    original = text.split("\n")
    masked = mask(text)
    for number, (line, masked_line) in enumerate(zip(original, masked, strict=True), 1):
        yield from line_checks(number, line, masked_line, style)
    found = [_curled(paragraph, style) for paragraph in paragraphs(original, masked)]
    for paragraph in found:
        yield from repeated_words(paragraph)
        yield from brackets(paragraph)
    for pair in style.pairs[:1]:  # single quotes and apostrophes are one mark: only the double pair
        yield from quotes(found, pair)


def _curled(paragraph: Paragraph, style: Typography) -> Paragraph:
    return replace(paragraph, text=curl(paragraph.text, lambda _: style, transparent="*_"))
