"""The rules the e-book stores state that EPUBCheck does not check (issue 14, item 5), one row
each in ``book check epub``'s table.

Each rule names the stores that state it and where (``Rule.source``); a failed row ends with
that address. The figures are the stores' own as published on the pages cited:

* a cover image in the EPUB (``properties="cover-image"``, or EPUB 2's ``<meta name="cover">``):
  Google Play requires it, Kobo and Apple take the library thumbnail from it;
* its size: at least 1400 px on the short side (Apple Books; Google Play's minimum is 640 px,
  KDP's 625 × 1000, its ideal 1600 × 2560), at most 7200 px a side (Google Play);
* the EPUB's size: KDP converts files up to 650 MB, Apple and Google Play take up to 2 GB;
* advised (a WARN row, not a failure): Kobo's 1 GB an EPUB and 5 MB an image, Apple's 4 million
  pixels an image ("shouldn't be more"; the cover included);
* fonts that their licence lets a document embed (OpenType OS/2 ``fsType``: not "restricted",
  not bitmap-only);
* no resource outside the EPUB (Apple: every resource referenced must be inside it);
* no script unless its document declares ``scripted`` (Kobo's e-ink and desktop readers run
  none: a scripted book needs a fallback);
* file names of letters, digits, ``. _ - /`` only (Kobo: "should not be used"; a WARN row).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from lxml import etree

from build_tools.checks.epubfile import EpubFile, Item
from build_tools.checks.table import FAIL, PASS, WARN, Row

XHTML = "application/xhtml+xml"
IMAGES = ("image/jpeg", "image/png", "image/gif", "image/webp")
SCRIPTS = ("application/javascript", "text/javascript", "application/ecmascript")
FONTS = (
    "font/ttf",
    "font/otf",
    "font/woff",
    "font/woff2",
    "font/sfnt",
    "application/font-sfnt",
    "application/vnd.ms-opentype",
    "application/font-woff",
    "application/x-font-ttf",
    "application/x-font-opentype",
)
MB = 1_000_000
COVER_SHORT_SIDE = 1400  # Apple Books
COVER_LONGEST = 7200  # Google Play
MAX_PIXELS = 4_000_000  # Apple Books, every image in the EPUB
MAX_IMAGE_BYTES = 5 * MB  # Kobo's advised maximum
SIZE_LIMITS = (("KDP", 650 * MB), ("Apple Books", 2000 * MB), ("Google Play", 2000 * MB))
KOBO_ADVISED = 1000 * MB
# OS/2 fsType (OpenType spec, "OS/2 — fsType"): bits 0-3 the usage permissions, bit 9 bitmap only.
RESTRICTED, BITMAP_ONLY = 0x0002, 0x0200
_REMOTE = re.compile(r"^\s*(?:[a-zA-Z][a-zA-Z0-9+.-]*:)?//")
_CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)|@import\s+['"]([^'"]+)""")
_SAFE_NAME = re.compile(r"[A-Za-z0-9._/-]+")
_LINK_ATTRIBUTES = ("src", "data", "poster", "srcset", "{http://www.w3.org/1999/xlink}href")

GOOGLE = "https://support.google.com/books/partner/answer/3424254"
KOBO = "https://github.com/kobolabs/epub-spec"
APPLE = "https://itunespartner.apple.com/books/support/9-prepare-book"
APPLE_NEWS = "https://itunespartner.apple.com/books/whats-new/"
KDP_FILES = "https://kdp.amazon.com/help/topic/GYEKAVKMSE23PFTM"


@dataclass(frozen=True)
class Rule:
    """A store rule: its row's name, who states it and where, and its check (problems found)."""

    name: str
    stores: str
    source: str
    check: Callable[[EpubFile], tuple[str, list[str]]]  # (what was found, problems)
    advice: bool = False  # the store advises it ("should"): WARN, not FAIL


def store_rows(epub_path: Path) -> list[Row]:
    """A row per rule of ``RULES`` for the EPUB at ``epub_path``."""
    rows = []
    with EpubFile(epub_path) as epub:
        for rule in RULES:
            detail, problems = rule.check(epub)
            if problems:
                messages = (*problems, f"rule ({rule.stores}): {rule.source}")
                rows.append(Row(rule.name, WARN if rule.advice else FAIL, detail, messages))
            else:
                rows.append(Row(rule.name, PASS, detail))
    return rows


def cover_item(epub: EpubFile) -> Item | None:
    """The cover image: the item with ``cover-image``, else the one EPUB 2's meta names."""
    found = next((item for item in epub.manifest if "cover-image" in item.properties), None)
    if found is None and (named := epub.meta("cover")):
        found = next((item for item in epub.manifest if item.id == named), None)
    return found


def _cover(epub: EpubFile) -> tuple[str, list[str]]:
    item = cover_item(epub)
    if item is None:
        return "no cover image", [
            'no cover image: no manifest item has properties="cover-image" (Google Play refuses '
            "an EPUB without one; Apple Books and Kobo show a blank thumbnail)"
        ]
    if not epub.has(item.path):
        return item.href, [f"the cover image {item.href} is not in the EPUB"]
    return item.href, []


def _cover_size(epub: EpubFile) -> tuple[str, list[str]]:
    item = cover_item(epub)
    if item is None or not epub.has(item.path):
        return "no cover image to measure", []  # the row above fails
    size = _pixels(epub, item)
    if size is None:
        return item.href, [f"{item.href} is not an image Pillow can read"]
    width, height = size
    problems = []
    if min(size) < COVER_SHORT_SIDE:
        problems.append(
            f"{width} × {height} px: Apple Books asks at least {COVER_SHORT_SIDE} px on the short side "
            "(1600 × 2400 suits every store)"
        )
    if max(size) > COVER_LONGEST:
        problems.append(f"{width} × {height} px: Google Play takes at most {COVER_LONGEST} px a side")
    return f"{width} × {height} px", problems


def _file_size(epub: EpubFile) -> tuple[str, list[str]]:
    problems = [
        f"{_megabytes(epub.size)}: over {store}'s limit of {_megabytes(limit)}"
        for store, limit in SIZE_LIMITS
        if epub.size > limit
    ]
    return _megabytes(epub.size), problems


def _advised_sizes(epub: EpubFile) -> tuple[str, list[str]]:
    """Kobo's advised maxima (1 GB an EPUB, 5 MB an image) and Apple's 4 million pixels."""
    images = [item for item in epub.items(*IMAGES) if epub.has(item.path)]
    problems = []
    if epub.size > KOBO_ADVISED:
        problems.append(f"{_megabytes(epub.size)}: over Kobo's advised {_megabytes(KOBO_ADVISED)}")
    for item in images:
        size = _pixels(epub, item)
        if size and size[0] * size[1] > MAX_PIXELS:
            pixels = f"{size[0]} × {size[1]} px"
            problems.append(f"{item.href}: {pixels}, over Apple's {MAX_PIXELS:,} pixels")
        if (stored := epub.info_size(item.path)) > MAX_IMAGE_BYTES:
            advised = _megabytes(MAX_IMAGE_BYTES)
            problems.append(f"{item.href}: {_megabytes(stored)}, over Kobo's advised {advised}")
    return f"{_megabytes(epub.size)}, {len(images)} image{'s' * (len(images) != 1)}", problems


def _fonts(epub: EpubFile) -> tuple[str, list[str]]:
    from fontTools.ttLib import TTFont, TTLibError  # only an EPUB with fonts pays the import

    fonts = epub.items(*FONTS)
    problems = []
    for item in fonts:
        if item.path in epub.encrypted:
            continue  # obfuscated (EPUB 3.3 §4.4): its licence asked for it; nothing to read
        try:
            table = TTFont(BytesIO(epub.read(item.path)), lazy=True).get("OS/2")
        except (TTLibError, KeyError, OSError, AssertionError) as exc:
            problems.append(f"{item.href}: not a font file that can be read ({exc})")
            continue
        fs_type = table.fsType if table is not None else 0
        if fs_type & 0x000F == RESTRICTED:
            problems.append(f"{item.href}: its licence forbids embedding (OS/2 fsType {fs_type:#06x})")
        if fs_type & BITMAP_ONLY:
            problems.append(f"{item.href}: its licence allows bitmap embedding only (fsType {fs_type:#06x})")
    return f"{len(fonts)} font{'s' * (len(fonts) != 1)}, embedding allowed" if not problems else "", problems


def _remote(epub: EpubFile) -> tuple[str, list[str]]:
    problems = [f"{epub.opf_path}: manifest item {item.href}" for item in epub.manifest if item.remote]
    for item in epub.items(XHTML, "image/svg+xml"):
        if epub.has(item.path):
            problems += [f"{item.href}: {where}" for where in _remote_in_document(epub.xml(item.path))]
    for item in epub.items("text/css"):
        if epub.has(item.path):
            css = epub.read(item.path).decode("utf-8", "replace")
            problems += [f"{item.href}: {url}" for url in _remote_in_css(css)]
    return ("none" if not problems else ""), problems


def _remote_in_document(root: etree._Element) -> Iterator[str]:
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        name = etree.QName(element).localname
        for attribute in _LINK_ATTRIBUTES:
            if _REMOTE.match(value := element.get(attribute) or ""):
                yield f"<{name} {etree.QName(attribute).localname}={value!r}>"
        if name == "link" and _REMOTE.match(value := element.get("href") or ""):
            yield f"<link href={value!r}>"
        if name == "style":
            yield from _remote_in_css(element.text or "")
        yield from _remote_in_css(element.get("style") or "")


def _remote_in_css(css: str) -> Iterator[str]:
    for match in _CSS_URL.finditer(css):
        url = match.group(1) or match.group(2)
        if _REMOTE.match(url):
            yield url


def _scripts(epub: EpubFile) -> tuple[str, list[str]]:
    problems = []
    scripted = 0
    for item in epub.items(XHTML, "image/svg+xml"):
        if not epub.has(item.path):
            continue
        has_script = _has_script(epub.xml(item.path))
        if has_script and "scripted" not in item.properties:
            problems.append(f"{item.href}: has a script and its manifest item does not declare 'scripted'")
        scripted += has_script
    if scripted and not problems:
        return f"{scripted} scripted document(s), declared (Kobo's e-ink and desktop apps run none)", []
    return ("none" if not scripted else ""), problems


def _has_script(root: etree._Element) -> bool:
    """A ``<script>``, or an event handler attribute (``onclick``…)."""
    for element in root.iter():
        if isinstance(element.tag, str):
            if etree.QName(element).localname == "script":
                return True
            if any(str(name).lower().startswith("on") for name in element.attrib):
                return True
    return False


def _file_names(epub: EpubFile) -> tuple[str, list[str]]:
    problems = [f"{name!r}" for name in epub.names if not _SAFE_NAME.fullmatch(name)]
    return (f"{len(epub.names)} files" if not problems else ""), problems


def _pixels(epub: EpubFile, item: Item) -> tuple[int, int] | None:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(BytesIO(epub.read(item.path))) as image:
            return image.size
    except (UnidentifiedImageError, OSError):
        return None


def _megabytes(size: int) -> str:
    return f"{size / MB:,.1f} MB" if size >= MB else f"{size / 1000:,.0f} KB"


RULES = (
    Rule("Cover", "Google Play, Kobo, Apple Books", f"{GOOGLE} ; {KOBO}#cover-images", _cover),
    Rule(
        "Cover size",
        "Apple Books, Google Play",
        f"{GOOGLE} ; https://help.inscribedigital.com/support/solutions/articles/26000012882",
        _cover_size,
    ),
    Rule("File size", "KDP, Apple Books, Google Play", f"{KDP_FILES} ; {APPLE} ; {GOOGLE}", _file_size),
    Rule(
        "Advised sizes",
        "Kobo, Apple Books",
        f"{KOBO}#limitations-and-maximums ; {APPLE}",
        _advised_sizes,
        True,
    ),
    Rule(
        "Fonts",
        "embedding licence",
        "https://learn.microsoft.com/en-us/typography/opentype/spec/os2#fstype",
        _fonts,
    ),
    Rule("Remote resources", "Apple Books", f"{APPLE_NEWS}22054074", _remote),
    Rule("Scripts", "Kobo", f"{KOBO}#javascript-support", _scripts),
    Rule("File names", "Kobo", f"{KOBO}#opf", _file_names, True),
)
