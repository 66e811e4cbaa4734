"""Reading the manuscript's YAML files (chronology, names) as nodes that know their lines."""

from __future__ import annotations

from pathlib import Path

import yaml

from build_tools.errors import Location, ManuscriptError

# libyaml's parser when PyYAML has it: the pure-Python one takes longer than the rest of an
# EPUB build (0.13 s for the first book's two files).
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def compose(path: Path, text: str, what: str) -> yaml.Node:
    """The document's node tree; malformed YAML is an error at its line and column."""
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = Location(path, mark.line + 1, mark.column + 1) if mark else Location(path)
        raise ManuscriptError(f"malformed YAML: {getattr(exc, 'problem', None) or exc}", where) from None
    if node is None:
        raise ManuscriptError(f"the {what} file is empty", Location(path))
    return node


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
