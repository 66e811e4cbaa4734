"""WeasyPrint set up for a book: the page size and margins, the fonts, the styles, and a URL
fetcher that reads nothing outside the project. Importing this module imports WeasyPrint."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint import CSS, HTML, Document
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher

from build_tools.design.fonts import FontSet
from build_tools.design.profiles import Profile
from build_tools.errors import BookError
from build_tools.model import Book


class Renderer:
    """Lays out HTML documents of one book with its styles, fonts and printer's page: ``fonts``
    the faces that set its characters (``coverage.used_fonts``), the fallbacks in print.css's
    font lists after the text family."""

    def __init__(self, book: Book, styles: Path, profile: Profile, fonts: FontSet) -> None:
        self.book, self.styles, self.profile = book, styles.resolve(), profile
        self.font_css = fonts.css(lambda face: face.path.resolve().as_uri())
        self.print_css = fonts.listed((self.styles / "print.css").read_text(encoding="utf-8"))
        self.fonts = FontConfiguration()
        self.fetcher = _ProjectFetcher((self.styles, book.root.resolve()))

    def render(self, html_text: str, inside: float, extra: str = "") -> Document:
        """Lay out ``html_text`` with the gutter ``inside`` (inches) and ``extra`` CSS."""
        fonts, fetcher = self.fonts, self.fetcher
        try:
            html = HTML(string=html_text, base_url=self.styles.as_uri() + "/", url_fetcher=fetcher)
            stylesheets = [
                CSS(
                    string=_page_css(self.book, inside) + self.profile.page_css() + self.font_css,
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
            return html.render(stylesheets=stylesheets, font_config=fonts)
        except FatalURLFetchingError as exc:  # a BaseException in WeasyPrint: never let it through
            cause = exc.__cause__
            message = cause.format_message() if isinstance(cause, BookError) else f"{exc}: {cause}"
            raise BookError(message) from None


def _page_css(book: Book, inside: float) -> str:
    return (
        f"@page {{ size: {book.meta.trim.css}; }}\n"
        f"@page :left {{ margin-right: {inside}in; }}\n"
        f"@page :right {{ margin-left: {inside}in; }}\n"
    )


class _ProjectFetcher(URLFetcher):  # type: ignore[misc]
    """Fetches ``file:`` URLs inside the project's folders; refuses everything else, fatally."""

    def __init__(self, roots: tuple[Path, ...]) -> None:
        super().__init__(allowed_protocols=("file",), fail_on_errors=True)
        self.roots = roots

    def fetch(self, url: str, headers: object = None) -> object:
        path = Path(unquote(urlsplit(url).path)).resolve() if url.startswith("file:") else None
        if path is None or not any(path.is_relative_to(root) for root in self.roots):
            raise BookError(f"refused to fetch {url}: the build reads only files inside the project")
        return super().fetch(url, headers)
