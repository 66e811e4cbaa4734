"""An EPUB's metadata as book.toml's [book] keys: Dublin Core, its refinements, a copyright page's ISBNs."""

from __future__ import annotations

import re

from lxml import etree, html

from build_tools.importing.epub_package import Package
from build_tools.importing.epub_xhtml import text
from build_tools.lang.isbn import IsbnError, isbn13

Values = list[tuple[str, dict[str, str]]]
_ISBN = re.compile(r"\bISBN(?:-1[03])?:?\s*([0-9][0-9 -]{8,16}[0-9Xx])\s*(\(([^)]*)\))?")
_EBOOK = re.compile(r"e-?book|epub|electronic|digital|kindle|mobi", re.IGNORECASE)
_PRINT = re.compile(r"paper|print|hard|cloth|pbk|hbk|softcover", re.IGNORECASE)


def metadata(package: Package) -> dict[str, str | list[str]]:
    """The [book] keys the package states (only those)."""
    meta = package.metadata
    refines = _refinements(meta["meta"])
    out: dict[str, str | list[str]] = {}
    title, subtitle = _titles(meta["dc:title"], refines)
    _put(out, "title", title)
    _put(out, "subtitle", subtitle)
    _author(out, meta["dc:creator"], refines)
    for key in ("language", "publisher", "rights"):
        _put(out, key, next((value for value, _ in meta[f"dc:{key}"] if value), ""))
    # The date as given (a year, a month, a day); a time of day is not a publication date.
    _put(out, "date", next((value for value, _ in meta["dc:date"] if value), "").split("T")[0])
    identifiers = meta["dc:identifier"]
    unique = next((value for value, attrs in identifiers if attrs.get("id") == package.unique_id), "")
    _put(out, "identifier", unique or next((value for value, _ in identifiers if value), ""))
    ebook = next((number for value, attrs in identifiers if (number := _isbn(value, attrs))), "")
    _put(out, "isbn_ebook", ebook)
    _put(
        out,
        "isbn_print",
        next((number for value, _ in meta["dc:source"] if (number := _isbn(value, {}))), ""),
    )
    description = next((value for value, _ in meta["dc:description"] if value), "")
    _put(out, "description", _plain(description))
    subjects = [value for value, _ in meta["dc:subject"] if value]
    if subjects:
        out["subjects"] = subjects
    edition = next(
        (value for value, attrs in meta["meta"] if attrs.get("property") == "schema:bookEdition"), ""
    )
    _put(out, "edition", edition)
    return out


def from_copyright(out: dict[str, str | list[str]], page: etree._Element) -> None:
    """ISBNs a copyright page states with their edition ("ISBN 978-… (EPUB)"), where the
    package did not give them."""
    for line in page.iter("p", "div", "li"):
        for found in _ISBN.finditer(text(line)):
            number = _isbn(found[1], {})
            edition = found[3] or ""
            if number and _EBOOK.search(edition):
                out.setdefault("isbn_ebook", number)
            elif number and _PRINT.search(edition):
                out.setdefault("isbn_print", number)


def _put(out: dict[str, str | list[str]], key: str, value: str) -> None:
    value = " ".join(value.split())
    if value:
        out[key] = value


def _refinements(metas: Values) -> dict[str, dict[str, str]]:
    """``#id`` → property → value of the EPUB 3 ``<meta refines>``."""
    out: dict[str, dict[str, str]] = {}
    for value, attrs in metas:
        target, prop = attrs.get("refines", ""), attrs.get("property", "")
        if target.startswith("#") and prop:
            out.setdefault(target[1:], {}).setdefault(prop, value)
    return out


def _titles(titles: Values, refines: dict[str, dict[str, str]]) -> tuple[str, str]:
    """The main title and the subtitle (EPUB 3's ``title-type``; else the first title)."""

    def kind(attrs: dict[str, str]) -> str:
        return refines.get(attrs.get("id", ""), {}).get("title-type", "")

    present = [(value, attrs) for value, attrs in titles if value]
    main = next((value for value, attrs in present if kind(attrs) == "main"), "")
    main = main or next((value for value, attrs in present if kind(attrs) != "subtitle"), "")
    subtitle = next((value for value, attrs in present if kind(attrs) == "subtitle"), "")
    if len(present) == 2 and not any(kind(attrs) for _, attrs in present):
        subtitle = present[1][0]  # EPUB 2 has no title types: pandoc and calibre write it second
    return main, subtitle


def _author(out: dict[str, str | list[str]], creators: Values, refines: dict[str, dict[str, str]]) -> None:
    """The authors (role ``aut``, or every creator when none says), joined; their file-as."""

    def role(attrs: dict[str, str]) -> str:
        return refines.get(attrs.get("id", ""), {}).get("role", attrs.get("role", ""))

    present = [(value, attrs) for value, attrs in creators if value]
    authors = [(v, a) for v, a in present if role(a) in ("aut", "")] or present
    if not authors:
        return
    names = [value for value, _ in authors]
    _put(out, "author", names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1])
    sorts = [refines.get(a.get("id", ""), {}).get("file-as", a.get("file-as", "")) for _, a in authors]
    if all(sorts):
        _put(out, "author_sort", "; ".join(sorts))


def _isbn(value: str, attrs: dict[str, str]) -> str:
    """The ISBN-13 an identifier holds (``urn:isbn:…``, ``opf:scheme="ISBN"``), if valid."""
    lowered = value.strip().lower()
    if lowered.startswith("urn:isbn:"):
        candidate = value.strip()[9:]
    elif lowered.startswith("isbn:"):
        candidate = value.strip()[5:]
    elif attrs.get("scheme", "").lower() == "isbn" or re.fullmatch(r"97[89][0-9-]{10,14}", value.strip()):
        candidate = value.strip()
    else:
        return ""
    try:
        return isbn13(candidate)
    except IsbnError:
        return ""


def _plain(description: str) -> str:
    """A description without its HTML (calibre writes it escaped in the OPF)."""
    if "<" not in description:
        return description
    try:
        fragment = html.fragment_fromstring(description, create_parent="div")
    except (etree.ParserError, ValueError):
        return re.sub(r"<[^>]+>", " ", description)
    for block in fragment.iter("p", "div", "br", "li"):
        block.tail = " " + (block.tail or "")
    return " ".join(fragment.text_content().split())
