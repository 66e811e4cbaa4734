"""An imported section's HTML (``document.py``'s vocabulary) written as our Markdown.

Blocks are separated by blank lines, a paragraph is one line (``\\`` ends a line that breaks),
notes are numbered ``[^1]``… in order of first call with their definitions at the end, and every
character the format would read as markup is escaped, so the text prints as it was.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from build_tools.importing.document import ImportedSection, Loss
from build_tools.importing.tables import table_lines
from build_tools.importing.text import (
    attributes,
    code_span,
    collapse,
    escape,
    escape_line_starts,
    is_note_call,
    link_target,
    local,
    merge_adjacent,
    remove_keeping_tail,
    text_of,
)

BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "table", "figure", "hr", "pre"}
CONTAINERS = {"div", "section", "article", "aside", "main", "header", "footer", "nav", "body", "li", "dl"}
EMPHASIS = {"em": "*", "i": "*", "cite": "*", "var": "*", "dfn": "*", "strong": "**", "b": "**"}
PLAIN = {"span", "font", "small", "big", "abbr", "acronym", "q", "mark", "time", "label", "bdi", "bdo"}
NOTED = {"sup": "superscript", "sub": "subscript", "u": "underline", "s": "strike-through"}
NOTED.update({"strike": "strike-through", "del": "strike-through", "ins": "underline"})


@dataclass
class _Context:
    """What surrounds the inline content being written."""

    emphasis: frozenset[str] = frozenset()
    attrs: tuple[str, ...] = ()  # ".smallcaps", "lang=fr" of the spans around (distributed)
    one_line: bool = False  # a table cell, a caption, a heading: a line break is a space


@dataclass
class _Section:
    """The state of one section's writing: its notes' numbers and what it could not carry."""

    section: ImportedSection
    numbers: dict[str, int] = field(default_factory=dict)
    losses: list[Loss] = field(default_factory=list)
    kinds: dict[str, int] = field(default_factory=dict)  # markup kept as text: how many times
    in_note: bool = False
    pending: list[str] = field(default_factory=list)  # note calls of a heading, for the next paragraph

    def lose(self, what: str) -> None:
        self.losses.append(Loss(self.section.source or self.section.title, what))


def section_markdown(section: ImportedSection) -> tuple[str, list[Loss]]:
    """The Markdown file of ``section`` and what it could not carry over."""
    state = _Section(section)
    body = merge_adjacent(section.body)
    title = _title(state, body)
    out = [f"# {title}"]
    blocks = _blocks(state, body)
    if state.pending:  # a heading with a note call and no paragraph after it
        blocks.append("".join(_call(state, key) for key in state.pending))
    out.extend(blocks)
    out.extend(_definitions(state))
    for kind, count in sorted(state.kinds.items()):
        state.lose(f"{kind} kept as plain text ({count} {'time' if count == 1 else 'times'})")
    return "\n\n".join(out) + "\n", state.losses


def _title(state: _Section, body: etree._Element) -> str:
    """The section's title (its first h1, taken out of the body); its note calls wait for the
    first paragraph (a heading holds no note call in the format)."""
    heading = next((node for node in body.iter() if local(node) == "h1"), None)
    if heading is None:
        return escape_line_starts(escape(collapse(state.section.title))) or "Untitled"
    _take_calls(state, heading)
    title = _closing_hash(_inline_text(state, heading, _Context(one_line=True)).strip())
    remove_keeping_tail(heading)
    return escape_line_starts(title) or escape(collapse(state.section.title)) or "Untitled"


def _take_calls(state: _Section, heading: etree._Element) -> None:
    calls = [node for node in heading.iter() if is_note_call(node)]
    for call in calls:
        state.pending.append(str(call.get("data-note")))
        remove_keeping_tail(call)
    if calls:
        words = collapse(text_of(heading)).strip()
        state.lose(f"the note call in the heading “{words}” moved to the end of the paragraph after it")


def _blocks(state: _Section, container: etree._Element) -> list[str]:
    """The Markdown blocks of a container's children; loose inline content makes paragraphs."""
    out: list[str] = []
    run: list[etree._Element | str] = [container.text] if container.text else []
    for child in container:
        if not isinstance(child.tag, str):  # a comment or a processing instruction
            run.append(child.tail or "")
            continue
        name = local(child)
        if name in BLOCKS or name in CONTAINERS:
            out.extend(_paragraph(state, run))
            run = []
            out.extend(_block(state, child, name))
            if child.tail:
                run.append(child.tail)
        else:
            run.append(child)
    out.extend(_paragraph(state, run))
    return [block for block in out if block.strip()]


def _paragraph(state: _Section, run: list[etree._Element | str]) -> list[str]:
    """A paragraph of loose inline content (text and inline elements), if it holds any."""
    holder = etree.Element("p")
    for item in run:
        if isinstance(item, str):
            if len(holder):
                holder[-1].tail = (holder[-1].tail or "") + item
            else:
                holder.text = (holder.text or "") + item
        else:
            tail, item.tail = item.tail, None
            holder.append(item)
            holder[-1].tail = tail
    return _block(state, holder, "p")


def _block(state: _Section, node: etree._Element, name: str) -> list[str]:
    """One block element as Markdown (a list of blocks: a container gives several)."""
    if name == "div" and "verse" in str(node.get("class", "")).split():
        return [_verse(state, node)]
    if name in CONTAINERS:
        return _blocks(state, node)
    if name == "p":
        text = _inline_text(state, node, _Context()).strip()
        if text and state.pending:
            text += "".join(_call(state, key) for key in state.pending)
            state.pending.clear()
        return [_lines(text)] if text else []
    if name in ("h1", "h2", "h3", "h4", "h5", "h6"):
        heading = _heading(state, node, int(name[1]))
        return [heading] if heading.strip("# ") else []
    if name == "blockquote":
        inner = _blocks(state, node)
        return ["\n".join(f"> {line}".rstrip() for line in "\n\n".join(inner).split("\n"))] if inner else []
    if name in ("ul", "ol"):
        return [_list(state, node, name == "ol")]
    if name == "table":
        return ["\n".join(table_lines(node, lambda cell: _cell(state, cell), state.lose))]
    if name == "figure":
        return _figure(state, node)
    if name == "hr":
        return ["* * *"]
    text = text_of(node).strip("\n")  # pre: an indented code block, as typed
    return ["\n".join(f"    {line}".rstrip() for line in text.split("\n"))] if text.strip() else []


def _verse(state: _Section, node: etree._Element) -> str:
    """A poem (our own EPUB's ``div.verse``: stanzas of ``span.line indent-N``, or lines parted
    by ``br``) as a ``::: verse`` block, each line's indent two spaces a level."""
    stanzas = [child for child in node if local(child) == "p"] or [node]
    written: list[str] = []
    for stanza in stanzas:
        lines = [
            child for child in stanza if local(child) == "span" and "line" in str(child.get("class", ""))
        ]
        if lines:
            texts = [
                (_indent(line), _inline_text(state, line, _Context(one_line=True)).strip()) for line in lines
            ]
        else:
            texts = [(0, line.strip()) for line in _inline_text(state, stanza, _Context()).split("\\\n")]
        written.append("\n".join("  " * indent + escape_line_starts(text) for indent, text in texts if text))
    return "::: verse\n" + "\n\n".join(block for block in written if block) + "\n:::"


def _indent(line: etree._Element) -> int:
    found = re.search(r"\bindent-(\d)\b", str(line.get("class", "")))
    return int(found[1]) if found else 0


def _lines(text: str) -> str:
    """A paragraph's text with every line start escaped (a ``\\`` line break starts a line)."""
    return "\n".join(escape_line_starts(line.strip()) for line in text.split("\n"))


def _heading(state: _Section, node: etree._Element, level: int) -> str:
    _take_calls(state, node)
    text = _closing_hash(_inline_text(state, node, _Context(one_line=True)).strip())
    return "#" * max(2, level) + " " + escape_line_starts(text)


def _closing_hash(text: str) -> str:
    """A heading's text ending in ``#`` escaped: Markdown reads trailing hashes as a closing mark."""
    return text[:-1] + "\\#" if text.endswith("#") else text


def _list(state: _Section, node: etree._Element, ordered: bool) -> str:
    items = [child for child in node if isinstance(child.tag, str) and local(child) == "li"]
    start = int(node.get("start", "1")) if str(node.get("start", "1")).isdigit() else 1
    out: list[str] = []
    for number, item in enumerate(items, start):
        marker = f"{number}. " if ordered else "- "
        blocks = _blocks(state, item) or [""]
        first, *rest = blocks
        lines = first.split("\n")
        text = [marker + lines[0]] + ["    " + line for line in lines[1:]]
        for block in rest:
            nested = block.startswith(("- ", "1. ")) or re.match(r"\d+\. ", block)
            text.extend([] if nested else [""])
            text.extend(("    " + line).rstrip() for line in block.split("\n"))
        out.append("\n".join(text))
    return "\n".join(out)


def _cell(state: _Section, cell: etree._Element) -> str:
    return _inline_text(state, cell, _Context(one_line=True)).strip()


def _figure(state: _Section, node: etree._Element) -> list[str]:
    images = [child for child in node.iter() if local(child) == "img"]
    caption_node = next((child for child in node.iter() if local(child) == "figcaption"), None)
    caption = (
        _inline_text(state, caption_node, _Context(one_line=True)).strip() if caption_node is not None else ""
    )
    if not images:
        return [escape_line_starts(caption)] if caption else []
    if len(images) > 1:
        state.lose(f"a figure of {len(images)} pictures became {len(images)} figures")
    out = [_image(image) for image in images]
    if caption:
        out[-1] = out[-1][:-1] + f' "{caption}")'
    return out


def _image(node: etree._Element) -> str:
    """An image; its path as the file in text/ reaches it (a path is relative to its file)."""
    alt = escape(collapse(str(node.get("alt", "")))).strip()
    return f"![{alt}](../{node.get('src', '')})"


def _inline_text(state: _Section, node: etree._Element, context: _Context) -> str:
    """The inline Markdown of ``node``'s content."""
    parts = [_text(node.text or "", context)]
    for child in node:
        if isinstance(child.tag, str):
            parts.append(_inline(state, child, context))
        parts.append(_text(child.tail or "", context))
    return "".join(parts)


def _text(text: str, context: _Context) -> str:
    if not text:
        return ""
    escaped = escape(collapse(text))
    if context.attrs and escaped.strip():
        lead, core, trail = _split_space(escaped)
        return f"{lead}[{core}]{{{' '.join(context.attrs)}}}{trail}"
    return escaped


def _split_space(text: str) -> tuple[str, str, str]:
    core = text.strip(" ")
    start = text.index(core) if core else 0
    return text[:start], core, text[start + len(core) :]


def _inline(state: _Section, node: etree._Element, context: _Context) -> str:  # noqa: C901
    """One inline element."""
    name = local(node)
    if is_note_call(node):
        return _call(state, str(node.get("data-note")))
    if name in EMPHASIS:
        return _emphasis(state, node, context, EMPHASIS[name])
    if name == "br":
        return " " if context.one_line else "\\\n"
    if name == "img":
        return _image(node)
    if name == "code":
        return code_span(text_of(node))
    if name == "a":
        return _link(state, node, context)
    if own := attributes(node):
        return _span(state, node, context, own)
    if name in NOTED:
        state.kinds[NOTED[name]] = state.kinds.get(NOTED[name], 0) + 1
    elif name not in PLAIN:
        state.kinds[f"<{name}>"] = state.kinds.get(f"<{name}>", 0) + 1
    return _inline_text(state, node, context)


def _span(state: _Section, node: etree._Element, context: _Context, own: tuple[str, ...]) -> str:
    """A small-caps or language span: ``[text]{.smallcaps lang=fr}``. A span holding another
    span or a note call (neither may stand inside one) is written as spans of its text runs."""
    combined = tuple(sorted(set(context.attrs) | set(own), key=lambda attr: (not attr.startswith("."), attr)))
    inside = [child for child in node.iter() if child is not node]
    if any(attributes(child) or is_note_call(child) for child in inside):
        return _inline_text(state, node, _Context(context.emphasis, combined, context.one_line))
    text = _inline_text(state, node, _Context(context.emphasis, (), context.one_line))
    lead, core, trail = _split_space(text)
    return f"{lead}[{core}]{{{' '.join(combined)}}}{trail}" if core else text


def _emphasis(state: _Section, node: etree._Element, context: _Context, marker: str) -> str:
    if marker in context.emphasis:
        return _inline_text(state, node, context)
    inner = _inline_text(state, node, _Context(context.emphasis | {marker}, context.attrs, context.one_line))
    lead, core, trail = _split_space(inner)
    return f"{lead}{marker}{core}{marker}{trail}" if core else inner


def _link(state: _Section, node: etree._Element, context: _Context) -> str:
    text = _inline_text(state, node, context)
    target = link_target(str(node.get("href", "")))
    if target is None or not text.strip():
        return text
    return f"[{text}]({target})"


def _call(state: _Section, key: str) -> str:
    if state.in_note:
        state.lose("a note call inside a note was dropped (the format has no notes in notes)")
        return ""
    if key not in state.section.notes:
        state.lose(f"a note call to a note that is not in the document ({key}) was dropped")
        return ""
    note = state.section.notes[key]
    if (
        key not in state.numbers
        and not text_of(note).strip()
        and not any(local(n) == "img" for n in note.iter())
    ):
        state.lose("an empty note was dropped with its call")
        return ""
    number = state.numbers.setdefault(key, len(state.numbers) + 1)
    return f"[^{number}]"


def _definitions(state: _Section) -> list[str]:
    """The notes' definitions, in number order; a note never called is reported."""
    state.in_note = True
    out = []
    for key, number in state.numbers.items():
        blocks = _blocks(state, merge_adjacent(state.section.notes[key]))
        lines = f"[^{number}]: " + "\n\n".join(blocks)
        out.append(
            "\n".join(
                line if i == 0 or not line else "    " + line for i, line in enumerate(lines.split("\n"))
            )
        )
    for key, note in state.section.notes.items():
        if key not in state.numbers:
            words = collapse(text_of(note)).strip()[:60]
            state.lose(f"a note that no call refers to was dropped (“{words}…”)")
    return out
