"""Reading a built book for words in a language: the English words of our catalogue another
language's catalogue does not use, and every text a reader meets in an EPUB or a PDF."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Mapping
from pathlib import Path

from epub_tools import documents
from lxml import etree
from pdf_tools import outline, page_texts

from build_tools.lang.labels import ENGLISH, FIELDS

OPF = "{http://www.idpf.org/2007/opf}"
# The one string of the package that is not ours to translate: the standard's own title
# ("EPUB Accessibility 1.1 - WCAG 2.2 Level AA"), which EPUB Accessibility asks for verbatim
# (written only when book.toml's [accessibility] names a certifier).
CONFORMS_TO = "dcterms:conformsTo"


def english_words(catalogue: Mapping[str, str]) -> set[str]:
    """The words of the English catalogue that no label of ``catalogue`` uses (so "Notes",
    "Index", "EPUB" or "page", the same in both, are not English words there)."""
    other = re.sub(r"\{\w+\}", " ", " ".join(catalogue.values())).lower()  # placeholders aside
    words = set()
    for name in FIELDS:
        for word in re.findall(r"[A-Za-z]{3,}", re.sub(r"\{\w+\}", " ", getattr(ENGLISH, name))):
            if not re.search(rf"\b{word.lower()}\b", other):
                words.add(word.lower())
    return words


def package(epub: Path) -> etree._Element:
    with zipfile.ZipFile(epub) as archive:
        return etree.fromstring(archive.read("OEBPS/content.opf"))


def epub_text(epub: Path) -> str:
    """Every text and label a reader can meet in the EPUB: the documents' text, their titles,
    aria-labels and alternatives, and the package's metadata."""
    found = []
    for tree in documents(epub).values():
        found += tree.itertext()
        for element in tree.iter():
            found += [element.get(name) or "" for name in ("aria-label", "title", "alt")]
    for element in package(epub).iter(f"{OPF}metadata"):
        found += [item.text or "" for item in element if item.get("property") != CONFORMS_TO]
    return "\n".join(found)


def pdf_text(pdf: Path) -> str:
    """The PDF's text and outline, a word hyphenated at a line's end joined again ("Set‐ zer"
    is no English "set": the hyphen the layout adds is U+2010, a hyphen typed is U+002D)."""
    titles = [title for title, children in outline(pdf) for title in (title, *children)]
    return re.sub(r"\u2010\s+", "", "\n".join(page_texts(pdf) + titles))
