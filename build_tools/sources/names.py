"""The names file: index entries, the forms that count as mentions, cross-references.

entries:
  - id: mao
    heading: "Mao Zedong"            # as printed
    sort: "Mao Zedong"               # optional sort form (its order: lang/collation.py)
    qualifier: "1893–1976"           # optional
    kind: person                     # person | organization | periodical
    forms: ["Mao Zedong", "Mao"]     # case-sensitive whole words, longest found first
    see_also: [chiang]               # optional
  - heading: "Mao Tse-tung"          # a cross-reference: "Mao Tse-tung. See Mao Zedong"
    see: mao
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from build_tools.errors import Location, ManuscriptError
from build_tools.model import CrossRef, NameEntry
from build_tools.sources.yamlsource import compose, where
from build_tools.sources.yamlsource import text as field_text

_ID = re.compile(r"^[a-z][a-z0-9-]*$")
KINDS = ("person", "organization", "periodical")
MAIN_FIELDS = {"id", "heading", "sort", "qualifier", "kind", "forms", "see_also"}


@dataclass(frozen=True)
class Names:
    """The entries of the names file and a matcher for their forms."""

    entries: tuple[NameEntry, ...]
    cross_refs: tuple[CrossRef, ...]
    pattern: re.Pattern[str] | None
    by_form: dict[str, str]

    def entry_of(self, matched: str) -> str:
        return self.by_form[" ".join(apostrophes(matched).split())]


def apostrophes(text: str) -> str:
    """``text`` with its apostrophes straight: a form written O'Brien finds O’Brien, the
    apostrophe the build sets (``lang/typography.py``), and the reverse."""
    return text.replace("’", "'")


def _word_pattern(word: str) -> str:
    return re.escape(apostrophes(word)).replace("'", "['’]")


def load(path: Path, text: str) -> Names:
    """Read and check the names file; every problem names its line."""
    root = compose(path, text, "names")
    if not isinstance(root, yaml.MappingNode):
        raise ManuscriptError("the names file needs 'entries:'", where(path, root))
    top = {str(k.value): v for k, v in root.value}
    listing = top.get("entries")
    if not isinstance(listing, yaml.SequenceNode):
        raise ManuscriptError("the names file needs a list 'entries:'", where(path, root))
    entries: list[NameEntry] = []
    crossrefs: list[tuple[CrossRef, yaml.Node]] = []
    owners: dict[str, tuple[str, Location]] = {}
    for node in listing.value:
        if not isinstance(node, yaml.MappingNode):
            raise ManuscriptError("an entry must be a mapping of 'field: value'", where(path, node))
        fields = {str(k.value): v for k, v in node.value}
        if "see" in fields:
            heading = field_text(path, fields, "heading", node, "entry")
            target = field_text(path, fields, "see", node, "entry")
            crossrefs.append((CrossRef(heading, target, where(path, node)), fields["see"]))
            continue
        entries.append(_entry(path, fields, node, owners, {e.id for e in entries}))
    ids = {e.id: e for e in entries}
    for entry in entries:
        for target in entry.see_also:
            if target not in ids:
                raise ManuscriptError(f"'see_also' names {target!r}, which is not an entry", entry.location)
    for ref, node in crossrefs:
        if ref.see not in ids:
            heading_targets = {c.heading for c, _ in crossrefs}
            what = "another cross-reference" if ref.see in heading_targets else "no entry"
            raise ManuscriptError(
                f"'{ref.heading}. See {ref.see}': {ref.see!r} is {what}; a See must point to a main entry",
                where(path, node),
            )
    forms = sorted(owners, key=len, reverse=True)
    pattern = None
    if forms:
        body = "|".join(r"\s+".join(map(_word_pattern, form.split())) for form in forms)
        pattern = re.compile(rf"(?<![\w’'\-])(?:{body})(?![\w\-])")
    return Names(
        tuple(entries),
        tuple(c for c, _ in crossrefs),
        pattern,
        {form: owner for form, (owner, _) in owners.items()},
    )


def _entry(
    path: Path,
    fields: dict[str, yaml.Node],
    node: yaml.Node,
    owners: dict[str, tuple[str, Location]],
    seen: set[str],
) -> NameEntry:
    unknown = set(fields) - MAIN_FIELDS
    if unknown:
        raise ManuscriptError(f"unknown field '{sorted(unknown)[0]}' in an entry", where(path, node))
    entry_id = field_text(path, fields, "id", node, "entry")
    place = where(path, node)
    if not _ID.match(entry_id):
        raise ManuscriptError(f"entry id {entry_id!r}: use lowercase letters, digits, hyphens", place)
    if entry_id in seen:
        raise ManuscriptError(f"duplicate entry id {entry_id!r}", place)
    heading = field_text(path, fields, "heading", node, "entry")
    kind = field_text(path, fields, "kind", node, "entry") if "kind" in fields else "person"
    if kind not in KINDS:
        raise ManuscriptError(f"kind must be one of {', '.join(KINDS)}", where(path, fields["kind"]))
    forms = _list(path, fields, "forms")
    if not forms:
        raise ManuscriptError(f"entry {entry_id!r} has no forms to find in the text", place)
    for form, form_node in zip(forms, fields["forms"].value, strict=True):
        normal = " ".join(apostrophes(form).split())
        if normal in owners and owners[normal][0] != entry_id:
            other, first = owners[normal]
            raise ManuscriptError(
                f"form {form!r} is claimed by {other!r} (at {first}) and by {entry_id!r}",
                where(path, form_node),
            )
        owners[normal] = (entry_id, where(path, form_node))

    def optional(name: str, default: str) -> str:
        return field_text(path, fields, name, node, "entry") if name in fields else default

    return NameEntry(
        id=entry_id,
        heading=heading,
        sort=optional("sort", heading),
        qualifier=optional("qualifier", ""),
        kind=kind,
        forms=tuple(forms),
        see_also=tuple(_list(path, fields, "see_also")),
        location=place,
    )


def _list(path: Path, fields: dict[str, yaml.Node], name: str) -> list[str]:
    node = fields.get(name)
    if node is None:
        return []
    if not isinstance(node, yaml.SequenceNode) or not all(isinstance(i, yaml.ScalarNode) for i in node.value):
        raise ManuscriptError(f"'{name}' must be a list of texts", where(path, node))
    return [str(item.value).strip() for item in node.value]
