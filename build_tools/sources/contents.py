"""The reading order of ``book.toml``'s ``[contents]``: front matter, the body (with parts), back matter.

    [contents]
    front = ["text/dedication.md", { file = "text/preface.md", role = "preface" }]
    files = ["text/01.md", { part = "Part One", files = ["text/02.md", "text/03.md"] }]
    back = [{ file = "text/appendix-a.md", role = "appendix" }]

An item is a path or a table ``{ file = "…", role = "…" }``; a body item may be a part
``{ part = "Title", files = [...] }``. Front roles default to preface, back roles to appendix,
body files are chapters.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from build_tools.errors import Location, ManuscriptError, did_you_mean, key_location

FRONT_ROLES = ("dedication", "epigraph", "foreword", "preface", "introduction", "acknowledgments", "prologue")
BACK_ROLES = ("appendix", "afterword", "epilogue", "glossary", "bibliography")
# Front matter that prints no heading, no running head, and is not listed in the contents.
UNTITLED_ROLES = ("dedication", "epigraph")


@dataclass(frozen=True)
class Placement:
    """Where a text file stands in the book: front, body or back matter, its role, its part
    (1, 2… in the body; 0 for none)."""

    path: Path
    matter: str
    role: str
    part: int = 0


@dataclass(frozen=True)
class PartTitle:
    """A part of the body: its number (from 1) and its title as written."""

    number: int
    title: str


class _Reader:
    """Reads the items of ``[contents]``, every error at the line of its key."""

    def __init__(self, path: Path, text: str) -> None:
        self.path, self.text = path, text
        self.root = path.parent.resolve()
        self.seen: list[Path] = []

    def where(self, key: str) -> Location:
        return key_location(self.path, self.text, f"contents.{key}")

    def items(self, key: str, value: object, matter: str, part: int = 0) -> list[Placement]:
        if not isinstance(value, list):
            raise ManuscriptError(f"'{key}' must be a list of files", self.where(key))
        found: list[Placement] = []
        for item in value:
            if isinstance(item, str):
                found.append(self.placement(key, item, matter, _default_role(matter), part))
            elif isinstance(item, dict) and "file" in item:
                found.append(self.table(key, item, matter, part))
            else:
                raise ManuscriptError(
                    f'an item of \'{key}\' must be a file name or {{ file = "…", role = "…" }}'
                    + (' or { part = "…", files = [...] }' if matter == "body" and not part else ""),
                    self.where(key),
                )
        return found

    def table(self, key: str, item: dict[str, object], matter: str, part: int) -> Placement:
        unknown = [name for name in item if name not in ("file", "role")]
        if unknown:
            raise ManuscriptError(
                f"unknown key '{unknown[0]}' in an item of '{key}'"
                + did_you_mean(unknown[0], ("file", "role")),
                self.where(key),
            )
        role = item.get("role", _default_role(matter))
        roles = {"front": FRONT_ROLES, "back": BACK_ROLES, "body": ("chapter",)}[matter]
        if role not in roles:
            raise ManuscriptError(
                f"role {role!r} is not a role of '{key}'; use one of {', '.join(roles)}"
                + did_you_mean(str(role), roles),
                self.where(key),
            )
        file = item["file"]
        if not isinstance(file, str):
            raise ManuscriptError(f"'file' in '{key}' must be a file name", self.where(key))
        return self.placement(key, file, matter, str(role), part)

    def placement(self, key: str, name: str, matter: str, role: str, part: int) -> Placement:
        candidate = (self.root / name).resolve()
        if not candidate.is_relative_to(self.root):
            raise ManuscriptError(f"{name!r} is outside the manuscript folder", self.where(key))
        if is_dir(candidate):
            raise ManuscriptError(
                f"{name!r} in the reading order is a folder, not a text file", self.where(key)
            )
        if not is_file(candidate):
            raise ManuscriptError(f"file in the reading order does not exist: {name}", self.where(key))
        if candidate in self.seen:
            raise ManuscriptError(f"file listed twice in the reading order: {name}", self.where(key))
        self.seen.append(candidate)
        return Placement(self.path.parent / candidate.relative_to(self.root), matter, role, part)


def is_file(path: Path) -> bool:
    """``path.is_file()``, and False for a name the system refuses: one too long for a file
    name (ENAMETOOLONG) raised an "internal error" (issue 17's fuzzer)."""
    try:
        return path.is_file()
    except OSError:
        return False


def is_dir(path: Path) -> bool:
    """``path.is_dir()``, and False for a name the system refuses (as ``is_file``)."""
    try:
        return path.is_dir()
    except OSError:
        return False


def reading_order(
    contents: dict[str, object], path: Path, text: str
) -> tuple[list[Placement], list[PartTitle]]:
    """The text files in reading order with their places, and the parts of the body."""
    reader = _Reader(path, text)
    files = contents.get("files")
    if not isinstance(files, list):
        raise ManuscriptError(
            'missing reading order: add [contents] with files = ["text/01-….md", …]', Location(path)
        )
    front = reader.items("front", contents.get("front", []), "front")
    body: list[Placement] = []
    parts: list[PartTitle] = []
    for item in files:
        if isinstance(item, dict) and "part" in item:
            parts.append(_part(item, len(parts) + 1, reader))
            body += reader.items("files", item.get("files"), "body", parts[-1].number)
        else:
            body += reader.items("files", [item], "body")
    if not body:
        raise ManuscriptError(
            "the manuscript is empty: [contents] files lists no file", reader.where("files")
        )
    back = reader.items("back", contents.get("back", []), "back")
    return front + body + back, parts


def _part(item: dict[str, object], number: int, reader: _Reader) -> PartTitle:
    unknown = [name for name in item if name not in ("part", "files")]
    if unknown:
        raise ManuscriptError(
            f"unknown key '{unknown[0]}' in a part{did_you_mean(unknown[0], ('part', 'files'))}",
            reader.where("files"),
        )
    title = item["part"]
    if not isinstance(title, str) or not title.strip():
        raise ManuscriptError("a part's title must be a non-empty string", reader.where("files"))
    if not isinstance(item.get("files"), list) or not item["files"]:
        raise ManuscriptError(f"part {title!r} lists no files: add files = [...]", reader.where("files"))
    return PartTitle(number, title.strip())


def _default_role(matter: str) -> str:
    return {"front": "preface", "back": "appendix", "body": "chapter"}[matter]
