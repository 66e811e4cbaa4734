"""Text as our Markdown reads it: whitespace, escapes, and the small questions about an element."""

from __future__ import annotations

import re
from urllib.parse import quote

from lxml import etree

from build_tools.lang.tags import is_language_tag

_SPACE = re.compile(r"[ \t\n\r\f]+")  # HTML's white space: no-break spaces stay
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Characters Markdown or our extensions would read as markup wherever they stand.
_SPECIAL = re.compile(r"([\\`*_\[\]{}|])")
_ENTITY = re.compile(r"&(?=#?\w+;)")
# What starts a heading, a quotation, a list, a rule or a code block when it starts a line.
_LINE_START = re.compile(r"^(#|>|[-+](?=\s|$)|\d+(?=[.)](?:\s|$))|=+$|-+$)")


def local(node: etree._Element) -> str:
    """The element's name without a namespace, lower case ("" for a comment)."""
    tag = node.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1].lower()


def text_of(node: etree._Element) -> str:
    """All the text inside ``node``, as one string."""
    return "".join(str(part) for part in node.itertext())


def collapse(text: str) -> str:
    """HTML white space collapsed to single spaces, control characters dropped."""
    return _SPACE.sub(" ", _CONTROL.sub("", text))


def escape(text: str) -> str:
    """``text`` with every character the format would read as markup escaped."""
    text = _SPECIAL.sub(r"\\\1", text)
    return _ENTITY.sub("&amp;", text).replace("<", "&lt;")


def escape_line_starts(line: str) -> str:
    """A line whose start would make a block (``# …``, ``> …``, ``- …``, ``1. …``) escaped."""
    found = _LINE_START.match(line)
    if not found:
        return line
    if found[0][0].isdigit():
        end = found.end()
        return f"{line[:end]}\\{line[end:]}"
    if found[0][0] == "=":  # not escapable in Markdown: a character reference, read as "="
        return "&#61;" + line[1:]
    return "\\" + line


def code_span(text: str) -> str:
    """A code span holding ``text`` as typed (backticks inside take a longer fence)."""
    text = collapse(text)
    if not text.strip():
        return text
    fence = "`"
    while fence in text:
        fence += "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def is_note_call(node: etree._Element) -> bool:
    return isinstance(node.tag, str) and local(node) == "a" and node.get("data-note") is not None


def link_target(href: str) -> str | None:
    """The Markdown target of a link to the web or a mailbox; None for any other link."""
    href = href.strip()
    if not re.match(r"(?i)^(https?://[^\s/]+|mailto:[^\s@]+@)", href):
        return None
    return quote(href, safe="/:?#[]@!$&'*+,;=%~.-_")


def attributes(node: etree._Element) -> tuple[str, ...]:
    """The span attributes of the format this element carries: ``.smallcaps``, ``lang=…``."""
    if local(node) != "span":
        return ()
    out: list[str] = []
    if "smallcaps" in str(node.get("class", "")).split():
        out.append(".smallcaps")
    lang = str(node.get("lang", "")).strip()
    if lang and is_language_tag(lang):
        out.append(f"lang={lang}")
    return tuple(out)


def merge_adjacent(root: etree._Element) -> etree._Element:
    """``root`` with runs of the same emphasis merged (``<em>a</em><em>b</em>`` → ``<em>ab</em>``),
    so that no ``*a**b*`` is written; the tree is changed in place and returned."""
    for node in list(root.iter()):
        following = node.getnext()
        while (
            following is not None
            and isinstance(node.tag, str)
            and local(node) in ("em", "i", "strong", "b")
            and local(following) == local(node)
            and not (node.tail or "")
            and dict(following.attrib.items()) == dict(node.attrib.items())
        ):
            if len(node):
                node[-1].tail = (node[-1].tail or "") + (following.text or "")
            else:
                node.text = (node.text or "") + (following.text or "")
            for child in list(following):
                node.append(child)
            node.tail = following.tail
            node.getparent().remove(following)  # type: ignore[union-attr]
            following = node.getnext()
    return root


def remove_keeping_tail(node: etree._Element) -> None:
    """Take ``node`` out of its tree; the text after it stays where it was."""
    parent = node.getparent()
    if parent is None:
        return
    if node.tail:
        previous = node.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + node.tail
        else:
            parent.text = (parent.text or "") + node.tail
    parent.remove(node)


def unwrap(node: etree._Element) -> None:
    """Replace ``node`` by its content (text and children)."""
    parent = node.getparent()
    if parent is None:
        return
    index = parent.index(node)
    previous = node.getprevious()
    lead = node.text or ""
    if previous is not None:
        previous.tail = (previous.tail or "") + lead
    else:
        parent.text = (parent.text or "") + lead
    children = list(node)
    for offset, child in enumerate(children):
        parent.insert(index + offset, child)
    last = children[-1] if children else parent[index - 1] if index > 0 else None
    if last is not None:
        last.tail = (last.tail or "") + (node.tail or "")
    else:
        parent.text = (parent.text or "") + (node.tail or "")
    parent.remove(node)
