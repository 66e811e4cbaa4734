"""The parts of a .docx read with lxml: checked, its metadata, and the copy mammoth is given.

The copy has simple fields unwrapped, pictures read from their DrawingML and runs in another
language marked; a part of malformed XML, or one the document refers to and lacks, is refused.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from posixpath import dirname, join, normpath
from urllib.parse import unquote

from lxml import etree

from build_tools.errors import BookError, Location
from build_tools.lang.tags import is_language_tag

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {
    "w": W,
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
}
DOCUMENT = "word/document.xml"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
_HEADING = re.compile(r"^heading\s*([1-6])$", re.IGNORECASE)


def w(name: str) -> str:
    """The Clark name of a WordprocessingML element or attribute (``w("p")``)."""
    return f"{{{W}}}{name}"


@dataclass
class Package:
    """A .docx opened: every part's bytes, and its XML parts parsed."""

    path: Path
    data: dict[str, bytes]
    xml: dict[str, etree._Element] = field(default_factory=dict)
    styles: dict[str, str] = field(default_factory=dict)  # paragraph or run style id → name

    def error(self, message: str) -> BookError:
        return BookError(message, Location(self.path))

    def part(self, name: str) -> etree._Element | None:
        return self.xml.get(name)

    @property
    def document(self) -> etree._Element:
        return self.xml[DOCUMENT]


def open_package(path: Path) -> Package:
    """Read every part of ``path``; a part of malformed XML is a one-line error naming it."""
    package = Package(path, {})
    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                package.data[info.filename] = archive.read(info)
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError) as exc:
        raise package.error(f"the file is damaged (not a readable zip archive: {exc})") from None
    for name, data in package.data.items():
        if name.endswith((".xml", ".rels")):
            try:
                package.xml[name] = etree.fromstring(data, _PARSER)
            except etree.XMLSyntaxError as exc:
                raise package.error(f"the part '{name}' is damaged (malformed XML: {exc})") from None
    if DOCUMENT not in package.xml:
        raise package.error(f"the part '{DOCUMENT}' is missing: this is not a Word document")
    _check_references(package)
    styles = package.part("word/styles.xml")
    if styles is not None:
        for style in styles.iterfind("w:style", NS):
            label = style.find("w:name", NS)
            package.styles[str(style.get(w("styleId")))] = (
                str(label.get(w("val"))) if label is not None else ""
            )
    return package


def relationships(package: Package, part: str) -> dict[str, str]:
    """The internal relationships of ``part``: id → the target part's name in the zip."""
    rels = package.part(join(dirname(part), "_rels", part.rsplit("/", 1)[-1] + ".rels"))
    out: dict[str, str] = {}
    if rels is None:
        return out
    for rel in rels.iterfind("rel:Relationship", NS):
        if rel.get("TargetMode") == "External":
            continue
        target = unquote(str(rel.get("Target", "")))  # a URI: "image%201.png" is "image 1.png"
        out[str(rel.get("Id"))] = normpath(
            target.lstrip("/") if target.startswith("/") else join(dirname(part), target)
        )
    return out


def _check_references(package: Package) -> None:
    """A picture, a note or a part that the document refers to must be there: mammoth would
    stop with a traceback, and the author must know which part is missing."""
    rels = relationships(package, DOCUMENT)
    for attribute in ("embed", "link", "id"):
        for node in package.document.iter():
            rel_id = node.get(f"{{{NS['r']}}}{attribute}")
            if rel_id is None or (attribute == "link" and rel_id not in rels):
                continue
            target = rels.get(rel_id)
            if target is None and attribute == "embed":
                raise package.error(f"the part '{DOCUMENT}' refers to a picture ({rel_id}) it does not name")
            if target is not None and target not in package.data:
                raise package.error(f"the part '{target}' that '{DOCUMENT}' refers to is missing")
    for kind in ("footnote", "endnote"):
        wanted = {str(ref.get(w("id"))) for ref in package.document.iter(w(f"{kind}Reference"))}
        if not wanted:
            continue
        part = package.part(f"word/{kind}s.xml")
        have = set() if part is None else {str(note.get(w("id"))) for note in part.iterfind(f"w:{kind}", NS)}
        missing = sorted(wanted - have)
        if missing:
            where = f"word/{kind}s.xml" if part is not None else f"the part 'word/{kind}s.xml' (missing)"
            raise package.error(f"{kind} {missing[0]} of '{DOCUMENT}' is not in {where}")


def heading_level(package: Package, paragraph: etree._Element) -> int | None:
    """The heading level mammoth gives ``paragraph`` (by its style's name or id, as its style
    map does), or None."""
    style = paragraph.find("w:pPr/w:pStyle", NS)
    if style is None:
        return None
    style_id = str(style.get(w("val")))
    name = package.styles.get(style_id, "")
    # mammoth's default style map matches the id (p.Heading1) before the name ('heading 1').
    found = re.match(r"^Heading([1-6])$", style_id) or _HEADING.match(name)
    if found:
        return int(found[1])
    return 1 if name.lower() == "heading" or style_id == "Heading" else None


def style_name(package: Package, paragraph: etree._Element) -> str:
    style = paragraph.find("w:pPr/w:pStyle", NS)
    if style is None:
        return ""
    style_id = str(style.get(w("val")))
    return package.styles.get(style_id, style_id)


def plain_text(node: etree._Element) -> str:
    """The visible text of a paragraph or run: w:t and tabs, never deleted text or field codes."""
    parts = []
    for item in node.iter(w("t"), w("tab"), w("br")):
        if _in_text_box(item, node):
            continue
        parts.append(item.text or "" if item.tag == w("t") else " ")
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def _in_text_box(item: etree._Element, top: etree._Element) -> bool:
    for ancestor in item.iterancestors():
        if ancestor is top:
            return False
        if ancestor.tag in (w("txbxContent"), f"{{{NS['mc']}}}Fallback"):
            return True
    return False


def metadata(package: Package) -> dict[str, str | list[str]]:
    """book.toml's [book] keys that docProps/core.xml states; the language else from styles.xml."""
    out: dict[str, str | list[str]] = {}
    core = package.part("docProps/core.xml")
    if core is not None:
        for key, path in (("title", "dc:title"), ("author", "dc:creator"), ("language", "dc:language")):
            value = _core(core, path)
            if value:
                out[key] = value
        if description := _core(core, "dc:description"):
            out["description"] = description
        subjects = [_core(core, "dc:subject")] + re.split(r"[;,]\s*|\s+", _core(core, "cp:keywords"))
        if any(subjects):
            out["subjects"] = list(dict.fromkeys(subject for subject in subjects if subject))
        if date := re.match(r"\d{4}-\d{2}-\d{2}", _core(core, "dcterms:created")):
            out["date"] = date[0]
    if "language" not in out and (language := default_language(package)):
        out["language"] = language
    return out


def _core(core: etree._Element, path: str) -> str:
    node = core.find(path, NS)
    return re.sub(r"\s+", " ", node.text or "").strip() if node is not None else ""


def default_language(package: Package) -> str:
    """The language of the document's default run properties (styles.xml's w:docDefaults)."""
    styles = package.part("word/styles.xml")
    lang = None if styles is None else styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)
    return str(lang.get(w("val"), "")) if lang is not None else ""


def for_mammoth(package: Package, language: str) -> tuple[io.BytesIO, list[str]]:
    """The .docx as mammoth is given it, and the style map lines it needs: the displayed text
    of simple fields (which mammoth drops) kept, a picture read from its DrawingML choice, where
    its alt text is (the VML fallback that mammoth reads has none), and runs in another
    language than ``language`` (the book's) given a style of ours that maps to ``span[lang]``
    (mammoth reads no w:lang)."""
    changed: dict[str, etree._Element] = {}
    languages: set[str] = set()
    for name in (DOCUMENT, "word/footnotes.xml", "word/endnotes.xml"):
        root = package.part(name)
        if root is None:
            continue
        root = etree.fromstring(etree.tostring(root), _PARSER)  # a copy: the losses read the original
        for simple in list(root.iter(w("fldSimple"))):
            _unwrap(simple)
        for alternate in list(root.iter(f"{{{NS['mc']}}}AlternateContent")):
            choice = alternate.find("mc:Choice", NS)
            if choice is not None and choice.find(".//pic:pic", NS) is not None:
                _unwrap(choice)
                _unwrap(alternate, drop=("Fallback",))
        if package.part("word/styles.xml") is not None:
            languages |= _mark_languages(root, language)
        changed[name] = root
    if languages:
        styles = etree.fromstring(etree.tostring(package.xml["word/styles.xml"]), _PARSER)
        for tag in sorted(languages):
            style = etree.SubElement(
                styles, w("style"), {w("type"): "character", w("styleId"): _LANG_ID + tag}
            )
            etree.SubElement(style, w("name"), {w("val"): f"{_LANG_NAME} {tag}"})
        changed["word/styles.xml"] = styles
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in package.data.items():
            if name in changed:
                data = etree.tostring(changed[name], xml_declaration=True, encoding="UTF-8", standalone=True)
            archive.writestr(name, data)
    out.seek(0)
    lines = [f"r[style-name='{_LANG_NAME} {tag}'] => span[lang='{tag}']" for tag in sorted(languages)]
    return out, lines


_LANG_ID, _LANG_NAME = "BookImportLanguage-", "book import language"


def _mark_languages(root: etree._Element, language: str) -> set[str]:
    """Give each run in another language than the book's (by primary subtag: en-US in an
    en-GB book is not marked) our style for it; a run that has a style of its own keeps it."""
    primary = language.split("-")[0].lower()
    found = set()
    for lang in root.iter(w("lang")):
        properties = lang.getparent()
        run = properties.getparent() if properties is not None else None
        tag = str(lang.get(w("val"), ""))
        if properties is None or run is None or run.tag != w("r") or properties.tag != w("rPr"):
            continue
        # BCP 47's shape (safe in a style map), and another language than the book's
        if not is_language_tag(tag) or tag.split("-")[0].lower() == primary:
            continue
        if properties.find(w("rStyle")) is None:
            properties.insert(0, etree.Element(w("rStyle"), {w("val"): _LANG_ID + tag}))
            found.add(tag)
    return found


def _unwrap(node: etree._Element, drop: tuple[str, ...] = ()) -> None:
    """Put ``node``'s children in its place (without those named in ``drop``)."""
    parent = node.getparent()
    assert parent is not None
    index = parent.index(node)
    for child in list(node):
        if isinstance(child.tag, str) and child.tag.rsplit("}", 1)[-1] in drop:
            continue
        parent.insert(index, child)
        index += 1
    parent.remove(node)
