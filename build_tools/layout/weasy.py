"""WeasyPrint set up for a book: the page size and margins, the fonts, the styles, the
hyphenation, and a URL fetcher that reads nothing outside the project and serves the pictures
in their print-safe form (``images.py``). Importing this module imports WeasyPrint.

Hyphenation by locale (issue 13 item 3): WeasyPrint 70 finds its patterns through the module
``pyphen`` that ``weasyprint.text.line_break`` imported, in ``split_first_line``:
``pyphen.language_fallback(style['lang'])`` names the patterns (``"en"`` falls back to en_GB,
the first English pyphen has), ``pyphen.Pyphen(lang=…, left=…, right=…)`` loads them once per
layout, and ``dictionary.iterate(next_word)`` gives the places a word may be broken. During a
render of ours, and only then, that module attribute is replaced (``_hyphenation``): ``en``
alone is American English (en_US; ``en-GB`` and every other language keep their own), and the
words of the names file yield no place at all, so that a name is never broken, with no element
around its mentions (elements cost the layout 40 %: ``html.py``). ``tests/test_hyphenation.py``
pins what this relies on.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from weasyprint import CSS, HTML, Document
from weasyprint.text import line_break
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from build_tools.design.fonts import FontSet
from build_tools.design.profiles import Profile
from build_tools.errors import BookError
from build_tools.layout.compose import RESPACE_CSS
from build_tools.layout.gcpolicy import layout_collection
from build_tools.layout.images import PrintImages
from build_tools.layout.keeps import KEEP_CSS
from build_tools.layout.textattrs import install as no_leaked_features
from build_tools.layout.trialpool import TrialPool
from build_tools.layout.trials import Memo, TrialStore
from build_tools.layout.xrefs import written_in_css
from build_tools.model import Book

no_leaked_features()  # before any layout: WeasyPrint 70 leaks a list per layout with font features


class Renderer:
    """Lays out HTML documents of one book with its styles, fonts and printer's page: ``fonts``
    the faces that set its characters (``coverage.used_fonts``), the fallbacks in print.css's
    font lists after the text family; ``extra_css`` after the book's styles (a proof's)."""

    def __init__(
        self, book: Book, styles: Path, profile: Profile, fonts: FontSet, extra_css: str = ""
    ) -> None:
        self.book, self.styles, self.profile = book, styles.resolve(), profile
        self.font_css = fonts.css(lambda face: face.path.resolve().as_uri())
        # The keeps after the book's styles: a word kept whole across a page turn (keeps.py),
        # a paragraph tightened (compose.py).
        book_css = fonts.listed((self.styles / "print.css").read_text(encoding="utf-8"))
        # The pages written in for a division laid out apart (parts.py), as the book prints them.
        self.print_css = book_css + written_in_css(book_css) + KEEP_CSS + RESPACE_CSS + extra_css
        self.fonts = FontConfiguration()
        roots = (self.styles, book.root.resolve())
        # The pictures as the printer's interior takes them (images.py), made once per layout.
        self.images = PrintImages(book, profile, _ProjectFetcher(roots), book.meta.trim.width)
        self.fetcher = _ProjectFetcher(roots, self.images)
        self.unbroken = unbroken_words(book)
        self.trials: TrialStore = Memo()  # the settings of the paragraphs' trials (trials.py)
        self.pool: TrialPool | None = None  # processes that lay out trials too (trialpool.py)

    def signature(self, inside: float) -> str:
        """What every layout of this renderer with the gutter ``inside`` depends on besides
        its HTML: the page, the fonts, the styles (their text), the words never broken."""
        digest = hashlib.sha256()
        for text in (_page_css(self.book, inside), self.profile.page_css(), self.font_css, self.print_css):
            digest.update(text.encode() + b"\0")
        digest.update("\n".join(sorted(self.unbroken)).encode())
        return digest.hexdigest()

    @layout_collection()  # no automatic collection during a layout (gcpolicy.py)
    def render(self, html_text: str, inside: float, extra: str = "") -> Document:
        """Lay out ``html_text`` with the gutter ``inside`` (inches) and ``extra`` CSS."""
        fonts, fetcher = self.fonts, self.fetcher
        try:
            html = HTML(string=html_text, base_url=self.styles.as_uri() + "/", url_fetcher=fetcher)
            stylesheets = [
                CSS(
                    string=_page_css(self.book, inside)
                    + self.profile.page_css()
                    + self.font_css
                    + self.images.css(),
                    font_config=fonts,
                    url_fetcher=fetcher,
                ),
                CSS(
                    string=self.print_css,
                    base_url=(self.styles / "print.css").as_uri(),
                    font_config=fonts,
                    url_fetcher=fetcher,
                ),
            ]
            if extra:
                stylesheets.append(CSS(string=extra, font_config=fonts))
            with _hyphenation(self.unbroken):
                return html.render(stylesheets=stylesheets, font_config=fonts)
        except FatalURLFetchingError as exc:  # a BaseException in WeasyPrint: never let it through
            cause = exc.__cause__
            message = cause.format_message() if isinstance(cause, BookError) else f"{exc}: {cause}"
            raise BookError(message) from None


def unbroken_words(book: Book) -> frozenset[str]:
    """The words never hyphenated: each word of each form of the names file as it is written
    (capitalised), the parts of a hyphenated one (line breaking reads "Kai-shek" as two words)
    and their possessives."""
    words: set[str] = set()
    for entry in book.names:
        for form in entry.forms:
            for word in form.split():
                for part in (word, *re.split(r"[-\u2010\u2011]", word)):
                    core = _EDGES.sub("", part)
                    if core:
                        words.update(core + ending for ending in _POSSESSIVES)
    return frozenset(words)


_POSSESSIVES = ("", "\u2019s", "'s", "\u2019", "'")
_EDGES = re.compile(r"^\W+|\W+$")  # the punctuation of a form ("St.", "(Wang)")

# One render at a time replaces WeasyPrint's ``pyphen``: renders in threads wait for each other.
_HOOK = threading.Lock()


@contextmanager
def _hyphenation(unbroken: frozenset[str]) -> Iterator[None]:
    """WeasyPrint's line breaking sees our patterns, and ``unbroken`` words unbreakable, while
    the block runs; its own ``pyphen`` is put back afterwards, whatever happens."""
    with _HOOK:
        original = line_break.pyphen
        line_break.pyphen = _Patterns(original, unbroken)
        try:
            yield
        finally:
            line_break.pyphen = original


class _Patterns:
    """What ``weasyprint.text.line_break`` calls ``pyphen`` during a render of ours."""

    def __init__(self, pyphen: Any, unbroken: frozenset[str]) -> None:
        self._pyphen, self._unbroken = pyphen, unbroken

    def language_fallback(self, language: str) -> str | None:
        # "en" alone is American English; pyphen's own fallback takes en_GB, the first it lists.
        if language.replace("_", "-").lower() == "en":
            language = "en-US"
        found: str | None = self._pyphen.language_fallback(language)
        return found

    def Pyphen(self, **options: Any) -> _Unbroken:  # the name WeasyPrint calls
        return _Unbroken(self._pyphen.Pyphen(**options), self._unbroken)


class _Unbroken:
    """A pyphen dictionary that has no hyphenation point in the ``unbroken`` words."""

    def __init__(self, dictionary: Any, unbroken: frozenset[str]) -> None:
        self._dictionary, self._unbroken = dictionary, unbroken

    def iterate(self, word: str) -> Iterator[tuple[str, str]]:
        if word in self._unbroken:
            return iter(())
        points: Iterator[tuple[str, str]] = self._dictionary.iterate(word)
        return points


def _page_css(book: Book, inside: float) -> str:
    return (
        f"@page {{ size: {book.meta.trim.css}; }}\n"
        f"@page :left {{ margin-right: {inside}in; }}\n"
        f"@page :right {{ margin-left: {inside}in; }}\n"
    )


class _ProjectFetcher(URLFetcher):  # type: ignore[misc]
    """Fetches ``file:`` URLs inside the project's folders, and the pictures of the book by
    their ``print-image:`` URLs (``images``); refuses everything else, fatally."""

    def __init__(self, roots: tuple[Path, ...], images: PrintImages | None = None) -> None:
        super().__init__(allowed_protocols=("file",), fail_on_errors=True)
        self.roots, self.images = roots, images

    def fetch(self, url: str, headers: object = None) -> object:
        picture = self.images.get(url) if self.images is not None else None
        if picture is not None and picture.data is not None:  # converted: never a file (images.py)
            return URLFetcherResponse(url, picture.data, {"Content-Type": picture.media_type})
        if picture is not None:  # printed as it is: the original file, read as any other
            url = picture.image.path.resolve().as_uri()
        path = Path(unquote(urlsplit(url).path)).resolve() if url.startswith("file:") else None
        if path is None or not any(path.is_relative_to(root) for root in self.roots):
            raise BookError(f"refused to fetch {url}: the build reads only files inside the project")
        return super().fetch(url, headers)
