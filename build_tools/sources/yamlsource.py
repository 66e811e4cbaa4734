"""Reading the manuscript's YAML files (chronology, names) as nodes that know their lines."""

from __future__ import annotations

from pathlib import Path

import yaml

from build_tools.errors import Location, ManuscriptError

# libyaml's parser when PyYAML has it: the pure-Python one takes longer than the rest of an
# EPUB build (0.13 s for the first book's two files).
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_OPEN = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_CLOSE = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


def compose(path: Path, text: str, what: str) -> yaml.Node:
    """The document's node tree; malformed YAML is an error at its line and column, and so is
    an alias to a mapping or a list, or a key that is not a text (see ``_events``)."""
    try:
        _events(path, text)
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = Location(path, mark.line + 1, mark.column + 1) if mark else Location(path)
        raise ManuscriptError(f"malformed YAML: {getattr(exc, 'problem', None) or exc}", where) from None
    if node is None:
        raise ManuscriptError(f"the {what} file is empty", Location(path))
    return node


def _events(path: Path, text: str) -> None:
    """Refuse what makes a small file expand into a huge one (issue 17: 534 bytes of aliases
    took 40 s and 2.8 GiB): an alias to a mapping or a list (the "billion laughs"), aliases
    of texts longer in all than the file itself, and a mapping or a list as a key (printed
    whole wherever a key is named). One pass over the parser's events, linear in the file."""
    anchored: dict[str, int] = {}  # an anchor's name: the length of its text (-1: not a text)
    expanded = 0
    stack: list[list[int]] = []  # per open collection: [is a mapping, items seen]
    for event in yaml.parse(text, Loader=_LOADER):
        is_key = bool(stack) and stack[-1][0] == 1 and stack[-1][1] % 2 == 0
        if isinstance(event, _CLOSE):
            stack.pop()
            continue
        if stack and isinstance(event, (yaml.NodeEvent, *_OPEN)):
            stack[-1][1] += 1
        if isinstance(event, yaml.AliasEvent):
            size = anchored.get(str(event.anchor), 0)
            if size < 0:
                raise ManuscriptError(
                    f"alias *{event.anchor} repeats a mapping or a list: write it out", _at(path, event)
                )
            expanded += size
            if expanded > len(text):
                raise ManuscriptError(
                    "aliases repeat more text than the file holds: write it out", _at(path, event)
                )
        elif isinstance(event, _OPEN):
            if is_key:
                raise ManuscriptError("a key must be a text, not a mapping or a list", _at(path, event))
            if event.anchor is not None:
                anchored[str(event.anchor)] = -1
            stack.append([int(isinstance(event, yaml.MappingStartEvent)), 0])
        elif isinstance(event, yaml.ScalarEvent) and event.anchor is not None:
            anchored[str(event.anchor)] = len(event.value)


def _at(path: Path, event: yaml.Event) -> Location:
    mark = event.start_mark
    return Location(path, mark.line + 1, mark.column + 1) if mark else Location(path)


def where(path: Path, node: yaml.Node) -> Location:
    return Location(path, node.start_mark.line + 1, node.start_mark.column + 1)


def text(path: Path, fields: dict[str, yaml.Node], name: str, owner: yaml.Node, what: str) -> str:
    """The non-empty text of field ``name`` of a mapping (an "event", an "entry")."""
    node = fields.get(name)
    if node is None:
        raise ManuscriptError(f"{what} without '{name}'", where(path, owner))
    if not isinstance(node, yaml.ScalarNode) or not str(node.value).strip():
        raise ManuscriptError(f"'{name}' must be a non-empty text", where(path, node))
    return str(node.value).strip()
