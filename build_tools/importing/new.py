"""``book new DIR``: a manuscript folder that builds at once, every form of the format shown.

The files are the templates of ``starter/`` (package data): book.toml with every key the format
has (the optional ones commented out, each with what it does), a chapter that shows and explains
each form of the text, names.yaml and chronology.yaml that match it, and a picture drawn here
with Pillow. The folder is written in a temporary folder beside DIR and renamed into place when
complete, so that a failed or interrupted ``book new`` leaves nothing half made.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import uuid
from collections.abc import Iterable
from datetime import date
from importlib.resources import files
from pathlib import Path
from string import Template

from build_tools.design.profiles import DEFAULT as DEFAULT_PROFILE
from build_tools.design.profiles import PROFILES
from build_tools.design.trims import DEFAULT as DEFAULT_TRIM
from build_tools.design.trims import TRIMS
from build_tools.errors import BookError, Location
from build_tools.lang.labels import ENGLISH, FIELDS, labels_for, placeholders
from build_tools.lang.slug import slug
from build_tools.lang.tags import is_language_tag
from build_tools.sources.contents import BACK_ROLES, FRONT_ROLES
from build_tools.sources.manuscript import PAPERS

CHAPTER = "text/01-how-this-book-is-written.md"
PICTURE = "images/open-book.png"
# The tag book.toml accepts (sources/manuscript.py): a primary subtag, then subtags.
# What TOML's basic strings may not hold unescaped (TOML 1.0, "String"), and what no book may.
_CONTROL = re.compile("[\x00-\x1f\x7f]")
# The picture's pixels: the widest text block is 4.5 in (a 6 in trim, less the 0.625 in outside
# margin and the 0.875 in gutter the layout starts from), where 1800 px print at 400 ppi; any
# block up to 6 in wide still gets the printers' 300 ppi.
PICTURE_SIZE = (1800, 1152)


def new_manuscript(folder: Path, *, title: str | None, author: str, language: str) -> Path:
    """Create ``folder`` (its parents too) as a new manuscript and return it. Raises
    ``BookError``, with nothing written, when ``folder`` is a file or a folder with files in it,
    or when an option is not a value book.toml takes."""
    _check_target(folder)
    title = _readable(folder) if title is None else title
    values = _values(title, author, language)
    contents = _contents(values)
    target = Path(os.path.abspath(folder))  # "." and "a/.." have a name and a parent
    created = _make_parents(target.parent)
    work: Path | None = None
    try:
        work = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".new", dir=target.parent))
        _write(work, contents)
        _check_target(folder)  # still free: nothing made it while the files were written
        os.replace(work, target)  # a folder onto an empty folder (POSIX rename(2))
        work = None
    except OSError as exc:
        raise BookError(f"cannot create the manuscript folder: {exc.strerror}", Location(folder)) from None
    finally:
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)
            for parent in reversed(created):
                _remove_if_empty(parent)
    return folder


def _check_target(folder: Path) -> None:
    """``folder`` may be made: it does not exist, or it is an empty folder."""
    if folder.is_symlink():
        raise BookError("is a symbolic link: give the path of a new folder", Location(folder))
    if folder.exists() and not folder.is_dir():
        raise BookError("is a file, not a folder: give the path of a new folder", Location(folder))
    if folder.is_dir() and any(folder.iterdir()):
        raise BookError(
            "the folder is not empty: book new writes only into a new or empty folder", Location(folder)
        )
    for parent in folder.parents:
        if parent.exists() and not parent.is_dir():
            raise BookError(f"{parent} is a file, not a folder", Location(folder))


def _readable(folder: Path) -> str:
    """The folder's name as a title: "my-first_book" gives "My First Book"."""
    words = re.sub(r"[-_.\s]+", " ", Path(os.path.abspath(folder)).name).split()
    return " ".join(word[:1].upper() + word[1:] for word in words) or "Untitled"


def _values(title: str, author: str, language: str) -> dict[str, str]:
    """The options as book.toml's values, checked as book.toml checks them."""
    for option, value in (("--title", title), ("--author", author), ("--language", language)):
        if not value.strip():
            raise BookError(f"{option} must not be empty")
        if _CONTROL.search(value):
            raise BookError(f"{option} {value!r} has a control character, which no book may hold")
    if not is_language_tag(language):
        raise BookError(f"--language must be a BCP 47 tag such as 'en', 'fr' or 'en-GB', not {language!r}")
    title, author = " ".join(title.split()), " ".join(author.split())
    return {
        "title": title,
        "author": author,
        "language": language,
        "identifier": f"urn:uuid:{uuid.uuid4()}",
        "publisher": author,
        "rights": f"Copyright © {author}. All rights reserved.",
        "author_sort": _inverted(author),
        "slug": slug(title, "book"),
    }


def _inverted(name: str) -> str:
    parts = name.rsplit(" ", 1)
    return f"{parts[1]}, {parts[0]}" if len(parts) == 2 else name


def _contents(values: dict[str, str]) -> dict[str, str]:
    """Every text file of the new folder, by its path inside it."""
    quoted = {key: _toml_string(value) for key, value in values.items()}
    book_toml = Template(_template("book.toml")).substitute(
        quoted,
        year=str(date.today().year),
        trim=DEFAULT_TRIM,
        trims=_choices(TRIMS),
        profile=DEFAULT_PROFILE,
        profiles=_choices(PROFILES),
        paper=PAPERS[0],
        papers=_choices(PAPERS),
        front_roles=", ".join(FRONT_ROLES),
        back_roles=", ".join(BACK_ROLES),
        chapter=CHAPTER,
        labels=labels_block(values["language"]),
    )
    return {
        "book.toml": book_toml,
        CHAPTER: _template("chapter.md"),
        "names.yaml": _template("names.yaml"),
        "chronology.yaml": _template("chronology.yaml"),
    }


def _choices(names: Iterable[str]) -> str:
    return " | ".join(f'"{name}"' for name in names)


def labels_block(language: str) -> str:
    """``[labels]``'s body: every field commented out, with what it is, the placeholders it
    must keep and its words in ``language`` (English for a language without a catalogue)."""
    words = labels_for(language)
    meanings = _label_meanings()
    lines = []
    for name in FIELDS:
        keep = placeholders(getattr(ENGLISH, name))
        must = f"; keep {', '.join(f'{{{p}}}' for p in sorted(keep))}" if keep else ""
        meaning = meanings.get(name, name.replace("_", " "))
        lines.append(f"# {name} = {_toml_string(getattr(words, name))}  # {meaning}{must}")
    return "\n".join(lines)


def _label_meanings() -> dict[str, str]:
    """``starter/labels.txt``: a line ``field: what it is`` for each field of ``Labels``."""
    found = {}
    for line in _template("labels.txt").splitlines():
        if line and not line.startswith("#"):
            name, _, meaning = line.partition(":")
            found[name.strip()] = meaning.strip()
    return found


def _template(name: str) -> str:
    return files("build_tools.importing").joinpath("starter", name).read_text(encoding="utf-8")


def _toml_string(value: str) -> str:
    """``value`` as a TOML basic string: JSON's escapes are TOML's, and control characters
    (refused in the options) never reach it."""
    return json.dumps(value, ensure_ascii=False)


def _make_parents(folder: Path) -> list[Path]:
    """Create ``folder`` and its missing parents; return those made, the outermost first."""
    missing = [p for p in (folder, *folder.parents) if not p.exists()][::-1]
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        for made in reversed(missing):
            _remove_if_empty(made)
        raise BookError(f"cannot create the folder: {exc.strerror}", Location(folder)) from None
    return missing


def _remove_if_empty(folder: Path) -> None:
    try:
        folder.rmdir()
    except OSError:
        pass  # not empty, or already gone: it is not ours to remove


def _write(work: Path, contents: dict[str, str]) -> None:
    for name, text in contents.items():
        path = work / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (work / "images").mkdir(exist_ok=True)
    draw_open_book(work / PICTURE)


def draw_open_book(path: Path) -> None:
    """The sample's figure: an open book, its pages ruled with lines of text, in gray (a
    black-and-white interior prints it as it is) and large enough for print."""
    from PIL import Image, ImageDraw

    width, height = PICTURE_SIZE
    unit = width // 150  # the drawing in units of 1/150 of its width
    image = Image.new("L", PICTURE_SIZE, 255)
    draw = ImageDraw.Draw(image)
    spine, top, bottom = width // 2, 8 * unit, height - 8 * unit
    for left, right in ((9 * unit, spine - 2 * unit), (spine + 2 * unit, width - 9 * unit)):
        draw.rectangle((left, top, right, bottom), fill=245, outline=40, width=unit // 2 + 1)
        draw.rectangle((left + 7 * unit, top + 8 * unit, right - 14 * unit, top + 12 * unit), fill=60)
        for y in range(top + 19 * unit, bottom - 7 * unit, 5 * unit):  # the lines of text
            draw.rectangle((left + 7 * unit, y, right - 7 * unit, y + unit + unit // 2), fill=150)
    draw.line((spine, top - 2 * unit, spine, bottom + 2 * unit), fill=40, width=unit)
    image.save(path, "PNG", optimize=True)
