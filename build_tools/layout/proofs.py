"""Proofs (``book build --proof``): every editorial query printed where it stands, and listed.

A proof is the print layout with the queries shown (issue 16 item 3): the queried text tinted,
a numbered marker after it (Q1, Q2 … in the order of the printed book: the text, the
chronology, the notes), and the query's words at the foot of that page, as a footnote
(WeasyPrint's ``float: footnote``, ``footnote-policy: line``: the note goes on the page of its
call, and the line with the call moves to the next page when the note does not fit). One case
defers a note to the next page all the same: when the line a block's orphans need overflows the
page, WeasyPrint moves the page's last notes on rather than the line (``layout/block.py``,
``_linebox_layout``; 5 of the first book's 53 queries): that block is laid out again with one
orphan allowed (``moved_by``, ``loosened``), which leaves the notes on their page. At the end,
"Open queries" lists them all, each with the page of its marker, from the layout (pass 1's
anchors, as the index's locators: ``paginate.py``). The slug line "Uncorrected proofs: not for
press" prints in the foot margin of every page, and the PDF says it is a proof
(``PROOF_KEY``), which the preflight fails.

Why footnotes, not margin notes: WeasyPrint does place an absolutely positioned box beside its
line in a margin (tried), but only in the margin on one side of every page, not the outer one
of each (the side of an inline box's page is not known to CSS), and the book's outer margin
(0.625 in) holds a dozen letters a line, where a query of the chronology runs to 900 characters.
The price: the query notes take room at the foot of the pages, so that a proof's pages are its
own; its list gives them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

from lxml import etree

from build_tools import ids
from build_tools.lang.labels import Labels
from build_tools.model import Book

NOTE = "query-note"  # a query's words: print-only text, counted in no element (html.PRINT_ONLY)
PROOF_KEY = "/BookProof"  # in the PDF's document information of a proof (writers/pdf)
_QUERIED = ("query", "query-mark")  # the spans of parse/mdext/queries.py
_NOTE_ID = "-note"  # after the marker's id: the note's
_BLOCKS = frozenset({"p", "li", "div", "blockquote", "dd", "dt", "figcaption", "td", "th"})
_STARRED = re.compile(r"\*([^*\s][^*]*?)\*")


@dataclass(frozen=True)
class ProofQuery:
    """A query as a proof prints it: its marker, the id of the marker's place, its text and words."""

    marker: str
    anchor: str
    text: str
    comment: str


def mark_queries(root: etree._Element, book: Book, first: int = 1) -> tuple[ProofQuery, ...]:
    """Give every query of the print document ``root`` its marker and its note, numbered from
    ``first`` in document order (a negative ``first``: the last is numbered ``-first``, for a
    document that ends the book's order); return them. A heading's copies (the contents, the notes'
    subheads) show the text untinted: the query is printed once, at the heading itself."""
    words = book.meta.words
    events = {ids.event(query.event): query for query in book.queries if query.event}
    labels = {ids.event(event.id): event.label for event in book.chronology}
    found: list[tuple[etree._Element, str, str]] = []
    for element in root.iter("span", "p"):
        classes = (element.get("class") or "").split()
        if element.tag == "span" and set(_QUERIED) & set(classes):
            if _copy(element):
                element.set("class", " ".join(c for c in classes if c not in _QUERIED))
                continue
            found.append(
                (element, "".join(str(t) for t in element.itertext()), element.get("data-query") or "")
            )
        elif element.tag == "p" and (query := events.get(element.get("id") or "")):
            found.append((element, f"{words.chronology}, {labels[element.get('id') or '']}", query.comment))
    marked = []
    start = first if first > 0 else -first - len(found) + 1
    for number, (element, text, comment) in enumerate(found, start):
        marker = words.query_number.format(number=number)
        # The marker's place, for its page: the note's may be the next (the module's docstring).
        etree.SubElement(element, "span", {"id": ids.query(number), "class": "query-at"})
        element.append(_note(marker, comment, ids.query(number)))
        if element.tag == "p":  # a chronology entry: its date is the text queried
            for date in element.iter("span"):
                if "event-date" in (date.get("class") or "").split():
                    date.set("class", "event-date query")
                    break
        marked.append(ProofQuery(marker, ids.query(number), text.strip(), comment))
    return tuple(marked)


def _copy(element: etree._Element) -> bool:
    """The element is inside a copy of a heading: the contents, or a subhead of the notes."""
    for ancestor in element.iterancestors():
        parent = ancestor.getparent()
        if ancestor.tag == "nav" or (ancestor.tag == "h2" and parent is not None and _is_group(parent)):
            return True
    return False


def _is_group(element: etree._Element) -> bool:
    return "notes-group" in (element.get("class") or "").split()


def _note(marker: str, comment: str, anchor: str) -> etree._Element:
    return etree.fromstring(
        f'<span class="{NOTE}" id="{anchor}{_NOTE_ID}" data-marker="{escape(marker)}">'
        '<span class="query-number">'
        f"{escape(marker)}</span> {_words(comment)}</span>"
    )


def _words(comment: str) -> str:
    """A query's words as markup: escaped, and a title between asterisks (the chronology's
    queries are written as its events are, ``*Pravda*``) in italics."""
    return _STARRED.sub(r"<i>\1</i>", escape(comment, quote=False))


def moved_by(
    queries: Sequence[ProofQuery], pages: Mapping[str, int], opening: Sequence[str], tree: etree._Element
) -> frozenset[str]:
    """The ids of the blocks that moved a query's note to a page after its marker's, given
    each id's first page and the element each page's text opens in: WeasyPrint moves the notes
    of a page on to keep a block's orphans (the module's docstring), that block ends the page,
    and the next page opens in it. Laid out with one orphan allowed (``loosened``), it leaves
    the notes where they are."""
    by_id = {element.get("id"): element for element in tree.iter() if element.get("id")}
    found = set()
    for query in queries:
        marker, note = pages.get(query.anchor), pages.get(query.anchor + _NOTE_ID)
        if marker is None or note is None or note <= marker or marker + 1 >= len(opening):
            continue
        element = by_id.get(opening[marker + 1])
        while element is not None and not (element.tag in _BLOCKS and element.get("id")):
            element = element.getparent()
        if element is not None:
            found.add(element.get("id") or "")
    return frozenset(found)


def loosened(blocks: frozenset[str]) -> str:
    """The CSS that lets ``blocks`` leave one line at the foot of a page (``moved_by``)."""
    return "".join(f'[id="{block}"] {{ orphans: 1 !important; }}\n' for block in sorted(blocks))


def query_list(queries: tuple[ProofQuery, ...], pages: Mapping[str, str], words: Labels) -> etree._Element:
    """The list at the end of a proof: each query's marker, page, text and words; ``pages``
    gives the printed folio of each note (None in pass 1: the heading alone, a stub)."""
    entries = []
    for query in queries:
        page = escape(words.page_reference.format(page=pages.get(query.anchor, "?")))
        about = f"“{escape(query.text)}”: " if query.text else ""
        entries.append(
            f'<p class="proof-query"><span class="query-number">{escape(query.marker)}</span> '
            f"{page} {about}{_words(query.comment)}</p>"
        )
    return etree.fromstring(
        f'<section class="open-queries" id="{ids.QUERIES}"><h1 class="chapter-title">'
        f"{escape(words.open_queries)}</h1>\n" + "\n".join(entries) + "\n</section>"
    )


def proof_verdict(proof: bool, profile: str) -> tuple[bool, str]:
    """The preflight's row (``checks/preflight.py``): a proof (``book build --proof``, its queries
    printed) is never a file for the press; the proof profile is the one it passes."""
    if not proof:
        return True, "no editorial proof marks"
    final = profile != "proof"
    return not final, "an editorial proof (book build --proof)" + ": not for press" * final


def proof_css(words: Labels) -> str:
    """The proof's own styles, after the book's: the tint and the markers (100 % K and a light
    grey: they print on a desktop printer and in a black-and-white interior), the notes at the
    foot of the page, the list, the slug line in the outer corner of the foot margin."""
    slug = '"' + words.proof_slug.replace("\\", "\\\\").replace('"', '\\"') + '"'
    # Two lines kept at each turn, as the book's pages were before they were set full (the
    # finished book's pages are full, its stranded lines mended: stranded.py); a proof's pages
    # are its own, and a note is deferred only where ``moved_by`` finds it.
    return f"""
p, li {{ orphans: 2; widows: 2; }}
@page {{ @footnote {{ border-top: 0.5pt solid device-cmyk(0 0 0 1); padding-top: 3pt; margin-top: 6pt; }} }}
@page :left {{ @bottom-left {{ content: {slug}; font-size: 7pt; letter-spacing: 0.06em;
  vertical-align: top; padding-top: 0.14in; }} }}
@page :right {{ @bottom-right {{ content: {slug}; font-size: 7pt; letter-spacing: 0.06em;
  vertical-align: top; padding-top: 0.14in; }} }}
.query {{ background-color: device-cmyk(0 0 0 0.15); }}
.query-mark {{ display: inline; }}
.{NOTE} {{ float: footnote; font-size: 8pt; line-height: 10pt; font-style: normal; font-weight: normal;
  font-variant: normal; letter-spacing: normal; text-transform: none; text-indent: 0; text-align: left;
  hyphens: manual; color: device-cmyk(0 0 0 1); footnote-policy: line; }}
.{NOTE}::footnote-marker {{ content: none; }}
.{NOTE}::footnote-call {{ content: attr(data-marker); font-size: 7pt; line-height: 1; font-style: normal;
  vertical-align: 0.5em; padding: 0 0.15em; margin-left: 0.1em; color: device-cmyk(0 0 0 0);
  background-color: device-cmyk(0 0 0 1); font-variant-numeric: lining-nums; }}
.query-number {{ padding: 0 0.2em; color: device-cmyk(0 0 0 0); background-color: device-cmyk(0 0 0 1);
  font-variant-numeric: lining-nums; }}
.open-queries {{ page: back; break-before: right; font-size: 9.5pt; line-height: 12pt; }}
.open-queries .proof-query {{ text-indent: -1.5em; margin: 0 0 0.4em 1.5em; text-align: left; }}
"""
