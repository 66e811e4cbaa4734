"""The subset of SVG a book may hold: a picture, never a program or a window onto elsewhere.

An SVG is a document that a browser (the preview), a reading system and WeasyPrint each
run. Issue 17 item 6 found an XHTML ``<script>`` inside one running in Chromium, external
entities and CSS ``@import`` of a URL accepted, and a 1.7 KB ``<use>`` bomb hanging the PDF
build. ``check_svg`` refuses, each an error at the Markdown line that shows the picture:

- a DOCTYPE declaring entities or naming an external DTD (none is ever loaded or expanded:
  the parser neither reads DTDs nor resolves entities; an SVG needs no DOCTYPE), and processing
  instructions (``<?xml-stylesheet?>`` loads a stylesheet);
- any element of the XHTML namespace, and in any namespace ``script``, ``foreignObject``,
  ``iframe``, ``handler`` and the animation elements (``set`` can rewrite a link);
- elements of a namespace that is neither SVG nor an editor's own (Inkscape's, RDF metadata);
- event attributes (``on…``), links (``href``, ``xlink:href``) other than ``#fragment``, and
  CSS (``<style>``, ``style``, presentation attributes) with ``@import`` or a ``url()`` that is
  not a ``#fragment``;
- more than ``MAX_ELEMENTS`` elements, or more than ``MAX_RENDERED`` once every ``<use>`` is
  expanded (an upper bound: a ``<use>`` inside ``<defs>`` is counted too), or ``<use>`` chains
  deeper than ``MAX_USE_DEPTH`` (or looping).

The counts are made by walking the tree once and each ``<use>`` target once (memoised), so the
check itself is linear in the file, whatever the file declares.
"""

from __future__ import annotations

from lxml import etree

from build_tools.design.styles import css_urls
from build_tools.errors import Location, ManuscriptError

SVG = "http://www.w3.org/2000/svg"
XHTML = "http://www.w3.org/1999/xhtml"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
MAX_BYTES = 8 * 1024 * 1024
# WeasyPrint draws about 2,500 SVG elements a second (30,000 rectangles add 11.5 s to a build
# of one page, laid out once for their size and once rasterised): 20,000, a detailed map's
# worth, bound what one SVG adds to a build to about 8 s (a 1.7 KB <use> bomb took minutes).
MAX_ELEMENTS = 20_000
MAX_RENDERED = 20_000
MAX_USE_DEPTH = 8
# Namespaces an editor writes beside the drawing (ignored by every renderer).
EDITORS = frozenset(
    {
        "http://www.inkscape.org/namespaces/inkscape",
        "http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd",
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
        "http://creativecommons.org/ns#",
        "http://purl.org/dc/elements/1.1/",
        "http://ns.adobe.com/AdobeIllustrator/10.0/",
        "http://ns.adobe.com/SaveForWeb/1.0/",
        "http://ns.adobe.com/Extensibility/1.0/",
        "http://ns.adobe.com/Variables/1.0/",
    }
)
FORBIDDEN = frozenset(
    {
        "script",
        "foreignObject",
        "iframe",
        "embed",
        "object",
        "handler",
        "listener",
        "set",
        "animate",
        "animateMotion",
        "animateTransform",
        "animateColor",
        "discard",
    }
)


def check_svg(data: bytes, src: str, where: Location) -> None:
    """A ManuscriptError at ``where`` unless ``data`` is an SVG of the safe subset above."""
    if len(data) > MAX_BYTES:
        raise ManuscriptError(f"image {src!r}: an SVG may have at most {MAX_BYTES // 2**20} MB", where)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        svg = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise ManuscriptError(f"image {src!r} is not well-formed SVG: {exc}", where) from None
    if svg.tag != f"{{{SVG}}}svg":
        raise ManuscriptError(f"image {src!r} is not an SVG file", where)
    _check_doctype(svg, src, where)
    count = 0
    for node in svg.iter():
        count += 1
        if count > MAX_ELEMENTS:
            raise ManuscriptError(f"image {src!r}: an SVG may have at most {MAX_ELEMENTS} elements", where)
        problem = _node_problem(node)
        if problem:
            raise ManuscriptError(f"image {src!r}: {problem}", where)
    problem = UseCount(svg).problem()
    if problem:
        raise ManuscriptError(f"image {src!r}: {problem}", where)


def _check_doctype(svg: etree._Element, src: str, where: Location) -> None:
    """No DOCTYPE that could load or expand anything, and no processing instruction outside the
    drawing (``<?xml-stylesheet href=…?>`` loads a stylesheet in a browser)."""
    if any(isinstance(node, etree._ProcessingInstruction) for node in svg.itersiblings(preceding=True)):
        raise ManuscriptError(
            f"image {src!r}: an SVG with a processing instruction (<?…?>) is not allowed", where
        )
    info = svg.getroottree().docinfo
    if info.internalDTD is not None or info.system_url or info.public_id:
        raise ManuscriptError(
            f"image {src!r}: an SVG with a DOCTYPE that declares entities or names a DTD is not "
            "allowed (external entities could read files); delete its <!DOCTYPE …>: an SVG needs none",
            where,
        )


def _node_problem(node: etree._Element) -> str:
    """What makes one node unsafe ('' if nothing)."""
    if isinstance(node, etree._Entity):
        return "an SVG with an entity reference is not allowed"
    if isinstance(node, etree._ProcessingInstruction):
        return "an SVG with a processing instruction (<?…?>) is not allowed"
    if not isinstance(node.tag, str):  # a comment
        return ""
    name = etree.QName(node)
    if name.localname in FORBIDDEN or name.namespace == XHTML:
        return f"an SVG with <{name.localname}> is not allowed in a book"
    if name.namespace != SVG and name.namespace not in EDITORS:
        return f"an SVG with an element of the namespace {str(name.namespace)[:60]!r} is not allowed"
    for key, raw in node.attrib.items():
        local, value = etree.QName(key).localname, str(raw)
        if local.lower().startswith("on"):
            return f"SVG event attribute {local!r} is not allowed"
        if key in ("href", XLINK_HREF) and not value.strip().startswith("#"):
            return f"an SVG that links to {value[:60]!r} is not allowed (it must be self-contained)"
        if local == "style" or "url(" in value.lower() or "@import" in value.lower():
            problem = _css_problem(value)
            if problem:
                return problem
    if name.localname == "style" and node.text:
        return _css_problem(node.text)
    return ""


def _css_problem(css: str) -> str:
    for kind, url, _line, _column in css_urls(css):
        if kind == "import":
            return "an SVG whose CSS has @import is not allowed (it must be self-contained)"
        if not url.strip().startswith("#"):
            return f"an SVG whose CSS loads {url[:60]!r} is not allowed (it must be self-contained)"
    return ""


class UseCount:
    """The elements an SVG draws once every ``<use>`` is expanded, each target counted once."""

    def __init__(self, svg: etree._Element) -> None:
        self.svg = svg
        self.ids = {
            node.get("id"): node for node in svg.iter() if isinstance(node.tag, str) and node.get("id")
        }
        self.memo: dict[int, tuple[int, int]] = {}  # id(element): (elements drawn, use depth)
        self.open: set[int] = set()
        self.steps = 0  # nodes visited: each target's subtree once (tests bound the work by it)

    def problem(self) -> str:
        try:
            self.count(self.svg, 0)
        except _TooMany as exc:
            return str(exc)
        return ""

    def count(self, element: etree._Element, level: int) -> tuple[int, int]:
        """What ``element`` draws and the depth of its ``<use>`` chains (memoised per target),
        reached through ``level`` ``<use>``: the recursion is never deeper than the bound."""
        key = id(element)
        depth = self.memo[key][1] if key in self.memo else 0
        if level + depth > MAX_USE_DEPTH:
            raise _TooMany(f"an SVG may nest <use> at most {MAX_USE_DEPTH} deep")
        if key in self.memo:
            return self.memo[key]
        if key in self.open:
            raise _TooMany("an SVG whose <use> refers to itself is not allowed")
        self.open.add(key)
        drawn = 0
        for node in element.iter():  # the subtree walked without recursion
            drawn, self.steps = drawn + 1, self.steps + 1
            target = self._target(node)
            if target is not None:
                inner, inner_depth = self.count(target, level + 1)
                drawn, depth = drawn + inner, max(depth, inner_depth + 1)
            if drawn > MAX_RENDERED:
                raise _TooMany(f"an SVG may draw at most {MAX_RENDERED} elements once its <use> are expanded")
        self.open.discard(key)
        self.memo[key] = drawn, depth
        return drawn, depth

    def _target(self, node: etree._Element) -> etree._Element | None:
        if not isinstance(node.tag, str) or etree.QName(node).localname != "use":
            return None
        ref = (node.get("href") or node.get(XLINK_HREF) or "").strip()
        return self.ids.get(ref[1:]) if ref.startswith("#") else None


class _TooMany(Exception):
    """An SVG over one of the bounds: its message is the error's."""
