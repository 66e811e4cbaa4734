"""Notes the index skips: those that only cite a source (CMOS 16.111), and those marked.

A note definition may begin with a mark that decides for it:

    [^memoirs]: {!} Serge, *Memoirs*, 131.      never indexed
    [^isaacs]: {@} Isaacs, *Tragedy*, 12.       indexed, though it only cites a source

Without a mark, a note is not indexed when it is only a bibliographic reference: author,
title, editor or translator, publisher or journal, year, pages (``citation_only``). The test:
once the titles (in italics, or quoted), the parentheses (publication facts) and the numbers
are set aside, every word left is a name (capitalized) or a word of the bibliographic
vocabulary ("trans.", "ed.", "reprinted in", "as quoted by", "p."…), and the note has at
least one sign of a reference (a title, a year in parentheses, "ibid.", a page). One word of
discussion ("awarded", "was", "argues") makes it a note to index: a sentence that says
something about a person is indexed, as Chicago asks.
"""

from __future__ import annotations

import copy
import re

from lxml import etree

NOT_INDEXED = "{!}"  # at the start of a note definition
INDEXED = "{@}"
TITLE_TAGS = frozenset({"em", "i", "cite"})
# Quoted titles: “…”, ‘…’, «…», „…“ (the marks the typography sets in each language).
_QUOTED = re.compile(r"“[^”]*”|‘[^’]*’|«[^»]*»|„[^“”]*[“”]|‹[^›]*›")
_PARENS = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_YEAR_IN_PARENS = re.compile(r"\([^()]*\b1[5-9]\d\d\b[^()]*\)|\([^()]*\b20\d\d\b[^()]*\)")
_WORD = re.compile(r"[^\W\d_][\w’'\-]*\.?")
_PAGES = re.compile(r"\b(?:pp?|S|s)\.\s*[\dxivlc]+|,\s*\d+(?:[–-]\d+)?\s*\.?\s*$")
_ROMAN = re.compile(r"^[ivxlcdm]+$")

# The words of a reference, lowercase, without their full stop; English's serve every book
# (Latin and English abbreviations are common to all), each language adds its own.
_ENGLISH = set(
    """
and in ed eds edn trans tr transl comp see also cf ibid id idem op cit loc vol vols no nos p pp
n nn chap ch pt sec esp ff f repr reprinted reprint rev revised edition new quoted as by from of
the a an to on at introduction preface foreword afterword translated edited published version
et al passim cited with e g i e s l d n letter series issue dated ms mss fol fols col cols
""".split()
)
_VOCABULARY = {
    "en": _ENGLISH,
    "fr": _ENGLISH
    | set("et trad éd dir coll t voir aussi de du des la le les l d cité citée par dans".split())
    | set("préface à au aux en sur".split()),
    "de": _ENGLISH
    | set("und hrsg hg übers bd bde vgl von der die das des dem zit nach ebd ebenda aufl nr s".split()),
    "es": _ENGLISH | set("y trad véase en de del la el los las por citado citada íd núm".split()),
    "it": _ENGLISH | set("e trad cura di vedi del della dei la il lo le gli citato citata da".split()),
}
_SIGNS = frozenset({"ibid", "id", "idem", "cit", "ebd", "ebenda", "íd"})


def note_mark(text: str) -> tuple[str, bool | None]:
    """A note definition's text without its mark, and what the mark says: False ``{!}`` (not
    indexed), True ``{@}`` (indexed), None (no mark: the note's content decides)."""
    stripped = text.lstrip()
    for mark, indexed in ((NOT_INDEXED, False), (INDEXED, True)):
        if stripped.startswith(mark):
            return stripped[len(mark) :].lstrip(), indexed
    return text, None


def citation_only(tree: etree._Element, language: str = "en") -> bool:
    """Whether a note (its XHTML tree) is only a bibliographic reference."""
    tree = copy.deepcopy(tree)
    titled = False
    for element in list(tree.iter()):
        if not isinstance(element.tag, str):
            continue
        kind = element.get("class", "")
        if element.tag in TITLE_TAGS or (kind.startswith("query") and kind != "query"):
            titled = titled or element.tag in TITLE_TAGS
            _drop(element)
    text = " ".join(str(etree.tostring(tree, method="text", encoding="unicode")).split())
    signs = titled or bool(_QUOTED.search(text) or _YEAR_IN_PARENS.search(text) or _PAGES.search(text))
    text = _QUOTED.sub(" ", text)
    while _PARENS.search(text):  # innermost first: "(London: Oxford (UP), 1963)"
        text = _PARENS.sub(" ", text)
    vocabulary = _VOCABULARY.get(language.split("-")[0].lower(), _ENGLISH)
    for word in _WORD.findall(text):
        bare = word.rstrip(".").lower()
        if bare in _SIGNS:
            signs = True
        if word[0].isupper() or bare in vocabulary or _ROMAN.match(bare):
            continue
        return False
    return signs


def _drop(element: etree._Element) -> None:
    """Take ``element`` and its content out of the tree, keeping its tail."""
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail or ""
    previous = element.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + " " + tail
    else:
        parent.text = (parent.text or "") + " " + tail
    parent.remove(element)
