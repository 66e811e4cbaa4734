"""XHTML fragments as the model holds them: element trees, copied out, never changed in place.

A Fragment is the content of a ``<div>`` (text, then elements), namespace-free, as the parser
made it. Writers take a copy of its tree (``tree()``) or of its nodes (``append_to``) to build
their documents, resolve links on the document tree and serialise it once. ``xml`` is its
serialisation, for tests, the preview and checks that read text.
"""

from __future__ import annotations

import copy
from xml.sax.saxutils import escape as xml_escape

from lxml import etree

VOID = {"br", "hr", "img", "wbr", "col", "area", "source", "track"}


class Fragment:
    """An immutable XHTML fragment (the children of a ``<div>``)."""

    __slots__ = ("_root", "_xml")

    def __init__(self, root: etree._Element) -> None:
        self._root = copy.deepcopy(root)
        self._root.tag = "div"
        self._root.attrib.clear()
        self._root.tail = None
        self._xml: str | None = None

    @classmethod
    def parse(cls, xml: str) -> Fragment:
        return cls(etree.fromstring(f"<div>{xml}</div>"))

    def tree(self) -> etree._Element:
        """A copy of the fragment as a ``<div>`` element, free to change."""
        return copy.deepcopy(self._root)

    def append_to(self, parent: etree._Element) -> etree._Element:
        """Copy the fragment's text and elements to the end of ``parent``; return ``parent``."""
        div = self.tree()
        if div.text:
            if len(parent):
                parent[-1].tail = (parent[-1].tail or "") + div.text
            else:
                parent.text = (parent.text or "") + div.text
        for child in list(div):
            parent.append(child)
        return parent

    @property
    def xml(self) -> str:
        """The fragment as XML text, empty elements written open and closed (``<span></span>``)."""
        if self._xml is None:
            self._xml = inner_xml(self._root)
        return self._xml

    @property
    def text(self) -> str:
        """The fragment's words, whitespace collapsed."""
        # tostring, not itertext: the same text, and typed str (itertext's is str | bytes).
        words = etree.tostring(self._root, encoding="unicode", method="text", with_tail=False)
        return " ".join(words.split())

    def has(self, *tags: str) -> bool:
        return any(True for _ in self._root.iter(*tags))

    def __str__(self) -> str:
        return self.xml

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Fragment) and other.xml == self.xml

    def __hash__(self) -> int:
        return hash(self.xml)

    def __reduce__(self) -> tuple[object, tuple[str]]:
        # lxml elements do not pickle: the preview sends books to its layout worker as XML.
        return (Fragment.parse, (self.xml,))

    def __repr__(self) -> str:
        return f"Fragment({self.xml!r})"


EMPTY = Fragment(etree.Element("div"))


def inner_xml(element: etree._Element) -> str:
    """The XML of an element's content, without the element itself; ``element`` is unchanged.

    Empty elements are written open and closed (``<span></span>``): an HTML parser would read
    ``<span/>`` as an opening tag and swallow the rest of the paragraph.
    """
    element = copy.deepcopy(element)
    for node in element.iter():
        if node.text is None and len(node) == 0 and node.tag not in VOID:
            node.text = ""
    parts = [xml_escape(element.text or "")]
    parts.extend(etree.tostring(child, encoding="unicode") for child in element)
    return "".join(parts)
