"""The indexes ``book.toml`` asks for: ``indexes`` in ``[contents]``, a title and kinds each.

    [contents]
    names = "names.yaml"
    indexes = [{ title = "Index of Names", kinds = ["person", "organization", "work"] },
               { title = "Index of Places", kinds = ["place"] }]

Without ``indexes`` the book has one index of every entry, titled by the language's label
(``index`` in [labels]). With it, every kind of the names file's entries is in exactly one
index (a periodical is a work: in the index of works unless one lists it), and every index
holds an entry (``check``, once the names are read). A *See* entry is printed in the index of
the entry it points at; a *See also* must point within its entry's index: a reader looking up
Smolny in the Index of Places is not sent to another index.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from build_tools.errors import Location, ManuscriptError, did_you_mean, key_location
from build_tools.model import Index, NameEntry
from build_tools.sources.names import ALIASES, KINDS

FIELDS = ("title", "kinds")


@dataclass(frozen=True)
class Indexes:
    """The indexes of ``[contents]`` (none: the one index of every entry) and where they are
    written, for the errors found once the names are read."""

    chosen: tuple[Index, ...] = ()
    location: Location | None = None


def read(contents: dict[str, object], path: Path, text: str) -> Indexes:
    """``indexes`` of ``[contents]``, each title and kind checked (every error at its line)."""
    value = contents.get("indexes")
    if value is None:
        return Indexes()
    where = key_location(path, text, "contents.indexes")
    if contents.get("names") is None:
        raise ManuscriptError("'indexes' needs a names file: add names = … to [contents]", where)
    if not isinstance(value, list) or not value:
        raise ManuscriptError('indexes must be a list of { title = "…", kinds = ["person", …] }', where)
    chosen: list[Index] = []
    owner: dict[str, str] = {}
    for number, item in enumerate(value, 1):
        index = _index(item, number, where)
        for kind in index.kinds:
            if kind in owner:
                raise ManuscriptError(
                    f"kind {kind!r} is in two indexes, {owner[kind]!r} and {index.title!r}: "
                    "an entry is printed in one index",
                    where,
                )
            owner[kind] = index.title
        chosen.append(index)
    if "work" in owner and "periodical" not in owner:  # a periodical is a work (names.py)
        chosen = [replace(i, kinds=(*i.kinds, "periodical")) if "work" in i.kinds else i for i in chosen]
    return Indexes(tuple(chosen), where)


def _index(item: object, number: int, where: Location) -> Index:
    if not isinstance(item, dict):
        raise ManuscriptError(f'index {number} must be {{ title = "…", kinds = [...] }}', where)
    unknown = [name for name in item if name not in FIELDS]
    if unknown:
        raise ManuscriptError(
            f"unknown key {unknown[0]!r} in index {number}{did_you_mean(str(unknown[0]), FIELDS)}", where
        )
    title = item.get("title")
    if not isinstance(title, str) or not title.strip():
        raise ManuscriptError(f'index {number} needs a title: title = "…"', where)
    kinds = item.get("kinds")
    if not isinstance(kinds, list) or not kinds or not all(isinstance(k, str) for k in kinds):
        raise ManuscriptError(
            f'index {title.strip()!r} needs its kinds: kinds = ["person", …] (of {", ".join(KINDS)})',
            where,
        )
    known: list[str] = []
    for written in kinds:
        kind = ALIASES.get(str(written), str(written))
        if kind not in KINDS:
            raise ManuscriptError(
                f"index {title.strip()!r}: {kind!r} is not a kind of entry; use one of "
                f"{', '.join(KINDS)}{did_you_mean(kind, KINDS)}",
                where,
            )
        if kind not in known:
            known.append(kind)
    return Index(number, title.strip(), tuple(known))


def check(indexes: Indexes, entries: tuple[NameEntry, ...]) -> None:
    """Every entry in one index, every index with an entry, every *See also* within its index."""
    if not indexes.chosen:
        return
    assert indexes.location is not None
    home = {kind: index for index in indexes.chosen for kind in index.kinds}
    for entry in entries:
        if entry.kind not in home:
            raise ManuscriptError(
                f"entry {entry.id!r} is a {entry.kind}, a kind no index of book.toml holds: "
                f"add {entry.kind!r} to the kinds of one of [contents] indexes",
                entry.location,
            )
    for index in indexes.chosen:
        if not any(home[entry.kind] == index for entry in entries):
            raise ManuscriptError(
                f"index {index.title!r} holds no entry: no entry of the names file is a "
                f"{' or '.join(index.kinds)}",
                indexes.location,
            )
    by_id = {entry.id: entry for entry in entries}
    for entry in entries:
        for other in (by_id[target] for target in entry.see_also):
            if home[other.kind] != home[entry.kind]:
                raise ManuscriptError(
                    f"'see_also' of {entry.id!r} ({home[entry.kind].title}) names {other.id!r}, "
                    f"which is in the {home[other.kind].title}: a See also points within its "
                    "index; put both kinds in one index, or drop it",
                    entry.location,
                )
