"""The covers' typography as HTML for WeasyPrint: the front (title, subtitle, author), the spine
and the back (the description), in the book's text face with its fallbacks.

One design serves both covers: the e-book's is the front alone, laid out on a 6 × 9.6 in page
(1:1.6, the stores' 1600 × 2560 px) and rasterised; the print sheet places the same front
beside the spine and the back. Sizes are in ``em`` of a root size that follows the panel's
width, so that the front looks the same at any trim. Every string is escaped: a title can never
become markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from build_tools.design.fonts import FontSet
from build_tools.model import Metadata
from build_tools.sources.epoch import iso_utc

GROUND = "#22303c"  # a deep slate: light type on it reads at thumbnail size
INK = "#f4eee2"
ACCENT = "#c8a86a"
POINTS = 72.0


@dataclass(frozen=True)
class Box:
    """A rectangle of the sheet, in inches from its top left corner."""

    left: float
    top: float
    width: float
    height: float

    def css(self) -> str:
        return (
            f"left: {self.left:.5f}in; top: {self.top:.5f}in; "
            f"width: {self.width:.5f}in; height: {self.height:.5f}in;"
        )


def font_css(fonts: FontSet) -> tuple[str, str]:
    """The ``@font-face`` rules of the faces, and the ``font-family`` list: the text face, its
    fallbacks (for the characters it lacks), then serif."""
    families = ", ".join(f'"{family.name}"' for family in fonts.families)
    return fonts.css(lambda face: face.path.resolve().as_uri()), f"{families}, serif"


def page(width: float, height: float, fonts: FontSet, meta: Metadata, epoch: int, body: str) -> str:
    """A one-page HTML document ``width`` × ``height`` inches with the covers' styles."""
    faces, family = font_css(fonts)
    e = escape
    stamp = iso_utc(epoch)
    return (
        f'<!DOCTYPE html>\n<html lang="{e(meta.language)}"><head><meta charset="utf-8"/>'
        f"<title>{e(meta.title)}</title>"
        f'<meta name="author" content="{e(meta.author)}"/>'
        f'<meta name="dcterms.created" content="{stamp}"/><meta name="dcterms.modified" content="{stamp}"/>'
        f"<style>{faces}{STYLE.format(width=width, height=height, family=family)}</style></head>"
        f"<body>{body}</body></html>\n"
    )


STYLE = (
    "@page {{ size: {width:.5f}in {height:.5f}in; margin: 0; }}\n"
    "html {{ font-family: {family}; color: " + INK + "; }}\n"
    "body {{ margin: 0; }}\n"
    ".panel {{ position: absolute; overflow: hidden; }}\n"
    ".ground {{ position: absolute; left: 0; top: 0; width: {width:.5f}in; height: {height:.5f}in; "
    "background: " + GROUND + "; }}\n"
    ".title {{ font-size: 3.1em; line-height: 1.08; margin: 0; font-weight: normal; "
    "overflow-wrap: break-word; hyphens: manual; }}\n"
    ".subtitle {{ font-size: 1.45em; line-height: 1.2; font-style: italic; margin: 0.6em 0 0; }}\n"
    ".rule {{ width: 4em; border-top: 0.08em solid " + ACCENT + "; margin: 1.1em auto 0; }}\n"
    ".author {{ position: absolute; left: 0; right: 0; bottom: 11%; font-size: 1.2em; margin: 0; "
    "letter-spacing: 0.12em; text-transform: uppercase; }}\n"
    ".heads {{ position: absolute; left: 0; right: 0; top: 17%; }}\n"
    ".front {{ text-align: center; }}\n"
    ".art {{ position: absolute; left: 0; top: 0; width: 100%; height: 100%; object-fit: cover; }}\n"
    ".spine-text {{ position: absolute; white-space: nowrap; text-align: center; "
    "transform: rotate(90deg); }}\n"
    ".spine-text span {{ margin: 0 1em; }}\n"
    ".blurb {{ font-size: 1.05em; line-height: 1.45; margin: 0; text-align: left; hyphens: auto; }}\n"
    ".barcode-area {{ position: absolute; background: #fff; }}\n"
)


def front(meta: Metadata, panel: Box, inner: Box) -> str:
    """The typographic front: ``panel`` is its full extent (bleed included), ``inner`` the
    part type may use, both on the sheet."""
    e = escape
    subtitle = f'<p class="subtitle">{e(meta.subtitle)}</p>' if meta.subtitle else ""
    size = inner.width * POINTS / 16  # the root size: 16 em across the safe width
    return (
        f'<div class="panel front" style="{inner.css()} font-size: {size:.3f}pt;">'
        f'<div class="heads"><h1 class="title">{e(meta.title)}</h1>{subtitle}<div class="rule"></div></div>'
        f'<p class="author">{e(meta.author)}</p></div>'
    )


def art(panel: Box, url: str) -> str:
    """Front art over the whole front panel, bleed included."""
    return f'<div class="panel" style="{panel.css()}"><img class="art" src="{escape(url)}" alt=""/></div>'


def spine(meta: Metadata, box: Box, size: float) -> str:
    """The spine's title and author, read top to bottom (the book lying face up, as in the US
    and the UK): a line ``box.height`` long rotated a quarter turn about the spine's centre."""
    e = escape
    length, across = box.height, box.width
    left = box.left + across / 2 - length / 2
    top = box.top + length / 2 - across / 2
    return (
        f'<div class="spine-text" style="left: {left:.5f}in; top: {top:.5f}in; width: {length:.5f}in; '
        f'height: {across:.5f}in; line-height: {across:.5f}in; font-size: {size:.2f}pt;">'
        f"<span>{e(meta.title)}</span><span>{e(meta.author)}</span></div>"
    )


def back(meta: Metadata, inner: Box, size: float) -> str:
    """The description, from the top of the back's safe area."""
    if not meta.description:
        return ""
    paragraphs = "".join(f'<p class="blurb">{escape(p.strip())}</p>' for p in meta.description.split("\n\n"))
    return f'<div class="panel" style="{inner.css()} font-size: {size:.2f}pt;">{paragraphs}</div>'
