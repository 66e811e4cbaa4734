"""XHTML fragments as the model holds them: element trees, copied out, never changed in place.

A Fragment is the content of a ``<div>`` (text, then elements), namespace-free, as the parser
made it. Writers take a copy of its tree (``tree()``) or of its nodes (``append_to``) to build
their documents, resolve links on the document tree and serialise it once. ``xml`` is its
serialisation, for tests, the preview and checks that read text.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
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
        """Copy the fragment's text and elements to the end of ``parent``, in the parent's
        namespace (an XHTML document's); return ``parent``."""
        div = self.tree()
        namespace = etree.QName(parent).namespace
        if namespace:
            for node in div.iter():
                if isinstance(node.tag, str):
                    node.tag = f"{{{namespace}}}{node.tag}"
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

    def ids(self) -> list[str]:
        """The ids of the fragment's elements, in document order."""
        return [element_id for node in self._root.iter() if (element_id := node.get("id"))]

    def without_ids(self) -> Fragment:
        """The fragment with no id on any element: a copy shown a second time (a heading in
        the contents, or over its notes), whose ids would be duplicates of the first's."""
        tree = self.tree()
        for node in tree.iter():
            if "id" in node.attrib:
                del node.attrib["id"]
        return Fragment(tree)

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
SLOT = "slot"


def render(
    template: str, slots: Mapping[str, Fragment | etree._Element | None] | None = None
) -> etree._Element:
    """Our own markup (an XML string whose values are escaped) as a tree, each empty
    ``<slot name="…"/>`` in it replaced by the content of a fragment or of an element (its
    text and children; None: nothing)."""
    root = etree.fromstring(template.encode())
    for slot in [node for node in root.iter() if etree.QName(node).localname == SLOT]:
        content = (slots or {})[slot.get("name", "")]
        namespace = etree.QName(slot).namespace
        holder = etree.Element(f"{{{namespace}}}div" if namespace else "div")
        if isinstance(content, Fragment):
            content.append_to(holder)
        elif content is not None:
            holder = content
        replace(slot, holder)
    return root


def replace(element: etree._Element, holder: etree._Element) -> None:
    """Put the content of ``holder`` (its text and children) where ``element`` is; drop it."""
    parent = element.getparent()
    assert parent is not None, "the root cannot be replaced"
    previous = element.getprevious()
    text, tail = holder.text or "", element.tail or ""
    if previous is not None:
        previous.tail = (previous.tail or "") + text
    else:
        parent.text = (parent.text or "") + text
    position = parent.index(element)
    children = list(holder)
    for offset, child in enumerate(children):
        parent.insert(position + offset, child)
    last = children[-1] if children else None
    parent.remove(element)
    if last is not None:
        last.tail = (last.tail or "") + tail
    elif (before := parent[position - 1] if position > 0 else None) is not None:
        before.tail = (before.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail


def unwrap(element: etree._Element) -> None:
    """Remove an element but keep its text, children and tail in place."""
    holder = etree.Element("div")
    holder.text = element.text
    for child in list(element):
        holder.append(child)
    replace(element, holder)


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
