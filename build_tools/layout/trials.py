"""The trial documents of ``respace.py``: each paragraph set alone on its measure, in a variant
(``compose.VARIANTS``), a piece of a small document of such pieces (issue 18: the trials were
two thirds of a long book's build).

A piece holds everything its setting depends on: the paragraph's words and inline markup, its
kept words, its variant's class and ties, its measure, indent and type size, and the pages of
its page references written in (the current layout's: WeasyPrint's ``target-counter`` would
print the page of the trial document where the target stands, which depends on the other
pieces). With the document's language and the renderer's signature (its styles, fonts and
page: ``weasy.Renderer.signature``) it is the key of the setting, so that a setting is laid out
once however often it is asked for (the same paragraph in the runts' trials and in the
stranded lines'), and, in a ``TrialStore`` that outlives the build, never again for the same
inputs: a rebuild after an edit lays out only the trials of the paragraphs it changed. A piece
with a picture in it is never kept beyond the build (its key has the picture's name, not its
pixels).
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from lxml import etree

from build_tools import ids
from build_tools.layout.compose import AS_SET, SPACINGS, TIES, VARIANTS, Respace, Setting, classes, tie
from build_tools.layout.keeps import Keep, wrap_word
from build_tools.layout.xrefs import KNOWN

if TYPE_CHECKING:  # boxes.py imports WeasyPrint
    from build_tools.layout.boxes import Paragraph


class TrialStore(Protocol):
    """Settings found by trials, by key: kept for the build, or beyond it when ``lasting``."""

    def get(self, key: str) -> Paragraph | None: ...

    def put(self, key: str, setting: Paragraph, lasting: bool) -> None: ...


class Memo:
    """The settings of one build's trials."""

    def __init__(self) -> None:
        self.found: dict[str, Paragraph] = {}

    def get(self, key: str) -> Paragraph | None:
        return self.found.get(key)

    def put(self, key: str, setting: Paragraph, lasting: bool) -> None:
        self.found[key] = setting


@dataclass(frozen=True)
class Piece:
    """One trial: the paragraph and variant it stands for, the block that holds it (no id in
    it), and the key of its setting; ``lasting``: it may be kept beyond the build."""

    item: Respace
    holder: etree._Element
    key: str
    lasting: bool


def trial_pieces(
    root: etree._Element,
    runts: Mapping[str, Setting],
    variants: Iterable[str],
    kept: Mapping[str, Sequence[Keep]],
    skip: frozenset[str],
    context: tuple[str, Mapping[str, str] | None] = ("", None),
) -> list[Piece]:
    """Each paragraph of ``runts`` in the print document ``root``, set alone in each of
    ``variants`` on its measure and with its indent, its words ``kept`` kept whole (keeps.py:
    ``skip``, the classes of print-only text); ``context``: the renderer's signature and the
    printed page of every target of a page reference (None: left to the trial document)."""
    signature, labels = context
    elements = {element.get("id", ""): element for element in root.iter("p") if element.get("id") in runts}
    language = f"{root.get('lang', '')}\n{root.get('data-title', '')}\n"
    pieces = []
    for owner, setting in sorted(runts.items()):
        for name in variants if owner in elements else ():
            holder = _holder(elements[owner], setting, name, kept.get(owner, ()), skip, labels)
            text = etree.tostring(holder, method="html", encoding="unicode")
            key = hashlib.sha256(f"{signature}\n{language}{text}".encode()).hexdigest()
            pieces.append(Piece(Respace(owner, name), holder, key, not holder.xpath(".//img")))
    return pieces


def _holder(
    paragraph: etree._Element,
    setting: Setting,
    name: str,
    kept: Sequence[Keep],
    skip: frozenset[str],
    labels: Mapping[str, str] | None,
) -> etree._Element:
    trial = copy.deepcopy(paragraph)
    for keep in kept:
        wrap_word(trial, keep, skip)
    for inner in trial.iter():
        if "id" in inner.attrib:
            del inner.attrib["id"]
    if name != AS_SET:
        trial.set("class", " ".join([*(c for c in classes(trial) if c not in SPACINGS), name]))
    if name in TIES:
        tie(trial, frozenset(), TIES[name])
    if labels is not None:
        _pages_written_in(trial, labels)
    trial.set("style", f"text-indent: {setting.indent}px; margin: 0")
    trial.tail = None
    holder = etree.Element("div", {"style": f"width: {setting.measure}px; font-size: {setting.size}px"})
    holder.append(trial)
    return holder


def _pages_written_in(trial: etree._Element, labels: Mapping[str, str]) -> None:
    """Each page reference prints the page its target is on in the current layout."""
    for link in trial.iter("a"):
        names = classes(link)
        target = (link.get("href") or "#")[1:]
        if ids.PAGE_REF in names and target in labels:
            link.text = labels[target]
            kept = [KNOWN if name == ids.PAGE_REF else name for name in names if name != "roman"]
            link.set("class", " ".join(kept))


def trial_document(root: etree._Element, pieces: Sequence[Piece]) -> tuple[str, dict[str, Piece]]:
    """A document of ``pieces`` (each placed in it: a piece is laid out once), in the language
    of ``root``, and the piece each trial's id stands for."""
    html = etree.Element("html")
    for key in ("lang", "data-title"):  # the language hyphenates
        html.set(key, root.get(key, ""))
    body = etree.SubElement(html, "body")
    trials = {}
    for number, piece in enumerate(pieces):
        trial_id = f"trial-{number}-{piece.item.variant or 'as-set'}"
        piece.holder[0].set("id", trial_id)
        body.append(piece.holder)
        trials[trial_id] = piece
    _targets(body)
    return etree.tostring(html, method="html", encoding="unicode", doctype="<!DOCTYPE html>"), trials


def trial_html(
    root: etree._Element,
    runts: Mapping[str, Setting],
    variants: Iterable[str] = tuple(VARIANTS),
    kept: Mapping[str, Sequence[Keep]] = {},
    skip: frozenset[str] = frozenset(),
) -> tuple[str, dict[str, Respace]]:
    """One document of each paragraph of ``runts`` in each of ``variants`` (``trial_pieces``),
    and the variant each trial's id stands for; ``AS_SET`` is the paragraph as the book sets it."""
    html, trials = trial_document(root, trial_pieces(root, runts, variants, kept, skip))
    return html, {trial_id: piece.item for trial_id, piece in trials.items()}


def _targets(body: etree._Element) -> None:
    """An empty element for each place the trials link to: a link's target is elsewhere in the
    book, and WeasyPrint warns of a link to nothing."""
    for target in sorted(
        {str(a.get("href"))[1:] for a in body.iter("a") if str(a.get("href", "")).startswith("#")}
    ):
        etree.SubElement(body, "span", {"id": target})
