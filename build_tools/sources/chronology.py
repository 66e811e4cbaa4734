"""The chronology: events from a YAML file, checked, converted and sorted by date.

    events:
      - id: canton-commune              # unique; the entry's anchor is "event-<id>"
        date: "1927-12-11/1927-12-13"   # EDTF (see edtf.py)
        label: "11–13 December 1927"    # as printed, in the book's one date style
        event: "The *Canton Commune* …" # inline Markdown
        links: [canton-commune]         # optional: anchors {#…} in the text
        query: "…"                      # optional: an editorial query about the entry

Events are sorted by the first day they can mean; a less precise date comes before the exact
dates inside it (1927 before 1927-04 before 1927-04-12), then the order of the file.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import yaml

from build_tools.errors import Location, ManuscriptError
from build_tools.markup import Fragment
from build_tools.model import Event, Query
from build_tools.sources import edtf
from build_tools.sources.yamlsource import compose, where
from build_tools.sources.yamlsource import text as field_text

_ID = re.compile(r"^[a-z][a-z0-9-]*$")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
FIELDS = {"id", "date", "label", "event", "links", "query"}


def load(
    path: Path, text: str, inline: Callable[[str, Location], Fragment], anchors: dict[str, Location]
) -> tuple[tuple[Event, ...], list[Query]]:
    """Read the chronology file; ``inline`` converts inline Markdown to XHTML."""
    root = compose(path, text, "chronology")
    events_node = _mapping(root, path).get("events")
    if not isinstance(events_node, yaml.SequenceNode):
        raise ManuscriptError("the chronology needs a list 'events:'", where(path, root))
    events: list[Event] = []
    queries: list[Query] = []
    seen: dict[str, int] = {}  # event id: its line
    for node in events_node.value:
        fields = _mapping(node, path)
        place = where(path, node)
        unknown = set(fields) - FIELDS
        if unknown:
            raise ManuscriptError(f"unknown field '{sorted(unknown)[0]}' in an event", place)
        event_id = field_text(path, fields, "id", node, "event")
        if not _ID.match(event_id):
            raise ManuscriptError(
                f"event id {event_id!r}: use lowercase letters, digits, hyphens", where(path, fields["id"])
            )
        if event_id in seen:
            raise ManuscriptError(
                f"duplicate event id {event_id!r} (first at line {seen[event_id]})", where(path, fields["id"])
            )
        seen[event_id] = place.line
        try:
            when = edtf.parse(field_text(path, fields, "date", node, "event"))
        except edtf.EdtfError as exc:
            raise ManuscriptError(f"invalid date: {exc}", where(path, fields["date"])) from None
        links = _links(fields, path, anchors)
        if "query" in fields:
            query = field_text(path, fields, "query", node, "event")
            queries.append(Query(where(path, fields["query"]), query, f"chronology: {event_id}", event_id))
        events.append(
            Event(
                id=event_id,
                edtf=when.text,
                datetime=when.html_datetime,
                lower=when.lower,
                upper=when.upper,
                label=field_text(path, fields, "label", node, "event"),
                body=inline(_one_paragraph(path, fields, node), where(path, fields["event"])),
                links=links,
                location=place,
            )
        )
    events.sort(key=lambda e: (e.lower, -(e.upper - e.lower).days))
    return tuple(events), queries


def _one_paragraph(path: Path, fields: dict[str, yaml.Node], node: yaml.Node) -> str:
    """The event's text: one paragraph, as an entry of the chronology is printed."""
    text = field_text(path, fields, "event", node, "event")
    if _BLANK_LINE.search(text):
        raise ManuscriptError(
            "an event is one paragraph: remove the blank line (or put the rest in the text)",
            where(path, fields["event"]),
        )
    return text


def _mapping(node: yaml.Node, path: Path) -> dict[str, yaml.Node]:
    if not isinstance(node, yaml.MappingNode):
        raise ManuscriptError("expected a mapping of 'field: value'", where(path, node))
    return {str(key.value): value for key, value in node.value}


def _links(fields: dict[str, yaml.Node], path: Path, anchors: dict[str, Location]) -> tuple[str, ...]:
    node = fields.get("links")
    if node is None:
        return ()
    if not isinstance(node, yaml.SequenceNode):
        raise ManuscriptError("'links' must be a list of anchor ids", where(path, node))
    links = []
    for item in node.value:
        if not isinstance(item, yaml.ScalarNode):
            raise ManuscriptError("'links' must be a list of anchor ids", where(path, item))
        anchor = str(item.value)
        if anchor not in anchors:
            raise ManuscriptError(
                f"link to anchor {{#{anchor}}}, which is nowhere in the text", where(path, item)
            )
        links.append(anchor)
    return tuple(links)
