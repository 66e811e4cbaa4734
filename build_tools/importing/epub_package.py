"""An EPUB's package read for import: refused when protected or broken, else its spine, files and metadata.

ebooklib 0.20 reads the container, the OPF, the manifest and the spine (its reader has none of
its writer's traps, REFERENCE.md §1, but it raises bare ``KeyError``, ``AttributeError`` or
``TypeError`` on a broken package: ``open_package`` checks what it can first and translates the
rest, so every failure is one line naming what is wrong). The XHTML is lxml's, in ``epub_xhtml``.
"""

from __future__ import annotations

import io
import posixpath
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from lxml import etree

from build_tools.errors import BookError, Location

_CONTAINER = "urn:oasis:names:tc:opendocument:xmlns:container"
_OPF = "http://www.idpf.org/2007/opf"
_ENCRYPTION = "http://www.w3.org/2001/04/xmlenc#"
# Font obfuscation, not DRM (EPUB 3.3 §4.2.6.3; Adobe's older scheme): the fonts are dropped.
_OBFUSCATION = {"http://www.idpf.org/2008/embedding", "http://ns.adobe.com/pdf/enc#RC"}


@dataclass
class Item:
    """One manifest item: its path in the zip, its media type, its properties."""

    id: str
    path: str
    media_type: str
    properties: tuple[str, ...] = ()


@dataclass
class Package:
    """What the importer reads of an EPUB, before any XHTML is parsed."""

    file: Path
    files: dict[str, bytes]  # zip path → bytes (obfuscated fonts left out)
    items: dict[str, Item]  # zip path → manifest item
    spine: list[tuple[Item, bool]]  # in reading order, with linear="yes"
    metadata: dict[str, list[tuple[str, dict[str, str]]]]  # "dc:title" / "meta" → (text, attributes)
    unique_id: str | None = None
    cover_id: str | None = None  # EPUB 2's <meta name="cover" content="ID">
    guide: dict[str, str] = field(default_factory=dict)  # zip path → EPUB 2 guide type
    missing: list[str] = field(default_factory=list)  # manifest items the zip lacks

    def where(self, path: str, line: int = 0) -> Location:
        """A location inside the EPUB, for an error: ``book.epub/OEBPS/ch1.xhtml:12``."""
        return Location(self.file / path, line)


def resolve(base: str, href: str) -> tuple[str, str]:
    """The zip path and the fragment an ``href`` of the document ``base`` points at."""
    target, _, fragment = href.strip().partition("#")
    if not target:
        return base, unquote(fragment)
    path = posixpath.normpath(posixpath.join(posixpath.dirname(base), unquote(target)))
    return path, unquote(fragment)


def open_package(path: Path) -> Package:
    """The ``Package`` of the EPUB at ``path``; a ``BookError`` (one line) for a protected or
    broken file, before anything is written."""
    where = Location(path)
    try:
        with zipfile.ZipFile(path) as archive:
            files = {info.filename: archive.read(info) for info in archive.infolist() if not info.is_dir()}
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError) as exc:
        raise BookError(f"the EPUB is damaged (not a readable zip archive: {exc})", where) from None
    if "META-INF/rights.xml" in files:
        raise BookError(
            "the EPUB is protected by DRM (Adobe ADEPT, META-INF/rights.xml): import the publisher's "
            "unprotected file",
            where,
        )
    for font in _obfuscated(path, files):
        del files[font]
    opf = _opf_path(path, files)
    items = _manifest(path, opf, files)
    package = _load(path, files, opf, items)
    # ebooklib takes the id of the last <dc:identifier> that has one, not the package's own.
    package.unique_id = etree.fromstring(files[opf]).get("unique-identifier") or package.unique_id
    return package


def _obfuscated(path: Path, files: dict[str, bytes]) -> list[str]:
    """The fonts META-INF/encryption.xml obfuscates; any other encryption is refused."""
    data = files.get("META-INF/encryption.xml")
    if data is None:
        return []
    root = _parse(path, "META-INF/encryption.xml", data, "encryption list")
    fonts: list[str] = []
    for entry in root.iter(f"{{{_ENCRYPTION}}}EncryptedData"):
        method = entry.find(f"{{{_ENCRYPTION}}}EncryptionMethod")
        algorithm = method.get("Algorithm", "") if method is not None else ""
        reference = entry.find(f".//{{{_ENCRYPTION}}}CipherReference")
        uri = unquote(reference.get("URI", "")) if reference is not None else ""
        if algorithm not in _OBFUSCATION:
            raise BookError(
                f"the EPUB is encrypted (DRM: {uri or 'its files'} by {algorithm or 'an unnamed method'}, "
                "META-INF/encryption.xml): import the publisher's unprotected file",
                Location(path),
            )
        if uri in files:
            fonts.append(uri)
    return fonts


def _opf_path(path: Path, files: dict[str, bytes]) -> str:
    if "META-INF/container.xml" not in files:
        raise BookError("not a valid EPUB: META-INF/container.xml is missing", Location(path))
    root = _parse(path, "META-INF/container.xml", files["META-INF/container.xml"], "container")
    rootfile = root.find(f".//{{{_CONTAINER}}}rootfile")
    opf = rootfile.get("full-path", "") if rootfile is not None else ""
    if not opf:
        raise BookError("not a valid EPUB: META-INF/container.xml names no package document", Location(path))
    if opf not in files:
        raise BookError(f"not a valid EPUB: its package document {opf} is not in the file", Location(path))
    return opf


def _parse(path: Path, name: str, data: bytes, what: str) -> etree._Element:
    """An XML part of the package, or a ``BookError`` at the line lxml names."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or 0
        message = re.sub(r",? line \d+, column \d+$", "", str(exc.msg or exc))
        raise BookError(f"malformed {what}: {message}", Location(path / name, line)) from None


def _manifest(path: Path, opf: str, files: dict[str, bytes]) -> dict[str, Item]:
    """The manifest as the OPF says it, by id (ebooklib gives a cover page a made-up id and
    name); every spine item checked to be in the zip."""
    root = _parse(path, opf, files[opf], "package document (OPF)")
    where = Location(path / opf)
    parts = {name: root.find(f"{{{_OPF}}}{name}") for name in ("metadata", "manifest", "spine")}
    missing = [name for name, node in parts.items() if node is None]
    if missing:
        raise BookError(f"malformed package document: it has no <{missing[0]}>", where)
    base = posixpath.dirname(opf)
    by_id: dict[str, Item] = {}
    for node in root.iter(f"{{{_OPF}}}item"):
        path_in_zip = posixpath.normpath(posixpath.join(base, unquote(node.get("href", ""))))
        item = Item(
            node.get("id", ""),
            path_in_zip,
            node.get("media-type", ""),
            tuple(node.get("properties", "").split()),
        )
        by_id[item.id] = item
    for ref in root.iter(f"{{{_OPF}}}itemref"):
        idref = ref.get("idref", "")
        if idref not in by_id:
            raise BookError(f"the spine names '{idref}', which the manifest does not list", where)
        if by_id[idref].path not in files:
            raise BookError(f"the spine's document {by_id[idref].path} is not in the EPUB", where)
    return by_id


def _load(path: Path, files: dict[str, bytes], opf: str, by_id: dict[str, Item]) -> Package:
    """The package through ebooklib, its assorted exceptions said as one line."""
    from ebooklib import epub

    where = Location(path / opf)
    missing = sorted({item.path for item in by_id.values()} - set(files))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # ebooklib's deprecation notices are not the user's
            book = epub.read_epub(_readable(path, files, missing), {"ignore_ncx": True})
    except KeyError as exc:
        found = re.search(r"named '([^']+)'", str(exc.args[0]) if exc.args else "")
        name = found[1] if found else "a file"
        raise BookError(f"the manifest lists {name}, which is not in the EPUB", where) from None
    except epub.EpubException as exc:
        raise BookError(f"not a readable EPUB: {exc.msg}", where) from None
    except (AttributeError, TypeError, IndexError, ValueError, etree.LxmlError):
        raise BookError(
            "malformed package document: no metadata, manifest or spine ebooklib can read", where
        ) from None
    spine = [(by_id[idref], linear != "no") for idref, linear in book.spine if idref in by_id]
    guide = {resolve(opf, str(entry.get("href", "")))[0]: str(entry.get("type", "")) for entry in book.guide}
    cover = [
        attrs.get("content", "")
        for _, attrs in _values(book.get_metadata("OPF", "meta"))
        if attrs.get("name") == "cover"
    ]
    cover += [attrs.get("content", "") for _, attrs in _values(book.get_metadata("OPF", "cover"))]
    return Package(
        path,
        files,
        {item.path: item for item in by_id.values()},
        spine,
        _metadata(book),
        book.IDENTIFIER_ID,
        cover[0] if cover else None,
        guide,
        missing,
    )


def _readable(path: Path, files: dict[str, bytes], missing: list[str]) -> str | io.BytesIO:
    """What ebooklib reads: the file, or (when the manifest lists files the zip lacks, which
    ebooklib refuses with a bare KeyError) a copy in memory with those left empty. The spine's
    documents were checked before: what is missing is a picture, a style sheet, a font."""
    if not missing:
        return str(path)
    copy = io.BytesIO()
    with zipfile.ZipFile(copy, "w", zipfile.ZIP_STORED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
        for name in missing:
            archive.writestr(name, b"")
    copy.seek(0)
    return copy


def _metadata(book: Any) -> dict[str, list[tuple[str, dict[str, str]]]]:
    """The OPF's metadata as ``dc:NAME`` and ``meta`` (refinements and properties) lists."""
    out: dict[str, list[tuple[str, dict[str, str]]]] = {}
    for name in ("title", "creator", "language", "identifier", "publisher", "rights", "date"):
        out[f"dc:{name}"] = _values(book.get_metadata("DC", name))
    for name in ("description", "subject", "source", "contributor"):
        out[f"dc:{name}"] = _values(book.get_metadata("DC", name))
    # ebooklib 0.20 files every <meta> under the name "meta" (its test for a default-namespace
    # meta compares the tag with the namespace without braces); None is where it meant them.
    out["meta"] = _values(book.get_metadata("OPF", "meta") + book.get_metadata("OPF", None))
    return out


def _values(found: list[tuple[object, dict[str, str]]]) -> list[tuple[str, dict[str, str]]]:
    """Values with their attributes, namespaced ones (``opf:role``) by their local name too."""
    out = []
    for value, attributes in found:
        plain = {key.rsplit("}", 1)[-1]: str(val) for key, val in attributes.items()}
        out.append((str(value or "").strip(), {**plain, **attributes}))
    return out
