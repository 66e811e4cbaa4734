"""An ``ImportedBook`` written out as a manuscript folder, all at once or not at all.

    DIR/book.toml        [book] from the document's metadata, [contents] in reading order
    DIR/text/NN-slug.md  one file per section (markdown.py)
    DIR/images/          the pictures, under the names the text uses
    DIR/IMPORT.md        what was not carried over, and the metadata that had to be supplied

The folder is made beside ``DIR`` under a hidden name and renamed into place when complete, then
read back as any manuscript is (book.toml, every text file parsed): an import that would not
build is refused, and an interrupted one leaves nothing.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import uuid
from pathlib import Path

from build_tools.errors import BookError, Location
from build_tools.importing.document import ImportedBook, ImportedSection, Loss
from build_tools.importing.markdown import section_markdown
from build_tools.lang.slug import slug
from build_tools.sources.contents import BACK_ROLES, FRONT_ROLES

_BOOK_KEYS: tuple[str, ...] = ("title", "subtitle", "author", "author_sort", "language", "identifier")
_BOOK_KEYS += (
    "publisher",
    "rights",
    "edition",
    "date",
    "description",
    "isbn_ebook",
    "isbn_print",
    "subjects",
)
_BOOK_KEYS += ("cover",)


def check_empty(out: Path) -> None:
    """Refuse an output folder that holds anything (nothing is ever overwritten)."""
    if out.is_file() or (out.is_dir() and any(out.iterdir())):
        raise BookError(
            "the folder to create already exists and is not empty: choose a new one", Location(out)
        )


def write_manuscript(book: ImportedBook, out: Path) -> None:
    """Write ``book`` as the manuscript folder ``out`` (which must not exist or be empty)."""
    check_empty(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    temporary = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".part", dir=out.parent))
    try:
        losses = _write(book, temporary)
        (temporary / "IMPORT.md").write_text(
            _report(book.metadata.get("title", ""), losses), encoding="utf-8"
        )
        _read_back(temporary)
        if out.is_dir():
            out.rmdir()
        temporary.rename(out)
    finally:
        shutil.rmtree(temporary, ignore_errors=True)
    book.losses[:] = losses


def _write(book: ImportedBook, folder: Path) -> list[Loss]:
    losses = list(book.losses)
    (folder / "text").mkdir()
    (folder / "images").mkdir()
    for name, data in book.images.items():
        (folder / "images" / name).write_bytes(data)
    files: list[tuple[ImportedSection, str]] = []
    width = max(2, len(str(len(book.sections))))
    for number, section in enumerate(book.sections, 1):
        text, lost = section_markdown(section)
        losses.extend(lost)
        name = f"text/{number:0{width}d}-{slug(section.title, 'section')[:60].strip('-') or 'section'}.md"
        (folder / name).write_text(text, encoding="utf-8")
        files.append((section, name))
    metadata, supplied = _metadata(book)
    losses.extend(supplied)
    (folder / "book.toml").write_text(_book_toml(metadata, files), encoding="utf-8")
    return losses


def _metadata(book: ImportedBook) -> tuple[dict[str, str | list[str]], list[Loss]]:
    """The [book] keys: the document's, and the required ones it lacks (each reported)."""
    data = {key: value for key, value in book.metadata.items() if key in _BOOK_KEYS and value}
    supplied: list[Loss] = []

    def supply(key: str, value: str, why: str) -> None:
        if not data.get(key):
            data[key] = value
            supplied.append(Loss("book.toml", f"'{key}' is not in the document: set to “{value}” ({why})"))

    supply("title", "Untitled", "give the book its title")
    supply("author", "Unknown author", "name the author")
    supply("language", "en", "set the book's language")
    digest = uuid.uuid5(uuid.NAMESPACE_URL, json.dumps(book.metadata, sort_keys=True, default=str))
    supply("identifier", f"urn:uuid:{digest}", "made from the metadata; keep it for every edition")
    supply("publisher", str(data["author"]), "the author, as for a book published by its author")
    supply("rights", "All rights reserved.", "the copyright page adds © with the year and the author")
    if book.cover and book.cover in book.images and book.cover.lower().endswith((".jpg", ".jpeg", ".png")):
        data["cover"] = f"images/{book.cover}"
    elif book.cover:
        supplied.append(Loss("cover", f"the cover {book.cover} is not a JPEG or PNG: not set as the cover"))
    return data, supplied


def _book_toml(metadata: dict[str, str | list[str]], files: list[tuple[ImportedSection, str]]) -> str:
    lines = ["# Imported by 'book import': see IMPORT.md for what was not carried over.", "", "[book]"]
    for key in _BOOK_KEYS:
        if key in metadata:
            lines.append(f"{key} = {_toml(metadata[key])}")
    lines += ["", "[contents]"]
    for place in ("front", "body", "back"):
        items = _items([(s, n) for s, n in files if s.place == place], place)
        if items:
            lines.append(f"{'files' if place == 'body' else place} = [\n" + ",\n".join(items) + ",\n]")
    return "\n".join(lines) + "\n"


def _items(files: list[tuple[ImportedSection, str]], place: str) -> list[str]:
    """The reading-order items of one matter: paths, roles, and parts of consecutive sections."""
    roles = {"front": FRONT_ROLES, "back": BACK_ROLES}.get(place, ())
    out: list[str] = []
    index = 0
    while index < len(files):
        section, name = files[index]
        if place == "body" and section.part:
            end = index
            while end < len(files) and files[end][0].part == section.part:
                end += 1
            group = ", ".join(_toml(n) for _, n in files[index:end])
            out.append(f"  {{ part = {_toml(section.part)}, files = [{group}] }}")
            index = end
            continue
        if section.role in roles:
            out.append(f"  {{ file = {_toml(name)}, role = {_toml(section.role)} }}")
        else:
            out.append(f"  {_toml(name)}")
        index += 1
    return out


def _toml(value: str | list[str]) -> str:
    """A TOML string (JSON's escapes are TOML's) or array of strings."""
    if isinstance(value, list):
        return "[" + ", ".join(json.dumps(item, ensure_ascii=False) for item in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def _report(title: str | list[str], losses: list[Loss]) -> str:
    lines = [f"# Import of “{title}”", ""]
    if not losses:
        return "\n".join([*lines, "Everything in the document was carried over.", ""])
    lines += ["What the manuscript does not carry, and where it was in the document:", ""]
    lines += [f"- {loss.where}: {loss.what}" for loss in losses]
    return "\n".join(lines) + "\n"


def _read_back(folder: Path) -> None:
    """Parse the folder as a build would; a failure is ours, said plainly, and nothing is kept."""
    from build_tools.parse.parser import parse
    from build_tools.sources.manuscript import load

    try:
        parse(load(folder), 0)
    except BookError as exc:
        message = exc.format_message().replace(str(folder), "<out>")
        raise BookError(
            f"the imported manuscript would not build ({message}): please report this", None
        ) from None
