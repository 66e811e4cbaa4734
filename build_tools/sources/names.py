"""The names file: index entries, the forms that count as mentions, cross-references.

entries:
  - id: mao
    heading: "Mao Zedong"            # as printed; inline Markdown (*italic*, [x]{.smallcaps})
    sort: "Mao Zedong"               # optional sort form (default: the heading's text)
    qualifier: "1893–1976"           # optional
    kind: person                     # person | organization | place | work (periodical: a work)
    forms: ["Mao Zedong", "Mao"]     # case-sensitive whole words, longest found first
    see_also: [chiang]               # optional
    subentries:                      # optional: printed indented, each with its locators
      - id: hunan                    # a mark [text]{@mao>hunan} puts a mention under it
        heading: "Hunan report"
        forms: ["Hunan Report"]      # optional: a form found is a mention of the subentry
  - heading: "Mao Tse-tung"          # a cross-reference: "Mao Tse-tung. See Mao Zedong"
    see: mao
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from build_tools.errors import Location, ManuscriptError
from build_tools.model import CrossRef, NameEntry, SubEntry
from build_tools.sources.limits import check_limits
from build_tools.sources.yamlsource import compose, where
from build_tools.sources.yamlsource import text as field_text

_ID = re.compile(r"^[a-z][a-z0-9-]*$")


def _heading(path: Path, fields: dict[str, yaml.Node], node: yaml.Node, what: str) -> str:
    """A heading: inline Markdown within the text's limits (issue 17: 40 '> ' in a heading
    took minutes to convert, each one more twice as long), refused at its line."""
    heading = field_text(path, fields, "heading", node, what)
    check_limits(heading, path, where(path, fields["heading"]).line)
    return heading


# "organisation" is the British spelling of "organization"; a periodical is a work, printed
# in italics as every work is.
KINDS = ("person", "organization", "place", "work", "periodical")
ALIASES = {"organisation": "organization"}
MAIN_FIELDS = {"id", "heading", "sort", "qualifier", "kind", "forms", "see_also", "subentries"}
SUB_FIELDS = {"id", "heading", "sort", "forms"}


@dataclass(frozen=True)
class Names:
    """The entries of the names file and a matcher for their forms."""

    entries: tuple[NameEntry, ...]
    cross_refs: tuple[CrossRef, ...]
    pattern: re.Pattern[str] | None
    by_form: dict[str, str]

    def entry_of(self, matched: str) -> str:
        """The entry id a form found belongs to: ``serge``, or ``serge>china`` for a subentry's."""
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
            heading = _heading(path, fields, node, "entry")
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
    heading = _heading(path, fields, node, "entry")
    kind = field_text(path, fields, "kind", node, "entry") if "kind" in fields else "person"
    kind = ALIASES.get(kind, kind)
    if kind not in KINDS:
        raise ManuscriptError(f"kind must be one of {', '.join(KINDS)}", where(path, fields["kind"]))
    forms = _forms(path, fields, entry_id, owners)
    if not forms:
        raise ManuscriptError(f"entry {entry_id!r} has no forms to find in the text", place)

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
        subentries=_subentries(path, fields, entry_id, owners),
    )


def _forms(
    path: Path, fields: dict[str, yaml.Node], owner: str, owners: dict[str, tuple[str, Location]]
) -> list[str]:
    """The forms of an entry or subentry (``owner``: ``serge`` or ``serge>china``), claimed."""
    forms = _list(path, fields, "forms")
    for form, form_node in zip(forms, fields["forms"].value if forms else (), strict=True):
        normal = " ".join(apostrophes(form).split())
        if normal in owners and owners[normal][0] != owner:
            other, first = owners[normal]
            raise ManuscriptError(
                f"form {form!r} is claimed by {other!r} (at {first}) and by {owner!r}",
                where(path, form_node),
            )
        owners[normal] = (owner, where(path, form_node))
    return forms


def _subentries(
    path: Path, fields: dict[str, yaml.Node], entry_id: str, owners: dict[str, tuple[str, Location]]
) -> tuple[SubEntry, ...]:
    listing = fields.get("subentries")
    if listing is None:
        return ()
    if not isinstance(listing, yaml.SequenceNode):
        raise ManuscriptError("'subentries' must be a list of entries", where(path, listing))
    made: list[SubEntry] = []
    for node in listing.value:
        if not isinstance(node, yaml.MappingNode):
            raise ManuscriptError("a subentry must be a mapping of 'field: value'", where(path, node))
        sub = {str(k.value): v for k, v in node.value}
        unknown = set(sub) - SUB_FIELDS
        if unknown:
            raise ManuscriptError(f"unknown field '{sorted(unknown)[0]}' in a subentry", where(path, node))
        sub_id = field_text(path, sub, "id", node, "subentry")
        if not _ID.match(sub_id):
            raise ManuscriptError(
                f"subentry id {sub_id!r}: use lowercase letters, digits, hyphens", where(path, node)
            )
        if any(s.id == sub_id for s in made):
            raise ManuscriptError(f"duplicate subentry id {sub_id!r} in {entry_id!r}", where(path, node))
        heading = _heading(path, sub, node, "subentry")
        sort = field_text(path, sub, "sort", node, "subentry") if "sort" in sub else heading
        forms = _forms(path, sub, f"{entry_id}>{sub_id}", owners)
        made.append(SubEntry(sub_id, heading, sort, tuple(forms)))
    return tuple(made)


def _list(path: Path, fields: dict[str, yaml.Node], name: str) -> list[str]:
    node = fields.get(name)
    if node is None:
        return []
    if not isinstance(node, yaml.SequenceNode) or not all(isinstance(i, yaml.ScalarNode) for i in node.value):
        raise ManuscriptError(f"'{name}' must be a list of texts", where(path, node))
    return [str(item.value).strip() for item in node.value]
