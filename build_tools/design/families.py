"""The fallback faces in a stylesheet's font lists: wherever a ``font-family`` or ``font``
declaration names the text family, the fallbacks a book uses are put right after it, so that
the stylesheets name the text face only and ``fonts.toml`` is the one list of faces.

WeasyPrint (Pango) and reading systems choose a face for each character along the font list,
in order: "EB Garamond", "Noto Serif CJK SC", serif sets 孙 in Noto Serif CJK SC. (A face
declared under the text family's own name is never chosen for what the text face lacks, with
or without ``unicode-range``: tried with WeasyPrint 70.) A stylesheet without fallbacks to add
is returned as it is.

The stylesheet is read as CSS tokens only as far as this needs (comments, strings, blocks and
declarations, CSS Syntax 3 §4), ``@font-face`` rules are left alone, and every other byte is
written back unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# Comments, strings (an unclosed one runs to the end), words, blocks' brackets, anything else.
_TOKEN = re.compile(r"""/\*.*?(?:\*/|\Z)|"(?:[^"\\]|\\.)*"?|'(?:[^'\\]|\\.)*'?|@?[-\w]+|\s+|.""", re.S)
_WORD = re.compile(r"-?[A-Za-z_][-\w]*")
_PROPERTIES = ("font-family", "font")


def with_fallbacks(css: str, family: str, fallbacks: Sequence[str]) -> str:
    """``css`` with ``fallbacks`` after ``family`` in every font list that names it."""
    if not fallbacks:
        return css
    tokens = _TOKEN.findall(css)
    out: list[str] = []
    depth, skipped, start, index = 0, -1, True, 0  # skipped: the depth of an @font-face block
    while index < len(tokens):
        token = tokens[index]
        out.append(token)
        index += 1
        if _insignificant(token):
            continue
        if token.lower() == "@font-face":
            skipped = depth
        elif token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
            skipped = -1 if depth <= skipped else skipped
        elif start and skipped < 0 and token.lower() in _PROPERTIES and _next(tokens, index) == ":":
            end = _value_end(tokens, index)
            out += _insert(tokens[index:end], family, fallbacks)
            index = end
        start = token in ("{", "}", ";")
    return "".join(out)


def _insignificant(token: str) -> bool:
    return token.isspace() or token.startswith("/*")


def _next(tokens: list[str], index: int) -> str:
    return next((t for t in tokens[index:] if not _insignificant(t)), "")


def _value_end(tokens: list[str], index: int) -> int:
    """The index of the ``;`` or ``}`` that ends the declaration whose name ends at ``index``."""
    depth = 0
    for position in range(index, len(tokens)):
        token = tokens[position]
        if token in ("(", "["):
            depth += 1
        elif token in (")", "]"):
            depth -= 1
        elif depth <= 0 and token in (";", "}", "!"):
            return position
    return len(tokens)


def _insert(value: list[str], family: str, fallbacks: Sequence[str]) -> list[str]:
    """The tokens of one declaration's ``: value``, the fallbacks after the first item of its
    font list that is ``family`` (quoted, or as words; in a ``font`` shorthand, after the size)."""
    named = {_unquoted(t).casefold() for t in value if t[:1] in "\"'"}
    added = [name for name in fallbacks if name.casefold() not in named]
    words = family.casefold().split()
    item: list[int] = []  # the positions of the significant tokens of the current item
    for position, token in enumerate([*value, ","]):
        if token != ",":
            if not _insignificant(token) and token != ":":
                item.append(position)
            continue
        last = [value[p] for p in item]
        quoted = bool(last) and last[-1][:1] in "\"'"
        quoted = quoted and _unquoted(last[-1]).casefold() == family.casefold()
        tail = [t.casefold() for t in last[-len(words) :]]
        bare = (
            tail == words
            and all(_WORD.fullmatch(t) for t in tail)
            and (len(last) == len(words) or not _WORD.fullmatch(last[-len(words) - 1]))
        )
        if added and (quoted or bare):
            at = item[-1] + 1
            return [*value[:at], *(f', "{name}"' for name in added), *value[at:]]
        item = []
    return value


def _unquoted(token: str) -> str:
    """A CSS string's value: its quotes and escapes removed."""
    closed = len(token) > 1 and token[-1] == token[0]
    return re.sub(r"\\(.)", r"\1", token[1:-1] if closed else token[1:])
