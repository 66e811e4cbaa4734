"""Reading a built EPUB back for tests: its XHTML documents as trees, and link resolution."""

from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree

NS = {"x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops"}
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"


def documents(epub: Path) -> dict[str, etree._Element]:
    """Every XHTML document of the EPUB, by its name inside OEBPS/."""
    with zipfile.ZipFile(epub) as archive:
        return {
            name.removeprefix("OEBPS/"): etree.fromstring(archive.read(name))
            for name in archive.namelist()
            if name.endswith(".xhtml")
        }


def resolve(docs: dict[str, etree._Element], here: str, href: str) -> etree._Element:
    """The element an internal link points at; fails the test if it points nowhere."""
    name, _, fragment = href.partition("#")
    target_doc = docs[name or here]
    if not fragment:
        return target_doc
    found = target_doc.xpath("//*[@id=$id]", id=fragment)
    assert len(found) == 1, f"{here}: link {href} resolves to {len(found)} elements"
    return found[0]


def links(docs: dict[str, etree._Element], epub_type: str) -> list[tuple[str, etree._Element]]:
    return [
        (name, a)
        for name, root in docs.items()
        for a in root.iter(f"{{{NS['x']}}}a")
        if epub_type in (a.get(EPUB_TYPE) or "").split()
    ]
