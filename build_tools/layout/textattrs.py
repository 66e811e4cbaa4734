"""WeasyPrint 70's text layouts without its leak of font features (issue 18: memory bounded).

``weasyprint.text.line_break.Layout.setup`` gives a layout whose style asks for OpenType
features (the book's ``font-variant-ligatures``, ``font-variant-numeric: oldstyle-nums`` …) a
Pango attribute list it never releases, holding one features attribute shared by every such
list (``font_config.font_features``, whose ``setdefault`` makes a new one each time, dropped).
``set_text`` then adds to that list an attribute for each space of a paragraph with word
spacing (every justified line, every trial's variant: ``compose.py``), and the layout it was
given to is never freed either. A worker laying out parts grew by about 20 MiB with each part
(mallinfo2: 4.6 MiB more in use after each layout of one trial document), which nothing gave
back. Here WeasyPrint's setup sees no features, and each layout then gets them in a list of
its own, with an attribute of its own, released with the layout: the same glyphs (the tests
compare the PDFs), and the memory in use the same after each layout.
"""

from __future__ import annotations

from typing import Any

from weasyprint.text import fonts, line_break
from weasyprint.text.ffi import ffi, pango

_SETUP = line_break.Layout.setup
_FEATURES = fonts.font_features


def install() -> None:
    """Replace ``Layout.setup`` (once: installing again changes nothing)."""
    if line_break.Layout.setup is not _setup:
        line_break.font_features = _no_features
        line_break.Layout.setup = _setup


def installed() -> bool:
    return line_break.Layout.setup is _setup


def _no_features(*args: object, **kwargs: object) -> dict[str, int]:
    return {}


def _setup(layout: Any, style: Any) -> None:
    _SETUP(layout, style)
    features = _FEATURES(
        style["font_kerning"],
        style["font_variant_ligatures"],
        style["font_variant_position"],
        style["font_variant_caps"],
        style["font_variant_numeric"],
        style["font_variant_alternates"],
        style["font_variant_east_asian"],
        style["font_feature_settings"],
    )
    if features:
        text = ",".join(f"{key} {value}" for key, value in features.items()).encode()
        own = ffi.gc(pango.pango_attr_list_new(), pango.pango_attr_list_unref)
        pango.pango_attr_list_insert(own, pango.pango_attr_font_features_new(text))  # the list owns it
        pango.pango_layout_set_attributes(layout.layout, own)  # the layout holds the list
