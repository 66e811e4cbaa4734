"""WeasyPrint's text layouts without its leak of font features (``layout/textattrs.py``): the
same pages as WeasyPrint's own setup draws, and no memory kept after a layout."""

from __future__ import annotations

import ctypes
import gc
import inspect

from conftest import ROOT, STYLES
from weasyprint import HTML
from weasyprint.text import line_break
from weasyprint.text.fonts import FontConfiguration

from build_tools.build import Project, read_book
from build_tools.design.coverage import used_fonts
from build_tools.design.fonts import read_fonts
from build_tools.design.profiles import PROFILES
from build_tools.lang.frontmatter import typefaces
from build_tools.layout import textattrs
from build_tools.layout.html import book_html
from build_tools.layout.weasy import Renderer


class _MallInfo2(ctypes.Structure):
    _fields_ = [
        (name, ctypes.c_size_t)
        for name in "arena ordblks smblks hblks hblkhd usmblks fsmblks uordblks fordblks keepcost".split()
    ]


def _in_use() -> int:
    """The bytes malloc has handed out and not had back (glibc's mallinfo2)."""
    libc = ctypes.CDLL("libc.so.6")
    libc.mallinfo2.restype = _MallInfo2
    info = libc.mallinfo2()
    return int(info.uordblks + info.hblkhd)


# Word spacing (a respacing trial's variant: compose.py) and a font feature on every word.
_SPACED = (
    "<html><body style='text-align: justify; font-variant-numeric: oldstyle-nums'>"
    + "<p style='word-spacing: 0.04em'>" + " ".join(f"word {n} of 1927" for n in range(600)) + "</p>"
    + "</body></html>"
)  # fmt: skip


def test_the_fix_is_installed_before_any_layout_and_weasyprint_still_needs_it() -> None:
    assert textattrs.installed()
    # The leak it works around: WeasyPrint's setup makes a features attribute at each call and
    # never releases the list it sets. A WeasyPrint that releases it makes this module unneeded.
    source = inspect.getsource(textattrs._SETUP)
    assert "font_features.setdefault(" in source and "pango_attr_list_new()" in source


def test_layouts_with_font_features_and_word_spacing_keep_no_memory() -> None:
    fonts = FontConfiguration()  # one for every layout, as the renderer has
    for _ in range(2):  # the fonts, the caches: what the first layouts keep for good
        HTML(string=_SPACED).render(font_config=fonts)
    gc.collect()
    before = _in_use()
    for _ in range(8):
        HTML(string=_SPACED).render(font_config=fonts)
        gc.collect()
    # WeasyPrint's own setup kept about 0.4 MiB more after each of these layouts: 3.3 MiB in all.
    assert _in_use() - before < 1 << 20, (_in_use() - before) / (1 << 20)


def test_the_pages_are_those_of_weasyprints_own_setup(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The first book's print HTML, drawn with the features given as WeasyPrint gives them
    and as this module does: the same PDF, byte for byte (its features are drawn: without them
    the PDF differs)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    book = read_book(Project(ROOT / "manuscript", STYLES, ROOT / "unused"))
    fonts = used_fonts(book, read_fonts(STYLES))
    renderer = Renderer(book, STYLES, PROFILES[book.meta.print_profile], fonts)
    html = book_html(book, typefaces(fonts, book.meta.words), None).html

    def drawn() -> bytes:
        return renderer.render(html, 0.875).write_pdf()

    ours = drawn()
    monkeypatch.setattr(line_break.Layout, "setup", textattrs._SETUP)
    monkeypatch.setattr(line_break, "font_features", textattrs._FEATURES)
    assert drawn() == ours
    monkeypatch.setattr(line_break, "font_features", textattrs._no_features)
    assert drawn() != ours
