"""The EPUB 3 writer: the package (``documents``, ``package``), fonts, pictures, one reproducible zip.

``xml:lang`` is on every document and on the package; there is no NCX (REFERENCE.md §1). The
fonts are subset to the characters the package prints (``fonts``), and Apple Books is told to
use them (its display options file; the package says so too, ``ibooks:specified-fonts``).
"""

from __future__ import annotations

from pathlib import Path

from build_tools.design.coverage import used_fonts
from build_tools.design.fonts import Face, FontSet, read_fonts
from build_tools.lang.frontmatter import typefaces
from build_tools.model import Book, PrintLayout
from build_tools.writers.cover.ebook import ebook_cover
from build_tools.writers.epub.documents import documents
from build_tools.writers.epub.fonts import subset_font, used_text
from build_tools.writers.epub.package import MEDIA, package
from build_tools.writers.output import atomic_output, write_zip

CONTAINER = b"""<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
"""
# Apple Books sets the text in its own faces unless told to use the book's (Apple Books Asset
# Guide, "Fonts"; the file is outside the package, in META-INF, and needs no manifest item).
APPLE_OPTIONS = (
    "META-INF/com.apple.ibooks.display-options.xml",
    b"""<?xml version="1.0" encoding="UTF-8"?>
<display_options>
  <platform name="*">
    <option name="specified-fonts">true</option>
  </platform>
</display_options>
""",
)


class EpubWriter:
    """Writes ``<out>/<slug>.epub`` from a Book, and its print layout when there is one."""

    suffix = ".epub"

    def __init__(self, styles: Path) -> None:
        self.styles = styles

    def write(self, book: Book, layout: PrintLayout | None, out_dir: Path) -> Path:
        target = out_dir / f"{book.meta.slug}{self.suffix}"
        fonts = used_fonts(book, read_fonts(self.styles))
        faces = used_faces(book, fonts)
        docs = documents(book, typefaces(fonts, book.meta.words), layout)
        css = fonts.css(lambda face: f"../fonts/{face.name}", faces)
        css += fonts.listed((self.styles / "epub.css").read_text(encoding="utf-8"))
        text = used_text((doc.tree for doc in docs), css)
        cover = ebook_cover(book, fonts)  # book.toml's, or set from the title (issue 14)
        entries: list[tuple[str, bytes]] = [
            ("mimetype", b"application/epub+zip"),
            ("META-INF/container.xml", CONTAINER),
            APPLE_OPTIONS,
            ("OEBPS/content.opf", package(book, layout, docs, faces, cover)),
        ]
        entries += [(f"OEBPS/{doc.href}", doc.serialise()) for doc in docs]
        entries.append(("OEBPS/css/book.css", css.encode()))
        entries += [(f"OEBPS/fonts/{face.name}", subset_font(face.path, text)) for face in faces]
        entries += [(f"OEBPS/{MEDIA}/{image.href}", image.path.read_bytes()) for image in book.images]
        entries.append((f"OEBPS/{MEDIA}/{cover.href}", cover.data))
        with atomic_output(target) as temporary:
            write_zip(temporary, entries, book.source_date_epoch)
        return target


def used_faces(book: Book, fonts: FontSet) -> tuple[Face, ...]:
    """The faces the EPUB carries: those of the text family and of the fallbacks that set some
    character of the book (``used_fonts``), the bold ones only if the book has bold text."""
    return tuple(
        face for family in fonts.families for face in family.faces if book.uses_bold or not face.bold
    )
