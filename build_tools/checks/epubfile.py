"""A built EPUB as the store checks read it: the zip's entries, the package document's manifest
and metadata, each XHTML and CSS file's text (``store.py`` holds the rules)."""

from __future__ import annotations

import posixpath
import zipfile
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from lxml import etree

from build_tools.errors import BookError, Location

OPF_NS = "http://www.idpf.org/2007/opf"
CONTAINER_NS = "urn:oasis:names:tc:opendocument:xmlns:container"
ENCRYPTION = "META-INF/encryption.xml"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


@dataclass(frozen=True)
class Item:
    """A manifest item: its path in the zip, media type and properties."""

    id: str
    path: str
    href: str  # as written in the manifest
    media_type: str
    properties: frozenset[str]

    @property
    def remote(self) -> bool:
        return "://" in self.href or self.href.startswith("//")


class EpubFile:
    """The EPUB at ``path``, read on demand; a BookError names a file that is no EPUB."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self._zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as exc:
            raise BookError(f"not an EPUB (no zip archive): {exc}", Location(path)) from None
        self.size = path.stat().st_size

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> EpubFile:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    @property
    def names(self) -> list[str]:
        return self._zip.namelist()

    def read(self, name: str) -> bytes:
        return self._zip.read(name)

    def info_size(self, name: str) -> int:
        """The uncompressed size of an entry."""
        return self._zip.getinfo(name).file_size

    def has(self, name: str) -> bool:
        return name in self._zip.NameToInfo

    def xml(self, name: str) -> etree._Element:
        try:
            return etree.fromstring(self.read(name), _PARSER)
        except (KeyError, etree.XMLSyntaxError) as exc:
            raise BookError(f"{name} cannot be read: {exc}", Location(self.path)) from None

    @cached_property
    def opf_path(self) -> str:
        rootfile = self.xml("META-INF/container.xml").find(f".//{{{CONTAINER_NS}}}rootfile")
        if rootfile is None or not rootfile.get("full-path"):
            raise BookError("META-INF/container.xml names no package document", Location(self.path))
        return str(rootfile.get("full-path"))

    @cached_property
    def opf(self) -> etree._Element:
        return self.xml(self.opf_path)

    @cached_property
    def manifest(self) -> tuple[Item, ...]:
        base = posixpath.dirname(self.opf_path)
        items = []
        for element in self.opf.iter(f"{{{OPF_NS}}}item"):
            href = element.get("href", "")
            items.append(
                Item(
                    element.get("id", ""),
                    posixpath.normpath(posixpath.join(base, href)),
                    href,
                    element.get("media-type", ""),
                    frozenset((element.get("properties") or "").split()),
                )
            )
        return tuple(items)

    def meta(self, name: str) -> str | None:
        """The content of an EPUB 2 ``<meta name=… content=…>`` of the package (cover)."""
        for element in self.opf.iter(f"{{{OPF_NS}}}meta"):
            if element.get("name") == name:
                return element.get("content")
        return None

    def items(self, *media_types: str) -> list[Item]:
        return [item for item in self.manifest if item.media_type in media_types]

    @cached_property
    def encrypted(self) -> frozenset[str]:
        """The paths META-INF/encryption.xml lists (obfuscated fonts among them)."""
        if not self.has(ENCRYPTION):
            return frozenset()
        found = self.xml(ENCRYPTION).iter("{http://www.w3.org/2001/04/xmlenc#}CipherReference")
        return frozenset(posixpath.normpath(str(ref.get("URI", ""))) for ref in found)
