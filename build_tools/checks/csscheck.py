"""A stylesheet's own errors at its lines: bytes that are not UTF-8, nesting too deep, files it
names that are missing or not what they are used as, and rules WeasyPrint would ignore.

Each of these ended a build with no line (issue 17 finding 13): bytes not UTF-8 and a
print.css nested 3,000 deep were internal errors (a ``UnicodeDecodeError``, WeasyPrint's
``RecursionError``); a ``url()`` of a missing file was WeasyPrint's fetch error, naming the
file and not the rule; and what WeasyPrint ignores (an unknown property, an invalid value or
selector, a damaged picture or font) it only logs, so the rule was lost without a word.
print.css is read here by WeasyPrint's own parser, its warnings made errors at their lines;
epub.css, which reading systems apply and not WeasyPrint, is checked for its bytes and its
nesting only (its ``-epub-`` properties are WeasyPrint's "ignored" and the EPUB's own).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import tinycss2

from build_tools.design.fonts import MEDIA_TYPES, SIGNATURES
from build_tools.design.styles import css_urls
from build_tools.errors import BookError, Location

MAX_CSS_DEPTH = 32  # blocks and functions in one another: a real stylesheet nests a few
PICTURES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}
PICTURES |= {".gif": "image/gif", ".webp": "image/webp"}
_PAGE_OWN = re.compile(r"^(size|marks|bleed(-(top|right|bottom|left))?)$")
_GROUPS = ("media", "supports", "layer", "container")  # at-rules that hold rules
_AT = re.compile(r" at (\d+):(\d+)")
_SELECTOR = re.compile(r"^Invalid or unsupported selector, '(.*)'$", re.DOTALL)


_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def read_stylesheet(path: Path) -> str:
    """The text of the stylesheet at ``path``; a BookError at the first byte not UTF-8."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BookError(f"cannot read file: {exc.strerror}", Location(path)) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise BookError("not valid UTF-8: save the file as UTF-8", Location(path, line, column)) from None


def check_depth(css: str, path: Path) -> None:
    """A BookError at the block or function that opens the level past ``MAX_CSS_DEPTH``
    (tinycss2 reads any depth without recursion; WeasyPrint's validation recurses)."""
    pending: list[tuple[list[Any], int]] = [(tinycss2.parse_component_value_list(css), 0)]
    while pending:
        tokens, depth = pending.pop()
        for token in tokens:
            inner = getattr(token, "content", None) if token.type != "function" else token.arguments
            if inner is None:
                continue
            if depth + 1 > MAX_CSS_DEPTH:
                raise BookError(
                    f"blocks or functions nested more than {MAX_CSS_DEPTH} levels deep: close them "
                    "(a stylesheet nests a few)",
                    Location(path, token.source_line, token.source_column),
                )
            pending.append((list(inner), depth + 1))


def font_positions(css: str) -> frozenset[tuple[int, int]]:
    """Where (line, column) each ``url()`` of an ``@font-face`` rule is: a font, not a picture."""
    found: set[tuple[int, int]] = set()
    for rule in _rules(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)):
        if rule.type == "at-rule" and rule.lower_at_keyword == "font-face" and rule.content:
            pending = [list(rule.content)]
            while pending:
                for token in pending.pop():
                    if token.type == "url" or (token.type == "function" and token.lower_name == "url"):
                        found.add((token.source_line, token.source_column))
                    elif token.type == "function":
                        pending.append(list(token.arguments))
    return frozenset(found)


def target_problem(target: Path, url: str, font: bool, where: Location) -> str:
    """What is wrong with the file ``url`` names (``target``, inside the styles folder), used as
    a font or as a picture ('' when nothing); a picture is verified as the manuscript's are."""
    shown = url[:80]
    if not target.is_file():
        return f"url() {shown!r} names no file of the styles folder"
    suffix = target.suffix.lower()
    if font:
        if suffix not in MEDIA_TYPES:
            return f"url() {shown!r} in @font-face is not a font file ({', '.join(MEDIA_TYPES)})"
        return _font_problem(target, shown)
    if suffix == ".svg":
        from build_tools.parse.mdext.svgsafe import check_svg  # svgsafe reads styles' css_urls

        check_svg(target.read_bytes(), url, where)
        return ""
    if suffix not in PICTURES:
        return f"url() {shown!r} is not a picture (PNG, JPEG, GIF, WebP or SVG)"
    from build_tools.sources.pictures import verify_raster

    verify_raster(target, PICTURES[suffix], url, where)
    return ""


def check_page_rules(css: str, path: Path) -> None:
    """A BookError at an ``@page`` declaration of the page's size, bleed or marks: the trim is
    book.toml's, the bleed and marks the printer profile's (weasy.py's page rules); a print.css
    of its own would override them, and the PDF would no longer be the book's trim."""
    for rule in _rules(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)):
        if rule.type != "at-rule" or rule.lower_at_keyword != "page" or not rule.content:
            continue
        for item in tinycss2.parse_blocks_contents(rule.content, skip_comments=True, skip_whitespace=True):
            if item.type == "declaration" and _PAGE_OWN.match(item.lower_name):
                raise BookError(
                    f"@page may not set {item.lower_name}: the page's size is book.toml's trim, its "
                    "bleed and marks the printer profile's (--profile)",
                    Location(path, item.source_line, item.source_column),
                )


def _font_problem(target: Path, shown: str) -> str:
    """A font file's signature (read as fonts.toml's faces are: fontTools is not loaded here)."""
    with target.open("rb") as file:
        signature = file.read(4)
    if signature not in SIGNATURES[target.suffix.lower()]:
        return f"url() {shown!r} is not a {target.suffix.lower()} font file"
    return ""


def check_print_css(path: Path) -> None:
    """A BookError at the first rule WeasyPrint's parser ignores in the print stylesheet at
    ``path`` (its warnings: an unknown property, an invalid value or selector, an unknown
    at-rule), the stylesheets it imports each read alone. WeasyPrint is imported: call it where
    the PDF is laid out, after ``check_stylesheets`` (the text is UTF-8, nested within bounds)."""
    pending, seen = [path], set()
    while pending:
        sheet = pending.pop()
        if sheet.resolve() in seen:
            continue
        seen.add(sheet.resolve())
        css = read_stylesheet(sheet)
        for message, where in _ignored(css, sheet):
            raise BookError(f"WeasyPrint would ignore this rule: {message}", where)
        pending.extend(imports(css, sheet))


def imports(css: str, path: Path) -> list[Path]:
    """The files of the styles folder the stylesheet ``css`` at ``path`` imports."""
    found = (url for kind, url, _, _ in css_urls(css) if kind == "import")
    return [path.parent / unquote(url.split("#")[0].split("?")[0]) for url in found]


def _ignored(css: str, path: Path) -> Iterator[tuple[str, Location]]:
    """WeasyPrint's warnings on ``css`` and where each is; an ``@import`` is not followed."""
    from weasyprint import CSS
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class _Nothing(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: object = None) -> object:
            return URLFetcherResponse(url, b"", {"Content-Type": "text/css"})

    handler = _Caught(logging.WARNING)
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        CSS(string=css, base_url=path.resolve().as_uri(), url_fetcher=_Nothing())
    finally:
        logger.removeHandler(handler)
    for record in handler.records:
        message = record.getMessage()
        yield message, _where(message, css, path)


class _Caught(logging.Handler):
    """Keeps the records it is given."""

    def __init__(self, level: int) -> None:
        super().__init__(level)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def _where(message: str, css: str, path: Path) -> Location:
    """The line of a WeasyPrint warning: written in it, or the rule of the selector it names."""
    if found := _AT.search(message):
        return Location(path, int(found[1]), int(found[2]))
    if selector := _SELECTOR.match(message):
        rules = _rules(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True))
        for rule in rules:
            if rule.type == "qualified-rule" and tinycss2.serialize(rule.prelude) == selector[1]:
                return Location(path, rule.source_line, rule.source_column)
    return Location(path, 1)


def _rules(rules: list[Any]) -> Iterator[Any]:
    """Every rule of a stylesheet, those in ``@media`` and ``@supports`` blocks too."""
    pending = list(reversed(rules))
    while pending:
        rule = pending.pop()
        yield rule
        if rule.type == "at-rule" and rule.content and rule.lower_at_keyword in _GROUPS:
            inner = tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True)
            pending.extend(reversed(inner))


def check_stylesheets(folder: Path, names: tuple[str, ...] = ("epub.css", "print.css")) -> None:
    """A BookError at the line of the first problem of a stylesheet of ``folder``: bytes not
    UTF-8, nesting too deep, or a URL it may not load (any in epub.css; in print.css one with a
    scheme, ``http:``, ``data:``…, or outside the folder, or a file missing or not what it is
    used as: a font in ``@font-face``, else a picture verified as the manuscript's are). The
    stylesheets print.css imports are checked alike. Fragments (``url(#clip)``) name nothing
    outside the document."""
    root = folder.resolve()
    pending = [(folder / name, name) for name in reversed(names)]
    seen: set[Path] = set()
    while pending:
        path, name = pending.pop()
        if path.resolve() in seen or not path.is_file():
            continue
        seen.add(path.resolve())
        css = read_stylesheet(path)
        check_depth(css, path)
        fonts = font_positions(css)
        if name != "epub.css":
            check_page_rules(css, path)
        for kind, url, line, column in css_urls(css):
            where = Location(path, line, column)
            target = path.parent / unquote(url.split("#")[0].split("?")[0])
            problem = _url_problem(kind, url, name, root, target)
            if not problem and kind == "url" and not url.startswith("#"):
                problem = target_problem(target, url, (line, column) in fonts, where)
            if not problem and kind == "import":
                problem = (
                    "" if target.is_file() else f"@import {url[:80]!r} names no file of the styles folder"
                )
                pending.append((target, name))
            if problem:
                raise BookError(problem, where)


def _url_problem(kind: str, url: str, name: str, root: Path, target: Path) -> str:
    what = "@import" if kind == "import" else "url()"
    shown = url[:80]
    if url.startswith("#") and kind == "url":
        return ""
    if name == "epub.css":
        return (
            f"epub.css may not load anything ({what} {shown!r}): the EPUB carries this stylesheet "
            "alone; give fonts in fonts.toml and put every rule in epub.css"
        )
    if not url.strip() or url.startswith("//") or _SCHEME.match(url):
        return f"{name} may load only files of the styles folder, not {what} {shown!r}"
    if not target.resolve().is_relative_to(root):
        return f"{name}: {what} {shown!r} is outside the styles folder"
    return ""
