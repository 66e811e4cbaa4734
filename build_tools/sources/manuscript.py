"""Loading a manuscript folder: ``book.toml`` (metadata and reading order) and its text files."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

from build_tools.design.profiles import DEFAULT as DEFAULT_PROFILE
from build_tools.design.profiles import PROFILES, price_addon
from build_tools.design.trims import DEFAULT as DEFAULT_TRIM
from build_tools.design.trims import TRIMS
from build_tools.errors import Location, ManuscriptError, did_you_mean, key_location, read_toml
from build_tools.lang.isbn import IsbnError, isbn13
from build_tools.lang.labels import FIELDS, template_problem
from build_tools.lang.slug import file_slug, slug_problem
from build_tools.lang.tags import is_language_tag
from build_tools.model import Certification, Metadata
from build_tools.sources import indexes
from build_tools.sources.contents import PartTitle, Placement, is_file, reading_order
from build_tools.sources.indexes import Indexes

CONFIG_NAME = "book.toml"
REQUIRED = ("title", "author", "language", "identifier", "publisher", "rights")
OPTIONAL = (
    "subtitle",
    "author_sort",
    "edition",
    "date",
    "slug",
    "trim",
    "description",
    "isbn_print",
    "isbn_ebook",
    "print_profile",
    "cover",
    "cover_front",
    "paper",
    "price",
)
PAPERS = ("white", "cream")
# The files book.toml may name, relative to the manuscript folder, and the kinds each may be.
ASSETS = {"cover": (".jpg", ".jpeg", ".png"), "cover_front": (".jpg", ".jpeg", ".png", ".pdf")}
SCHEMA = {
    "book": (*REQUIRED, *OPTIONAL, "subjects", "credits"),
    "contents": ("front", "files", "back", "chronology", "names", "indexes"),
    "labels": FIELDS,  # any generated string, by its name in lang/labels.py
    # Who certifies the EPUB's accessibility: without certified_by, no conformance claim.
    "accessibility": ("certified_by", "credential", "report"),
}
# XML 1.0 §2.2: these code points may not appear in a document at all.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class SourceFile:
    """A text file of the manuscript, decoded."""

    path: Path
    text: str


@dataclass(frozen=True)
class Manuscript:
    """The metadata and the text files of a manuscript, in reading order."""

    root: Path
    meta: Metadata
    files: tuple[SourceFile, ...]
    chronology: SourceFile | None = None
    names: SourceFile | None = None
    placements: tuple[Placement, ...] = ()  # one per file: front, body or back matter, role, part
    parts: tuple[PartTitle, ...] = ()
    indexes: Indexes = Indexes()  # [contents] indexes (sources/indexes.py)

    def placement(self, index: int) -> Placement:
        """Where file ``index`` stands (a body chapter when the manuscript was made in code)."""
        if index < len(self.placements):
            return self.placements[index]
        return Placement(self.files[index].path, "body", "chapter")


def read_text(path: Path) -> str:
    """Read a UTF-8 text file; refuse bytes that are not UTF-8 and characters XML forbids."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ManuscriptError("file not found", Location(path)) from None
    except OSError as exc:
        raise ManuscriptError(f"cannot read file: {exc.strerror}", Location(path)) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ManuscriptError(
            f"not valid UTF-8: byte 0x{data[exc.start]:02x} at byte offset {exc.start}; "
            "save the file as UTF-8",
            Location(path, line),
        ) from None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if bad := _FORBIDDEN.search(text):
        line = text.count("\n", 0, bad.start()) + 1
        column = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
        raise ManuscriptError(
            f"control character U+{ord(bad.group()):04X} is not allowed in a book",
            Location(path, line, column),
        )
    return text


def load(root: Path) -> Manuscript:
    """Read ``root/book.toml`` and every file of its reading order."""
    if not root.is_dir():
        raise ManuscriptError("manuscript folder not found", Location(root))
    config_path = root / CONFIG_NAME
    if not config_path.is_file():
        raise ManuscriptError(f"no {CONFIG_NAME} in the manuscript folder", Location(config_path))
    config_text = read_text(config_path)
    config = read_toml(config_path, config_text, ManuscriptError)
    _check_keys(config, config_path, config_text)
    meta = _metadata(config, config_path, config_text)
    meta = replace(meta, labels=_labels(config, config_path, config_text))  # [labels]
    meta = replace(meta, certification=_certification(config, config_path, config_text))
    contents = config.get("contents")
    placements, parts = reading_order(
        contents if isinstance(contents, dict) else {}, config_path, config_text
    )
    files = tuple(SourceFile(place.path, read_text(place.path)) for place in placements)
    return Manuscript(
        root,
        meta,
        files,
        placements=tuple(placements),
        parts=tuple(parts),
        chronology=_optional_file(config, config_path, config_text, "chronology"),
        names=_optional_file(config, config_path, config_text, "names"),
        indexes=indexes.read(contents if isinstance(contents, dict) else {}, config_path, config_text),
    )


def _check_keys(config: dict[str, object], path: Path, text: str) -> None:
    """Every table and key of ``book.toml`` is one the format has, in the table it belongs to."""
    for table, value in config.items():
        if table in SCHEMA:
            if not isinstance(value, dict):
                raise ManuscriptError(
                    f"'{table}' must be a table: [{table}]", key_location(path, text, table)
                )
            for key in value:
                if key not in SCHEMA[table]:
                    raise ManuscriptError(_unknown(key, table), key_location(path, text, f"{table}.{key}"))
            continue
        home = next((name for name, keys in SCHEMA.items() if table in keys), None)
        if home:
            raise ManuscriptError(
                f"'{table}' belongs in [{home}]: move it under that table", key_location(path, text, table)
            )
        raise ManuscriptError(
            f"unknown table or key '{table}'{did_you_mean(table, tuple(SCHEMA))}",
            key_location(path, text, table),
        )


def _unknown(key: str, table: str) -> str:
    home = next((name for name, keys in SCHEMA.items() if key in keys and name != table), None)
    if home:
        return f"'{key}' belongs in [{home}], not in [{table}]"
    return f"unknown key '{key}' in [{table}]{did_you_mean(key, SCHEMA[table])}"


def _optional_file(config: dict[str, object], path: Path, text: str, key: str) -> SourceFile | None:
    contents = config.get("contents")
    name = contents.get(key) if isinstance(contents, dict) else None
    if name is None:
        return None
    if not isinstance(name, str):
        raise ManuscriptError(f"'{key}' must be a file name", key_location(path, text, key))
    root = path.parent.resolve()
    candidate = (root / name).resolve()
    if not candidate.is_relative_to(root) or not is_file(candidate):
        raise ManuscriptError(
            f"{key} file not found in the manuscript folder: {name}", key_location(path, text, key)
        )
    return SourceFile(path.parent / name, read_text(path.parent / name))


def _metadata(config: dict[str, object], path: Path, text: str) -> Metadata:
    book = config.get("book")
    if not isinstance(book, dict):
        raise ManuscriptError("missing [book] table with the book's metadata", Location(path))
    values: dict[str, str] = {}
    for key in REQUIRED + OPTIONAL:
        value = book.get(key, "")
        if not isinstance(value, str):
            raise ManuscriptError(f"'{key}' must be a string", key_location(path, text, key))
        values[key] = value.strip()
    for key in REQUIRED:
        if not values[key]:
            raise ManuscriptError(
                f"missing metadata field '{key}' in [book]",
                key_location(path, text, key) if key in book else Location(path),
            )
    if not is_language_tag(values["language"]):
        raise ManuscriptError(
            f"'language' must be a BCP 47 tag such as 'en' or 'en-GB', not {values['language']!r}",
            key_location(path, text, "language"),
        )
    values["slug"] = _slug(values["slug"], path, text)
    values["trim"] = values["trim"] or DEFAULT_TRIM
    if values["trim"] not in TRIMS:
        raise ManuscriptError(
            f"unknown trim {values['trim']!r}; use one of {', '.join(TRIMS)}",
            key_location(path, text, "trim"),
        )
    if values["print_profile"] and values["print_profile"] not in PROFILES:
        raise ManuscriptError(
            f"unknown print_profile {values['print_profile']!r}; use one of {', '.join(PROFILES)}",
            key_location(path, text, "print_profile"),
        )
    subjects = book.get("subjects", [])
    if not isinstance(subjects, list) or not all(isinstance(s, str) for s in subjects):
        raise ManuscriptError("'subjects' must be a list of strings", key_location(path, text, "subjects"))
    credits = book.get("credits", [])
    if not isinstance(credits, list) or not all(isinstance(c, str) and c.strip() for c in credits):
        raise ManuscriptError(
            "'credits' must be a list of lines, such as [\"Cover design: A. Name\"]",
            key_location(path, text, "credits"),
        )
    paper = values["paper"] or PAPERS[0]
    if paper not in PAPERS:
        raise ManuscriptError(
            f"'paper' must be one of {', '.join(PAPERS)}, not {paper!r}", key_location(path, text, "paper")
        )
    return replace(
        _core(values, tuple(subjects), _isbn(values, "isbn_print", path, text)),
        isbn_ebook=_isbn(values, "isbn_ebook", path, text),
        cover=_picture(_asset(values, "cover", path, text), path, text, "cover"),
        cover_front=_picture(_asset(values, "cover_front", path, text), path, text, "cover_front"),
        paper=paper,
        price=_price(values["price"], path, text),
        credits=tuple(c.strip() for c in credits),
    )


def _slug(value: str, path: Path, text: str) -> str:
    """``slug``: the books' file name in ``--out``, never a path out of it (issue 17)."""
    if value and (problem := slug_problem(value)):
        raise ManuscriptError(f"'slug' {value[:60]!r} {problem}", key_location(path, text, "slug"))
    return value


def _isbn(values: dict[str, str], key: str, path: Path, text: str) -> str:
    try:
        return isbn13(values[key]) if values[key] else ""
    except IsbnError as exc:
        raise ManuscriptError(
            f"'{key}' {values[key]!r} is not a valid ISBN: {exc}", key_location(path, text, key)
        ) from None


def _asset(values: dict[str, str], key: str, path: Path, text: str) -> Path | None:
    """A file ``book.toml`` names (a cover), inside the manuscript folder and of its kind."""
    name = values[key]
    if not name:
        return None
    root = path.parent.resolve()
    candidate = (root / name).resolve()
    if not candidate.is_relative_to(root) or not is_file(candidate):
        raise ManuscriptError(
            f"'{key}' file not found in the manuscript folder: {name}", key_location(path, text, key)
        )
    if candidate.suffix.lower() not in ASSETS[key]:
        kinds = ", ".join(ASSETS[key])
        raise ManuscriptError(f"'{key}' must be a {kinds} file, not {name}", key_location(path, text, key))
    return candidate


def _picture(found: Path | None, path: Path, text: str, key: str) -> Path | None:
    """A cover picture, decoded whole within the pictures' limits (``pictures.py``); a print
    front that is a PDF is read when the cover is made (``writers/cover/sheet.py``)."""
    if found is None or found.suffix.lower() == ".pdf":
        return found
    from build_tools.sources.pictures import raster_problem  # only a book with a cover pays Pillow

    problem, _ = raster_problem(found, "image/png" if found.suffix.lower() == ".png" else "image/jpeg")
    if problem:
        raise ManuscriptError(f"'{key}' {found.name} {problem}", key_location(path, text, key))
    return found


def _price(price: str, path: Path, text: str) -> str:
    """The barcode's price add-on, checked: "USD 18.00" or five digits (``price_addon``)."""
    try:
        if price:
            price_addon(price)
    except ValueError as exc:
        raise ManuscriptError(
            f"'price' {price!r} cannot go in the barcode: {exc}", key_location(path, text, "price")
        ) from None
    return price


def _core(values: dict[str, str], subjects: tuple[str, ...], isbn: str) -> Metadata:
    return Metadata(
        title=values["title"],
        subtitle=values["subtitle"],
        author=values["author"],
        author_sort=values["author_sort"] or _invert(values["author"]),
        language=values["language"],
        identifier=values["identifier"],
        publisher=values["publisher"],
        rights=values["rights"],
        edition=values["edition"],
        date=values["date"],
        slug=values["slug"] or file_slug(values["title"]),
        trim=TRIMS[values["trim"]],
        description=values["description"],
        isbn_print=isbn,
        subjects=subjects,
        print_profile=values["print_profile"] or DEFAULT_PROFILE,
    )


def _labels(config: dict[str, object], path: Path, text: str) -> tuple[tuple[str, str], ...]:
    """``[labels]``: a template per field of ``Labels``, naming the same placeholders."""
    table = config.get("labels", {})
    found = []
    for name, value in table.items() if isinstance(table, dict) else ():
        where = key_location(path, text, f"labels.{name}")
        if not isinstance(value, str) or not value.strip():
            raise ManuscriptError(f"'{name}' in [labels] must be a string of words", where)
        if problem := template_problem(name, value):
            raise ManuscriptError(f"'{name}' in [labels] {problem}", where)
        found.append((name, value))
    return tuple(found)


def _certification(config: dict[str, object], path: Path, text: str) -> Certification | None:
    """``[accessibility]``: who certifies the conformance claim (EPUB Accessibility 1.1 §2.2),
    with their credential and the URL of their report; no table, no claim."""
    table = config.get("accessibility")
    if not isinstance(table, dict):
        return None
    values: dict[str, str] = {}
    for key, value in table.items():
        if not isinstance(value, str) or not value.strip():
            raise ManuscriptError(
                f"'{key}' in [accessibility] must be a non-empty string",
                key_location(path, text, f"accessibility.{key}"),
            )
        values[key] = value.strip()
    if "certified_by" not in values:
        raise ManuscriptError(
            '[accessibility] needs certified_by = "…": who certifies the conformance claim '
            "(leave the table out to make no claim)",
            key_location(path, text, "accessibility"),
        )
    report = values.get("report", "")
    url = urlsplit(report)
    if report and (url.scheme not in ("http", "https") or not url.netloc or any(c.isspace() for c in report)):
        raise ManuscriptError(
            f"'report' in [accessibility] must be the web address of the certifier's report "
            f"(https://…), not {report!r}",
            key_location(path, text, "accessibility.report"),
        )
    return Certification(values["certified_by"], values.get("credential", ""), report)


def _invert(name: str) -> str:
    parts = name.rsplit(" ", 1)
    return f"{parts[1]}, {parts[0]}" if len(parts) == 2 else name
