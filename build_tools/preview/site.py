"""The preview site of one book: which page each URL is, and what a change of files rebuilds.

    /                              contents (with the warnings and open queries)
    /section-001.html …            a section as in the e-book, its notes opening in place
    /chronology.html, /notes.html  the back matter, when the book has it, and its indexes
    /index.html, /index-2.html …   (the e-book's file names, as its links say)
    /print/section-001.html …      the print view of a part (sections or back matter)
    /print/<layout>/page-<n>.png   one printed page
    /print/<layout>/sec-<k>/page-<n>.png   one page of a section's quick proof (laid out alone)
    /css/book.css                  the e-book's CSS; the fonts are served from /fonts/
    /images/map.png …              the pictures the text shows, at the paths the e-book has them
                                   (only those the model lists, checked by the parser)

The server hands ``render`` the URL path and ``rebuild`` the changed files.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from build_tools import ids
from build_tools.errors import BookError
from build_tools.lang.labels import Labels
from build_tools.model import Book, Index
from build_tools.parse.mdext.svgsafe import check_svg
from build_tools.preview import pages
from build_tools.preview.livebook import LiveBook
from build_tools.preview.printview import PrintView
from build_tools.preview.server import Page

_PART = re.compile(r"/(print/)?(section-(\d{3})|chronology|notes|index(?:-\d+)?)\.html")
_IMAGE = re.compile(r"/print/(\d+)/(?:(sec-\d+)/)?page-(\d+)\.png")


class Site:
    """Renders the pages of a live book; ``rebuild`` brings it up to date after changes."""

    def __init__(
        self,
        book: LiveBook,
        styles: Path,
        printed: PrintView,
        notify: Callable[[], None] = lambda: None,
    ) -> None:
        self.book = book
        self.styles = styles
        self.printed = printed
        self.notify = notify  # tells the open pages, from the rebuild's thread
        # Of the book and the styles together, each save's: a section parsed alone has one (its
        # quick proof's), the whole read after it another (one print layout per settled version).
        self.version = 1
        self.settled_version = 1  # of the book last read whole, and the styles
        self.css_version = 1

    def rebuild(self, changed: set[Path]) -> None:
        styles = self.styles.resolve()
        text = {path for path in changed if not path.resolve().is_relative_to(styles)}
        before = self.book.settled
        if len(text) < len(changed):
            self.css_version += 1
        if text and self.book.update_sections(text):
            self.version += 1  # its print view: a quick proof of the section parsed alone
            self.notify()  # the saved section at once; the whole book a moment later
        if text:
            self.book.reload()
        if len(text) < len(changed) or self.book.settled is not before:
            self.version += 1
            self.settled_version = self.version

    def render(self, path: str) -> Page | None:
        if path == "/css/book.css":
            return Page(pages.stylesheet(self.styles), "text/css; charset=utf-8")
        if found := _IMAGE.fullmatch(path):
            image = self.printed.image(int(found[1]), int(found[3]) - 1, found[2])
            return Page(image, "image/png", immutable=True) if image is not None else None
        book, error = self.book.snapshot()
        frame = pages.Frame(book, error.format_message() if error else None, self.css_version)
        if path == "/":
            main = pages.contents(book) if book else ""
            return Page(pages.page(frame, frame.labels.contents, main))
        if book is not None and (picture := _picture(book, path)) is not None:
            return picture
        found = _PART.fullmatch(path)
        if found is None:
            return None
        if book is None:  # nothing could be read yet: the error is all there is to show
            return Page(pages.page(frame, frame.labels.error_title, ""))
        if found[1]:
            return self._print_view(frame, book, found[2], found[3])
        return self._part(frame, book, found[2], found[3])

    def _part(self, frame: pages.Frame, book: Book, name: str, number: str | None) -> Page | None:
        views = (("/print/" + name + ".html", frame.labels.print_view_link),)
        if number is not None:
            if not 1 <= int(number) <= len(book.sections):
                return None
            section = book.sections[int(number) - 1]
            return Page(pages.page(frame, section.title, pages.section(book, section), views))
        if not _has(book, name):
            return None
        # The index's mentions are numbered across the book: only a whole read has them right.
        if name.startswith("index"):
            whole = self.book.settled or book
            main = pages.index(whole, _index(whole, name))
        else:
            main = {"chronology": pages.chronology, "notes": pages.notes}[name](book)
        return Page(pages.page(frame, _title(frame.labels, book, name), main, views))

    def _print_view(self, frame: pages.Frame, book: Book, name: str, number: str | None) -> Page | None:
        if number is not None:
            if not 1 <= int(number) <= len(book.sections):
                return None
            part, title = ids.section(int(number)), book.sections[int(number) - 1].title
        elif _has(book, name):
            part, title = name, _title(frame.labels, book, name)
        else:
            return None
        settled = self.book.settled  # the whole layout needs the book read whole
        if settled is not None:  # the part on view alone first, from the newest book
            self.printed.request(settled, self.settled_version, part, (book, self.version), self.css_version)
        view = self.printed.view(part, frame.labels)
        main = f'<section class="print-view" data-part="{part}">\n{view}\n</section>'
        views = ((f"/{name}.html", frame.labels.ebook_view_link),)
        return Page(pages.page(frame, frame.labels.print_view_title.format(title=title), main, views))


def _picture(book: Book, path: str) -> Page | None:
    for image in (image for section in book.sections for image in section.images):
        if path == "/" + image.href:
            try:
                data = image.path.read_bytes()
                if image.media_type == "image/svg+xml":  # as served, not as parsed: checked again
                    check_svg(data, image.href, image.location)
                return Page(data, image.media_type)
            except (OSError, BookError):  # removed or changed since the parse: the next save says so
                return None
    return None


def _title(labels: Labels, book: Book, part: str) -> str:
    """The title of a part of the back matter."""
    if part.startswith("index"):
        return _index(book, part).title
    return {"chronology": labels.chronology, "notes": labels.notes}[part]


def _index(book: Book, part: str) -> Index:
    return next(chosen for chosen in book.index_list if chosen.id == part)


def _has(book: Book, part: str) -> bool:
    if part.startswith("index"):
        return any(chosen.id == part for chosen in book.index_list)
    return bool({"chronology": book.chronology, "notes": book.notes}[part])
